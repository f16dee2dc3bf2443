"""建立客户关系评估分析表: how strong the relationship is, and how to strengthen it
(stage 初步接触).

Sources: seed 000 二 初步接触 (建立客户关系评估分析表, 强化客户关系计划表(上门拜访),
客户内部人员相关合作及报告关系表; 上门拜访: 建立并发展与经手人士的关系), 000 三
(发展与经手人士的关系，深入并扩大与其他人的客户关系), 003 二 (先把自己销售给客户).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Percent, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import at_most, ratios_sum_to_100, weighted_score

LEVELS = ("密切", "良好", "一般", "初识")


class PersonRelation(Section):
    name: str | None = F("姓名", required=True, width=2.0, hint="请填写")
    title: str | None = F("职务", width=3.0)
    influence: Choice("高", "中", "低") | None = F("影响力", width=1.6, hint="请选择")
    attitude: Choice("支持", "中立", "反对") | None = F("态度", width=1.6, hint="请选择")
    current: Choice(*LEVELS) | None = F("关系现状", width=1.9, hint="请选择")
    target: Choice(*LEVELS) | None = F("目标关系", width=1.9, hint="请选择")
    reports_to: str | None = F("汇报对象", width=2.0, hint="请填写")
    remark: str | None = F("说明", width=3.0)


class ScoreItem(Section):
    item: str | None = F("评估项目", required=True, width=4.2)
    weight: Percent | None = F("权重(%)", required=True, width=2.0, hint="请填写")
    score: Quantity | None = F("得分", required=True, width=2.0, hint="如 80")
    basis: str | None = F("评分依据", width=8.8)

    @rule
    def _score(self) -> Iterator[tuple[str, str]]:
        yield from at_most(self.score, Decimal(100), "score", "得分不能超过 100")


class PlanItem(Section):
    planned_date: DateValue | None = F("计划日期", required=True, width=3.8)
    person: str | None = F("对象", width=2.1, hint="请填写")
    method: Choice("上门拜访", "技术交流", "参观考察", "商务宴请", "电话沟通", "其他") | None = F("方式", width=2.0, hint="请选择")
    goal: str | None = F("目的", width=5.0)
    owner: str | None = F("责任人", width=1.9, hint="请填写")
    status: Choice("已完成", "未完成") | None = F("完成情况", width=2.2)


class RelationshipAssessment(FormModel):
    FORM_ID = "relationship_assessment"
    TITLE = "建立客户关系评估分析表"
    STAGE = "初步接触"
    VERSION = "1.0"
    FORM_NO = "FK-02e"

    sales_rep: str | None = F("营销人员", required=True, section="评估概况")
    assessment_date: DateValue | None = F("评估日期", required=True, section="评估概况")

    people: list[PersonRelation] = F("关键人员关系现状", default=list, rows=5)
    scores: list[ScoreItem] = F("关系评分", default=list, rows=5)

    total_score: Quantity | None = F("综合得分", section="综合评估", hint="由各项权重 × 得分 ÷ 100 相加")
    closeness: Choice("高", "中", "低") | None = F("客户关系紧密度", required=True, section="综合评估")
    supporters: str | None = F("支持者", section="综合评估")
    opponents: str | None = F("反对者", section="综合评估")
    obstacles: str | None = F("主要障碍", multiline=True, section="综合评估")
    cooperation: str | None = F("报告关系", multiline=True, section="综合评估")

    plan: list[PlanItem] = F("强化客户关系计划", default=list, rows=4)

    manager_opinion: str | None = F("部门主管意见", multiline=True, section="审阅")
    manager: str | None = F("部门主管签字", sign=True, section="审阅")
    manager_date: DateValue | None = F("主管签字日期", section="审阅")

    @rule
    def _scores(self) -> Iterator[tuple[str, str]]:
        yield from ratios_sum_to_100((s.weight for s in self.scores), "scores", "各评估项目权重")
        yield from weighted_score(self.total_score, ((s.weight, s.score) for s in self.scores),
                                  "total_score", "综合得分")
