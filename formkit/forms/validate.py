"""Validate a form's values and report every problem by Chinese label.

``validate_form`` never raises on bad values: it returns what could be
validated (in the shape of the JSON Schema) and a list of problems, so a
returned form with mistakes is still kept, with its mistakes named.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from formkit.forms.base import (
    FormModel,
    Problem,
    Section,
    field_meta,
    label_for,
    list_item,
    section_type,
)

_MESSAGES = {
    "missing": "必填项未填写",
    "extra_forbidden": "表单中没有这一项",
    "string_pattern_mismatch": "格式不正确",
    "string_type": "应为文字",
    "bool_parsing": "请勾选或填写“是/否”",
    "bool_type": "请勾选或填写“是/否”",
    "date_from_datetime_parsing": "日期格式不正确，请填写如 2026-03-05 或 2026年3月5日",
    "date_type": "日期格式不正确，请填写如 2026-03-05 或 2026年3月5日",
    "decimal_parsing": "应为数字",
    "list_type": "应为多行列表",
    "model_type": "内容格式不正确",
    "dict_type": "内容格式不正确",
    "greater_than_equal": "不能为负数",
    "literal_error": "不是可选的选项",
}


@dataclass
class Validated:
    """The outcome: the model (None when nothing usable), data and problems."""

    model: FormModel | None
    data: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def loc_to_path(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out = f"{out}.{part}" if out else str(part)
    return out


def _message(error: dict[str, Any]) -> str:
    if error["type"] == "formkit_value":
        return error["msg"]
    if error["type"] == "string_pattern_mismatch" and error["loc"][-1:] == ("project_code",):
        return f"项目代号“{error['input']}”格式不正确：只能由字母、数字、连字符组成，如 P2026-001"
    if error["type"] == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"“{error['input']}”不是可选的选项，请从 {expected} 中选择"
    base = _MESSAGES.get(error["type"], "内容不符合要求")
    value = error.get("input")
    if isinstance(value, (str, int, float)) and error["type"] != "missing":
        return f"{base}（填写的是“{value}”）"
    return base


def _remove(data: Any, loc: tuple[Any, ...]) -> bool:
    """Drop the value at loc so the rest can be validated. False if not found."""
    if not loc:
        return False
    node = data
    for part in loc[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = loc[-1]
    if isinstance(node, dict) and last in node:
        del node[last]
        return True
    if isinstance(node, list) and isinstance(last, int) and last < len(node):
        node[last] = None if not isinstance(node[last], dict) else {}
        return True
    return False


def _type_check(model: type[FormModel], data: dict[str, Any]) -> tuple[FormModel | None, list[Problem]]:
    try:  # most forms pass at once; the copy is only needed to strike out bad values
        return model.model_validate(data, context={"collect_rules": True}), []
    except ValidationError:
        pass
    data = copy.deepcopy(data)
    problems: list[Problem] = []
    for _ in range(200):
        try:
            return model.model_validate(data, context={"collect_rules": True}), problems
        except ValidationError as e:
            removed = False
            for error in e.errors():
                loc = tuple(error["loc"])
                path = loc_to_path(loc)
                value = error.get("input") if isinstance(error.get("input"), (str, int, float, bool)) else None
                problems.append(Problem(path, label_for(model, path), _message(error), value))
                removed = _remove(data, loc) or removed
            if not removed:
                return None, problems
    return None, problems


def _required(model: type[Section], obj: Section, prefix: str, explicit_none: set[str]) -> Iterable[tuple[str, str]]:
    for name, info in type(obj).model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        value = getattr(obj, name)
        meta = field_meta(info)
        empty = value is None or value == "" or value == []
        if meta.get("required") and empty:
            if path in explicit_none:
                yield path, "此项为必填，不能填“无”"
            elif list_item(info.annotation) is not None and section_type(info.annotation):
                yield path, "至少填写一行"
            else:
                yield path, "必填项未填写"
        if isinstance(value, Section):
            yield from _required(model, value, path, explicit_none)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Section):
                    yield from _required(model, item, f"{path}[{i}]", explicit_none)


def validate_form(
    model: type[FormModel],
    data: dict[str, Any],
    *,
    explicit_none: Iterable[str] = (),
    check_required: bool = True,
) -> Validated:
    """Validate values (typed text or native values) against a form model.

    ``explicit_none`` lists paths the person filled with 无 where the field is
    not text (a date, an amount): they are empty but not forgotten.
    """
    instance, problems = _type_check(model, data)
    if instance is None:
        return Validated(None, {}, problems)
    bad = {p.path for p in problems}
    if check_required:
        for path, message in _required(model, instance, "", set(explicit_none)):
            if path not in bad:
                problems.append(Problem(path, label_for(model, path), message, kind="required"))
    for path, message in instance.iter_rule_problems():
        problems.append(Problem(path, label_for(model, path), message, kind="rule"))
    return Validated(instance, dump(instance), problems)


def dump(instance: FormModel) -> dict[str, Any]:
    """Values in the shape of the JSON Schema: ISO dates, decimal strings."""
    return instance.model_dump(mode="json", exclude_none=True)
