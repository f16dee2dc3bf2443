"""What every form model shares: field metadata, paths and labels, rules.

A form is a pydantic model. Each field carries its Chinese label (``title``)
and a few layout hints in ``json_schema_extra`` under ``x-formkit``; the
template builder, the parser and the error messages all read them from here,
so a field is described exactly once.

Paths name a value inside a form the way content-control tags do:
``budget``, ``items[2].unit_price``, ``initiation.judgement.sales``.
"""

from __future__ import annotations


import re
from functools import lru_cache
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import UnionType
from typing import Any, ClassVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, model_validator
from pydantic.fields import FieldInfo

from formkit.fields import DateValue

_EXTRA = "x-formkit"


def F(
    label: str,
    *,
    required: bool = False,
    multiline: bool = False,
    wide: bool = False,
    hint: str | None = None,
    width: float | None = None,
    section: str | None = None,
    heading: str | None = None,
    notes: list[tuple[str, str]] | None = None,
    checklist: list[dict[str, Any]] | None = None,
    rows: int | None = None,
    sign: bool = False,
    default: Any = None,
    **kwargs: Any,
) -> Any:
    """Declare a form field: its Chinese label and how it is laid out.

    ``required`` means the form is incomplete without it (checked when a
    returned form is validated, not when a partial record is rendered);
    ``multiline``/``wide`` give it a full table row; ``hint`` is the
    placeholder prompt; ``width`` is a column width in cm for row tables;
    ``section`` groups top-level fields under a heading; ``notes`` are fixed
    paragraphs printed before a block (a stage's 成功标准); ``checklist``
    gives the fixed wording of a list of ticks, in groups
    (``[{"heading": ..., "items": [...]}]``); ``rows`` is how many empty rows
    a blank form shows for a list; ``sign`` marks a handwritten signature
    (its row is tall enough to sign in).
    """
    meta: dict[str, Any] = {"required": required, "multiline": multiline, "wide": wide or multiline}
    if section:
        meta["section"] = section
    if heading:
        meta["heading"] = heading
    if notes:
        meta["notes"] = [list(n) for n in notes]
    if checklist:
        meta["checklist"] = checklist
    if rows:
        meta["rows"] = rows
    if sign:
        meta["sign"] = True
    if hint:
        meta["hint"] = hint
    if width:
        meta["width"] = width
    extra = {_EXTRA: meta}
    if required:
        extra["x-required"] = True
    factory = list if default is list else None
    if factory:
        return Field(default_factory=factory, title=label, json_schema_extra=extra, **kwargs)
    return Field(default=default, title=label, json_schema_extra=extra, **kwargs)


