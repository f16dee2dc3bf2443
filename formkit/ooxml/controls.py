"""Content controls (w:sdt): the one place in formkit that knows their XML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from formkit.ooxml._stream import W_SDT, W_TBL, W_TR, Scan, hidden, text_of
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
_SDT_PR, _DATE, _DATE_FORMAT, _DROPDOWN, _COMBOBOX, _TAG, _ALIAS, _LOCK, _SHOWING_PLACEHOLDER = (
    qn(f"w:{n}") for n in "sdtPr date dateFormat dropDownList comboBox tag alias lock showingPlcHdr".split())
_CHECKBOX, _FULL_DATE = qn("w14:checkbox"), qn("w:fullDate")
_VAL = qn("w:val")
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


def read_controls(package: "Package", *, body_only: bool = False) -> list[Control]:
    """Every content control of the document, its headers, footers, footnotes and
    endnotes (``body_only``: of the main document alone)."""
    found: list[Control] = []
    parts = [package.main_part] if body_only else [part for _kind, part in package.story_parts()]
    for part in parts:
        found.extend(_controls_in(package.xml(part), part, package.scan(part)))
    return found


def _controls_in(root: etree._Element, part: str, walk: Scan | None = None) -> list[Control]:
    """The content controls below `root`, in document order (nested ones included).
    ``walk``: `scan(root)` of a simple root (no alternate content, revisions or fields:
    nothing is hidden or pending), which read every control's text and place; None: the
    general walk, control by control."""
    if walk is not None:
        texts, places = walk.texts, walk.places
        return [_control(sdt, part, places[sdt], True, texts[sdt]) for sdt in walk.sdts]
    sdts = [s for s in root.iter(W_SDT) if not hidden(s)]
    if not sdts:
        return []
    rows = {tr: i for i, tr in enumerate(t for t in root.iter(W_TR) if not hidden(t))}
    top_tables = [t for t in root.iter(W_TBL) if not hidden(t) and next(t.iterancestors(W_TBL), None) is None]
    tables = {t: i for i, t in enumerate(top_tables)}
    return [_control(sdt, part, _place(sdt, rows, tables)) for sdt in sdts]


def _control(sdt: etree._Element, part: str, place: tuple[int | None, int | None], fast: bool = False,
             text: str | None = None) -> Control:
    """``place``: (row, table) of the control; ``fast``: the part is simple and ``text``
    is the control's text (see `_controls_in`)."""
    pr = sdt[0] if len(sdt) else None
    if pr is not None and pr.tag != _SDT_PR:
        pr = sdt.find(_SDT_PR)  # the first one, as Word writes it, else any
    props: dict[str, etree._Element] = {}
    kind = "richtext"
    if pr is not None:
        for child in pr:  # one pass instead of a find() per property (the first of a kind wins, as find does)
            tag = child.tag
            if tag not in props:
                props[tag] = child
                if kind == "richtext" and tag in _TYPES:
                    kind = _TYPES[tag]
    value = text if text is not None else text_of(sdt)
    tag_el, alias, lock, date = props.get(_TAG), props.get(_ALIAS), props.get(_LOCK), props.get(_DATE)
    items = props.get(_DROPDOWN)
    if items is None:
        items = props.get(_COMBOBOX)
    tracked = None if fast else _tracked(sdt)
    return Control(
        tag=None if tag_el is None else tag_el.get(_VAL),
        alias=None if alias is None else alias.get(_VAL),
        type=kind,
        value=value,
        checked=_checked(props.get(_CHECKBOX), value),
        showing_placeholder=_SHOWING_PLACEHOLDER in props,
        date_full=None if date is None else date.get(_FULL_DATE),
        date_format=None if date is None else w_attr(date.find(_DATE_FORMAT)),
        list_items=[] if items is None else _list_items(items),
        lock=None if lock is None else lock.get(_VAL),
        level=_level(sdt),
        row=place[0],
        table=place[1],
        pending_changes=not fast and (tracked is not None or next(sdt.iter(*_REVISIONS), None) is not None),
        part=part,
        tracked=tracked,
        element=sdt,
    )


def _checked(box: etree._Element | None, value: str) -> bool | None:
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


def _list_items(items: etree._Element) -> list[tuple[str, str]]:
    out = []
    for item in items.iter(qn("w:listItem")):
        shown, value = w_attr(item, "displayText"), w_attr(item, "value")
        out.append((shown if shown is not None else value or "", value if value is not None else shown or ""))
    return out


def _level(sdt: etree._Element) -> str:
    """Where a control sits: inline, cell, row or block (what its first ancestor that is
    not a wrapper is)."""
    parent = sdt.getparent()
    while parent is not None:
        tag = parent.tag
        if tag not in _WRAPPERS:
            return _LEVEL_OF_PARENT.get(tag, "block")
        parent = parent.getparent()
    return "block"


def _place(sdt: etree._Element, rows: dict, tables: dict) -> tuple[int | None, int | None]:
    """(index of the table row a control is in, of the outermost table holding it), from
    one walk up."""
    tr = outer = None
    for anc in sdt.iterancestors():
        tag = anc.tag
        if tag == W_TR:
            tr = tr if tr is not None else anc
        elif tag == W_TBL:
            outer = anc
    return rows.get(tr) if tr is not None else None, tables.get(outer) if outer is not None else None


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
