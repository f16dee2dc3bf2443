"""Writing parts of a package: rezip with replaced parts, add a content-type
override, add a relationship. Shared by custom properties, comments and fill."""

from __future__ import annotations

import copy
import io
import posixpath
import zipfile

from lxml import etree

from formkit.ooxml._xml import NS, qn
from formkit.ooxml.package import Package


def serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def rewrite(docx_bytes: bytes, replaced: dict[str, bytes]) -> bytes:
    """The package with ``replaced`` parts (new ones added), everything else byte for byte."""
    pending = {posixpath.normpath(k).lower(): (k, v) for k, v in replaced.items()}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            new = pending.pop(info.filename.lower(), None)
            data = zin.read(info) if new is None else new[1]
            clone = zipfile.ZipInfo(info.filename, info.date_time)
            clone.compress_type, clone.external_attr = info.compress_type, info.external_attr
            clone.comment, clone.create_system = info.comment, info.create_system
            zout.writestr(clone, data)
        for name, data in pending.values():
            zout.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def has_override(pkg: Package, partname: str) -> bool:
    types = pkg.xml("[Content_Types].xml")
    return any((o.get("PartName") or "").lower() == partname.lower() for o in types.iter(qn("ct:Override")))


def with_override(pkg: Package, partname: str, content_type: str) -> bytes:
    """[Content_Types].xml with an Override for ``partname``."""
    types = copy.deepcopy(pkg.xml("[Content_Types].xml"))
    etree.SubElement(types, qn("ct:Override"), PartName=partname, ContentType=content_type)
    return serialize(types)


def with_relationship(pkg: Package, rels_name: str, rel_type: str, target: str) -> bytes:
    """The relationships part ``rels_name`` with one relationship of ``rel_type`` to
    ``target`` (replacing stale ones of that type, which pointed at a missing part)."""
    if pkg.has_part(rels_name):
        rels = copy.deepcopy(pkg.xml(rels_name))
    else:
        rels = etree.Element(qn("rel:Relationships"), nsmap={None: NS["rel"]})
    for stale in [r for r in rels if r.get("Type") == rel_type]:
        rels.remove(stale)
    ids = {r.get("Id") for r in rels}
    n = 1
    while f"rId{n}" in ids:
        n += 1
    etree.SubElement(rels, qn("rel:Relationship"), Id=f"rId{n}", Type=rel_type, Target=target)
    return serialize(rels)
