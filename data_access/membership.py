"""Membership queries: members over time, new members per period, launches, member lists."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Literal

import pandas as pd
from sqlalchemy import Date, and_, func, literal, select, union_all
from sqlmodel import Session

from data_access import columnar
from data_access.access import Caller
from data_access.filters import Filters
from data_access.options import reporting_years
from data_access.scope import (
    E_TABLE,
    P_TABLE,
    R_TABLE,
    C,
    E,
    M,
    O,
    P,
    R,
    T,
    active_on,
    dimension_conditions,
    membership_join,
    tables_for,
    where_all,
)

MemberGrouping = Literal["pact", "partnership", "ecosystem", "country", "org_type"]
Granularity = Literal["year", "quarter"]

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


def resolve_years(*, session: Session, filters: Filters) -> tuple[int, int]:
    """The filter's period range with open ends closed by the years the data covers."""
    if columnar.enabled():
        return columnar.resolve_years(session=session, filters=filters)
    first, last = reporting_years(session=session)
    lo = filters.year_from if filters.year_from is not None else first
    hi = filters.year_to if filters.year_to is not None else last
    return lo, max(lo, hi)


def period_ends(year_from: int, year_to: int, granularity: Granularity) -> list[tuple[str, date]]:
    """(label, last day) of each period in the range, oldest first."""
    periods: list[tuple[str, date]] = []
    for year in range(year_from, year_to + 1):
        if granularity == "year":
            periods.append((str(year), date(year, 12, 31)))
            continue
        for quarter in range(1, 5):
            next_start = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            periods.append((f"{year}-Q{quarter}", next_start - timedelta(days=1)))
    return periods


def _group_column(by: MemberGrouping) -> Any:
    return literal("Pact") if by == "pact" else GROUP_COLUMNS[by]


def periods_table(days: list[tuple[str, date]], *, starts: list[date] | None = None) -> Any:
    """A small derived table of (period, day[, start]) rows to join memberships against."""
    rows: list[Any] = []
    for index, (label, day) in enumerate(days):
        columns: list[Any] = [literal(label).label("period"), literal(day, type_=Date).label("day")]
        if starts is not None:
            columns.append(literal(starts[index], type_=Date).label("start"))
        rows.append(select(*columns))
    table: Any = union_all(*rows) if len(rows) > 1 else rows[0]
    return table.subquery("periods")


def active_members_at(
    *, session: Session, filters: Filters, days: list[tuple[str, date]], by: MemberGrouping
) -> pd.DataFrame:
    """Distinct member organisations active on each day, per group: period, group, members.

    Unscoped building block of the query functions (they protect what it returns).
    """
    if columnar.enabled():
        return columnar.active_members_at(session=session, filters=filters, days=days, by=by)
    return active_members_at_sql(session=session, filters=filters, days=days, by=by)


def active_members_at_sql(
    *, session: Session, filters: Filters, days: list[tuple[str, date]], by: MemberGrouping
) -> pd.DataFrame:
    """active_members_at in one query: memberships joined to the days they were active on,
    counted per day and group."""
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
    *, session: Session, filters: Filters, days: list[tuple[str, date]], by: MemberGrouping
) -> pd.DataFrame:
    """Organisations whose first join within the group falls in each period: period, group,
    new_members. A period runs from the day after the previous period's end to its own end.
    Unscoped building block of the query functions (they protect what it returns).
    """
    if columnar.enabled():
        return columnar.new_members_in(session=session, filters=filters, days=days, by=by)
    return new_members_in_sql(session=session, filters=filters, days=days, by=by)


def new_members_in_sql(
    *, session: Session, filters: Filters, days: list[tuple[str, date]], by: MemberGrouping
) -> pd.DataFrame:
    """new_members_in computed by the database."""
    if not days:
        return pd.DataFrame(columns=["period", "group", "new_members"])
    group = _group_column(by)
    first_day = days[0][1].replace(month=1, day=1) - timedelta(days=1)
    starts = [first_day] + [day for _, day in days[:-1]]
    if len(days) > 1 and days[1][1].month != 12:  # quarters: the first starts 3 months before
        starts[0] = date(days[0][1].year, days[0][1].month - 2, 1) - timedelta(days=1)
    periods = periods_table(days, starts=starts)
    first_join = where_all(
        select(group.label("group"), M.organisation_id.label("organisation_id"),
               func.min(M.joined_on).label("first_joined"))
        .select_from(membership_join(tables_for(filters, *GROUP_TABLES[by]))),
        dimension_conditions(filters),
    ).group_by(group, M.organisation_id).subquery("first_join")  # fmt: skip
    stmt = (
        select(periods.c.period, first_join.c.group, func.count().label("new_members"))
        .select_from(
            first_join.join(
                periods,
                and_(
                    first_join.c.first_joined > periods.c.start,
                    first_join.c.first_joined <= periods.c.day,
                ),
            )
        )
        .group_by(periods.c.period, first_join.c.group)
    )
    df = pd.read_sql(stmt, session.connection())
    df["group"] = df["group"].astype(str)
    return df


