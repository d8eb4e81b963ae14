"""Public figures of reported outcomes: the data layer's values equal the documented method
computed independently from the rows (tests/expected.py), and keep its promises: the same
cell always gets the same value, values are never negative, counts of people are whole and
add up, shares come from the published parts, Pact-wide headline figures are exact."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access as store
from data_access import PUBLIC, Filters
from data_access.perturbation import MAX_SHIFT, MIN_SHIFT, factors
from tests.callers import OFFICER, coordinator
from tests.expected import Expected, public_cells, public_factor, record_keys

VIEWS: list[tuple[str | None, dict[str, Any]]] = [
    (None, {}),
    ("year", {}),
    ("year", {"countries": ("DE",)}),
    ("country", {}),
    ("org_type", {"countries": ("FR", "IT")}),
    ("partnership", {"skill_areas": ("green",)}),
    ("ecosystem", {"org_types": ("sme",)}),
    ("skill_area", {"partnerships": ("automotive", "creative-pact")}),
]
COLUMNS = {
    "year": "year",
    "country": "country",
    "org_type": "org_type",
    "partnership": "partnership",
    "ecosystem": "ecosystem",
    "skill_area": "skill_area",
}


@pytest.fixture(scope="module")
def keys(demo_engine: Engine) -> dict[tuple[str, str], float]:
    return record_keys(demo_engine)


@pytest.mark.parametrize(("by", "fields"), VIEWS, ids=[f"{v[0]}-{len(v[1])}" for v in VIEWS])
def test_public_figures_equal_the_method_computed_from_the_rows(
    session: Session,
    expected: Expected,
    keys: dict[tuple[str, str], float],
    by: str | None,
    fields: dict[str, Any],
) -> None:
    filters = expected.filters(**fields)
    cells = public_cells(expected, keys, filters, by)
    df = store.outcome_totals(
        session=session, caller=PUBLIC, filters=filters, by=[by] if by else []
    )
    labels = df[COLUMNS[by]].astype(str) if by else pd.Series([""] * len(df))
    assert set(labels) == set(cells) or (not by and not cells)
    withheld = 0
    for label, (_, row) in zip(labels, df.iterrows(), strict=True):
        cell = cells[label]
        assert bool(row["suppressed"]) == cell.withheld, label
        withheld += cell.withheld
        for measure, value in cell.values.items():
            if value is None:
                assert math.isnan(row[measure]), (label, measure)
            else:
                assert row[measure] == value, (label, measure)
        if not cell.withheld:
            recorded = row["women"] + row["men"] + row["other_gender"]
            share = row["women"] / recorded if recorded else math.nan
            assert row["women_share_recorded"] == pytest.approx(share, nan_ok=True)
            assert row["reporting_organisations"] == cell.organisations


def test_the_views_above_withhold_and_perturb_something(
    session: Session, expected: Expected, keys: dict[tuple[str, str], float]
) -> None:
    """The comparison above is a test of perturbation and of the rules only if it meets both."""
    filters = expected.filters()
    cells = public_cells(expected, keys, filters, "country")
    exact = expected.outcome_cells(filters, "country")
    assert any(c.withheld for c in cells.values())
    shown = [(c, exact[label]) for label, c in cells.items() if not c.withheld]
    assert sum(c.values["people_trained"] != e["people"] for c, e in shown) >= len(shown) / 2


def test_pact_wide_headline_figures_are_exact(session: Session, expected: Expected) -> None:
    filters = expected.filters()
    df = store.outcome_totals(session=session, caller=PUBLIC, filters=filters, by=["year"])
    for _, row in df.iterrows():
        rows = [r for r in expected.reports(filters) if r.year == row["year"]]
        assert row["people_trained"] == sum(r.people for r in rows)
        assert row["women"] == sum(r.women for r in rows)


def test_callers_who_see_exact_figures_get_them(session: Session, expected: Expected) -> None:
    filters = expected.filters(countries=("DE",))
    people = expected.people(expected.reports(filters))
    officer = store.outcome_totals(session=session, caller=OFFICER, filters=filters)
    assert officer["people_trained"].iloc[0] == people
    own = expected.filters(partnerships=("creative-pact",))
    mine = store.outcome_totals(session=session, caller=coordinator("creative-pact"), filters=own)
    assert mine["people_trained"].iloc[0] == expected.people(expected.reports(own))
    public = store.outcome_totals(session=session, caller=PUBLIC, filters=filters)
    assert public["people_trained"].iloc[0] != people


def test_the_same_cell_gets_the_same_value_whatever_query_made_it(
    session: Session, expected: Expected
) -> None:
    """The cell (Germany, 2023) reached through three different queries."""
    direct = store.outcome_totals(
        session=session,
        caller=PUBLIC,
        filters=expected.filters(countries=("DE",), year_from=2023, year_to=2023),
    )
    by_year = store.outcome_totals(
        session=session, caller=PUBLIC, filters=expected.filters(countries=("DE",)), by=["year"]
    )
    by_country = store.outcome_totals(
        session=session,
        caller=PUBLIC,
        filters=expected.filters(year_from=2023, year_to=2023),
        by=["country"],
    )
    value = direct["people_trained"].iloc[0]
    assert by_year.set_index("year").loc[2023, "people_trained"] == value
    assert by_country.set_index("country_code").loc["DE", "people_trained"] == value


def test_public_values_are_whole_non_negative_and_add_up(
    session: Session, expected: Expected
) -> None:
    df = store.outcome_totals(
        session=session,
        caller=PUBLIC,
        filters=expected.filters(),
        by=["country", "skill_area"],
    )
    shown = df[~df["suppressed"]]
    assert len(shown) > 50
    people = ["people_trained", "women", "men", "other_gender", "not_recorded", "people_reached"]
    values = shown[people].to_numpy()
    assert (values >= 0).all() and (values == np.rint(values)).all()
    parts = shown[["women", "men", "other_gender", "not_recorded"]].sum(axis=1)
    assert (shown["people_trained"] == parts).all()


def test_factors_follow_the_perturbation_table() -> None:
    keys = np.random.default_rng(7).random(2_000)
    table = factors(keys)
    sizes = np.abs(table - 1.0)
    assert ((sizes >= MIN_SHIFT) & (sizes <= MAX_SHIFT)).all()
    # one direction per organisation, each direction about half of the time
    assert ((table > 1).all(axis=1) | (table < 1).all(axis=1)).all()
    assert 0.45 < (table[:, 0] > 1).mean() < 0.55
    for key, row in zip(keys[:50], table[:50], strict=True):
        assert list(row) == pytest.approx([public_factor(float(key), k) for k in range(7)])


def test_record_keys_are_never_returned(session: Session, expected: Expected) -> None:
    filters = Filters()
    for name in ("outcome_totals", "partnership_comparison", "country_summary"):
        frame = getattr(store, name)(session=session, caller=OFFICER, filters=filters)
        assert "record_key" not in frame.columns
