"""`inspect`: everything formkit can tell about a returned .docx, as plain data."""

from __future__ import annotations

import re
from typing import Any

from formkit.ooxml._stream import text_of
from formkit.ooxml.changes import tracked_changes
from formkit.ooxml.controls import read_controls
from formkit.ooxml.legacy import read_legacy_fields
from formkit.ooxml.package import Package, Source, open_package

IDENTITY_PROPERTIES = {
    "form": "formkit.form",
    "schema_version": "formkit.schema_version",
    "project_code": "formkit.project_code",
    "document_id": "formkit.document_id",
}
# Footer line written by render: 表单 <form> · 版本 <v> · 项目 <code> · 文档 <id>
_FOOTER_KEYS = {"表单": "form", "版本": "schema_version", "项目": "project_code", "文档": "document_id"}
_FOOTER_SEPARATORS = re.compile(r"\s*[·・•|｜]\s*")


def inspect(source: Source | Package) -> dict[str, Any]:
    """Identity, content controls, legacy fields and pending tracked changes of a .docx.

    Raises NotAFormError (or UnsafeFileError) for files that are not a readable
    .docx; never for a readable one.
    """
    if isinstance(source, Package):
        return _inspect(source)
    with open_package(source) as package:
        return _inspect(package)


def _inspect(package: Package) -> dict[str, Any]:
    return {
        "identity": read_identity(package),
        "controls": [
            {
                "tag": c.tag,
                "alias": c.alias,
                "type": c.type,
                "value": c.value,
                "checked": c.checked,
                "showing_placeholder": c.showing_placeholder,
                "part": c.part,
            }
            for c in read_controls(package)
        ],
        "legacy_fields": [
            {"name": f.name, "type": f.type, "value": f.value, "checked": f.checked, "default": f.default, "part": f.part}
            for f in read_legacy_fields(package)
        ],
        "tracked_changes": tracked_changes(package),
    }


def read_identity(package: Package) -> dict[str, str | None]:
    """form, schema_version, project_code, document_id: from the custom properties,
    each missing one filled from the footer line, else None."""
    props = package.custom_properties()
    found: dict[str, str | None] = {key: (props.get(prop) or "").strip() or None for key, prop in IDENTITY_PROPERTIES.items()}
    if all(found.values()):
        return found
    footer = _footer_identity(package)
    return {key: value or footer.get(key) for key, value in found.items()}


identity = read_identity  # the name formkit.parse.docx imports today; prefer ooxml.read_identity


def _footer_identity(package: Package) -> dict[str, str]:
    for kind, part in package.story_parts():
        if kind != "footer":
            continue
        for line in text_of(package.xml(part)).splitlines():
            parsed = _parse_identity_line(line)
            if parsed:
                return parsed
    return {}


def _parse_identity_line(line: str) -> dict[str, str]:
    """'表单 立项申请表 · 版本 2 · 项目 P-01 · 文档 D-9' -> {form: …, schema_version: …, …}."""
    line = " ".join(line.split())
    start = line.find("表单")
    if start < 0:
        return {}
    line = line[start:]
    out: dict[str, str] = {}
    for piece in _FOOTER_SEPARATORS.split(line):
        for word, key in _FOOTER_KEYS.items():
            if piece.startswith(word):
                value = piece[len(word) :].strip(" ：:")
                if value:
                    out[key] = value
    return out
