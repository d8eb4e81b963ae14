"""SQLModel tables of the store: partnerships, organisations, memberships and outcome reports.

Constraints live here, in the schema: non-negative counts, unique natural keys, foreign keys.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Index, Text, UniqueConstraint, true
from sqlmodel import Field, SQLModel


def new_record_key() -> float:
    """A fresh random record key in [0, 1) for the cell key method (never published)."""
    return secrets.randbits(53) / float(1 << 53)


class Ecosystem(SQLModel, table=True):
    """An industrial ecosystem (14 in the EU industrial strategy)."""

    __tablename__ = "ecosystem"
    __table_args__ = (CheckConstraint("workforce IS NULL OR workforce >= 0", name="ck_eco_wf"),)

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=40)
    name: str = Field(unique=True, max_length=80)
    workforce: int | None = None


class Country(SQLModel, table=True):
    """A country, keyed by its ISO 3166-1 alpha-2 code."""

    __tablename__ = "country"
    __table_args__ = (
        CheckConstraint("length(code) = 2", name="ck_country_code"),
        CheckConstraint("country_group IN ('EU', 'EEA', 'candidate')", name="ck_country_group"),
    )

    code: str = Field(primary_key=True, max_length=2)
    iso3: str = Field(unique=True, max_length=3)
    name: str = Field(unique=True, max_length=80)
    country_group: str = Field(max_length=10)


class OrganisationType(SQLModel, table=True):
    """A kind of member organisation (large company, SME, VET provider, ...)."""

    __tablename__ = "organisation_type"

    code: str = Field(primary_key=True, max_length=40)
    label: str = Field(unique=True, max_length=80)


class SkillArea(SQLModel, table=True):
    """A skill area outcomes are reported in (basic digital, green, ...)."""

    __tablename__ = "skill_area"

    code: str = Field(primary_key=True, max_length=40)
    label: str = Field(unique=True, max_length=80)


class Partnership(SQLModel, table=True):
    """A large-scale or regional skills partnership and its pledge."""

    __tablename__ = "partnership"
    __table_args__ = (
        CheckConstraint("kind IN ('large-scale', 'regional')", name="ck_partnership_kind"),
        CheckConstraint(
            "pledge_people_per_year IS NULL OR pledge_people_per_year >= 0", name="ck_pledge_py"
        ),
        CheckConstraint(
            "pledge_people_total IS NULL OR pledge_people_total >= 0", name="ck_pledge_total"
        ),
        CheckConstraint(
            "pledge_workforce_share IS NULL OR "
            "(pledge_workforce_share > 0 AND pledge_workforce_share <= 1)",
            name="ck_pledge_share",
        ),
        CheckConstraint(
            "target_women_share IS NULL OR (target_women_share >= 0 AND target_women_share <= 1)",
            name="ck_target_women",
        ),
        CheckConstraint(
            "pledge_target_year IS NULL OR pledge_target_year BETWEEN 2020 AND 2100",
            name="ck_pledge_year",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=60)
    name: str = Field(unique=True, max_length=200)
    short_name: str = Field(unique=True, max_length=60)
    kind: str = Field(max_length=20)
    ecosystem_id: int = Field(foreign_key="ecosystem.id", index=True)
    launch_date: date
    pledge_text: str | None = Field(default=None, max_length=400)
    pledge_people_per_year: int | None = None
    pledge_people_total: int | None = None
    pledge_target_year: int | None = None
    pledge_workforce_share: float | None = None  # share of the ecosystem's workforce each year
    target_women_share: float | None = None
    website: str | None = Field(default=None, max_length=300)


class Organisation(SQLModel, table=True):
    """A member organisation; name and country form its natural key."""

    __tablename__ = "organisation"
    __table_args__ = (
        UniqueConstraint("name", "country_code", name="uq_organisation_name_country"),
        CheckConstraint(
            "size_class IS NULL OR size_class IN ('micro', 'small', 'medium', 'large')",
            name="ck_org_size",
        ),
        CheckConstraint("record_key >= 0 AND record_key < 1", name="ck_org_record_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=300)
    org_type: str = Field(foreign_key="organisation_type.code", index=True, max_length=40)
    size_class: str | None = Field(default=None, max_length=10)
    country_code: str = Field(foreign_key="country.code", index=True, max_length=2)
    nuts_code: str | None = Field(default=None, max_length=5)
    # Whether the organisation appears in the public member directory (a member may opt out).
    listed: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # Fixed random key of the cell key method (data_access.perturbation); never shown.
    record_key: float = Field(
        default_factory=new_record_key, sa_column_kwargs={"default": new_record_key}
    )


class Membership(SQLModel, table=True):
    """An organisation's membership of a partnership, from joined_on until left_on."""

    __tablename__ = "membership"
    __table_args__ = (
        UniqueConstraint(
            "partnership_id", "organisation_id", "joined_on", name="uq_membership_natural"
        ),
        CheckConstraint("role IN ('coordinator', 'co-leader', 'member')", name="ck_member_role"),
        CheckConstraint("left_on IS NULL OR left_on >= joined_on", name="ck_member_dates"),
    )

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    joined_on: date
    left_on: date | None = None
    role: str = Field(default="member", max_length=20)


