"""Fill a rendered form the way Word rewrites a document as people type.

Word splits runs at random, inserts proofing marks (w:proofErr), bookmarks
and rsid attributes, drops the placeholder flag and, when a row is added to
a table, copies the row with its controls (same tags). This module does
the same to a rendered .docx so the parser is tested against that XML.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable
import random
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"


def q(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{W if prefix == 'w' else W14}}}{local}"


def _runs_for(text: str, rng: random.Random, rpr: etree._Element | None) -> list[etree._Element]:
    """The text as several runs split at random, with proofing marks and breaks."""
    out: list[etree._Element] = []
    for n, line in enumerate(text.split("\n")):
        if n:
            br_run = etree.Element(q("w:r"))
            br_run.append(etree.Element(q("w:br")))
            out.append(br_run)
        cuts = sorted(rng.sample(range(1, len(line)), min(len(line) - 1, rng.randint(0, 3)))) if len(line) > 1 else []
        pieces = [line[a:b] for a, b in zip([0, *cuts], [*cuts, len(line)])] or [line]
        for piece in pieces:
            if rng.random() < 0.3:
                err = etree.Element(q("w:proofErr"))
                err.set(q("w:type"), "spellStart")
                out.append(err)
            r = etree.Element(q("w:r"))
            r.set(q("w:rsidR"), f"00{rng.randrange(16**6):06X}")
            if rpr is not None:
                r.append(copy.deepcopy(rpr))
            t = etree.SubElement(r, q("w:t"))
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            out.append(r)
    return out


def fill_sdt(sdt: etree._Element, value: object, rng: random.Random) -> None:
    pr = sdt.find(q("w:sdtPr"))
    content = sdt.find(q("w:sdtContent"))
    box = pr.find(q("w14:checkbox"))
    if box is not None:
        box.find(q("w14:checked")).set(q("w14:val"), "1" if value else "0")
        content.find(f".//{q('w:t')}").text = "☒" if value else "☐"
        return
    flag = pr.find(q("w:showingPlcHdr"))
    if flag is not None:
        pr.remove(flag)
    date = pr.find(q("w:date"))
    if date is not None and date.get(q("w:fullDate")) is not None:
        del date.attrib[q("w:fullDate")]  # typed, not picked: Word may not set it
    first = content.find(q("w:r"))
    rpr = first.find(q("w:rPr")) if first is not None else None
    if rpr is not None:
        style = rpr.find(q("w:rStyle"))
        if style is not None:
            rpr.remove(style)
        color = rpr.find(q("w:color"))
        if color is not None:
            rpr.remove(color)
    for child in list(content):
        content.remove(child)
    start = etree.SubElement(content, q("w:bookmarkStart"))
    start.set(q("w:id"), str(rng.randrange(1000)))
    start.set(q("w:name"), f"_Hlk{rng.randrange(10**8)}")
    for run in _runs_for(str(value), rng, rpr):
        content.append(run)
    end = etree.SubElement(content, q("w:bookmarkEnd"))
    end.set(q("w:id"), start.get(q("w:id")))


def add_rows(root: etree._Element, list_name: str, count: int) -> None:
    """Copy the last row of a list table ``count`` times, as a user adds rows."""
    tag_start = f"{list_name}["
    rows = [tr for tr in root.iter(q("w:tr"))
            if any((t.get(q("w:val")) or "").startswith(tag_start) for t in tr.iter(q("w:tag")))]
    last = rows[-1]
    for _ in range(count):
        new = copy.deepcopy(last)
        last.addnext(new)
        last = new


def word_fill(docx: bytes, values: dict[str, object], *, seed: int = 0) -> bytes:
    """Fill controls by tag. Tags that repeat (copied rows) take values in order:
    the n-th control tagged ``items[4].name`` in document order gets the value
    of ``items[4+n].name`` when given as such.
    """
    rng = random.Random(seed)
    return edit_document(docx, lambda root: _fill_all(root, values, rng))


def _fill_all(root: etree._Element, values: dict[str, object], rng: random.Random) -> None:
    list_names = {k.split("[", 1)[0] for k in values if "[" in k and "]." in k}
    for name in list_names:
        wanted = {int(k.split("[", 1)[1].split("]", 1)[0]) for k in values if k.startswith(name + "[")}
        have = {int(t.get(q("w:val")).split("[", 1)[1].split("]", 1)[0])
                for t in root.iter(q("w:tag")) if (t.get(q("w:val")) or "").startswith(name + "[")}
        if wanted and max(wanted) + 1 > len(have):
            add_rows(root, name, max(wanted) + 1 - len(have))
    seen: dict[str, int] = {}
    for sdt in list(root.iter(q("w:sdt"))):
        tag_el = sdt.find(f"{q('w:sdtPr')}/{q('w:tag')}")
        if tag_el is None:
            continue
        tag = tag_el.get(q("w:val"))
        key = tag
        if "[" in tag and "]." in tag:  # row controls: count copies of the same tag
            name, rest = tag.split("[", 1)
            index, field = rest.split("].", 1)
            n = seen.get(tag, 0)
            seen[tag] = n + 1
            key = f"{name}[{int(index) + n}].{field}"
        if key in values:
            fill_sdt(sdt, values[key], rng)


def edit_document(docx: bytes, change: Callable[[etree._Element], None]) -> bytes:
    """The package with word/document.xml changed in place by ``change``."""
    zin = zipfile.ZipFile(io.BytesIO(docx))
    root = etree.fromstring(zin.read("word/document.xml"))
    change(root)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return out.getvalue()
