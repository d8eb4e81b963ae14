"""Role scoping in the data layer: what every query function gives each role.

Expected values come from tests/expected.py (plain Python over the demo rows); what must be
hidden is decided here from those rows, independently of data_access.disclosure.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access as store
from data_access import PUBLIC, AccessDenied, Caller, Filters
from tests.callers import ADMIN, OFFICER, coordinator
from tests.expected import Expected, public_cells, record_keys

OWN, OTHER = "creative-pact", "automotive"
MIN_ORGS = 3

# Reads that describe the store rather than anyone's data take no caller.
NO_CALLER = {"dataset_state", "resolve_years", "create_schema", "session_scope", "record_change"}


def test_every_exported_read_takes_the_caller() -> None:
    for name in store.__all__:
        fn = getattr(store, name)
        if not inspect.isfunction(fn) or name in NO_CALLER:
            continue
        params = inspect.signature(fn).parameters
        if "session" in params:
            assert "caller" in params, f"{name} reads the store without a caller"
            assert params["caller"].kind is inspect.Parameter.KEYWORD_ONLY


@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        (PUBLIC, False),
        (coordinator(OTHER), False),
        (coordinator(OWN), True),
        (coordinator(OTHER, OWN), True),
        (OFFICER, True),
        (ADMIN, True),
    ],
    ids=["public", "coordinator-of-other", "coordinator", "coordinator-of-two", "officer", "admin"],
)
@pytest.mark.parametrize("query", [store.partnership_members, store.members_without_report])
def test_member_level_data_only_for_who_may_see_it(
    session: Session, expected: Expected, caller: Caller, allowed: bool, query: Any
) -> None:
    filters = expected.filters()
    if not allowed:
        with pytest.raises(AccessDenied):
            query(session=session, caller=caller, filters=filters, partnership=OWN)
        return
    df = query(session=session, caller=caller, filters=filters, partnership=OWN)
    assert len(df) > 0


@pytest.mark.parametrize(
    "filters_for",
    [
        lambda e: e.filters(partnerships=(OTHER,)),  # a crafted URL naming another partnership
        lambda e: e.filters(partnerships=(OWN, OTHER)),
        lambda e: e.filters(),
    ],
    ids=["other", "own-and-other", "everything"],
)
def test_coordinator_outside_own_partnership_gets_the_cube_refused(
    session: Session, expected: Expected, filters_for: Any
) -> None:
    with pytest.raises(AccessDenied):
        store.outcome_cube(session=session, caller=coordinator(OWN), filters=filters_for(expected))
    with pytest.raises(AccessDenied):
        store.outcome_cube(session=session, caller=PUBLIC, filters=filters_for(expected))


SMALL_VIEWS = [
    ("partnership", {"countries": ("MT", "LU", "CY", "EE")}),
    ("country", {"partnerships": (OWN,)}),
    ("ecosystem", {"org_types": ("public_authority",), "countries": ("PT",)}),
    ("skill_area", {"partnerships": (OWN,), "countries": ("IT",)}),
    ("year", {"partnerships": (OWN,), "countries": ("BE",)}),
]


@pytest.mark.parametrize(("by", "fields"), SMALL_VIEWS, ids=[v[0] for v in SMALL_VIEWS])
def test_public_outcomes_withhold_small_cells_and_perturb_the_others(
    session: Session, demo_engine: Engine, expected: Expected, by: str, fields: dict[str, Any]
) -> None:
    filters = expected.filters(**fields)
    cells = public_cells(expected, record_keys(demo_engine), filters, by)
    df = store.outcome_totals(session=session, caller=PUBLIC, filters=filters, by=[by])
    df["label"] = df[by].astype(str)
    assert set(df["label"]) == set(cells)
    for _, row in df.iterrows():
        cell = cells[row["label"]]
        if 0 < cell.organisations < MIN_ORGS:
            assert cell.withheld
        assert bool(row["suppressed"]) == cell.withheld
        for column in ("people_trained", "women"):
            value = cell.values[column]
            assert math.isnan(row[column]) if value is None else row[column] == value
        if cell.withheld:
            assert math.isnan(row["women_share_recorded"])


def test_the_small_views_do_hide_something(session: Session, expected: Expected) -> None:
    """The views above are only a test of withholding if they contain small cells."""
    hidden = 0
    for by, fields in SMALL_VIEWS:
        filters = expected.filters(**fields)
        df = store.outcome_totals(session=session, caller=PUBLIC, filters=filters, by=[by])
        hidden += int(df["suppressed"].sum())
    assert hidden >= len(SMALL_VIEWS)


QUERIES_BY_FILTER = [
    ("pact_indicators_by_year", {}),
    ("members_over_time", {"by": "country"}),
    ("outcome_totals", {"by": ["country"]}),
    ("partnership_comparison", {}),
    ("country_summary", {}),
]


@pytest.mark.parametrize(
    ("name", "kwargs"), QUERIES_BY_FILTER, ids=[q[0] for q in QUERIES_BY_FILTER]
)
def test_coordinator_sees_own_partnership_exactly_and_others_protected(
    session: Session, expected: Expected, name: str, kwargs: dict[str, Any]
) -> None:
    query = getattr(store, name)
    own = expected.filters(partnerships=(OWN,))
    exact = query(session=session, caller=OFFICER, filters=own, **kwargs)
    mine = query(session=session, caller=coordinator(OWN), filters=own, **kwargs)
    pd.testing.assert_frame_equal(mine, exact)

    other = expected.filters(partnerships=(OWN, OTHER))
    as_coordinator = query(session=session, caller=coordinator(OWN), filters=other, **kwargs)
    as_public = query(session=session, caller=PUBLIC, filters=other, **kwargs)
    pd.testing.assert_frame_equal(as_coordinator, as_public)


@pytest.mark.parametrize(
    ("name", "kwargs"), QUERIES_BY_FILTER, ids=[q[0] for q in QUERIES_BY_FILTER]
)
def test_officer_and_admin_see_everything_unsuppressed(
    session: Session, expected: Expected, name: str, kwargs: dict[str, Any]
) -> None:
    query = getattr(store, name)
    filters = expected.filters(countries=("MT", "LU"))
    officer = query(session=session, caller=OFFICER, filters=filters, **kwargs)
    admin = query(session=session, caller=ADMIN, filters=filters, **kwargs)
    pd.testing.assert_frame_equal(officer, admin)
    numeric = officer.select_dtypes("number").drop(
        columns=[c for c in officer if any(k in c for k in ("share", "pct", "pledge"))],
        errors="ignore",
    )
    assert not numeric.isna().any().any()
    assert "suppressed" not in officer or not officer["suppressed"].any()


def test_public_member_counts_are_exact(session: Session, expected: Expected) -> None:
    """Membership is public (the Pact publishes its member lists): small counts are shown."""
    from datetime import date

    filters = expected.filters(partnerships=(OWN,))
    df = store.members_over_time(session=session, caller=PUBLIC, filters=filters, by="country")
    last = df[df["period"] == str(filters.year_to)]
    want = expected.members_by(filters, date(filters.year_to or 0, 12, 31), "country")
    assert any(0 < n < MIN_ORGS for n in want.values())
    assert dict(zip(last["group"], last["members"], strict=True)) == {
        g: n for g, n in want.items() if n
    } | {g: 0 for g in last["group"] if not want.get(g)}
    indicators = store.pact_indicators_by_year(
        session=session,
        caller=PUBLIC,
        filters=expected.filters(partnerships=(OWN,), countries=("MT",)),
    )
    for _, row in indicators.iterrows():
        small = expected.filters(partnerships=(OWN,), countries=("MT",))
        assert row["members"] == expected.members_at(small, date(int(row["year"]), 12, 31))


def test_public_peer_medians_use_only_published_values(
    session: Session, expected: Expected
) -> None:
    filters = expected.filters(countries=("MT", "LU", "CY"))
    everyone = store.partnership_comparison(session=session, caller=PUBLIC, filters=filters)
    peers = store.peer_table(everyone, partnership=OWN).set_index("metric")
    published = everyone["people_trained_last_year"].dropna()
    assert peers.loc["people_trained_last_year", "pact_median"] == published.median()


def test_filters_cannot_be_widened_by_a_caller_object() -> None:
    """Caller is frozen: a page cannot promote itself."""
    with pytest.raises(AttributeError):
        PUBLIC.role = store.Role.ADMIN  # type: ignore[misc]
    assert not PUBLIC.unsuppressed_for(Filters(partnerships=(OWN,)))
    assert not coordinator(OWN).unsuppressed_for(Filters())
    assert coordinator(OWN).unsuppressed_for(Filters(partnerships=(OWN,)))


def test_only_the_data_layer_uses_its_unscoped_building_blocks() -> None:
    """The columnar cache and the *_sql functions return unscoped rows: nothing outside
    data_access may call them, so every read by a page goes through a scoped query."""
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    unscoped = ("columnar", "_sql(", "active_members_at", "new_members_in", "active_counts_at")
    offenders = []
    for folder in ("pages", "ui", "presenter", "figures"):
        for path in (repo / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            offenders += [f"{path.name}: {word}" for word in unscoped if word in text]
    offenders += [
        f"dashboard.py: {word}"
        for word in unscoped
        if word in (repo / "dashboard.py").read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
