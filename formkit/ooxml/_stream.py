"""WordprocessingML as a reader sees it, with every tracked change accepted.

`events(el)` walks a subtree iteratively (no recursion limit) and yields:

    ("text", str)            visible characters: w:t, w:tab, w:br, w:cr, w:sym …
    ("p", p) / ("/p", p)     paragraph start / end
    ("fld", fldChar) / ("sep", fldChar) / ("end", fldChar)   complex field marks
    ("instr", str)           field instruction text
    ("sdt", sdt) / ("/sdt", sdt)   content control start / end
    ("tr", tr) / ("/tr", tr) and ("tbl", tbl) / ("/tbl", tbl)

Deleted and moved-away content (w:del, w:moveFrom, rows with a deleted row
mark) is skipped, inserted and moved-in content is read, property elements are
never entered, and of an mc:AlternateContent only the chosen branch is read
(the first mc:Choice, else mc:Fallback), so text-box content is seen once.

Most returned forms have none of that: no tracked changes, no fields, no
alternate content, no symbol fonts. For such a `simple()` tree the reading
order is the document order, and `scan` reads the text of every control, the
text around them (the fixed text) and where each control sits (its table row,
its outermost table) in one lxml iterwalk, filtered to the few tags that
matter, instead of a Python walk per control and one per fixed paragraph.
tests/unit/ooxml/test_stream_fast.py checks it agrees with the general walk
on every simple document of the corpus, on generated forms and on random
simple trees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator

from lxml import etree

from formkit.ooxml._symbols import SYMBOL_FONTS, map_run_text, run_font, sym_text
from formkit.ooxml._xml import qn

W_T, W_P, W_SDT, W_TR, W_TBL = (qn(f"w:{n}") for n in ("t", "p", "sdt", "tr", "tbl"))
W_SDT_CONTENT, W_FLD_CHAR, W_INSTR = qn("w:sdtContent"), qn("w:fldChar"), qn("w:instrText")
MC_AC, MC_CHOICE, MC_FALLBACK = qn("mc:AlternateContent"), qn("mc:Choice"), qn("mc:Fallback")

_SKIP = frozenset(
    qn(f"w:{n}")
    for n in (
        "pPr rPr sdtPr sdtEndPr tblPr tblPrEx tblGrid trPr tcPr sectPr del moveFrom delText "
        "delInstrText fldData customXmlPr smartTagPr softHyphen"
    ).split()
)
_CHARS = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_FLD_KIND = {"begin": "fld", "separate": "sep", "end": "end"}
_GONE = (qn("w:del"), qn("w:moveFrom"))
_P_MARK, _TR_PR, W_SYM = f"{qn('w:pPr')}/{qn('w:rPr')}", qn("w:trPr"), qn("w:sym")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def children(el: etree._Element) -> Iterator[etree._Element]:
    """Child elements, with mc:AlternateContent replaced by its chosen branch."""
    for child in el:
        if child.tag == MC_AC:
            branch = child.find(MC_CHOICE)
            if branch is None:
                branch = child.find(MC_FALLBACK)
            if branch is not None:
                yield from children(branch)
        elif isinstance(child.tag, str):
            yield child


def hidden(el: etree._Element) -> bool:
    """True when `el` sits in a branch of mc:AlternateContent that is not read."""
    for branch in el.iterancestors(MC_CHOICE, MC_FALLBACK):
        ac = branch.getparent()
        chosen = ac.find(MC_CHOICE) if ac is not None and ac.tag == MC_AC else None
        if chosen is not None and chosen is not branch:
            return True
    return False


def mark_deleted(el: etree._Element) -> bool:
    """A paragraph (w:pPr/w:rPr) or row (w:trPr) whose mark is a pending deletion."""
    props = el.find(_P_MARK if el.tag == W_P else _TR_PR)
    return props is not None and (props.find(_GONE[0]) is not None or props.find(_GONE[1]) is not None)


# Any of these below a root and the general walk is needed.
_COMPLEX = (
    MC_AC, W_FLD_CHAR, W_INSTR, W_SYM, qn("w:fldSimple"), qn("w:delText"), qn("w:delInstrText"),
    *(qn(f"w:{n}") for n in (
        "ins del moveFrom moveTo rPrChange pPrChange sectPrChange tblPrChange tblPrExChange trPrChange "
        "tcPrChange tblGridChange numberingChange cellIns cellDel cellMerge customXmlInsRangeStart "
        "customXmlDelRangeStart customXmlMoveFromRangeStart customXmlMoveToRangeStart").split()),
)
W_RFONTS = qn("w:rFonts")
# the names to look for: one found inside another ("wingdings" in "wingdings 2") is enough
_SYMBOL_BYTES = tuple(name.encode() for name in SYMBOL_FONTS
                      if not any(other != name and other in name for other in SYMBOL_FONTS))
W_TAB, _W_TABS = qn("w:tab"), qn("w:tabs")
# What scan reads: none of the text tags occur inside the property elements events()
# skips, except w:tab (a tab stop in w:pPr/w:tabs); rows and tables for where controls sit.
_SCAN_TAGS = (W_T, W_P, W_SDT, *_CHARS, W_TR, W_TBL)


def simple(root: etree._Element, raw: bytes | None = None) -> bool:
    """No tracked changes, fields, alternate content, w:sym or symbol-font runs below `root`:
    what `events` yields is then plain document order (see module docstring). ``raw``:
    the part's bytes, when at hand (a byte search for font names is faster than the tree's)."""
    if next(root.iter(*_COMPLEX), None) is not None:
        return False
    # any font name containing a symbol font's name: a superset of what run_font maps
    if raw is not None:
        lowered = raw.lower()  # bytes.lower + `in`: ~30× faster than an IGNORECASE regex
        return not any(name in lowered for name in _SYMBOL_BYTES)
    names = {name.lower() for fonts in root.iter(W_RFONTS) for name in fonts.values()}
    return not any(symbol in name for name in names for symbol in SYMBOL_FONTS)


def events(root: etree._Element, *, into_controls: bool = True) -> Iterator[tuple[str, Any]]:
    """Reading-order events below `root` (see module docstring)."""
    stack: list[tuple[Iterator[etree._Element], tuple[str, Any] | None]] = [(children(root), None)]
    while stack:
        it, end = stack[-1]
        el = next(it, None)
        if el is None:
            stack.pop()
            if end is not None:
                yield end
            continue
        tag = el.tag
        if tag in _SKIP:
            continue
        if tag == W_T:
            text = _t_text(el)
            font = run_font(el.getparent()) if text else None
            yield "text", map_run_text(text, font) if font else text
        elif tag in _CHARS:
            yield "text", _CHARS[tag]
        elif tag == W_SYM:
            yield "text", sym_text(el)
        elif tag == W_FLD_CHAR:
            kind = _FLD_KIND.get(el.get(qn("w:fldCharType")) or "")
            if kind:
                yield kind, el
        elif tag == W_INSTR:
            yield "instr", el.text or ""
        elif tag == W_SDT:
            yield "sdt", el
            content = el.find(W_SDT_CONTENT)
            if into_controls and content is not None:
                stack.append((children(content), ("/sdt", el)))
            else:
                yield "/sdt", el
        elif tag == W_TR and mark_deleted(el):
            continue
        elif tag in (W_P, W_TR, W_TBL):
            name = etree.QName(tag).localname
            yield name, el
            stack.append((children(el), ("/" + name, el)))
        else:
            stack.append((children(el), None))


def _t_text(t: etree._Element) -> str:
    """w:t content as Word shows it: without xml:space="preserve" the edges are trimmed,
    and a literal line break inside w:t is only white space, never a new line."""
    text = t.text or ""
    if t.get(_XML_SPACE) != "preserve":
        text = text.strip(" \t\r\n")
    return text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")


def text_of(root: etree._Element) -> str:
    """The text below `root` as it reads: paragraphs joined by "\\n", field results only."""
    parts: list[str] = []
    fields: list[bool] = []  # one per open complex field: True once past "separate"
    seen_paragraph = merge_next = False
    for kind, data in events(root):
        if kind == "text":
            if all(fields):
                parts.append(data)
        elif kind == "p":
            if seen_paragraph and not merge_next:
                parts.append("\n")
        elif kind == "/p":
            seen_paragraph, merge_next = True, mark_deleted(data)
        elif kind == "fld":
            fields.append(False)
        elif kind == "sep" and fields:
            fields[-1] = True
        elif kind == "end" and fields:
            fields.pop()
    return "".join(parts)


@dataclass
class Scan:
    """What one walk of a simple tree reads (see `scan`)."""

    sdts: list[etree._Element] = field(default_factory=list)  # every w:sdt, in document order
    texts: dict[etree._Element, str] = field(default_factory=dict)  # w:sdt -> its `text_of`
    # the text of each paragraph outside controls, before white space is collapsed (what
    # formkit.ooxml.changes.fixed_text reads)
    fixed: list[str] = field(default_factory=list)
    # w:sdt -> (index of the nearest w:tr holding it among all rows of the tree, in document
    # order; index of the outermost w:tbl holding it among the tables that are in no table)
    places: dict[etree._Element, tuple[int | None, int | None]] = field(default_factory=dict)


def scan(root: etree._Element) -> Scan:
    """The text and place of every control, and the fixed text, of a simple `root` (see
    `simple`) in one pass. Two readings side by side: a control's text is everything
    inside it (a control's text includes the text of the controls nested in it), with
    "\\n" before each paragraph that follows a paragraph end; the fixed text is the text
    of each paragraph outside controls (a paragraph inside a control is not one of them).

    The pass is ``root.iter`` over the few tags that matter (C: no proxy for the other
    ~90% of the elements, which lxml's iterwalk makes); where a paragraph, control, row
    or table ends is seen when the next element is not inside it (a walk up its
    parents, two steps for most)."""
    out = Scan()
    sdts, texts, places = out.sdts, out.texts, out.places
    fixed: list[list[str]] = []
    slots: list[list[str]] = []  # the parts of each open paragraph outside controls
    open_: list[tuple[etree._Element, list[str], list[bool]]] = []  # (sdt, parts, [seen a paragraph end])
    rows: list[int] = []  # index of each open row
    tables: list[int] = []  # for each open table, the index of the outermost one
    stack: list[tuple[etree._Element, str]] = []  # the open paragraphs, controls, rows, tables
    inside: set[etree._Element] = set()  # the same, to look up
    rows_seen = tables_seen = 0

    def end() -> None:  # the innermost open element has ended
        el, tag = stack.pop()
        inside.discard(el)
        if tag == W_P:
            if open_:  # a paragraph inside a control
                for _, _parts, seen in open_:
                    seen[0] = True
            else:
                slots.pop()
        elif tag == W_SDT:
            _, parts, _seen = open_.pop()
            texts[el] = "".join(parts)
        elif tag == W_TR:
            rows.pop()
        else:
            tables.pop()

    for el in root.iter(_SCAN_TAGS):
        parent = el.getparent()
        if stack:
            holder = parent
            while holder is not None and holder not in inside:
                holder = holder.getparent()
            while stack and stack[-1][0] is not holder:
                end()
        tag = el.tag
        if tag == W_T:
            if open_:
                text = _t_text(el)
                for _, parts, _seen in open_:
                    parts.append(text)
            elif slots:
                slots[-1].append(_t_text(el))
        elif tag == W_P:
            if open_:
                for _, parts, seen in open_:
                    if seen[0]:
                        parts.append("\n")
            else:
                slots.append([])
                fixed.append(slots[-1])
            stack.append((el, tag))
            inside.add(el)
        elif tag == W_SDT:
            open_.append((el, [], [False]))
            sdts.append(el)
            places[el] = (rows[-1] if rows else None, tables[0] if tables else None)
            stack.append((el, tag))
            inside.add(el)
        elif tag == W_TR:
            rows.append(rows_seen)
            rows_seen += 1
            stack.append((el, tag))
            inside.add(el)
        elif tag == W_TBL:
            if not tables:
                tables_seen += 1
            tables.append(tables[0] if tables else tables_seen - 1)
            stack.append((el, tag))
            inside.add(el)
        elif (open_ or slots) and (tag != W_TAB or parent is None or parent.tag != _W_TABS):  # not a tab stop
            char = _CHARS[tag]
            if open_:
                for _, parts, _seen in open_:
                    parts.append(char)
            else:
                slots[-1].append(char)
    while stack:
        end()
    out.fixed = ["".join(parts) for parts in fixed]
    return out
