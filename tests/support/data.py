"""Sample data and helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
SHARED = ROOT.parent / "shared"
# the process's core forms: 项目跟踪流程表, 立项申请表, 方案说明书, 商务谈判计划书, 项目验收单
CORE = ["tracking_sheet", "project_initiation", "solution_spec", "negotiation_plan", "acceptance"]


def sample(project: str, form: str) -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / project / f"{form}.yaml").read_text(encoding="utf-8"))


def sample_forms() -> list[tuple[str, str]]:
    return sorted((p.parent.name, p.stem) for p in SAMPLES.glob("*/*.yaml") if p.stem != "project")


def flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    """Nested form data -> {tag: value}, the way controls are tagged."""
    out: dict[str, Any] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{i}]"))
    else:
        out[prefix] = data
    return out


def left_blank(form: str, data: dict[str, Any]) -> list[str]:
    """The typed fields (checkboxes aside) a form's data leaves blank, named as
    flatten() names them, those of a block left out included: a scan of the
    form must read each as blank."""
    from formkit.forms import get_form
    from formkit.forms.validate import validate_form

    model = get_form(form).model
    checked = validate_form(model, data, check_required=False)
    assert checked.model is not None, checked.problems
    return [key for key, value in _leaves(model, checked.model.model_dump(mode="json"), "")
            if value in (None, "", [])]


def _leaves(model: Any, data: dict[str, Any] | None, prefix: str) -> Any:
    import typing

    from formkit.forms.base import list_item, section_type

    for name, info in model.model_fields.items():
        key = f"{prefix}.{name}" if prefix else name
        value = (data or {}).get(name)
        inner = section_type(info.annotation)
        if inner is not None and list_item(info.annotation) is not None:
            for i, row in enumerate(value or []):
                yield from _leaves(inner, row, f"{key}[{i}]")
        elif inner is not None:
            yield from _leaves(inner, value, key)
        elif bool not in (info.annotation, *typing.get_args(info.annotation)):
            yield key, value


def as_returned(model: Any, data: dict[str, Any]) -> dict[str, Any]:
    """What a returned form says for ``data``: a checkbox is never "not filled".

    An unticked box reads as False, so every checkbox of the form (and of each
    row and of each filled block) is False where the data left it out.
    """
    from formkit.forms.base import list_item, section_type
    from formkit.parse.values import untouched
    from formkit.render.builder import control_kind

    out = dict(data)
    for name, info in model.model_fields.items():
        inner = section_type(info.annotation)
        if inner is not None and list_item(info.annotation) is not None:
            out[name] = [as_returned(inner, row) for row in data.get(name, [])]
        elif inner is not None:
            if name in data:
                out[name] = as_returned(inner, data[name])
                if untouched(out[name]):
                    del out[name]  # nothing written, no box ticked: not filled
        elif list_item(info.annotation) is not None:
            meta = (info.json_schema_extra or {}).get("x-formkit", {})
            count = sum(len(g["items"]) for g in meta.get("checklist", []))
            if not out.get(name):
                out[name] = [False] * count
        elif control_kind(info)[0] == "checkbox":
            out.setdefault(name, False)
    return out

