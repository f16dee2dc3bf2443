"""客户拜访总结报告: what a call or visit achieved and what comes next (stage 初步接触).

Sources: seed 000 二 初步接触 (电话邀约 and 上门拜访: their 成功标准 and 符合条件 —
经手人士, 技术能力上的优势, 客户内部的采购流程及项目负责人, 建设性的意向),
003 二 交流公关 (E 了解客户情况 … I 其他交流; 根据最后一次的交流情况确定下一步工作),
001 (客户拜访纪要 belong in the 项目档案).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import not_before


class VisitedPerson(Section):
    name: str | None = F("姓名", required=True, width=2.4)
    department: str | None = F("部门", width=3.4)
    title: str | None = F("职务", width=3.2)
    attitude: Choice("支持", "中立", "反对") | None = F("态度", width=1.8, hint="请选择")
    concerns: str | None = F("关注的问题", width=6.2)


class VisitReport(FormModel):
    FORM_ID = "visit_report"
    TITLE = "客户拜访总结报告"
    STAGE = "初步接触"
    VERSION = "1.0"
    FORM_NO = "FK-02c"

    visit_date: DateValue | None = F("拜访日期", required=True, section="拜访概况")
    visit_type: Choice("电话邀约", "上门拜访", "客户来访", "技术交流") | None = F(
        "拜访方式", required=True, section="拜访概况")
    location: str | None = F("拜访地点", section="拜访概况")
    our_people: str | None = F("我方人员", section="拜访概况")
    purpose: str | None = F("拜访目的", required=True, multiline=True, section="拜访概况")

    customer_people: list[VisitedPerson] = F("客户方人员", default=list, rows=3)

    discussion: str | None = F("交流内容", required=True, multiline=True, section="拜访内容")
    needs: str | None = F("需求与关注点", multiline=True, section="拜访内容")
    procurement: str | None = F("采购流程", multiline=True, section="拜访内容",
                                hint="填写客户内部的采购流程，特别是可能的项目负责人")
    competitors: str | None = F("竞争对手情况", multiline=True, section="拜访内容")

    outcome: Choice("达到预期", "部分达到", "未达到") | None = F("拜访效果", required=True, section="拜访结果")
    next_visit_date: DateValue | None = F("下次拜访日期", section="拜访结果")
    results: str | None = F("达成的共识", multiline=True, section="拜访结果")
    next_steps: str | None = F("下一步计划", required=True, multiline=True, section="拜访结果")
    support_needed: str | None = F("需要的支持", multiline=True, section="拜访结果")

    manager_opinion: str | None = F("部门主管意见", multiline=True, section="审阅")
    manager: str | None = F("部门主管签字", sign=True, section="审阅")
    manager_date: DateValue | None = F("主管签字日期", section="审阅")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.visit_date, self.filled_date, "filled_date", "拜访日期")
        yield from not_before(self.visit_date, self.next_visit_date, "next_visit_date", "拜访日期")
        yield from not_before(self.filled_date, self.manager_date, "manager_date", "填表日期")

    @rule
    def _outcome(self) -> Iterator[tuple[str, str]]:
        if self.outcome == "达到预期" and self.results in (None, "", "无"):
            yield "results", "拜访效果为“达到预期”时应写明与客户达成的共识"
