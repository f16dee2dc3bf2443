"""项目施工整改意见书: what must be fixed after a failed internal acceptance (stage 项目验收).

Source: seed 004 十二 (内部验收不通过，由质量管理部下达《项目施工整改意见书》责令项目经理
限期整改并进行二次内部验收，内部验收应当保持不低于正式验收的要求标准严格执行).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_after, not_before


class Defect(Section):
    issue: str | None = F("问题描述", required=True, width=3.8)
    location: str | None = F("部位", width=2.1, hint="请填写")
    requirement: str | None = F("整改要求", required=True, width=3.7)
    severity: Choice("严重", "一般", "轻微") | None = F("严重程度", width=1.8, hint="请选择")
    fixed_date: DateValue | None = F("完成日期", width=3.8)
    check: Choice("已整改", "未整改") | None = F("复查", width=1.8, hint="请选择")


class RectificationNotice(FormModel):
    FORM_ID = "rectification_notice"
    TITLE = "项目施工整改意见书"
    STAGE = "项目验收"
    VERSION = "1.0"
    FORM_NO = "FK-11a"

    notice_no: str | None = F("整改单编号", section="整改通知")
    contract_no: str | None = F("合同编号", section="整改通知")
    issuing_department: str | None = F("下达部门", required=True, section="整改通知", hint="如 质量管理部")
    inspection_date: DateValue | None = F("内部验收日期", required=True, section="整改通知")
    inspectors: str | None = F("内部验收人员", section="整改通知")
    responsible: str | None = F("整改责任人", required=True, section="整改通知", hint="填写项目经理姓名")
    deadline: DateValue | None = F("整改期限", required=True, section="整改通知")
    recheck_date: DateValue | None = F("二次验收日期", section="整改通知", hint="选择计划的二次内部验收日期")
    inspection_summary: str | None = F("内部验收情况", multiline=True, section="整改通知")

    defects: list[Defect] = F("整改项目", default=list, rows=6)

    issuer: str | None = F("签发人", required=True, sign=True, section="签发与接收")
    issue_date: DateValue | None = F("签发日期", required=True, section="签发与接收")
    receiver: str | None = F("接收人", sign=True, section="签发与接收")
    receive_date: DateValue | None = F("接收日期", section="签发与接收")

    reply: str | None = F("整改情况回复", multiline=True, section="整改复查")
    recheck_result: Choice("整改合格", "整改不合格") | None = F("复查结论", section="整改复查")
    rechecker: str | None = F("复查人", sign=True, section="整改复查")
    recheck_sign_date: DateValue | None = F("复查日期", section="整改复查")
    formal_ready: YesNo | None = F("可申请正式验收", section="整改复查")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.inspection_date, self.issue_date, "issue_date", "内部验收日期")
        yield from not_before(self.issue_date, self.deadline, "deadline", "签发日期")
        yield from not_before(self.issue_date, self.receive_date, "receive_date", "签发日期")
        yield from not_before(self.issue_date, self.recheck_date, "recheck_date", "签发日期")
        for i, d in enumerate(self.defects):
            yield from not_before(self.inspection_date, d.fixed_date, f"defects[{i}].fixed_date", "内部验收日期")
            yield from not_after(self.deadline, d.fixed_date, f"defects[{i}].fixed_date", "整改期限")
        fixed = [d.fixed_date for d in self.defects if d.fixed_date is not None]
        yield from not_before(max(fixed, default=None), self.recheck_sign_date, "recheck_sign_date",
                              "最后一项整改完成日期")

    @rule
    def _recheck(self) -> Iterator[tuple[str, str]]:
        open_items = [d.issue or f"第{i + 1}行" for i, d in enumerate(self.defects) if d.check == "未整改"]
        if self.recheck_result == "整改合格" and open_items:
            yield "recheck_result", f"“{'、'.join(open_items)}”未整改，复查结论不能为“整改合格”"
        if self.formal_ready is True and self.recheck_result != "整改合格":
            yield "formal_ready", "复查结论为“整改合格”后方可申请正式验收"
