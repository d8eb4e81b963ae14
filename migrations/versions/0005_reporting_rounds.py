"""Reporting rounds: the rounds, the partnerships each covers and where they stand, and every
move made in them.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add reporting_round, round_partnership and round_move. No existing row changes."""
    op.create_table(
        "reporting_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("opened_by", sa.String(length=254), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=254), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("year BETWEEN 2020 AND 2100", name="ck_round_year"),
        sa.CheckConstraint("quarter BETWEEN 0 AND 4", name="ck_round_quarter"),
        sa.CheckConstraint("deadline >= opens_on", name="ck_round_dates"),
        sa.CheckConstraint("(closed_at IS NULL) = (closed_by IS NULL)", name="ck_round_closed"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("year", "quarter", name="uq_reporting_round_period"),
    )
    op.create_table(
        "round_partnership",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'submitted', 'returned', 'approved', 'reopened')",
            name="ck_round_partnership_state",
        ),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["reporting_round.id"]),
        sa.PrimaryKeyConstraint("round_id", "partnership_id"),
    )
    op.create_index("ix_round_partnership_partnership_id", "round_partnership", ["partnership_id"])
    op.create_table(
        "round_move",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("from_state", sa.String(length=40), nullable=False),
        sa.Column("to_state", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("moved_by", sa.String(length=254), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('open', 'extend', 'close', 'submit', 'return', 'approve', 'reopen')",
            name="ck_round_move_action",
        ),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.ForeignKeyConstraint(["round_id"], ["reporting_round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_round_move_round", "round_move", ["round_id", "partnership_id"])


def downgrade() -> None:
    """Drop the three tables of reporting rounds."""
    op.drop_index("ix_round_move_round", table_name="round_move")
    op.drop_table("round_move")
    op.drop_index("ix_round_partnership_partnership_id", table_name="round_partnership")
    op.drop_table("round_partnership")
    op.drop_table("reporting_round")
