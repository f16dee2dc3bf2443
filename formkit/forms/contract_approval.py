"""合同审批记录: the contract's review, approval, stamping and filing (stage 签约成交).

Sources: seed 002 签约阶段 (运营负责合同评审与商务流程、合同盖章与存档; 项目实施前准备:
运营收到客户签回的合同后存档), 003 九 (U 合同起草 依据公司合同模板; V 合同评审 提交总部
业务营运部评审; W 合同签定 提请对方关键决策人签署盖章后按公司规定签字盖章，分别交存;
X 合同生效 收首付款), 001 (合同评审时协调相关人员参与，确保合同的完整性、一致性、有效性、
合理性), 000 八 (明确成交的条件与付款方式).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.negotiation_plan import PaymentTerm
from formkit.forms.rules import daxie_agrees, not_before, ratios_sum_to_100, share_agrees

CONTRACT_TYPES = ("销售合同", "工程施工合同", "技术服务合同", "软件开发合同", "其他")


class Review(Section):
    department: str | None = F("评审部门", required=True, width=2.2)
    reviewer: str | None = F("评审人", width=1.7, hint="请填写")
    opinion: str | None = F("评审意见", width=6.9)
    verdict: Choice("同意", "修改后同意", "不同意") | None = F("结论", required=True, width=2.4)
    review_date: DateValue | None = F("日期", width=3.8)


class ContractApproval(FormModel):
    FORM_ID = "contract_approval"
    TITLE = "合同审批记录"
    STAGE = "签约成交"
    VERSION = "1.0"
    FORM_NO = "FK-08a"

    contract_no: str | None = F("合同编号", required=True, section="合同信息")
    contract_type: Choice(*CONTRACT_TYPES) | None = F("合同类型", required=True, section="合同信息")
    contract_title: str | None = F("合同名称", required=True, wide=True, section="合同信息")
    contract_amount: Money | None = F("合同金额(元)", required=True, section="合同信息")
    contract_amount_daxie: str | None = F("合同金额大写", required=True, section="合同信息")
    sign_date: DateValue | None = F("签订日期", section="合同信息")
    start_date: DateValue | None = F("合同开始日期", section="合同信息")
    end_date: DateValue | None = F("合同结束日期", section="合同信息")
    warranty_months: Quantity | None = F("质保期(月)", section="合同信息")
    sales_rep: str | None = F("销售代表", required=True, section="合同信息")
    template_used: YesNo | None = F("使用合同模板", section="合同信息", hint="是否采用公司合同模板")
    key_terms: str | None = F("主要条款摘要", multiline=True, section="合同信息",
                              hint="填写到货期、实施进度、售后服务、违约责任等")
    deviations: str | None = F("与谈判的差异", multiline=True, section="合同信息")

    payments: list[PaymentTerm] = F("付款方式", default=list, rows=4)
    reviews: list[Review] = F("合同评审", default=list, rows=5)

    gm_opinion: str | None = F("总经理意见", multiline=True, section="审批")
    gm_signer: str | None = F("总经理签字", sign=True, section="审批")
    gm_date: DateValue | None = F("总经理签字日期", section="审批")

    seal_type: Choice("合同专用章", "公章") | None = F("用印类型", section="盖章与存档")
    seal_date: DateValue | None = F("用印日期", section="盖章与存档")
    seal_handler: str | None = F("用印经办人", section="盖章与存档")
    customer_sealed: YesNo | None = F("客户已签章", section="盖章与存档")
    copies: Quantity | None = F("合同份数", section="盖章与存档")
    archive_no: str | None = F("存档编号", section="盖章与存档")
    archive_date: DateValue | None = F("存档日期", section="盖章与存档")
    archivist: str | None = F("存档经办人", section="盖章与存档")

    @rule
    def _amounts(self) -> Iterator[tuple[str, str]]:
        yield from daxie_agrees(self.contract_amount, self.contract_amount_daxie,
                                "contract_amount_daxie", "合同金额(元)")
        yield from ratios_sum_to_100((p.ratio for p in self.payments), "payments", "各付款节点比例")
        for i, p in enumerate(self.payments):
            yield from share_agrees(p.amount, self.contract_amount, p.ratio, f"payments[{i}].amount", "合同金额")

    @rule
    def _approval(self) -> Iterator[tuple[str, str]]:
        refused = [r.department or f"第{i + 1}行" for i, r in enumerate(self.reviews) if r.verdict == "不同意"]
        if refused and self.seal_date is not None:
            yield "seal_date", f"{'、'.join(refused)}评审不同意，合同不能用印"
        if self.seal_date is not None and self.gm_date is None:
            yield "gm_date", "合同须经总经理签字审批后方可用印"

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.start_date, self.end_date, "end_date", "合同开始日期")
        reviewed = [r.review_date for r in self.reviews if r.review_date is not None]
        yield from not_before(max(reviewed, default=None), self.gm_date, "gm_date", "最后一项合同评审日期")
        yield from not_before(self.gm_date, self.seal_date, "seal_date", "总经理签字日期")
        yield from not_before(self.seal_date, self.archive_date, "archive_date", "用印日期")
