"""Intake: files (and later mail) -> originals -> parsed submissions -> record.

Every file is stored first (content-addressed), then parsed in a separate
transaction that records the submission and, when it is valid and agrees
with the record, updates the record. A process killed in between leaves the
original stored and no submission: importing again finishes the job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError
from formkit.forms.base import Problem
from formkit.parse.docx import ParsedForm, parse_docx
from formkit.store import Source, Store, Submission, now
from formkit.store.records import ProjectError, apply_updates, get_project, plan_for

SKIPPED_NAMES = ("~$", ".~lock", "._")  # Office lock files, macOS resource forks


@dataclass
class ImportResult:
    """What happened to one file. ``outcome``: accepted | review | duplicate."""

    name: str
    outcome: str
    submission_id: int | None = None
    form: str | None = None
    project_code: str | None = None
    message: str = ""
    problems: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.name, "outcome": self.outcome, "submission_id": self.submission_id,
                "form": self.form, "project_code": self.project_code, "message": self.message,
                "problems": self.problems}


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files and folders (recursively, in a stable order); lock files skipped."""
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if not child.name.startswith(SKIPPED_NAMES):
                    yield child
        else:
            yield path


def import_paths(store: Store, paths: Iterable[Path], *, project: str | None = None,
                 on_result: Callable[[ImportResult], None] | None = None) -> list[ImportResult]:
    results = []
    for path in iter_files(paths):
        try:
            data = path.read_bytes()
        except OSError as e:
            result = ImportResult(str(path), "failed", message=f"无法读取文件：{e.strerror or e}")
        else:
            result = import_bytes(store, data, path.name, Source(kind="file", path=str(path.resolve())),
                                  project=project, display=str(path))
        results.append(result)
        if on_result:
            on_result(result)
    return results


def import_bytes(store: Store, data: bytes, filename: str, source: Source, *,
                 project: str | None = None, display: str | None = None) -> ImportResult:
    """Keep the original, then parse, validate and record one file.

    ``project`` is used when the document itself names no project.
    """
    name = display or filename
    original, _ = store.keep_original(data, filename, source)
    with store.transaction() as session:
        existing = store.submission_for(session, original.sha256)
        if existing is not None:
            return ImportResult(name, "duplicate", existing.id, existing.form, existing.project_code,
                                f"已导入过（提交 #{existing.id}），未做任何更改")
    parsed, problems = _parse(data, filename, name)
    with store.transaction() as session:
        existing = store.submission_for(session, original.sha256)
        if existing is not None:  # another importer got there first
            return ImportResult(name, "duplicate", existing.id, existing.form, existing.project_code,
                                f"已导入过（提交 #{existing.id}），未做任何更改")
        # The document's own identity first; --project (or a mail subject) only when it does not say.
        code = (parsed.identity.project_code if parsed else None) or project or None
        sub = Submission(sha256=original.sha256, project_code=code, status="review",
                         form=parsed.spec.id if parsed else None,
                         schema_version=parsed.identity.schema_version if parsed else None,
                         document_id=(parsed.identity.document_id or None) if parsed else None,
                         data=parsed.data if parsed else {}, problems=[p.as_dict() for p in problems],
                         notices=parsed.notices if parsed else [],
                         explicit_none=sorted(parsed.explicit_none) if parsed else [],
                         conflicts=[], received_at=now())
        session.add(sub)
        session.flush()
        if parsed is not None:
            _decide(session, sub, name)
        return ImportResult(name, "accepted" if sub.status == "accepted" else "review", sub.id, sub.form,
                            sub.project_code, _summary(sub), list(sub.problems))


def _parse(data: bytes, filename: str, name: str) -> tuple[ParsedForm | None, list[Problem]]:
    if not filename.lower().endswith((".docx", ".docm")):
        return None, [Problem("", "文件", f"{name}：暂不支持此类文件（目前可读取 .docx 表单），原件已保存，待人工处理",
                              kind="file")]
    try:
        parsed = parse_docx(data, name=name)
    except FormkitError as e:
        return None, [Problem("", "文件", str(e), kind="file")]
    return parsed, list(parsed.problems)


def _decide(session: Any, sub: Submission, name: str) -> None:
    """Accept a valid submission into the record, or hold it for review."""
    if not sub.project_code:
        sub.problems = [*sub.problems, Problem("project_code", "项目代号",
                        "文档没有项目代号：请用 formkit import --project 指定项目后重新导入，或审核时指定",
                        kind="project").as_dict()]
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
