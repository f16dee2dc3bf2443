"""项目总结: the project's outcome, money, lessons and archive (stage 回款结项).

Sources: seed 002 项目验收阶段 (PMO负责通知项目验收并组织项目总结，整理相关的文档进行备案;
项目全部回款之后，运营负责关闭项目; PMO 每月对已验收项目总结评价项目管理执行情况),
001 (项目档案: 调研报告 … 合同、实施计划 … 项目总结), 003/004 收尾阶段 (项目目标的实现情况、
工作质量评估、成功经验和教训、改进建议).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Money, Percent, Quantity, format_money
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_before


class ArchivedDocument(Section):
    document: str | None = F("文档名称", required=True, width=6.2)
    copies: Quantity | None = F("份数", width=1.6, hint="请填写")
    archived: YesNo | None = F("已归档", width=1.8)
    keeper: str | None = F("保管人", width=2.2)
    remark: str | None = F("备注", width=5.2)


class MemberReview(Section):
    name: str | None = F("姓名", required=True, width=2.2)
    role: str | None = F("项目角色", width=3.0)
    rating: Choice("优秀", "良好", "合格", "不合格") | None = F("评价", width=1.9, hint="请选择")
    comment: str | None = F("评语", width=9.9)


class ProjectSummary(FormModel):
    FORM_ID = "project_summary"
    TITLE = "项目总结"
    STAGE = "回款结项"
    VERSION = "1.0"
    FORM_NO = "FK-12b"

    contract_no: str | None = F("合同编号", required=True, section="项目概况")
    project_manager: str | None = F("项目经理", required=True, section="项目概况")
    start_date: DateValue | None = F("实际开工日期", section="项目概况")
    finish_date: DateValue | None = F("实际完工日期", section="项目概况")
    acceptance_date: DateValue | None = F("验收日期", section="项目概况")
    planned_days: Quantity | None = F("计划工期(天)", section="项目概况")
    overview: str | None = F("项目简介", required=True, multiline=True, section="项目概况")

    contract_amount: Money | None = F("合同金额(元)", required=True, section="经济指标")
    received_amount: Money | None = F("累计回款(元)", required=True, section="经济指标")
    budget_cost: Money | None = F("预算成本(元)", section="经济指标")
    actual_cost: Money | None = F("实际成本(元)", section="经济指标")
    gross_profit_amount: Money | None = F("毛利(元)", section="经济指标")
    gross_margin: Percent | None = F("毛利率(%)", section="经济指标")

    satisfaction: Choice("非常满意", "满意", "一般", "不满意") | None = F("客户满意度", section="总结评价")
    first_pass: YesNo | None = F("一次验收通过", section="总结评价", hint="正式验收是否一次通过")
    goals: str | None = F("目标完成情况", required=True, multiline=True, section="总结评价")
    successes: str | None = F("成功经验", multiline=True, section="总结评价")
    lessons: str | None = F("问题与教训", multiline=True, section="总结评价")
    suggestions: str | None = F("改进建议", multiline=True, section="总结评价")

    members: list[MemberReview] = F("团队成员评价", default=list, rows=4)
    documents: list[ArchivedDocument] = F("项目档案", default=list, rows=8)

    status: Choice("已结项", "待回款") | None = F("项目状态", required=True, section="结项")
    closed_date: DateValue | None = F("结项日期", section="结项", hint="由运营在全部回款后填写")
    pmo_opinion: str | None = F("PMO意见", multiline=True, section="结项")
    pmo_signer: str | None = F("PMO签字", sign=True, section="结项")
    pmo_date: DateValue | None = F("PMO签字日期", section="结项")
    gm_opinion: str | None = F("总经理意见", multiline=True, section="结项")
    gm_signer: str | None = F("总经理签字", sign=True, section="结项")
    gm_date: DateValue | None = F("总经理签字日期", section="结项")

    @rule
    def _money(self) -> Iterator[tuple[str, str]]:
        contract, received, cost = self.contract_amount, self.received_amount, self.actual_cost
        if contract is not None and received is not None and received > contract:
            yield "received_amount", "累计回款超过合同金额，请核对"
        if self.closed_date is not None and self.status != "已结项":
            yield "status", "已填结项日期，项目状态应为“已结项”"
        if self.status == "已结项" and contract is not None and received is not None and received < contract:
            yield "status", (f"尚有 {format_money(contract - received)} 元未回款：项目全部回款后方可结项，"
                             "状态应为“待回款”")
        if contract is None or cost is None or cost > contract:
            return
        if self.gross_profit_amount is not None and self.gross_profit_amount != contract - cost:
            yield "gross_profit_amount", f"应为 合同金额 − 实际成本 = {format_money(contract - cost)}"
        if self.gross_margin is not None and contract:
            expected = (contract - cost) / contract * 100
            if abs(self.gross_margin - expected) > Decimal("0.5"):
                shown = format(expected.quantize(Decimal("0.1")).normalize(), "f")
                yield "gross_margin", f"按合同金额和实际成本算得毛利率为 {shown}%，与所填不符"

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.start_date, self.finish_date, "finish_date", "实际开工日期")
        yield from not_before(self.finish_date, self.acceptance_date, "acceptance_date", "实际完工日期")
