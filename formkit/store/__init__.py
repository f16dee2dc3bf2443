"""The store: a database (SQLite or PostgreSQL) and a folder of originals.

Originals are kept content-addressed (originals/ab/abcdef…, by sha256)
and written before anything parses them, so nothing a user sent is lost.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from formkit.config import Settings, settings
from formkit.store.engine import StoreError, make_engine, snapshot_options, upgrade
from formkit.store.tables import Change, Document, Message, Original, Project, RecordValue, Submission

__all__ = [
    "Change", "Document", "Message", "Original", "Project", "RecordValue", "Source", "Store", "StoreError",
    "Submission", "now", "sha256_of",
]


def now() -> datetime:
    return datetime.now(timezone.utc)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Source:
    """Where a file came from: a path, or a mail message."""

    kind: str = "file"
    path: str | None = None
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None
    mail_date: datetime | None = None


class Store:
    def __init__(self, config: Settings | None = None) -> None:
        self.config = config or settings()
        try:
            self.config.home.mkdir(parents=True, exist_ok=True)
            self.config.originals.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreError(f"无法创建数据目录 {self.config.home}：{e}") from e
        self.engine = make_engine(self.config.db_url)
        upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: committed at the end, rolled back on error."""
        with self._sessions.begin() as session:
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only transaction whose queries all see one committed state:
        a record, its submissions and its history read in several queries
        never mix the states before and after an import that commits meanwhile."""
        with self._sessions.begin() as session:
            session.connection(execution_options=snapshot_options(self.engine))
            yield session

    # -- originals --------------------------------------------------------
    def original_path(self, sha: str) -> Path:
        return self.config.originals / sha[:2] / sha

    def keep_original(self, data: bytes, filename: str, source: Source) -> tuple[Original, bool]:
        """Store the bytes (if new) and their provenance. Returns (row, created)."""
        sha = sha256_of(data)
        path = self.original_path(sha)
        if not path.exists():
            _write_atomically(path, data)
        for _ in range(2):
            try:
                with self.transaction() as session:
                    row = session.get(Original, sha)
                    if row is not None:
                        return row, False
                    row = Original(
                        sha256=sha, size=len(data), filename=filename[:500],
                        stored_path=str(path.relative_to(self.config.home)), source_kind=source.kind,
                        source_path=source.path, sender=source.sender, subject=source.subject,
                        message_id=source.message_id, mail_date=source.mail_date, received_at=now(),
                    )
                    session.add(row)
                return row, True
            except IntegrityError:
                continue  # PostgreSQL: another importer stored the same file meanwhile; read its row
        raise StoreError(f"无法登记原件 {filename}（sha256 {sha[:12]}…）：数据库两次拒绝写入，请重新导入")

    def lock_original(self, session: Session, sha: str) -> None:
        """Hold an original's row until the transaction ends: importers of the
        same file take turns (PostgreSQL; SQLite's BEGIN IMMEDIATE already does),
        so the second sees the first one's submission instead of adding another."""
        session.execute(select(Original.sha256).where(Original.sha256 == sha).with_for_update())

    def sweep_incoming(self, older_than: float = 60) -> int:
        """Remove the temporary files of writes killed halfway (``.incoming-*``
        older than ``older_than`` seconds: a running write is younger)."""
        import time

        removed = 0
        for tmp in self.config.originals.glob("*/.incoming-*"):
            try:
                if time.time() - tmp.stat().st_mtime > older_than:
                    tmp.unlink()
                    removed += 1
            except OSError:
                continue  # another importer swept it first
        return removed

    def read_original(self, sha: str) -> bytes:
        data = self.original_path(sha).read_bytes()
        if sha256_of(data) != sha:
            raise StoreError(f"原始文件 {sha} 已损坏（校验值不符）")
        return data

    def integrity_problems(self) -> list[str]:
        """What is wrong with the store: originals missing or not matching their
        sha256, submissions or record values pointing nowhere."""
        problems = []
        with self.transaction() as session:
            for row in session.scalars(select(Original)):
                path = self.config.home / row.stored_path
                if not path.exists():
                    problems.append(f"原始文件缺失：{row.filename}（{row.sha256}）")
                elif sha256_of(path.read_bytes()) != row.sha256:
                    problems.append(f"原始文件已损坏：{row.filename}（{row.sha256}）")
            known = set(session.scalars(select(Original.sha256)))
            for sub in session.scalars(select(Submission)):
                if sub.sha256 not in known:
                    problems.append(f"提交 #{sub.id} 的原始文件没有登记")
                if sub.status not in ("accepted", "review", "rejected"):
                    problems.append(f"提交 #{sub.id} 的状态“{sub.status}”无效")
            for message in session.scalars(select(Message)):
                if message.sha256 not in known:
                    problems.append(f"邮件 #{message.id} 的原始邮件没有登记")
            subs = set(session.scalars(select(Submission.id)))
            for value in session.scalars(select(RecordValue).where(RecordValue.submission_id.is_not(None))):
                if value.submission_id not in subs:
                    problems.append(f"项目 {value.project_code} 的 {value.key} 指向不存在的提交")
        return problems

    def submission_for(self, session: Session, sha: str) -> Submission | None:
        return session.scalar(select(Submission).where(Submission.sha256 == sha))

    def message_for(self, session: Session, key: str) -> Message | None:
        """The mail message already recorded under ``key`` (Message-ID or sha256:…)."""
        return session.scalar(select(Message).where(Message.key == key))


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

from formkit.store import users as _users  # noqa: E402,F401  (the users table is part of the schema)
