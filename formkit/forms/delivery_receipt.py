"""到货签收确认单: the customer confirms what arrived (stage 项目实施).

Sources: seed 002 (跟进采购到货与签收; 到货签收确认单), 004 十一 (跟踪货物物流信息;
设备采购的到货情况), 004 十二 (项目供货完成后验收). 设备到货签收 is a payment milestone
in the negotiated terms (商务谈判计划书: 设备到货签收后).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Phone, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_before


class ReceivedItem(Section):
    name: str | None = F("名称", required=True, width=3.2)
    model: str | None = F("型号规格", width=3.2)
    unit: str | None = F("单位", width=1.4, hint="请填写")
    expected: Quantity | None = F("应到数量", required=True, width=1.9, hint="请填写")
    received: Quantity | None = F("实收数量", required=True, width=1.9, hint="请填写")
    condition: Choice("完好", "破损") | None = F("外观包装", width=1.9, hint="请选择")
    remark: str | None = F("备注", width=3.5)

    @rule
    def _quantities(self) -> Iterator[tuple[str, str]]:
        if self.expected is None or self.received is None or self.received == self.expected:
            if self.condition == "破损" and self.remark in (None, "", "无"):
                yield "remark", "外观包装破损时须在备注中说明处理方式"
            return
        more_or_less = "多于" if self.received > self.expected else "少于"
        if self.remark in (None, "", "无"):
            yield "remark", (f"实收数量 {self.received.normalize():f} {more_or_less}应到数量 "
                             f"{self.expected.normalize():f}，须在备注中说明")


class DeliveryReceipt(FormModel):
    FORM_ID = "delivery_receipt"
    TITLE = "到货签收确认单"
    STAGE = "项目实施"
    VERSION = "1.0"
    FORM_NO = "FK-10a"

    contract_no: str | None = F("合同编号", required=True, section="到货信息")
    delivery_no: str | None = F("送货单号", section="到货信息")
    supplier: str | None = F("供货单位", section="到货信息")
    arrival_date: DateValue | None = F("到货日期", required=True, section="到货信息")
    batch: str | None = F("到货批次", section="到货信息", hint="如 第1批/共2批")
    packages: Quantity | None = F("到货件数", section="到货信息")
    carrier: str | None = F("物流单号", wide=True, section="到货信息", hint="如 顺丰 SF1408826537102")
    site: str | None = F("收货地点", required=True, wide=True, section="到货信息")

    items: list[ReceivedItem] = F("到货清单", default=list, rows=6)

    documents: YesNo | None = F("随货资料齐全", section="签收结论", hint="合格证、说明书、装箱单")
    result: Choice("全部签收", "部分签收", "拒收") | None = F("签收结论", required=True, section="签收结论")
    exceptions: str | None = F("异常情况说明", multiline=True, section="签收结论")

    customer_signer: str | None = F("客户签收人", required=True, sign=True, section="签字确认")
    sign_date: DateValue | None = F("签收日期", required=True, section="签字确认")
    customer_stamped: YesNo | None = F("客户已盖章", section="签字确认")
    our_pm: str | None = F("我方项目经理", sign=True, section="签字确认")
    deliverer: str | None = F("送货人", sign=True, section="签字确认")
    deliverer_phone: Phone | None = F("送货人电话", section="签字确认")

    @rule
    def _result(self) -> Iterator[tuple[str, str]]:
        short = [r.name or f"第{i + 1}行" for i, r in enumerate(self.items)
                 if (r.expected is not None and r.received is not None and r.received < r.expected)
                 or r.condition == "破损"]
        if self.result == "全部签收" and short:
            yield "result", f"“{'、'.join(short)}”数量不足或包装破损，签收结论不能为“全部签收”"
        if self.result in ("部分签收", "拒收") and self.exceptions in (None, "", "无"):
            yield "exceptions", f"签收结论为“{self.result}”时须说明异常情况"

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.arrival_date, self.sign_date, "sign_date", "到货日期")
