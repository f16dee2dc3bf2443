"""The PDF round trip: render -> LibreOffice "Save as PDF" -> parse_pdf -> same values.

Samples and generated data of every core form go through one batched
LibreOffice conversion (plain export: the text layer and table rulings), and
a few through the export with form fields (AcroForm, tooltip = alias).

A PDF does not say whether a line ended because the text wrapped or because
the writer pressed Enter, nor whether a wrap was at a space: the reader
decides by where the line ends (see formkit/parse/pdf.py). The samples read
back exactly; generated random text (spaces and line breaks anywhere, up to
the cell's edge) must read back exactly up to white space.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from formkit.forms import get_form
from formkit.office import convert
from formkit.parse.pdf import parse_pdf
from formkit.parse.values import PDF_FIELD, PDF_TEXT
from formkit.render.render import render_form
from tests.integration.test_roundtrip import canonical
from tests.support.data import CORE, flatten, sample, sample_forms
from tests.support.generated import generated_forms

pytestmark = pytest.mark.office

GENERATED = 3


def _cases() -> list[tuple[str, str, dict]]:
    made = [(f"{project}-{form}", form, sample(project, form)) for project, form in sample_forms()]  # every form
    for form in CORE:  # frozen: the same values on every run (2-negotiation_plan loses a row, see below)
        made += [(f"generated-{n}-{form}", form, data) for n, data in enumerate(generated_forms(form, GENERATED))]
    return made


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str, dict, str, Path]]:
    folder = tmp_path_factory.mktemp("docx")
    cases = []
    for name, form, data in _cases():
        rendered = render_form(get_form(form), data)
        path = folder / f"{name}.docx"
        path.write_bytes(rendered.content)
        cases.append((name, form, data, rendered.identity.document_id, path))
    out = convert([c[4] for c in cases], "pdf", tmp_path_factory.mktemp("pdf"))
    return [(n, f, d, i, pdf) for (n, f, d, i, _), pdf in zip(cases, out)]


def test_every_pdf_parses_to_the_same_values(pdfs: list[tuple[str, str, dict, str, Path]]) -> None:
    failures = []
    for name, form, data, document_id, path in pdfs:
        parsed = parse_pdf(str(path))
        # a row is missing only where the PDF has no such row: LibreOffice 25.2 leaves one
        # out now and then (test_a_row_libreoffice_left_out_is_reported_not_read_as_blank)
        lost = {p.path for p in parsed.problems if p.kind == "missing_row"}
        text = _text(path)
        failures += [f"{name}: {p.label} is in the PDF, said missing" for p in parsed.problems
                     if p.kind == "missing_row" and "".join(p.label.split()) in text]
        expected = {k: v for k, v in flatten(canonical(form, data)).items() if k not in lost}
        got = flatten(parsed.data)
        # Core samples must come back exactly; generated text and the catalog's samples
        # up to whitespace at line wraps (a PDF cannot always tell a wrap at a space
        # from a wrap between 书 and V1.3).
        exact = form in CORE and not name.startswith("generated")
        same = (lambda v: v) if exact else _squash
        diff = {k: (expected.get(k), got.get(k)) for k in set(expected) | set(got)
                if same(expected.get(k)) != same(got.get(k))}
        if diff:
            failures.append(f"{name}: {diff}")
        if (parsed.identity.form, parsed.identity.document_id, parsed.identity.project_code) != \
                (form, document_id, data["project_code"]):
            failures.append(f"{name}: identity {parsed.identity}")
        if set(parsed.sources.values()) - {PDF_TEXT}:
            failures.append(f"{name}: sources {set(parsed.sources.values())}")
        if [p for p in parsed.problems if p.kind == "value"]:
            failures.append(f"{name}: {parsed.problems}")
    assert failures == []


def _text(pdf: Path) -> str:
    """The PDF's text, white space removed."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return "".join("".join((page.extract_text() or "").split()) for page in doc.pages)


def test_a_row_libreoffice_left_out_is_reported_not_read_as_blank(
        pdfs: list[tuple[str, str, dict, str, Path]]) -> None:
    """LibreOffice 25.2 left negotiation_plan's 折扣权限 row out of this form's PDF (a
    row that may not split, with a minimum height, at a page's foot): the PDF reader
    says the row is missing instead of reading the value as blank."""
    [(_, _, _, _, pdf)] = [case for case in pdfs if case[0] == "generated-2-negotiation_plan"]
    text = _text(pdf)
    parsed = parse_pdf(str(pdf))
    lost = [(p.path, p.label) for p in parsed.problems if p.kind == "missing_row"]
    if "折扣权限" not in text:  # as LibreOffice 25.2 does
        assert lost == [("max_discount", "折扣权限(%)")]
    else:  # a LibreOffice that keeps the row
        assert lost == []
    assert "max_discount" not in parsed.data


def _squash(value: object) -> object:
    if isinstance(value, dict):
        return {k: _squash(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_squash(v) for v in value]
    return "".join(value.split()) if isinstance(value, str) else value


def test_multi_page_forms_are_read_across_pages(pdfs: list[tuple[str, str, dict, str, Path]]) -> None:
    import pypdfium2 as pdfium

    pages = {name: len(pdfium.PdfDocument(str(path))) for name, _, _, _, path in pdfs}
    assert pages["anfang-tracking_sheet"] >= 3 and pages["anfang-solution_spec"] >= 2


def test_long_list_continues_on_the_next_page(tmp_path: Path) -> None:
    data = sample("anfang", "solution_spec")
    data["items"] = [dict(data["items"][0], name=f"设备{i}", remark="第一行\n第二行") for i in range(30)]
    data["items"][5]["remark"] = "很长的备注" * 12
    spec = get_form("solution_spec")
    docx = tmp_path / "long.docx"
    docx.write_bytes(render_form(spec, data).content)
    (pdf,) = convert([docx], "pdf", tmp_path / "out")
    parsed = parse_pdf(str(pdf))
    assert parsed.data["items"] == canonical("solution_spec", data)["items"]


def test_acroform_fields_are_read_first(tmp_path: Path) -> None:
    paths = []
    for form in ("acceptance", "tracking_sheet"):
        path = tmp_path / f"{form}.docx"
        path.write_bytes(render_form(get_form(form), sample("anfang", form)).content)
        paths.append(path)
    for form, pdf in zip(("acceptance", "tracking_sheet"), convert(paths, "pdf", tmp_path / "out", form_fields=True)):
        parsed = parse_pdf(str(pdf))
        assert parsed.data == canonical(form, sample("anfang", form))
        assert set(parsed.sources.values()) == {PDF_FIELD}
