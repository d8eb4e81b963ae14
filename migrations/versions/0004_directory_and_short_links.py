"""Member directory opt-out, record keys for the cell key method, and short links in the store.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add organisation.listed and organisation.record_key (a fresh random key for every
    existing organisation), and the short_link table. No existing value changes."""
    with op.batch_alter_table("organisation") as batch:
        batch.add_column(
            sa.Column("listed", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch.add_column(sa.Column("record_key", sa.Float(), nullable=True))
    connection = op.get_bind()
    ids = connection.execute(sa.text("SELECT id FROM organisation ORDER BY id")).scalars().all()
    if ids:
        connection.execute(
            sa.text("UPDATE organisation SET record_key = :key WHERE id = :id"),
            [{"id": i, "key": secrets.randbits(53) / float(1 << 53)} for i in ids],
        )
    with op.batch_alter_table("organisation") as batch:
        batch.alter_column("record_key", existing_type=sa.Float(), nullable=False)
        batch.create_check_constraint("ck_org_record_key", "record_key >= 0 AND record_key < 1")
    op.create_table(
        "short_link",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )


def downgrade() -> None:
    """Drop the short links and the two organisation columns."""
    op.drop_table("short_link")
    with op.batch_alter_table("organisation") as batch:
        batch.drop_constraint("ck_org_record_key", type_="check")
        batch.drop_column("record_key")
        batch.drop_column("listed")
