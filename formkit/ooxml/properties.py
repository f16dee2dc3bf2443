"""Document properties: read custom and core properties, write custom ones."""

from __future__ import annotations

import re

from lxml import etree

from formkit.errors import NotAFormError
from formkit.ooxml._parts import has_override, rewrite, serialize, with_override, with_relationship
from formkit.ooxml._xml import NS, RT_CORE_PROPERTIES, RT_CUSTOM_PROPERTIES, label, qn
from formkit.ooxml._zipsafe import UNREADABLE
from formkit.ooxml.package import Package, open_package

CUSTOM_PART = "docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _target(package: Package, rtype: str, default: str) -> str | None:
    for rt, target in package.relationships(None):
        if rt == rtype and package.has_part(target):
            return target
    return default if package.has_part(default) else None


def read_custom_properties(package: Package) -> dict[str, str]:
    """Name -> value of docProps/custom.xml; any vt: type becomes its text."""
    part = _target(package, RT_CUSTOM_PROPERTIES, CUSTOM_PART)
    if part is None:
        return {}
    props: dict[str, str] = {}
    for prop in package.xml(part).iter(qn("op:property")):
        name = prop.get("name")
        value = next((c for c in prop if isinstance(c.tag, str)), None)
        if not name or value is None:
            continue
        if etree.QName(value).localname in ("vector", "array"):
            props[name] = ", ".join(t for t in (e.text for e in value.iter()) if t and t.strip())
        else:
            props[name] = "".join(value.itertext())
    return props


def read_core_properties(package: Package) -> dict[str, str]:
    """Local name -> text of docProps/core.xml (title, creator, created, modified …)."""
    part = _target(package, RT_CORE_PROPERTIES, "docProps/core.xml")
    if part is None:
        return {}
    out: dict[str, str] = {}
    for child in package.xml(part):
        if isinstance(child.tag, str):
            out[etree.QName(child).localname] = "".join(child.itertext())
    return out


def write_custom_properties(docx_bytes: bytes, props: dict[str, str]) -> bytes:
    """A copy of the package with `props` set as string custom properties.

    Same-name properties are replaced in place; the part, its content-type
    Override and the package relationship are created when missing. Every other
    member is copied unchanged, in the same order, with the same zip metadata.
    """
    for key, value in props.items():
        if not isinstance(key, str) or not key or not isinstance(value, str):
            raise TypeError("自定义属性的名称和值都必须是非空字符串")
        if _XML_ILLEGAL.search(key + value):
            raise ValueError(f"自定义属性 {key!r} 含有 XML 不允许的控制字符")
    with open_package(docx_bytes) as pkg:
        if not pkg.has_part("[Content_Types].xml"):
            raise NotAFormError("文件已损坏或不是 Word 文档（.docx）：缺少 [Content_Types].xml。")
        part = _target(pkg, RT_CUSTOM_PROPERTIES, CUSTOM_PART)
        replaced: dict[str, bytes] = {}
        if part is None:
            part = CUSTOM_PART
            replaced["_rels/.rels"] = with_relationship(pkg, "_rels/.rels", RT_CUSTOM_PROPERTIES, part)
            root = etree.Element(qn("op:Properties"), nsmap={None: NS["op"], "vt": NS["vt"]})
        else:
            root = pkg.xml(part)
        if not has_override(pkg, "/" + part):
            replaced["[Content_Types].xml"] = with_override(pkg, "/" + part, CUSTOM_CT)
        _set_properties(root, props)
        replaced[part] = serialize(root)
        try:
            return rewrite(docx_bytes, replaced)
        except UNREADABLE as e:
            raise NotAFormError(f"文件已损坏或不是 Word 文档（.docx）：{label(pkg.name)}有部件无法解压。") from e


def _set_properties(root: etree._Element, props: dict[str, str]) -> None:
    existing = root.findall(qn("op:property"))
    pids = [int(p.get("pid")) for p in existing if (p.get("pid") or "").isdigit()]
    next_pid = max(pids + [1]) + 1
    for name, value in props.items():
        same = [p for p in existing if p.get("name") == name]
        for extra in same[1:]:
            root.remove(extra)
        if same:
            prop = same[0]
            for child in list(prop):
                prop.remove(child)
        else:
            prop = etree.SubElement(root, qn("op:property"), fmtid=FMTID, pid=str(next_pid), name=name)
            next_pid += 1
        etree.SubElement(prop, qn("vt:lpwstr")).text = value




