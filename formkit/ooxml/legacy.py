"""Legacy form fields (FORMTEXT, FORMCHECKBOX, FORMDROPDOWN with w:ffData)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lxml import etree

from formkit.ooxml._stream import events
from formkit.ooxml._xml import on_off, qn, w_attr

if TYPE_CHECKING:
    from formkit.ooxml.package import Package

_KIND_BY_INSTR = {"FORMTEXT": "text", "FORMCHECKBOX": "checkbox", "FORMDROPDOWN": "dropdown"}


@dataclass
class LegacyField:
    """One legacy form field.

    value: the result text (text; "" when Word's blank placeholder of spaces is
    shown), the chosen entry (dropdown), "☒"/"☐" (checkbox). default: str for
    text and dropdown, bool for checkbox, None when the file sets none.
    """

    name: str
    type: str  # "text" | "checkbox" | "dropdown"
    value: str
    checked: bool | None = None
    default: str | bool | None = None
    part: str = "word/document.xml"
    element: Any = field(default=None, repr=False, compare=False)  # the begin w:fldChar


def read_legacy_fields(package: "Package") -> list[LegacyField]:
    """Legacy form fields of the document, headers, footers, footnotes and endnotes."""
    found: list[LegacyField] = []
    for _kind, part in package.story_parts():
        if package.is_parsed(part):
            if part == package.main_part and package.simple(part):
                continue  # no fields at all
        elif b"ffData" not in package.raw(part):
            continue  # a part with no form field is not parsed at all
        found.extend(_legacy_fields_in(package.xml(part), part))
    return found


def _legacy_fields_in(root: etree._Element, part: str) -> list[LegacyField]:
    if next(root.iter(qn("w:ffData")), None) is None:
        return []
    found: list[LegacyField] = []
    # one entry per open complex field: [past "separate", begin fldChar, instr parts, result parts]
    stack: list[list[Any]] = []
    for kind, data in events(root):
        if kind == "fld":
            stack.append([False, data, [], []])
        elif kind == "instr" and stack and not stack[-1][0]:
            stack[-1][2].append(data)
        elif kind == "text" and stack and all(f[0] for f in stack):
            for f in stack:
                f[3].append(data)
        elif kind == "sep" and stack:
            stack[-1][0] = True
        elif kind == "end" and stack:
            _, begin, instr, result = stack.pop()
            made = _field(begin, "".join(instr), "".join(result), part)
            if made is not None:
                found.append(made)
    return found


def _field(begin: etree._Element, instr: str, result: str, part: str) -> LegacyField | None:
    ff = begin.find(qn("w:ffData"))
    words = instr.split()
    by_instr = _KIND_BY_INSTR.get(words[0].upper()) if words else None
    if ff is None and by_instr is None:
        return None  # an ordinary field: PAGE, TOC, MERGEFIELD …
    name = w_attr(_child(ff, "w:name")) or ""
    box, dd = _child(ff, "w:checkBox"), _child(ff, "w:ddList")
    kind = "checkbox" if box is not None else "dropdown" if dd is not None else by_instr or "text"
    if kind == "checkbox":
        default = bool(on_off(_child(box, "w:default")))
        state = on_off(_child(box, "w:checked"))
        checked = default if state is None else state
        return LegacyField(name, kind, "☒" if checked else "☐", checked, default, part, begin)
    if kind == "dropdown":
        entries = [w_attr(e) or "" for e in (dd.findall(qn("w:listEntry")) if dd is not None else [])]
        default_i = _int(w_attr(_child(dd, "w:default")), 0)
        chosen = _int(w_attr(_child(dd, "w:result")), default_i)
        pick = (lambda i: entries[i] if 0 <= i < len(entries) else "")  # noqa: E731
        return LegacyField(name, kind, pick(chosen), None, pick(default_i) if entries else None, part, begin)
    default_text = w_attr(_child(_child(ff, "w:textInput"), "w:default"))
    # Word shows an empty FORMTEXT as five EN SPACEs (older files: plain spaces)
    return LegacyField(name, "text", result if result.strip() else "", None, default_text, part, begin)


def _child(el: etree._Element | None, name: str) -> etree._Element | None:
    return el.find(qn(name)) if el is not None else None


def _int(text: str | None, fallback: int) -> int:
    try:
        return int(text) if text is not None else fallback
    except ValueError:
        return fallback
