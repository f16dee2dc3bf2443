"""A photographed page made flat again: even light, a page not square to the
camera undone by the outline of its tables, and 200 dpi.

A phone photo of a form is lit unevenly (the paper is grey at one side), the
page is not flat to the sensor (its rectangles are quadrilaterals) and its
resolution is whatever the camera gave. The forms' tables span the 17 cm
text width, one above the other, so their left and right borders lie on two
lines and the top of the first and the bottom of the last table close the
quadrilateral; cv2.getPerspectiveTransform maps it back to a 17 cm wide
rectangle at 200 dpi on an A4 page. A scan (flat, square) is left as it is.
"""

from __future__ import annotations

from typing import Any

DPI = 200
A4 = (round(21.0 / 2.54 * DPI), round(29.7 / 2.54 * DPI))  # 1654 x 2339
TEXT_WIDTH = 17.0 / 2.54 * DPI  # the tables' width
LEFT = (A4[0] - TEXT_WIDTH) / 2


def _cv() -> tuple[Any, Any]:
    import cv2
    import numpy as np

    return cv2, np


def brightest(rgb: Any) -> Any:
    """Each pixel's brightest channel (the page in gray, red ink light):
    rgb.max(axis=2), which numpy computes twenty times slower along the short
    last axis than channel by channel."""
    _, np = _cv()
    return np.maximum(np.maximum(rgb[..., 0], rgb[..., 1]), rgb[..., 2])


