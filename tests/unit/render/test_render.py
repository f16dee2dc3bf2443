"""What a rendered form is made of: controls, fonts, identity, escaping."""

from __future__ import annotations

import io
import re
import zipfile

import jinja2
import pytest
from docxtpl import DocxTemplate
from lxml import etree

from formkit import ooxml
from formkit.errors import DataFileError
from formkit.forms import all_forms, get_form
from formkit.render.render import CONTEXT_NAMES, _environment, render_form, template_bytes
from tests.support.data import sample

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPECS = list(all_forms())


def document_xml(content: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        return etree.fromstring(z.read("word/document.xml"))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_template_uses_only_known_variables(spec) -> None:
    tpl = DocxTemplate(io.BytesIO(template_bytes(spec.model)))
    assert tpl.get_undeclared_template_variables(_environment()) <= CONTEXT_NAMES


def test_undefined_variables_are_errors_not_blanks() -> None:
    with pytest.raises(jinja2.UndefinedError):
        _environment().from_string("{{ f['nope'].text }}").render(f={})


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_every_control_is_inline_tagged_and_aliased_uniquely(spec) -> None:
    content = render_form(spec, sample("anfang", spec.id)).content
    controls = ooxml.read_controls(ooxml.open_package(content))
    body = [c for c in controls if c.part == "word/document.xml"]
    assert body and all(c.level == "inline" for c in body)
    assert all(c.tag and c.alias for c in body)
    aliases = [c.alias for c in body]
    assert len(aliases) == len(set(aliases)), "aliases must be unique: a PDF export keeps only them"
    tags = [c.tag for c in body]
    assert len(tags) == len(set(tags))


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.id)
def test_every_run_sets_the_east_asian_font(spec) -> None:
    root = document_xml(render_form(spec, project_code="P2026-001").content)
    runs = list(root.iter(f"{W}r"))
    assert runs
    for run in runs:
        fonts = run.find(f"{W}rPr/{W}rFonts")
        assert fonts is not None and fonts.get(f"{W}eastAsia"), etree.tostring(run)[:200]


def test_blank_form_shows_prompts_and_types() -> None:
    content = render_form(get_form("project_initiation"), project_code="P2026-001").content
    controls = {c.tag: c for c in ooxml.read_controls(ooxml.open_package(content))}
    assert controls["budget"].showing_placeholder and controls["budget"].value == "如 1,200,000.00"
    assert controls["expected_sign_date"].type == "date"
    assert controls["project_type"].type == "dropdown"
    assert [d for d, _ in controls["project_type"].list_items] == ["自营把控项目", "战略意义项目", "竞争投标项目"]
    assert controls["key_customer"].type == "checkbox" and controls["key_customer"].checked is False


def test_prefilled_form_shows_values_and_checks() -> None:
    content = render_form(get_form("project_initiation"), sample("anfang", "project_initiation")).content
    controls = {c.tag: c for c in ooxml.read_controls(ooxml.open_package(content))}
    assert controls["budget"].value == "1,200,000.00" and not controls["budget"].showing_placeholder
    assert controls["expected_sign_date"].value == "2026年5月20日"
    assert controls["expected_sign_date"].date_full.startswith("2026-05-20")
    assert controls["key_customer"].checked is True
    assert controls["background"].value.count("\n") == 1  # a line break, not a paragraph


def test_identity_in_properties_and_footer() -> None:
    rendered = render_form(get_form("acceptance"), sample("anfang", "acceptance"))
    pkg = ooxml.open_package(rendered.content)
    info = ooxml.inspect(pkg)
    assert info["identity"] == {"form": "acceptance", "schema_version": "1.0",
                                "project_code": "P2026-001", "document_id": rendered.identity.document_id}
    with zipfile.ZipFile(io.BytesIO(rendered.content)) as z:
        footer = "".join(n for n in z.namelist() if n.startswith("word/footer"))
        text = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/footer"))
    assert footer and f"文档 {rendered.identity.document_id}" in re.sub(r"<[^>]+>", "", text)


def test_a4_page_and_chinese_language() -> None:
    root = document_xml(render_form(get_form("acceptance")).content)
    size = root.find(f".//{W}sectPr/{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
    assert root.find(f".//{W}lang").get(f"{W}eastAsia") == "zh-CN"


def test_markup_in_values_is_escaped() -> None:
    data = sample("anfang", "solution_spec")
    data["overview"] = 'A<B & C>"D" \'E\' </w:t><w:p>'
    content = render_form(get_form("solution_spec"), data).content
    document_xml(content)  # still well-formed
    from formkit.parse.docx import parse_docx

    assert parse_docx(content).data["overview"] == data["overview"]


def test_unreadable_data_is_refused_with_labels() -> None:
    with pytest.raises(DataFileError, match="验收日期") as e:
        render_form(get_form("acceptance"), {"acceptance_date": "下周一"})
    assert "下周一" in str(e.value)


def test_disagreeing_values_render_with_warnings() -> None:
    data = sample("anfang", "acceptance")
    data["contract_amount_daxie"] = "壹佰万元整"
    rendered = render_form(get_form("acceptance"), data)
    assert [w.path for w in rendered.warnings] == ["contract_amount_daxie"]


def test_document_ids_are_unique() -> None:
    spec = get_form("acceptance")
    assert len({render_form(spec).identity.document_id for _ in range(5)}) == 5
