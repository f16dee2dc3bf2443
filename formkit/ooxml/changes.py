"""Pending tracked changes, and the fixed (non-control) text of a form."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lxml import etree

from formkit.ooxml._stream import events, hidden, mark_deleted
from formkit.ooxml._xml import qn

if TYPE_CHECKING:
    from formkit.ooxml.package import Package

_KINDS = {
    "insertions": "ins cellIns customXmlInsRangeStart",
    "deletions": "del cellDel customXmlDelRangeStart",
    "moves": "moveFrom moveTo customXmlMoveFromRangeStart customXmlMoveToRangeStart",
    "format_changes": "rPrChange pPrChange sectPrChange tblPrChange tblPrExChange trPrChange tcPrChange "
    "tblGridChange numberingChange cellMerge",
}
_TAGS = {qn(f"w:{n}"): kind for kind, names in _KINDS.items() for n in names.split()}


def tracked_changes(package: "Package") -> dict[str, int]:
    """How many pending revision marks of each kind the main document holds.

    Keys: insertions, deletions, moves (each side of a move counts), format_changes,
    total. A change made of several runs counts once per w:ins/w:del element.
    """
    counts = dict.fromkeys(_KINDS, 0)
    for el in package.xml(package.main_part).iter(*_TAGS):
        if not hidden(el):
            counts[_TAGS[el.tag]] += 1
    counts["total"] = sum(counts.values())
    return counts


def fixed_text(package: "Package") -> list[str]:
    """Text of each body paragraph with all content-control content removed.

    Tracked changes are accepted, legacy form-field results dropped (they are
    filled in too), whitespace collapsed and empty paragraphs left out. A text
    box's paragraphs come right after the paragraph that anchors it.
    """
    walk = package.scan(package.main_part)
    if walk is not None:  # no revisions, fields or alternate content: the one walk read_controls shares
        return _collapsed(walk.fixed)
    return walk_fixed_text(package.xml(package.main_part))


def walk_fixed_text(root: etree._Element) -> list[str]:
    """`fixed_text` of any tree, by the general reading-order walk."""
    out: list[str] = []
    slots: list[int] = []  # index in `out` of each open paragraph
    fields: list[tuple[bool, bool]] = []  # (past "separate", is a form field) per open field
    carry = ""  # text of a paragraph whose mark is deleted joins the next one
    for kind, data in events(root, into_controls=False):
        if kind == "p":
            slots.append(len(out))
            out.append(carry)
            carry = ""
        elif kind == "/p" and slots:
            i = slots.pop()
            if mark_deleted(data):
                carry, out[i] = out[i], ""
        elif kind == "text" and slots and all(done and not form for done, form in fields):
            out[slots[-1]] += data
        elif kind == "fld":
            fields.append((False, data.find(qn("w:ffData")) is not None))
        elif kind == "sep" and fields:
            fields[-1] = (True, fields[-1][1])
        elif kind == "end" and fields:
            fields.pop()
    if carry:
        out.append(carry)
    return _collapsed(out)


def _collapsed(paragraphs: list[str]) -> list[str]:
    return [t for t in (" ".join(p.split()) for p in paragraphs) if t]
