"""商务谈判计划书: the plan for the commercial negotiation (stage 商务谈判).

Sources: seed 000 七 (到货期, 实施进度, 售后服务, 付款方式, 整体方案建议 -> 合同条款),
003 P (报价回旋余地), 004 九.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Money, Percent, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice


class OurMember(Section):
    name: str | None = F("姓名", required=True, width=4.0)
    title: str | None = F("职务", width=5.0)
    role: str | None = F("分工", width=8.0)


class ClientMember(Section):
    name: str | None = F("姓名", required=True, width=4.0)
    title: str | None = F("职务", width=6.0)
    attitude: Choice("支持", "中立", "反对") | None = F("态度", width=7.0)


class Topic(Section):
    topic: str | None = F("议题", required=True, width=3.5)
    our_position: str | None = F("我方立场", width=4.5)
    bottom_line: str | None = F("可让步底线", width=4.5)
    client_expectation: str | None = F("客户预期", width=4.5)


class PaymentTerm(Section):
    milestone: str | None = F("付款节点", required=True, width=8.0)
    ratio: Percent | None = F("比例(%)", required=True, width=3.5)
    amount: Money | None = F("金额(元)", width=5.5)


class NegotiationPlan(FormModel):
    FORM_ID = "negotiation_plan"
    TITLE = "商务谈判计划书"
    STAGE = "商务谈判"
    VERSION = "1.0"
    FORM_NO = "FK-07"

    negotiation_date: DateValue | None = F("谈判时间", required=True, section="谈判安排")
    location: str | None = F("谈判地点", required=True, section="谈判安排")
    goals: str | None = F("谈判目标", required=True, multiline=True, section="谈判安排")

    our_team: list[OurMember] = F("我方人员", default=list, rows=3)
    client_team: list[ClientMember] = F("客户方人员", default=list, rows=3)
    topics: list[Topic] = F("谈判议题", default=list, rows=4)

    quote_amount: Money | None = F("报价金额(元)", required=True, section="价格与付款")
    floor_price: Money | None = F("底价(元)", section="价格与付款")
    max_discount: Percent | None = F("折扣权限(%)", section="价格与付款", hint="最多可让利的百分比")
    payments: list[PaymentTerm] = F("付款方式", default=list, rows=3)

    delivery_period: str | None = F("到货期", section="合同条款要点", hint="如 合同签订后30天内")
    implementation_period: str | None = F("实施工期", section="合同条款要点")
    warranty_months: Quantity | None = F("质保期(月)", section="合同条款要点")
    after_sales: str | None = F("售后服务承诺", multiline=True, section="合同条款要点")
    competitor_analysis: str | None = F("竞争对手分析", multiline=True, section="合同条款要点")
    risk_plan: str | None = F("风险与预案", multiline=True, section="合同条款要点")

    sales_manager_opinion: str | None = F("销售经理意见", multiline=True, section="审批")
    sales_manager: str | None = F("销售经理签字", sign=True, section="审批")
    sales_manager_date: DateValue | None = F("销售经理签字日期", section="审批")
    gm_opinion: str | None = F("总经理意见", multiline=True, section="审批")
    gm_signer: str | None = F("总经理签字", sign=True, section="审批")
    gm_date: DateValue | None = F("总经理签字日期", section="审批")

    @rule
    def _prices(self) -> Iterator[tuple[str, str]]:
        if self.floor_price is not None and self.quote_amount is not None and self.floor_price > self.quote_amount:
            yield "floor_price", "底价高于报价金额，请核对"

    @rule
    def _payments(self) -> Iterator[tuple[str, str]]:
        ratios = [p.ratio for p in self.payments if p.ratio is not None]
        if ratios and sum(ratios, Decimal(0)) != 100:
            yield "payments", f"各付款节点比例之和为 {sum(ratios, Decimal(0)).normalize():f}%，应为 100%"
        if self.quote_amount is None:
            return
        for i, p in enumerate(self.payments):
            if p.ratio is not None and p.amount is not None:
                expected = (self.quote_amount * p.ratio / 100).quantize(Decimal("0.01"))
                if p.amount != expected:
                    yield f"payments[{i}].amount", f"金额应为 报价金额 × 比例 = {expected:,.2f}"
