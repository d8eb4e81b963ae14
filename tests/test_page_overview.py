"""Tier 3, Overview: KPI tiles equal independently computed values under URL-set filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data_access import Filters
from tests.expected import Expected
from tests.plotly_spec import chart_titled, numbers

CASES = [
    pytest.param({"from": "2022", "to": "2024", "eco": "health,digital"},
                 Filters(year_from=2022, year_to=2024, ecosystems=("health", "digital")),
                 id="ecosystems"),
    pytest.param({"to": "2023", "country": "DE,PL", "type": "sme,vet_provider"},
                 Filters(year_from=2020, year_to=2023, countries=("DE", "PL"),
                         org_types=("sme", "vet_provider")),
                 id="countries-types"),
    pytest.param({"lsp": "automotive,tclf", "skill": "green"},
                 Filters(year_from=2020, year_to=2024, partnerships=("automotive", "tclf"),
                         skill_areas=("green",)),
                 id="partnerships-skill"),
]  # fmt: skip


def _metric(at: AppTest, label_start: str) -> tuple[str, str]:
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return metric.value, metric.proto.body
    raise AssertionError(f"no metric {label_start!r}")


def _people(value: int) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f}M".replace(".00M", "M")
    if value >= 100_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"


@pytest.mark.parametrize(("params", "filters"), CASES)
def test_overview_kpis(
    run_page: Callable[..., AppTest], expected: Expected, params: dict[str, str], filters: Filters
) -> None:
    at = run_page("pages/overview.py", **params)
    assert not at.exception
    assert filters.year_to is not None and filters.year_from is not None
    end, prev = date(filters.year_to, 12, 31), date(filters.year_to - 1, 12, 31)
    year = filters.year_to
    assert (
        _metric(at, f"Member organisations, end {year}")[0]
        == f"{expected.members_at(filters, end):,}"
    )
    assert (
        _metric(at, f"Partnerships, end {year}")[0] == f"{expected.partnerships_at(filters, end):,}"
    )
    assert (
        _metric(at, f"Ecosystems covered, end {year}")[0]
        == f"{expected.ecosystems_at(filters, end):,}"
    )
    assert _metric(at, f"Countries, end {year}")[0] == f"{expected.countries_at(filters, end):,}"
    members_delta = expected.members_at(filters, end) - expected.members_at(filters, prev)
    deltas = {m.label: m.proto.delta for m in at.metric}
    assert deltas[f"Member organisations, end {year}"] == f"{members_delta:+,} on {year - 1}"

    people = expected.people(expected.reports(filters))
    value, _ = _metric(at, f"People up/re-skilled, {filters.year_from}–{year}")
    assert value == _people(people)
    last = expected.reports(filters.with_years(year, year))
    assert deltas[f"People up/re-skilled, {filters.year_from}–{year}"] == (
        f"+{_people(expected.people(last))} in {year}"
    )
    share, _ = _metric(at, f"Women among trainees, {year}")
    assert share == f"{expected.women_share(last):.1%}"

    bars = chart_titled(at, "Member organisations at the end of each year")["data"][0]
    want = [expected.members_at(filters, date(int(y), 12, 31)) for y in bars["x"]]
    assert numbers(bars["y"]) == want
    people = chart_titled(at, "People up/re-skilled each year")["data"]
    years = [int(y) for y in people[0]["x"]]
    per_year = [expected.people(expected.reports(filters.with_years(y, y))) for y in years]
    assert numbers(people[0]["y"]) == per_year
    cumulative = [sum(per_year[: i + 1]) for i in range(len(per_year))]
    assert numbers(people[1]["y"]) == cumulative
