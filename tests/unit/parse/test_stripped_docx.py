"""A .docx whose content controls are gone is read by labels and table structure."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from formkit.errors import NotAFormError
from formkit.forms import get_form
from formkit.parse.docx import parse_docx
from formkit.parse.values import LABEL
from formkit.render.render import render_form
from tests.integration.test_roundtrip import canonical
from tests.support.data import CORE, sample
from tests.support.flatten import unwrap_controls
from tests.support.strategies import form_data



@pytest.mark.parametrize("form", CORE)
def test_unwrapped_sample_parses_to_same_values(form: str) -> None:
    data = sample("anfang", form)
    rendered = render_form(get_form(form), data)
    parsed = parse_docx(unwrap_controls(rendered.content))
    assert parsed.data == canonical(form, data)
    assert parsed.identity == rendered.identity
    assert set(parsed.sources.values()) == {LABEL}
    assert any("内容控件已丢失" in n for n in parsed.notices)
    assert not [p for p in parsed.problems if p.kind in ("value", "fixed_text")]


@pytest.mark.parametrize("form", CORE)
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_unwrapped_generated_data_parses_to_same_values(form: str, data: st.DataObject) -> None:
    spec = get_form(form)
    values = data.draw(form_data(spec.model))
    parsed = parse_docx(unwrap_controls(render_form(spec, values).content))
    assert parsed.data == canonical(form, values)


def test_unwrapped_blank_form_reads_as_not_filled() -> None:
    blank = render_form(get_form("acceptance"), project_code="P2026-009").content
    parsed = parse_docx(unwrap_controls(blank))
    assert parsed.identity.project_code == "P2026-009"
    assert parsed.data.get("checks") == [] and "contract_no" not in parsed.data


def test_unwrapped_without_identity_is_not_a_form() -> None:
    import io
    from docx import Document

    doc = Document()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "合同编号", "HT-1"
    out = io.BytesIO()
    doc.save(out)
    with pytest.raises(NotAFormError):
        parse_docx(out.getvalue())


def test_a_row_deleted_from_a_copy_is_reported_not_read_as_blank() -> None:
    """A copied form whose 折扣权限 row was deleted: that value is not blank but
    missing from the document, and the submission says so (kind missing_row);
    every row still there reads as before."""
    import io

    from docx import Document

    data = sample("anfang", "negotiation_plan")
    doc = Document(io.BytesIO(unwrap_controls(render_form(get_form("negotiation_plan"), data).content)))
    [row] = [r for t in doc.tables for r in t.rows if r.cells[0].text.strip() == "折扣权限(%)"]
    row._tr.getparent().remove(row._tr)
    out = io.BytesIO()
    doc.save(out)
    parsed = parse_docx(out.getvalue())
    lost = [p for p in parsed.problems if p.kind == "missing_row"]
    assert [(p.path, p.label) for p in lost] == [("max_discount", "折扣权限(%)")]
    assert "文档中没有“折扣权限(%)”这一行" in lost[0].message
    expected = canonical("negotiation_plan", data)
    expected.pop("max_discount", None)
    assert parsed.data == expected
    # the whole form, no row deleted: no such problem
    assert not [p for p in parse_docx(unwrap_controls(render_form(get_form("negotiation_plan"), data).content)).problems
                if p.kind == "missing_row"]
