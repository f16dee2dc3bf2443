"""Where a project stands in the process: stage by stage, form by form."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.forms import get_form
from formkit.forms.base import label_for
from formkit.process import Process, Stage
from formkit.record import record_key
from formkit.store import Project, Submission
from formkit.store.records import current_values, get_project

FORM_STATES = {"accepted": "已接受", "review": "待审核", "rejected": "已退回", "missing": "未收到"}
STAGE_STATES = {"done": "已完成", "current": "进行中", "not_started": "未开始"}


@dataclass
class FormStatus:
    form: str
    title: str
    state: str
    state_label: str
    submissions: list[int] = field(default_factory=list)


@dataclass
class StageStatus:
    name: str
    state: str
    state_label: str
    forms: list[FormStatus]
    blockers: list[str]


def _form_states(session: Session, code: str) -> dict[str, tuple[str, list[int]]]:
    out: dict[str, tuple[str, list[int]]] = {}
    rank = {"accepted": 3, "review": 2, "rejected": 1}
    for sub in session.scalars(select(Submission).where(Submission.project_code == code).order_by(Submission.id)):
        if not sub.form:
            continue
        state, ids = out.get(sub.form, ("missing", []))
        best = state if rank.get(state, 0) >= rank[sub.status] else sub.status
        out[sub.form] = (best, [*ids, sub.id])
    return out


def _blockers(stage: Stage, states: dict[str, tuple[str, list[int]]], values: dict[str, Any]) -> list[str]:
    out = []
    for form in stage.accepted:
        state = states.get(form, ("missing", []))[0]
        if state != "accepted":
            out.append(f"《{get_form(form).title}》{FORM_STATES[state]}")
    for approval in stage.approvals:
        spec = get_form(approval.form)
        value = values.get(record_key(approval.form, approval.field))
        if value not in approval.values and states.get(approval.form, ("missing",))[0] == "accepted":
            shown = "未填写" if value is None else f"为“{value}”"
            out.append(f"《{spec.title}》{label_for(spec.model, approval.field)}{shown}，需为“{'/'.join(approval.values)}”")
    return out


def project_status(session: Session, code: str, process: Process) -> dict[str, Any]:
    project = get_project(session, code)
    states = _form_states(session, code)
    values = current_values(session, code)
    stages: list[StageStatus] = []
    current_found = False
    for stage in process.stages:
        blockers = _blockers(stage, states, values)
        if blockers and not current_found:
            state, current_found = "current", True
        elif current_found:
            state = "not_started"
        else:
            state = "done"
        forms = [FormStatus(f, get_form(f).title, states.get(f, ("missing", []))[0],
                            FORM_STATES[states.get(f, ("missing", []))[0]], states.get(f, ("missing", []))[1])
                 for f in stage.forms]
        stages.append(StageStatus(stage.name, state, STAGE_STATES[state], forms, blockers))
    current = next((s.name for s in stages if s.state == "current"), "已结项")
    return {"code": project.code, "name": project.name, "customer": project.customer,
            "current_stage": current, "stages": [asdict(s) for s in stages]}


def current_stage(session: Session, code: str, process: Process) -> str:
    return project_status(session, code, process)["current_stage"]


def all_projects(session: Session, process: Process) -> list[dict[str, Any]]:
    out = []
    for project in session.scalars(select(Project).order_by(Project.code)):
        status = project_status(session, project.code, process)
        forms = [f for s in status["stages"] for f in s["forms"]]
        out.append({
            "code": project.code, "name": project.name, "customer": project.customer,
            "current_stage": status["current_stage"],
            "accepted": sum(f["state"] == "accepted" for f in forms),
            "review": sum(f["state"] == "review" for f in forms),
            "forms": len(forms),
            "blockers": next((s["blockers"] for s in status["stages"] if s["state"] == "current"), []),
        })
    return out
