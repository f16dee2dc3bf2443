"""Scans made from rendered forms: rasterised, noisy, rotated, stamped.

render -> LibreOffice PDF -> pages at 200 dpi -> a red stamp on the last page
(over the signature block), a small rotation, grain and salt-and-pepper noise,
JPEG artefacts when saved as JPG. Deterministic for a seed.
"""

from __future__ import annotations

import io
import math
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def pages_of(pdf: Path, dpi: int = 200) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72).to_pil().convert("RGB") for i in range(len(doc))]
    finally:
        doc.close()


def stamp_image(size: int = 300, text: str = "客户专用章") -> Image.Image:
    """A round red company stamp (transparent background)."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    red = (220, 30, 40, 230)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=max(6, size // 40))
    c = size / 2
    r = size * 0.12
    star = [(c + r * math.cos(math.pi / 2 + k * 4 * math.pi / 5), c - r * math.sin(math.pi / 2 + k * 4 * math.pi / 5))
            for k in range(5)]
    draw.polygon(star, fill=red)
    try:
        font = ImageFont.truetype(FONT, size // 9)
    except OSError:
        font = ImageFont.load_default()
    draw.text((c, c + size * 0.25), text, fill=red, font=font, anchor="mm")
    draw.text((c, c - size * 0.3), "杭州滨江科技园区", fill=red, font=font, anchor="mm")
    return img


def degrade(page: Image.Image, *, seed: int, angle: float = 1.5, stamp_at: tuple[float, float] | None = None,
            noise: float = 10.0) -> Image.Image:
    rng = random.Random(seed)
    img = page.convert("RGB")
    if stamp_at is not None:
        stamp = stamp_image(int(img.width * 0.19))
        x, y = int(img.width * stamp_at[0]), int(img.height * stamp_at[1])
        layer = Image.new("RGBA", img.size, (0, 0, 0, 0))
        layer.paste(stamp, (x, y), stamp)
        arr = np.asarray(img).astype(np.float32)
        lay = np.asarray(layer).astype(np.float32)
        alpha = lay[..., 3:4] / 255
        multiplied = arr * (1 - alpha) + arr * (lay[..., :3] / 255) * alpha
        img = Image.fromarray(multiplied.clip(0, 255).astype(np.uint8))
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=(255, 255, 255))
    arr = np.asarray(img).astype(np.float32)
    gen = np.random.default_rng(seed)
    arr += gen.normal(0, noise, arr.shape[:2])[..., None]
    salt = gen.random(arr.shape[:2])
    arr[salt < 0.0015] = 0
    arr[salt > 0.9985] = 255
    del rng
    return Image.fromarray(arr.clip(0, 255).astype(np.uint8))


def _over_last_table(page: Image.Image) -> tuple[float, float]:
    """Where the stamp goes: over the left half of the page's last table rows
    (the signature block of 项目验收单)."""
    gray = np.asarray(page.convert("L"))
    ruled = np.flatnonzero((gray < 128).mean(axis=1) > 0.5)
    bottom = ruled.max() / page.height if len(ruled) else 0.5
    return 0.2, max(0.05, bottom - 0.12)


def photograph(page: Image.Image, *, seed: int, scale: float = 0.75, warp: float = 0.04,
               shade: float = 0.25) -> Image.Image:
    """A phone photo of a page lying on a desk: the page not square to the
    camera (its corners pulled in by up to ``warp`` of its size: a mild
    perspective), lower resolution (``scale``), lit unevenly (one corner
    ``shade`` darker), on a dark desk, with sensor noise."""
    import cv2

    rng = np.random.default_rng(seed)
    arr = np.asarray(page.convert("RGB")).astype(np.float32)
    h, w = arr.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    light = 1 - shade * (xx / w + yy / h) / 2
    arr = arr * light[..., None]
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    pull = rng.uniform(0.3, 1.0, (4, 2)) * warp * np.float32([w, h])
    sign = np.float32([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    frame = (int(w * scale * 1.08), int(h * scale * 1.08))
    dst = ((src + pull * sign) * scale + np.float32([w, h]) * scale * 0.04).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(src, dst)
    photo = cv2.warpPerspective(arr, matrix, frame, flags=cv2.INTER_AREA, borderValue=(70, 60, 55))
    photo += rng.normal(0, 5, photo.shape[:2])[..., None]
    return Image.fromarray(photo.clip(0, 255).astype(np.uint8))


def scan_of(pdf: Path, *, seed: int, stamp: bool = True, angle: float = 1.5,
            photographed: bool = False) -> list[Image.Image]:
    """Each page scanned (noise, ``angle`` of rotation, a red stamp on the
    last page), or ``photographed`` by a phone (see photograph())."""
    pages = pages_of(pdf)
    out = []
    for i, page in enumerate(pages):
        last = i == len(pages) - 1
        where = _over_last_table(page) if stamp and last else None
        scanned = degrade(page, seed=seed + i, angle=angle, stamp_at=where, noise=4.0 if photographed else 10.0)
        out.append(photograph(scanned, seed=seed + i) if photographed else scanned)
    return out


def save(pages: list[Image.Image], path: Path) -> Path:
    """.png/.jpg (first page only) or .pdf (image-only, every page)."""
    if path.suffix.lower() == ".pdf":
        pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    elif path.suffix.lower() in (".jpg", ".jpeg"):
        pages[0].save(path, format="JPEG", quality=85)
    else:
        pages[0].save(path, format="PNG")
    return path


def to_bytes(pages: list[Image.Image], fmt: str = "PDF") -> bytes:
    out = io.BytesIO()
    if fmt == "PDF":
        pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    else:
        pages[0].save(out, format=fmt)
    return out.getvalue()
