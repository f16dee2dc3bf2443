"""The forms of the process, as pydantic models, and their registry."""

from formkit.forms.acceptance import Acceptance
from formkit.forms.base import FormModel, Problem, Section, label_for
from formkit.forms.construction_schedule import ConstructionSchedule
from formkit.forms.contact_info import ContactInfo
from formkit.forms.contract_approval import ContractApproval
from formkit.forms.customer_info import CustomerInfo
from formkit.forms.decision_maker import DecisionMaker
from formkit.forms.delivery_receipt import DeliveryReceipt
from formkit.forms.feasibility_report import FeasibilityReport
from formkit.forms.feedback import Feedback
from formkit.forms.influence_factors import InfluenceFactors
from formkit.forms.initial_survey import InitialSurvey
from formkit.forms.negotiation_plan import NegotiationPlan
from formkit.forms.payment_request import PaymentRequest
from formkit.forms.presales_log import PresalesLog
from formkit.forms.procurement_process import ProcurementProcess
from formkit.forms.project_initiation import ProjectInitiation
from formkit.forms.project_summary import ProjectSummary
from formkit.forms.purchase_criteria import PurchaseCriteria
from formkit.forms.rectification_notice import RectificationNotice
from formkit.forms.registry import FormSpec, FormVersion, all_forms, get_form, register
from formkit.forms.relationship_assessment import RelationshipAssessment
from formkit.forms.schedule_plan import SchedulePlan
from formkit.forms.showcase_plan import ShowcasePlan
from formkit.forms.showcase_summary import ShowcaseSummary
from formkit.forms.solution_spec import SolutionSpec
from formkit.forms.stock_request import StockRequest
from formkit.forms.tracking_sheet import TrackingSheet
from formkit.forms.visit_report import VisitReport
from formkit.forms.weekly_report import WeeklyReport

# Process order: the order forms appear in the catalog and in a dossier. Numbers:
# FK-NN is stage NN's core form, FK-NNa, FK-NNb … the stage's other forms.
_CATALOG = (
    # 1 项目立项
    TrackingSheet, FeasibilityReport, ProjectInitiation, PresalesLog, WeeklyReport,
    # 2 初步接触
    CustomerInfo, ContactInfo, VisitReport, ProcurementProcess, RelationshipAssessment,
    # 3 方案设计
    DecisionMaker, SolutionSpec,
    # 4 业绩展示
    ShowcasePlan, ShowcaseSummary,
    # 5 方案确认
    InitialSurvey, Feedback,
    # 6 项目评估
    InfluenceFactors,
    # 7 商务谈判
    PurchaseCriteria, NegotiationPlan,
    # 8 签约成交
    ContractApproval,
    # 9 实施准备
    SchedulePlan, StockRequest,
    # 10 项目实施
    DeliveryReceipt, ConstructionSchedule,
    # 11 项目验收
    Acceptance, RectificationNotice,
    # 12 回款结项
    PaymentRequest, ProjectSummary,
)
for _model in _CATALOG:
    register(_model)

__all__ = [
    "Acceptance", "ConstructionSchedule", "ContactInfo", "ContractApproval", "CustomerInfo",
    "DecisionMaker", "DeliveryReceipt", "FeasibilityReport", "Feedback", "FormModel", "FormSpec",
    "FormVersion", "InfluenceFactors", "InitialSurvey", "NegotiationPlan", "PaymentRequest",
    "PresalesLog", "Problem", "ProcurementProcess", "ProjectInitiation", "ProjectSummary",
    "PurchaseCriteria", "RectificationNotice", "RelationshipAssessment", "SchedulePlan", "Section",
    "ShowcasePlan", "ShowcaseSummary", "SolutionSpec", "StockRequest", "TrackingSheet",
    "VisitReport", "WeeklyReport", "all_forms", "get_form", "label_for", "register",
]
