"""Content controls (w:sdt) as Jinja-laden WordprocessingML.

Each control is inline in its paragraph (LibreOffice 25.2 keeps inline
controls with tag, alias and type; it cuts controls that wrap paragraphs or
cells). The tag is the field's path, the alias its unique Chinese label.
A filled control shows the value; an unfilled one shows a grey prompt with
``w:showingPlcHdr`` so Word selects and replaces it when the user types.
Multi-line values are line breaks (w:br), never paragraphs.
"""

from __future__ import annotations

from dataclasses import dataclass

from xml.sax.saxutils import escape

from formkit.render.xml import TICK_FONT, attr, rpr

CHECKED = "☑"  # what Chinese forms tick with; ☒ reads as a cross
UNCHECKED = "☐"
DATE_FORMAT = "yyyy年M月d日"

DEFAULT_HINTS = {
    "text": "点击输入…",
    "multiline": "点击输入…",
    "date": "点击选择日期…",
    "dropdown": "点击选择…",
}


@dataclass(frozen=True)
class ControlSpec:
    """What the builder knows about one control.

    ``tag`` and ``alias`` may contain Jinja (row index in a repeated row);
    ``view`` is the Jinja expression of the field's FieldView.
    """

    kind: str  # text | multiline | date | dropdown | checkbox
    tag: str
    alias: str
    view: str
    hint: str = ""
    options: tuple[str, ...] = ()

    @property
    def prompt(self) -> str:
        return prompt_for(self.kind, self.hint)


PROMPT_STARTS = ("如", "例如", "请", "由", "点击", "填写", "选择")


def prompt_for(kind: str, hint: str | None) -> str:
    """The grey prompt an unfilled control shows.

    A prompt left in place reads as "not filled", so it must never be a value
    someone could type: a hint that is not already phrased as a prompt
    (如 …, 请 …, 由 … 填写) is shown as 请填写：hint.
    """
    if not hint:
        return DEFAULT_HINTS.get(kind, "")
    if hint.startswith(PROMPT_STARTS) or hint.endswith("…"):
        return hint
    return f"请填写：{hint}"


def _head(spec: ControlSpec) -> str:
    return (f"{rpr()}<w:alias w:val={attr(spec.alias)}/><w:tag w:val={attr(spec.tag)}/>"
            '<w:id w:val="{{ next_id() }}"/><w:lock w:val="sdtLocked"/>')


def _type(spec: ControlSpec, filled: bool) -> str:
    if spec.kind == "text":
        return "<w:text/>"
    if spec.kind == "multiline":
        return '<w:text w:multiLine="1"/>'
    if spec.kind == "date":
        full = f' w:fullDate="{{{{ {spec.view}.iso }}}}T00:00:00Z"' if filled else ""
        return (f"<w:date{full}><w:dateFormat w:val=\"{DATE_FORMAT}\"/><w:lid w:val=\"zh-CN\"/>"
                '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    if spec.kind == "dropdown":
        items = "".join(f"<w:listItem w:displayText={attr(o)} w:value={attr(o)}/>" for o in spec.options)
        return f"<w:dropDownList>{items}</w:dropDownList>"
    raise ValueError(spec.kind)


def _value_run(spec: ControlSpec) -> str:
    return (f"<w:r>{rpr()}{{% for line in {spec.view}.lines %}}{{% if not loop.first %}}<w:br/>{{% endif %}}"
            '<w:t xml:space="preserve">{{ line }}</w:t>{% endfor %}</w:r>')


def _prompt_run(spec: ControlSpec) -> str:
    return f'<w:r>{rpr(style="PlaceholderText", color="808080")}<w:t xml:space="preserve">{escape(spec.prompt)}</w:t></w:r>'


def _checkbox(spec: ControlSpec) -> str:
    state = (
        f'<w14:checkbox><w14:checked w14:val="{{% if {spec.view}.checked %}}1{{% else %}}0{{% endif %}}"/>'
        f'<w14:checkedState w14:val="2611" w14:font="{TICK_FONT}"/>'
        f'<w14:uncheckedState w14:val="2610" w14:font="{TICK_FONT}"/></w14:checkbox>'
    )
    glyph = f"{{% if {spec.view}.checked %}}{CHECKED}{{% else %}}{UNCHECKED}{{% endif %}}"
    content = f'<w:r>{rpr(font=TICK_FONT)}<w:t xml:space="preserve">{glyph}</w:t></w:r>'
    return f"<w:sdt><w:sdtPr>{_head(spec)}{state}</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"


def control(spec: ControlSpec) -> str:
    """The XML (with Jinja) of one inline control."""
    if spec.kind == "checkbox":
        return _checkbox(spec)
    filled = (f"<w:sdt><w:sdtPr>{_head(spec)}{_type(spec, True)}</w:sdtPr>"
              f"<w:sdtContent>{_value_run(spec)}</w:sdtContent></w:sdt>")
    blank = (f"<w:sdt><w:sdtPr>{_head(spec)}<w:showingPlcHdr/>{_type(spec, False)}</w:sdtPr>"
             f"<w:sdtContent>{_prompt_run(spec)}</w:sdtContent></w:sdt>")
    return f"{{% if {spec.view}.filled %}}{filled}{{% else %}}{blank}{{% endif %}}"
