"""项目可行性分析报告: the salesperson's case for pursuing a project (stage 项目立项).

Sources: seed 004 一 (机遇分析含竞争对手情报, 需求描述, 成功率预测即客户关系紧密度,
实施意义; reviewed by 总经理 or 销售部门主管 before the 立项申请) and 004 备注9
(项目类型), 003 项目启动阶段 (市场分析, 技术可行性, 经济可行性).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Money, Percent
from formkit.forms.base import F, FormModel, rule
from formkit.forms.common import Choice
from formkit.forms.rules import not_before


class FeasibilityReport(FormModel):
    FORM_ID = "feasibility_report"
    TITLE = "项目可行性分析报告"
    STAGE = "项目立项"
    VERSION = "1.0"
    FORM_NO = "FK-01a"

    region: str | None = F("项目所在地区", required=True, section="项目信息")
    department: str | None = F("所在部门", required=True, section="项目信息")
    sales_rep: str | None = F("销售代表", required=True, section="项目信息")
    project_type: Choice("自营把控项目", "战略意义项目", "竞争投标项目") | None = F(
        "项目类型", required=True, section="项目信息")
    expected_bid_date: DateValue | None = F("预计招标日期", section="项目信息")
    expected_sign_date: DateValue | None = F("预计签约日期", section="项目信息")
    info_source: str | None = F("信息来源", wide=True, section="项目信息", hint="如 客户介绍、招标公告")

    requirements: str | None = F("需求描述", required=True, multiline=True, section="需求与机遇")
    opportunity: str | None = F("机遇分析", required=True, multiline=True, section="需求与机遇")
    competitors: str | None = F("竞争对手情报", multiline=True, section="需求与机遇")

    estimated_amount: Money | None = F("预计合同额(元)", required=True, section="可行性分析")
    estimated_cost: Money | None = F("预计成本(元)", section="可行性分析")
    gross_margin: Percent | None = F("预计毛利率(%)", section="可行性分析")
    relationship: Choice("高", "中", "低") | None = F("客户关系紧密度", required=True, section="可行性分析")
    success_rate: Percent | None = F("成功率预测(%)", required=True, section="可行性分析")
    conclusion: Choice("建议立项", "继续跟踪", "建议放弃") | None = F("分析结论", required=True, section="可行性分析")
    technical: str | None = F("技术可行性", multiline=True, section="可行性分析")
    significance: str | None = F("实施意义", multiline=True, section="可行性分析")
    risks: str | None = F("主要风险", multiline=True, section="可行性分析")

    reviewer_opinion: str | None = F("审核意见", multiline=True, section="审核")
    reviewer: str | None = F("审核人", sign=True, section="审核", hint="由总经理或销售部门主管签字")
    review_date: DateValue | None = F("审核日期", section="审核")

    @rule
    def _margin(self) -> Iterator[tuple[str, str]]:
        amount, cost = self.estimated_amount, self.estimated_cost
        if self.gross_margin is None or amount is None or cost is None or not amount or cost > amount:
            return
        expected = (amount - cost) / amount * 100
        if abs(self.gross_margin - expected) > Decimal("0.5"):
            shown = format(expected.quantize(Decimal("0.1")).normalize(), "f")
            yield "gross_margin", f"按预计合同额和预计成本算得毛利率为 {shown}%，与所填不符"

    @rule
    def _cost(self) -> Iterator[tuple[str, str]]:
        if self.gross_margin and self.estimated_amount is not None and self.estimated_cost is not None \
                and self.estimated_cost > self.estimated_amount:
            yield "gross_margin", "预计成本高于预计合同额，毛利率不能为正"

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.filled_date, self.review_date, "review_date", "填表日期")
