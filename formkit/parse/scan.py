"""Read a printed form that comes back scanned or photographed (image-only
PDF, JPG, PNG).

1. The QR code in the page header says which form, version, project and
   document it is (zxing-cpp); its corners give the page's rotation, which
   is undone (a page without a readable code is deskewed by its rulings).
   A photographed page is made flat (formkit/parse/perspective.py: the
   tables' outline mapped back to a rectangle at 200 dpi, the desk around
   the page made white, uneven light divided out); a scan is left as it is.
2. The table rulings are found (long horizontal and vertical runs of dark
   pixels) and cut into rows of cells; the rows are matched, in page order,
   to the form's layout (formkit/parse/layout.py), which says which cell
   holds which value. Red ink (a stamp) is set aside first.
3. Only the value cells are read: a cell with no dark ink is blank (the grey
   prompt of an unfilled control is not ink); the others are cut into text
   lines by their ink, and the lines of all cells are recognised in one
   batch by rapidocr's recogniser (no text detection: the cells are known;
   models inside the wheel, offline). What a cell's control allows (a date)
   and how Chinese text is written (，not , beside Chinese) mend the read.
   Ticks are decided from pixels: the ink inside the box glyph. Every value
   carries the recogniser's confidence, and values below ``REVIEW_BELOW``
   bring the crop of their cell (ParsedForm.crops).
4. For 项目验收单: whether each signature cell holds ink, and whether a red
   stamp is on the page (customer_stamped, with a notice).
"""

from __future__ import annotations

import io
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from formkit.config import limits
from formkit.errors import LimitError, NotAFormError
from formkit.forms.base import FormModel, Problem, field_meta, label_for
from formkit.limits import check_time, timed
from formkit.parse.labels import missing_rows, row_paths, split_roles
from formkit.parse.layout import Cell, Row, Table, form_layout
from formkit.parse.perspective import brightest, dark_ink, even_light, rectify
from formkit.parse.values import OCR, ParsedForm, RawValue, finish, named_form, read_values

DPI = 200
REVIEW_BELOW = 0.85
INSTALL = "请安装扫描件识别所需的组件：python -m pip install rapidocr onnxruntime zxing-cpp opencv-python-headless"


def _need(module: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise NotAFormError(f"无法读取扫描件：缺少 {module}。{INSTALL}") from e


# -- pages ------------------------------------------------------------------------------

def load_pages(data: bytes, label: str) -> list[Any]:
    """The pages of a scan as RGB numpy arrays (PDF pages rendered at DPI,
    smaller when a page would be over the pixel limit)."""
    np = _need("numpy")
    cap = limits()
    if data[:5] == b"%PDF-":
        from formkit.parse.pdf import open_pdf

        doc = open_pdf(data, label)
        try:
            pages = []
            for i in range(len(doc)):
                check_time()
                page = doc[i]
                w, h = page.get_size()
                most = cap.image_pixels
                scale = DPI / 72 if w * h * (DPI / 72) ** 2 <= most else (most / (w * h)) ** 0.5
                pages.append(np.asarray(page.render(scale=scale).to_pil().convert("RGB")))
                page.close()
            return pages
        finally:
            doc.close()
    from PIL import Image, UnidentifiedImageError

    if Image.MAX_IMAGE_PIXELS is not None and Image.MAX_IMAGE_PIXELS < cap.image_pixels:
        Image.MAX_IMAGE_PIXELS = cap.image_pixels  # PIL's own bomb check must not refuse what the setting allows
    try:
        with Image.open(io.BytesIO(data)) as img:
            frames = []
            for index in range(getattr(img, "n_frames", 1)):
                img.seek(index)
                if img.width * img.height > cap.image_pixels:
                    raise _too_many_pixels(cap, label, img.width * img.height, f"{img.width}×{img.height}")
                check_time()
                frames.append(np.asarray(img.convert("RGB")))
            return frames
    except LimitError:
        raise
    except Image.DecompressionBombError as e:  # PIL refuses before the size is ours to see
        pixels = re.search(r"\((\d+) pixels\)", str(e))
        raise _too_many_pixels(cap, label, int(pixels.group(1)) if pixels else None, "") from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise NotAFormError(f"{label}：图片已损坏或不是支持的图片格式（JPG、PNG），无法读取") from e


def _too_many_pixels(cap: Any, label: str, pixels: int | None, size: str) -> NotAFormError:
    found = f"图片有 {pixels:,} 像素{f'（{size}）' if size else ''}" if pixels else "图片的像素数过多"
    return cap.error("image_pixels", label, found, "不像是一页表单，未读取", pixels)


def find_qr(rgb: Any) -> tuple[dict[str, str] | None, float | None]:
    """The identity in the page's QR code and the page's rotation in degrees."""
    import math

    zxingcpp = _need("zxingcpp")
    from formkit.render.qr import parse_qr_payload

    cv2 = _need("cv2")
    # salt-and-pepper noise of a scan can break the code's finder patterns: read it again
    # with every speck smoothed away (a 3×3 median keeps the modules, 5 px at 200 dpi)
    for image in (lambda: rgb, lambda: cv2.medianBlur(brightest(rgb), 3)):
        for barcode in zxingcpp.read_barcodes(image(), formats=zxingcpp.BarcodeFormat.QRCode):
            ident = parse_qr_payload(barcode.text)
            if ident is None:
                continue
            pos = barcode.position
            angle = math.degrees(math.atan2(pos.top_right.y - pos.top_left.y, pos.top_right.x - pos.top_left.x))
            return ident, angle
    return None, None


def drop_specks(rgb: Any, contrast: int = 50) -> Any:
    """Lone pixels far darker or lighter than all eight neighbours (dust,
    salt-and-pepper noise) take their neighbourhood's median. Done before
    rotation, which would smear one such pixel over four."""
    np = _need("numpy")
    cv2 = _need("cv2")
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.int16)
    ring = np.ones((3, 3), np.uint8)
    ring[1, 1] = 0
    speck = (gray + contrast < cv2.erode(gray, ring)) | (gray - contrast > cv2.dilate(gray, ring))
    if not speck.any():
        return rgb
    out = rgb.copy()
    out[speck] = cv2.medianBlur(rgb, 3)[speck]
    return out


def rotate(rgb: Any, angle: float) -> Any:
    cv2 = _need("cv2")
    h, w = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(rgb, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(255, 255, 255))


