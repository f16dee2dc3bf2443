"""售前项目进展日志: every presales activity, one dated entry each (stage 项目立项).

Source: seed 003 (一 获取信息: 建立售前项目进展日志，填写客户基本信息部分内容; every
later step: 把每次活动情况填写进售前项目进展日志). The log is opened with the project
and kept until the contract: each submission appends entries to ``entries``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from pydantic import ConfigDict

from formkit.fields import DateValue, Phone
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice
from formkit.forms.rules import not_after

ACTIVITIES = ("电话沟通", "上门拜访", "技术交流", "现场踏勘", "方案提交", "产品演示", "报价", "招投标", "商务谈判", "其他")


class LogEntry(Section):
    date: DateValue | None = F("日期", required=True, width=3.8)
    activity: Choice(*ACTIVITIES) | None = F("活动类型", width=2.0, hint="请选择")
    people: str | None = F("参与人员", width=3.0, hint="填写双方人员")
    content: str | None = F("活动内容及结果", required=True, width=5.4)
    next_step: str | None = F("下一步安排", width=2.8)


class PresalesLog(FormModel):
    FORM_ID = "presales_log"
    TITLE = "售前项目进展日志"
    STAGE = "项目立项"
    VERSION = "1.0"
    FORM_NO = "FK-01b"
    APPEND_ONLY: ClassVar[str] = "entries"
    """Later submissions append rows to this list field instead of replacing it."""
    model_config = ConfigDict(json_schema_extra={"x-append-only": APPEND_ONLY})

    sales_rep: str | None = F("营销人员", required=True, section="客户基本信息")
    department: str | None = F("所在部门", section="客户基本信息")
    industry: str | None = F("客户所属行业", section="客户基本信息")
    customer_address: str | None = F("客户地址", section="客户基本信息")
    customer_contact: str | None = F("客户联系人", section="客户基本信息")
    contact_phone: Phone | None = F("联系电话", section="客户基本信息", hint="如 0571-86695210")

    entries: list[LogEntry] = F("进展记录", default=list, rows=8)

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        for i, entry in enumerate(self.entries):
            yield from not_after(self.filled_date, entry.date, f"entries[{i}].date", "填表日期")
