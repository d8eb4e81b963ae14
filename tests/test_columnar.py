"""Tier 1, the columnar cache: every aggregate equals the SQL query's on the demo data, and a
write (a new data version) is seen on the next call."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access.membership as sql_membership
import data_access.outcomes as sql_outcomes
from data_access import Filters, session_scope
from data_access.access import Caller, Role
from data_access.aggregates import Aggregates
from data_access.columnar import COLUMNAR
from data_access.dataset import record_change
from data_access.loading import load_dataset
from data_access.periods import period_ends
from data_access.serving import serve
from data_access.snapshot import snapshot
from data_access.sql_aggregates import SQL
from fixtures.demo import DemoPact
from fixtures.load_demo import demo_rows
from tests.expected import Expected

OFFICER = Caller(role=Role.OFFICER, email="officer@example.eu")  # sees everything unsuppressed

FILTER_CASES = [
    pytest.param(Filters(), id="open"),
    pytest.param(Filters(year_from=2021, year_to=2024), id="all"),
    pytest.param(
        Filters(year_from=2022, year_to=2023, ecosystems=("health", "digital")), id="eco-period"
    ),
    pytest.param(
        Filters(year_from=2021, year_to=2024, countries=("DE", "FR"), org_types=("sme",)),
        id="country-type",
    ),
    pytest.param(
        Filters(year_from=2023, year_to=2024, partnerships=("tclf",), skill_areas=("green",)),
        id="partnership-skill",
    ),
    pytest.param(Filters(year_from=2022, year_to=2024, countries=("ZZ",)), id="nothing-matches"),
]
GROUPINGS = [
    (),
    ("year",),
    ("partnership",),
    ("country",),
    ("org_type", "skill_area"),
    ("ecosystem", "partnership"),
    ("year", "ecosystem", "partnership", "skill_area"),
    ("country", "org_type", "year"),
]
MEMBER_GROUPINGS = [
    ("pact", "year"),
    ("partnership", "year"),
    ("ecosystem", "year"),
    ("country", "year"),
    ("org_type", "year"),
    ("pact", "quarter"),
    ("country", "quarter"),
]


def served(aggregates: Aggregates, fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a query function with its store served by the given aggregates, as an officer
    where it takes a caller."""
    if "caller" in inspect.signature(fn).parameters:
        kwargs["caller"] = OFFICER
    engine = kwargs["session"].get_bind()
    before = serve(engine, aggregates)
    try:
        return fn(**kwargs)
    finally:
        serve(engine, before)


def sql(fn: Callable[..., Any], **kwargs: Any) -> Any:
    """Call a query function with the columnar cache switched off (so the database computes
    it), as an officer where it takes a caller."""
    return served(SQL, fn, **kwargs)


def same_frame(
    actual: pd.DataFrame, wanted: pd.DataFrame, keys: list[str], *, check_dtype: bool = True
) -> None:
    """Equal columns, rows (in key order: collation differs between backends) and values."""
    assert list(actual.columns) == [c for c in wanted.columns if c != "suppressed"]
    wanted = wanted[list(actual.columns)]
    if wanted.empty:  # nothing to compare but the columns (SQL leaves their types open)
        assert actual.empty
        return

    def normal(df: pd.DataFrame) -> pd.DataFrame:
        text = [
            c for c in df.columns if df[c].dtype == object or pd.api.types.is_string_dtype(df[c])
        ]
        out = df.astype(dict.fromkeys(text, object))
        return out.sort_values(keys).reset_index(drop=True) if keys else out

    pd.testing.assert_frame_equal(
        normal(actual), normal(wanted), check_exact=False, rtol=1e-9, check_dtype=check_dtype
    )


@pytest.mark.parametrize("filters", FILTER_CASES)
@pytest.mark.parametrize("by", GROUPINGS, ids=lambda by: "-".join(by) or "total")
def test_outcome_totals_equal_sql(session: Session, filters: Filters, by: tuple[str, ...]) -> None:
    got = COLUMNAR.outcome_totals(session=session, filters=filters, by=by)  # type: ignore[arg-type]
    want = sql(sql_outcomes.outcome_totals, session=session, filters=filters, by=by)
    dims = list(got.columns[: list(got.columns).index("people_trained")])
    same_frame(got, want, dims)
    if session.get_bind().dialect.name == "sqlite":  # binary collation: the same row order
        assert got[dims].astype(object).values.tolist() == want[dims].astype(object).values.tolist()
    for column in ("people_trained", "women", "men", "programmes", "reporting_organisations"):
        assert got[column].dtype == "int64"
    assert got["investment_eur"].dtype == "float64"


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_outcome_totals_match_the_independent_expectation(
    session: Session, expected: Expected, filters: Filters
) -> None:
    by_year = COLUMNAR.outcome_totals(session=session, filters=filters, by=("year",))
    for year, row in by_year.set_index("year").iterrows():
        rows = expected.reports(filters.with_years(int(year), int(year)))  # type: ignore[call-overload]
        assert row["people_trained"] == expected.people(rows)
        assert row["reporting_organisations"] == len({r.organisation for r in rows})


