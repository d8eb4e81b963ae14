"""The one place pages get data: the shared engine, and query results cached per data version.

Caches key on (query, caller, filters, data version), so a write anywhere shows on the next
rerun without turning caching off, and one caller's results never serve another's. Every
query runs for the session's caller (ui.auth), whose scope data_access enforces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access as store_api
from data_access import PUBLIC, Caller, DatasetState, FilterOptions, Filters
from data_access.switches import switch
from fixtures.load_demo import seed_if_empty
from ui.auth import current_caller

QUERIES: dict[str, Callable[..., pd.DataFrame]] = {
    "country_summary": store_api.country_summary,
    "members_over_time": store_api.members_over_time,
    "outcome_cube": store_api.outcome_cube,
    "outcome_totals": store_api.outcome_totals,
    "pact_indicators_by_year": store_api.pact_indicators_by_year,
    "partnership_comparison": store_api.partnership_comparison,
    "partnership_launches": store_api.partnership_launches,
    "member_directory": store_api.member_directory,
    "partnership_members": store_api.partnership_members,
}


@st.cache_resource(show_spinner="Opening the database…")
def store() -> Engine:
    """The process-wide engine; an empty store gets the demo data on first start."""
    engine = store_api.engine_for(store_api.database_url())
    if switch("PACT_SEED_DEMO"):
        seed_if_empty(engine)
    else:
        store_api.create_schema(engine)
    return engine


@st.cache_data(show_spinner=False, ttl=2)
def dataset() -> DatasetState:
    """Source, as-of date and version of the data, re-read at most every two seconds."""
    with Session(store()) as session:
        return store_api.dataset_state(session=session)


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
) -> Any:
    with Session(store()) as session:
        return QUERIES[name](session=session, caller=caller, filters=filters, **dict(extra))


def query(name: str, filters: Filters, *, caller: Caller | None = None, **kwargs: Any) -> Any:
    """Run a named data_access query for the session's caller (or the one given), cached per
    caller, filters and data version. Raises data_access.AccessDenied like the query does."""
    who = caller if caller is not None else current_caller()
    extra = tuple(sorted(kwargs.items()))
    return _query(name, who, filters, dataset().version, extra)


@st.cache_data(show_spinner=False, max_entries=512)
def _outcomes(caller: Caller, filters: Filters, version: int, by: tuple[str, ...]) -> pd.DataFrame:
    cube = query("outcome_cube", filters, caller=caller)
    return store_api.rollup(cube, by)  # type: ignore[arg-type]


def outcomes(
    filters: Filters, by: tuple[str, ...], *, caller: Caller | None = None
) -> pd.DataFrame:
    """Outcome totals by year, ecosystem, partnership and/or skill area.

    For callers who see the view unsuppressed it is served from one cached query per filter
    set (the outcome cube), so a page showing the same outcomes several ways queries the
    store once. Protected views query each grouping, since disclosure control needs the
    organisations behind every cell.
    """
    who = caller if caller is not None else current_caller()
    if not who.unsuppressed_for(filters):
        protected: pd.DataFrame = query("outcome_totals", filters, caller=who, by=by)
        return protected
    result: pd.DataFrame = _outcomes(who, filters, dataset().version, by)
    return result
