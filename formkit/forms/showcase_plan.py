"""业绩展示计划表: the plan for showing the customer our work (stage 业绩展示).

Sources: seed 000 四 业绩展示 (成功标准: 有针对性的业绩展示，让参加人员形成认同; 符合条件:
明确客户内部参加的角色、部门及关心的问题(特别是项目负责人), 售前技术支持人员和销售顾问
利用交流与客户产生互动), 003 六 产品演示 (事前预约并准备; 笔记本电脑、投影仪; 讲解对象和
目的, 避免“上大课”) and 二 G (重点介绍其同行业内的成功客户).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_after, not_before

SHOWCASE_TYPES = ("样板工程参观", "产品演示", "技术交流会", "公司考察")


class Attendee(Section):
    name: str | None = F("姓名", required=True, width=2.2)
    department: str | None = F("部门", width=3.0)
    title: str | None = F("职务", width=3.0)
    concerns: str | None = F("关心的问题", width=8.8)


class OurAttendee(Section):
    name: str | None = F("姓名", required=True, width=2.2)
    title: str | None = F("职务", width=3.8)
    role: str | None = F("分工", width=11.0)


class AgendaItem(Section):
    time: str | None = F("时间", required=True, width=2.6, hint="如 09:30-10:00")
    content: str | None = F("内容", required=True, width=9.6)
    presenter: str | None = F("主讲/负责人", width=4.8)


class PrepTask(Section):
    task: str | None = F("准备事项", required=True, width=6.4)
    owner: str | None = F("责任人", width=1.9, hint="请填写")
    due_date: DateValue | None = F("完成日期", width=3.8)
    done: YesNo | None = F("已完成", width=1.7)
    remark: str | None = F("备注", width=3.2)


class ShowcasePlan(FormModel):
    FORM_ID = "showcase_plan"
    TITLE = "业绩展示计划表"
    STAGE = "业绩展示"
    VERSION = "1.0"
    FORM_NO = "FK-04a"

    showcase_type: Choice(*SHOWCASE_TYPES) | None = F("展示方式", required=True, section="展示安排")
    showcase_date: DateValue | None = F("展示日期", required=True, section="展示安排")
    location: str | None = F("展示地点", required=True, wide=True, section="展示安排")
    reference_project: str | None = F("展示的业绩项目", wide=True, section="展示安排",
                                      hint="填写样板工程或成功案例的名称")
    budget: Money | None = F("费用预算(元)", section="展示安排")
    transport: str | None = F("交通安排", section="展示安排")
    objectives: str | None = F("展示目的", required=True, multiline=True, section="展示安排")
    key_points: str | None = F("展示重点", multiline=True, section="展示安排",
                               hint="填写针对客户关心的问题重点展示什么")

    attendees: list[Attendee] = F("客户方参加人员", default=list, rows=4)
    our_attendees: list[OurAttendee] = F("我方参加人员", default=list, rows=3)
    agenda: list[AgendaItem] = F("日程安排", default=list, rows=4)
    preparations: list[PrepTask] = F("准备工作", default=list, rows=4)

    manager_opinion: str | None = F("部门主管意见", multiline=True, section="审批")
    manager: str | None = F("部门主管签字", sign=True, section="审批")
    manager_date: DateValue | None = F("主管签字日期", section="审批")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.filled_date, self.showcase_date, "showcase_date", "填表日期")
        for i, task in enumerate(self.preparations):
            yield from not_after(self.showcase_date, task.due_date, f"preparations[{i}].due_date", "展示日期")
