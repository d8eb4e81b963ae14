"""What a round's approval does to figures: it locks them, and it makes them public.

- Locked: once a partnership is approved in a round, its outcome rows of the round's period
  may not change. A load that would add or replace one, and an undo that would take one out
  or restore an older value, are refused with the reason (require_unlocked,
  require_undo_unlocked). Reopening unlocks them.
- Under review: the outcome rows of a partnership in a round that has not approved it (not
  started, in progress, submitted, returned or reopened; the round open or closed). Published
  (perturbed) figures leave them out (under_review(), withheld() for the columnar
  snapshot); exact figures include them, marked provisional (provisional_figures()).
  Outcome rows of periods no round covers are final: they are published as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from data_access.access import Caller
from data_access.filters import Filters
from data_access.round_tables import (
    OUTCOMES,
    PARTNERSHIPS,
    ROUND_PARTNERSHIPS,
    ROUNDS,
    covers,
    period_label,
)
from i18n import _

APPROVED = "approved"


class PeriodLocked(ValueError):
    """A write would change figures an approval locked; the message names them."""


@dataclass(frozen=True)
class Lock:
    """A partnership's approved period: the round's id, name, year and quarter."""

    partnership_id: int
    round_name: str
    year: int
    quarter: int


def locks(connection: Connection) -> list[Lock]:
    """Every approved (partnership, period) of every round."""
    r, rp = ROUNDS.c, ROUND_PARTNERSHIPS.c
    rows = connection.execute(
        select(rp.partnership_id, r.name, r.year, r.quarter)
        .join(ROUNDS, r.id == rp.round_id)
        .where(rp.state == APPROVED)
    ).all()
    return [Lock(pid, name, year, quarter) for pid, name, year, quarter in rows]


def require_unlocked(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """PeriodLocked when an outcome row (partnership_id, year, quarter) falls in a locked
    period."""
    held = locks(connection)
    if not held:
        return
    by_partnership: dict[int, list[Lock]] = {}
    for lock in held:
        by_partnership.setdefault(lock.partnership_id, []).append(lock)
    for row in rows:
        for lock in by_partnership.get(row["partnership_id"], ()):
            if covers(lock.year, lock.quarter, row["year"], row["quarter"]):
                raise _locked(connection, lock)


def require_undo_unlocked(connection: Connection, batch_id: int) -> None:
    """PeriodLocked when undoing the batch would touch an outcome row of a locked period."""
    from data_access.uploads.tables import CHANGES  # the loads' own record of their rows

    c, o = CHANGES.c, OUTCOMES.c
    rows = connection.execute(
        select(o.partnership_id, o.year, o.quarter)
        .distinct()
        .join(CHANGES, (c.row_id == o.id) & (c.table_name == "outcome_report"))
        .where(c.batch_id == batch_id)
    ).mappings()
    require_unlocked(connection, [dict(row) for row in rows])


def _locked(connection: Connection, lock: Lock) -> PeriodLocked:
    name = connection.execute(
        select(PARTNERSHIPS.c.short_name).where(PARTNERSHIPS.c.id == lock.partnership_id)
    ).scalar_one()
    return PeriodLocked(
        _(
            "The figures of {partnership} for {period} were approved in the round {round} "
            "and are locked: nothing was changed. An officer must reopen them first."
        ).format(
            partnership=name, period=period_label(lock.year, lock.quarter), round=lock.round_name
        )
    )


def under_review(table: Any = None) -> ColumnElement[bool]:
    """The condition, on rows of outcome_report (or an alias of it), of being under review:
    a round covers the row's partnership and period and has not approved it."""
    o = (OUTCOMES if table is None else table).c
    r, rp = ROUNDS.c, ROUND_PARTNERSHIPS.c
    return (
        exists()
        .where(
            rp.partnership_id == o.partnership_id,
            rp.state != APPROVED,
            r.id == rp.round_id,
            r.year == o.year,
            (r.quarter == 0) | (r.quarter == o.quarter),
        )
        .correlate_except(ROUNDS, ROUND_PARTNERSHIPS)
    )


def withheld(connection: Connection) -> list[tuple[int, int, int]]:
    """(partnership id, year, quarter) of every period under review; quarter 0 covers the
    whole year. For the columnar snapshot, which leaves their rows out of published figures."""
    r, rp = ROUNDS.c, ROUND_PARTNERSHIPS.c
    return [
        (pid, year, quarter)
        for pid, year, quarter in connection.execute(
            select(rp.partnership_id, r.year, r.quarter)
            .join(ROUNDS, r.id == rp.round_id)
            .where(rp.state != APPROVED)
        )
    ]


@dataclass(frozen=True)
class Provisional:
    """The figures under review in an exact view: (partnership slug, year) cells that hold
    outcome rows under review, with the partnerships' short names. Empty for published
    views, which leave such rows out."""

    cells: tuple[tuple[str, int], ...] = ()
    names: tuple[tuple[str, str], ...] = ()  # (slug, short name)

    def __bool__(self) -> bool:
        return bool(self.cells)

    @property
    def years(self) -> tuple[int, ...]:
        """The years that hold figures under review, oldest first."""
        return tuple(sorted({year for _, year in self.cells}))

    @property
    def partnerships(self) -> tuple[str, ...]:
        """Slugs of the partnerships with figures under review."""
        return tuple(sorted({slug for slug, _ in self.cells}))

    def holds(self, *, year: int | None = None, partnership: str | None = None) -> bool:
        """Whether the cell (a year, a partnership, or both) holds figures under review."""
        return any(
            (year is None or y == year) and (partnership is None or s == partnership)
            for s, y in self.cells
        )

    def name_of(self, slug: str) -> str:
        """A partnership's short name."""
        return dict(self.names).get(slug, slug)


def provisional_figures(*, session: Session, caller: Caller, filters: Filters) -> Provisional:
    """Which figures of this view are provisional: for a caller who sees it exactly
    (officers, admins, coordinators narrowed to their partnerships), the (partnership, year)
    cells within the filters' partnerships, ecosystems and years whose rows are under
    review; nothing for a published view."""
    if not caller.unsuppressed_for(filters):
        return Provisional()
    o, p = OUTCOMES.c, PARTNERSHIPS.c
    r, rp = ROUNDS.c, ROUND_PARTNERSHIPS.c
    # From the few pairs under review, each asking for one outcome row of its period (the
    # partnership's index finds it), never a scan of the outcome rows.
    has_rows = exists().where(
        o.partnership_id == rp.partnership_id,
        o.year == r.year,
        (r.quarter == 0) | (o.quarter == r.quarter),
    )
    query = (
        select(p.slug, p.short_name, r.year)
        .distinct()
        .select_from(ROUND_PARTNERSHIPS)
        .join(ROUNDS, r.id == rp.round_id)
        .join(PARTNERSHIPS, p.id == rp.partnership_id)
        .where(rp.state != APPROVED, has_rows)
    )
    if filters.partnerships:
        query = query.where(p.slug.in_(filters.partnerships))
    if filters.ecosystems:
        from data_access.scope import E_TABLE, E

        query = query.join(E_TABLE, E.id == p.ecosystem_id).where(E.slug.in_(filters.ecosystems))
    if filters.year_from is not None:
        query = query.where(r.year >= filters.year_from)
    if filters.year_to is not None:
        query = query.where(r.year <= filters.year_to)
    rows = session.connection().execute(query).all()
    return Provisional(
        cells=tuple(sorted({(slug, year) for slug, _, year in rows})),
        names=tuple(sorted({(slug, name) for slug, name, _ in rows})),
    )
