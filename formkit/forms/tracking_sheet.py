"""项目跟踪流程表: the presales tracking sheet (seed 000).

A header and the eight presales stages. Each stage has its 成功标准 and
符合条件 checklist (fixed wording, printed on the form, each item ticked or
not), the 实际情况 written by sales, and 判断 and 跟进措施 written by each of
营销人员, 部门主管, 销售经理 and 总经理. The wording below is the seed's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from pydantic import create_model

from formkit.forms.base import F, FormModel, Section, rule
from formkit.forms.common import YesNo


class RoleOpinions(Section):
    sales: str | None = F("营销人员", multiline=True)
    dept_head: str | None = F("部门主管", multiline=True)
    sales_manager: str | None = F("销售经理", multiline=True)
    general_manager: str | None = F("总经理", multiline=True)


class StageBlock(Section):
    """One presales stage; subclasses fix the number of checklist items."""

    CONDITIONS: ClassVar[int] = 0

    conditions: list[YesNo | None] = F("符合条件", default=list)
    actual: str | None = F("实际情况", multiline=True, hint="由营销人员填写")
    judgement: RoleOpinions | None = F("判断", hint="由营销人员、部门主管、销售经理、总经理分别填写")
    follow_up: RoleOpinions | None = F("跟进措施", hint="由营销人员、部门主管、销售经理、总经理分别填写")

    @rule
    def _checklist(self) -> Iterator[tuple[str, str]]:
        if self.conditions and len(self.conditions) != self.CONDITIONS:
            yield "conditions", f"应有 {self.CONDITIONS} 项，收到 {len(self.conditions)} 项"


# (field, title, [(成功标准 heading, text)], [{"heading", "items"}])
STAGES: list[tuple[str, str, list[tuple[str, str]], list[dict[str, Any]]]] = [
    ("initiation", "一、项目立项",
     [("项目立项的成功标准", "项目立项的里程碑是：通过公司项目流程筛选，并在内部准备跟踪。")],
     [{"heading": "项目立项的符合条件", "items": [
         "收集信息，并完整填写《项目立项申请表》；",
         "按项目立项流程上报；",
         "审批通过并执行。"]}]),
    ("first_contact", "二、初步接触",
     [("电话邀约的成功标准",
       "电话邀约不仅仅是为了能够了解客户信息，能够给客户留下好的第一印象，而是能够让客户知道产品或服务带给他的价值，"
       "更重要的是电话邀约的目的是为了能向下一环节推进。如果客户明显表现出对提供方案的兴趣，则说明我们可以进入下个环节了。"),
      ("上门拜访的成功标准",
       "通过拜访建立初步客户关系，使双方都有建设性的意向，同时，客户提及初步方案，准备向相关部门进行汇报。")],
     [{"heading": "电话邀约要符合的条件", "items": [
         "已经符合目标客户的选择标准；",
         "对方至少是经手人士；",
         "客户对项目比较有兴趣了解，而且一定会慎重考虑；",
         "已经与经手人士确认好具体时间、地点等；",
         "对方比较积极，而非强迫性的互动行为。"]},
      {"heading": "上门拜访要符合的条件", "items": [
         "找对合格的经手人士；",
         "推荐公司在技术能力上的优势；",
         "明确客户内部的采购流程，特别是可能的项目负责人；",
         "建立并发展与经手人士的关系；",
         "双方达成共识，可以招投标方案设计。"]}]),
    ("solution_design", "三、方案设计",
     [("方案设计的成功标准",
       "通过初步方案的访谈，深入并扩展营销开发关系，使更多的人认同目前的方案，同时经手人士给予积极的评价，承诺进行业绩展示。")],
     [{"heading": "方案设计的符合条件", "items": [
         "至少与经手人士的部门有针对性地进行访谈；",
         "提供简单客户化的方案是结合访谈内容的；",
         "利用沟通至少要影响本部门的经手人，提交的方案使其满意；",
         "发展与经手人士的关系，深入并扩大与其他人的客户关系；",
         "如涉及价格一定是粗放性的或经过调研后提供实际报价；",
         "在一段时间内，客户领导及其他部门对方案表示认可，承诺进行后续交流。"]}]),
    ("showcase", "四、业绩展示",
     [("业绩展示的成功标准", "通过调查来进行有针对性的业绩展示，至少让参加人员形成认同，同时承诺向下发展。")],
     [{"heading": "业绩展示的符合条件", "items": [
         "明确客户内部参加的角色、部门及关心的问题（特别是项目负责人）；",
         "提醒售前技术支持人员和销售顾问利用交流与客户产生互动，了解需求及建立关系；",
         "利用对售前技术支持人员的评估来调查客户内部对项目演示的想法；",
         "深入并发展与经手人士及其他人的关系。"]}]),
    ("solution_confirmation", "五、方案确认",
     [("方案确认的成功标准", "通过跨部门的沟通与需求分析，制定有偏向性的方案，同时体现的内容符合项目评估的标准。")],
     [{"heading": "方案确认的符合条件", "items": [
         "扩大了解需求的部门及对象，使方案比较有针对性；",
         "方案一定要符合未来项目评估的标准；",
         "引导需求，发现问题，使方案有偏向性；",
         "借此使销售顾问扩大与其他部门之间的沟通，融洽客户关系，力争建立更多的支持者；",
         "力争找到高层或项目评估负责人来建立关系，了解需求。"]}]),
    ("evaluation", "六、项目评估",
     [("项目评估的成功标准",
       "通过项目评估使优势更加明显，而且符合项目评估小组的标准，并且明确项目评估小组对我方的倾向性态度。"
       "顺利通过项目评估，成为客户的首选供应商。")],
     [{"heading": "项目评估的符合条件", "items": [
         "明确招标已经入围，能够帮助客户建立技术参数及指标等最好；",
         "满足项目评估小组评估的内容及标准；",
         "发展客户关系，明确项目评估小组各自的态度及倾向性（特别是关键人士）；",
         "利用客户内部的经手人士，分析竞争对手的优劣势，明确动向；",
         "报价的协商及谈判；",
         "项目评估已经确认由我方来执行实施。"]}]),
    ("negotiation", "七、商务谈判",
     [("商务谈判的成功标准",
       "如果能够将谈判的内容制作成合同条款，同时双方对合同内容达成共识，选定时间、地点签订合同，那也算完成阶段的所有任务了。")],
     [{"heading": "商务谈判的符合条件", "items": [
         "对到货期、实施进度、售后服务、付款方式、整体方案建议（含需求说明书）等细节进行协商；",
         "将协商内容形成合同条款。"]}]),
    ("contract", "八、签约成交",
     [("签约成交的成功标准",
       "签订协议，发展良好的关系，为后期的服务提供支持。签约，将成交条件以明确的、有法律保障的方式陈列出来，"
       "意味着这个阶段的顺利结束，意味着整个销售流程的圆满完成，也意味着我们获得了该销售订单。"
       "尽量发展双方的合作关系，保证后续的接触仍然可以顺利进行。")],
     [{"heading": "签约成交的符合条件", "items": [
         "合同签订，高层互动；",
         "明确成交的条件与付款方式。"]}]),
]


def _stage_model(name: str, title: str, checklist: list[dict[str, Any]]) -> type[StageBlock]:
    count = sum(len(group["items"]) for group in checklist)
    cls_name = "".join(part.title() for part in name.split("_")) + "Stage"
    model = create_model(
        cls_name,
        __base__=StageBlock,
        __module__=__name__,
        conditions=(list[YesNo | None], F("符合条件", default=list, checklist=checklist)),
    )
    model.CONDITIONS = count
    model.__doc__ = f"{title}：成功标准、符合条件（{count} 项）、实际情况、判断、跟进措施。"
    return model


def _stage_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, title, notes, checklist in STAGES:
        model = _stage_model(name, title, checklist)
        label = title.split("、", 1)[1]
        fields[name] = (model | None, F(label, heading=title, notes=notes, section="stages"))
    return fields


class _TrackingHeader(FormModel):
    FORM_ID = "tracking_sheet"
    TITLE = "项目跟踪流程表"
    STAGE = "项目立项"
    VERSION = "1.0"
    FORM_NO = "FK-00"

    region: str | None = F("项目所在地区", required=True, section="identity")
    general_contractor: str | None = F("总承包方", section="identity")
    quoter: str | None = F("项目报价人员", required=True, section="identity")
    department: str | None = F("所在部门", required=True, section="identity")


TrackingSheet = create_model(
    "TrackingSheet", __base__=_TrackingHeader, __module__=__name__, **_stage_fields()
)
TrackingSheet.__doc__ = "项目跟踪流程表：表头与售前八个阶段。"
