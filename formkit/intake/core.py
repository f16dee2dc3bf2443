"""One file -> its original -> a parsed submission -> the record.

Every file is stored first (content-addressed), then parsed in a separate
transaction that records the submission and, when it is valid and agrees
with the record, updates the record. A process killed in between leaves the
original stored and no submission: importing again finishes the job.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formkit.forms.base import Problem
from formkit.intake.parsing import Pending, parse_pending
from formkit.parse.values import ParsedForm
from formkit.store import Source, Store, Submission, now
from formkit.store.records import ProjectError, apply_updates, get_project, plan_for

NO_PROJECT = "文档没有项目代号：请用 formkit import --project 指定项目后重新导入，或审核时指定"


@dataclass
class ImportResult:
    """What happened to one file. ``outcome``: accepted | review | duplicate |
    failed (unreadable) | skipped (kept as an original, not a form: ``reason``)."""

    name: str
    outcome: str
    submission_id: int | None = None
    form: str | None = None
    project_code: str | None = None
    message: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)
    reason: str = ""  # why it was skipped, in a few words (the summary groups by it)
    mail: dict[str, Any] | None = None  # the message it came in: message key, subject, sender, date, source

    def as_dict(self) -> dict[str, Any]:
        out = {"file": self.name, "outcome": self.outcome, "submission_id": self.submission_id,
               "form": self.form, "project_code": self.project_code, "message": self.message,
               "problems": self.problems}
        if self.reason:
            out["reason"] = self.reason
        if self.mail is not None:
            out["mail"] = self.mail
        return out


def keep_only(store: Store, data: bytes, filename: str, source: Source) -> None:
    """Keep a file that is not a form (a logo, a zip, a forwarded message) as an original."""
    store.keep_original(data, filename, source)


def convert_first(store: Store, items: Iterable[Path | bytes]) -> None:
    """Convert the new .doc/.rtf/.odt files among ``items`` (paths or contents)
    in one LibreOffice call, instead of one call each when they are read."""
    from formkit.parse.converted import prepare

    def new(sha: str) -> bool:
        with store.transaction() as session:
            existing = store.submission_for(session, sha)
            return existing is None or _waiting_for_office(existing)

    prepare(items, wanted=new)


def import_bytes(store: Store, data: bytes, filename: str, source: Source, *,
                 project: str | None = None, display: str | None = None, hold: str | None = None,
                 no_project: str = NO_PROJECT) -> ImportResult:
    """Keep the original, then parse, validate and record one file.

    ``project`` is used when the document itself names no project. ``hold``:
    do not parse, record the file for review with this message (a .rar, a
    scanned image). ``no_project``: what to say when no project is known.
    The three steps (:func:`keep`, :func:`parse_pending`, :func:`record`) are
    also run apart, the parse in a worker process (formkit.intake.jobs).
    """
    pending = keep(store, data, filename, source, project=project, display=display, hold=hold,
                   no_project=no_project)
    if isinstance(pending, ImportResult):
        return pending
    return record(store, pending, *parse_pending(pending))


def keep(store: Store, data: bytes, filename: str, source: Source, *, project: str | None = None,
         display: str | None = None, hold: str | None = None,
         no_project: str = NO_PROJECT) -> Pending | ImportResult:
    """Step 1, in the process that owns the store: keep the original (before
    anything parses it). A file imported before is a "duplicate" result."""
    name = display or filename
    original, _ = store.keep_original(data, filename, source)
    duplicate = _duplicate(store, original.sha256, name)
    if duplicate is not None:
        return duplicate
    return Pending(original.sha256, data, filename, name, project, hold, no_project)


def record(store: Store, pending: Pending, parsed: ParsedForm | None, problems: list[Problem]) -> ImportResult:
    """Step 3: one transaction records the submission and, when it is valid
    and agrees with the record, updates the record."""
    name, project = pending.name, pending.project
    with store.transaction() as session:
        store.lock_original(session, pending.sha256)  # another importer of the same file waits here
        existing = store.submission_for(session, pending.sha256)
        still_waiting = parsed is None and problems[0].kind == "office"
        if existing is not None and (still_waiting or not _waiting_for_office(existing)):
            # another importer (or an identical file of this run) got there first, or still no LibreOffice
            return _duplicate_of(existing, name)
        # The document's own identity first; --project (or a mail subject) only when it does not say.
        code = (parsed.identity.project_code if parsed else None) or project or None
        if parsed is not None and code and not parsed.data.get("project_code"):
            # The project is known from --project, the mail subject or the thread:
            # the form's empty 项目代号 is that project's, not a missing value.
            parsed.data["project_code"] = code
            problems = [p for p in problems if not (p.path == "project_code" and p.kind == "required")]
        sub = existing or Submission(sha256=pending.sha256, status="review", received_at=now())
        sub.project_code, sub.form = code, parsed.spec.id if parsed else None
        sub.schema_version = parsed.identity.schema_version if parsed else None
        sub.document_id = (parsed.identity.document_id or None) if parsed else None
        sub.data, sub.problems = parsed.data if parsed else {}, [p.as_dict() for p in problems]
        sub.notices = parsed.notices if parsed else []
        sub.explicit_none, sub.conflicts = sorted(parsed.explicit_none) if parsed else [], []
        if existing is None:
            session.add(sub)
        session.flush()
        if parsed is not None:
            _decide(session, sub, name, pending.no_project)
        return ImportResult(name, "accepted" if sub.status == "accepted" else "review", sub.id, sub.form,
                            sub.project_code, _summary(sub), list(sub.problems))


def _duplicate(store: Store, sha: str, name: str) -> ImportResult | None:
    with store.transaction() as session:
        existing = store.submission_for(session, sha)
        return None if existing is None or _waiting_for_office(existing) else _duplicate_of(existing, name)


def _waiting_for_office(sub: Submission) -> bool:
    """Held only because LibreOffice was missing to convert it (.doc): importing it again reads it."""
    return sub.status == "review" and sub.form is None and any(p.get("kind") == "office" for p in sub.problems)


def _duplicate_of(existing: Submission, name: str = "") -> ImportResult:
    waiting = "；仍无法读取：" + existing.problems[0]["message"] if _waiting_for_office(existing) else ""
    return ImportResult(name, "duplicate", existing.id, existing.form, existing.project_code,
                        f"已导入过（提交 #{existing.id}），未做任何更改{waiting}")


def _decide(session: Any, sub: Submission, name: str, no_project: str = NO_PROJECT) -> None:
    """Accept a valid submission into the record, or hold it for review."""
    if not sub.project_code:
        sub.problems = [*sub.problems, Problem("project_code", "项目代号", no_project, kind="project").as_dict()]
        return
    try:
        project = get_project(session, sub.project_code, lock=True)
    except ProjectError as e:
        sub.problems = [*sub.problems, Problem("project_code", "项目代号", f"{name}：{e}", kind="project").as_dict()]
        return
    if sub.problems:
        return
    updates, conflicts = plan_for(session, sub)
    if conflicts:
        sub.conflicts = [c.as_dict() for c in conflicts]
        sub.problems = [Problem(c.key, c.label, c.message, kind="conflict").as_dict() for c in conflicts]
        return
    apply_updates(session, project, updates, sub.id, now())
    sub.status, sub.decided_at = "accepted", now()


def _summary(sub: Submission) -> str:
    if sub.status == "accepted":
        return "已接受，已更新项目记录"
    first = sub.problems[0]["message"] if sub.problems else ""
    more = f"（共 {len(sub.problems)} 个问题）" if len(sub.problems) > 1 else ""
    return f"待审核：{first}{more}"