def active_counts_at(
    *, session: Session, filters: Filters, days: list[tuple[str, date]]
) -> pd.DataFrame:
    """Per day: partnerships, ecosystems, member organisations and countries with an active
    membership in scope (period, partnerships, ecosystems, members, countries; days without
    any are left out). Unscoped building block of pact_indicators_by_year."""
    if columnar.enabled():
        return columnar.active_counts_at(session=session, filters=filters, days=days)
    return active_counts_at_sql(session=session, filters=filters, days=days)


def active_counts_at_sql(
    *, session: Session, filters: Filters, days: list[tuple[str, date]]
) -> pd.DataFrame:
    """active_counts_at in one query against a derived table of the days."""
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


def members_over_time(
    *,
    session: Session,
    caller: Caller,
    filters: Filters,
    by: MemberGrouping = "pact",
    granularity: Granularity = "year",
) -> pd.DataFrame:
    """Members at the end of each period and new members in it, per group.

    Columns: period, period_end, group, members, new_members. A member is new in the period
    holding its first join date within the group. Groups with no member in any period of the
    range are left out; the others get a row for every period.
    """
    year_from, year_to = resolve_years(session=session, filters=filters)
    periods = period_ends(year_from, year_to, granularity)
    active = active_members_at(session=session, filters=filters, days=periods, by=by)
    new = new_members_in(session=session, filters=filters, days=periods, by=by)
    # Membership is public (the Pact publishes its member lists): the same counts for everyone.
    return columnar.period_group_grid(periods, active, new)


def partnership_launches(*, session: Session, caller: Caller, filters: Filters) -> pd.DataFrame:
    """Partnerships in scope with their launch dates: slug, short_name, name, kind, ecosystem.

    Partnerships and their launch dates are public facts: every caller gets them.
    """
    conditions = []
    if filters.ecosystems:
        conditions.append(E.slug.in_(filters.ecosystems))
    if filters.partnerships:
        conditions.append(P.slug.in_(filters.partnerships))
    if filters.year_to is not None:
        conditions.append(P.launch_date <= date(filters.year_to, 12, 31))
    stmt = where_all(
        select(
            P.slug, P.short_name, P.name, P.kind, E.name.label("ecosystem"), P.launch_date
        ).select_from(P_TABLE.join(E_TABLE, P.ecosystem_id == E.id)),
        conditions,
    ).order_by(P.launch_date, P.short_name)
    df = pd.read_sql(stmt, session.connection())
    df["launch_date"] = pd.to_datetime(df["launch_date"]).dt.date
    return df


def partnership_members(
    *, session: Session, caller: Caller, filters: Filters, partnership: str
) -> pd.DataFrame:
    """Every membership of one partnership with whether the member reported in the last year.

    Columns: organisation, org_type, country_code, country, nuts_code, size_class, role,
    joined_on, left_on, active, reported_in_year, last_reported_year, listed (False for an
    organisation that asked not to be listed publicly). "active" and
    "reported_in_year" refer to the last year of the filter's period range.
    Member-level data: AccessDenied unless the caller may see this partnership's members.
    """
    caller.require_members_of(partnership)
    if columnar.enabled():
        members = columnar.partnership_members(
            session=session, filters=filters, partnership=partnership
        )
    else:
        members = partnership_members_sql(session=session, filters=filters, partnership=partnership)
    return _with_listing(session, members, partnership)


def _with_listing(session: Session, members: pd.DataFrame, partnership: str) -> pd.DataFrame:
    """The member list with `listed`: False for organisations that asked not to be listed
    publicly (the callers of a member list may see them; pages mark them)."""
    unlisted = select(O.name, O.country_code).select_from(
        membership_join(frozenset({"partnership", "organisation"}))
    ).where(P.slug == partnership, O.listed.is_(False))  # fmt: skip
    hidden = {(name, code) for name, code in session.connection().execute(unlisted.distinct())}
    keys = zip(members["organisation"], members["country_code"], strict=True)
    return members.assign(listed=[key not in hidden for key in keys])


def partnership_members_sql(
    *, session: Session, filters: Filters, partnership: str
) -> pd.DataFrame:
    """The member list computed by the database (internal: callers go through
    partnership_members, which checks the caller first)."""
    _, year_to = resolve_years(session=session, filters=filters)
    scoped = filters.only_partnership(partnership)
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
        [*dimension_conditions(scoped), M.joined_on <= day],
    ).order_by(M.role, O.name)
    df = pd.read_sql(stmt, session.connection())
    df["joined_on"] = pd.to_datetime(df["joined_on"]).dt.date
    df["left_on"] = pd.to_datetime(df["left_on"]).dt.date
    df["active"] = df["active"].astype(bool)
    df["last_reported_year"] = df["last_reported_year"].astype("Int64")
    df["reported_in_year"] = df["last_reported_year"].eq(year_to).fillna(False).astype(bool)
    return df


def members_without_report(
    *, session: Session, caller: Caller, filters: Filters, partnership: str
) -> pd.DataFrame:
    """Active members of a partnership that sent no outcome report for the period's last year.

    Member-level data: AccessDenied unless the caller may see this partnership's members.
    """
    members = partnership_members(
        session=session, caller=caller, filters=filters, partnership=partnership
    )
    missing = members[members["active"] & ~members["reported_in_year"]]
    return missing.reset_index(drop=True)


__all__ = [
    "active_members_at",
    "members_over_time",
    "members_without_report",
    "partnership_launches",
    "partnership_members",
    "period_ends",
    "resolve_years",
]
