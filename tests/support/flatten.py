"""A .docx as software that flattens forms leaves it: every content control
unwrapped (its content kept in place, the w:sdt gone)."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def unwrap_controls(content: bytes) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(data)
                for sdt in list(root.iter(f"{W}sdt")):
                    parent, at = sdt.getparent(), sdt.getparent().index(sdt)
                    content_el = sdt.find(f"{W}sdtContent")
                    for child in list(content_el if content_el is not None else []):
                        parent.insert(at, child)
                        at += 1
                    parent.remove(sdt)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return out.getvalue()
