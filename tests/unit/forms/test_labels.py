"""What every form's labels and prompts must hold to, whoever writes the form."""

from __future__ import annotations

import pytest

from formkit.fields import Percent, classify
from formkit.forms import all_forms
from formkit.forms.base import field_meta, list_item, section_type, unwrap_optional
from formkit.render.builder import control_kind
from formkit.render.controls import PROMPT_STARTS, prompt_for

SPECS = list(all_forms())


def fields(model, prefix=""):
    for name, info in model.model_fields.items():
        inner = section_type(info.annotation)
        yield f"{prefix}{name}", info
        if inner is not None:
            yield from fields(inner, f"{prefix}{name}.")


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_percent_labels_say_percent(spec) -> None:
    """A rendered percentage is a plain number, so its label carries the (%)."""
    bad = [path for path, info in fields(spec.model)
           if unwrap_optional(info.annotation) == Percent and not info.title.endswith("(%)")]
    assert bad == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_prompts_are_not_plausible_values(spec) -> None:
    """A prompt left in a control reads as "not filled": it must not be a value
    someone could type (如 质量管理部 is a prompt; 质量管理部 is a value)."""
    bad = []
    for path, info in fields(spec.model):
        kind = control_kind(info)[0]
        if kind == "checkbox" or section_type(info.annotation) is not None or list_item(info.annotation):
            continue  # a box has no prompt; a block or list is not a control
        prompt = prompt_for(kind, field_meta(info).get("hint"))
        if not (prompt.startswith(PROMPT_STARTS) or prompt.endswith("…")):
            bad.append(f"{path}: {prompt}")
    assert bad == []


def test_prompt_text_left_in_place_reads_as_blank() -> None:
    assert classify("如 P2026-001", "如 P2026-001") == "blank"
