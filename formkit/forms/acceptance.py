"""项目验收单: internal or formal acceptance, signed and stamped by the client.

Sources: seed 002 项目验收阶段, 004 十二 (internal acceptance first; a failed one
leads to a 项目施工整改意见书 and a second internal acceptance).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import daxie_agrees, not_before


class CheckRow(Section):
    item: str | None = F("验收项目", required=True, width=4.0)
    standard: str | None = F("验收标准", width=6.0)
    result: Choice("合格", "不合格") | None = F("结果", required=True, width=2.5)
    remark: str | None = F("备注", width=4.5)


class DeliverableRow(Section):
    name: str | None = F("名称", required=True, width=9.0)
    quantity: Quantity | None = F("数量", width=3.0)
    delivered: YesNo | None = F("是否已交付", width=5.0)


class Acceptance(FormModel):
    FORM_ID = "acceptance"
    TITLE = "项目验收单"
    STAGE = "项目验收"
    VERSION = "1.0"
    FORM_NO = "FK-11"

    contract_no: str | None = F("合同编号", required=True, section="合同信息")
    contract_amount: Money | None = F("合同金额(元)", required=True, section="合同信息")
    contract_amount_daxie: str | None = F("合同金额大写", section="合同信息")
    site: str | None = F("项目地点", section="合同信息")
    start_date: DateValue | None = F("开工日期", section="合同信息")
    finish_date: DateValue | None = F("完工日期", section="合同信息")
    acceptance_date: DateValue | None = F("验收日期", required=True, section="合同信息")
    acceptance_type: Choice("内部验收", "正式验收") | None = F("验收类型", required=True, section="合同信息")

    checks: list[CheckRow] = F("验收内容", default=list, rows=5)
    deliverables: list[DeliverableRow] = F("交付物清单", default=list, rows=4)

    open_issues: str | None = F("遗留问题及整改要求", multiline=True, section="验收结论")
    rectification_deadline: DateValue | None = F("整改期限", section="验收结论")
    conclusion: Choice("通过", "有条件通过", "不通过") | None = F("验收结论", required=True, section="验收结论")
    customer_opinion: str | None = F("客户方意见", multiline=True, section="验收结论")

    customer_signer: str | None = F("客户验收人(签字)", required=True, sign=True, section="签字确认")
    customer_sign_date: DateValue | None = F("客户签字日期", section="签字确认")
    customer_stamped: YesNo | None = F("客户已盖章", section="签字确认")
    our_pm: str | None = F("我方项目经理(签字)", sign=True, section="签字确认")
    our_pm_date: DateValue | None = F("项目经理签字日期", section="签字确认")
    supervisor: str | None = F("监理(可选)", sign=True, section="签字确认")
    supervisor_date: DateValue | None = F("监理签字日期", section="签字确认")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.start_date, self.finish_date, "finish_date", "开工日期")
        yield from not_before(self.finish_date, self.acceptance_date, "acceptance_date", "完工日期")
        yield from not_before(self.acceptance_date, self.rectification_deadline,
                              "rectification_deadline", "验收日期")

    @rule
    def _conclusion(self) -> Iterator[tuple[str, str]]:
        failed = [c.item or f"第{i + 1}行" for i, c in enumerate(self.checks) if c.result == "不合格"]
        if self.conclusion == "通过" and failed:
            yield "conclusion", f"验收内容中“{'、'.join(failed)}”不合格，结论不能为“通过”"
        if self.conclusion == "有条件通过" and not self.open_issues:
            yield "open_issues", "结论为“有条件通过”时须写明遗留问题及整改要求"
        if self.conclusion == "有条件通过" and self.rectification_deadline is None:
            yield "rectification_deadline", "结论为“有条件通过”时须填写整改期限"

    @rule
    def _daxie(self) -> Iterator[tuple[str, str]]:
        yield from daxie_agrees(self.contract_amount, self.contract_amount_daxie,
                                "contract_amount_daxie", "合同金额(元)")
