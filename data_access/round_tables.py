"""The tables reporting rounds read and write, and the periods a round covers: which outcome
rows belong to a round's period, and the period's last day."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table, delete, insert, select
from sqlalchemy.engine import Connection

from data_access.models import (
    Membership,
    Organisation,
    OutcomeReport,
    Partnership,
    ReportingRound,
    RoleGrant,
    RoundMove,
    RoundPartnership,
)

ROUNDS: Table = ReportingRound.__table__  # type: ignore[attr-defined]
ROUND_PARTNERSHIPS: Table = RoundPartnership.__table__  # type: ignore[attr-defined]
MOVES: Table = RoundMove.__table__  # type: ignore[attr-defined]
PARTNERSHIPS: Table = Partnership.__table__  # type: ignore[attr-defined]
MEMBERSHIPS: Table = Membership.__table__  # type: ignore[attr-defined]
ORGANISATIONS: Table = Organisation.__table__  # type: ignore[attr-defined]
OUTCOMES: Table = OutcomeReport.__table__  # type: ignore[attr-defined]
ROLE_GRANTS: Table = RoleGrant.__table__  # type: ignore[attr-defined]


def period_label(year: int, quarter: int) -> str:
    """A period, machine-readable: "2024" for a year, "2024-Q1" for a quarter."""
    return str(year) if quarter == 0 else f"{year}-Q{quarter}"


def period_end(year: int, quarter: int) -> date:
    """The last day of a year (quarter 0) or of one of its quarters."""
    if quarter in (0, 4):
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def covers(round_year: int, round_quarter: int, year: int, quarter: int) -> bool:
    """Whether a round's period holds an outcome row's: a year's round every row of the
    year (quarters included), a quarter's round the rows of that quarter."""
    return round_year == year and round_quarter in (0, quarter)


def period_rows(year: int, quarter: int, table: Any = None) -> ColumnElement[bool]:
    """The condition on outcome rows of a round's period (see covers())."""
    r = (OUTCOMES if table is None else table).c
    if quarter == 0:
        return r.year == year
    return (r.year == year) & (r.quarter == quarter)


Detached = list[tuple[Table, str, dict[str, Any]]]


def detach_rounds(connection: Connection) -> Detached:
    """Take out the round rows that point at partnerships (their stage in each round, their
    moves), remembering each one's slug: for a whole-dataset reload, which replaces the
    partnerships. reattach_rounds() puts them back."""
    p = PARTNERSHIPS.c
    detached: Detached = []
    for table in (ROUND_PARTNERSHIPS, MOVES):
        rows = connection.execute(
            select(table, p.slug).join(PARTNERSHIPS, p.id == table.c.partnership_id)
        ).mappings()
        for row in rows:
            values = {k: v for k, v in row.items() if k not in ("slug", "partnership_id")}
            detached.append((table, row["slug"], values))
        connection.execute(delete(table).where(table.c.partnership_id.is_not(None)))
    return detached


def reattach_rounds(
    connection: Connection, detached: Detached, partnership_ids: Mapping[str, int | None]
) -> None:
    """Put detached round rows back on the partnerships with their slugs (those of a
    partnership no longer held go with it)."""
    for table in (ROUND_PARTNERSHIPS, MOVES):
        rows = [
            {**values, "partnership_id": partnership_ids[slug]}
            for held, slug, values in detached
            if held is table and slug in partnership_ids
        ]
        if rows:
            connection.execute(insert(table), rows)
