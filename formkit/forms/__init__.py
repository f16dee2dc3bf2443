"""The forms of the process, as pydantic models, and their registry."""

from formkit.forms.acceptance import Acceptance
from formkit.forms.base import FormModel, Problem, Section, label_for
from formkit.forms.negotiation_plan import NegotiationPlan
from formkit.forms.project_initiation import ProjectInitiation
from formkit.forms.registry import FormSpec, FormVersion, all_forms, get_form, register
from formkit.forms.solution_spec import SolutionSpec
from formkit.forms.tracking_sheet import TrackingSheet

# Process order: the order forms appear in the catalog and in a dossier.
for _model in (TrackingSheet, ProjectInitiation, SolutionSpec, NegotiationPlan, Acceptance):
    register(_model)

__all__ = [
    "Acceptance", "FormModel", "FormSpec", "FormVersion", "NegotiationPlan", "Problem",
    "ProjectInitiation", "Section", "SolutionSpec", "TrackingSheet", "all_forms",
    "get_form", "label_for", "register",
]
