"""项目回款申请: the request to the customer for a contract payment (stage 回款结项).

Sources: seed 004 十三 (项目经理在项目验收通过后填写项目回款申请等相关手续交由用户或项目
招标代理机构进行回款; 销售代表配合), 002 项目验收阶段 (销售跟进项目回款; 项目全部回款之后，
运营负责关闭项目), 003 X/Z (根据实施进度和合同约定及时回收应付款项).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from formkit.fields import DateValue, Money, Percent, Phone, format_money
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import CENT, daxie_agrees, not_before, sum_agrees


class Received(Section):
    received_date: DateValue | None = F("回款日期", required=True, width=3.8)
    milestone: str | None = F("付款节点", required=True, width=5.6)
    amount: Money | None = F("金额(元)", required=True, width=3.2)
    voucher: str | None = F("凭证/发票号", width=4.4)


class PaymentRequest(FormModel):
    FORM_ID = "payment_request"
    TITLE = "项目回款申请"
    STAGE = "回款结项"
    VERSION = "1.0"
    FORM_NO = "FK-12a"

    contract_no: str | None = F("合同编号", required=True, section="合同与验收")
    contract_amount: Money | None = F("合同金额(元)", required=True, section="合同与验收")
    acceptance_date: DateValue | None = F("验收日期", section="合同与验收")
    acceptance_result: Choice("通过", "有条件通过", "不通过") | None = F("验收结论", section="合同与验收")

    history: list[Received] = F("已回款明细", default=list, rows=3)

    received_amount: Money | None = F("累计已回款(元)", required=True, section="本次申请")
    milestone: str | None = F("本次付款节点", required=True, section="本次申请", hint="如 正式验收合格后")
    ratio: Percent | None = F("本次比例(%)", section="本次申请")
    request_amount: Money | None = F("申请金额(元)", required=True, section="本次申请")
    request_amount_daxie: str | None = F("申请金额大写", required=True, wide=True, section="本次申请")
    outstanding_amount: Money | None = F("申请后未回款(元)", section="本次申请")
    due_date: DateValue | None = F("要求付款日期", section="本次申请")
    invoice_no: str | None = F("发票号码", section="本次申请")
    invoice_issued: YesNo | None = F("发票已开具", section="本次申请")
    reason: str | None = F("申请说明", multiline=True, section="本次申请")

    payee: str | None = F("收款单位", required=True, wide=True, section="收款账户")
    bank: str | None = F("开户银行", required=True, section="收款账户")
    account: str | None = F("银行账号", required=True, section="收款账户")

    applicant: str | None = F("申请人(项目经理)", required=True, sign=True, section="签字确认")
    sales_rep: str | None = F("销售代表", sign=True, section="签字确认")
    customer_opinion: str | None = F("客户审核意见", multiline=True, section="签字确认")
    customer_signer: str | None = F("客户经办人", sign=True, section="签字确认")
    customer_date: DateValue | None = F("客户签字日期", section="签字确认")
    customer_stamped: YesNo | None = F("客户已盖章", section="签字确认")
    customer_phone: Phone | None = F("经办人电话", section="签字确认")

    @rule
    def _amounts(self) -> Iterator[tuple[str, str]]:
        contract, paid, asked = self.contract_amount, self.received_amount, self.request_amount
        yield from sum_agrees(paid, (r.amount for r in self.history), "received_amount", "已回款明细金额")
        if contract is not None and paid is not None and paid > contract:
            yield "received_amount", "累计已回款超过合同金额，请核对"
        elif contract is not None and paid is not None and asked is not None and asked > contract - paid:
            yield "request_amount", (f"本次申请金额 {format_money(asked)} 超过未回款金额 "
                                     f"{format_money(contract - paid)}（合同金额 − 累计已回款）")
        if None not in (contract, paid, asked, self.outstanding_amount) and contract >= paid + asked:
            expected = contract - paid - asked
            if self.outstanding_amount != expected:
                yield "outstanding_amount", f"应为 合同金额 − 累计已回款 − 本次申请金额 = {format_money(expected)}"
        if contract and asked is not None and self.ratio is not None:
            expected_amount = (contract * self.ratio / 100).quantize(CENT)
            if abs(expected_amount - asked) > Decimal("1"):
                share = (asked / contract * 100).quantize(Decimal("0.01")).normalize()
                yield "ratio", f"本次申请金额占合同金额的 {share:f}%，与所填比例不符"
        yield from daxie_agrees(asked, self.request_amount_daxie, "request_amount_daxie", "申请金额(元)")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        if self.acceptance_result == "不通过":
            yield "acceptance_result", "项目验收通过后方可申请回款"
        yield from not_before(self.acceptance_date, self.filled_date, "filled_date", "验收日期")
        yield from not_before(self.filled_date, self.due_date, "due_date", "填表日期")
