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
"""

from __future__ import annotations

from typing import Any, Iterator

from lxml import etree

from formkit.ooxml._symbols import map_run_text, run_font, sym_text
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
