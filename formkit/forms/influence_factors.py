"""影响因素分析表: what decides the evaluation, and where we stand against the main
competitor (stage 项目评估).

Sources: seed 000 六 项目评估 (成功标准: 优势更加明显，符合项目评估小组的标准，明确项目
评估小组对我方的倾向性态度; 符合条件: 招标已经入围, 满足评估小组评估的内容及标准,
明确评估小组各自的态度及倾向性(特别是关键人士), 分析竞争对手的优劣势, 报价的协商),
004 (机遇分析含竞争对手情报).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Percent, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import at_most, ratios_sum_to_100, weighted_score

MAX_SCORE = Decimal(10)


class Factor(Section):
    factor: str | None = F("影响因素", required=True, width=2.6)
    weight: Percent | None = F("权重(%)", required=True, width=1.7, hint="请填写")
    our_score: Quantity | None = F("我方评分", required=True, width=2.0, hint="如 8")
    rival_score: Quantity | None = F("对手评分", width=2.0, hint="如 8")
    analysis: str | None = F("优劣势分析", width=4.5)
    action: str | None = F("应对措施", width=4.2)

    @rule
    def _scores(self) -> Iterator[tuple[str, str]]:
        yield from at_most(self.our_score, MAX_SCORE, "our_score", "评分满分为 10 分")
        yield from at_most(self.rival_score, MAX_SCORE, "rival_score", "评分满分为 10 分")


class Evaluator(Section):
    name: str | None = F("姓名", required=True, width=2.2)
    title: str | None = F("职务", width=3.4)
    key_person: YesNo | None = F("关键人士", width=1.8)
    leaning: Choice("倾向我方", "中立", "倾向对手") | None = F("倾向性", width=2.2)
    concerns: str | None = F("关注点", width=7.4)


class InfluenceFactors(FormModel):
    FORM_ID = "influence_factors"
    TITLE = "影响因素分析表"
    STAGE = "项目评估"
    VERSION = "1.0"
    FORM_NO = "FK-06a"

    shortlisted: YesNo | None = F("已入围", section="评估概况")
    evaluation_date: DateValue | None = F("评估日期", section="评估概况")
    evaluation_method: Choice("综合评分法", "最低评标价法", "性价比法", "其他") | None = F(
        "评估方法", section="评估概况")
    main_rival: str | None = F("主要竞争对手", required=True, section="评估概况")

    factors: list[Factor] = F("影响因素评分", default=list, rows=6)

    our_weighted: Quantity | None = F("我方加权得分", section="评分汇总", hint="由各因素权重 × 评分 ÷ 100 相加，满分 10")
    rival_weighted: Quantity | None = F("对手加权得分", section="评分汇总")
    leaning: Choice("倾向我方", "中立", "倾向对手") | None = F("评估小组倾向", section="评分汇总")
    win_rate: Percent | None = F("成功率预测(%)", section="评分汇总")

    evaluators: list[Evaluator] = F("评估小组成员", default=list, rows=5)

    strengths: str | None = F("我方优势", multiline=True, section="分析结论")
    weaknesses: str | None = F("我方劣势", multiline=True, section="分析结论")
    rival_moves: str | None = F("竞争对手动向", multiline=True, section="分析结论")
    strategy: str | None = F("应对策略", required=True, multiline=True, section="分析结论")

    @rule
    def _totals(self) -> Iterator[tuple[str, str]]:
        yield from ratios_sum_to_100((f.weight for f in self.factors), "factors", "各影响因素权重")
        yield from weighted_score(self.our_weighted, ((f.weight, f.our_score) for f in self.factors),
                                  "our_weighted", "我方加权得分")
        yield from weighted_score(self.rival_weighted, ((f.weight, f.rival_score) for f in self.factors),
                                  "rival_weighted", "对手加权得分")
