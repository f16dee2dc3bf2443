"""客户基本信息表: who the customer is (stage 初步接触).

Sources: seed 000 二 初步接触 (客户基本信息表; 电话邀约: 已经符合目标客户的选择标准),
003 二 E 了解客户情况 (项目的规划、预算、主管的部门、具体经办人员和关键决策人员) and
重点客户的划分原则 (行业重点客户、地区市场有影响的客户、上市公司、预计签单额较大).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import Money, Phone, Quantity
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo


class KeyPerson(Section):
    name: str | None = F("姓名", required=True, width=1.8, hint="请填写")
    department: str | None = F("部门", width=3.0)
    title: str | None = F("职务", width=3.0)
    mobile: Phone | None = F("手机", width=3.0)
    role: str | None = F("在项目中的角色", width=6.2, hint="如 经手人、关键决策人")


class CustomerInfo(FormModel):
    FORM_ID = "customer_info"
    TITLE = "客户基本信息表"
    STAGE = "初步接触"
    VERSION = "1.0"
    FORM_NO = "FK-02a"

    short_name: str | None = F("客户简称", section="单位信息")
    nature: Choice("政府机关", "事业单位", "国有企业", "民营企业", "外资企业", "其他") | None = F(
        "单位性质", required=True, section="单位信息")
    industry: str | None = F("所属行业", required=True, section="单位信息")
    credit_code: str | None = F("社会信用代码", section="单位信息", wide=True)
    legal_rep: str | None = F("法定代表人", section="单位信息")
    parent_org: str | None = F("上级主管单位", section="单位信息")
    registered_capital: Money | None = F("注册资本(元)", section="单位信息")
    employees: Quantity | None = F("员工人数", section="单位信息")
    address: str | None = F("办公地址", required=True, wide=True, section="单位信息")
    switchboard: Phone | None = F("总机电话", section="单位信息", hint="如 0571-86695200")
    website: str | None = F("单位网址", section="单位信息")

    key_people: list[KeyPerson] = F("主要联系人", default=list, rows=4)

    organization: str | None = F("组织机构概况", multiline=True, section="经营与项目情况")
    current_status: str | None = F("现状与存在问题", multiline=True, section="经营与项目情况")
    plans: str | None = F("项目规划", multiline=True, section="经营与项目情况")
    budget: Money | None = F("项目预算(元)", section="经营与项目情况")
    funding: Choice("财政拨款", "自有资金", "专项资金", "银行贷款", "其他") | None = F(
        "资金来源", section="经营与项目情况")
    suppliers: str | None = F("现有供应商", multiline=True, section="经营与项目情况")

    key_customer: YesNo | None = F("是否重点客户", section="客户分级")
    customer_grade: Choice("A类", "B类", "C类") | None = F("客户等级", section="客户分级")
    key_reason: str | None = F("重点客户依据", multiline=True, section="客户分级",
                               hint="填写依据：行业重点客户、地区有影响的客户、上市公司、预计签单额较大等")
    bank: str | None = F("开户银行", section="开票信息")
    account: str | None = F("银行账号", section="开票信息")

    @rule
    def _key_customer(self) -> Iterator[tuple[str, str]]:
        if self.key_customer is True and not self.key_reason:
            yield "key_reason", "列为重点客户时须写明划分依据"
