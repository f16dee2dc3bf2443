"""The store's integrity check behind ``formkit doctor``.

Problems (the store is damaged): an original missing or not matching its
sha256, a submission, message or record value pointing nowhere. Interrupted
imports (not damage, work left to do): an original stored more than a minute
ago that no submission or message uses, or a file in the originals folder
that was never registered. Re-running the import finishes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select

from formkit.store import Message, Original, Store, Submission, now

GRACE = timedelta(minutes=1)  # an import younger than this may still be running
RERUN = "重新运行同一条导入命令即可完成"


@dataclass
class DoctorReport:
    originals: int = 0
    submissions: int = 0
    problems: list[str] = field(default_factory=list)
    interrupted: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"clean": self.clean, "originals": self.originals, "submissions": self.submissions,
                "problems": self.problems, "interrupted": self.interrupted}


def check(store: Store, *, at: datetime | None = None) -> DoctorReport:
    """Verify every original against its sha256 and every reference; list interrupted imports."""
    report = DoctorReport(problems=store.integrity_problems())
    cutoff = (at or now()) - GRACE
    with store.transaction() as session:
        originals = list(session.scalars(select(Original)))
        used = set(session.scalars(select(Submission.sha256)))
        report.submissions = len(used)
        messages = list(session.scalars(select(Message)))
    used |= {m.sha256 for m in messages}
    mail_ids = {m.message_id for m in messages if m.message_id}
    mail_keys = {(m.sender, m.subject, m.source) for m in messages}
    report.originals = len(originals)
    for row in originals:
        if row.sha256 in used or _aware(row.received_at) > cutoff:
            continue
        if row.source_kind == "mail" and (row.message_id in mail_ids
                                          or (row.sender, row.subject, row.source_path) in mail_keys):
            continue  # an attachment kept as it came (a logo, a zip) of a recorded message
        where = f"，来自 {row.source_path}" if row.source_path else ""
        report.interrupted.append(f"导入未完成：{row.filename}{where}（原件已保存，尚未读取）：{RERUN}")
    registered = {row.stored_path for row in originals}
    root = store.config.originals
    if root.is_dir():
        for path in sorted(p for p in root.glob("*/*") if p.is_file()):
            if _mtime(path) > cutoff:
                continue
            relative = path.relative_to(store.config.home).as_posix()
            if path.name.startswith(".incoming-"):
                report.interrupted.append(f"导入中断留下的临时文件：{relative}（可以删除）")
            elif relative not in registered and str(path.relative_to(store.config.home)) not in registered:
                report.interrupted.append(f"导入未完成：原件 {relative} 已保存但没有登记：{RERUN}")
    return report


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _mtime(path: Any) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
