"""Render many documents from one template fast.

docxtpl opens the template with python-docx, cleans its XML with a dozen
regular expressions, compiles it with Jinja, renders it, parses the result
back into python-docx and serialises the whole package: on every document.
Here that preparation happens once per template: the patched XML of the body
and of each header/footer is compiled once (with docxtpl's own patching, so
the output is the same), and each document is only a Jinja render plus a zip
of parts whose bytes are already known.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import jinja2
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docxtpl import DocxTemplate
from xml.sax.saxutils import escape

_BODY = re.compile(rb"<w:body\b.*</w:body>", re.DOTALL)
_P_OPEN = re.compile(r"<w:p([ >])")
_P_CLOSE = re.compile(r"\n<w:p([ >])")
_LISTING_CHARS = ("\t", "\n", "\a", "\f")

CUSTOM_PART = "docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


@dataclass
class _Part:
    name: str
    head: bytes  # bytes before the rendered XML
    tail: bytes
    template: jinja2.Template


class CompiledTemplate:
    """A .docx template prepared once; ``render(context)`` makes one document."""

    def __init__(self, template: bytes, env: jinja2.Environment, media: dict[str, bytes] | None = None) -> None:
        """``media`` names placeholder images (key -> their bytes in the template)
        that each document replaces (its QR code)."""
        tpl = DocxTemplate(io.BytesIO(template))
        tpl.init_docx()
        self._listing = tpl  # docxtpl's resolve_listing, used when a value has a tab
        self._static: list[tuple[zipfile.ZipInfo, bytes]] = []
        self._parts: dict[str, _Part] = {}
        with zipfile.ZipFile(io.BytesIO(template)) as z:
            originals = {info.filename: (info, z.read(info)) for info in z.infolist()}
        document = tpl.docx.part.partname.lstrip("/")
        self._parts[document] = self._compile_body(originals[document][1], tpl, env)
        for rel in tpl.docx.part.rels.values():
            if rel.reltype in (RT.HEADER, RT.FOOTER) and rel.target_part.blob:
                name = rel.target_part.partname.lstrip("/")
                xml = tpl.get_part_xml(rel.target_part)
                self._parts[name] = _Part(name, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n',
                                          b"", env.from_string(_prepare(tpl, xml)))
        self._media = {key: next(n for n, (_, d) in originals.items() if d == data)
                       for key, data in (media or {}).items()}
        for name, (info, data) in originals.items():
            if name in self._parts or name == CUSTOM_PART or name in self._media.values():
                continue
            if name == "[Content_Types].xml" and CUSTOM_CT.encode() not in data:
                data = data.replace(b"</Types>", f'<Override PartName="/{CUSTOM_PART}" ContentType="{CUSTOM_CT}"/></Types>'.encode())
            if name == "_rels/.rels" and CUSTOM_RT.encode() not in data:
                data = data.replace(b"</Relationships>",
                                    f'<Relationship Id="rIdFormkitCustom" Type="{CUSTOM_RT}" Target="{CUSTOM_PART}"/></Relationships>'.encode())
            self._static.append((info, data))

    def _compile_body(self, document_xml: bytes, tpl: DocxTemplate, env: jinja2.Environment) -> _Part:
        match = _BODY.search(document_xml)
        if match is None:
            raise ValueError("template has no w:body")
        source = _prepare(tpl, tpl.get_xml())
        return _Part("word/document.xml", document_xml[: match.start()], document_xml[match.end():],
                     env.from_string(source))

    def media_part(self, key: str) -> str:
        return self._media[key]

    def render(self, context: dict[str, Any], properties: dict[str, str],
               media: dict[str, bytes] | None = None) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for info, data in self._static:
                z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            for key, name in self._media.items():
                z.writestr(_dated(name), (media or {})[key], compress_type=zipfile.ZIP_STORED)
            for part in self._parts.values():
                xml = _P_CLOSE.sub(r"<w:p\1", part.template.render(context))
                if any(ch in xml for ch in _LISTING_CHARS):
                    xml = self._listing.resolve_listing(xml)
                z.writestr(_dated(part.name), part.head + xml.encode("utf-8") + part.tail)
            z.writestr(_dated(CUSTOM_PART), custom_properties_xml(properties))
        return out.getvalue()


def _dated(name: str) -> zipfile.ZipInfo:
    """A part stamped with a fixed date (not the clock), so that the same
    context renders the same bytes: a batch rendered by worker processes is
    the batch rendered in one process."""
    info = zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _prepare(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's own cleaning, exactly as its render() applies it."""
    return _P_OPEN.sub(r"\n<w:p\1", tpl.patch_xml(xml))


def custom_properties_xml(props: dict[str, str]) -> bytes:
    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name="{escape(name, {chr(34): "&quot;"})}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"{items}</Properties>").encode("utf-8")
