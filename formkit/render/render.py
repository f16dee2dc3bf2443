"""Render a form, blank or prefilled, as a fillable .docx.

The template comes from the builder (once per process and form); docxtpl
renders it with autoescaping on and StrictUndefined, so a value such as
``<A&B>`` cannot corrupt the file and a missing variable is an error, not a
silent blank. The rendered document carries its identity (form, schema
version, project code, document id) in custom document properties and in
the footer line.
"""

from __future__ import annotations

import io
import itertools
import re
import zipfile
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import jinja2
from docxtpl import DocxTemplate

from formkit.errors import DataFileError, TemplateError
from formkit.fields import Money, format_date, format_money
from formkit.forms.base import (
    FormModel,
    Problem,
    Section,
    field_at,
    field_meta,
    list_item,
    section_type,
    unwrap_optional,
)
from formkit.forms.registry import FormSpec
from formkit.forms.validate import validate_form
from formkit.ooxml import write_custom_properties
from formkit.render.builder import build_template, control_kind
from formkit.render.compiled import CompiledTemplate
from formkit.render.qr import QR_PLACEHOLDER, qr_payload, qr_png

CONTEXT_NAMES = frozenset({"identity", "f", "rows", "next_id"})
PROPERTY_PREFIX = "formkit."


@dataclass(frozen=True)
class FieldView:
    """What a control shows: its text (or tick), and whether it is filled."""

    filled: bool = False
    text: str = ""
    checked: bool = False
    iso: str = ""

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


EMPTY = FieldView()


_UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (tab and line feed are kept)."""


def view_of(value: Any, info: Any = None) -> FieldView:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, str):
        value = _UNWRITABLE.sub(" ", value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, bool):
        return FieldView(filled=True, text="是" if value else "否", checked=value)
    if isinstance(value, date):
        return FieldView(filled=True, text=format_date(value), iso=value.isoformat())
    if isinstance(value, Decimal):
        return FieldView(filled=True, text=_decimal_text(value, info))
    return FieldView(filled=True, text=str(value))


def _decimal_text(value: Decimal, info: Any) -> str:
    annotation = unwrap_optional(getattr(info, "annotation", None))
    if annotation == Money:
        return format_money(value)
    return f"{value.normalize():f}"  # percentages too: their labels say (%)


@dataclass
class Identity:
    form: str
    schema_version: str
    project_code: str
    document_id: str

    def as_dict(self) -> dict[str, str]:
        return {"form": self.form, "schema_version": self.schema_version,
                "project_code": self.project_code, "document_id": self.document_id}


@dataclass
class Rendered:
    content: bytes
    identity: Identity
    warnings: list[Problem] = field(default_factory=list)


def _context_for(model: type[Section], obj: Section | None, prefix: str,
                 f: dict[str, FieldView], rows: dict[str, list[dict[str, FieldView]]]) -> None:
    for name, info in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        value = getattr(obj, name) if obj is not None else None
        inner = section_type(info.annotation)
        meta = field_meta(info)
        if inner is not None and list_item(info.annotation) is not None:
            filled = [{n: view_of(getattr(item, n), inner.model_fields[n]) for n in inner.model_fields}
                      for item in value or []]
            blank = {n: EMPTY for n in inner.model_fields}
            spare = max(0, meta.get("rows", 3) - len(filled))
            if name == getattr(model, "APPEND_ONLY", None):
                spare = max(spare, 2)  # a log always has room for the next entries
            rows[path] = filled + [blank] * spare
        elif inner is not None:
            _context_for(inner, value, path, f, rows)
        elif list_item(info.annotation) is not None:
            count = sum(len(g["items"]) for g in meta.get("checklist", []))
            items = list(value or [])
            for i in range(max(count, len(items))):
                f[f"{path}[{i}]"] = view_of(items[i] if i < len(items) else False)
        else:
            f[path] = view_of(value, info)


def build_context(model: type[FormModel], instance: FormModel | None, identity: Identity) -> dict[str, Any]:
    f: dict[str, FieldView] = {}
    rows: dict[str, list[dict[str, FieldView]]] = {}
    _context_for(model, instance, "", f, rows)
    counter = itertools.count(1000)
    return {"identity": identity.as_dict(), "f": f, "rows": rows, "next_id": lambda: next(counter)}


@lru_cache(maxsize=None)
def template_bytes(model: type[FormModel]) -> bytes:
    return build_template(model)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)


def new_document_id() -> str:
    return uuid.uuid4().hex


def render_form(
    spec: FormSpec,
    data: dict[str, Any] | None = None,
    *,
    project_code: str | None = None,
    document_id: str | None = None,
) -> Rendered:
    """Render ``spec`` blank (no data) or prefilled from ``data``.

    Data may be partial (a project record fills only what it knows); values
    that cannot be read raise DataFileError naming each field; disagreements
    between fields (金额 ≠ 数量 × 单价) come back as warnings.
    """
    instance: FormModel | None = None
    warnings: list[Problem] = []
    if data:
        checked = validate_form(spec.model, data, check_required=False)
        if checked.model is None or any(p.kind == "value" for p in checked.problems):
            lines = "；".join(f"{p.label}：{p.message}" for p in checked.problems)
            raise DataFileError(f"{spec.title}的数据有误：{lines}")
        instance = checked.model
        warnings = checked.problems
    code = project_code or (instance.project_code if instance else None) or ""
    identity = Identity(spec.id, spec.version, code, document_id or new_document_id())
    props = {PROPERTY_PREFIX + k: v for k, v in identity.as_dict().items()}
    props[PROPERTY_PREFIX + "title"] = spec.title
    content = _render_bytes(spec.model, build_context(spec.model, instance, identity), props)
    return Rendered(content, identity, warnings)


@lru_cache(maxsize=None)
def _compiled(model: type[FormModel]) -> CompiledTemplate:
    return CompiledTemplate(template_bytes(model), _environment(), {"qr": qr_png(QR_PLACEHOLDER)})


def _qr_of(context: dict[str, Any]) -> bytes:
    ident = context["identity"]
    return qr_png(qr_payload(ident["form"], ident["schema_version"], ident["project_code"], ident["document_id"]))


def _render_bytes(model: type[FormModel], context: dict[str, Any], props: dict[str, str] | None = None) -> bytes:
    try:
        return _compiled(model).render(context, props or {}, {"qr": _qr_of(context)})
    except jinja2.TemplateError as e:
        raise TemplateError(f"{model.TITLE}的模板无法渲染：{e}") from e


def render_with_docxtpl(model: type[FormModel], context: dict[str, Any], props: dict[str, str]) -> bytes:
    """The same document the plain docxtpl way (open, render, save): the
    reference that the compiled renderer must match, and the bench baseline."""
    tpl = DocxTemplate(io.BytesIO(template_bytes(model)))
    tpl.render(context, _environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    qr_part = _compiled(model).media_part("qr")
    return write_custom_properties(_replace_part(out.getvalue(), qr_part, _qr_of(context)), props)


def _replace_part(docx: bytes, name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, data if item.filename == name else zin.read(item))
    return out.getvalue()



def control_values(model: type[FormModel], data: dict[str, Any]) -> dict[str, Any]:
    """Form data -> {control tag: text as shown, or True/False for a box}.

    What a person would type into each control of a blank form to fill it
    with ``data`` (used to fill forms programmatically, e.g. in the demo).
    """
    checked = validate_form(model, data, check_required=False)
    if checked.model is None:
        raise DataFileError("；".join(f"{p.label}：{p.message}" for p in checked.problems))
    f: dict[str, FieldView] = {}
    rows: dict[str, list[dict[str, FieldView]]] = {}
    _context_for(model, checked.model, "", f, rows)
    views = dict(f)
    for name, items in rows.items():
        for i, row in enumerate(items):
            views.update({f"{name}[{i}].{field}": view for field, view in row.items()})
    out: dict[str, Any] = {}
    for tag, view in views.items():
        info = field_at(model, tag)
        box = control_kind(info)[0] == "checkbox" or list_item(info.annotation) is not None
        if box:
            out[tag] = view.checked
        elif view.filled:
            out[tag] = view.text
    return out
