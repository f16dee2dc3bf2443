"""项目进度计划表: the project's tasks with dates, owners and progress (stage 实施准备).

Sources: seed 000 (项目流程表: 阶段、任务、责任人、开始时间、结束时间和完成情况; 项目经理
或项目负责人审查和确认), 002 项目实施前准备阶段 (PMO进行项目实施方案与计划的最终确认并
最终分解到各个部门; 因合同签约延迟的项目还需要组织项目实施计划更新), 004 十 (进度预期
方案、人员预期方案).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import not_after, not_before

STATUSES = ("未开始", "进行中", "已完成", "已延期")


class Task(Section):
    phase: str | None = F("阶段", width=1.6, hint="请填写")
    task: str | None = F("任务", required=True, width=4.4)
    owner: str | None = F("责任人", required=True, width=1.6, hint="请填写")
    start_date: DateValue | None = F("开始日期", required=True, width=3.8)
    end_date: DateValue | None = F("结束日期", required=True, width=3.8)
    status: Choice(*STATUSES) | None = F("完成情况", width=1.8, hint="请选择")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.start_date, self.end_date, "end_date", "开始日期")


class SchedulePlan(FormModel):
    FORM_ID = "schedule_plan"
    TITLE = "项目进度计划表"
    STAGE = "实施准备"
    VERSION = "1.0"
    FORM_NO = "FK-09a"

    contract_no: str | None = F("合同编号", section="计划概况")
    plan_version: str | None = F("计划版本", section="计划概况", hint="如 V1.0；签约延迟时更新")
    project_manager: str | None = F("项目经理", required=True, section="计划概况")
    departments: str | None = F("参与部门", section="计划概况")
    plan_start: DateValue | None = F("计划开始日期", required=True, section="计划概况")
    plan_end: DateValue | None = F("计划完成日期", required=True, section="计划概况")

    tasks: list[Task] = F("任务计划", default=list, rows=10)

    risks: str | None = F("进度风险及措施", multiline=True, section="说明")
    pmo_opinion: str | None = F("PMO确认意见", multiline=True, section="确认")
    pmo_signer: str | None = F("PMO确认人", sign=True, section="确认")
    pmo_date: DateValue | None = F("确认日期", section="确认")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.plan_start, self.plan_end, "plan_end", "计划开始日期")
        for i, t in enumerate(self.tasks):
            yield from not_before(self.plan_start, t.start_date, f"tasks[{i}].start_date", "计划开始日期")
            yield from not_after(self.plan_end, t.end_date, f"tasks[{i}].end_date", "计划完成日期")
