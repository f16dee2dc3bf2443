"""LibreOffice 25.2 and formkit's forms.

Two kinds of test:

* conversions through formkit.office (need soffice >= 24, marked ``office``);
* forms filled in LibreOffice through UNO and saved as .docx by it
  (tests/data/lo_filled, made by ``python -m tests.office.make_fixtures``):
  these only read files, so they always run.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from formkit import ooxml
from formkit.errors import OfficeError
from formkit.forms import all_forms, get_form
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from tests.office.make_fixtures import OUT as FIXTURES
from tests.office.make_fixtures import PROJECT_CODE, SAMPLES, document_id, flatten

FORM_IDS = [spec.id for spec in all_forms()]


def sample(form: str) -> dict[str, Any]:
    return yaml.safe_load((SAMPLES / f"{form}.yaml").read_text(encoding="utf-8"))


def problem_set(problems: list[Any]) -> list[tuple[str, str, str]]:
    return sorted((p.path, p.kind, p.message) for p in problems)


def body_controls(source: Any) -> list[ooxml.Control]:
    with ooxml.open_package(source) as pkg:
        return [c for c in ooxml.read_controls(pkg) if c.part == "word/document.xml"]


# --- conversions (need LibreOffice) -------------------------------------------------

@pytest.fixture(scope="module")
def soffice() -> str:
    from formkit.office import find_soffice

    try:
        return find_soffice()
    except OfficeError as e:  # the README's test command installs it: a missing one is a failure
        pytest.fail(str(e))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("rendered")
    paths = {}
    for form in FORM_IDS:
        paths[form] = folder / f"{form}.docx"
        paths[form].write_bytes(render_form(get_form(form), sample(form)).content)
    return paths


@pytest.mark.office
def test_convert_batch_to_pdf(soffice: str, rendered: dict[str, Path], tmp_path: Path) -> None:
    from pypdf import PdfReader

    from formkit.office import convert

    pdfs = convert(list(rendered.values()), "pdf", tmp_path / "pdf")
    assert pdfs == [tmp_path / "pdf" / f"{form}.pdf" for form in rendered]
    for form, pdf in zip(rendered, pdfs):
        reader = PdfReader(pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        spec = get_form(form)
        assert reader.metadata.title == spec.title
        assert spec.title in text
        assert sample(form)["project_name"] in text.replace("\n", "")  # a long name wraps in its cell
        assert f"表单 {form}" in text and f"项目 {PROJECT_CODE}" in text  # footer identity line


@pytest.mark.office
def test_convert_batch_to_docx_keeps_the_form(soffice: str, rendered: dict[str, Path], tmp_path: Path) -> None:
    from formkit.office import convert

    saved = convert(list(rendered.values()), "docx", tmp_path / "docx")
    assert [p.name for p in saved] == [p.name for p in rendered.values()]
    for (form, original), resaved in zip(rendered.items(), saved):
        before, after = parse_docx(str(original)), parse_docx(str(resaved))
        assert after.identity == before.identity  # custom document properties survive
        assert after.data == before.data
        assert problem_set(after.problems) == problem_set(before.problems)
        assert after.notices == []


@pytest.mark.office
def test_convert_refuses_to_overwrite_its_input(soffice: str, rendered: dict[str, Path]) -> None:
    from formkit.office import convert

    some = rendered[FORM_IDS[0]]
    with pytest.raises(ValueError):
        convert([some], "docx", some.parent)


def test_convert_without_soffice_says_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from formkit import office

    monkeypatch.setattr(office, "_candidates", lambda: [])
    source = tmp_path / "a.docx"
    source.write_bytes(b"")
    with pytest.raises(OfficeError, match=r"bash \.ci/install-system"):
        office.convert([source], "pdf", tmp_path / "out")


def test_old_libreoffice_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from formkit import office

    monkeypatch.setattr(office, "_candidates", lambda: ["/usr/bin/soffice"])
    monkeypatch.setattr(office, "_version", lambda path: (7, 4))
    with pytest.raises(OfficeError, match=r"7\.4.*bash \.ci/install-system"):
        office.find_soffice()


@pytest.mark.office
def test_convert_reports_a_file_it_cannot_read(soffice: str, tmp_path: Path) -> None:
    import zipfile

    from formkit.office import convert

    broken = tmp_path / "broken.docx"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<broken")
    with pytest.raises(OfficeError, match="broken.docx"):
        convert([broken], "pdf", tmp_path / "out")
    assert not (tmp_path / "out" / "broken.pdf").exists()


# --- forms filled in LibreOffice (committed fixtures) ---------------------------------

@pytest.fixture(params=FORM_IDS)
def lo_filled(request: pytest.FixtureRequest) -> tuple[str, Path, dict[str, Any]]:
    form = request.param
    docx = FIXTURES / f"{form}.docx"
    if not docx.exists():
        pytest.fail(f"{docx} missing: run python -m tests.office.make_fixtures")
    values = json.loads((FIXTURES / f"{form}.values.json").read_text(encoding="utf-8"))
    return form, docx, values


def test_lo_filled_form_parses_to_the_values_filled(lo_filled: tuple[str, Path, dict[str, Any]]) -> None:
    form, docx, values = lo_filled
    parsed = parse_docx(str(docx))
    assert parsed.identity.form == form
    assert parsed.identity.project_code == PROJECT_CODE
    assert parsed.identity.document_id == document_id(form)
    assert flatten(parsed.data) == values
    assert parsed.notices == []
    # The same data rendered by formkit itself: only the problems the sample has.
    reference = parse_docx(render_form(get_form(form), sample(form)).content)
    assert problem_set(parsed.problems) == problem_set(reference.problems)


def test_lo_keeps_every_control_with_tag_alias_and_type(lo_filled: tuple[str, Path, dict[str, Any]]) -> None:
    form, docx, values = lo_filled
    blank = body_controls(render_form(get_form(form), project_code=PROJECT_CODE).content)
    after = body_controls(str(docx))
    kinds = Counter((c.tag, c.alias, c.type, c.lock) for c in after)
    for c in blank:
        assert kinds[(c.tag, c.alias, c.type, c.lock)] >= 1, c.tag
    assert len(after) >= len(blank)
    assert all(c.level == "inline" for c in after)
    for c in after:  # typed-into controls left placeholder mode, the others did not
        if c.type != "checkbox":
            assert c.showing_placeholder is (c.tag not in values), c.tag


def test_lo_keeps_line_breaks_checkboxes_and_dates(lo_filled: tuple[str, Path, dict[str, Any]]) -> None:
    form, docx, values = lo_filled
    by_tag: dict[str, list[ooxml.Control]] = {}
    for c in body_controls(str(docx)):
        by_tag.setdefault(c.tag or "", []).append(c)
    for tag, value in values.items():
        if tag not in by_tag:  # a row LibreOffice added by copying the last one
            continue
        c = by_tag[tag][0]
        if isinstance(value, bool):
            assert c.type == "checkbox" and c.checked is value, tag
        elif c.type == "date":
            assert c.date_full and c.date_full.startswith(value), tag
        elif "\n" in str(value):
            assert c.value == value, tag  # w:br inside the control, not new paragraphs
