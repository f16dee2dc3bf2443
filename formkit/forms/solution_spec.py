"""方案说明书: the solution and quotation (stage 方案设计).

Sources: seed 001 方案设计/报价编制, 002 方案与报价, 003 L/M/Q, 004 三/四/六.
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import daxie_agrees, product_agrees, sum_agrees


class EquipmentRow(Section):
    name: str | None = F("名称", required=True, width=2.5)
    model: str | None = F("型号规格", width=2.4)
    quantity: Quantity | None = F("数量", required=True, width=1.2)
    unit: str | None = F("单位", width=1.0)
    unit_price: Money | None = F("单价", required=True, width=2.5)
    amount: Money | None = F("金额", required=True, width=2.7)
    location: str | None = F("安装位置", width=2.4)
    remark: str | None = F("备注", width=2.3)

    @rule
    def _amount(self) -> Iterator[tuple[str, str]]:
        yield from product_agrees(self.amount, self.quantity, self.unit_price, "amount")


class MilestoneRow(Section):
    milestone: str | None = F("里程碑", required=True, width=5.0)
    planned_date: DateValue | None = F("计划完成日期", required=True, width=4.0)
    deliverables: str | None = F("交付物", width=8.0)


class RiskRow(Section):
    risk: str | None = F("风险", required=True, width=5.5)
    impact: str | None = F("影响", width=4.5)
    response: str | None = F("应对措施", width=7.0)


class SolutionSpec(FormModel):
    FORM_ID = "solution_spec"
    TITLE = "方案说明书"
    STAGE = "方案设计"
    VERSION = "1.0"
    FORM_NO = "FK-03"

    spec_version: str | None = F("方案版本", required=True, section="方案信息", hint="如 V1.0")
    author: str | None = F("编制人", required=True, section="方案信息")
    compiled_date: DateValue | None = F("编制日期", required=True, section="方案信息")
    duration_days: Quantity | None = F("计划工期(天)", section="方案信息")
    requirements: str | None = F("需求概述", required=True, multiline=True, section="方案内容")
    overview: str | None = F("方案概述", required=True, multiline=True, section="方案内容")
    technical: str | None = F("技术方案", multiline=True, section="方案内容")
    implementation: str | None = F("实施方案", multiline=True, section="方案内容")

    items: list[EquipmentRow] = F("设备/产品清单", default=list, rows=5)
    milestones: list[MilestoneRow] = F("里程碑计划", default=list, rows=4)

    equipment_cost: Money | None = F("设备费", section="报价汇总")
    labor_cost: Money | None = F("人工费", section="报价汇总")
    install_cost: Money | None = F("安装费", section="报价汇总")
    other_cost: Money | None = F("其他费用", section="报价汇总")
    total: Money | None = F("合计(元)", required=True, section="报价汇总")
    total_daxie: str | None = F("合计大写", required=True, section="报价汇总")

    risks: list[RiskRow] = F("风险与应对", default=list, rows=3)

    review_date: DateValue | None = F("评审日期", section="方案评审")
    reviewers: str | None = F("参会人员", section="方案评审")
    review_conclusion: Choice("通过", "修改后通过", "不通过") | None = F("评审结论", section="方案评审")
    review_opinion: str | None = F("评审意见", multiline=True, section="方案评审")

    @rule
    def _totals(self) -> Iterator[tuple[str, str]]:
        costs = (self.equipment_cost, self.labor_cost, self.install_cost, self.other_cost)
        yield from sum_agrees(self.total, costs, "total", "设备费、人工费、安装费、其他费用")
        yield from sum_agrees(self.equipment_cost, (row.amount for row in self.items),
                              "equipment_cost", "设备/产品清单金额")
        yield from daxie_agrees(self.total, self.total_daxie, "total_daxie", "合计(元)")
