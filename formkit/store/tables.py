"""The database tables. Changed only through Alembic migrations
(formkit/store/migrations); the store upgrades a database on open."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class Project(Base):
    __tablename__ = "projects"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    customer: Mapped[str | None] = mapped_column(String(200))
    region: Mapped[str | None] = mapped_column(String(100))
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=0)  # bumped by every record change


class Original(Base):
    """A file as it arrived, stored content-addressed before anything parses it."""

    __tablename__ = "originals"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str] = mapped_column(String(500))
    stored_path: Mapped[str] = mapped_column(String(500))
    source_kind: Mapped[str] = mapped_column(String(20))  # file | mail
    source_path: Mapped[str | None] = mapped_column(Text)
    sender: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(500))
    mail_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Document(Base):
    """A form formkit issued (rendered for a project): what it said when sent."""

    __tablename__ = "documents"

    document_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    project_code: Mapped[str | None] = mapped_column(String(32), index=True)
    form: Mapped[str] = mapped_column(String(64))
    schema_version: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Submission(Base):
    """One returned form (or a file that should have been one), and its fate."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("originals.sha256"), unique=True)
    project_code: Mapped[str | None] = mapped_column(String(32), index=True)
    form: Mapped[str | None] = mapped_column(String(64))
    schema_version: Mapped[str | None] = mapped_column(String(16))
    document_id: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20), index=True)  # accepted | review | rejected
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    problems: Mapped[list[Any]] = mapped_column(JSON, default=list)
    notices: Mapped[list[Any]] = mapped_column(JSON, default=list)
    explicit_none: Mapped[list[Any]] = mapped_column(JSON, default=list)
    conflicts: Mapped[list[Any]] = mapped_column(JSON, default=list)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decision_note: Mapped[str | None] = mapped_column(Text)


class RecordValue(Base):
    """The current value of one field of a project record."""

    __tablename__ = "record_values"

    project_code: Mapped[str] = mapped_column(ForeignKey("projects.code"), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Change(Base):
    """Every change of a record value: old -> new, when, from which submission."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    project_code: Mapped[str] = mapped_column(ForeignKey("projects.code"))
    key: Mapped[str] = mapped_column(String(300))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submissions.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_changes_project_key", "project_code", "key"),)


class Message(Base):
    """A mail message formkit has read, recorded once (by Message-ID, else by
    the sha256 of its raw bytes) so that importing a mailbox again imports
    nothing twice. The raw message itself is an original (``sha256``)."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)  # <message-id> or sha256:<hex>
    message_id: Mapped[str | None] = mapped_column(String(500), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("originals.sha256"))
    sender: Mapped[str | None] = mapped_column(String(500))
    subject: Mapped[str | None] = mapped_column(Text)
    mail_date: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    source_kind: Mapped[str] = mapped_column(String(20))  # eml | msg | mbox | maildir | imap | box
    source: Mapped[str | None] = mapped_column(Text)  # the file, folder or imap://user@host/FOLDER
    project_code: Mapped[str | None] = mapped_column(String(32))  # what its subject or forms named
    attachments: Mapped[int] = mapped_column(Integer, default=0)
    accepted: Mapped[int] = mapped_column(Integer, default=0)
    review: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    notes: Mapped[list[Any]] = mapped_column(JSON, default=list)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