class OutcomeReport(SQLModel, table=True):
    """What one member reported for one partnership, reporting period and skill area.

    quarter 0 means the whole year; 1-4 a quarter of it.
    """

    __tablename__ = "outcome_report"
    __table_args__ = (
        UniqueConstraint(
            "partnership_id",
            "organisation_id",
            "year",
            "quarter",
            "skill_area",
            name="uq_outcome_natural",
        ),
        CheckConstraint("year BETWEEN 2020 AND 2100", name="ck_outcome_year"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="ck_outcome_quarter"),
        CheckConstraint(
            "women >= 0 AND men >= 0 AND other_gender >= 0 AND not_recorded >= 0",
            name="ck_outcome_people",
        ),
        CheckConstraint(
            "programmes >= 0 AND investment_eur >= 0 AND people_reached >= 0",
            name="ck_outcome_other",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", index=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    year: int = Field(index=True)
    quarter: int = 0
    skill_area: str = Field(foreign_key="skill_area.code", max_length=40)
    women: int = 0
    men: int = 0
    other_gender: int = 0
    not_recorded: int = 0
    programmes: int = 0
    investment_eur: float = 0.0
    people_reached: int = 0


class ShortLink(SQLModel, table=True):
    """A short code of the audience view (/s/<code>) and the query string it stands for,
    kept in the store so that every replica resolves it."""

    __tablename__ = "short_link"

    code: str = Field(primary_key=True, max_length=20)
    query: str = Field(sa_type=Text)
    created_at: datetime


REPORTED_VALUES: tuple[str, ...] = (
    "women",
    "men",
    "other_gender",
    "not_recorded",
    "programmes",
    "investment_eur",
    "people_reached",
)
"""What a member reports in an outcome_report row (its value columns, in table order)."""

OUTCOME_MEASURES: tuple[str, ...] = ("people_trained", *REPORTED_VALUES, "reporting_organisations")
"""The measures of every outcome aggregate, in column order: people up/re-skilled (the sum of
the four gender parts), the reported values summed, and how many organisations reported."""


class DatasetInfo(SQLModel, table=True):
    """Key/value facts about the data held: its source, as-of date and version."""

    __tablename__ = "dataset_info"

    key: str = Field(primary_key=True, max_length=40)
    value: str = Field(max_length=400)


class RoleGrant(SQLModel, table=True):
    """A role held by a verified e-mail address; coordinators hold it per partnership.

    Officers and admins have no partnership (partnership_id is NULL); a coordinator of two
    partnerships has two rows. Addresses are stored lower-case.
    """

    __tablename__ = "role_grant"
    __table_args__ = (
        UniqueConstraint("email", "role", "partnership_id", name="uq_role_grant"),
        CheckConstraint("role IN ('officer', 'coordinator', 'admin')", name="ck_role_grant_role"),
        CheckConstraint(
            "(role = 'coordinator') = (partnership_id IS NOT NULL)", name="ck_role_grant_scope"
        ),
        CheckConstraint("email = lower(email) AND email LIKE '%_@_%'", name="ck_role_grant_email"),
    )

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, index=True)
    role: str = Field(max_length=20)
    partnership_id: int | None = Field(default=None, foreign_key="partnership.id")
    granted_by: str | None = Field(default=None, max_length=254)
    granted_on: date | None = None


class UploadBatch(SQLModel, table=True):
    """One loaded file: who loaded it and when, what it was, what it changed, and whether it
    was undone. Times are UTC."""

    __tablename__ = "upload_batch"
    __table_args__ = (
        CheckConstraint("kind IN ('members', 'outcomes')", name="ck_upload_batch_kind"),
        CheckConstraint(
            "rows_new >= 0 AND rows_replaced >= 0 AND rows_unchanged >= 0 "
            "AND organisations_added >= 0",
            name="ck_upload_batch_rows",
        ),
        CheckConstraint("(undone_at IS NULL) = (undone_by IS NULL)", name="ck_upload_batch_undo"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64)
    uploaded_by: str = Field(max_length=254)
    uploaded_at: datetime
    rows_new: int = 0
    rows_replaced: int = 0
    rows_unchanged: int = 0
    organisations_added: int = 0
    undone_by: str | None = Field(default=None, max_length=254)
    undone_at: datetime | None = None


class UploadBatchPartnership(SQLModel, table=True):
    """A partnership whose data a batch changed, by slug (so it survives reloading the
    partnerships), for showing coordinators the batches about their partnerships."""

    __tablename__ = "upload_batch_partnership"

    batch_id: int = Field(foreign_key="upload_batch.id", primary_key=True)
    partnership: str = Field(primary_key=True, max_length=60, index=True)


class UploadChange(SQLModel, table=True):
    """One row a batch added or replaced: enough to undo it and to notice a later change.

    previous: the replaced row's values (JSON), NULL for added rows. written: a digest of the
    values the batch wrote, compared before an undo touches the row.
    """

    __tablename__ = "upload_change"
    __table_args__ = (
        CheckConstraint("action IN ('added', 'replaced')", name="ck_upload_change_action"),
        CheckConstraint(
            "table_name IN ('outcome_report', 'membership', 'organisation')",
            name="ck_upload_change_table",
        ),
        CheckConstraint(
            "(action = 'added') = (previous IS NULL)", name="ck_upload_change_previous"
        ),
        Index("ix_upload_change_row", "table_name", "row_id"),
    )

    batch_id: int = Field(foreign_key="upload_batch.id", primary_key=True)
    table_name: str = Field(primary_key=True, max_length=20)
    row_id: int = Field(primary_key=True)
    action: str = Field(max_length=10)
    previous: str | None = Field(default=None, sa_type=Text)
    written: str = Field(max_length=32)


class ReportingRound(SQLModel, table=True):
    """A reporting round: the period it covers (a year, or one quarter of it), when it opens,
    its deadline, and whether it was closed. One round per period. Times are UTC."""

    __tablename__ = "reporting_round"
    __table_args__ = (
        UniqueConstraint("year", "quarter", name="uq_reporting_round_period"),
        CheckConstraint("year BETWEEN 2020 AND 2100", name="ck_round_year"),
        CheckConstraint("quarter BETWEEN 0 AND 4", name="ck_round_quarter"),
        CheckConstraint("deadline >= opens_on", name="ck_round_dates"),
        CheckConstraint("(closed_at IS NULL) = (closed_by IS NULL)", name="ck_round_closed"),
    )

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=120)
    year: int
    quarter: int = 0  # 0: the whole year
    opens_on: date
    deadline: date
    opened_by: str = Field(max_length=254)
    opened_at: datetime
    closed_by: str | None = Field(default=None, max_length=254)
    closed_at: datetime | None = None


class RoundPartnership(SQLModel, table=True):
    """A partnership a round covers and where it stands: pending (not submitted yet: not
    started or in progress, from its data), submitted, returned, approved or reopened."""

    __tablename__ = "round_partnership"
    __table_args__ = (
        CheckConstraint(
            "state IN ('pending', 'submitted', 'returned', 'approved', 'reopened')",
            name="ck_round_partnership_state",
        ),
    )

    round_id: int = Field(foreign_key="reporting_round.id", primary_key=True)
    partnership_id: int = Field(foreign_key="partnership.id", primary_key=True, index=True)
    state: str = Field(default="pending", max_length=10)


class RoundMove(SQLModel, table=True):
    """Every move of a round, in order: the round's own (opened, extended, closed; no
    partnership) and each partnership's (submitted, returned, approved, reopened), by whom,
    when (UTC), from which state to which, and why."""

    __tablename__ = "round_move"
    __table_args__ = (
        CheckConstraint(
            "action IN ('open', 'extend', 'close', 'submit', 'return', 'approve', 'reopen')",
            name="ck_round_move_action",
        ),
        Index("ix_round_move_round", "round_id", "partnership_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="reporting_round.id")
    partnership_id: int | None = Field(default=None, foreign_key="partnership.id")
    action: str = Field(max_length=10)
    from_state: str = Field(max_length=40)
    to_state: str = Field(max_length=40)
    reason: str | None = Field(default=None, sa_type=Text)
    moved_by: str = Field(max_length=254)
    moved_at: datetime
