"""初期调研报告: what the requirement survey found (stage 方案确认).

Sources: seed 000 五 方案确认 (扩大了解需求的部门及对象; 方案一定要符合未来项目评估的
标准; 引导需求，发现问题，使方案有偏向性; 找到高层或项目评估负责人), 003 四 K 调研咨询
(申请应征得对方关键决策人的支持; 提交调研报告，并安排一次有对方关键决策人参加的汇报交流会),
001 (项目调研: 了解客户的需求和项目目标).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import not_after, not_before


class Interview(Section):
    survey_date: DateValue | None = F("调研日期", required=True, width=3.8)
    department: str | None = F("部门", width=2.4)
    interviewee: str | None = F("访谈对象", width=2.5)
    method: Choice("访谈", "现场勘查", "问卷", "资料收集") | None = F("方式", width=2.0, hint="请选择")
    findings: str | None = F("主要了解到的情况", width=6.3)


class Requirement(Section):
    requirement: str | None = F("需求", required=True, width=3.4)
    description: str | None = F("需求说明", width=7.4)
    department: str | None = F("提出部门", width=2.6)
    priority: Choice("高", "中", "低") | None = F("优先级", width=1.6, hint="请选择")
    response: str | None = F("方案应对", width=2.0, hint="请填写")


class InitialSurvey(FormModel):
    FORM_ID = "initial_survey"
    TITLE = "初期调研报告"
    STAGE = "方案确认"
    VERSION = "1.0"
    FORM_NO = "FK-05a"

    start_date: DateValue | None = F("调研开始日期", required=True, section="调研概况")
    end_date: DateValue | None = F("调研结束日期", required=True, section="调研概况")
    surveyors: str | None = F("调研人员", required=True, section="调研概况")
    sponsor: str | None = F("客户方支持领导", section="调研概况", hint="填写支持调研的关键决策人")
    scope: str | None = F("调研范围", multiline=True, section="调研概况")

    interviews: list[Interview] = F("调研记录", default=list, rows=5)

    current_state: str | None = F("现状描述", required=True, multiline=True, section="调研分析")
    problems: str | None = F("存在的问题", multiline=True, section="调研分析")
    requirements: list[Requirement] = F("需求清单", default=list, rows=5)
    evaluation_criteria: str | None = F("客户评估标准", multiline=True, section="调研结论",
                                        hint="填写客户将来评估方案与供应商时看重什么")
    recommendations: str | None = F("方案建议", required=True, multiline=True, section="调研结论")
    conclusion: str | None = F("调研结论", multiline=True, section="调研结论")

    report_date: DateValue | None = F("汇报交流日期", section="汇报交流")
    report_attendees: str | None = F("参加汇报人员", section="汇报交流", hint="填写客户方关键决策人")
    customer_comments: str | None = F("客户意见", multiline=True, section="汇报交流")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.start_date, self.end_date, "end_date", "调研开始日期")
        for i, row in enumerate(self.interviews):
            yield from not_before(self.start_date, row.survey_date, f"interviews[{i}].survey_date", "调研开始日期")
            yield from not_after(self.end_date, row.survey_date, f"interviews[{i}].survey_date", "调研结束日期")
        yield from not_before(self.end_date, self.report_date, "report_date", "调研结束日期")
