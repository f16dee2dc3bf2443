"""The first tables: projects, originals, issued documents, submissions, record.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "projects",
        sa.Column("code", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("customer", sa.String(200)),
        sa.Column("region", sa.String(100)),
        sa.Column("info", sa.JSON, nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_table(
        "originals",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("filename", sa.String(500), nullable=False),
        sa.Column("stored_path", sa.String(500), nullable=False),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("source_path", sa.Text),
        sa.Column("sender", sa.String(500)),
        sa.Column("subject", sa.Text),
        sa.Column("message_id", sa.String(500)),
        sa.Column("mail_date", TS),
        sa.Column("received_at", TS, nullable=False),
    )
    op.create_table(
        "documents",
        sa.Column("document_id", sa.String(64), primary_key=True),
        sa.Column("project_code", sa.String(32), index=True),
        sa.Column("form", sa.String(64), nullable=False),
        sa.Column("schema_version", sa.String(16), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("issued_at", TS, nullable=False),
    )
    op.create_table(
        "submissions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), nullable=False, unique=True),
        sa.Column("project_code", sa.String(32), index=True),
        sa.Column("form", sa.String(64)),
        sa.Column("schema_version", sa.String(16)),
        sa.Column("document_id", sa.String(64)),
        sa.Column("status", sa.String(20), nullable=False, index=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("problems", sa.JSON, nullable=False),
        sa.Column("notices", sa.JSON, nullable=False),
        sa.Column("explicit_none", sa.JSON, nullable=False),
        sa.Column("conflicts", sa.JSON, nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("decided_at", TS),
        sa.Column("decision_note", sa.Text),
    )
    op.create_table(
        "record_values",
        sa.Column("project_code", sa.String(32), sa.ForeignKey("projects.code"), primary_key=True),
        sa.Column("key", sa.String(300), primary_key=True),
        sa.Column("value", sa.JSON),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id")),
        sa.Column("updated_at", TS, nullable=False),
    )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("project_code", sa.String(32), sa.ForeignKey("projects.code"), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("old", sa.JSON),
        sa.Column("new", sa.JSON),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id")),
        sa.Column("changed_at", TS, nullable=False),
    )
    op.create_index("ix_changes_project_key", "changes", ["project_code", "key"])


def downgrade() -> None:
    for table in ("changes", "record_values", "submissions", "documents", "originals", "projects"):
        op.drop_table(table)
