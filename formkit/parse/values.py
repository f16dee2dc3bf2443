"""Values read from a returned form, however they were read -> validated form.

Every reader (content controls, labels of a flattened .docx, a PDF's text or
form fields, OCR of a scan) produces ``RawValue``s: a field path, the text as
shown (or a tick state), how it was read and with what confidence. This
module turns them into form data the same way for all of them, validates it,
and returns a ``ParsedForm`` with its report.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from formkit.errors import FieldValueError, NotAFormError, UnknownFormError
from formkit.fields import NONE_TEXT, classify, parse_bool, parse_date
from formkit.forms.base import (
    FormModel,
    Problem,
    field_at,
    field_meta,
    list_item,
    section_type,
    split_path,
    unwrap_optional,
)
from formkit.forms import get_form
from formkit.forms.registry import FormSpec
from formkit.forms.validate import validate_form
from formkit.render.builder import control_kind
from formkit.render.controls import prompt_for
from formkit.render.render import Identity

# How a value was read (the ``sources`` of a ParsedForm).
CONTROL = "内容控件"
LEGACY = "旧式窗体域"
LABEL = "标签"
PDF_TEXT = "PDF文本"
PDF_FIELD = "PDF表单域"
OCR = "OCR"


@dataclass
class ParsedForm:
    """A parsed form with its report: where each value came from, how sure
    the reader is of it (``confidence``, 0-1), problems, and for values that
    need a person's eyes the image of the page region (``crops``, PNG)."""

    spec: FormSpec
    identity: Identity
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    model: FormModel | None = None
    explicit_none: set[str] = field(default_factory=set)
    confidence: dict[str, float] = field(default_factory=dict)
    crops: dict[str, bytes] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {**self.identity.as_dict(), "title": self.spec.title, "data": self.data,
                "problems": [p.as_dict() for p in self.problems], "notices": self.notices,
                "sources": self.sources, "confidence": self.confidence}


@dataclass
class RawValue:
    """One value as a reader found it.

    ``value`` is the text as shown (a prompt left in place reads as blank) or
    a tick state; ``row`` groups the cells of one list row (rows a person
    added by copying a row share the tags of another, not its ``row``).
    """

    path: str
    value: str | bool | None
    how: str
    confidence: float = 1.0
    row: Any = None
    checked: bool | None = None
    showing_placeholder: bool = False
    list_items: list[tuple[str, str]] | None = None
    date_full: str | None = None

    @property
    def tag(self) -> str:
        return self.path


@dataclass
class Reading:
    """Values collected before validation."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    explicit_none: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.values and not self.rows


def read_values(model: type[FormModel], raw: Iterable[RawValue], reading: Reading | None = None) -> Reading:
    reading = reading or Reading()
    for index, item in enumerate(raw):
        if isinstance(item.value, bool) and item.checked is None:
            item.checked = item.value
        take(model, reading, item.path, item, item.row if item.row is not None else ("i", index),
             item.how, item.confidence)
    return reading


def take(model: type[FormModel], reading: Reading, tag: str, ctl: Any, row_key: Any, how: str,
         confidence: float = 1.0) -> None:
    """Record the value of one control (or anything shaped like one: tag,
    value, checked, showing_placeholder, list_items, date_full)."""
    slot = _slot(model, tag)
    if slot is None:
        reading.unknown.append(tag)
        return
    value = _value(slot, ctl)
    if value is BLANK:
        return
    if slot.row_field is not None:
        first, sub, path = slot.row_field
        if value is NONE:
            reading.rows.setdefault(first, {}).setdefault(row_key, {})[sub] = None
            reading.explicit_none.add(path)
            return
        reading.rows.setdefault(first, {}).setdefault(row_key, {})[sub] = value
        reading.sources[path] = how
        reading.confidence[path] = confidence
        return
    if value is NONE:
        reading.explicit_none.add(tag)
        return
    reading.values[tag] = value
    reading.sources[tag] = how
    reading.confidence[tag] = confidence


BLANK = object()
NONE = object()


@dataclass(frozen=True)
class _Slot:
    """What a tag means in a model, worked out once per (model, tag)."""

    kind: str  # the control kind: text, multiline, date, dropdown, checkbox …
    checkbox: bool  # read as a tick (a checkbox, or an item of a checklist)
    prompt: str  # the prompt a blank control shows
    text: bool  # a plain text field (a written 无 stays text)
    row_field: tuple[str, str, str] | None  # (list, field, path) of a list row's cell


@lru_cache(maxsize=8192)
def _slot(model: type[FormModel], tag: str) -> _Slot | None:
    try:
        segments = split_path(tag)
        info = field_at(model, tag)
    except (KeyError, ValueError):
        return None
    kind, _ = control_kind(info)
    first, first_index = segments[0]
    top = model.model_fields[first]
    row_field = None
    if section_type(top.annotation) is not None and list_item(top.annotation) is not None and len(segments) == 2:
        sub = segments[1][0]
        row_field = (first, sub, f"{first}[{first_index}].{sub}")
    return _Slot(kind, list_item(info.annotation) is not None or kind == "checkbox",
                 prompt_for(kind, field_meta(info).get("hint")), _is_text(info), row_field)


def _value(slot: _Slot, ctl: Any) -> Any:
    if slot.checkbox:
        if getattr(ctl, "checked", None) is not None:
            return bool(ctl.checked)
        text = (ctl.value or "").strip()
        if not text:
            return False
        try:
            return parse_bool(text)
        except FieldValueError:
            return text  # validation reports it by label
    if getattr(ctl, "showing_placeholder", False):
        return BLANK
    text = ctl.value or ""
    state = classify(text, slot.prompt)
    if state == "blank":
        return BLANK
    if state == "none":
        return NONE_TEXT if slot.text else NONE
    if slot.kind == "dropdown":
        return _display_to_value(text, getattr(ctl, "list_items", None) or [])
    if slot.kind == "date":
        return _date_text(text, getattr(ctl, "date_full", None))
    return text


def _is_text(info: Any) -> bool:
    kind, _ = control_kind(info)
    return kind in ("text", "multiline") and unwrap_optional(info.annotation) is str


def _display_to_value(text: str, items: list[tuple[str, str]]) -> str:
    """The option a dropdown shows. Suites store the display text, some the
    item's value code: a code is mapped back to its display text, which is
    what the form's options are."""
    shown = text.strip()
    if any(shown == (display or "").strip() for display, _ in items):
        return shown
    for display, value in items:
        if display and shown == (value or "").strip():
            return display
    return text


