"""Submissions -> one project record: keys, merging, history and conflicts.

The record is a flat map ``key -> value`` (JSON values as in a form's
``data``). Fields shared by several forms (项目名称, 客户名称, 合同金额 …) have one
key; every other field is keyed ``form.path`` with list fields (rows, ticks)
kept whole: ``solution_spec.items``, ``tracking_sheet.initiation.conditions``.

Merging a submission never erases what it left blank (only an explicit 无
does), skips what the person did not change from the copy formkit sent them
(so people filling a form in turn each add their own part), appends to a log
form's entries, and flags a different value of a field that should not
change as a conflict for review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from formkit.forms import get_form
from formkit.forms.base import label_for

SHARED: dict[str, str] = {
    "project_code": "项目代号",
    "project_name": "项目名称",
    "customer_name": "客户名称",
    "region": "项目所在地区",
    "general_contractor": "总承包方",
    "department": "所在部门",
    "contract_no": "合同编号",
    "contract_amount": "合同金额(元)",
}
"""Fields that mean the same in every form that has them: one record value."""

STABLE = frozenset({"project_code", "project_name", "customer_name", "contract_no", "contract_amount"})
"""Shared fields that should not change once known: a different value is a conflict."""


def record_key(form: str, path: str) -> str:
    return path if path in SHARED else f"{form}.{path}"


def key_label(key: str) -> str:
    """The Chinese label of a record key: 项目名称, 方案说明书·设备/产品清单 …"""
    if key in SHARED:
        return SHARED[key]
    form, _, path = key.partition(".")
    try:
        spec = get_form(form)
    except Exception:
        return key
    return f"{spec.title}·{label_for(spec.model, path)}"


def flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested form data -> {path: value}; lists stay whole (rows, ticks)."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        path = f"{prefix}.{name}" if prefix else name
        if isinstance(value, dict):
            out.update(flatten(value, path))
        else:
            out[path] = value
    return out


def unflatten(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in values.items():
        node = out
        parts = path.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return out


@dataclass
class Conflict:
    key: str
    label: str
    current: Any
    proposed: Any

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "current": self.current, "proposed": self.proposed}

    @property
    def message(self) -> str:
        return f"{self.label}：项目记录中为“{_shown(self.current)}”，本次提交为“{_shown(self.proposed)}”，此项不应变更，请核实"


def _shown(value: Any) -> str:
    return "（空）" if value is None else str(value)


@dataclass
class MergePlan:
    """What accepting a submission would change."""

    updates: dict[str, Any] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def plan_merge(
    form: str,
    data: dict[str, Any],
    current: dict[str, Any],
    *,
    explicit_none: list[str] = (),  # type: ignore[assignment]
    issued: dict[str, Any] | None = None,
) -> MergePlan:
    """Compare a submission's values with the record; decide nothing yet."""
    spec = get_form(form)
    append_field = getattr(spec.model, "APPEND_ONLY", None)
    sent = flatten(issued) if issued is not None else {}
    proposed = flatten(data)
    for path in explicit_none:
        if "[" not in path:
            proposed.setdefault(path, None)
    plan = MergePlan()
    for path, value in proposed.items():
        key = record_key(form, path)
        if issued is not None and path in sent and sent[path] == value:
            continue  # as sent: not this person's change
        if path == append_field and isinstance(value, list):
            have = list(current.get(key) or [])
            value = have + [entry for entry in value if entry not in have]
        if key in current and current[key] == value:
            plan.unchanged.append(key)
            continue
        if key in STABLE and current.get(key) is not None:
            plan.conflicts.append(Conflict(key, key_label(key), current[key], value))
            continue
        plan.updates[key] = value
    return plan


class HistoryEntry(BaseModel):
    key: str
    label: str
    old: Any = None
    new: Any = None
    at: str
    submission_id: int | None = None
    form: str | None = None
    file: str | None = None
    sender: str | None = None


class SubmissionEntry(BaseModel):
    id: int
    form: str | None
    title: str | None = None
    status: str
    status_label: str
    sha256: str
    source: dict[str, Any]
    received_at: str
    problems: list[dict[str, Any]] = []
    conflicts: list[dict[str, Any]] = []


class ProjectRecord(BaseModel):
    """The whole project: identity, shared values, each form's values, stage, history."""

    code: str
    name: str
    customer: str | None = None
    region: str | None = None
    info: dict[str, Any] = {}
    stage: str | None = None
    shared: dict[str, Any] = {}
    forms: dict[str, dict[str, Any]] = {}
    history: list[HistoryEntry] = []
    submissions: list[SubmissionEntry] = []

    def form_values(self, form: str) -> dict[str, Any]:
        """A form's values for prefilling: its own, the shared ones it has, identity."""
        model = get_form(form).model
        values = dict(self.forms.get(form, {}))
        for name in model.model_fields:
            if name in self.shared and name not in values:
                values[name] = self.shared[name]
        values.setdefault("project_code", self.code)
        values.setdefault("project_name", self.name)
        if self.customer:
            values.setdefault("customer_name", self.customer)
        if self.region and "region" in model.model_fields:
            values.setdefault("region", self.region)
        return values


def build_record(project: Any, values: dict[str, Any]) -> ProjectRecord:
    shared = {k: v for k, v in values.items() if k in SHARED}
    by_form: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if key in SHARED:
            continue
        form, _, path = key.partition(".")
        by_form.setdefault(form, {})[path] = value
    forms = {form: unflatten(paths) for form, paths in by_form.items()}
    return ProjectRecord(code=project.code, name=shared.get("project_name") or project.name,
                         customer=shared.get("customer_name") or project.customer,
                         region=shared.get("region") or project.region, info=project.info or {},
                         shared=shared, forms=forms)
