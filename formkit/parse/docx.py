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
from functools import lru_cache
from typing import Any, BinaryIO

from formkit import ooxml
from formkit.errors import NotAFormError
from formkit.forms import all_forms
from formkit.forms.base import FormModel, Problem, field_at
from formkit.forms.registry import FormSpec
from formkit.forms.validate import dump
from formkit.ooxml.tables import read_tables
from formkit.parse.labels import TextRow, read_by_labels
from formkit.parse.values import CONTROL, LABEL, LEGACY, ParsedForm, Reading, finish, named_form, take
from formkit.render.render import Identity, _render_bytes, build_context

Source = str | bytes | BinaryIO
BODY_PART = "word/document.xml"
LOST_CONTROLS = "文档中的内容控件已丢失（可能被复制到新文档或被其他软件转换），已按标签和表格结构读取，请核对"


def parse_docx(source: Source, form: str | None = None, *, name: str | None = None) -> ParsedForm:
    """Parse a returned form. Raises NotAFormError for a file that is not one.

    A form whose content controls are gone (copied into a new document,
    flattened by other software) is read by its labels and table structure
    when its identity is known (custom properties, footer line, or ``form``).
    """
    label = name or (source if isinstance(source, str) else "文件")
    try:
        return _parse(ooxml.open_package(source), form, label)
    except NotAFormError as e:  # parts are read lazily: damage can show up after opening
        if label in str(e) or not name:
            raise
        raise type(e)(f"{label}：{e}") from e


def _parse(pkg: ooxml.Package, form: str | None, label: str) -> ParsedForm:
    with pkg:
        identity = ooxml.read_identity(pkg)
        controls = ooxml.read_controls(pkg, body_only=True)
        spec = _which_form(identity, form, label, [c.tag for c in controls if c.tag])
        version = identity.get("schema_version") or spec.version
        model = spec.model_for(version)
        legacy = ooxml.read_legacy_fields(pkg)
        changes = ooxml.tracked_changes(pkg)
        text = ooxml.fixed_text(pkg)
        reading = _read_controls(model, controls, legacy)
        notices: list[str] = []
        if pkg.has_part("word/vbaProject.bin"):
            notices.append(f"{label}含有宏（.docm）：formkit 只读取填写的内容，不会运行宏；请核对后另存为不含宏的 .docx 再发送")
        by_labels = reading.empty and not any(c.tag for c in controls) and (identity.get("form") or form)
        lost: list[Problem] = []
        if by_labels:
            rows = [TextRow([c.text for c in cells]) for table in read_tables(pkg) for cells in table]
            reading, lost = read_by_labels(model, rows, LABEL, "文档")
            notices.append(LOST_CONTROLS)
    if reading.empty and not identity.get("form"):
        raise NotAFormError(f"{label}：没有找到{spec.title}的任何内容控件，无法读取。")
    if any(changes.values()):
        total = sum(changes.values())
        notices.append(f"文档中有 {total} 处未处理的修订，已按“接受全部修订”后的内容读取，请核对")
    problems = lost if by_labels else _fixed_text_problems(model, text)
    return finish(spec, identity, reading, notices=notices, problems=problems)


def _which_form(identity: dict[str, Any], form: str | None, label: str, tags: list[str]) -> FormSpec:
    spec = named_form(identity, form, label)
    if spec is not None:
        return spec
    guessed = guess_form(tags)
    if guessed is not None:
        return guessed
    raise NotAFormError(
        f"{label}：不是 formkit 表单（没有表单标识）。如确为某一表单，请用 --form 指定表单名称")


def _read_controls(model: type[FormModel], controls: list[Any], legacy: list[Any]) -> Reading:
    reading = Reading()
    for index, ctl in enumerate(controls):
        if ctl.tag:
            take(model, reading, ctl.tag, ctl, ctl.row if ctl.row is not None else ("i", index), CONTROL)
    for fld in legacy:
        if fld.name:
            take(model, reading, fld.name, fld, ("legacy", fld.name), LEGACY)
    return reading


_DOC_ID = re.compile(r"文档编号：\S*")


def _normal(line: str) -> str:
    return _DOC_ID.sub("文档编号：", line) if "文档编号：" in line else line


@lru_cache(maxsize=None)
def _expected_text(model: type[FormModel]) -> tuple[str, ...]:
    blank = _render_bytes(model, build_context(model, None, Identity("", "", "", "")))
    with ooxml.open_package(blank) as pkg:
        return tuple(_normal(t) for t in ooxml.fixed_text(pkg))


@lru_cache(maxsize=None)
def _expected_lines(model: type[FormModel]) -> Counter[str]:
    return Counter(_expected_text(model))  # read-only: callers subtract, never update


def _fixed_text_problems(model: type[FormModel], text: list[str]) -> list[Problem]:
    expected = _expected_lines(model)
    actual = Counter(_normal(t) for t in text)
    if actual == expected:  # the form's wording as issued: nothing to report
        return []
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
