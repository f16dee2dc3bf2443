"""The QR code a rendered form carries: its identity, readable from a scan.

Payload: ``FK1|form|schema_version|project_code|document_id`` (FK1 names
this format). segno makes the symbol (pure Python, no dependencies); the
mask is fixed so making one costs about a millisecond.
"""

from __future__ import annotations

import io

import segno

QR_PREFIX = "FK1"
QR_SIZE_CM = 1.6
QR_PLACEHOLDER = f"{QR_PREFIX}|template"


def qr_payload(form: str, version: str, project_code: str, document_id: str) -> str:
    return "|".join((QR_PREFIX, form, version, project_code, document_id))


def parse_qr_payload(text: str) -> dict[str, str] | None:
    """The identity in a decoded QR text, or None when it is not one of ours."""
    parts = text.strip().split("|")
    if len(parts) != 5 or parts[0] != QR_PREFIX:
        return None
    return dict(zip(("form", "schema_version", "project_code", "document_id"), parts[1:]))


def qr_png(payload: str) -> bytes:
    symbol = segno.make(payload, error="m", micro=False, boost_error=False, mask=2)
    out = io.BytesIO()
    symbol.save(out, kind="png", scale=6, border=2)
    return out.getvalue()