def even_light(rgb: Any) -> Any:
    """Divide out uneven lighting (the paper's brightness, estimated with the
    ink removed), so paper is white everywhere; a scan already even is kept."""
    cv2, np = _cv()
    gray = brightest(rgb)
    h, w = gray.shape
    small = cv2.resize(gray, (max(1, w // 8), max(1, h // 8)), interpolation=cv2.INTER_AREA)
    paper = cv2.dilate(small, np.ones((15, 15), np.uint8))  # ink and grey header rows are gone
    paper = cv2.GaussianBlur(paper, (0, 0), 5)
    ph, pw = paper.shape[0] // 10, paper.shape[1] // 10
    inner = paper[ph:paper.shape[0] - ph, pw:paper.shape[1] - pw]  # the page's middle
    low, high = np.percentile(inner, (5, 95)) if inner.size else (255, 255)
    if high - low <= 20:
        return rgb  # even (a scan)
    paper = cv2.resize(paper, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    paper = np.maximum(paper, 40)[..., None]
    return np.clip(rgb.astype(np.float32) * (245.0 / paper), 0, 255).astype(np.uint8)


def dark_ink(gray: Any, black: float = 15.0) -> Any:
    """A photo's ink is greyer than a scan's (a camera's black level, the
    blur of fewer dots to the inch): its grey levels are stretched from the
    paper (245) so that its ink is as dark as a scanner prints it, where the
    reader tells a person's ink from a blank control's grey prompt. A scan's
    ink is that dark already and is kept."""
    _, np = _cv()
    ink = gray[gray < 160]
    if not ink.size:
        return gray
    level = float(np.percentile(ink, 10))
    if level <= 2 * black:
        return gray
    scale = (245.0 - black) / (245.0 - level)
    return np.clip(245.0 - (245.0 - gray.astype(np.float32)) * scale, 0, 255).astype(np.uint8)


def page_only(rgb: Any) -> Any:
    """The page with what lies around it (a desk) made white: the largest
    bright region, holes (the print) filled; a page that fills the image is
    returned as it is."""
    cv2, np = _cv()
    gray = brightest(rgb)
    _, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=4)
    if n < 2:
        return rgb
    page = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, w, h = (int(v) for v in stats[page, :4])
    if x > 2 or y > 2 or x + w < gray.shape[1] - 2 or y + h < gray.shape[0] - 2:
        mask = (labels == page).astype(np.uint8) * 255
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        filled = np.zeros_like(mask)
        cv2.drawContours(filled, contours, -1, 255, thickness=cv2.FILLED)
        filled = cv2.erode(filled, np.ones((15, 15), np.uint8))  # the page's own edge is no ruling
        if filled.mean() > 0.3 * 255:
            out = rgb.copy()
            out[filled == 0] = 255
            return out
    return rgb


def _rulings(gray: Any) -> list[tuple[Any, Any]]:
    """The (left end, right end) of each long horizontal ruling, top to
    bottom: the rulings that span a table's width."""
    cv2, np = _cv()
    h, w = gray.shape
    ink = (cv2.medianBlur(gray, 3) < 150).astype(np.uint8)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # a slanted ruling stays one run
    flat = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, max(25, w // 30)), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(flat, connectivity=8)
    if n < 2:
        return []
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    longest = int(widths.max())
    out = []
    for i in range(1, n):
        x, y, cw, ch = (int(v) for v in stats[i, :4])
        if cw < max(0.85 * longest, w / 2) or ch > 0.1 * cw:
            continue
        ys, xs = np.nonzero(labels[y:y + ch, x:x + cw] == i)
        end = max(3, cw // 100)
        left = np.array([x + 1, y + ys[xs < end].mean()], dtype=np.float64)  # +1, -1: the dilation
        right = np.array([x + cw - 2, y + ys[xs >= cw - end].mean()], dtype=np.float64)
        out.append((left, right))
    return sorted(out, key=lambda lr: float(lr[0][1] + lr[1][1]))


def _line(p: Any, q: Any) -> Any:
    _, np = _cv()
    return np.cross([*p, 1.0], [*q, 1.0])


def _fit_side(points: Any) -> Any:
    """The line x = a·y + b through points (a table border), homogeneous;
    ends that stray from it (a ruling broken at its start) left out."""
    _, np = _cv()
    keep = np.ones(len(points), dtype=bool)
    for _ in range(3):
        a, b = np.polyfit(points[keep, 1], points[keep, 0], 1)
        off = np.abs(points[:, 0] - (a * points[:, 1] + b))
        worst = int(np.argmax(np.where(keep, off, -1)))
        if off[worst] <= 4 or keep.sum() <= 2:
            break
        keep[worst] = False
    return np.array([1.0, -a, -b])


def _meet(l1: Any, l2: Any) -> Any:
    _, np = _cv()
    p = np.cross(l1, l2)
    return np.array([p[0] / p[2], p[1] / p[2]], dtype=np.float32)


def outline(gray: Any) -> Any | None:
    """Corners (tl, tr, br, bl) of a rectangle on the page: where the first
    and the last long ruling meet the tables' left and right borders (the
    lines through the rulings' ends), or None."""
    _, np = _cv()
    rulings = _rulings(gray)
    if len(rulings) < 2 or rulings[-1][0][1] - rulings[0][0][1] < gray.shape[0] / 40:
        return None
    left = _fit_side(np.array([lr[0] for lr in rulings]))
    right = _fit_side(np.array([lr[1] for lr in rulings]))
    top = _line(*rulings[0])
    bottom = _line(*rulings[-1])
    return np.array([_meet(top, left), _meet(top, right), _meet(bottom, right), _meet(bottom, left)])


def rectify(rgb: Any) -> Any:
    """The page (what lies around it made white) flat and square at 200 dpi
    when the tables' outline is not already a level rectangle of that width."""
    cv2, np = _cv()
    rgb = page_only(rgb)
    corners = outline(brightest(rgb))
    if corners is None:
        return rgb
    tl, tr, br, bl = corners
    width = (np.linalg.norm(tr - tl) + np.linalg.norm(br - bl)) / 2
    height = (np.linalg.norm(bl - tl) + np.linalg.norm(br - tr)) / 2
    if width < 10 or height < 10:
        return rgb
    scale = TEXT_WIDTH / width
    target = np.array([[LEFT, 0], [LEFT + TEXT_WIDTH, 0], [LEFT + TEXT_WIDTH, height * scale],
                       [LEFT, height * scale]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    h, w = rgb.shape[:2]
    frame = cv2.perspectiveTransform(np.array([[[0, 0], [w, 0], [w, h], [0, h]]], dtype=np.float32), matrix)[0]
    top = max(0.0, -float(frame[:, 1].min()))  # the whole image below y = 0
    target[:, 1] += top
    if float(np.abs(corners - target).max()) <= max(6.0, 0.004 * h):
        return rgb  # a flat, level 200 dpi scan: nothing to do
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    size = (A4[0], int(min(max(A4[1], float(frame[:, 1].max()) + top), 2 * A4[1])))
    return cv2.warpPerspective(rgb, matrix, size, flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))
