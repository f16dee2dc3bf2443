"""Cross-field rules of the catalog forms beyond the core five, by Chinese message."""

from __future__ import annotations

from datetime import date

import pytest

from formkit.forms import all_forms, get_form
from formkit.forms.base import list_item, section_type
from formkit.forms.validate import validate_form
from formkit.project import json_schema
from formkit.render.builder import control_kind
from tests.support.data import sample


def problems(form: str, data: dict) -> dict[str, str]:
    result = validate_form(get_form(form).model, data)
    return {p.path: p.message for p in result.problems}


def test_payment_request_cannot_ask_for_more_than_is_outstanding() -> None:
    data = sample("anfang", "payment_request")
    data["request_amount"] = "400000.00"
    data["request_amount_daxie"] = "肆拾万元整"
    found = problems("payment_request", data)
    assert found["request_amount"] == ("本次申请金额 400,000.00 超过未回款金额 354,000.00"
                                       "（合同金额 − 累计已回款）")
    assert "ratio" in found


def test_payment_request_daxie_history_and_outstanding_must_agree() -> None:
    data = sample("anfang", "payment_request")
    data["request_amount_daxie"] = "贰拾叁万元整"
    data["history"][1]["amount"] = "470000.00"
    data["outstanding_amount"] = "120000.00"
    found = problems("payment_request", data)
    assert "应为“贰拾叁万陆仟元整”" in found["request_amount_daxie"]
    assert "已回款明细金额之和 824,000.00 不符" in found["received_amount"]
    assert found["outstanding_amount"] == "应为 合同金额 − 累计已回款 − 本次申请金额 = 118,000.00"


def test_schedule_task_cannot_end_before_it_starts_or_after_the_plan() -> None:
    data = sample("anfang", "schedule_plan")
    data["tasks"][3]["end_date"] = "2026-05-31"
    data["tasks"][8]["end_date"] = "2026年9月2日"
    found = problems("schedule_plan", data)
    assert found["tasks[3].end_date"] == "2026年5月31日 早于开始日期 2026年6月1日"
    assert found["tasks[8].end_date"] == "2026年9月2日 晚于计划完成日期 2026年8月28日"


def test_delivery_shortfall_needs_a_remark_and_rules_out_full_receipt() -> None:
    data = sample("anfang", "delivery_receipt")
    del data["items"][1]["remark"]
    data["result"] = "全部签收"
    found = problems("delivery_receipt", data)
    assert found["items[1].remark"] == "实收数量 118 少于应到数量 120，须在备注中说明"
    assert "“网络高清半球摄像机”数量不足或包装破损" in found["result"]


def test_contract_cannot_be_stamped_before_the_general_manager_signs() -> None:
    data = sample("anfang", "contract_approval")
    del data["gm_date"]
    data["payments"][3]["ratio"] = "5"
    found = problems("contract_approval", data)
    assert found["gm_date"] == "合同须经总经理签字审批后方可用印"
    assert found["payments"] == "各付款节点比例之和为 95%，应为 100%"
    assert "合同金额 × 比例 = 59,000.00" in found["payments[3].amount"]


def test_weights_sum_to_100_and_weighted_score_agrees() -> None:
    data = sample("anfang", "relationship_assessment")
    data["total_score"] = "60"
    found = problems("relationship_assessment", data)
    assert found == {"total_score": "60 与按权重计算的综合得分 56.5 不符"}
    data = sample("anfang", "influence_factors")
    data["factors"][0]["weight"] = "40"
    assert problems("influence_factors", data)["factors"] == "各影响因素权重之和为 105%，应为 100%"


def test_weekly_report_has_one_row_a_week_none_in_the_future() -> None:
    data = sample("anfang", "weekly_report")
    data["entries"][1]["week_start"] = "2026-03-05"
    data["entries"][-1]["week_start"] = "2026-05-04"
    assert problems("weekly_report", data) == {
        "entries[1].week_start": "与上一行不足 7 天：每周只填一行",
        "entries[8].week_start": "2026年5月4日 晚于填表日期 2026年5月3日"}


def test_rectification_passed_with_open_items_is_reported() -> None:
    data = sample("anfang", "rectification_notice")
    data["defects"][0]["check"] = "未整改"
    assert "“周界 17、18 防区报警后摄像机未联动”未整改" in problems("rectification_notice", data)["recheck_result"]


def test_project_is_closed_only_after_full_payment() -> None:
    data = sample("anfang", "project_summary")
    data["status"] = "已结项"
    data["gross_margin"] = "30"
    found = problems("project_summary", data)
    assert found["status"].startswith("尚有 118,000.00 元未回款")
    assert found["gross_margin"] == "按合同金额和实际成本算得毛利率为 27%，与所填不符"


def test_price_above_cap_is_reported() -> None:
    data = sample("anfang", "purchase_criteria")
    data["our_price"] = "128万元"
    assert problems("purchase_criteria", data) == {"our_price": "我方报价高于最高限价，投标将被否决"}


APPEND_ONLY = [s for s in all_forms() if getattr(s.model, "APPEND_ONLY", None)]


def test_logs_and_weekly_reports_are_the_append_only_forms() -> None:
    assert {s.id for s in APPEND_ONLY} == {"presales_log", "weekly_report"}


@pytest.mark.parametrize("spec", APPEND_ONLY, ids=lambda s: s.id)
def test_append_only_field_is_a_list_of_dated_rows(spec) -> None:
    info = spec.model.model_fields[spec.model.APPEND_ONLY]
    row = section_type(info.annotation)
    assert row is not None and list_item(info.annotation) is row
    assert "APPEND_ONLY" not in spec.model.model_fields  # a class setting, not a form field
    assert json_schema(spec)["x-append-only"] == spec.model.APPEND_ONLY  # other tools see it too
    first = next(iter(row.model_fields.values()))
    assert control_kind(first)[0] == "date" and first.json_schema_extra["x-formkit"]["required"]
    rows = validate_form(spec.model, sample("anfang", spec.id)).model
    dates = [getattr(r, next(iter(row.model_fields))) for r in getattr(rows, spec.model.APPEND_ONLY)]
    assert dates == sorted(dates) and all(isinstance(d, date) for d in dates)
