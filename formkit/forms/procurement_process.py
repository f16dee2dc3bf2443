"""客户内部采购流程表: how the customer buys, and who takes part (stage 初步接触).

Sources: seed 000 二 初步接触 (客户内部采购流程表, 客户内部与采购有关人的角色与态度;
上门拜访 must 明确客户内部的采购流程，特别是可能的项目负责人), 003 二 E (预算、主管的
部门、具体经办人员和关键决策人员) and I (选型小组), 004 七/八 (挂网招标, 报名, 投标).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_before

PURCHASE_METHODS = ("公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源", "直接采购")


class ProcurementStep(Section):
    step: str | None = F("采购环节", required=True, width=3.2)
    department: str | None = F("负责部门", width=2.6)
    owner: str | None = F("负责人", width=1.8, hint="请填写")
    planned_date: DateValue | None = F("计划时间", width=3.8)
    status: Choice("已完成", "进行中", "未开始") | None = F("状态", width=1.7, hint="请选择")
    remark: str | None = F("备注", width=3.9)


class ProcurementPerson(Section):
    name: str | None = F("姓名", required=True, width=2.0, hint="请填写")
    department: str | None = F("部门", width=2.8)
    title: str | None = F("职务", width=2.8)
    role: Choice("决策者", "审批者", "评估者", "使用者", "经手人", "影响者") | None = F("采购角色", width=2.0, hint="请选择")
    attitude: Choice("支持", "中立", "反对") | None = F("态度", width=1.6, hint="请选择")
    concerns: str | None = F("关注点", width=5.8)


class ProcurementProcess(FormModel):
    FORM_ID = "procurement_process"
    TITLE = "客户内部采购流程表"
    STAGE = "初步接触"
    VERSION = "1.0"
    FORM_NO = "FK-02d"

    method: Choice(*PURCHASE_METHODS) | None = F("采购方式", required=True, section="采购概况")
    budget: Money | None = F("预算金额(元)", section="采购概况")
    budget_approved: YesNo | None = F("预算已批复", section="采购概况")
    funding: Choice("财政拨款", "自有资金", "专项资金", "银行贷款", "其他") | None = F("资金来源", section="采购概况")
    agency: str | None = F("招标代理机构", section="采购概况")
    selection_team: YesNo | None = F("已成立选型小组", section="采购概况")
    expected_bid_date: DateValue | None = F("预计招标日期", section="采购概况")
    expected_sign_date: DateValue | None = F("预计签约日期", section="采购概况")
    project_owner: str | None = F("客户项目负责人", required=True, section="采购概况")
    purchaser: str | None = F("采购经办人", section="采购概况")
    approval_chain: str | None = F("审批流程说明", multiline=True, section="采购概况",
                                   hint="填写从需求提出到合同签订，逐级由谁审批")

    steps: list[ProcurementStep] = F("采购流程", default=list, rows=6)
    people: list[ProcurementPerson] = F("采购相关人员的角色与态度", default=list, rows=5)

    analysis: str | None = F("分析与对策", multiline=True, section="分析")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.expected_bid_date, self.expected_sign_date, "expected_sign_date", "预计招标日期")
