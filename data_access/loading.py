"""Writing whole datasets: the demo Pact or any generated one, in one transaction.

A failure at any point rolls back, so the store stays exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, select

from data_access.dataset import record_change, record_reload
from data_access.models import (
    Ecosystem,
    Membership,
    Organisation,
    OutcomeReport,
    Partnership,
    RoleGrant,
)
from data_access.round_tables import Detached, detach_rounds, reattach_rounds


@dataclass(frozen=True)
class DatasetRows:
    """A dataset as plain rows; organisations carry a "key" that memberships and reports use."""

    partnerships: list[dict[str, Any]]
    organisations: list[dict[str, Any]]
    memberships: list[dict[str, Any]]
    reports: list[dict[str, Any]]


@dataclass(frozen=True)
class LoadSummary:
    """How many rows a load wrote."""

    partnerships: int
    organisations: int
    memberships: int
    reports: int


def store_is_empty(*, session: Session) -> bool:
    """True when the store holds no partnership and no organisation."""
    partnerships = session.scalar(select(func.count()).select_from(Partnership))
    organisations = session.scalar(select(func.count()).select_from(Organisation))
    return not partnerships and not organisations


def load_dataset(
    *, session: Session, rows: DatasetRows, source: str, as_of: str, replace: bool = False
) -> LoadSummary:
    """Write a whole dataset (no commit: the caller's transaction decides).

    With replace, existing partnerships, organisations, memberships and reports go first;
    without it the store must be empty. Role grants survive a replace: coordinators keep
    their partnerships by slug (a grant whose partnership is gone goes with it), and so do
    reporting rounds: each partnership's stage and moves.
    """
    grants: list[dict[str, Any]] = []
    rounds: Detached = []
    if replace:
        grants = _detach_coordinator_grants(session)
        rounds = detach_rounds(session.connection())
        for model in (OutcomeReport, Membership, Organisation, Partnership):
            session.execute(delete(model))
    elif not store_is_empty(session=session):
        raise ValueError("the store already holds data; use replace to overwrite it")

    ecosystem_ids: dict[str, int | None] = dict(
        session.exec(select(Ecosystem.slug, Ecosystem.id)).all()
    )
    partnership_rows = []
    for row in rows.partnerships:
        values = dict(row)
        values["ecosystem_id"] = ecosystem_ids[values.pop("ecosystem")]
        partnership_rows.append(values)
    session.execute(insert(Partnership), partnership_rows)
    partnership_ids: dict[str, int | None] = dict(
        session.exec(select(Partnership.slug, Partnership.id)).all()
    )

    org_rows = [{k: v for k, v in row.items() if k != "key"} for row in rows.organisations]
    if org_rows:
        session.execute(insert(Organisation), org_rows)
    by_natural_key = {
        (name, country): org_id
        for org_id, name, country in session.exec(
            select(Organisation.id, Organisation.name, Organisation.country_code)
        ).all()
    }
    org_ids = {
        row["key"]: by_natural_key[(row["name"], row["country_code"])] for row in rows.organisations
    }

    def resolve(row: dict[str, Any]) -> dict[str, Any]:
        values = {k: v for k, v in row.items() if k not in ("partnership", "organisation")}
        values["partnership_id"] = partnership_ids[row["partnership"]]
        values["organisation_id"] = org_ids[row["organisation"]]
        return values

    membership_rows = [resolve(row) for row in rows.memberships]
    if membership_rows:
        session.execute(insert(Membership), membership_rows)
    report_rows = [resolve(row) for row in rows.reports]
    for start in range(0, len(report_rows), 5_000):
        session.execute(insert(OutcomeReport), report_rows[start : start + 5_000])
    kept = [
        {**grant, "partnership_id": partnership_ids[grant.pop("slug")]}
        for grant in grants
        if grant["slug"] in partnership_ids
    ]
    if kept:
        session.execute(insert(RoleGrant), kept)
    reattach_rounds(session.connection(), rounds, partnership_ids)
    record_change(session=session, source=source, as_of=as_of)
    record_reload(session=session)  # earlier loaded files are superseded: nothing to undo
    return LoadSummary(
        partnerships=len(partnership_rows),
        organisations=len(org_rows),
        memberships=len(membership_rows),
        reports=len(report_rows),
    )


def _detach_coordinator_grants(session: Session) -> list[dict[str, Any]]:
    """Take out the grants that point at partnerships, remembering each one's slug."""
    grant = RoleGrant.__table__.c  # type: ignore[attr-defined]
    partnership = Partnership.__table__.c  # type: ignore[attr-defined]
    stmt = sa_select(
        grant.email, grant.role, grant.granted_by, grant.granted_on, partnership.slug
    ).join_from(RoleGrant.__table__, Partnership.__table__, grant.partnership_id == partnership.id)  # type: ignore[attr-defined]
    rows = [dict(row._mapping) for row in session.execute(stmt)]
    session.execute(delete(RoleGrant).where(grant.partnership_id.is_not(None)))
    return rows
