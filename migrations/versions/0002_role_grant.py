"""Role grants: roles keyed by verified e-mail, coordinators per partnership.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the role_grant table."""
    op.create_table(
        "role_grant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=True),
        sa.Column("granted_by", sa.String(length=254), nullable=True),
        sa.Column("granted_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email", "role", "partnership_id", name="uq_role_grant"),
        sa.CheckConstraint(
            "role IN ('officer', 'coordinator', 'admin')", name="ck_role_grant_role"
        ),
        sa.CheckConstraint(
            "(role = 'coordinator') = (partnership_id IS NOT NULL)", name="ck_role_grant_scope"
        ),
        sa.CheckConstraint(
            "email = lower(email) AND email LIKE '%_@_%'", name="ck_role_grant_email"
        ),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
    )
    op.create_index("ix_role_grant_email", "role_grant", ["email"])


def downgrade() -> None:
    """Drop the role_grant table (its grants go with it)."""
    op.drop_index("ix_role_grant_email", table_name="role_grant")
    op.drop_table("role_grant")
