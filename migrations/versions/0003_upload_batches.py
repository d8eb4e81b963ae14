"""Upload batches: who loaded which file when, what it changed, and how to undo it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add upload_batch, upload_batch_partnership and upload_change (no existing row changes)."""
    op.create_table(
        "upload_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_by", sa.String(length=254), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_new", sa.Integer(), nullable=False),
        sa.Column("rows_replaced", sa.Integer(), nullable=False),
        sa.Column("rows_unchanged", sa.Integer(), nullable=False),
        sa.Column("organisations_added", sa.Integer(), nullable=False),
        sa.Column("undone_by", sa.String(length=254), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("kind IN ('members', 'outcomes')", name="ck_upload_batch_kind"),
        sa.CheckConstraint(
            "rows_new >= 0 AND rows_replaced >= 0 AND rows_unchanged >= 0 "
            "AND organisations_added >= 0",
            name="ck_upload_batch_rows",
        ),
        sa.CheckConstraint(
            "(undone_at IS NULL) = (undone_by IS NULL)", name="ck_upload_batch_undo"
        ),
    )
    op.create_table(
        "upload_batch_partnership",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("partnership", sa.String(length=60), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "partnership"),
        sa.ForeignKeyConstraint(["batch_id"], ["upload_batch.id"]),
    )
    op.create_index(
        "ix_upload_batch_partnership_partnership", "upload_batch_partnership", ["partnership"]
    )
    op.create_table(
        "upload_change",
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=20), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.Column("written", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "table_name", "row_id"),
        sa.CheckConstraint("action IN ('added', 'replaced')", name="ck_upload_change_action"),
        sa.CheckConstraint(
            "table_name IN ('outcome_report', 'membership', 'organisation')",
            name="ck_upload_change_table",
        ),
        sa.CheckConstraint(
            "(action = 'added') = (previous IS NULL)", name="ck_upload_change_previous"
        ),
        sa.ForeignKeyConstraint(["batch_id"], ["upload_batch.id"]),
    )
    op.create_index("ix_upload_change_row", "upload_change", ["table_name", "row_id"])


def downgrade() -> None:
    """Drop the upload tables (the loaded rows stay; only the means to undo them goes)."""
    op.drop_index("ix_upload_change_row", table_name="upload_change")
    op.drop_table("upload_change")
    op.drop_index("ix_upload_batch_partnership_partnership", table_name="upload_batch_partnership")
    op.drop_table("upload_batch_partnership")
    op.drop_table("upload_batch")
