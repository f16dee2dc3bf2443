"""关键决策人基本信息表: the profile of one key decision maker (stage 方案设计).

Sources: seed 000 三 方案设计 (关键决策人基本信息表; 深入并扩大与其他人的客户关系;
客户领导对方案表示认可), 000 五 (力争找到高层或项目评估负责人来建立关系), 003 二 E
(关键决策人员的职务简历联系方式) and I (对领导讲公司情况、产品规划). One form a person.
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Phone
from formkit.forms.base import F, FormModel, rule
from formkit.forms.common import Choice


class DecisionMaker(FormModel):
    FORM_ID = "decision_maker"
    TITLE = "关键决策人基本信息表"
    STAGE = "方案设计"
    VERSION = "1.0"
    FORM_NO = "FK-03a"

    name: str | None = F("姓名", required=True, section="基本信息")
    gender: Choice("男", "女") | None = F("性别", section="基本信息")
    birth_date: DateValue | None = F("出生日期", section="基本信息")
    native_place: str | None = F("籍贯", section="基本信息")
    department: str | None = F("部门", section="基本信息")
    title: str | None = F("职务", required=True, section="基本信息")
    superior: str | None = F("直接上级", section="基本信息")
    email: str | None = F("电子邮箱", section="基本信息")
    mobile: Phone | None = F("手机", section="基本信息")
    office_phone: Phone | None = F("办公电话", section="基本信息")
    responsibilities: str | None = F("分管工作", wide=True, section="基本信息")
    office_address: str | None = F("办公地址", wide=True, section="基本信息")

    education: str | None = F("教育背景", multiline=True, section="个人背景")
    career: str | None = F("工作经历", multiline=True, section="个人背景")
    family: str | None = F("家庭情况", multiline=True, section="个人背景")
    hobbies: str | None = F("兴趣爱好", wide=True, section="个人背景")
    character: str | None = F("性格特点", wide=True, section="个人背景")

    role: Choice("最终决策者", "主要决策者", "技术决策者", "商务决策者", "影响者") | None = F(
        "决策角色", required=True, section="决策与关系")
    influence: Choice("高", "中", "低") | None = F("决策影响力", section="决策与关系")
    attitude: Choice("支持", "中立", "反对") | None = F("对我方态度", required=True, section="决策与关系")
    relationship: Choice("密切", "良好", "一般", "初识") | None = F("关系现状", section="决策与关系")
    our_contact: str | None = F("我方对接人", section="决策与关系")
    decision_style: str | None = F("决策风格", section="决策与关系", wide=True)
    concerns: str | None = F("关注重点", multiline=True, section="决策与关系")
    competitor_ties: str | None = F("与竞争对手关系", multiline=True, section="决策与关系")
    history: str | None = F("接触记录", multiline=True, section="决策与关系")
    plan: str | None = F("关系发展计划", multiline=True, section="决策与关系")

    @rule
    def _plan(self) -> Iterator[tuple[str, str]]:
        if self.attitude == "反对" and self.plan in (None, "", "无"):
            yield "plan", "关键决策人态度为“反对”时须写明关系发展计划"