def skew_by_rulings(gray: Any) -> float:
    """The rotation (degrees) that makes the long horizontal rulings level."""
    np = _need("numpy")
    cv2 = _need("cv2")
    small = cv2.resize(gray, (gray.shape[1] // 4, gray.shape[0] // 4), interpolation=cv2.INTER_AREA)
    ink = (small < 140).astype(np.float32)
    best, best_score = 0.0, -1.0
    h, w = ink.shape
    for tenth in range(-40, 41, 2):
        angle = tenth / 10
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        profile = cv2.warpAffine(ink, m, (w, h)).sum(axis=1)
        score = float((profile ** 2).sum())
        if score > best_score:
            best, best_score = angle, score
    return best


def split_red(rgb: Any) -> tuple[Any, Any]:
    """(the page in gray, where red ink counts as paper; mask of red ink).

    Gray is the brightest channel: black print stays black where a stamp
    covers it, red ink (a stamp) is light, the grey prompt stays grey."""
    np = _need("numpy")
    r, g, b = (rgb[..., i].astype(np.int16) for i in range(3))
    red = (r - np.maximum(g, b) > 50) & (r > 110)
    return brightest(rgb.astype(np.uint8, copy=False)), red


# -- rulings -> rows of cells --------------------------------------------------------------

@dataclass
class ScanRow:
    page: int
    top: int
    bottom: int
    cells: list[tuple[int, int]]
    joined: bool = False  # its top ruling is the previous row's bottom one

    def box(self, i: int) -> tuple[int, int, int, int]:
        x0, x1 = self.cells[i]
        return x0, self.top, x1, self.bottom


def _segments(mask: Any, horizontal: bool) -> list[tuple[float, int, int]]:
    cv2 = _need("cv2")
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for x, y, w, h, _area in stats[1:count]:
        if horizontal:
            out.append((y + h / 2, int(x), int(x + w)))
        else:
            out.append((x + w / 2, int(y), int(y + h)))
    return out


def _bridge(segs: list[tuple[float, int, int]], gap: float) -> list[tuple[float, int, int]]:
    """Pieces of one vertical ruling joined again (a speck of noise can cut
    a line one or two pixels wide)."""
    out: list[tuple[float, int, int]] = []
    for pos, a, b in sorted(segs, key=lambda s: s[1]):
        for k, (x, y0, y1) in enumerate(out):
            if abs(x - pos) <= 2.5 and y0 <= a and a - y1 <= gap:
                out[k] = (x, y0, max(y1, b))
                break
        else:
            out.append((pos, a, b))
    return out


def _cluster(values: list[float], tol: float) -> list[float]:
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def table_rows(gray: Any, page: int) -> tuple[list[ScanRow], Any]:
    """The ruled rows of a page, and the page with its rulings wiped out
    (so that a cell's crop holds only what was written in it)."""
    np = _need("numpy")
    cv2 = _need("cv2")
    h, w = gray.shape
    ink = (cv2.medianBlur(gray, 3) < 150).astype(np.uint8)
    unit = max(w / 1654, 0.3)  # 1 at 200 dpi A4
    hmask = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, 3), np.uint8)), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (int(60 * unit), 1)))
    vmask = cv2.morphologyEx(cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((3, 1), np.uint8)), cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(30 * unit))))
    hsegs = [s for s in _segments(hmask, True) if s[2] - s[1] > 200 * unit]  # not a QR code's run of modules
    vsegs = _bridge(_segments(vmask, False), 15 * unit)
    tol = 5 * unit
    ys = _cluster([s[0] for s in hsegs], tol)
    rows: list[ScanRow] = []
    for top, bottom in zip(ys, ys[1:]):
        if bottom - top < 20 * unit:
            continue
        mid = (top + bottom) / 2
        xs = _cluster([x for x, y0, y1 in vsegs if y0 < mid < y1 and _spans(y0, y1, top, bottom, tol)],
                      tol)
        cells = [(int(a), int(b)) for a, b in zip(xs, xs[1:]) if b - a > 15 * unit
                 and _covered(hsegs, top, a, b, tol) and _covered(hsegs, bottom, a, b, tol)]
        if cells:
            joined = bool(rows) and rows[-1].page == page and abs(rows[-1].bottom - top) <= tol
            rows.append(ScanRow(page, int(top), int(bottom), cells, joined))
    clean = gray.copy()
    clean[cv2.dilate(hmask | vmask, np.ones((5, 5), np.uint8)) > 0] = 255
    return rows, clean


def _spans(y0: float, y1: float, top: float, bottom: float, tol: float) -> bool:
    """A vertical ruling divides the row: it runs from its top to its bottom
    ruling, or along two thirds of it where noise wiped out a piece."""
    return (y0 - tol <= top + 2 and y1 + tol >= bottom - 2) or min(y1, bottom) - max(y0, top) >= 0.65 * (bottom - top)


def _covered(hsegs: list[tuple[float, int, int]], y: float, a: float, b: float, tol: float) -> bool:
    mid = (a + b) / 2
    return any(abs(hy - y) <= tol and x0 - tol <= mid <= x1 + tol for hy, x0, x1 in hsegs)


# -- rows -> the layout's cells ----------------------------------------------------------------

@dataclass
class Placed:
    """A scanned row and the layout row it is (``item``: a list row's index)."""

    row: ScanRow
    layout: Row
    table: Table
    item: int | None = None
    parts: list[ScanRow] = field(default_factory=list)  # a row cut by a page break: its continuation


def place_rows(model: type[FormModel], rows: list[ScanRow], pages: list[Any]) -> tuple[list[Placed], list[str]]:
    """Match scanned rows to the layout, tables in order. A table is one run
    of joined rows; a run that starts a page continues the table before it
    while that one has rows left (or is a list whose header comes again)."""
    tables = list(form_layout(model))
    placed: list[Placed] = []
    notes: list[str] = []
    ti, ri, item = -1, 0, 0
    runs: list[list[ScanRow]] = []
    for row in rows:
        if row.joined and runs:
            runs[-1].append(row)
        else:
            runs.append([row])
    for run in runs:
        first = run[0]
        new_page = bool(placed) and first.page != placed[-1].row.page
        current = tables[ti] if 0 <= ti < len(tables) else None
        continues = False
        if new_page and current is not None:
            if current.kind == "list":  # its header again, or straight on with rows of its columns
                continues = _is_header(first, current, pages) or (
                    current.item is not None and _same_columns(first, current.item))
            else:
                # the table's rows left go on (a row the office suite lost at the break aside:
                # a run whose first row has another number of cells is the next table)
                continues = (ri < len(current.rows) and len(first.cells) == len(current.rows[ri].cells)) \
                    or _is_continuation(first, placed[-1], pages)
        if not continues:
            ti, ri, item = ti + 1, 0, 0
            if ti >= len(tables):
                notes.append("扫描件中有多出的表格，已忽略")
                break
        table = tables[ti]
        for k, row in enumerate(run):
            if table.kind == "list":
                if ri == 0 or (k == 0 and continues and _is_header(row, table, pages)):
                    ri = 1  # the header row (again on a new page)
                    continue
                assert table.item is not None
                if len(row.cells) == len(table.item.cells):
                    placed.append(Placed(row, table.item, table, item))
                    item += 1
                continue
            if k == 0 and continues and placed and _is_continuation(row, placed[-1], pages):
                placed[-1].parts.append(row)
                continue
            if ri >= len(table.rows):
                continue
            layout = table.rows[ri]
            ri += 1
            if len(row.cells) != len(layout.cells):
                notes.append(f"扫描件第 {row.page + 1} 页有一行的格子数与表单不符，已跳过")
                continue
            placed.append(Placed(row, layout, table))
    return placed, notes


def _is_header(row: ScanRow, table: Table, pages: list[Any]) -> bool:
    """A list's header row: its columns, on a grey background."""
    np = _need("numpy")
    if table.item is None or len(row.cells) != len(table.item.cells):
        return False
    gray = pages[row.page]
    x0, y0, x1, y1 = row.box(0)
    inner = gray[y0 + 4:y1 - 3, x0 + 4:x1 - 3]
    return inner.size > 0 and float(np.median(inner)) < 236


def _same_columns(row: ScanRow, layout: Row, tol: float = 0.02) -> bool:
    """The row's cells have the layout row's widths (as parts of the table's width)."""
    if len(row.cells) != len(layout.cells):
        return False
    total = row.cells[-1][1] - row.cells[0][0]
    want = sum(c.width for c in layout.cells)
    return total > 0 and all(abs((b - a) / total - c.width / want) <= tol
                             for (a, b), c in zip(row.cells, layout.cells))


def _is_continuation(row: ScanRow, prev: Placed, pages: list[Any]) -> bool:
    """The rest of a row cut by a page break: the same columns, an empty label
    cell (a list's rows are matched by their columns instead)."""
    if prev.layout.kind in ("header", "item") or len(row.cells) != len(prev.row.cells):
        return False
    return not has_ink(crop(pages[row.page], row.box(0)))


