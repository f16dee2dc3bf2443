"""Parsing returned .docx forms: what Word, WPS and people do to them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lxml import etree

from formkit.errors import NotAFormError
from formkit.forms import FormVersion, get_form, register
from formkit.forms.base import F, FormModel
from formkit.forms.registry import FormSpec, unregister
from formkit.parse.docx import parse_docx
from formkit.render.render import render_form
from tests.support.data import sample
from tests.support.wordlike import edit_document, q, word_fill


def sdt(root: etree._Element, tag: str) -> etree._Element:
    for el in root.iter(q("w:sdt")):
        t = el.find(f"{q('w:sdtPr')}/{q('w:tag')}")
        if t is not None and t.get(q("w:val")) == tag:
            return el
    raise KeyError(tag)


@pytest.fixture
def acceptance() -> bytes:
    return render_form(get_form("acceptance"), sample("anfang", "acceptance")).content


def test_tracked_changes_are_read_accepted_and_reported(acceptance: bytes) -> None:
    def change(root: etree._Element) -> None:
        content = sdt(root, "customer_signer").find(q("w:sdtContent"))
        run = content.find(q("w:r"))
        deleted = etree.SubElement(content, q("w:del"), {q("w:id"): "1", q("w:author"): "客户"})
        run.getparent().remove(run)
        deleted.append(run)
        run.find(q("w:t")).tag = q("w:delText")
        inserted = etree.SubElement(content, q("w:ins"), {q("w:id"): "2", q("w:author"): "客户"})
        new = etree.SubElement(inserted, q("w:r"))
        etree.SubElement(new, q("w:t")).text = "张卫国"

    parsed = parse_docx(edit_document(acceptance, change))
    assert parsed.data["customer_signer"] == "张卫国"
    assert any("未处理的修订" in n for n in parsed.notices)


def test_dropdown_display_text_maps_back_to_value(acceptance: bytes) -> None:
    def change(root: etree._Element) -> None:
        control = sdt(root, "conclusion")
        items = control.find(f"{q('w:sdtPr')}/{q('w:dropDownList')}")
        for item in items:
            item.set(q("w:value"), {"通过": "1", "有条件通过": "2", "不通过": "3"}[item.get(q("w:displayText"))])

    parsed = parse_docx(edit_document(acceptance, change))
    assert parsed.data["conclusion"] == "通过"

    def store_code(root: etree._Element) -> None:
        change(root)
        sdt(root, "conclusion").find(f".//{q('w:t')}").text = "3"  # a suite that keeps the value code

    parsed = parse_docx(edit_document(acceptance, store_code))
    assert parsed.data["conclusion"] == "不通过"


def test_checkbox_flattened_to_a_glyph_by_wps(acceptance: bytes) -> None:
    def change(root: etree._Element) -> None:
        for tag, glyph in (("customer_stamped", "☑"), ("deliverables[0].delivered", "□")):
            pr = sdt(root, tag).find(q("w:sdtPr"))
            pr.remove(pr.find(q("w14:checkbox")))
            sdt(root, tag).find(f".//{q('w:t')}").text = glyph

    parsed = parse_docx(edit_document(acceptance, change))
    assert parsed.data["customer_stamped"] is True
    assert parsed.data["deliverables"][0]["delivered"] is False


def test_ticks_typed_as_text_choose_the_option() -> None:
    blank = render_form(get_form("acceptance"), project_code="P2026-001").content
    filled = word_fill(blank, {"conclusion": "☐通过 ☑有条件通过 ☐不通过", "acceptance_type": "正式验收"})
    parsed = parse_docx(filled)
    assert parsed.data["conclusion"] == "有条件通过"


def test_explicit_none_differs_from_not_filled() -> None:
    blank = render_form(get_form("acceptance"), project_code="P2026-001").content
    parsed = parse_docx(word_fill(blank, {"open_issues": "无", "rectification_deadline": "/"}))
    assert parsed.data["open_issues"] == "无"
    assert "rectification_deadline" not in parsed.data
    assert "customer_opinion" not in parsed.data  # placeholder left: not filled
    assert not [p for p in parsed.problems if p.path in ("open_issues", "rectification_deadline")]


def test_values_that_cannot_be_read_are_problems_not_drops() -> None:
    blank = render_form(get_form("acceptance"), project_code="P2026-001").content
    parsed = parse_docx(word_fill(blank, {"contract_amount": "一百二十万左右", "acceptance_date": "八月底"}))
    by_path = {p.path: p for p in parsed.problems}
    assert by_path["contract_amount"].label == "合同金额(元)"
    assert by_path["contract_amount"].value == "一百二十万左右"
    assert by_path["acceptance_date"].value == "八月底"


def test_edits_to_fixed_wording_are_reported(acceptance: bytes) -> None:
    def change(root: etree._Element) -> None:
        for t in root.iter(q("w:t")):
            if t.text == "验收标准":
                t.text = "验收标准（客户已改）"
                return

    parsed = parse_docx(edit_document(acceptance, change))
    messages = [p.message for p in parsed.problems if p.kind == "fixed_text"]
    assert any("“验收标准”" in m for m in messages)
    assert any("验收标准（客户已改）" in m for m in messages)


def test_checklist_wording_edits_are_reported() -> None:
    content = render_form(get_form("tracking_sheet"), sample("anfang", "tracking_sheet")).content

    def change(root: etree._Element) -> None:
        for t in root.iter(q("w:t")):
            if t.text and "审批通过并执行" in t.text:
                t.text = t.text.replace("审批通过并执行", "口头同意即可")

    parsed = parse_docx(edit_document(content, change))
    assert any("审批通过并执行" in p.message for p in parsed.problems if p.kind == "fixed_text")


class _OldForm(FormModel):
    FORM_ID = "legacy_demo"
    TITLE = "旧版演示表"
    STAGE = "项目立项"
    VERSION = "1.0"
    FORM_NO = "FK-T1"
    budget_wan: str | None = F("预算(万元)", section="旧版")


class _NewForm(FormModel):
    FORM_ID = "legacy_demo"
    TITLE = "旧版演示表"
    STAGE = "项目立项"
    VERSION = "2.0"
    FORM_NO = "FK-T1"
    budget: str | None = F("预算(元)", section="新版")


def _upgrade(data: dict) -> dict:
    data = dict(data)
    if "budget_wan" in data:
        data["budget"] = str(int(data.pop("budget_wan")) * 10000)
    return data


@pytest.fixture
def versioned() -> Iterator[None]:
    register(_NewForm, [FormVersion("1.0", _OldForm, _upgrade)])
    yield
    unregister("legacy_demo")


def test_document_of_an_older_version_is_read_with_it_and_migrated(versioned: None) -> None:
    old = render_form(FormSpec(_OldForm), {"project_code": "P2026-001", "budget_wan": "120"}).content
    parsed = parse_docx(old)
    assert parsed.identity.schema_version == "1.0"
    assert parsed.data["budget"] == "1200000"
    assert "budget_wan" not in parsed.data
    assert any("旧版本 1.0" in n for n in parsed.notices)
    assert not [p for p in parsed.problems if p.kind == "fixed_text"]


def test_not_a_form_is_refused_in_one_chinese_line(tmp_path) -> None:
    from docx import Document

    plain = tmp_path / "信函.docx"
    Document().save(plain)
    with pytest.raises(NotAFormError, match="不是 formkit 表单"):
        parse_docx(str(plain))
    broken = tmp_path / "损坏.docx"
    broken.write_bytes(render_form(get_form("acceptance")).content[:3000])
    with pytest.raises(NotAFormError) as e:
        parse_docx(str(broken))
    assert "\n" not in str(e.value)


def test_legacy_form_fields_named_by_path_are_read(acceptance: bytes) -> None:
    """A form whose controls someone rebuilt as legacy FORMTEXT/FORMCHECKBOX fields."""
    W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    def legacy(name: str, instr: str, ff: str, result: str) -> list[etree._Element]:
        xml = (f'<w:root xmlns:w="{W}"><w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
               f'<w:enabled/>{ff}</w:ffData></w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
               f'<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{result}</w:t></w:r>'
               f'<w:r><w:fldChar w:fldCharType="end"/></w:r></w:root>')
        return list(etree.fromstring(xml))

    def change(root: etree._Element) -> None:
        for tag, runs in (("contract_no", legacy("contract_no", "FORMTEXT", "<w:textInput/>", "HT-LEGACY-9")),
                          ("customer_stamped", legacy("customer_stamped", "FORMCHECKBOX",
                                                      '<w:checkBox><w:sizeAuto/><w:checked/></w:checkBox>', ""))):
            control = sdt(root, tag)
            for run in runs:
                control.addprevious(run)
            control.getparent().remove(control)

    parsed = parse_docx(edit_document(acceptance, change))
    assert parsed.data["contract_no"] == "HT-LEGACY-9"
    assert parsed.data["customer_stamped"] is True
    assert parsed.sources["contract_no"] == "旧式窗体域"
