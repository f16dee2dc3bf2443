"""业绩展示总结: how the showcase went and what the customer now thinks (stage 业绩展示).

Sources: seed 000 四 业绩展示 (成功标准: 至少让参加人员形成认同，同时承诺向下发展;
符合条件: 利用对售前技术支持人员的评估来调查客户内部对项目演示的想法, 深入并发展与
经手人士及其他人的关系), 003 六 (鼓励提出他们的特殊需求并记录).
"""

from __future__ import annotations

from collections.abc import Iterator

from formkit.fields import DateValue, Money
from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import Choice, YesNo
from formkit.forms.rules import not_before
from formkit.forms.showcase_plan import SHOWCASE_TYPES


class Reaction(Section):
    name: str | None = F("姓名", required=True, width=2.2)
    title: str | None = F("职务", width=3.0)
    feedback: str | None = F("反应与评价", width=6.4)
    needs: str | None = F("提出的需求", width=3.8)
    attitude: Choice("支持", "中立", "反对") | None = F("态度", width=1.6, hint="请选择")


class ShowcaseSummary(FormModel):
    FORM_ID = "showcase_summary"
    TITLE = "业绩展示总结"
    STAGE = "业绩展示"
    VERSION = "1.0"
    FORM_NO = "FK-04b"

    showcase_type: Choice(*SHOWCASE_TYPES) | None = F("展示方式", required=True, section="展示情况")
    showcase_date: DateValue | None = F("展示日期", required=True, section="展示情况")
    location: str | None = F("展示地点", wide=True, section="展示情况")
    customer_people: str | None = F("客户方参加人员", wide=True, section="展示情况")
    our_people: str | None = F("我方参加人员", wide=True, section="展示情况")
    actual_cost: Money | None = F("实际费用(元)", section="展示情况")
    as_planned: YesNo | None = F("按计划进行", section="展示情况")
    process: str | None = F("展示过程", required=True, multiline=True, section="展示情况")

    reactions: list[Reaction] = F("客户反应", default=list, rows=4)

    satisfaction: Choice("满意", "基本满意", "不满意") | None = F("客户满意度", required=True, section="效果评估")
    goal_met: Choice("达到", "部分达到", "未达到") | None = F("展示目的达成", required=True, section="效果评估")
    presales_rating: Choice("优秀", "良好", "一般", "较差") | None = F("售前支持评价", section="效果评估")
    committed: YesNo | None = F("客户承诺推进", section="效果评估", hint="成功标准：参加人员认同并承诺向下发展")
    commitment: str | None = F("承诺内容", multiline=True, section="效果评估", hint="客户承诺的下一步（如 安排调研、提供需求）")
    problems: str | None = F("存在问题", multiline=True, section="效果评估")
    improvements: str | None = F("改进措施", multiline=True, section="效果评估")
    next_steps: str | None = F("下一步计划", multiline=True, section="效果评估")

    @rule
    def _dates(self) -> Iterator[tuple[str, str]]:
        yield from not_before(self.showcase_date, self.filled_date, "filled_date", "展示日期")

    @rule
    def _follow_up(self) -> Iterator[tuple[str, str]]:
        if self.goal_met in ("部分达到", "未达到") and self.improvements in (None, "", "无"):
            yield "improvements", f"展示目的{self.goal_met}时须写明改进措施"
