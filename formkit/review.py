"""Deciding held submissions: list, accept, reject, reply with Word comments."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from formkit import ooxml
from formkit.errors import FormkitError
from formkit.forms.base import Problem
from formkit.store import Original, Store, Submission, now
from formkit.store.records import (
    ProjectError,
    apply_updates,
    get_project,
    plan_for,
    submission_entry,
)


class ReviewError(FormkitError, ValueError):
    """A review decision that cannot be made."""


def pending(store: Store, project: str | None = None) -> list[dict[str, Any]]:
    with store.transaction() as session:
        stmt = select(Submission).where(Submission.status == "review").order_by(Submission.id)
        if project:
            stmt = stmt.where(Submission.project_code == project)
        out = []
        for sub in session.scalars(stmt):
            entry = submission_entry(sub, session.get(Original, sub.sha256)).model_dump()
            entry["project_code"] = sub.project_code
            out.append(entry)
        return out


def _get(session: Any, submission_id: int) -> Submission:
    sub = session.get(Submission, submission_id)
    if sub is None:
        raise ReviewError(f"没有编号为 {submission_id} 的提交")
    return sub


def accept(store: Store, submission_id: int, *, project: str | None = None, note: str | None = None) -> dict[str, Any]:
    """Accept a held submission: its readable values update the record.

    Values that could not be read stay out of the record (they are in the
    problems); on a conflict the submitted value wins and the old one stays
    in the history.
    """
    with store.transaction() as session:
        sub = _get(session, submission_id)
        if sub.status == "accepted":
            raise ReviewError(f"提交 #{submission_id} 已经接受过")
        if not sub.form:
            raise ReviewError(f"提交 #{submission_id} 不是可读取的表单，不能接受；原件已保存，可退回")
        if project:
            sub.project_code = project
        if not sub.project_code:
            raise ReviewError(f"提交 #{submission_id} 没有项目代号：请用 --project 指定")
        try:
            target = get_project(session, sub.project_code, lock=True)
        except ProjectError as e:
            raise ReviewError(str(e)) from e
        updates, conflicts = plan_for(session, sub)
        for conflict in conflicts:
            updates[conflict.key] = conflict.proposed
        count = apply_updates(session, target, updates, sub.id, now())
        sub.status, sub.decided_at, sub.decision_note = "accepted", now(), note
        return {"id": sub.id, "status": sub.status, "changed": count, "project_code": sub.project_code}


def reject(store: Store, submission_id: int, *, note: str | None = None) -> dict[str, Any]:
    with store.transaction() as session:
        sub = _get(session, submission_id)
        if sub.status == "accepted":
            raise ReviewError(f"提交 #{submission_id} 已经接受，不能再退回")
        sub.status, sub.decided_at, sub.decision_note = "rejected", now(), note
        return {"id": sub.id, "status": sub.status}


def reply_document(store: Store, submission_id: int) -> bytes:
    """The returned form with a Word comment on every field that needs correcting."""
    with store.transaction() as session:
        sub = _get(session, submission_id)
        original = session.get(Original, sub.sha256)
        problems = [Problem(**{k: p.get(k) for k in ("path", "label", "message", "value", "kind")})
                    for p in sub.problems]
        filename = original.filename if original else ""
    if not filename.lower().endswith((".docx", ".docm")) or not sub.form:
        raise ReviewError(f"提交 #{submission_id} 不是 Word 表单，无法写批注回复")
    if not problems:
        raise ReviewError(f"提交 #{submission_id} 没有需要更正的地方")
    comments = [(p.path or None, comment_text(p)) for p in problems]
    return ooxml.add_comments(store.read_original(sub.sha256), comments)


EXPECT = {
    "required": "请填写此项。",
    "value": "请按提示格式重新填写。",
    "rule": "请核对相关各项，使其一致。",
    "fixed_text": "表单的固定文字不能修改，请在空白处填写。",
    "conflict": "请核实后更正，或说明变更原因。",
    "project": "请确认项目代号。",
}


def comment_text(problem: Problem) -> str:
    typed = f"（填写的是“{problem.value}”）" if problem.value not in (None, "") and str(problem.value) not in problem.message else ""
    return f"{problem.label}：{problem.message}{typed}\n{EXPECT.get(problem.kind, '请更正。')}"
