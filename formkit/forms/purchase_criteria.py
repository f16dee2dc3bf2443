"""关键采购标准清单: the customer's buying criteria and how we meet each (stage 商务谈判).

Sources: seed 000 七 商务谈判 (关键采购标准清单; 对到货期、实施进度、售后服务、付款方式、
整体方案建议(含需求说明书)等细节进行协商), 000 六 (满足项目评估小组评估的内容及标准;
帮助客户建立技术参数及指标), 003 八 Q (针对客户需求或招标书中提到的问题有明确答复、承诺
无二意性), 004 六 (标底设备、参数方案).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import Money, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import at_most

CATEGORIES = ("资质", "技术", "价格", "交货期", "实施", "售后服务", "付款方式", "其他")


class Criterion(Section):
    category: Choice(*CATEGORIES) | None = F("类别", required=True, width=1.9, hint="请选择")
    criterion: str | None = F("采购标准", required=True, width=4.3)
    importance: Choice("关键", "重要", "一般") | None = F("重要程度", width=1.8, hint="请选择")
    response: str | None = F("我方响应", width=4.0)
    compliance: Choice("满足", "部分满足", "不满足") | None = F("满足情况", width=1.9, hint="请选择")
    deviation: str | None = F("偏离说明及对策", width=3.1)


class PurchaseCriteria(FormModel):
    FORM_ID = "purchase_criteria"
    TITLE = "关键采购标准清单"
    STAGE = "商务谈判"
    VERSION = "1.0"
    FORM_NO = "FK-07a"

    source: str | None = F("标准来源", section="采购要求", hint="如 招标文件编号、客户需求说明书")
    evaluation_method: Choice("综合评分法", "最低评标价法", "性价比法", "其他") | None = F(
        "评标方法", section="采购要求")
    price_cap: Money | None = F("最高限价(元)", section="采购要求")
    our_price: Money | None = F("我方报价(元)", section="采购要求")
    delivery_requirement: str | None = F("交货期要求", section="采购要求")
    warranty_months: Quantity | None = F("质保期要求(月)", section="采购要求")
    payment_terms: str | None = F("付款条件", wide=True, section="采购要求")
    qualifications: str | None = F("资格要求", multiline=True, section="采购要求")

    criteria: list[Criterion] = F("采购标准", default=list, rows=8)

    summary: str | None = F("总体响应情况", multiline=True, section="结论")
    negotiation_points: str | None = F("需谈判的条款", multiline=True, section="结论",
                                       hint="填写进入商务谈判计划书的议题")

    @rule
    def _price(self) -> Iterator[tuple[str, str]]:
        yield from at_most(self.our_price, self.price_cap, "our_price", "我方报价高于最高限价，投标将被否决")

    @rule
    def _key_criteria(self) -> Iterator[tuple[str, str]]:
        for i, c in enumerate(self.criteria):
            if c.importance == "关键" and c.compliance in ("部分满足", "不满足") and c.deviation in (None, "", "无"):
                yield f"criteria[{i}].deviation", f"关键标准{c.compliance}时须写明偏离说明及对策"
