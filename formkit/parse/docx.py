"""Read a returned .docx form: content controls -> values -> validated model.

Works from the controls' tags (the field paths), whatever Word, WPS or
LibreOffice did to the runs around them. List rows are grouped by the table
row a control sits in, so rows a person added by copying a row (duplicate
tags) are read as new rows. A document issued under an older schema version
is read with that version's model and migrated. Edits to the form's fixed
wording are reported, not silently accepted.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, BinaryIO

from formkit import ooxml
from formkit.errors import FieldValueError, NotAFormError, UnknownFormError
from formkit.fields import NONE_TEXT, classify, parse_bool, parse_date
from formkit.forms import all_forms, get_form
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
from formkit.forms.registry import FormSpec
from formkit.forms.validate import dump, validate_form
from formkit.render.builder import control_kind
from formkit.render.controls import prompt_for
from formkit.render.render import Identity, _render_bytes, build_context

Source = str | bytes | BinaryIO
BODY_PART = "word/document.xml"


@dataclass
class ParsedForm:
    """A parsed form with its report: where each value came from, problems."""

    spec: FormSpec
    identity: Identity
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    model: FormModel | None = None
    explicit_none: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {**self.identity.as_dict(), "title": self.spec.title, "data": self.data,
                "problems": [p.as_dict() for p in self.problems], "notices": self.notices,
                "sources": self.sources}


@dataclass
class _Reading:
    """Values collected from the controls before validation."""

    values: dict[str, Any] = field(default_factory=dict)
    rows: dict[str, dict[Any, dict[str, Any]]] = field(default_factory=dict)
    explicit_none: set[str] = field(default_factory=set)
    sources: dict[str, str] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)


def parse_docx(source: Source, form: str | None = None, *, name: str | None = None) -> ParsedForm:
    """Parse a returned form. Raises NotAFormError for a file that is not one."""
    label = name or (source if isinstance(source, str) else "文件")
    try:
        pkg = ooxml.open_package(source)
    except NotAFormError as e:
        if label in str(e) or not name:
            raise
        raise type(e)(f"{label}：{e}") from e
    with pkg:
        identity = ooxml.read_identity(pkg)
        controls = [c for c in ooxml.read_controls(pkg) if c.part == BODY_PART]
        spec = _which_form(identity, form, label, [c.tag for c in controls if c.tag])
        version = identity.get("schema_version") or spec.version
        model = spec.model_for(version)
        legacy = ooxml.read_legacy_fields(pkg)
        changes = ooxml.tracked_changes(pkg)
        text = ooxml.fixed_text(pkg)
    reading = _read_controls(model, controls, legacy)
    if not reading.values and not reading.rows and not identity.get("form"):
        raise NotAFormError(f"{label}：没有找到{spec.title}的任何内容控件，无法读取。")
    data = _assemble(reading)
    ident = Identity(spec.id, version, identity.get("project_code") or "", identity.get("document_id") or "")
    checked = validate_form(model, data, explicit_none=reading.explicit_none)
    notices: list[str] = []
    if version != spec.version:
        migrated = spec.upgrade(version, checked.data)
        checked = validate_form(spec.model, migrated, explicit_none=reading.explicit_none)
        notices.append(f"该文档按{spec.title}旧版本 {version} 读取，已迁移到当前版本 {spec.version}")
    problems = checked.problems + _fixed_text_problems(model, text)
    if any(changes.values()):
        total = sum(changes.values())
        notices.append(f"文档中有 {total} 处未处理的修订，已按“接受全部修订”后的内容读取，请核对")
    for tag in reading.unknown:
        notices.append(f"忽略了表单中不认识的内容控件“{tag}”")
    if not ident.project_code and checked.model is not None and checked.model.project_code:
        ident.project_code = checked.model.project_code
    return ParsedForm(spec, ident, checked.data, problems, notices, reading.sources, checked.model,
                      reading.explicit_none)


def _which_form(identity: dict[str, Any], form: str | None, label: str, tags: list[str]) -> FormSpec:
    if form:
        return get_form(form)
    if identity.get("form"):
        try:
            return get_form(identity["form"])
        except UnknownFormError as e:
            raise NotAFormError(f"{label}：文档标识的表单“{identity['form']}”不在表单目录中") from e
    guessed = guess_form(tags)
    if guessed is not None:
        return guessed
    raise NotAFormError(
        f"{label}：不是 formkit 表单（没有表单标识）。如确为某一表单，请用 --form 指定表单名称")


def _read_controls(model: type[FormModel], controls: list[Any], legacy: list[Any]) -> _Reading:
    reading = _Reading()
    for index, ctl in enumerate(controls):
        if ctl.tag:
            _take(model, reading, ctl.tag, ctl, ctl.row if ctl.row is not None else ("i", index), "内容控件")
    for fld in legacy:
        if fld.name:
            _take(model, reading, fld.name, fld, ("legacy", fld.name), "旧式窗体域")
    return reading


def _take(model: type[FormModel], reading: _Reading, tag: str, ctl: Any, row_key: Any, how: str) -> None:
    try:
        segments = split_path(tag)
        info = field_at(model, tag)
    except (KeyError, ValueError):
        reading.unknown.append(tag)
        return
    value = _value_of(info, ctl)
    if value is _BLANK:
        return
    first, first_index = segments[0]
    top = model.model_fields[first]
    if section_type(top.annotation) is not None and list_item(top.annotation) is not None and len(segments) == 2:
        sub = segments[1][0]
        path = f"{first}[{first_index}].{sub}"
        if value is _NONE:
            reading.rows.setdefault(first, {}).setdefault(row_key, {})[sub] = None
            reading.explicit_none.add(path)
            return
        reading.rows.setdefault(first, {}).setdefault(row_key, {})[sub] = value
        reading.sources[path] = how
        return
    if value is _NONE:
        reading.explicit_none.add(tag)
        return
    reading.values[tag] = value
    reading.sources[tag] = how


_BLANK = object()
_NONE = object()


def _value_of(info: Any, ctl: Any) -> Any:
    kind, options = control_kind(info)
    base_kind = "checkbox" if list_item(info.annotation) is not None and kind != "checkbox" else kind
    if base_kind == "checkbox":
        if ctl.checked is not None:
            return bool(ctl.checked)
        text = (ctl.value or "").strip()
        if not text:
            return False
        try:
            return parse_bool(text)
        except FieldValueError:
            return text  # validation reports it by label
    if getattr(ctl, "showing_placeholder", False):
        return _BLANK
    text = ctl.value or ""
    state = classify(text, prompt_for(kind, field_meta(info).get("hint")))
    if state == "blank":
        return _BLANK
    if state == "none":
        return NONE_TEXT if _is_text(info) else _NONE
    if kind == "dropdown":
        return _display_to_value(text, getattr(ctl, "list_items", None) or [])
    if kind == "date":
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


def _assemble(reading: _Reading) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for path, value in reading.values.items():
        _set(data, split_path(path), value)
    for name in [k for k, v in data.items() if isinstance(v, dict) and _untouched(v)]:
        del data[name]  # a block (a stage) with nothing written and no box ticked
    for name, rows in reading.rows.items():
        # An unticked box alone does not make a row: blank rows have them too.
        data[name] = [row for row in rows.values() if any(v not in (None, False) for v in row.values())]
    return data


def _untouched(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_untouched(v) for v in value.values())
    if isinstance(value, list):
        return all(_untouched(v) for v in value)
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


_DOC_ID = re.compile(r"文档编号：\S*")


def _normal(line: str) -> str:
    return _DOC_ID.sub("文档编号：", line)


@lru_cache(maxsize=None)
def _expected_text(model: type[FormModel]) -> tuple[str, ...]:
    blank = _render_bytes(model, build_context(model, None, Identity("", "", "", "")))
    with ooxml.open_package(blank) as pkg:
        return tuple(_normal(t) for t in ooxml.fixed_text(pkg))


def _fixed_text_problems(model: type[FormModel], text: list[str]) -> list[Problem]:
    expected = Counter(_expected_text(model))
    actual = Counter(_normal(t) for t in text)
    problems = []
    for line in (expected - actual).elements():
        problems.append(Problem("", "表单固定文字", f"表单原有文字被修改或删除：“{line}”", kind="fixed_text"))
    for line in (actual - expected).elements():
        problems.append(Problem("", "表单固定文字", f"表单中出现了控件之外的文字：“{line}”（请写在对应的填写框内）",
                                kind="fixed_text"))
    return problems


def guess_form(tags: list[str]) -> FormSpec | None:
    """The form whose fields best match a set of tags (for files without identity)."""
    best, score = None, 0
    for spec in all_forms():
        hits = 0
        for tag in tags:
            try:
                field_at(spec.model, tag)
                hits += 1
            except (KeyError, ValueError):
                pass
        if hits > score:
            best, score = spec, hits
    return best if score >= 3 else None


__all__ = ["ParsedForm", "dump", "guess_form", "parse_docx"]
