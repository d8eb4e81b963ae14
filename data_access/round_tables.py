"""The tables reporting rounds read and write, and the periods a round covers: which outcome
rows belong to a round's period, and the period's last day."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Table

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
