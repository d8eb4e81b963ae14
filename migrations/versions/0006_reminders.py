"""Reminder e-mail: each reminder of a round to a partnership, each delivery of it to a
coordinator's address with its result, and the language each address reads its mail in.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add reminder, reminder_delivery and mail_language. No existing row changes."""
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("partnership", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind LIKE 'before-%' OR kind LIKE 'after-%'", name="ck_reminder_kind"),
        sa.ForeignKeyConstraint(["round_id"], ["reporting_round.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("round_id", "partnership", "kind", name="uq_reminder_kind"),
    )
    op.create_table(
        "reminder_delivery",
        sa.Column("reminder_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('sending', 'sent', 'failed')", name="ck_reminder_delivery_status"
        ),
        sa.CheckConstraint("attempts >= 1", name="ck_reminder_delivery_attempts"),
        sa.CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)", name="ck_reminder_delivery_sent"
        ),
        sa.CheckConstraint(
            "(status = 'failed') = (error IS NOT NULL)", name="ck_reminder_delivery_error"
        ),
        sa.ForeignKeyConstraint(["reminder_id"], ["reminder.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("reminder_id", "email"),
    )
    op.create_table(
        "mail_language",
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("set_by", sa.String(length=254), nullable=False),
        sa.Column("set_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("email = lower(email)", name="ck_mail_language_email"),
        sa.PrimaryKeyConstraint("email"),
    )


def downgrade() -> None:
    """Drop the three tables of reminder e-mail."""
    op.drop_table("mail_language")
    op.drop_table("reminder_delivery")
    op.drop_table("reminder")
