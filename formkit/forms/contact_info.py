"""联系人基本信息表: the customer's people the project deals with (stage 初步接触).

Sources: seed 000 二 初步接触 (联系人基本信息表; 电话邀约: 对方至少是经手人士;
上门拜访: 找对合格的经手人士, 明确可能的项目负责人), 003 二 E (具体经办人员和关键
决策人员的职务简历联系方式) and I (领导、信息中心人员、业务部门人员 are told
different things). One row a person; the detailed profile of a key decision maker
is the 关键决策人基本信息表.
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Phone
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice

ROLES = ("决策者", "经手人", "技术把关", "使用者", "采购", "财务", "影响者")


class Contact(Section):
    name: str | None = F("姓名", required=True, width=1.7, hint="请填写")
    department: str | None = F("部门", width=2.4)
    title: str | None = F("职务", width=2.6)
    role: Choice(*ROLES) | None = F("项目角色", width=1.9, hint="请选择")
    mobile: Phone | None = F("手机", width=3.0)
    office_phone: Phone | None = F("办公电话", width=3.4)
    remark: str | None = F("备注", width=2.0, hint="请填写")


class ContactInfo(FormModel):
    FORM_ID = "contact_info"
    TITLE = "联系人基本信息表"
    STAGE = "初步接触"
    VERSION = "1.0"
    FORM_NO = "FK-02b"

    contacts: list[Contact] = F("联系人", default=list, rows=8)

    handler: str | None = F("经手人士", required=True, section="关键人员", hint="填写客户方直接经办本项目的人")
    project_owner: str | None = F("项目负责人", section="关键人员", hint="填写客户方可能的项目负责人")
    decision_maker: str | None = F("关键决策人", section="关键人员")
    first_contact_date: DateValue | None = F("首次接触日期", section="关键人员")
    reporting: str | None = F("内部汇报关系", multiline=True, section="关键人员",
                              hint="填写谁向谁汇报、谁与谁合作")
    notes: str | None = F("其他说明", multiline=True, section="关键人员",
                          hint="填写兴趣爱好、沟通习惯、注意事项等")

    @rule
    def _named_people_are_listed(self) -> Iterator[tuple[str, str]]:
        names = {c.name.strip() for c in self.contacts if c.name}
        if not names:
            return
        for field in ("handler", "project_owner", "decision_maker"):
            who = getattr(self, field)
            if who and who.strip() not in names and who.strip() not in {"无", "/", "待定"}:
                label = type(self).model_fields[field].title
                yield field, f"{label}“{who}”不在联系人列表中，请补充其联系方式"
