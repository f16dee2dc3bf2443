"""工程施工进度计划: the site work plan, tracked against what was done (stage 项目实施).

Sources: seed 002 (由工程团队根据PMO确定的施工方案与计划 ... 按照《工程施工进度计划》完成
工程改造与施工，对工程改造部分的计划、工期、质量和客户满意度负责), 004 十 (项目经理拟定
施工方案: 进度预期方案、人员预期方案; 以月、周、日为单位对进度预期方案与实际进度、人员
预期方案与实际人员进行对比).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Percent, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.rules import not_after, not_before


class WorkItem(Section):
    work: str | None = F("分项工程", required=True, width=3.9)
    planned_start: DateValue | None = F("计划开始", required=True, width=3.8)
    planned_end: DateValue | None = F("计划完成", required=True, width=3.8)
    actual_end: DateValue | None = F("实际完成", width=3.8)
    progress: Percent | None = F("进度(%)", width=1.7, hint="请填写")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.planned_start, self.planned_end, "planned_end", "计划开始")
        yield from not_before(self.planned_start, self.actual_end, "actual_end", "计划开始")
        if self.actual_end is not None and self.progress is not None and self.progress < 100:
            yield "progress", "已填实际完成日期，进度应为 100%"
        if self.progress == 100 and self.actual_end is None:
            yield "actual_end", "进度为 100% 时须填写实际完成日期"


class Crew(Section):
    trade: str | None = F("工种", required=True, width=2.8)
    planned: Quantity | None = F("计划人数", width=1.8, hint="请填写")
    actual: Quantity | None = F("实际人数", width=1.8, hint="请填写")
    arrive: DateValue | None = F("进场日期", width=3.8)
    leave: DateValue | None = F("退场日期", width=3.8)
    remark: str | None = F("备注", width=3.0)

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.arrive, self.leave, "leave", "进场日期")


class ConstructionSchedule(FormModel):
    FORM_ID = "construction_schedule"
    TITLE = "工程施工进度计划"
    STAGE = "项目实施"
    VERSION = "1.0"
    FORM_NO = "FK-10b"

    contract_no: str | None = F("合同编号", section="工程概况")
    site: str | None = F("施工地点", required=True, section="工程概况")
    project_manager: str | None = F("项目经理", required=True, section="工程概况")
    site_lead: str | None = F("现场负责人", section="工程概况")
    start_date: DateValue | None = F("计划开工日期", required=True, section="工程概况")
    finish_date: DateValue | None = F("计划竣工日期", required=True, section="工程概况")
    status_date: DateValue | None = F("进度统计日期", section="工程概况", hint="选择实际进度的统计截止日")
    overall_progress: Percent | None = F("总体进度(%)", section="工程概况")

    works: list[WorkItem] = F("施工进度", default=list, rows=8)
    crews: list[Crew] = F("人员计划", default=list, rows=4)

    delays: str | None = F("进度偏差及原因", multiline=True, section="保障措施")
    schedule_measures: str | None = F("进度保障措施", multiline=True, section="保障措施")
    quality_measures: str | None = F("质量保证措施", multiline=True, section="保障措施")
    safety_measures: str | None = F("安全文明施工", multiline=True, section="保障措施")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.start_date, self.finish_date, "finish_date", "计划开工日期")
        for i, w in enumerate(self.works):
            yield from not_before(self.start_date, w.planned_start, f"works[{i}].planned_start", "计划开工日期")
            yield from not_after(self.finish_date, w.planned_end, f"works[{i}].planned_end", "计划竣工日期")
            yield from not_after(self.status_date, w.actual_end, f"works[{i}].actual_end", "进度统计日期")
