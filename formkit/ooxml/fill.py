"""Fill a form's content controls by tag, the way a person typing in Word does.

Used by the demo and by anyone scripting a returned form: the placeholder
flag goes, the prompt style goes, the value is typed (line breaks as w:br),
boxes are ticked with the glyph of their checked state, and a list that
needs more rows than the form has gets rows copied from its last row (the
tags repeat, as when a person copies a row).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree

from formkit.ooxml._xml import qn
from formkit.ooxml.package import open_package
from formkit.ooxml._parts import rewrite, serialize

_ROW_TAG = re.compile(r"^(?P<list>[^\[\]]+)\[(?P<index>\d+)\]\.(?P<field>.+)$")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def fill_controls(docx_bytes: bytes, values: dict[str, Any]) -> bytes:
    """``values`` maps tags to text (str), ticks (bool) or None (left as is)."""
    with open_package(docx_bytes) as pkg:
        part = pkg.main_part
        root = copy.deepcopy(pkg.xml(part))
    _add_rows(root, values)
    seen: dict[str, int] = {}
    for sdt in list(root.iter(qn("w:sdt"))):
        tag_el = sdt.find(f"{qn('w:sdtPr')}/{qn('w:tag')}")
        if tag_el is None:
            continue
        tag = tag_el.get(qn("w:val")) or ""
        key = tag
        m = _ROW_TAG.match(tag)
        if m:  # the n-th copy of a row control stands for row index + n
            n = seen.get(tag, 0)
            seen[tag] = n + 1
            key = f"{m['list']}[{int(m['index']) + n}].{m['field']}"
        if values.get(key) is not None:
            _fill(sdt, values[key])
    return rewrite(docx_bytes, {part: serialize(root)})


def _add_rows(root: etree._Element, values: dict[str, Any]) -> None:
    wanted: dict[str, int] = {}
    for key in values:
        m = _ROW_TAG.match(key)
        if m:
            wanted[m["list"]] = max(wanted.get(m["list"], 0), int(m["index"]) + 1)
    for name, count in wanted.items():
        rows = [tr for tr in root.iter(qn("w:tr"))
                if any((t.get(qn("w:val")) or "").startswith(f"{name}[") for t in tr.iter(qn("w:tag")))]
        if not rows:
            continue
        last = rows[-1]
        for _ in range(count - len(rows)):
            new = copy.deepcopy(last)
            last.addnext(new)
            last = new


def _fill(sdt: etree._Element, value: Any) -> None:
    pr = sdt.find(qn("w:sdtPr"))
    content = sdt.find(qn("w:sdtContent"))
    if pr is None or content is None:
        return
    box = pr.find(qn("w14:checkbox"))
    if box is not None:
        ticked = bool(value)
        checked = box.find(qn("w14:checked"))
        if checked is not None:
            checked.set(qn("w14:val"), "1" if ticked else "0")
        state = box.find(qn("w14:checkedState") if ticked else qn("w14:uncheckedState"))
        glyph = chr(int(state.get(qn("w14:val")), 16)) if state is not None else ("☑" if ticked else "☐")
        t = content.find(f".//{qn('w:t')}")
        if t is not None:
            t.text = glyph
        return
    flag = pr.find(qn("w:showingPlcHdr"))
    if flag is not None:
        pr.remove(flag)
    runs = content.findall(f".//{qn('w:r')}")
    template = copy.deepcopy(runs[0]) if runs else etree.Element(qn("w:r"))
    rpr = template.find(qn("w:rPr"))
    if rpr is not None:
        for prompt_style in (qn("w:rStyle"), qn("w:color")):
            node = rpr.find(prompt_style)
            if node is not None:
                rpr.remove(node)
    for child in list(content):
        content.remove(child)
    run = etree.SubElement(content, qn("w:r"))
    if rpr is not None:
        run.append(rpr)
    for n, line in enumerate(str(value).split("\n")):
        if n:
            etree.SubElement(run, qn("w:br"))
        t = etree.SubElement(run, qn("w:t"))
        t.text = line
        t.set(_XML_SPACE, "preserve")
