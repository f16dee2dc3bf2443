"""Content controls (w:sdt): the one place in formkit that knows their XML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from formkit.ooxml._stream import W_SDT, W_TBL, W_TR, hidden, text_of
from formkit.ooxml._symbols import glyph, glyph_state, safe_char
from formkit.ooxml._xml import on_off, qn, w_attr

if TYPE_CHECKING:
    from formkit.ooxml.package import Package

# sdtPr child -> Control.type; a control with none of these is rich text.
_TYPES = {
    qn("w:text"): "text",
    qn("w:richText"): "richtext",
    qn("w:date"): "date",
    qn("w:dropDownList"): "dropdown",
    qn("w:comboBox"): "combobox",
    qn("w14:checkbox"): "checkbox",
    qn("w:picture"): "picture",
    qn("w:group"): "group",
    qn("w15:repeatingSection"): "repeating",
    qn("w15:repeatingSectionItem"): "group",
    qn("w:citation"): "citation",
    qn("w:bibliography"): "other",
    qn("w:docPartObj"): "other",
    qn("w:docPartList"): "other",
    qn("w:equation"): "other",
}
_REVISIONS = tuple(
    qn(f"w:{n}")
    for n in (
        "ins del moveFrom moveTo rPrChange pPrChange sectPrChange tblPrChange tblPrExChange trPrChange "
        "tcPrChange tblGridChange numberingChange cellIns cellDel cellMerge"
    ).split()
)
# A control whose own start/end marks are a tracked insertion or deletion.
_RANGE_MARKS = {
    qn("w:customXmlInsRangeStart"): "inserted",
    qn("w:customXmlMoveToRangeStart"): "inserted",
    qn("w:customXmlDelRangeStart"): "deleted",
    qn("w:customXmlMoveFromRangeStart"): "deleted",
}
_INSERTED = (qn("w:ins"), qn("w:moveTo"))
_DELETED = (qn("w:del"), qn("w:moveFrom"))
_ROW_MARKS = _INSERTED + _DELETED
_TR_PR = qn("w:trPr")
_WRAPPERS = frozenset(
    qn(f"w:{n}") for n in "sdtContent sdt customXml smartTag ins del moveTo moveFrom hyperlink fldSimple dir bdo".split()
)
_LEVEL_OF_PARENT = {qn("w:p"): "inline", W_TR: "cell", W_TBL: "row"}


@dataclass
class Control:
    """One content control as it reads with tracked changes accepted."""

    tag: str | None
    alias: str | None
    type: str
    value: str
    checked: bool | None = None
    showing_placeholder: bool = False
    date_full: str | None = None
    date_format: str | None = None
    list_items: list[tuple[str, str]] = field(default_factory=list)
    lock: str | None = None
    level: str = "block"
    row: int | None = None
    table: int | None = None
    pending_changes: bool = False
    part: str = "word/document.xml"
    tracked: str | None = None  # "inserted"/"deleted" when the control itself is a pending change
    element: Any = field(default=None, repr=False, compare=False)


def read_controls(package: "Package") -> list[Control]:
    """Every content control of the document, its headers, footers, footnotes and endnotes."""
    found: list[Control] = []
    for _kind, part in package.story_parts():
        found.extend(_controls_in(package.xml(part), part))
    return found


def _controls_in(root: etree._Element, part: str) -> list[Control]:
    """The content controls below `root`, in document order (nested ones included)."""
    sdts = [s for s in root.iter(W_SDT) if not hidden(s)]
    if not sdts:
        return []
    rows = {tr: i for i, tr in enumerate(t for t in root.iter(W_TR) if not hidden(t))}
    top_tables = [t for t in root.iter(W_TBL) if not hidden(t) and next(t.iterancestors(W_TBL), None) is None]
    tables = {t: i for i, t in enumerate(top_tables)}
    return [_control(sdt, part, rows, tables) for sdt in sdts]


def _control(sdt: etree._Element, part: str, rows: dict, tables: dict) -> Control:
    pr = sdt.find(qn("w:sdtPr"))
    if pr is None:
        pr = etree.Element(qn("w:sdtPr"))
    kind = next((_TYPES[c.tag] for c in pr if c.tag in _TYPES), "richtext")
    value = text_of(sdt)
    date = pr.find(qn("w:date"))
    items = pr.find(qn("w:dropDownList"))
    if items is None:
        items = pr.find(qn("w:comboBox"))
    tr = next(sdt.iterancestors(W_TR), None)
    outer = list(sdt.iterancestors(W_TBL))
    tracked = _tracked(sdt)
    return Control(
        tag=w_attr(pr.find(qn("w:tag"))),
        alias=w_attr(pr.find(qn("w:alias"))),
        type=kind,
        value=value,
        checked=_checked(pr, value),
        showing_placeholder=pr.find(qn("w:showingPlcHdr")) is not None,
        date_full=w_attr(date, "fullDate"),
        date_format=w_attr(date.find(qn("w:dateFormat"))) if date is not None else None,
        list_items=_list_items(items),
        lock=w_attr(pr.find(qn("w:lock"))),
        level=_level(sdt),
        row=rows.get(tr) if tr is not None else None,
        table=tables.get(outer[-1]) if outer else None,
        pending_changes=tracked is not None or next(sdt.iter(*_REVISIONS), None) is not None,
        part=part,
        tracked=tracked,
        element=sdt,
    )


def _checked(pr: etree._Element, value: str) -> bool | None:
    box = pr.find(qn("w14:checkbox"))
    if box is None:
        return glyph_state(value)
    on, off = (_state_glyph(box.find(qn(f"w14:{n}"))) for n in ("checkedState", "uncheckedState"))
    seen = glyph_state(value, on, off)  # what the page shows wins over the flag
    return seen if seen is not None else bool(on_off(box.find(qn("w14:checked")), "w14:val"))


def _state_glyph(state: etree._Element | None) -> str:
    if state is None:
        return ""
    try:
        code = int(state.get(qn("w14:val")) or "", 16)
    except ValueError:
        return ""
    shown = glyph(state.get(qn("w14:font")), code) or safe_char(code)
    return "" if shown == "\ufffd" else shown


def _list_items(items: etree._Element | None) -> list[tuple[str, str]]:
    if items is None:
        return []
    out = []
    for item in items.iter(qn("w:listItem")):
        shown, value = w_attr(item, "displayText"), w_attr(item, "value")
        out.append((shown if shown is not None else value or "", value if value is not None else shown or ""))
    return out


def _level(sdt: etree._Element) -> str:
    for anc in sdt.iterancestors():
        if anc.tag not in _WRAPPERS:
            return _LEVEL_OF_PARENT.get(anc.tag, "block")
    return "block"


def _tracked(sdt: etree._Element) -> str | None:
    for anc in sdt.iterancestors():
        if anc.tag == W_TR:  # a whole table row inserted or deleted with tracking on
            anc = anc.find(_TR_PR)
            if anc is None:
                continue
            anc = next((c for c in anc if c.tag in _ROW_MARKS), None)
            if anc is None:
                continue
        if anc.tag in _INSERTED:
            return "inserted"
        if anc.tag in _DELETED:
            return "deleted"
    before = sdt.getprevious()
    while before is not None and not isinstance(before.tag, str):
        before = before.getprevious()
    return _RANGE_MARKS.get(before.tag) if before is not None else None