# -- reading cells -----------------------------------------------------------------------------

def crop(gray: Any, box: tuple[int, int, int, int], inset: int = 5) -> Any:
    x0, y0, x1, y1 = box
    return gray[y0 + inset:y1 - inset + 1, x0 + inset:x1 - inset + 1]


_SOLID = 85  # a solid mark has three pixels darker; the grey prompt's, with a scanner's noise, stay above


def _marks(region: Any, em: float) -> tuple[Any, Any, Any, Any]:
    """The marks in a region: (labels, stats, kept, solid) of its connected
    pieces of ink. Kept: at least as big as a full stop (a lone -, ' or 、
    counts) with a dark core, whole (the thin strokes of 一 and 。 are
    lighter than their core), not a speck of noise. Solid: with a core as
    dark as only black ink prints. A 。, 〇, ( or / prints strokes a pixel
    thin at 200 dpi, as grey as the grey prompt of an unfilled control
    (its strokes twice as wide, half as dark), so those marks are kept but
    not solid; the prompt is never solid."""
    np = _need("numpy")
    cv2 = _need("cv2")
    n, labels, stats, _ = cv2.connectedComponentsWithStats((region < 160).astype(np.uint8), connectivity=8)
    dark = np.bincount(labels[region < 110], minlength=n)
    core = np.bincount(labels[region < _SOLID], minlength=n)
    area = stats[:, cv2.CC_STAT_AREA]
    kept = (area >= max(3, round(0.006 * em * em))) & (dark >= 2) & (dark >= 0.08 * area)
    kept[0] = False
    return labels, stats, kept, kept & (core >= 3)


