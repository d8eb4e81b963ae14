"""Tier 3, Partnerships and Partnership profile: shown numbers equal independent values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from data_access import Filters
from tests.expected import Expected
from tests.markdown_text import as_read
from tests.plotly_spec import chart_titled, numbers

TABLE_CASES = [
    pytest.param({"from": "2022", "eco": "health,textiles,digital"},
                 Filters(year_from=2022, year_to=2024, ecosystems=("health", "textiles", "digital")),
                 id="ecosystems"),
    pytest.param({"to": "2023", "country": "FR,BE", "type": "vet_provider,sme"},
                 Filters(year_from=2020, year_to=2023, countries=("FR", "BE"),
                         org_types=("vet_provider", "sme")),
                 id="countries-types"),
]  # fmt: skip


@pytest.mark.parametrize(("params", "filters"), TABLE_CASES)
def test_partnerships_table(
    run_page: Callable[..., AppTest], expected: Expected, params: dict[str, str], filters: Filters
) -> None:
    at = run_page("pages/partnerships.py", **params)
    assert not at.exception
    table = at.dataframe[0].value.set_index("slug")
    assert filters.year_to is not None
    end, prev = date(filters.year_to, 12, 31), date(filters.year_to - 1, 12, 31)
    launched = {
        p.slug
        for p in expected.pact.partnerships
        if p.launch_date <= end and (not filters.ecosystems or p.ecosystem in filters.ecosystems)
    }
    assert set(table.index) == launched
    for slug in launched:
        one = filters.only_partnership(slug)
        row = table.loc[slug]
        assert row["members"] == expected.members_at(one, end), slug
        assert row["member_growth"] == expected.members_at(one, end) - expected.members_at(
            one, prev
        )
        assert row["people_trained"] == expected.people(expected.reports(one)), slug
        last = expected.reports(one.with_years(filters.year_to, filters.year_to))
        assert row["people_trained_last_year"] == expected.people(last)
        if last and sum(r.women + r.men + r.other_gender for r in expected.reports(one)):
            assert row["women_share_recorded"] == pytest.approx(
                expected.women_share(expected.reports(one))
            )
        assert f"p={slug}" in row["profile"]
        for name, value in params.items():
            assert f"{name}={value}" in row["profile"]


@pytest.mark.parametrize(
    ("params", "slug", "filters"),
    [
        pytest.param({"p": "creative-pact", "to": "2023"}, "creative-pact",
                     Filters(year_from=2020, year_to=2023), id="creative-2023"),
        pytest.param({"p": "automotive", "country": "DE,IT,ES"}, "automotive",
                     Filters(year_from=2020, year_to=2024, countries=("DE", "IT", "ES")),
                     id="automotive-countries"),
    ],
)  # fmt: skip
def test_profile_numbers(
    run_page: Callable[..., AppTest],
    expected: Expected,
    params: dict[str, str],
    slug: str,
    filters: Filters,
) -> None:
    at = run_page("pages/profile.py", **params)
    assert not at.exception
    assert at.selectbox(key="profile_partnership").value == slug
    one = filters.only_partnership(slug)
    assert filters.year_to is not None
    year = filters.year_to
    end = date(year, 12, 31)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[f"Members, end {year}"] == f"{expected.members_at(one, end):,}"
    last = expected.reports(one.with_years(year, year))
    assert metrics["Women among trainees"] == f"{expected.women_share(expected.reports(one)):.1%}"
    if slug == "creative-pact":
        assert metrics[f"Members, end {year}"] == "102"
        assert metrics[f"Pledge progress, {year}"] == "–"
    else:
        progress = expected.people(last) / 700_000
        assert metrics[f"Pledge progress, {year}"] == f"{progress:.0%}"

    growth = chart_titled(at, "Members at the end of each period")
    periods = list(growth["data"][1]["x"])
    want = [expected.members_at(one, date(int(p), 12, 31)) for p in periods]
    assert numbers(growth["data"][1]["y"]) == want

    active = {m.organisation for m in expected.memberships(one) if expected._active(m, end)}
    reported = {r.organisation for r in last}
    missing = at.dataframe[0].value
    assert set(missing["organisation"]) == {expected.orgs[o].name for o in active - reported}
    headers = " ".join(h.value for h in at.header)
    assert f"Not reported for {year}: {len(active - reported)} of {len(active)} members" in headers


def test_profile_unknown_partnership_in_url(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/profile.py", p="nope")
    assert not at.exception
    assert any("Unknown partnership 'nope'" in as_read(w.value) for w in at.warning)
    assert at.query_params["p"] != "nope"


def test_profile_offers_only_partnerships_of_the_filtered_ecosystems(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    at = run_page("pages/profile.py", eco="health,digital")
    assert not at.exception
    picker = at.selectbox(key="profile_partnership")
    want = {p.slug for p in expected.pact.partnerships if p.ecosystem in ("health", "digital")}
    assert set(picker.options) == {
        p.short_name for p in expected.pact.partnerships if p.slug in want
    }
    assert picker.value in want


def test_pledge_tab_plots_each_year_against_its_pledge(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    """The Pledge tab's bars: the last year's people up/re-skilled over the annual pledge, for
    the partnerships that pledged a number of people a year (the other pledges are turned
    into a yearly number by rules of their own)."""
    at = run_page("pages/partnerships.py", chart="pledge")
    assert not at.exception, at.exception
    (bars,) = chart_titled(at, "People up/re-skilled in the year against the annual pledge")["data"]
    plotted = dict(zip(bars["y"], numbers(bars["x"]), strict=True))
    filters = Filters(year_from=2020, year_to=2024)
    per_year = [p for p in expected.pact.partnerships if p.pledge_people_per_year]
    assert per_year
    for p in per_year:
        last = expected.reports(filters.only_partnership(p.slug).with_years(2024, 2024))
        assert plotted[p.short_name] == pytest.approx(
            100 * expected.people(last) / p.pledge_people_per_year
        ), p.slug
