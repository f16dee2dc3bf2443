"""客户意见反馈表: the customer's comments on a proposal and what we do about them
(stage 方案确认).

Sources: seed 000 五 方案确认 (客户意见反馈表; 引导需求，发现问题), 004 五 用户反馈 (销售代表
将初步方案带给用户，根据用户反馈意见再与售前工程师、商务部进行方案改进，包括成本压缩),
003 五 M 方案完善 (记录对方的建议，反馈给编写人员进一步修改), 002 (跟进客户反馈).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Phone
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import not_before

CATEGORIES = ("技术方案", "价格", "工期", "售后服务", "付款方式", "其他")


class FeedbackItem(Section):
    category: Choice(*CATEGORIES) | None = F("类别", required=True, width=1.9, hint="请选择")
    comment: str | None = F("客户意见", required=True, width=4.1)
    action: str | None = F("处理措施", width=4.0)
    owner: str | None = F("责任人", width=1.6, hint="请填写")
    due_date: DateValue | None = F("完成日期", width=3.8)
    status: Choice("已处理", "处理中", "未处理") | None = F("状态", width=1.6, hint="请选择")


class Feedback(FormModel):
    FORM_ID = "feedback"
    TITLE = "客户意见反馈表"
    STAGE = "方案确认"
    VERSION = "1.0"
    FORM_NO = "FK-05b"

    feedback_date: DateValue | None = F("反馈日期", required=True, section="反馈来源")
    channel: Choice("会议", "面谈", "电话", "邮件", "书面") | None = F("反馈方式", section="反馈来源")
    subject: str | None = F("反馈所涉方案", required=True, wide=True, section="反馈来源", hint="如 方案说明书 V1.2")
    respondent: str | None = F("客户反馈人", required=True, section="反馈来源")
    respondent_title: str | None = F("反馈人职务", section="反馈来源")
    respondent_phone: Phone | None = F("反馈人电话", section="反馈来源")
    receiver: str | None = F("我方接收人", section="反馈来源")

    items: list[FeedbackItem] = F("意见与处理", default=list, rows=5)

    satisfaction: Choice("满意", "基本满意", "不满意") | None = F("总体评价", required=True, section="评价与确认")
    acceptance: Choice("认可", "修改后认可", "不认可") | None = F("方案认可程度", section="评价与确认")
    improvement_plan: str | None = F("改进计划", multiline=True, section="评价与确认")
    customer_confirm: str | None = F("客户确认人", sign=True, section="评价与确认")
    confirm_date: DateValue | None = F("确认日期", section="评价与确认")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        for i, item in enumerate(self.items):
            yield from not_before(self.feedback_date, item.due_date, f"items[{i}].due_date", "反馈日期")
        yield from not_before(self.feedback_date, self.confirm_date, "confirm_date", "反馈日期")

    @rule
    def _plan(self) -> Iterator[tuple[str, str]]:
        if self.satisfaction == "不满意" and self.improvement_plan in (None, "", "无"):
            yield "improvement_plan", "总体评价为“不满意”时须填写改进计划"
