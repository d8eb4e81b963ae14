"""The aggregates computed by the database: the SQL implementation of
data_access.aggregates.Aggregates (the system of record's own answers), unscoped like its
columnar twin in data_access.columnar."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Date, and_, func, literal, select, union_all
from sqlmodel import Session

from data_access.access import Caller
from data_access.aggregates import (
    DIMENSION_NAMES,
    MEASURE_TYPES,
    Contributions,
    Days,
    Dimensions,
    MemberGrouping,
    add_gender_shares,
)
from data_access.filters import Filters
from data_access.options import partnerships_table, reporting_years
from data_access.periods import period_starts
from data_access.perturbation import PERTURBED_MEASURES, factors
from data_access.round_locks import under_review
from data_access.scope import (
    P_TABLE,
    R_TABLE,
    C,
    E,
    M,
    O,
    P,
    R,
    S,
    T,
    active_on,
    dimension_conditions,
    membership_join,
    outcome_conditions,
    outcome_join,
    tables_for,
    where_all,
)

DIMENSION_TABLES: dict[str, tuple[str, ...]] = {
    "year": (),
    "ecosystem": ("ecosystem",),
    "partnership": ("partnership",),
    "skill_area": ("skill",),
    "country": ("country",),
    "org_type": ("type",),
}
_DIMENSION_SOURCES: dict[str, tuple[Any, ...]] = {
    "year": (R.year,),
    "ecosystem": (E.name, E.slug),
    "partnership": (P.short_name, P.slug),
    "skill_area": (S.label, S.code),
    "country": (C.name, C.code, C.iso3),
    "org_type": (T.label, T.code),
}
DIMENSION_COLUMNS: dict[str, list[Any]] = {
    dim: [column.label(name) for column, name in zip(sources, DIMENSION_NAMES[dim], strict=True)]
    for dim, sources in _DIMENSION_SOURCES.items()
}
"""Each dimension's columns, labelled as DIMENSION_NAMES names them."""
GROUP_TABLES: dict[str, tuple[str, ...]] = {
    "pact": (),
    "partnership": ("partnership",),
    "ecosystem": ("ecosystem",),
    "country": ("country",),
    "org_type": ("type",),
}
GROUP_COLUMNS: dict[str, Any] = {
    "partnership": P.short_name,
    "ecosystem": E.name,
    "country": C.name,
    "org_type": T.label,
}


