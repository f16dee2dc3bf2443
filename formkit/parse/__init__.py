"""Readers of returned forms, one per format, and the one place that
dispatches between them by what a file is (its first bytes), not its name.

    .docx/.docm  formkit.parse.docx   content controls, else labels
    .doc/.rtf/.odt formkit.parse.converted  LibreOffice -> .docx -> the .docx reader
    PDF          formkit.parse.pdf    form fields, else text layer; image-only -> scan
    JPG/PNG/TIFF formkit.parse.scan   QR code, layout, OCR

PDF and scan readers are imported only when a file needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formkit.errors import NotAFormError
from formkit.parse.values import ParsedForm

_IMAGES = {b"\xff\xd8\xff": "jpeg", b"\x89PNG\r\n\x1a\n": "png", b"II*\x00": "tiff", b"MM\x00*": "tiff",
           b"BM": "bmp"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """"docx", "pdf", "image" or "unknown", from the content."""
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if b"%PDF-" in head:
        return "pdf"
    if any(head.startswith(magic) for magic in _IMAGES):
        return "image"
    return "unknown"


def parse_bytes(data: bytes, name: str, form: str | None = None) -> ParsedForm:
    """Parse a returned form of any supported kind; NotAFormError otherwise."""
    kind = sniff(data)
    if kind == "pdf":
        from formkit.parse.pdf import parse_pdf

        return parse_pdf(data[data.find(b"%PDF-"):], form, name=name)
    if kind == "image":
        from formkit.parse.scan import parse_scan

        return parse_scan(data, form, name=name)
    from formkit.parse.converted import kind_of, parse_converted

    other = kind_of(data)
    if other is not None:  # .doc (also .wps), RTF, .odt; or a password / damaged OLE file: said at once
        return parse_converted(data, other, name, form)
    if kind == "docx" or data.startswith(_OLE) or Path(name).suffix.lower() in (".docx", ".docm", ".doc"):
        # another OLE file (.xls, .ppt …): the .docx reader says what it is
        from formkit.parse.docx import parse_docx

        return parse_docx(data, form, name=name)
    raise NotAFormError(f"{name}：不是可读取的表单文件（支持 Word .docx、PDF、JPG/PNG 扫描件）")


def parse_path(path: Path, form: str | None = None) -> ParsedForm:
    try:
        data = path.read_bytes()
    except FileNotFoundError as e:
        raise NotAFormError(f"找不到文件 {path}") from e
    except OSError as e:
        raise NotAFormError(f"{path}：无法读取文件（{e.strerror or e}）") from e
    return parse_bytes(data, str(path), form)


def inspect_path(path: Path) -> dict[str, Any]:
    """What formkit can tell about a file: a .docx's controls, a PDF's
    identity, form fields and text, a scan's QR identity."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise NotAFormError(f"{path}：无法读取文件（{e.strerror or e}）") from e
    kind = sniff(data)
    if kind == "pdf":
        from formkit.parse.pdf import inspect_pdf

        info = inspect_pdf(data[data.find(b"%PDF-"):], name=str(path))
        if info["scanned"]:
            from formkit.parse.scan import inspect_scan

            info["scan"] = inspect_scan(data, name=str(path))
            info["identity"] = info["scan"]["identity"]
        return {"kind": "pdf", **info}
    if kind == "image":
        from formkit.parse.scan import inspect_scan

        return {"kind": "image", **inspect_scan(data, name=str(path))}
    from formkit import ooxml

    return ooxml.inspect(str(path))


__all__ = ["ParsedForm", "inspect_path", "parse_bytes", "parse_path", "sniff"]