def field_meta(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return dict(extra.get(_EXTRA, {}))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a submitted form, named by path and Chinese label."""

    path: str
    label: str
    message: str
    value: Any = None
    kind: str = "value"
    """value: cannot be read; required: missing; rule: fields disagree;
    fixed_text: the form's own wording was edited; ocr: a scan's value to
    check by eye; missing_row: the document lacks the value's row."""

    def as_dict(self) -> dict[str, Any]:
        out = {"path": self.path, "label": self.label, "message": self.message, "kind": self.kind}
        if self.value is not None:
            out["value"] = self.value
        return out


_RULE_ATTR = "__formkit_rule__"


def rule(func: Callable[..., Iterable[tuple[str, str]]]) -> Callable[..., Iterable[tuple[str, str]]]:
    """Mark a method as a cross-field rule.

    The method yields ``(relative_path, message)`` for each problem it finds;
    it must tolerate missing values (a partial form is not wrong, only
    incomplete). Rules run as a model validator, and ``validate_form`` runs
    them one by one so every problem is reported with its own field.
    """
    setattr(func, _RULE_ATTR, True)
    return func


class Section(BaseModel):
    """A group of fields: a row of a list, or a block such as a stage."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    def iter_rule_problems(self, prefix: str = "") -> Iterator[tuple[str, str]]:
        for method in _rules_of(type(self)):
            for rel, message in method(self):
                yield join_path(prefix, rel), message
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, Section):
                yield from value.iter_rule_problems(join_path(prefix, name))
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, Section):
                        yield from item.iter_rule_problems(f"{join_path(prefix, name)}[{i}]")


@lru_cache(maxsize=None)
def _rules_of(cls: type[Section]) -> tuple[Callable[..., Iterable[tuple[str, str]]], ...]:
    """The @rule methods of a section class, in name order (dir() of a model is slow)."""
    found = []
    for name in dir(cls):
        method = getattr(cls, name, None)
        if callable(method) and getattr(method, _RULE_ATTR, False):
            found.append(method)
    return tuple(found)


class FormModel(Section):
    """Base of every form. Subclasses set the class variables below."""

    FORM_ID: ClassVar[str]
    TITLE: ClassVar[str]
    STAGE: ClassVar[str]
    VERSION: ClassVar[str]
    FORM_NO: ClassVar[str]

    project_name: str | None = F("项目名称", required=True, wide=True, section="identity")
    project_code: str | None = F(
        "项目代号", required=True, section="identity", hint="如 P2026-001",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-]{1,31}$",
    )
    customer_name: str | None = F("客户名称", required=True, wide=True, section="identity")
    filled_by: str | None = F("填表人", required=True, section="identity")
    filled_date: DateValue | None = F("填表日期", required=True, section="identity")

    @model_validator(mode="after")
    def _enforce_rules(self, info: ValidationInfo) -> FormModel:
        # On the form, not on every Section: nested sections are checked by the outermost
        # model only, and a validator per section instance cost a call each for nothing.
        if info.context and info.context.get("collect_rules"):
            return self
        problems = [f"{label_for(type(self), p)}：{m}" for p, m in self.iter_rule_problems()]
        if problems:
            raise ValueError("；".join(problems))
        return self


def join_path(prefix: str, name: str) -> str:
    if not prefix:
        return name
    if not name:
        return prefix
    return f"{prefix}.{name}"


_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


def split_path(path: str) -> list[tuple[str, int | None]]:
    """``items[2].unit_price`` -> ``[("items", 2), ("unit_price", None)]``."""
    return list(_split_path(path))


@lru_cache(maxsize=8192)  # the same few hundred paths, split for every value of every form read
def _split_path(path: str) -> tuple[tuple[str, int | None], ...]:
    out: list[tuple[str, int | None]] = []
    for part in path.split("."):
        m = _SEGMENT.fullmatch(part)
        if not m:
            raise ValueError(f"not a field path: {path!r}")
        out.append((m.group(1), int(m.group(2)) if m.group(2) is not None else None))
    return tuple(out)


def unwrap_optional(annotation: Any) -> Any:
    """``X | None`` -> ``X``; anything else unchanged."""
    if get_origin(annotation) in (Union, UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return annotation


def list_item(annotation: Any) -> Any | None:
    """``list[X]`` (optionally ``| None``) -> ``X``; not a list -> None."""
    annotation = unwrap_optional(annotation)
    if get_origin(annotation) is list:
        return get_args(annotation)[0]
    return None


def section_type(annotation: Any) -> type[Section] | None:
    """The Section model a field holds, directly or as list rows."""
    inner = list_item(annotation)
    inner = unwrap_optional(annotation) if inner is None else inner
    if isinstance(inner, type) and issubclass(inner, Section):
        return inner
    return None


_INDEX = re.compile(r"\[\d+\]")


def field_at(model: type[Section], path: str) -> FieldInfo:
    """The FieldInfo of the field a path names (list indexes ignored)."""
    return _field_at(model, _INDEX.sub("[0]", path))


@lru_cache(maxsize=4096)
def _field_at(model: type[Section], path: str) -> FieldInfo:
    current: type[Section] | None = model
    info: FieldInfo | None = None
    for name, _ in split_path(path):
        if current is None or name not in current.model_fields:
            raise KeyError(path)
        info = current.model_fields[name]
        current = section_type(info.annotation)
    assert info is not None
    return info


def label_for(model: type[Section], path: str) -> str:
    """The Chinese label of a path, unique within the form.

    Nested labels are joined with ``·``; list rows read ``第N行``:
    ``设备/产品清单第3行·单价``, ``项目立项·判断·营销人员``.
    """
    if not path:
        return getattr(model, "TITLE", "")
    parts: list[str] = []
    current: type[Section] | None = model
    try:
        for name, index in split_path(path):
            if current is None or name not in current.model_fields:
                raise KeyError(name)
            info = current.model_fields[name]
            label = info.title or name
            inner = section_type(info.annotation)
            if index is not None:
                label = f"{label}第{index + 1}行" if inner else f"{label}({index + 1})"
            parts.append(label)
            current = inner
    except (KeyError, ValueError):
        return path
    return "·".join(parts)