def _prompt_glyph(region: Any, em: float) -> bool:
    """Whether light ink in a region draws a character-sized glyph other than
    a ring (〇): the grey prompt (点击输入…) of a control left blank. Light
    marks a person writes are punctuation, smaller than a character (。 ( ) /
    -). The prompt's strokes are light enough to break apart where dark ink
    is told from paper: glyphs are looked for in all but the paper."""
    np = _need("numpy")
    cv2 = _need("cv2")
    faint = region < 200
    if not faint.any():
        return False
    joined = cv2.dilate(faint.astype(np.uint8), np.ones((5, 5), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if w < 0.6 * em or h < 0.6 * em:
            continue
        mask = faint[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == i)
        if not _is_ring(mask, w, h, int(mask.sum()), em):
            return True
    return False


def ink_mask(region: Any, em: float = 29.0) -> Any:
    """Where a region holds marks (kept, see _marks), solid or not."""
    np = _need("numpy")
    if region.size == 0:
        return np.zeros(region.shape, dtype=bool)
    labels, _, kept, _ = _marks(region, em)
    return kept[labels]


def has_ink(region: Any, em: float = 29.0) -> bool:
    """Ink a person put there: a solid mark, or light marks only where no
    light character-sized glyph is, which is the grey prompt a control shows
    in every cell left blank (a cell holding only 。 or / is not blank)."""
    if region.size == 0:
        return False
    labels, _, kept, solid = _marks(region, em)
    if int(kept[labels].sum()) < 5:
        return False
    return bool(solid.any()) or not _prompt_glyph(region, em)


def text_lines(region: Any, em: float = 29.0) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of the text lines in a cell, by the rows and
    columns that hold dark ink (two runs of ink rows that together are no
    taller than a character are one line: 台 is ム over 口). Where a line's
    solid ink is followed by a light character-sized glyph, that is the grey
    prompt of a control left blank after its label (营销人员：点击输入…), and
    the line ends at its solid ink."""
    np = _need("numpy")
    if region.size == 0:  # a row's sliver on the next page, inside the crop's inset (OpenCV crashes on it)
        return []
    labels, _, kept, solid = _marks(region, em)
    ink = kept[labels]
    hard = solid[labels]
    rows = ink.sum(axis=1) >= 1
    lines, start = [], None
    for y, on in enumerate([*rows.tolist(), False]):
        if on and start is None:
            start = y
        elif not on and start is not None:
            if lines and (start - lines[-1][1] <= 2 or y - lines[-1][0] <= 1.05 * em):
                lines[-1] = (lines[-1][0], y)
            else:
                lines.append((start, y))
            start = None
    out = []
    for y0, y1 in lines:
        cols = np.flatnonzero(ink[y0:y1].sum(axis=0) >= 1)
        if not len(cols):
            continue
        x1 = int(cols[-1]) + 1
        firm = np.flatnonzero(hard[y0:y1].sum(axis=0) >= 1)
        if len(firm) and _prompt_glyph(region[y0:y1, firm[-1] + 1:], em):
            x1 = int(firm[-1]) + 1
        out.append((int(cols[0]), y0, x1, y1))
    return out


class _Engine:
    """One rapidocr engine for the process (its models load in ~1 s)."""

    _lock = threading.Lock()
    _engine: Any = None

    @classmethod
    def get(cls) -> Any:
        with cls._lock:
            if cls._engine is None:
                rapidocr = _need("rapidocr")
                cls._engine = rapidocr.RapidOCR(params={"Global.log_level": "critical"})
            return cls._engine


# Lines are read 1.5 times as wide as printed. The recogniser (CTC) gives a
# character a few columns of its output; equal characters side by side are
# told apart only by a blank column between them, and narrow marks (: , ' 、 /)
# printed at 200 dpi get a column or less: ":::" read "::", thirty 9s as
# sixteen, "/" as 1 or 7, a final 、 lost. Wider, they get their own columns
# (generated text: 0.95 of fields right at 1.0, 0.98 at 1.5; 2.0 reads no
# better and costs more).
STRETCH = 1.5


_REC_HEIGHT = 48  # the recogniser's input height (rapidocr's rec_img_shape)
_REC_WIDTH = 320  # and the least width it pads an image to
_BUCKET = 32
_PAD_LEFT = 8


def _padded(line: Any, stretch: float = 1.0) -> tuple[Any, float]:
    """A line crop as the recogniser takes it, and its scale: ``stretch``
    times as wide, white around it (more on the right: the CTC needs a blank
    after the last character), at the recogniser's height, and white on the
    right up to a multiple of 32 pixels (no narrower than 320)."""
    np = _need("numpy")
    cv2 = _need("cv2")
    if stretch != 1.0:
        line = cv2.resize(line, (max(1, round(line.shape[1] * stretch)), line.shape[0]), interpolation=cv2.INTER_CUBIC)
    pad = np.pad(line, ((6, 6), (_PAD_LEFT, 24)), constant_values=255)
    scale = _REC_HEIGHT / pad.shape[0]
    width = max(1, round(pad.shape[1] * scale))
    pad = cv2.resize(pad, (width, _REC_HEIGHT), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    full = max(_REC_WIDTH, -(-width // _BUCKET) * _BUCKET)
    pad = np.pad(pad, ((0, 0), (0, full - width)), constant_values=128)
    return np.stack([pad] * 3, axis=-1), scale


def _recognise(rec: Any, images: list[Any]) -> list[tuple[str, float, Any]]:
    """(text, score, word boxes) of each image, images of one width in one
    call: the recogniser pads a batch's images to the widest one's width
    (with grey), which changes what it reads in the narrower ones, so a
    line's reading would depend on the lines batched with it."""
    from rapidocr.ch_ppocr_rec import TextRecInput

    out: list[tuple[str, float, Any]] = [("", 0.0, None)] * len(images)
    widths: dict[int, list[int]] = {}
    for k, image in enumerate(images):
        widths.setdefault(image.shape[1], []).append(k)
    for same in widths.values():
        read = rec(TextRecInput(img=[images[k] for k in same], return_word_box=True))
        for k, text, score, words in zip(same, read.txts, read.scores, read.word_results):
            out[k] = (text, score, words)
    return out


def recognise_many(lines: list[Any], em: float = 29.0, stretch: float | None = None) -> list[tuple[str, float]]:
    """Text lines (gray crops) -> (text, confidence) each, recognised in
    batches by rapidocr's recogniser (the cells are known: no detection),
    each line ``stretch`` (default STRETCH) times as wide, what it read checked
    against the glyphs on the line (check_glyphs). The shared engine's
    settings are left as they are."""
    if not lines:
        return []
    engine = _Engine.get()
    stretch = STRETCH if stretch is None else stretch
    padded = [_padded(line, stretch) for line in lines]
    images = [image for image, _ in padded]
    results: list[tuple[str, float, list[float] | None]]
    try:
        read = _recognise(engine._load_rec_model(), images)
        results = [(text, score, _char_xs(text, words, image.shape[1] / scale, stretch))
                   for (text, score, words), (image, scale) in zip(read, padded)]
    except (ImportError, AttributeError, TypeError):  # another rapidocr: one call a line
        flags = engine.use_det, engine.use_cls, engine.use_rec
        results = []
        try:
            for image in images:
                one = engine(image, use_det=False, use_cls=False, use_rec=True)
                txts, scores = getattr(one, "txts", None), getattr(one, "scores", None)
                results.append(("".join(txts), min(scores), None) if txts else ("", 0.0, None))
        finally:
            engine.use_det, engine.use_cls, engine.use_rec = flags
    return [(_fix_punct(unicodedata.normalize("NFKC", check_glyphs(line, text, xs, em)).translate(_SIGNS)),
             float(score)) if text else ("", 0.0)
            for line, (text, score, xs) in zip(lines, results)]


_SIGNS = str.maketrans({"￥": "¥", "′": "'", "″": '"'})  # an apostrophe is read as a prime


def _char_xs(text: str, words: Any, width: int, stretch: float = 1.0) -> list[float] | None:
    """Where on the line crop each character of ``text`` was read (its CTC
    column), None for a space; None when the recogniser gave no columns."""
    try:
        cols = [c for group in words.word_cols for c in group]
        chars = [ch for group in words.words for ch in group]
        length = float(words.line_txt_len)
    except (AttributeError, TypeError):
        return None
    if not length or len(chars) != len(text.replace(" ", "")):
        return None
    it = iter(cols)
    return [None if ch == " " else ((next(it) + 0.5) / length * width - _PAD_LEFT) / stretch for ch in text]  # type: ignore[misc]


_LOWER = set("acemnorsuvwxz")  # no ascender: as high as x
_UPPER = {ch.upper() for ch in _LOWER}


def check_glyphs(line: Any, text: str, xs: list[float | None] | None, em: float) -> str:
    """What the recogniser read, mended by the glyphs' shapes where it is
    known to slip: a ring as wide as a Chinese character is 〇 (read as O, o,
    0 or dropped: 二〇二六), a small ring on the baseline is 。 (read as o
    beside Latin, or dropped), an apostrophe beside other marks is not lost
    (', '.' and a lone ' read as a full stop), and a Latin letter whose small
    and capital forms differ only in height (c C, s S, x X, a A ...) has the
    case its height says (b and B, 0 and O: its width)."""
    if not xs or not text:
        return text
    np = _need("numpy")
    cv2 = _need("cv2")
    ink = ink_mask(line, em).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    chars = list(text)
    where = list(xs)
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        if not _is_ring(labels[y:y + h, x:x + w] == i, w, h, area, em):
            continue
        cx = x + w / 2
        # the character read at the ring: its CTC column falls inside the glyph, right of the
        # middle, or just beside it; not a neighbour's column at that neighbour's right edge
        # (a "(" or "-" before the ring), even where that edge touches the ring
        others = _column_spans(stats, n, i)
        near = [k for k in _columns(where, x - 0.1 * em, x + w + 0.05 * em)
                if x + 0.25 * w <= where[k] <= x + w  # type: ignore[operator]
                or not any(a <= where[k] <= b + 0.1 * em for a, b in others)]  # type: ignore[operator]
        if near:
            k = min(near, key=lambda j: abs(where[j] - (x + 0.6 * w)))  # type: ignore[operator]
            if chars[k] in "Oo0○◯":
                chars[k] = "〇"
            continue
        k = _insert(chars, where, "〇", cx)
        for j in (k - 1, k + 1):  # the ring read as a space (y9; BB for y9;〇BB): the space was the ring
            if 0 <= j < len(chars) and chars[j] == " ":
                del chars[j], where[j]
                break
    tall = [(int(y), int(y + h)) for _, y, _, h, _ in (stats[i] for i in range(1, n)) if h >= 0.6 * em]
    # the middle of the line: of its full-height glyphs, or of the crop (line_crops centres a line of marks)
    mid = float(np.median([(a + b) / 2 for a, b in tall])) if tall else line.shape[0] / 2
    _full_stops(chars, where, labels, stats, n, em, mid)
    _strokes(chars, where, labels, stats, n, em)
    _apostrophes(chars, where, stats, n, em, mid)
    dots = [(int(x), int(y), int(w), int(h)) for i, (x, y, w, h, _) in enumerate(stats[1:n], 1)
            if w <= 0.4 * em and h <= 0.4 * em and y + h > mid and not _small_ring(labels, stats, i, em)]
    for k in reversed(range(len(chars))):
        at = where[k]
        if chars[k] in ".," and at is not None and not any(
                x + w >= at - 0.45 * em and x <= at + 0.3 * em for x, y, w, h in dots):
            del chars[k], where[k]  # a full stop where no dot is: a speck of grey the recogniser saw, or 。's ring
    _commas(chars, where, labels, stats, n, em, mid)
    _compartments(chars, where, line, em)
    for k, ch in enumerate(chars):
        at = where[k]
        if at is None or (ch not in _LOWER and ch not in _UPPER and ch not in "bB0"):
            continue
        glyph = [i for i in range(1, n) if stats[i][0] - 2 <= at <= stats[i][0] + stats[i][2] + 2]
        if len(glyph) != 1 or stats[glyph[0]][2] > 0.75 * em:
            continue
        x0, w0 = int(stats[glyph[0]][0]), int(stats[glyph[0]][2])
        if any(j != k and a is not None and x0 + 0.3 * w0 <= a <= x0 + 0.7 * w0 for j, a in enumerate(where)):
            continue  # not one letter on its own (z and / touching)
        width, height = _letter_size(labels == glyph[0], where, k, x0, w0)
        if ch in _LOWER and height >= 0.62 * em:
            chars[k] = ch.upper()
        elif ch in _UPPER and height <= 0.52 * em:
            chars[k] = ch.lower()
        elif ch in "O0" and any(j != k and a is not None and x0 <= a <= x0 + w0 for j, a in enumerate(where)):
            continue  # its blot holds a neighbour too (/0 touching): its width says nothing
        elif ch == "O" and width <= 0.52 * em:  # 0 and O are as high; O is wider
            chars[k] = "0"
        elif ch == "0" and width >= 0.62 * em:
            chars[k] = "O"
        elif ch == "b" and width >= 0.55 * em:  # b and B are as high; B is wider
            chars[k] = "B"
        elif ch == "B" and width <= 0.5 * em:
            chars[k] = "b"
    return "".join(chars)


def _insert(chars: list[str], where: list[float | None], ch: str, cx: float) -> int:
    """Put ``ch`` into the reading where its glyph is (at x = cx); its index."""
    k = sum(1 for at in where if at is not None and at < cx)
    k = next(j for j in range(len(chars) + 1) if sum(1 for at in where[:j] if at is not None) == k)
    chars.insert(k, ch)
    where.insert(k, cx)
    return k


def _columns(where: list[float | None], low: float, high: float) -> list[int]:
    """The characters read whose CTC column is between ``low`` and ``high``."""
    return [k for k, at in enumerate(where) if at is not None and low <= at <= high]


def _column_spans(stats: Any, n: int, i: int) -> list[tuple[int, int]]:
    """(left, right) of every component but i."""
    return [(int(stats[j][0]), int(stats[j][0] + stats[j][2])) for j in range(1, n) if j != i]


def _alone(stats: Any, n: int, i: int) -> bool:
    """No other component has ink in component i's columns (above or below it)."""
    x, w = int(stats[i][0]), int(stats[i][2])
    return not any(a < x + w and x < b for a, b in _column_spans(stats, n, i))


def _in_chinese_box(chars: list[str], where: list[float | None], cx: float, em: float) -> bool:
    """x = cx is inside a Chinese character's box as read (an em wide about its
    column): ink there is one of its strokes."""
    return any(_cjk(chars[k]) for k in _columns(where, cx - 0.45 * em, cx + 0.45 * em)
               if abs(where[k] - cx) < 0.45 * em)  # type: ignore[operator]


def _centre_line(mask: Any) -> tuple[Any, Any]:
    """The rows of a glyph mask that hold ink, and the middle of the ink on each."""
    np = _need("numpy")
    ys = np.flatnonzero(mask.any(axis=1))
    return ys, np.array([np.flatnonzero(mask[y]).mean() for y in ys])


def _small_ring(labels: Any, stats: Any, i: int, em: float) -> bool:
    """Component i is a hollow ring a third of an em across (。, or a ring of %)."""
    x, y, w, h, _area = (int(v) for v in stats[i])
    if not (0.18 * em <= w <= 0.4 * em and 0.18 * em <= h <= 0.4 * em and abs(w - h) <= 0.12 * em):
        return False
    ring = labels[y:y + h, x:x + w] == i
    return not ring[h // 3:h - h // 3, w // 3:w - w // 3].any() and bool(ring[:, 0].any() and ring[:, -1].any())


def _full_stops(chars: list[str], where: list[float | None], labels: Any, stats: Any, n: int, em: float,
                mid: float) -> None:
    """A small hollow ring low on the line is 。: the recogniser reads it as
    o between Latin letters (x。y) or drops it at a line's start. A Latin o is
    as high as an x (half an em); 。 is a third of an em across, with no ink
    above it, and leaves the rest of its em blank."""
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if not _small_ring(labels, stats, i, em) or y + h / 2 <= mid:
            continue
        if not _alone(stats, n, i):
            continue  # a part of a glyph (the rings of %): other ink above or below it
        near = _columns(where, x - 0.15 * em, x + w + 0.45 * em)
        if not near:
            _insert(chars, where, "。", x + w / 2)
            continue
        if any(chars[j] == "。" for j in near):
            continue  # read as it is (a full stop beside it stays one: .。)
        k = min(near, key=lambda j: abs(where[j] - (x + w / 2)))  # type: ignore[operator]
        if chars[k] in "oO0°○.·":
            chars[k] = "。"


def _commas(chars: list[str], where: list[float | None], labels: Any, stats: Any, n: int, em: float,
            mid: float) -> None:
    """、 and . read one for the other: the ink at the character's column
    says which. 、 is a stroke slanting down to the right, a quarter of an em
    long; a full stop is a round dot half as big."""
    np = _need("numpy")
    for k, ch in enumerate(chars):
        at = where[k]
        if ch not in ".、" or at is None:
            continue
        near = [i for i in range(1, n) if stats[i][0] - 0.2 * em <= at <= stats[i][0] + stats[i][2] + 0.2 * em
                and stats[i][1] + stats[i][3] / 2 > mid and stats[i][2] <= 0.4 * em and stats[i][3] <= 0.4 * em]
        if not near:
            continue
        i = min(near, key=lambda j: abs(stats[j][0] + stats[j][2] / 2 - at))
        x, y, w, h, _area = (int(v) for v in stats[i])
        if ch == "." and w >= 0.2 * em and h >= 0.18 * em:
            ys, centres = _centre_line(labels[y:y + h, x:x + w] == i)
            if len(ys) >= 4 and float(np.polyfit(ys, centres, 1)[0]) >= 0.5:
                chars[k] = "、"
        elif ch == "、" and w <= 0.17 * em and h <= 0.17 * em:
            chars[k] = "."


_BOXES = {"日": 2, "目": 3}  # the closed spaces one above the other inside the glyph


def _compartments(chars: list[str], where: list[float | None], line: Any, em: float) -> None:
    """目 and 日 read one for the other: 目 has three closed spaces, 日 two."""
    np = _need("numpy")
    cv2 = _need("cv2")
    for k, ch in enumerate(chars):
        at = where[k]
        if ch not in _BOXES or at is None:
            continue
        x0, x1 = max(0, int(at - 0.5 * em)), min(line.shape[1], int(at + 0.5 * em) + 1)
        ink = (line[:, x0:x1] < 150).astype(np.uint8)
        # a thin stroke broken by a pixel of noise would join two spaces into one
        for kernel in ((1, 3), (3, 1)):
            ink = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones(kernel, np.uint8))
        contours, hierarchy = cv2.findContours(ink, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
        if hierarchy is None:
            continue
        # the glyph's own holes: centred on its column (not a neighbour's o or %)
        holes = sum(1 for c, (_, _, _, parent) in zip(contours, hierarchy[0])
                    if parent >= 0 and cv2.contourArea(c) >= 0.01 * em * em
                    and abs(x0 + _centre_x(c) - at) <= 0.25 * em)
        for other, count in _BOXES.items():
            if holes == count and other != ch:
                chars[k] = other


def _centre_x(contour: Any) -> float:
    xs = contour[:, 0, 0]
    return float(xs.min() + xs.max()) / 2


def _stroke_mark(mask: Any, w: int, h: int) -> str | None:
    """What a tall thin stroke is: / (leans right, straight), ( or ) (bows
    out at its middle), or None (upright: 1, l, I, |)."""
    np = _need("numpy")
    if mask.sum(axis=1).max() > max(4, 0.6 * w):
        return None  # not a thin stroke (a 1's foot, a 7's bar)
    ys, centres = _centre_line(mask)
    if len(ys) < 6:
        return None
    slope = float(np.polyfit(ys, centres, 1)[0])
    part = max(1, len(ys) // 6)
    ends = (centres[:part].mean() + centres[-part:].mean()) / 2
    middle = float(centres[len(ys) // 2 - part // 2:len(ys) // 2 + part // 2 + 1].mean())
    if slope <= -0.25 and abs(middle - ends) <= 0.15 * w:
        return "/"
    if abs(slope) <= 0.1 and middle <= ends - 0.3 * w:
        return "("
    if abs(slope) <= 0.1 and middle >= ends + 0.3 * w:
        return ")"
    return None


_READ_FOR = {"/": "1lI|7", "(": "CcOo0<[{|1lI", ")": "Oo0>]}|1lI"}


def _strokes(chars: list[str], where: list[float | None], labels: Any, stats: Any, n: int, em: float) -> None:
    """A slash read as 1 or 7, a paren read as C, O or < (or a pair of them
    as one O): a tall thin stroke alone in its columns is what its shape
    says, when what was read there is a Latin letter or digit; and one with
    no column of its own was left out, and is put back."""
    found: dict[int, list[tuple[float, str]]] = {}
    unread: list[tuple[float, str]] = []
    for i in range(1, n):
        x, y, w, h, _area = (int(v) for v in stats[i])
        if not (w <= 0.35 * em and h >= 0.55 * em):
            continue
        if not _alone(stats, n, i):
            continue
        mark = _stroke_mark(labels[y:y + h, x:x + w] == i, w, h)
        if not mark:
            continue
        cx = x + w / 2
        near = _columns(where, x - 0.2 * em, x + w + 0.2 * em)
        others = _column_spans(stats, n, i)
        if not any(chars[k] == mark or not any(a <= where[k] <= b for a, b in others) for k in near):  # type: ignore[operator]
            # no column of its own (each near one is another glyph's): the recogniser left it out
            # ((/安 read as (安), unless it is a stroke inside a Chinese character's box
            if not _in_chinese_box(chars, where, cx, em):
                unread.append((cx, mark))
            continue
        if near:
            k = min(near, key=lambda j: abs(where[j] - cx))  # type: ignore[operator]
            found.setdefault(k, []).append((cx, mark))
    for k in sorted(found, reverse=True):
        marks = sorted(found[k])
        if chars[k] in (mark for _, mark in marks) or any(chars[k] not in _READ_FOR[mark] for _, mark in marks):
            continue
        chars[k], where[k] = marks[0][1], marks[0][0]
        for cx, mark in marks[1:]:
            _insert(chars, where, mark, cx)
    for cx, mark in unread:  # by where they are, after the replacements (which go by index)
        _insert(chars, where, mark, cx)


_QUOTES = "'\"‘’“”′″`"


def _apostrophes(chars: list[str], where: list[float | None], stats: Any, n: int, em: float, mid: float) -> None:
    """An apostrophe (a short upright wedge at the top of the line, with no
    other ink above or below it, outside every Chinese character's box) that
    the reading has no quote for: the
    recogniser drops one beside other marks ('.' read as '.) and reads a lone
    one as a full stop."""
    boxes = [tuple(int(v) for v in stats[i][:4]) for i in range(1, n)]
    for i, (x, y, w, h) in enumerate(boxes, 1):
        if not (w <= 0.22 * em and 0.15 * em <= h <= 0.42 * em and h >= 1.4 * w and y + h < mid
                and y <= mid - 0.2 * em):
            continue
        if not _alone(stats, n, i):
            continue  # a stroke of a character: other ink above or below it
        cx = x + w / 2
        if _in_chinese_box(chars, where, cx, em):
            continue  # one of its strokes
        quotes = _columns(where, cx - 0.35 * em, cx + 0.35 * em)
        if any(chars[k] in _QUOTES for k in quotes):
            continue
        stop = [k for k in quotes if chars[k] in ".,"]
        if stop and not any(bx <= where[stop[0]] + 0.3 * em and bx + bw >= where[stop[0]] - 0.45 * em  # type: ignore[operator]
                            and by + bh / 2 > mid for bx, by, bw, bh in boxes):
            chars[stop[0]] = "'"  # a lone apostrophe read as a full stop: no dot below
            continue
        _insert(chars, where, "'", cx)


def _letter_size(mask: Any, where: list[float | None], k: int, x0: int, w0: int) -> tuple[int, int]:
    """Width (the whole blot's) and height of character k's ink in a glyph mask
    that may hold a touching neighbour too (z/ printed as one blot): the height
    counts only the columns nearer to its own CTC column than to its
    neighbours'."""
    np = _need("numpy")
    left, right = x0, x0 + w0
    at = where[k]
    before = next((a for a in reversed(where[:k]) if a is not None), None)
    after = next((a for a in where[k + 1:] if a is not None), None)
    if before is not None and at is not None:
        left = max(left, int((before + at) / 2) + 1)
    if after is not None and at is not None:
        right = min(right, int((at + after) / 2))
    rows = np.flatnonzero(mask[:, left:right].any(axis=1)) if right > left else []
    if not len(rows):
        return w0, int(mask.any(axis=1).sum())
    return w0, int(rows[-1] - rows[0] + 1)


def _is_ring(mask: Any, w: int, h: int, area: int, em: float) -> bool:
    """A thin round ring about a character wide: empty inside and at its
    corners (口 has corners, O and 0 are narrower)."""
    if not (0.8 * em <= w <= 1.2 * em and 0.8 * em <= h <= 1.2 * em) or area > 0.4 * w * h:
        return False
    cw, ch = max(1, w // 8), max(1, h // 8)  # a circle stays 0.15 of its size clear of its box's corners
    inside = mask[h // 3:h - h // 3, w // 3:w - w // 3]
    corners = [mask[:ch, :cw], mask[:ch, -cw:], mask[-ch:, :cw], mask[-ch:, -cw:]]
    return not inside.any() and not any(c.any() for c in corners)


_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}


def _fix_punct(text: str) -> str:
    """NFKC turns Chinese punctuation into ASCII, and the recogniser itself
    mixes the two: put back what a Chinese text has. Beside a Chinese
    character, , ; : ! ? ( ) are full width; in a text with Chinese, a comma
    after a digit or a % is too, unless it groups thousands (360,000.00)."""
    has_cjk = any("\u3400" <= ch <= "\u9fff" for ch in text)
    out = []
    for i, ch in enumerate(text):
        before = out[-1] if out else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in ",;:!?" and (_cjk(before) or (ch != ":" and _cjk(after))):
            ch = _FULL[ch]
        elif ch == "," and has_cjk and (before.isdigit() or before == "%") and not _THOUSANDS.match(text, i):
            ch = "，"
        elif ch == "(" and (_cjk(before) or _cjk(after)):
            ch = "（"
        elif ch == ")" and _cjk(before):
            ch = "）"
        elif ch in "Oo" and not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()) \
                and (_cjk(before) or _cjk(after)):
            ch = "〇"  # the recogniser reads 〇 (二〇二六) as a Latin O when it stands among Chinese
        out.append(ch)
    return "".join(out)


_THOUSANDS = re.compile(r",\d{3}(?!\d)")


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u3400" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef")


_CJK_LATIN_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[A-Za-z0-9])|(?<=[A-Za-z0-9]) +(?=[\u3400-\u9fff])")


def _unspace(text: str) -> str:
    """The recogniser keeps or drops a space between Chinese and Latin at
    random (the gap is as wide as the one before 年 in 2026年): read none."""
    return _CJK_LATIN_SPACE.sub("", text)


def line_crops(region: Any, lines: list[tuple[int, int, int, int]], em: float = 29.0) -> list[Any]:
    """The crop of each line: its ink found by a blurred mask is smaller than
    the glyphs (thin strokes, a final 。), so it is widened to a full
    character's height (not into the next line) and by a third of one at the
    sides. A line of small marks only (a lone ' or 、, ".."), cropped about
    its own ink, would put an apostrophe in the middle of the line, where it
    reads as a full stop: such a line is cropped where the cell's text line is
    (line_centres)."""
    out = []
    centres = line_centres(region.shape[0], lines, em)
    for k, (x0, y0, x1, y1) in enumerate(lines):
        mid, half = centres[k], max((y1 - y0) / 2 + 4, 0.62 * em)
        top = max(0, min(int(mid - half), y0 - 2), (lines[k - 1][3] + y0) // 2 if k else 0)
        bottom = min(region.shape[0], max(int(mid + half) + 1, y1 + 3),
                     (y1 + lines[k + 1][1]) // 2 + 1 if k + 1 < len(lines) else region.shape[0])
        out.append(region[top:bottom, max(0, x0 - int(0.3 * em)):x1 + int(0.35 * em)])
    return out


_PITCH = 1.845  # lines of a cell are 53.5 px apart at 200 dpi (10.5 pt, single spacing): in em


def line_centres(height: int, lines: list[tuple[int, int, int, int]], em: float) -> list[float]:
    """Where each line's character boxes are centred: a line with a glyph of
    full height (a Chinese character, a capital, a digit) by its ink; a line of
    small marks by the lines around it (one line pitch apart), or, with none,
    by the cell (its text is centred vertically, about a pixel above the
    middle)."""
    tall = [k for k, (_, y0, _, y1) in enumerate(lines) if y1 - y0 >= 0.7 * em]
    out = []
    for k, (_, y0, _, y1) in enumerate(lines):
        if k in tall:
            out.append((y0 + y1) / 2)
            continue
        if tall:
            j = min(tall, key=lambda t: abs(t - k))
            guess = (lines[j][1] + lines[j][3]) / 2 + (k - j) * _PITCH * em
        else:
            guess = height / 2 - 0.035 * em + (k - (len(lines) - 1) / 2) * _PITCH * em
        # the marks stay inside the line's box of one em around its centre
        guess = min(max(guess, y1 - 0.55 * em), y0 + 0.55 * em)
        out.append(guess)
    return out


def join_lines(region: Any, lines: list[tuple[int, int, int, int]], read: list[tuple[str, float]],
               em: float) -> tuple[str, float]:
    """A cell's recognised lines joined: as a line break when the line ended
    well before the cell's edge, else as a wrap."""
    if not lines:
        return "", 1.0
    text, conf = "", 1.0
    for i, (line_text, score) in enumerate(read):
        line_text = _unspace(line_text)
        if not line_text:
            continue
        conf = min(conf, score)
        if text:
            text += _line_break(region, lines, i, text, line_text, em)
        text += line_text
    return text, conf if text else 0.0


_LATIN = re.compile(r"[A-Za-z0-9]")


def _line_break(region: Any, lines: list[tuple[int, int, int, int]], i: int, before: str, after: str,
                em: float) -> str:
    """How line i joins the text before it: "\n" where the line before ended
    early, by choice; else a wrap: "" or, between two Latin words (the
    office suite wraps those at a space), " ".

    A line starting in Chinese: the line before ended more than 1.6 em short
    of the cell's edge. A line starting with a Latin word: that word (its ink
    up to the first gap of a space's width) and a space would have fit."""
    width = region.shape[1]
    prev_right = lines[i - 1][2]
    if not _LATIN.match(after):
        return "\n" if width - prev_right > 1.6 * em else ""
    np = _need("numpy")
    x0, y0, x1, y1 = lines[i]
    cols = (region[y0:y1, x0:x1] < 110).sum(axis=0) > 0
    word, gap = x1 - x0, 0
    for x, on in enumerate(cols.tolist()):
        gap = 0 if on else gap + 1
        if gap >= 0.22 * em:
            word = x - gap + 1
            break
    margin = min(line[0] for line in lines)  # the cell's padding: as wide on the right
    if width - margin - prev_right > word + 0.3 * em:
        return "\n"
    del np
    # Latin wraps at a space, but a word longer than the line is cut where it
    # reaches the cell's edge
    last_line = before.rsplit("\n", 1)[-1]
    cut = " " not in last_line.strip() and width - margin - prev_right < 0.6 * em
    return " " if _LATIN.match(before[-1]) and not cut else ""


def tick_state(region: Any) -> bool | None:
    """☑ or ☐ from pixels: ink inside the box glyph (None: no box found)."""
    cv2 = _need("cv2")
    np = _need("numpy")
    if region.size == 0:
        return None
    ink = region < 128
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    if n < 2:
        return None
    x0, y0, w, h, _area = max(stats[1:n], key=lambda st: st[2] * st[3])
    if w < 8 or h < 8:
        return None
    x1, y1 = x0 + w - 1, y0 + h - 1
    inner = ink[y0 + h // 4:y1 - h // 4 + 1, x0 + w // 4:x1 - w // 4 + 1]
    return bool(inner.size and inner.mean() > 0.08)


def checklist_ticks(region: Any, em: float) -> list[bool]:
    """The tick boxes at the start of a checklist cell's lines, top to bottom:
    hollow squares (a bold heading's 目 or 项 is as square, but its strokes
    cross its middle), each ticked or not by the ink inside it."""
    np = _need("numpy")
    cv2 = _need("cv2")
    if region.size == 0:
        return []
    ink = (region < 128).astype(np.uint8)
    strip = ink[:, : int(2.2 * em)]
    n, labels, stats, _ = cv2.connectedComponentsWithStats(strip, connectivity=8)
    boxes = []
    for i, (x, y, w, h, _area) in enumerate(stats[1:n], start=1):
        if 0.45 * em <= w <= 1.3 * em and 0.45 * em <= h <= 1.3 * em and 0.75 <= w / h <= 1.33:
            mine = labels[y:y + h, x:x + w] == i
            ring = mine.copy()
            ring[2:-2, 2:-2] = False
            hollow = not mine[h // 4:h - h // 4, w // 4:w - w // 4].any()
            if hollow and ring.sum() / max(1, 2 * (w + h)) > 0.7:  # a square outline
                boxes.append((y, x, w, h))
    boxes.sort()
    return [bool(tick_state(region[y:y + h, x:x + w])) for y, x, w, h in boxes]


def png(region: Any) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(region).save(out, format="PNG", optimize=True)
    return out.getvalue()


# -- the whole reader -----------------------------------------------------------------------------

@dataclass
class _Read:
    values: list[RawValue] = field(default_factory=list)
    crops: dict[str, bytes] = field(default_factory=dict)
    inked: dict[str, bool] = field(default_factory=dict)
    unreadable: list[str] = field(default_factory=list)  # ink that reads as no text (a handwritten signature)
    boxless: list[str] = field(default_factory=list)  # checklist items whose tick box was not found
    signed: list[str] = field(default_factory=list)  # signatures read as text: a person checks them


def _read_cells(model: type[FormModel], placed: list[Placed], pages: list[Any], em: float) -> _Read:
    out = _Read()
    signs = {name for name, info in model.model_fields.items() if field_meta(info).get("sign")}
    pending: list[tuple[Cell, str, Any, list[Any], list[list[tuple[int, int, int, int]]]]] = []
    for p in placed:
        for i, cell in enumerate(p.layout.cells):
            if cell.kind in ("label", "blank", "notes"):
                continue
            parts = [crop(pages[p.row.page], p.row.box(i))] + [crop(pages[q.page], q.box(i)) for q in p.parts]
            path = cell.path.format(i=p.item) if p.item is not None else cell.path
            row = (p.table.name, p.item) if p.item is not None else None
            if cell.kind == "checklist":  # its lines may go on over a page break
                ticks = [tick for part in parts for tick in checklist_ticks(part, em)][:len(cell.items)]
                for (item_path, _), ticked in zip(cell.items, ticks):
                    out.values.append(RawValue(item_path, ticked, OCR, 0.99))
                boxless = [item_path for item_path, _ in cell.items[len(ticks):]]
                if boxless:
                    out.boxless += boxless
                    out.crops.update(dict.fromkeys(boxless, png(_stack(parts))))  # one image for them all
                continue
            if cell.control == "checkbox":
                state = tick_state(parts[0])
                out.values.append(RawValue(path, bool(state), OCR, 0.99 if state is not None else 0.5, row=row))
                continue
            inked = any(has_ink(part, em) for part in parts)
            out.inked[path] = inked
            if inked:
                pending.append((cell, path, row, parts, [text_lines(part, em) for part in parts]))
    # every line of every inked cell in one batch
    crops = [c for *_, parts, lines in pending for part, ls in zip(parts, lines) for c in line_crops(part, ls, em)]
    results = iter(recognise_many(crops, em))
    for cell, path, row, parts, lines in pending:
        texts, conf = [], 1.0
        for part, ls in zip(parts, lines):
            text, score = join_lines(part, ls, [next(results) for _ in ls], em)
            if text:
                texts.append(text)
            conf = min(conf, score)
        text = "\n".join(texts)
        if not text:
            out.unreadable.append(path)
            out.crops[path] = png(parts[0])
            continue
        if cell.kind == "roles":
            for role_path, value in split_roles(cell, text).items():
                out.values.append(RawValue(role_path, value, OCR, round(conf, 3)))
                if conf < REVIEW_BELOW:
                    out.crops[role_path] = png(parts[0])
            continue
        out.values.append(RawValue(path, _as_control(cell.control, text), OCR, round(conf, 3), row=row))
        if conf < REVIEW_BELOW or path in signs:  # a signature is handwriting, however sure its reading
            out.crops[path] = png(parts[0] if len(parts) == 1 else _stack(parts))
            if conf >= REVIEW_BELOW:
                out.signed.append(path)
    return out


_DATE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def _as_control(control: str, text: str) -> str:
    """What the cell's control allows: a date control holds a date as the
    form prints it (2026年3月5日), so a speck read as . or ' inside it is
    dropped, and O or o is a 0; other text is kept as read."""
    if control == "date" and not _DATE.fullmatch(text):
        digits = re.sub(r"[^0-9年月日]", "", text.replace("O", "0").replace("o", "0"))
        if _DATE.fullmatch(digits):
            return digits
    return text


def _stack(parts: list[Any]) -> Any:
    np = _need("numpy")
    width = max(p.shape[1] for p in parts)
    return np.vstack([np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=255) for p in parts])


def stamp_present(red_masks: list[Any], unit: float) -> bool:
    """A red stamp: a large blob of red ink (≥ ~1.5 cm across) on some page."""
    cv2 = _need("cv2")
    np = _need("numpy")
    for mask in red_masks:
        if int(mask.sum()) < 2000 * unit * unit:
            continue
        m = cv2.dilate(mask.astype(np.uint8), np.ones((9, 9), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats(m, connectivity=8)
        if any(w >= 110 * unit and h >= 110 * unit for _, _, w, h, _ in stats[1:n]):
            return True
    return False


@timed("扫描件")
def parse_scan(data: bytes, form: str | None = None, *, name: str | None = None) -> ParsedForm:
    """Parse a scanned or photographed form (image-only PDF, JPG, PNG)."""
    label = name or "扫描件"
    pages_rgb = load_pages(data, label)
    identity: dict[str, Any] = dict.fromkeys(("form", "schema_version", "project_code", "document_id"))
    grays, reds, rows = [], [], []
    notices: list[str] = []
    for number, rgb in enumerate(pages_rgb):
        check_time()
        ident, angle = find_qr(rgb)
        if ident and not identity["form"]:
            identity.update(ident)
        rgb = drop_specks(rgb)
        if angle is None:
            gray0, _ = split_red(rgb)
            angle = skew_by_rulings(gray0)
        if abs(angle) > 0.05:
            rgb = rotate(rgb, angle)
        rgb = even_light(rectify(rgb))  # a photo: flat, 200 dpi, even light
        gray, red = split_red(rgb)
        gray = dark_ink(gray)  # and ink as dark as a scan's
        page_rows, clean = table_rows(gray, number)
        grays.append(clean)
        reds.append(red)
        rows += page_rows
    spec = _which_form(identity, form, label)
    version = identity.get("schema_version") or spec.version
    model = spec.model_for(version)
    if not rows:
        raise NotAFormError(f"{label}：扫描件中没有找到{spec.title}的表格，无法读取（请确认扫描完整、清晰）")
    unit = grays[0].shape[1] / 1654
    em = 29 * unit  # 10.5 pt at 200 dpi
    placed, notes = place_rows(model, rows, grays)
    notices += notes
    read = _read_cells(model, placed, grays, em)
    values = read.values
    if spec.id == "acceptance" or "customer_stamped" in model.model_fields:
        values, more = _signatures_and_stamp(model, read, stamp_present(reds, unit))
        notices += more
    reading = read_values(model, values)
    notices.insert(0, f"扫描件，已按{spec.title}的版式识别（OCR）{len(values)} 项，请核对置信度较低的值")
    problems = [Problem(path, label_for(model, path),
                        f"识别把握不大（置信度 {reading.confidence.get(path, 0):.2f}），请对照原件核对", kind="ocr")
                for path in read.crops if path in reading.confidence and path not in read.signed]
    said = {v.path: v.value for v in read.values}
    problems += [Problem(path, label_for(model, path), f"签字处的笔迹识别为“{said[path]}”，签名请对照原件核对", kind="ocr")
                 for path in read.signed]
    problems += [Problem(path, label_for(model, path), "此处有笔迹，但无法识别为文字，请对照原件核对", kind="ocr")
                 for path in read.unreadable]
    problems += [Problem(path, label_for(model, path), "没有找到这一项的勾选框，无法判断是否勾选，请对照原件核对", kind="ocr")
                 for path in read.boxless]
    problems += missing_rows(model, (path for p in placed if p.item is None for path in row_paths(p.layout)), "扫描件")
    parsed = finish(spec, identity, reading, notices=notices, problems=problems)
    parsed.crops = {p: c for p, c in read.crops.items()
                    if p in reading.confidence or p in read.unreadable or p in read.boxless}
    return parsed


def _signatures_and_stamp(model: type[FormModel], read: _Read, stamped: bool) -> tuple[list[RawValue], list[str]]:
    notes = []
    for name, info in model.model_fields.items():
        if field_meta(info).get("sign"):
            state = {True: "有笔迹", False: "空白"}.get(read.inked.get(name), "未能读取（扫描件中没有找到这一行），请对照原件核对")
            notes.append(f"{info.title}：签字处{state}")
    values = [v for v in read.values if v.path != "customer_stamped"]
    ticked = next((v.value for v in read.values if v.path == "customer_stamped"), False)
    if stamped:
        notes.append("检测到红色印章（客户已盖章）")
        values.append(RawValue("customer_stamped", True, OCR, 0.95))
    else:
        if ticked:
            notes.append("勾选了“客户已盖章”，但扫描件上没有检测到红色印章，请核对")
        values.append(RawValue("customer_stamped", bool(ticked), OCR, 0.9))
    return values, notes


def _which_form(identity: dict[str, Any], form: str | None, label: str) -> Any:
    spec = named_form(identity, form, label, where="二维码")
    if spec is None:
        raise NotAFormError(f"{label}：没有找到表单的二维码，无法确定是哪一份表单（可用 --form 指定表单名称）")
    return spec


@timed("扫描件")
def inspect_scan(data: bytes, *, name: str | None = None) -> dict[str, Any]:
    """What a scan says about itself: pages, and the identity in its QR code."""
    pages = load_pages(data, name or "扫描件")
    identity: dict[str, Any] = dict.fromkeys(("form", "schema_version", "project_code", "document_id"))
    angle = None
    for rgb in pages:
        check_time()
        ident, found_angle = find_qr(rgb)
        if ident:
            identity.update(ident)
            angle = found_angle
            break
    return {"identity": identity, "pages": len(pages), "size": list(pages[0].shape[1::-1]) if pages else None,
            "qr_rotation": round(angle, 2) if angle is not None else None}


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        for module in ("numpy", "cv2", "zxingcpp", "rapidocr"):
            __import__(module)
    except ImportError:
        return False
    return True


__all__ = ["REVIEW_BELOW", "inspect_scan", "parse_scan"]
