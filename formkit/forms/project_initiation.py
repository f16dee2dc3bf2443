"""立项申请表: the application that opens a project (stage 项目立项).

Sources: seed 000 企业项目办事流程表 1.1, 002 立项阶段, 003 J, 004 一/二, 001 二/五.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Money, Percent, Phone
from formkit.forms.base import F, FormModel, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import daxie_agrees, not_before

MEETING_THRESHOLD = Decimal("500000")
"""004 备注: projects over 50万 need a 立项讨论会议 before approval."""


class ProjectInitiation(FormModel):
    FORM_ID = "project_initiation"
    TITLE = "立项申请表"
    STAGE = "项目立项"
    VERSION = "1.0"
    FORM_NO = "FK-01"

    region: str | None = F("项目所在地区", required=True, section="基本信息")
    general_contractor: str | None = F("总承包方", section="基本信息")
    department: str | None = F("所在部门", required=True, section="基本信息")
    applicant: str | None = F("申请人", required=True, section="基本信息")
    project_manager: str | None = F("项目主管", section="基本信息")
    liaison: str | None = F("业务联络人", section="基本信息")
    liaison_phone: Phone | None = F("联系电话", section="基本信息", hint="手机或 0xx-xxxxxxxx")
    project_type: Choice("自营把控项目", "战略意义项目", "竞争投标项目") | None = F(
        "项目类型", required=True, section="基本信息")
    project_level: Choice("公司级项目", "渠道项目") | None = F("项目级别", section="基本信息")
    key_customer: YesNo | None = F("是否重点客户", section="基本信息")
    site_survey: YesNo | None = F("是否需要现场踏勘", section="基本信息")

    background: str | None = F("项目背景与需求描述", required=True, multiline=True, section="项目概况")
    objectives: str | None = F("项目目标", required=True, multiline=True, section="项目概况")
    expected_results: str | None = F("预期成果", multiline=True, section="项目概况")
    budget: Money | None = F("预算金额(元)", required=True, section="项目概况", hint="如 1,200,000.00")
    budget_daxie: str | None = F("预算金额大写", section="项目概况", hint="如 壹佰贰拾万元整")
    expected_sign_date: DateValue | None = F("预计签约日期", section="项目概况")

    opportunity: str | None = F("机遇分析", multiline=True, section="机会评估")
    competitors: str | None = F("竞争对手情况", multiline=True, section="机会评估")
    relationship: Choice("高", "中", "低") | None = F("客户关系紧密度", section="机会评估")
    success_rate: Percent | None = F("成功率预测(%)", section="机会评估")
    significance: str | None = F("实施意义", multiline=True, section="机会评估")
    support_needed: str | None = F("需要的支持", multiline=True, section="机会评估")
    next_steps: str | None = F("下一步推进计划", multiline=True, section="机会评估")
    meeting_held: YesNo | None = F("已召开立项讨论会议", section="机会评估")
    meeting_date: DateValue | None = F("立项讨论会议日期", section="机会评估")

    ops_assessment: Choice("通过", "不通过", "补充信息") | None = F("运营立项信息评估", section="审批")
    ops_signer: str | None = F("运营签字", sign=True, section="审批")
    ops_date: DateValue | None = F("运营评估日期", section="审批")
    dept_opinion: str | None = F("部门主管意见", multiline=True, section="审批")
    dept_signer: str | None = F("部门主管签字", sign=True, section="审批")
    dept_date: DateValue | None = F("部门主管签字日期", section="审批")
    gm_opinion: str | None = F("总经理意见", multiline=True, section="审批")
    gm_signer: str | None = F("总经理签字", sign=True, section="审批")
    gm_date: DateValue | None = F("总经理签字日期", section="审批")

    @rule
    def _daxie(self) -> Iterator[tuple[str, str]]:
        yield from daxie_agrees(self.budget, self.budget_daxie, "budget_daxie", "预算金额(元)")

    @rule
    def _meeting(self) -> Iterator[tuple[str, str]]:
        if (self.budget is not None and self.budget > MEETING_THRESHOLD
                and self.ops_assessment == "通过" and self.meeting_held is not True):
            yield "meeting_held", "预算超过50万元的项目须先召开立项讨论会议，才能评估为“通过”"

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.meeting_date, self.ops_date, "ops_date", "立项讨论会议日期")
