"""Projects and their records in the database: create, load, change, decide."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from formkit.errors import FormkitError
from formkit.forms import get_form
from formkit.record import (
    Conflict,
    HistoryEntry,
    ProjectRecord,
    SubmissionEntry,
    build_record,
    key_label,
    plan_merge,
)
from formkit.store.tables import Change, Document, Original, Project, RecordValue, Submission

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{1,31}$")

STATUS_LABELS = {"accepted": "已接受", "review": "待审核", "rejected": "已退回"}


class ProjectError(FormkitError, ValueError):
    """A project that cannot be created or found."""


def check_code(code: str) -> str:
    code = code.strip()
    if not CODE.fullmatch(code):
        raise ProjectError(f"项目代号“{code}”格式不正确：只能由字母、数字、连字符组成（2–32 位），如 P2026-001")
    return code


def create_project(session: Session, code: str, name: str, *, customer: str | None = None,
                   region: str | None = None, info: dict[str, Any] | None = None, at: Any) -> Project:
    code = check_code(code)
    if not name or not name.strip():
        raise ProjectError("项目名称不能为空")
    if session.get(Project, code) is not None:
        raise ProjectError(f"项目代号 {code} 已存在，不能重复创建")
    project = Project(code=code, name=name.strip(), customer=customer, region=region,
                      info=info or {}, created_at=at, version=0)
    session.add(project)
    session.flush()
    seed = {"project_code": code, "project_name": project.name, "customer_name": customer, "region": region}
    for key, value in seed.items():
        if value:
            session.add(RecordValue(project_code=code, key=key, value=value, submission_id=None, updated_at=at))
    return project


def get_project(session: Session, code: str, *, lock: bool = False) -> Project:
    stmt = select(Project).where(Project.code == code)
    if lock:
        stmt = stmt.with_for_update()
    project = session.scalar(stmt)
    if project is None:
        raise ProjectError(f"项目 {code} 不存在：请先用 formkit project new 创建")
    return project


def current_values(session: Session, code: str) -> dict[str, Any]:
    rows = session.scalars(select(RecordValue).where(RecordValue.project_code == code))
    return {row.key: row.value for row in rows}


def issued_data(session: Session, document_id: str | None) -> dict[str, Any] | None:
    if not document_id:
        return None
    doc = session.get(Document, document_id)
    return doc.data if doc is not None else None


def plan_for(session: Session, sub: Submission) -> tuple[dict[str, Any], list[Conflict]]:
    assert sub.form and sub.project_code
    plan = plan_merge(sub.form, sub.data, current_values(session, sub.project_code),
                      explicit_none=sub.explicit_none, issued=issued_data(session, sub.document_id))
    return plan.updates, plan.conflicts


def apply_updates(session: Session, project: Project, updates: dict[str, Any], submission_id: int | None,
                  at: Any) -> int:
    """Write new values, each change recorded with its old value. Returns the count."""
    count = 0
    for key, value in updates.items():
        row = session.get(RecordValue, (project.code, key))
        old = row.value if row is not None else None
        if row is not None and old == value:
            continue
        if row is None:
            session.add(RecordValue(project_code=project.code, key=key, value=value,
                                    submission_id=submission_id, updated_at=at))
        else:
            row.value, row.submission_id, row.updated_at = value, submission_id, at
        session.add(Change(project_code=project.code, key=key, old=old, new=value,
                           submission_id=submission_id, changed_at=at))
        count += 1
    if "project_name" in updates and updates["project_name"]:
        project.name = updates["project_name"]
    if "customer_name" in updates:
        project.customer = updates["customer_name"]
    if "region" in updates:
        project.region = updates["region"]
    project.version += 1
    return count


def load_record(session: Session, code: str) -> ProjectRecord:
    project = get_project(session, code)
    record = build_record(project, current_values(session, code))
    subs = list(session.scalars(select(Submission).where(Submission.project_code == code).order_by(Submission.id)))
    originals = {o.sha256: o for o in session.scalars(
        select(Original).where(Original.sha256.in_([s.sha256 for s in subs])))}
    record.submissions = [submission_entry(s, originals.get(s.sha256)) for s in subs]
    by_id = {s.id: s for s in subs}
    changes = session.scalars(select(Change).where(Change.project_code == code).order_by(Change.id))
    for change in changes:
        sub = by_id.get(change.submission_id) if change.submission_id else None
        original = originals.get(sub.sha256) if sub else None
        record.history.append(HistoryEntry(
            key=change.key, label=key_label(change.key), old=change.old, new=change.new,
            at=change.changed_at.isoformat(), submission_id=change.submission_id,
            form=sub.form if sub else None, file=original.filename if original else None,
            sender=original.sender if original else None))
    return record


def submission_entry(sub: Submission, original: Original | None) -> SubmissionEntry:
    source: dict[str, Any] = {}
    if original is not None:
        source = {"kind": original.source_kind, "filename": original.filename, "path": original.source_path,
                  "sender": original.sender, "subject": original.subject, "message_id": original.message_id,
                  "date": original.mail_date.isoformat() if original.mail_date else None}
        source = {k: v for k, v in source.items() if v is not None}
    title = None
    if sub.form:
        try:
            title = get_form(sub.form).title
        except FormkitError:
            title = None
    return SubmissionEntry(id=sub.id, form=sub.form, title=title, status=sub.status,
                           status_label=STATUS_LABELS.get(sub.status, sub.status), sha256=sub.sha256,
                           source=source, received_at=sub.received_at.isoformat(), problems=sub.problems,
                           conflicts=sub.conflicts)
