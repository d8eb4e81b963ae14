"""The faster paths behind a filter change give exactly the frames of the plain pandas ways.

rollup, peer_table, the Profile page's own comparison row, the members-over-time grid and
the member list are computed here the straightforward way (pandas groupby, merges, sorts,
a second comparison query) and compared value for value, dtype for dtype, row for row.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access.outcomes as outcomes
from data_access import PUBLIC, Filters, partnerships_table, session_scope
from data_access.columnar import COLUMNAR
from data_access.dataset import record_change
from data_access.membership import members_over_time, resolve_years
from data_access.outcomes import (
    ADDITIVE,
    MEASURE_TYPES,
    add_gender_shares,
    outcome_cube,
    own_comparison,
    partnership_comparison,
    peer_table,
    rollup,
)
from data_access.periods import period_ends
from data_access.serving import aggregates_of
from data_access.snapshot import remembered
from data_access.sql_aggregates import DIMENSION_COLUMNS
from tests.callers import OFFICER, coordinator

FILTERS = [
    Filters(),
    Filters(year_from=2021, year_to=2024),
    Filters(year_from=2022, year_to=2023, ecosystems=("health", "digital")),
    Filters(year_from=2021, year_to=2024, countries=("DE", "FR"), org_types=("sme",)),
    Filters(year_from=2023, year_to=2024, skill_areas=("green",)),
    Filters(year_from=2022, year_to=2024, countries=("ZZ",)),
]
CUBE_DIMENSIONS = ("year", "ecosystem", "partnership", "skill_area")
GROUPINGS = [c for r in range(4) for c in itertools.permutations(CUBE_DIMENSIONS, r)]


def groupby_rollup(cube: pd.DataFrame, by: tuple[str, ...]) -> pd.DataFrame:
    """rollup the plain pandas way: a sorted groupby sum on every label and key column."""
    keys = [col.name for dim in by for col in DIMENSION_COLUMNS[dim]]
    if keys:
        summed = cube.groupby(keys, sort=True)[list(ADDITIVE)].sum().reset_index()
    else:
        summed = cube[list(ADDITIVE)].sum().to_frame().T
    return add_gender_shares(summed.astype({m: MEASURE_TYPES[m] for m in ADDITIVE}))


@pytest.mark.parametrize("filters", FILTERS)
def test_rollup_equals_a_sorted_groupby(session: Session, filters: Filters) -> None:
    cube = outcome_cube(session=session, caller=OFFICER, filters=filters)
    for by in GROUPINGS:
        got = rollup(cube, by)  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(got, groupby_rollup(cube, by), check_exact=True)


def synthetic_cube(rows: int, seed: int) -> pd.DataFrame:
    """A cube with awkward values: repeated labels under different keys, unsorted rows,
    floats whose sums depend on the order and method of adding them."""
    rng = np.random.default_rng(seed)
    names = np.array(["Zeta", "alpha", "Alpha", "Äpfel", "beta"], dtype=object)
    frame: dict[str, Any] = {
        "year": rng.integers(2019, 2025, rows).astype(np.int64),
        "ecosystem": pd.Series(names[rng.integers(0, 5, rows)], dtype="str"),
        "ecosystem_slug": pd.Series(names[rng.integers(0, 2, rows)], dtype="str"),
        "partnership": pd.Series(names[rng.integers(0, 5, rows)], dtype="str"),
        "partnership_slug": pd.Series(names[rng.integers(0, 3, rows)], dtype="str"),
        "skill_area": pd.Series(names[rng.integers(0, 4, rows)], dtype="str"),
        "skill_area_code": pd.Series(names[rng.integers(0, 4, rows)], dtype="str"),
    }
    for measure in ADDITIVE:
        if measure == "investment_eur":
            scale = 10.0 ** rng.integers(0, 9, rows)
            frame[measure] = np.round(rng.random(rows) * scale, 2)
        else:
            frame[measure] = rng.integers(0, 50, rows).astype(np.int64)
    frame["women"] = np.where(rng.random(rows) < 0.2, 0, frame["women"])
    frame["men"] = np.where(frame["women"] == 0, 0, frame["men"])
    frame["other_gender"] = np.where(frame["women"] == 0, 0, frame["other_gender"])
    return pd.DataFrame(frame)


@pytest.mark.parametrize("seed", range(6))
def test_rollup_equals_a_sorted_groupby_on_awkward_cubes(seed: int) -> None:
    cube = synthetic_cube(400, seed)
    for by in GROUPINGS:
        got = rollup(cube, by)  # type: ignore[arg-type]
        pd.testing.assert_frame_equal(got, groupby_rollup(cube, by), check_exact=True)


def test_rollup_of_unusual_cubes_falls_back_to_the_same_result() -> None:
    cube = synthetic_cube(60, 7)
    missing_key = cube.copy()
    missing_key.loc[3, "partnership"] = None  # groupby drops the row: so must rollup
    empty = cube.iloc[0:0]
    floats = cube.astype({"people_reached": "float64"})
    for frame in (missing_key, empty, floats):
        for by in [(), ("partnership",), ("year", "partnership")]:
            got = rollup(frame, by)  # type: ignore[arg-type]
            pd.testing.assert_frame_equal(got, groupby_rollup(frame, by), check_exact=True)


def pandas_peer_table(comparison: pd.DataFrame, partnership: str) -> pd.DataFrame:
    """Peer medians the plain pandas way: boolean masks and Series.median."""
    peers = comparison.assign(
        people_per_member=(comparison["people_trained_last_year"] / comparison["members"]).where(
            comparison["members"] > 0
        )
    )
    this = peers[peers["slug"] == partnership]
    row = this.iloc[0]
    same = peers[peers["ecosystem"] == row["ecosystem"]]
    return pd.DataFrame.from_records(
        [
            {
                "metric": metric,
                "label": label,
                "unit": unit,
                "partnership": row[metric],
                "ecosystem_median": same[metric].median(),
                "pact_median": peers[metric].median(),
            }
            for metric, label, unit in outcomes.PEER_METRICS
        ]
    )


@pytest.mark.parametrize("caller", [OFFICER, PUBLIC, coordinator("tclf")], ids=str)
@pytest.mark.parametrize("filters", FILTERS[:5])
def test_peer_table_equals_the_pandas_medians(
    session: Session, filters: Filters, caller: Any
) -> None:
    everyone = partnership_comparison(session=session, caller=caller, filters=filters)
    assert not everyone.empty
    for slug in everyone["slug"]:
        got = peer_table(everyone, partnership=slug)
        pd.testing.assert_frame_equal(got, pandas_peer_table(everyone, slug), check_exact=True)
    assert peer_table(everyone, partnership="no-such").empty


@pytest.mark.parametrize("filters", FILTERS)
def test_own_comparison_equals_the_scoped_query_for_officers(
    session: Session, filters: Filters
) -> None:
    everyone = partnership_comparison(
        session=session, caller=OFFICER, filters=filters.without_partnerships()
    )
    partnerships = partnerships_table(session=session, caller=OFFICER)
    for slug, ecosystem in zip(partnerships["slug"], partnerships["ecosystem_slug"], strict=True):
        got = own_comparison(
            everyone, caller=OFFICER, filters=filters, partnership=slug, ecosystem=ecosystem
        )
        want = partnership_comparison(
            session=session, caller=OFFICER, filters=filters.only_partnership(slug)
        )
        assert got is not None
        if want.empty:  # the ecosystem selection leaves it out, or it launched later
            assert got.empty
        else:
            pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_own_comparison_is_queried_for_protected_views(session: Session) -> None:
    filters = Filters(year_from=2021, year_to=2024)
    for caller in (PUBLIC, coordinator("tclf")):
        everyone = partnership_comparison(
            session=session, caller=caller, filters=filters.without_partnerships()
        )
        got = own_comparison(
            everyone, caller=caller, filters=filters, partnership="tclf", ecosystem="textiles"
        )
        assert got is None


def merged_grid(session: Session, filters: Filters, by: Any, granularity: Any) -> pd.DataFrame:
    """members_over_time's grid made with a cross join and two left merges."""
    year_from, year_to = resolve_years(session=session, filters=filters)
    periods = period_ends(year_from, year_to, granularity)
    served = aggregates_of(session)
    active = served.active_members_at(session=session, filters=filters, days=periods, by=by)
    new = served.new_members_in(session=session, filters=filters, days=periods, by=by)
    groups = sorted(set(active["group"]).union(new["group"]))
    frame = pd.DataFrame(periods, columns=["period", "period_end"])
    grid = frame.merge(pd.DataFrame({"group": pd.Series(groups, dtype=object)}), how="cross")
    grid = grid.merge(active, on=["period", "group"], how="left")
    grid = grid.merge(new, on=["period", "group"], how="left")
    for column in ("members", "new_members"):
        grid[column] = grid[column].fillna(0).astype(int)
    # The grid's column types, whichever backend answered: merging the database's empty
    # frames (object columns, with PACT_COLUMNAR=off) would leave "period" an object column.
    grid = grid.astype({"period": "str", "period_end": object, "group": object})
    return grid[["period", "period_end", "group", "members", "new_members"]]