class SqlAggregates:
    """Every aggregate of data_access.aggregates.Aggregates, computed by the database."""

    def reporting_years(self, *, session: Session) -> tuple[int, int]:
        """First and last year the data covers (memberships and outcome reports)."""
        return reporting_years(session=session)

    def outcome_totals(
        self, *, session: Session, filters: Filters, by: Dimensions = (), distinct: bool = True
    ) -> pd.DataFrame:
        """Reported outcomes summed by the given dimensions, with gender shares."""
        dims: list[Any] = [col for dim in by for col in DIMENSION_COLUMNS[dim]]
        needed = tables_for(filters, *(t for dim in by for t in DIMENSION_TABLES[dim]))
        stmt = where_all(
            select(*dims, *_measure_columns(distinct)).select_from(outcome_join(needed)),
            outcome_conditions(filters),
        )
        if dims:
            stmt = stmt.group_by(*dims).order_by(*dims)
        df = pd.read_sql(stmt, session.connection())
        return add_gender_shares(df.astype({m: MEASURE_TYPES[m] for m in df.columns[len(dims) :]}))

    def outcome_contributions(
        self, *, session: Session, filters: Filters, by: Dimensions
    ) -> Contributions:
        """Reported values per (cell of `by`, organisation), in the cells' order of
        outcome_totals; rows under review in a reporting round left out."""
        dims: list[Any] = [col for dim in by for col in DIMENSION_COLUMNS[dim]]
        tables = (t for dim in by for t in DIMENSION_TABLES[dim])
        needed = tables_for(filters, "organisation", *tables)
        measures = [func.sum(getattr(R, name)).label(name) for name in PERTURBED_MEASURES]
        stmt = where_all(
            select(*dims, R.organisation_id, O.record_key, *measures).select_from(
                outcome_join(needed)
            ),
            [*outcome_conditions(filters), ~under_review()],  # published: approved or final
        ).group_by(*dims, R.organisation_id, O.record_key)
        if dims:
            stmt = stmt.order_by(*dims)
        rows = pd.read_sql(stmt, session.connection())
        names = [col.name for col in dims]
        if names:
            cell, firsts = _cells_in_order(rows, names)
            dimensions = {name: rows[name].to_numpy()[firsts] for name in names}
            n_cells = len(firsts)
        else:
            cell = np.zeros(len(rows), dtype=np.int64)
            dimensions, n_cells = {}, 1
        return Contributions(
            dimensions=dimensions,
            n_cells=n_cells,
            cell=cell,
            values=rows[list(PERTURBED_MEASURES)].to_numpy(dtype=np.float64, na_value=0.0),
            factors=factors(rows["record_key"].to_numpy(dtype=np.float64)),
        )

    def active_members_at(
        self, *, session: Session, filters: Filters, days: Days, by: MemberGrouping
    ) -> pd.DataFrame:
        """Distinct member organisations active on each day, per group: memberships joined
        to the days they were active on, counted per day and group."""
        if not days:
            return pd.DataFrame(columns=["period", "group", "members"])
        group = _group_column(by)
        periods = periods_table(days)
        stmt = where_all(
            select(
                periods.c.period,
                group.label("group"),
                func.count(func.distinct(M.organisation_id)).label("members"),
            ).select_from(
                membership_join(tables_for(filters, *GROUP_TABLES[by])).join(
                    periods, active_on(periods.c.day)
                )
            ),
            dimension_conditions(filters),
        ).group_by(periods.c.period, group)
        df = pd.read_sql(stmt, session.connection())
        df["group"] = df["group"].astype(str)
        return df

    def new_members_in(
        self, *, session: Session, filters: Filters, days: Days, by: MemberGrouping
    ) -> pd.DataFrame:
        """Organisations whose first join within the group falls in each period."""
        if not days:
            return pd.DataFrame(columns=["period", "group", "new_members"])
        group = _group_column(by)
        periods = periods_table(days, starts=period_starts(days))
        first_join = (
            where_all(
                select(
                    group.label("group"),
                    M.organisation_id.label("organisation_id"),
                    func.min(M.joined_on).label("first_joined"),
                ).select_from(membership_join(tables_for(filters, *GROUP_TABLES[by]))),
                dimension_conditions(filters),
            )
            .group_by(group, M.organisation_id)
            .subquery("first_join")
        )
        in_period = and_(
            first_join.c.first_joined > periods.c.start,
            first_join.c.first_joined <= periods.c.day,
        )
        stmt = (
            select(periods.c.period, first_join.c.group, func.count().label("new_members"))
            .select_from(first_join.join(periods, in_period))
            .group_by(periods.c.period, first_join.c.group)
        )
        df = pd.read_sql(stmt, session.connection())
        df["group"] = df["group"].astype(str)
        return df

    def active_counts_at(self, *, session: Session, filters: Filters, days: Days) -> pd.DataFrame:
        """Per day: partnerships, ecosystems, members and countries with an active membership,
        in one query against a derived table of the days."""
        periods = periods_table(days)
        stmt = where_all(
            select(
                periods.c.period,
                func.count(func.distinct(M.partnership_id)).label("partnerships"),
                func.count(func.distinct(P.ecosystem_id)).label("ecosystems"),
                func.count(func.distinct(M.organisation_id)).label("members"),
                func.count(func.distinct(O.country_code)).label("countries"),
            ).select_from(
                membership_join(tables_for(filters, "partnership", "organisation")).join(
                    periods, active_on(periods.c.day)
                )
            ),
            dimension_conditions(filters),
        ).group_by(periods.c.period)
        return pd.read_sql(stmt, session.connection())

    def partnership_members(
        self, *, session: Session, filters: Filters, partnership: str, year_to: int
    ) -> pd.DataFrame:
        """Every membership of one partnership begun by the end of year_to."""
        last_report = (
            select(
                R.organisation_id.label("organisation_id"),
                func.max(R.year).label("last_reported_year"),
            )
            .select_from(R_TABLE.join(P_TABLE, R.partnership_id == P.id))
            .where(P.slug == partnership, R.year <= year_to)
            .group_by(R.organisation_id)
            .subquery()
        )
        day = literal(date(year_to, 12, 31), type_=Date)
        stmt = where_all(
            select(
                O.name.label("organisation"),
                T.label.label("org_type"),
                O.country_code,
                C.name.label("country"),
                O.nuts_code,
                O.size_class,
                M.role,
                M.joined_on,
                M.left_on,
                active_on(day).label("active"),
                last_report.c.last_reported_year,
            ).select_from(
                membership_join().outerjoin(
                    last_report, last_report.c.organisation_id == M.organisation_id
                )
            ),
            [*dimension_conditions(filters.only_partnership(partnership)), M.joined_on <= day],
        ).order_by(M.role, O.name)
        df = pd.read_sql(stmt, session.connection())
        df["joined_on"] = pd.to_datetime(df["joined_on"]).dt.date
        df["left_on"] = pd.to_datetime(df["left_on"]).dt.date
        df["active"] = df["active"].astype(bool)
        df["last_reported_year"] = df["last_reported_year"].astype("Int64")
        return df

    def partnerships_table(self, *, session: Session, caller: Caller) -> pd.DataFrame:
        """options.partnerships_table, read from the store on every call."""
        return partnerships_table(session=session, caller=caller)


