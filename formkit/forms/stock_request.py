"""备货申请单: the request to buy the equipment a project needs (stage 实施准备).

Sources: seed 002 (确定是否需要采购备货 -> 填写备货申请单; 由工程团队根据PMO确定的施工
方案与计划，安排备货，并跟进采购到货与签收), 004 十一 (商务部采购组根据施工进度拟定
设备供货方案，按时完成采购工作).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money, Phone, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import daxie_agrees, not_before, product_agrees, sum_agrees


class StockItem(Section):
    name: str | None = F("名称", required=True, width=3.2)
    model: str | None = F("品牌及型号", width=3.4)
    quantity: Quantity | None = F("数量", required=True, width=1.3, hint="请填写")
    unit: str | None = F("单位", width=1.4, hint="请填写")
    unit_price: Money | None = F("单价", width=2.6)
    amount: Money | None = F("金额", width=2.9)
    remark: str | None = F("备注", width=2.2)

    @rule
    def _amount(self) -> Iterator[tuple[str, str]]:
        yield from product_agrees(self.amount, self.quantity, self.unit_price, "amount")


class StockRequest(FormModel):
    FORM_ID = "stock_request"
    TITLE = "备货申请单"
    STAGE = "实施准备"
    VERSION = "1.0"
    FORM_NO = "FK-09b"

    contract_no: str | None = F("合同编号", section="申请信息")
    department: str | None = F("申请部门", required=True, section="申请信息")
    stock_type: Choice("合同备货", "预备货", "补货") | None = F("备货类型", required=True, section="申请信息")
    required_date: DateValue | None = F("要求到货日期", required=True, section="申请信息")
    receiver: str | None = F("收货人", section="申请信息")
    receiver_phone: Phone | None = F("收货人电话", section="申请信息")
    delivery_address: str | None = F("收货地址", required=True, wide=True, section="申请信息")
    reason: str | None = F("备货说明", multiline=True, section="申请信息")

    items: list[StockItem] = F("备货清单", default=list, rows=6)

    total: Money | None = F("合计金额(元)", required=True, section="金额合计")
    total_daxie: str | None = F("合计金额大写", section="金额合计")

    pm_opinion: str | None = F("项目经理意见", multiline=True, section="审批")
    pm_signer: str | None = F("项目经理签字", sign=True, section="审批")
    pm_date: DateValue | None = F("经理签字日期", section="审批")
    gm_opinion: str | None = F("总经理意见", multiline=True, section="审批")
    gm_signer: str | None = F("总经理签字", sign=True, section="审批")
    gm_date: DateValue | None = F("总经理签字日期", section="审批")

    @rule
    def _totals(self) -> Iterator[tuple[str, str]]:
        yield from sum_agrees(self.total, (row.amount for row in self.items), "total", "备货清单金额")
        yield from daxie_agrees(self.total, self.total_daxie, "total_daxie", "合计金额(元)")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.filled_date, self.required_date, "required_date", "填表日期")
