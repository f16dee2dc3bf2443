"""A rendered form as a read-only copy: every content control replaced by what it shows.

Used for archive copies (the project dossier): the values stay exactly where
the form prints them, but nothing can be filled in any more. A control still
showing its grey prompt becomes an empty spot; rows of a list that hold
nothing (the spare rows a blank form offers) are dropped, keeping one when
the whole list is empty so the table keeps its shape.
"""

from __future__ import annotations

import copy

from lxml import etree

from formkit.ooxml._stream import W_SDT, W_SDT_CONTENT, W_TBL, W_TR
from formkit.ooxml._xml import qn
from formkit.ooxml.package import open_package

_SDT_PR = qn("w:sdtPr")
_PLACEHOLDER = qn("w:showingPlcHdr")
_CHECKBOX, _CHECKED = qn("w14:checkbox"), qn("w14:checked")
_T, _SECT_PR = qn("w:t"), qn("w:sectPr")


def read_only_body(docx: bytes) -> list[etree._Element]:
    """The body of ``docx`` (its children, without the section properties), with
    every content control unwrapped. The elements are copies, free to move."""
    with open_package(docx) as pkg:
        root = copy.deepcopy(pkg.xml(pkg.main_part))
    body = root.find(qn("w:body"))
    if body is None:
        return []
    for table in list(body.iter(W_TBL)):
        _drop_spare_rows(table)
    for sdt in list(body.iter(W_SDT)):
        _unwrap(sdt)
    return [child for child in body if child.tag != _SECT_PR]


def _empty(sdt: etree._Element) -> bool:
    """Shows only its prompt, or is an unticked box."""
    pr = sdt.find(_SDT_PR)
    if pr is None:
        return False
    if pr.find(_PLACEHOLDER) is not None:
        return True
    box = pr.find(_CHECKBOX)
    if box is not None:
        checked = box.find(_CHECKED)
        return checked is None or checked.get(qn("w14:val"), "0") in ("0", "false")
    return False


def _own_text(tr: etree._Element) -> str:
    """The row's text outside content controls (labels, fixed wording)."""
    parts = []
    for t in tr.iter(_T):
        if not any(a.tag == W_SDT for a in t.iterancestors()):
            parts.append(t.text or "")
    return "".join(parts).strip()


def _drop_spare_rows(table: etree._Element) -> None:
    rows = [tr for tr in table.findall(W_TR) if tr.find(f".//{W_SDT}") is not None]  # not the header
    spare = [tr for tr in rows if all(_empty(s) for s in tr.iter(W_SDT)) and not _own_text(tr)]
    if spare and len(spare) == len(rows):
        spare = spare[1:]
    for tr in spare:
        table.remove(tr)


def _unwrap(sdt: etree._Element) -> None:
    parent = sdt.getparent()
    if parent is None:
        return
    index = parent.index(sdt)
    content = sdt.find(W_SDT_CONTENT)
    keep = [] if content is None or _placeholder(sdt) else list(content)
    for offset, child in enumerate(keep):
        parent.insert(index + offset, child)
    parent.remove(sdt)


def _placeholder(sdt: etree._Element) -> bool:
    pr = sdt.find(_SDT_PR)
    return pr is not None and pr.find(_PLACEHOLDER) is not None
