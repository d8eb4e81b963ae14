"""The typed seam between Streamlit and the store: the engine, and query results cached per
data version.

Each function here has the signature of the data_access query it runs, less the session and
the caller (the session's caller from ui.auth unless one is given), so a reader and mypy can
follow a page's call to data_access. Caches key on (query, caller, filters, arguments, data
version): a write anywhere shows on the next rerun without turning caching off, and one
caller's results never serve another's. data_access enforces every caller's scope.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access as store_api
from data_access import PUBLIC, Caller, DatasetState, FilterOptions, Filters
from data_access.membership import Granularity, MemberGrouping
from data_access.outcomes import Dimension
from data_access.round_locks import Provisional, provisional_figures
from store import forget, open_store
from ui.auth import current_caller

Query = Callable[..., pd.DataFrame]


@st.cache_resource(show_spinner="Opening the database…")
def store() -> Engine:
    """The process-wide engine (store.open_store); a cleared cache opens it again."""
    forget()
    return open_store()


@st.cache_data(show_spinner=False, ttl=2)
def dataset() -> DatasetState:
    """Source, as-of date and version of the data, re-read at most every two seconds."""
    with Session(store()) as session:
        return store_api.dataset_state(session=session)


def provisional(filters: Filters) -> Provisional:
    """The figures under review in this view (data_access.round_locks.provisional_figures):
    none for a published view."""
    return _provisional(current_caller(), filters, dataset().version)


@st.cache_data(show_spinner=False, max_entries=256)
def _provisional(caller: Caller, filters: Filters, version: int) -> Provisional:
    with Session(store()) as session:
        return provisional_figures(session=session, caller=caller, filters=filters)


def data_changed() -> None:
    """After a write in this session: read the new data version now, not in two seconds."""
    dataset.clear()


@st.cache_data(show_spinner=False, max_entries=8)
def _options(version: int) -> FilterOptions:
    with Session(store()) as session:
        return store_api.filter_options(session=session, caller=PUBLIC)


def options() -> FilterOptions:
    """The choices of the global filters."""
    return _options(dataset().version)


@st.cache_data(show_spinner=False, max_entries=8)
def _partnerships(version: int) -> pd.DataFrame:
    with Session(store()) as session:
        return store_api.partnerships_table(session=session, caller=PUBLIC)


def partnerships() -> pd.DataFrame:
    """Every partnership with its ecosystem and pledge."""
    return _partnerships(dataset().version)


@st.cache_data(show_spinner=False, max_entries=512)
def _query(
    name: str,
    caller: Caller,
    filters: Filters,
    version: int,
    extra: tuple[tuple[str, Any], ...],
    _run: Query,
) -> pd.DataFrame:
    with Session(store()) as session:
        return _run(session=session, caller=caller, filters=filters, **dict(extra))


def _cached(run: Query, filters: Filters, caller: Caller | None, **arguments: Any) -> pd.DataFrame:
    """`run` for the caller (the session's unless given), cached per caller, filters,
    arguments and data version. Raises data_access.AccessDenied like the query does."""
    who = caller if caller is not None else current_caller()
    extra = tuple(sorted(arguments.items()))
    return _query(run.__name__, who, filters, dataset().version, extra, run)


def pact_indicators_by_year(filters: Filters, *, caller: Caller | None = None) -> pd.DataFrame:
    """Headline indicators per year (data_access.pact_indicators_by_year)."""
    return _cached(store_api.pact_indicators_by_year, filters, caller)


def members_over_time(
    filters: Filters,
    *,
    by: MemberGrouping = "pact",
    granularity: Granularity = "year",
    caller: Caller | None = None,
) -> pd.DataFrame:
    """Members and new members per period and group (data_access.members_over_time)."""
    return _cached(store_api.members_over_time, filters, caller, by=by, granularity=granularity)


def partnership_launches(filters: Filters, *, caller: Caller | None = None) -> pd.DataFrame:
    """Partnerships in scope with their launch dates (data_access.partnership_launches)."""
    return _cached(store_api.partnership_launches, filters, caller)


def partnership_comparison(filters: Filters, *, caller: Caller | None = None) -> pd.DataFrame:
    """One row per partnership in scope (data_access.partnership_comparison)."""
    return _cached(store_api.partnership_comparison, filters, caller)


def partnership_members(
    filters: Filters, *, partnership: str, caller: Caller | None = None
) -> pd.DataFrame:
    """Every membership of one partnership (data_access.partnership_members)."""
    return _cached(store_api.partnership_members, filters, caller, partnership=partnership)


def country_summary(filters: Filters, *, caller: Caller | None = None) -> pd.DataFrame:
    """Members and people up/re-skilled per country (data_access.country_summary)."""
    return _cached(store_api.country_summary, filters, caller)


def member_directory(
    filters: Filters, *, former: bool = False, caller: Caller | None = None
) -> pd.DataFrame:
    """The public member directory (data_access.member_directory)."""
    return _cached(store_api.member_directory, filters, caller, former=former)


def outcome_totals(
    filters: Filters, *, by: Sequence[Dimension] = (), caller: Caller | None = None
) -> pd.DataFrame:
    """Reported outcomes summed by the given dimensions (data_access.outcome_totals)."""
    return _cached(store_api.outcome_totals, filters, caller, by=tuple(by))


@st.cache_data(show_spinner=False, max_entries=512)
def _outcomes(caller: Caller, filters: Filters, version: int, by: tuple[str, ...]) -> pd.DataFrame:
    cube = _cached(store_api.outcome_cube, filters, caller)
    return store_api.rollup(cube, by)  # type: ignore[arg-type]


def outcomes(
    filters: Filters, by: tuple[Dimension, ...], *, caller: Caller | None = None
) -> pd.DataFrame:
    """Outcome totals by year, ecosystem, partnership and/or skill area.

    For callers who see the view unsuppressed it is served from one cached query per filter
    set (the outcome cube), so a page showing the same outcomes several ways queries the
    store once. Protected views query each grouping, since disclosure control needs the
    organisations behind every cell.
    """
    who = caller if caller is not None else current_caller()
    if not who.unsuppressed_for(filters):
        return outcome_totals(filters, by=by, caller=who)
    return _outcomes(who, filters, dataset().version, by)
