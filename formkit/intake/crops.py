"""Crops of page regions a reader was unsure of, kept for the person who reviews.

Stored next to the originals: FORMKIT_HOME/crops/<first 16 hex of the
original's sha256>/<field path>.png. The review problem names the file.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from formkit.config import settings
from formkit.parse.values import ParsedForm


def save_crops(parsed: ParsedForm, data: bytes) -> dict[str, Path]:
    """Write every crop of ``parsed``; {path: file}."""
    if not parsed.crops:
        return {}
    folder = settings().home / "crops" / hashlib.sha256(data).hexdigest()[:16]
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for path, png in parsed.crops.items():
        target = folder / (re.sub(r"[^A-Za-z0-9_.\[\]-]", "_", path) + ".png")
        target.write_bytes(png)
        out[path] = target
    return out
