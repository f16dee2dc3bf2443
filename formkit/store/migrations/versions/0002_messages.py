"""Mail messages read by the intake, each recorded once.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(500), nullable=False, unique=True),
        sa.Column("message_id", sa.String(500), index=True),
        sa.Column("sha256", sa.String(64), sa.ForeignKey("originals.sha256"), nullable=False),
        sa.Column("sender", sa.String(500)),
        sa.Column("subject", sa.Text),
        sa.Column("mail_date", TS),
        sa.Column("source_kind", sa.String(20), nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("project_code", sa.String(32)),
        sa.Column("attachments", sa.Integer, nullable=False),
        sa.Column("accepted", sa.Integer, nullable=False),
        sa.Column("review", sa.Integer, nullable=False),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("notes", sa.JSON, nullable=False),
        sa.Column("imported_at", TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("messages")