def _date_text(text: str, full: str | None) -> str:
    try:
        parse_date(text)
        return text
    except FieldValueError:
        return full[:10] if full else text


def assemble(reading: Reading) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path, value in reading.values.items():
        _set(data, split_path(path), value)
    for name in [k for k, v in data.items() if isinstance(v, dict) and untouched(v)]:
        del data[name]  # a block (a stage) with nothing written and no box ticked
    for name, rows in reading.rows.items():
        # An unticked box alone does not make a row: blank rows have them too.
        data[name] = [row for row in rows.values() if any(v not in (None, False) for v in row.values())]
    return data


def named_form(identity: dict[str, Any], form: str | None, label: str, *, where: str = "文档") -> FormSpec | None:
    """The form ``--form`` names, else the one the file's identity names (its
    custom properties, footer line or QR code: ``where``); None when neither.
    Every reader calls this, then says in its own words why it cannot tell."""
    if form:
        return get_form(form)
    if identity.get("form"):
        try:
            return get_form(identity["form"])
        except UnknownFormError as e:
            raise NotAFormError(f"{label}：{where}标识的表单“{identity['form']}”不在表单目录中") from e
    return None


def untouched(value: Any) -> bool:
    """Nothing written and no box ticked (a blank row, a stage not reached)."""
    if isinstance(value, dict):
        return all(untouched(v) for v in value.values())
    if isinstance(value, list):
        return all(untouched(v) for v in value)
    return value in (None, False)


def _set(data: dict[str, Any], segments: list[tuple[str, int | None]], value: Any) -> None:
    node: Any = data
    for i, (name, index) in enumerate(segments):
        last = i == len(segments) - 1
        if index is None:
            if last:
                node[name] = value
            else:
                node = node.setdefault(name, {})
            continue
        items = node.setdefault(name, [])
        while len(items) <= index:
            items.append(None if last else {})
        if last:
            items[index] = value
        else:
            node = items[index]


def finish(spec: FormSpec, identity: dict[str, Any], reading: Reading, *,
           notices: list[str] | None = None, problems: list[Problem] | None = None) -> ParsedForm:
    """Assemble, validate (with the model of the document's schema version,
    then migrate) and report. ``identity``: form, schema_version,
    project_code, document_id as the document says them (None when absent)."""
    version = identity.get("schema_version") or spec.version
    model = spec.model_for(version)
    data = assemble(reading)
    ident = Identity(spec.id, version, identity.get("project_code") or "", identity.get("document_id") or "")
    checked = validate_form(model, data, explicit_none=reading.explicit_none)
    notes = list(notices or [])
    if version != spec.version:
        migrated = spec.upgrade(version, checked.data)
        checked = validate_form(spec.model, migrated, explicit_none=reading.explicit_none)
        notes.insert(0, f"该文档按{spec.title}旧版本 {version} 读取，已迁移到当前版本 {spec.version}")
    for tag in reading.unknown:
        notes.append(f"忽略了表单中不认识的内容控件“{tag}”")
    if not ident.project_code and checked.model is not None and checked.model.project_code:
        ident.project_code = checked.model.project_code
    return ParsedForm(spec, ident, checked.data, checked.problems + list(problems or []), notes,
                      reading.sources, checked.model, reading.explicit_none, reading.confidence)


def value_paths(model: type[FormModel]) -> dict[str, str]:
    """{unique Chinese label (a control's alias) -> path} for every scalar
    field of a form, list rows up to a generous count."""
    from formkit.forms.base import label_for

    out: dict[str, str] = {}

    def walk(owner: Any, prefix: str) -> None:
        for name, info in owner.model_fields.items():
            path = f"{prefix}.{name}" if prefix else name
            inner = section_type(info.annotation)
            if inner is not None and list_item(info.annotation) is not None:
                for i in range(max(50, field_meta(info).get("rows", 3))):
                    walk(inner, f"{path}[{i}]")
            elif inner is not None:
                walk(inner, path)
            elif list_item(info.annotation) is not None:
                count = sum(len(g["items"]) for g in field_meta(info).get("checklist", []))
                for i in range(count):
                    out[label_for(model, f"{path}[{i}]")] = f"{path}[{i}]"
            else:
                out[label_for(model, path)] = path

    walk(model, "")
    return out
