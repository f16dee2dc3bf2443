"""The Word round trip: render -> (fill as Word would) -> parse -> same values."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formkit.fields import format_date, parse_money, to_daxie
from formkit.forms import all_forms, get_form
from formkit.forms.validate import validate_form
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from tests.support.data import as_returned, flatten, sample, sample_forms
from tests.support.strategies import form_data
from tests.support.wordlike import word_fill

FORM_IDS = [s.id for s in all_forms()]


def canonical(form: str, data: dict) -> dict:
    model = get_form(form).model
    checked = validate_form(model, data, check_required=False)
    assert checked.model is not None, checked.problems
    return as_returned(model, checked.data)


@pytest.mark.parametrize(("project", "form"), sample_forms())
def test_prefilled_sample_parses_to_same_values(project: str, form: str) -> None:
    data = sample(project, form)
    rendered = render_form(get_form(form), data)
    parsed = parse_docx(rendered.content)
    assert parsed.data == canonical(form, data)
    assert parsed.identity.document_id == rendered.identity.document_id
    assert parsed.identity.project_code == data["project_code"]
    assert parsed.identity.form == form


@pytest.mark.parametrize("form", FORM_IDS)
def test_blank_form_parses_as_not_filled(form: str) -> None:
    rendered = render_form(get_form(form), project_code="P2026-001")
    parsed = parse_docx(rendered.content)
    assert parsed.identity.project_code == "P2026-001"
    assert not any(p.kind == "fixed_text" for p in parsed.problems)
    required = [p for p in parsed.problems if p.kind == "required"]
    assert required and all(p.message == "必填项未填写" for p in required)
    assert "project_name" in {p.path for p in required}


@pytest.mark.parametrize(("project", "form"), sample_forms())
def test_blank_form_filled_like_word_parses_to_values(project: str, form: str) -> None:
    data = sample(project, form)
    blank = render_form(get_form(form), project_code=data["project_code"]).content
    filled = word_fill(blank, _typed(flatten(data)), seed=len(form))
    parsed = parse_docx(filled)
    assert parsed.data == canonical(form, data)
    assert not [p for p in parsed.problems if p.kind == "fixed_text"]


def _typed(values: dict) -> dict:
    """Values as people type them: other date and money spellings."""
    out = {}
    for n, (tag, value) in enumerate(values.items()):
        if isinstance(value, date):
            value = [value.isoformat(), f"{value.year}/{value.month}/{value.day}", format_date(value),
                     f"{value.year}.{value.month}.{value.day}"][n % 4]
        elif isinstance(value, str) and tag.endswith(("amount", "budget", "total", "_cost", "unit_price")):
            amount = parse_money(value)
            value = [f"¥{amount:,.2f}", to_daxie(amount), f"{amount}元"][n % 3]
        out[tag] = value
    return out


@pytest.mark.parametrize("form", FORM_IDS)
@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_generated_data_round_trips_prefilled_and_word_filled(form: str, data: st.DataObject) -> None:
    spec = get_form(form)
    values = data.draw(form_data(spec.model))
    expected = canonical(form, values)
    parsed = parse_docx(render_form(spec, values).content)
    assert parsed.data == expected
    blank = render_form(spec, project_code=values["project_code"]).content
    parsed = parse_docx(word_fill(blank, flatten(values), seed=1))
    assert parsed.data == expected
    assert not [p for p in parsed.problems if p.kind in ("value", "fixed_text")]
