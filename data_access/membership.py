"""Membership queries: members over time, new members per period, launches, member lists.

Membership counts come from the aggregates serving the store (data_access.serving).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from data_access.access import Caller
from data_access.aggregates import MemberGrouping
from data_access.filters import Filters
from data_access.periods import Granularity, period_ends
from data_access.scope import E_TABLE, P_TABLE, E, O, P, membership_join, where_all
from data_access.serving import aggregates_of


def resolve_years(*, session: Session, filters: Filters) -> tuple[int, int]:
    """The filter's period range with open ends closed by the years the data covers."""
    first, last = aggregates_of(session).reporting_years(session=session)
    lo = filters.year_from if filters.year_from is not None else first
    hi = filters.year_to if filters.year_to is not None else last
    return lo, max(lo, hi)


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
    served = aggregates_of(session)
    active = served.active_members_at(session=session, filters=filters, days=periods, by=by)
    new = served.new_members_in(session=session, filters=filters, days=periods, by=by)
    # Membership is public (the Pact publishes its member lists): the same counts for everyone.
    return _period_group_grid(periods, active, new)


def _period_group_grid(
    periods: list[tuple[str, date]], active: pd.DataFrame, new: pd.DataFrame
) -> pd.DataFrame:
    """Every (period, group) of the groups with members, period by period, groups sorted:
    period, period_end, group, members, new_members (zero where a count has no row)."""
    groups = sorted(set(active["group"]).union(new["group"]))
    cells = [(label, group) for label, _ in periods for group in groups]

    def counts(frame: pd.DataFrame, column: str) -> list[int]:
        found = dict(
            zip(
                zip(frame["period"].tolist(), frame["group"].tolist(), strict=True),
                frame[column].tolist(),
                strict=True,
            )
        )
        return [int(found.get(cell, 0)) for cell in cells]

    n_groups = len(groups)
    return pd.DataFrame(
        {
            "period": pd.Series([label for label, _ in cells], dtype="str"),
            "period_end": pd.Series(
                [end for _, end in periods for _ in range(n_groups)], dtype=object
            ),
            "group": pd.Series(groups * len(periods), dtype=object),
            "members": pd.Series(counts(active, "members"), dtype="int64"),
            "new_members": pd.Series(counts(new, "new_members"), dtype="int64"),
        }
    )


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
    joined_on, left_on, active, last_reported_year, reported_in_year, listed (False for an
    organisation that asked not to be listed publicly). "active" and
    "reported_in_year" refer to the last year of the filter's period range.
    Member-level data: AccessDenied unless the caller may see this partnership's members.
    """
    caller.require_members_of(partnership)
    _, year_to = resolve_years(session=session, filters=filters)
    members = aggregates_of(session).partnership_members(
        session=session, filters=filters, partnership=partnership, year_to=year_to
    )
    reported = members["last_reported_year"].eq(year_to).fillna(False).astype(bool)
    return _with_listing(session, members.assign(reported_in_year=reported), partnership)


def _with_listing(session: Session, members: pd.DataFrame, partnership: str) -> pd.DataFrame:
    """The member list with `listed`: False for organisations that asked not to be listed
    publicly (the callers of a member list may see them; pages mark them)."""
    unlisted = (
        select(O.name, O.country_code)
        .select_from(membership_join(frozenset({"partnership", "organisation"})))
        .where(P.slug == partnership, O.listed.is_(False))
    )
    hidden = {(name, code) for name, code in session.connection().execute(unlisted.distinct())}
    keys = zip(members["organisation"], members["country_code"], strict=True)
    return members.assign(listed=[key not in hidden for key in keys])


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
    "Granularity",
    "MemberGrouping",
    "members_over_time",
    "members_without_report",
    "partnership_launches",
    "partnership_members",
    "resolve_years",
]