SQL = SqlAggregates()


def _measure_columns(distinct: bool) -> list[Any]:
    people = R.women + R.men + R.other_gender + R.not_recorded
    columns = [
        func.coalesce(func.sum(people), 0).label("people_trained"),
        func.coalesce(func.sum(R.women), 0).label("women"),
        func.coalesce(func.sum(R.men), 0).label("men"),
        func.coalesce(func.sum(R.other_gender), 0).label("other_gender"),
        func.coalesce(func.sum(R.not_recorded), 0).label("not_recorded"),
        func.coalesce(func.sum(R.programmes), 0).label("programmes"),
        func.coalesce(func.sum(R.investment_eur), 0).label("investment_eur"),
        func.coalesce(func.sum(R.people_reached), 0).label("people_reached"),
    ]
    if distinct:
        columns.append(
            func.count(func.distinct(R.organisation_id)).label("reporting_organisations")
        )
    return columns


def _cells_in_order(rows: pd.DataFrame, names: list[str]) -> tuple[Any, Any]:
    """The cell of each row (rows come ordered by their cells) and each cell's first row."""
    if not len(rows):
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key = rows[names].astype(str).agg("\x1f".join, axis=1).to_numpy()
    starts = np.concatenate([[True], key[1:] != key[:-1]])
    cell = np.cumsum(starts) - 1
    return cell.astype(np.int64), np.flatnonzero(starts)


def _group_column(by: MemberGrouping) -> Any:
    return literal("Pact") if by == "pact" else GROUP_COLUMNS[by]


def periods_table(days: Days, *, starts: list[date] | None = None) -> Any:
    """A small derived table of (period, day[, start]) rows to join memberships against."""
    rows: list[Any] = []
    for index, (label, day) in enumerate(days):
        columns: list[Any] = [literal(label).label("period"), literal(day, type_=Date).label("day")]
        if starts is not None:
            columns.append(literal(starts[index], type_=Date).label("start"))
        rows.append(select(*columns))
    table: Any = union_all(*rows) if len(rows) > 1 else rows[0]
    return table.subquery("periods")