@pytest.mark.parametrize("filters", FILTER_CASES[:5])
def test_outcome_cube_equals_sql(session: Session, filters: Filters) -> None:
    if not OFFICER.unsuppressed_for(filters):  # pragma: no cover - officers see everything
        pytest.skip("the cube is for unsuppressed views")
    got = served(COLUMNAR, sql_outcomes.outcome_cube, session=session, filters=filters)
    want = sql(sql_outcomes.outcome_cube, session=session, filters=filters)
    same_frame(got, want, ["year", "ecosystem_slug", "partnership_slug", "skill_area_code"])


@pytest.mark.parametrize("filters", [FILTER_CASES[0], *FILTER_CASES[2:5]])
@pytest.mark.parametrize(("by", "granularity"), MEMBER_GROUPINGS)
def test_member_counts_equal_sql(
    session: Session, filters: Filters, by: str, granularity: str
) -> None:
    assert COLUMNAR.reporting_years(session=session) == SQL.reporting_years(session=session)
    lo, hi = sql(sql_membership.resolve_years, session=session, filters=filters)
    resolved = served(COLUMNAR, sql_membership.resolve_years, session=session, filters=filters)
    assert resolved == (lo, hi)
    days = period_ends(lo, hi, granularity)  # type: ignore[arg-type]
    for name in ("active_members_at", "new_members_in"):
        kwargs = {"session": session, "filters": filters, "days": days, "by": by}
        got = getattr(COLUMNAR, name)(**kwargs)
        want = getattr(SQL, name)(**kwargs)
        same_frame(got, want, ["period", "group"])
    grid = {"session": session, "filters": filters, "by": by, "granularity": granularity}
    got = served(COLUMNAR, sql_membership.members_over_time, **grid)
    want = sql(sql_membership.members_over_time, **grid)
    same_frame(got, want, ["period", "group"])


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_active_counts_match_the_independent_expectation(
    session: Session, expected: Expected, filters: Filters
) -> None:
    days = [(str(year), date(year, 12, 31)) for year in range(2020, 2025)]
    counts = COLUMNAR.active_counts_at(session=session, filters=filters, days=days)
    by_period = counts.set_index("period")
    for label, day in days:
        members = expected.members_at(filters, day)
        if not members:
            assert label not in by_period.index
            continue
        row = by_period.loc[label]
        assert row["members"] == members
        assert row["partnerships"] == expected.partnerships_at(filters, day)
        assert row["ecosystems"] == expected.ecosystems_at(filters, day)
        assert row["countries"] == expected.countries_at(filters, day)


@pytest.mark.parametrize("filters", FILTER_CASES[:5])
def test_pact_indicators_equal_sql_for_an_officer(session: Session, filters: Filters) -> None:
    got = served(COLUMNAR, sql_outcomes.pact_indicators_by_year, session=session, filters=filters)
    want = sql(sql_outcomes.pact_indicators_by_year, session=session, filters=filters)
    # The counts are whole numbers; the SQL version makes them float when a year has none.
    same_frame(got, want, ["year"], check_dtype=False)
    assert (got[["partnerships", "ecosystems", "members", "countries"]].dtypes == "int64").all()


@pytest.mark.parametrize("partnership", ["tclf", "automotive", "health-industry", "no-such"])
@pytest.mark.parametrize("filters", FILTER_CASES[1:4])
def test_partnership_members_equal_sql(
    session: Session, filters: Filters, partnership: str
) -> None:
    year_to = filters.year_to
    assert year_to is not None
    kwargs = {"session": session, "filters": filters, "partnership": partnership}
    got = COLUMNAR.partnership_members(**kwargs, year_to=year_to)
    want = SQL.partnership_members(**kwargs, year_to=year_to)
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want)
    normal = {"nuts_code": object, "size_class": object}
    for frame in (got, want):
        for column in normal:
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    same_frame(got, want, ["role", "organisation", "joined_on"])
    listed = served(COLUMNAR, sql_membership.partnership_members, **kwargs)
    missing = served(COLUMNAR, sql_membership.members_without_report, **kwargs)
    assert len(missing) == int((listed["active"] & ~listed["reported_in_year"]).sum())


def test_a_write_is_seen_on_the_next_call(empty_engine: Engine, demo_pact: DemoPact) -> None:
    filters = Filters()
    with Session(empty_engine) as session:
        before = COLUMNAR.outcome_totals(session=session, filters=filters)
        assert before["people_trained"].item() == 0
        assert snapshot(session=session).version == 0
    with session_scope(empty_engine) as session:
        load_dataset(session=session, rows=demo_rows(demo_pact), source="demo", as_of="x")
    with Session(empty_engine) as session:
        after = COLUMNAR.outcome_totals(session=session, filters=filters)
        assert after["people_trained"].item() == sum(r.people for r in demo_pact.reports)
        assert snapshot(session=session).version == 1
        unchanged = snapshot(session=session)
        assert snapshot(session=session) is unchanged  # no reload without a write
    with session_scope(empty_engine) as session:
        record_change(session=session, source="demo", as_of="y")
    with Session(empty_engine) as session:
        assert snapshot(session=session) is not unchanged
        assert snapshot(session=session).version == 2
