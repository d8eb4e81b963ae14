"""The store as first released: reference lists, partnerships, members, outcome reports.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create every table of the first release."""
    op.create_table(
        "country",
        sa.Column("code", sa.String(length=2), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("country_group", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.CheckConstraint("length(code) = 2", name="ck_country_code"),
        sa.CheckConstraint("country_group IN ('EU', 'EEA', 'candidate')", name="ck_country_group"),
        sa.UniqueConstraint("iso3"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "dataset_info",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("value", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "ecosystem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("workforce", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("workforce IS NULL OR workforce >= 0", name="ck_eco_wf"),
        sa.UniqueConstraint("slug"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "organisation_type",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("label"),
    )
    op.create_table(
        "skill_area",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("code"),
        sa.UniqueConstraint("label"),
    )
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("org_type", sa.String(length=40), nullable=False),
        sa.Column("size_class", sa.String(length=10), nullable=True),
        sa.Column("country_code", sa.String(length=2), nullable=False),
        sa.Column("nuts_code", sa.String(length=5), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name", "country_code", name="uq_organisation_name_country"),
        sa.CheckConstraint(
            "size_class IS NULL OR size_class IN ('micro', 'small', 'medium', 'large')",
            name="ck_org_size",
        ),
        sa.ForeignKeyConstraint(["org_type"], ["organisation_type.code"]),
        sa.ForeignKeyConstraint(["country_code"], ["country.code"]),
    )
    op.create_index("ix_organisation_org_type", "organisation", ["org_type"])
    op.create_index("ix_organisation_country_code", "organisation", ["country_code"])
    op.create_table(
        "partnership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("short_name", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("ecosystem_id", sa.Integer(), nullable=False),
        sa.Column("launch_date", sa.Date(), nullable=False),
        sa.Column("pledge_text", sa.String(length=400), nullable=True),
        sa.Column("pledge_people_per_year", sa.Integer(), nullable=True),
        sa.Column("pledge_people_total", sa.Integer(), nullable=True),
        sa.Column("pledge_target_year", sa.Integer(), nullable=True),
        sa.Column("pledge_workforce_share", sa.Float(), nullable=True),
        sa.Column("target_women_share", sa.Float(), nullable=True),
        sa.Column("website", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.CheckConstraint("kind IN ('large-scale', 'regional')", name="ck_partnership_kind"),
        sa.CheckConstraint(
            "pledge_people_per_year IS NULL OR pledge_people_per_year >= 0", name="ck_pledge_py"
        ),
        sa.CheckConstraint(
            "pledge_people_total IS NULL OR pledge_people_total >= 0", name="ck_pledge_total"
        ),
        sa.CheckConstraint(
            "pledge_workforce_share IS NULL OR "
            "(pledge_workforce_share > 0 AND pledge_workforce_share <= 1)",
            name="ck_pledge_share",
        ),
        sa.CheckConstraint(
            "target_women_share IS NULL OR (target_women_share >= 0 AND target_women_share <= 1)",
            name="ck_target_women",
        ),
        sa.CheckConstraint(
            "pledge_target_year IS NULL OR pledge_target_year BETWEEN 2020 AND 2100",
            name="ck_pledge_year",
        ),
        sa.UniqueConstraint("slug"),
        sa.UniqueConstraint("name"),
        sa.UniqueConstraint("short_name"),
        sa.ForeignKeyConstraint(["ecosystem_id"], ["ecosystem.id"]),
    )
    op.create_index("ix_partnership_ecosystem_id", "partnership", ["ecosystem_id"])
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("joined_on", sa.Date(), nullable=False),
        sa.Column("left_on", sa.Date(), nullable=True),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "partnership_id", "organisation_id", "joined_on", name="uq_membership_natural"
        ),
        sa.CheckConstraint("role IN ('coordinator', 'co-leader', 'member')", name="ck_member_role"),
        sa.CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="ck_member_dates"),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
    )
    op.create_index("ix_membership_organisation_id", "membership", ["organisation_id"])
    op.create_index("ix_membership_partnership_id", "membership", ["partnership_id"])
    op.create_table(
        "outcome_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("partnership_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=False),
        sa.Column("skill_area", sa.String(length=40), nullable=False),
        sa.Column("women", sa.Integer(), nullable=False),
        sa.Column("men", sa.Integer(), nullable=False),
        sa.Column("other_gender", sa.Integer(), nullable=False),
        sa.Column("not_recorded", sa.Integer(), nullable=False),
        sa.Column("programmes", sa.Integer(), nullable=False),
        sa.Column("investment_eur", sa.Float(), nullable=False),
        sa.Column("people_reached", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "partnership_id",
            "organisation_id",
            "year",
            "quarter",
            "skill_area",
            name="uq_outcome_natural",
        ),
        sa.CheckConstraint("year BETWEEN 2020 AND 2100", name="ck_outcome_year"),
        sa.CheckConstraint("quarter BETWEEN 0 AND 4", name="ck_outcome_quarter"),
        sa.CheckConstraint(
            "women >= 0 AND men >= 0 AND other_gender >= 0 AND not_recorded >= 0",
            name="ck_outcome_people",
        ),
        sa.CheckConstraint(
            "programmes >= 0 AND investment_eur >= 0 AND people_reached >= 0",
            name="ck_outcome_other",
        ),
        sa.ForeignKeyConstraint(["partnership_id"], ["partnership.id"]),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"]),
        sa.ForeignKeyConstraint(["skill_area"], ["skill_area.code"]),
    )
    op.create_index("ix_outcome_report_year", "outcome_report", ["year"])
    op.create_index("ix_outcome_report_partnership_id", "outcome_report", ["partnership_id"])
    op.create_index("ix_outcome_report_organisation_id", "outcome_report", ["organisation_id"])


def downgrade() -> None:
    """Drop every table (all data goes with them)."""
    for table in (
        "outcome_report",
        "membership",
        "partnership",
        "organisation",
        "skill_area",
        "organisation_type",
        "ecosystem",
        "dataset_info",
        "country",
    ):
        op.drop_table(table)
