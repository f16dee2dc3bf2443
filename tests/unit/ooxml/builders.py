"""Build small .docx files in memory: a python-docx document with injected XML."""

from __future__ import annotations

import io
import zipfile

import docx
from lxml import etree

NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)


def fragment(xml: str) -> list[etree._Element]:
    """Elements of a WordprocessingML fragment written with the usual prefixes."""
    return list(etree.fromstring(f"<root {NSDECL}>{xml}</root>"))


def build_docx(body: str = "", *, footer: str | None = None, header_xml: str | None = None) -> bytes:
    """A python-docx document whose body gets `body` (raw XML) before w:sectPr."""
    document = docx.Document()
    sect_pr = document.element.body.sectPr
    for el in fragment(body):
        sect_pr.addprevious(el)
    if footer is not None:
        document.sections[0].footer.paragraphs[0].text = footer
    if header_xml is not None:
        header = document.sections[0].header
        header.paragraphs[0]._p.getparent().remove(header.paragraphs[0]._p)
        for el in fragment(header_xml):
            header._element.append(el)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def rezip(data: bytes, replace: dict[str, bytes | None] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """Copy a zip, replacing (None: dropping) some members and adding others."""
    replace, add = replace or {}, add or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            new = replace.get(info.filename, zin.read(info))
            if new is not None:
                zout.writestr(info.filename, new)
        for name, payload in add.items():
            zout.writestr(name, payload)
    return out.getvalue()


def sdt(content: str, pr: str = "") -> str:
    return f"<w:sdt><w:sdtPr>{pr}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
