"""项目运作周进度总结表: the weekly progress of a presales project (stage 项目立项).

Source: seed 003 (from 三 申请立项 to 九 签定合同 each step's 阶段产品 includes
《项目运作周进度总结表》每周填写项目进度; 二 交流公关: an important customer is marked
“是” here, which opens a 重点客户档案); 002 (PM 按时提交周报, PMO 审核并汇总进度及风险).
One row a week; each submission appends its weeks to ``entries``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import ClassVar

from pydantic import ConfigDict

from formkit.fields import DateValue, Percent
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_after

PRESALES_STAGES = ("项目立项", "初步接触", "方案设计", "业绩展示", "方案确认", "项目评估", "商务谈判", "签约成交")


class WeekEntry(Section):
    week_start: DateValue | None = F("周起始日期", required=True, width=3.8, hint="选择本周一")
    stage: Choice(*PRESALES_STAGES) | None = F("所处阶段", width=2.0, hint="请选择")
    progress: str | None = F("本周进展", required=True, width=4.6)
    issues: str | None = F("问题与需要的支持", width=3.3)
    next_week: str | None = F("下周计划", width=3.3)


class WeeklyReport(FormModel):
    FORM_ID = "weekly_report"
    TITLE = "项目运作周进度总结表"
    STAGE = "项目立项"
    VERSION = "1.0"
    FORM_NO = "FK-01c"
    APPEND_ONLY: ClassVar[str] = "entries"
    """Later submissions append rows to this list field instead of replacing it."""
    model_config = ConfigDict(json_schema_extra={"x-append-only": APPEND_ONLY})

    project_lead: str | None = F("项目主管", required=True, section="项目概况")
    department: str | None = F("所在部门", section="项目概况")
    key_customer: YesNo | None = F("是否重点客户", section="项目概况", hint="是：建立重点客户档案")
    success_rate: Percent | None = F("当前成功率(%)", section="项目概况")

    entries: list[WeekEntry] = F("每周进度", default=list, rows=6)

    pmo_opinion: str | None = F("PMO审核意见", multiline=True, section="审核")
    pmo_reviewer: str | None = F("PMO审核人", sign=True, section="审核")
    pmo_date: DateValue | None = F("审核日期", section="审核")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        previous = None
        for i, entry in enumerate(self.entries):
            path = f"entries[{i}].week_start"
            yield from not_after(self.filled_date, entry.week_start, path, "填表日期")
            if previous is not None and entry.week_start is not None \
                    and timedelta(0) <= entry.week_start - previous < timedelta(days=7):
                yield path, "与上一行不足 7 天：每周只填一行"
            previous = entry.week_start or previous