@pytest.mark.parametrize("filters", FILTERS)
@pytest.mark.parametrize(
    ("by", "granularity"),
    [("pact", "year"), ("partnership", "year"), ("country", "quarter"), ("org_type", "year")],
)
def test_members_over_time_grid_equals_the_merged_one(
    session: Session, filters: Filters, by: str, granularity: str
) -> None:
    got = members_over_time(
        session=session, caller=OFFICER, filters=filters, by=by, granularity=granularity
    )  # type: ignore[arg-type]
    want = merged_grid(session, filters, by, granularity)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


@pytest.mark.parametrize("filters", FILTERS[:4])
@pytest.mark.parametrize("partnership", ["tclf", "automotive", "no-such"])
def test_member_list_is_in_role_then_name_order_with_dates(
    session: Session, filters: Filters, partnership: str
) -> None:
    _, year_to = resolve_years(session=session, filters=filters)
    got = COLUMNAR.partnership_members(
        session=session, filters=filters, partnership=partnership, year_to=year_to
    )
    resorted = got.sort_values(["role", "organisation"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, resorted, check_exact=True)
    for column in ("joined_on", "left_on"):
        values = got[column].tolist()
        assert all(isinstance(v, date) or pd.isna(v) for v in values)
    assert got["joined_on"].notna().all()


def test_remembered_results_last_until_the_next_write(empty_engine: Engine) -> None:
    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    with Session(empty_engine) as session:
        first = remembered(session=session, name="test", compute=compute)
        again = remembered(session=session, name="test", compute=compute)
    assert (first, again, len(calls)) == (1, 1, 1)
    with session_scope(empty_engine) as session:
        record_change(session=session, source="demo", as_of="z")
    with Session(empty_engine) as session:
        assert remembered(session=session, name="test", compute=compute) == 2
