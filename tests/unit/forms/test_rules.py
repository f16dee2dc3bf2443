"""Cross-field rules and validation messages, by Chinese label."""

from __future__ import annotations

import pytest

from formkit.errors import UnknownFormError
from formkit.forms import all_forms, get_form
from formkit.forms.base import label_for
from formkit.forms.validate import validate_form
from tests.support.data import flatten, sample, sample_forms


def problems(form: str, data: dict) -> dict[str, str]:
    result = validate_form(get_form(form).model, data)
    return {p.path: p.message for p in result.problems}


@pytest.mark.parametrize(("project", "form"), sample_forms())
def test_samples_are_valid(project: str, form: str) -> None:
    assert problems(form, sample(project, form)) == {}


def test_every_form_has_an_anfang_sample() -> None:
    assert {form for project, form in sample_forms() if project == "anfang"} == {s.id for s in all_forms()}


def test_amount_must_be_quantity_times_unit_price() -> None:
    data = sample("anfang", "solution_spec")
    data["items"][0]["amount"] = "122000.00"
    found = problems("solution_spec", data)
    assert "金额 122,000.00 不等于 数量 × 单价 = 122,400.00" in found["items[0].amount"]
    assert "equipment_cost" in found  # and the sum of the list no longer matches


def test_total_must_be_the_sum_and_daxie_must_agree() -> None:
    data = sample("anfang", "solution_spec")
    data["labor_cost"] = "281000.00"
    data["total_daxie"] = "壹佰贰拾壹万元整"
    found = problems("solution_spec", data)
    assert "之和 1,201,000.00 不符" in found["total"]
    assert "应为“壹佰贰拾万元整”" in found["total_daxie"]


def test_payment_ratios_must_sum_to_100() -> None:
    data = sample("anfang", "negotiation_plan")
    data["payments"][3]["ratio"] = "5"
    data["payments"][3]["amount"] = "60000.00"
    assert problems("negotiation_plan", data) == {"payments": "各付款节点比例之和为 95%，应为 100%"}


def test_finish_date_not_before_start_date() -> None:
    data = sample("anfang", "acceptance")
    data["finish_date"] = "2026年5月1日"
    found = problems("acceptance", data)
    assert found["finish_date"] == "2026年5月1日 早于开工日期 2026年6月1日"


def test_conclusion_pass_with_failed_check_is_reported() -> None:
    data = sample("anfang", "acceptance")
    data["checks"][1]["result"] = "不合格"
    assert "“录像存储”不合格" in problems("acceptance", data)["conclusion"]


def test_conditional_pass_needs_issues_and_deadline() -> None:
    data = sample("ruanjian", "acceptance")
    del data["rectification_deadline"]
    assert "rectification_deadline" in problems("acceptance", data)


def test_large_project_needs_meeting_before_approval() -> None:
    data = sample("anfang", "project_initiation")
    data["meeting_held"] = False
    assert "立项讨论会议" in problems("project_initiation", data)["meeting_held"]


def test_required_and_bad_values_are_named_in_chinese() -> None:
    result = validate_form(get_form("acceptance").model, {
        "project_code": "P 2026/1", "contract_amount": "一百万", "acceptance_date": "明天",
        "acceptance_type": "随便", "checks": [{"item": "监控", "result": "合格"}],
    })
    by_path = {p.path: p for p in result.problems}
    assert "项目代号" in by_path["project_code"].message
    assert by_path["contract_amount"].label == "合同金额(元)"
    assert "明天" in by_path["acceptance_date"].message
    assert "内部验收" in by_path["acceptance_type"].message
    assert by_path["project_name"].message == "必填项未填写"
    assert by_path["project_name"].kind == "required"
    assert all(ord(ch) > 127 for p in result.problems for ch in p.message[:1])
    assert result.data["checks"] == [{"item": "监控", "result": "合格"}]  # the rest is kept


def test_explicit_none_on_a_required_date_is_not_missing() -> None:
    result = validate_form(get_form("acceptance").model, {}, explicit_none={"acceptance_date"})
    by_path = {p.path: p.message for p in result.problems}
    assert by_path["acceptance_date"] == "此项为必填，不能填“无”"


@pytest.mark.parametrize("spec", list(all_forms()), ids=lambda s: s.id)
def test_every_field_has_a_unique_chinese_label(spec) -> None:
    data = sample("anfang", spec.id)
    labels = [label_for(spec.model, tag) for tag in flatten(data)]
    assert len(labels) == len(set(labels))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)


def test_registry_finds_forms_by_id_title_and_number() -> None:
    assert get_form("项目验收单").id == "acceptance"
    assert get_form("acceptance").title == "项目验收单"
    assert get_form("FK-01").id == "project_initiation"
    with pytest.raises(UnknownFormError, match="没有名为“验收单2”的表单"):
        get_form("验收单2")
    assert [s.stage for s in all_forms()][:2] == ["项目立项", "项目立项"]
