"""Tier 1: every query function against values computed independently from the fixture rows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

import data_access as store
from data_access import Filters
from data_access.reference import ECOSYSTEMS
from tests.callers import OFFICER
from tests.expected import Expected

FILTER_CASES = [
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
]


@pytest.mark.parametrize("filters", FILTER_CASES)
def test_pact_indicators_by_year(session: Session, expected: Expected, filters: Filters) -> None:
    df = store.pact_indicators_by_year(session=session, caller=OFFICER, filters=filters).set_index(
        "year"
    )
    assert filters.year_from is not None and filters.year_to is not None
    assert list(df.index) == list(range(filters.year_from - 1, filters.year_to + 1))
    cumulative = 0
    for year in df.index:
        day = date(year, 12, 31)
        row = df.loc[year]
        assert row["members"] == expected.members_at(filters, day)
        assert row["partnerships"] == expected.partnerships_at(filters, day)
        assert row["ecosystems"] == expected.ecosystems_at(filters, day)
        assert row["countries"] == expected.countries_at(filters, day)
        rows = expected.reports(filters.with_years(year, year))
        assert row["people_trained"] == expected.people(rows)
        assert row["programmes"] == sum(r.programmes for r in rows)
        assert row["investment_eur"] == pytest.approx(sum(r.investment_eur for r in rows))
        if rows and sum(r.women + r.men + r.other_gender for r in rows):
            assert row["women_share_recorded"] == pytest.approx(expected.women_share(rows))
        if year >= filters.year_from:
            cumulative += expected.people(rows)
        assert row["people_trained_cumulative"] == cumulative


@pytest.mark.parametrize("by", ["pact", "partnership", "ecosystem", "country", "org_type"])
def test_members_over_time_by_group(session: Session, expected: Expected, by: str) -> None:
    filters = Filters(year_from=2021, year_to=2024, ecosystems=("textiles", "health", "digital"))
    df = store.members_over_time(session=session, caller=OFFICER, filters=filters, by=by)  # type: ignore[arg-type]
    for year in range(2021, 2025):
        want = expected.members_by(filters, date(year, 12, 31), by)
        got = df[(df["period"] == str(year)) & (df["members"] > 0)]
        assert dict(zip(got["group"], got["members"], strict=True)) == want


def test_new_members_per_quarter(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2022, year_to=2023, partnerships=("digital", "tourism"))
    df = store.members_over_time(
        session=session, caller=OFFICER, filters=filters, granularity="quarter"
    )
    assert len(df) == 8
    first_join: dict[int, date] = {}
    for m in expected.memberships(filters):
        first_join[m.organisation] = min(first_join.get(m.organisation, m.joined_on), m.joined_on)
    for row in df.itertuples():
        start = {1: (1, 1), 2: (4, 1), 3: (7, 1), 4: (10, 1)}[int(row.period[-1])]
        begin = date(int(row.period[:4]), *start)
        want = sum(1 for d in first_join.values() if begin <= d <= row.period_end)
        assert row.new_members == want
        assert row.members == expected.members_at(filters, row.period_end)


@pytest.mark.parametrize("by", ["year", "skill_area", "ecosystem", "partnership", "country"])
@pytest.mark.parametrize("filters", FILTER_CASES)
def test_outcome_totals(session: Session, expected: Expected, by: str, filters: Filters) -> None:
    df = store.outcome_totals(session=session, caller=OFFICER, filters=filters, by=[by])  # type: ignore[list-item]
    got = {str(k): int(v) for k, v in zip(df[by], df["people_trained"], strict=True)}
    assert got == expected.people_by(filters, by)
    assert int(df["people_trained"].sum()) == expected.people(expected.reports(filters))


def test_outcome_totals_gender_split_is_complete(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2024, year_to=2024)
    df = store.outcome_totals(session=session, caller=OFFICER, filters=filters)
    rows = expected.reports(filters)
    row = df.iloc[0]
    assert row["not_recorded"] == sum(r.not_recorded for r in rows)
    assert (
        row["women"] + row["men"] + row["other_gender"] + row["not_recorded"]
        == row["people_trained"]
    )
    assert row["reporting_organisations"] == len({r.organisation for r in rows})
    assert row["women_share_recorded"] == pytest.approx(expected.women_share(rows))


def test_partnership_comparison(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2022, year_to=2024, countries=("DE", "IT", "ES"))
    df = store.partnership_comparison(session=session, caller=OFFICER, filters=filters).set_index(
        "slug"
    )
    assert set(df.index) == {p.slug for p in expected.pact.partnerships}
    for slug in ("automotive", "creative-pact", "rsp-styria", "long-term-care"):
        one = filters.only_partnership(slug)
        row = df.loc[slug]
        assert row["members"] == expected.members_at(one, date(2024, 12, 31))
        assert row["members_prev"] == expected.members_at(one, date(2023, 12, 31))
        assert row["people_trained"] == expected.people(expected.reports(one))
        last = expected.reports(one.with_years(2024, 2024))
        assert row["people_trained_last_year"] == expected.people(last)
    automotive = df.loc["automotive"]
    assert automotive["annual_pledge"] == 700_000
    assert automotive["pledge_progress"] == pytest.approx(
        automotive["people_trained_last_year"] / 700_000
    )
    tclf = df.loc["tclf"]
    assert tclf["annual_pledge"] == pytest.approx(0.05 * 2_300_000)
    assert pd_isna(df.loc["agri-food"]["pledge_progress"])


def pd_isna(value: object) -> bool:
    return value != value  # NaN is the only value unequal to itself


def test_peer_comparison(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2021, year_to=2024)
    df = store.peer_comparison(
        session=session, caller=OFFICER, filters=filters, partnership="long-term-care"
    )
    df = df.set_index("metric")
    day = date(2024, 12, 31)
    members = {
        p.slug: expected.members_at(filters.only_partnership(p.slug), day)
        for p in expected.pact.partnerships
        if p.launch_date <= day
    }
    assert df.loc["members", "partnership"] == members["long-term-care"]
    health = [p.slug for p in expected.pact.partnerships if p.ecosystem == "health"]
    health_members = sorted(members[s] for s in health)
    assert df.loc["members", "ecosystem_median"] == pytest.approx(_median(health_members))
    assert df.loc["members", "pact_median"] == pytest.approx(_median(sorted(members.values())))


def _median(values: list[int]) -> float:
    n = len(values)
    mid = n // 2
    return float(values[mid]) if n % 2 else (values[mid - 1] + values[mid]) / 2


def test_country_summary(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2023, year_to=2024, ecosystems=("construction",))
    df = store.country_summary(session=session, caller=OFFICER, filters=filters).set_index(
        "country"
    )
    want_members = expected.members_by(filters, date(2024, 12, 31), "country")
    want_people = expected.people_by(filters, "country")
    for country, row in df.iterrows():
        assert row["members"] == want_members.get(str(country), 0)
        assert row["people_trained"] == want_people.get(str(country), 0)
    assert len(df) == 38


def test_partnership_members_and_non_reporters(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2021, year_to=2023)
    df = store.partnership_members(
        session=session, caller=OFFICER, filters=filters, partnership="creative-pact"
    )
    day = date(2023, 12, 31)
    memberships = [
        m
        for m in expected.pact.memberships
        if m.partnership == "creative-pact" and m.joined_on <= day
    ]
    assert len(df) == len(memberships)
    active = {m.organisation for m in memberships if expected._active(m, day)}
    assert int(df["active"].sum()) == len(active) == 102
    reported = {
        r.organisation
        for r in expected.pact.reports
        if r.partnership == "creative-pact" and r.year == 2023
    }
    missing = store.members_without_report(
        session=session, caller=OFFICER, filters=filters, partnership="creative-pact"
    )
    want_missing = {expected.orgs[o].name for o in active - reported}
    assert set(missing["organisation"]) == want_missing
    assert len(want_missing) > 0
    # Organisations that opted out of the public directory are listed here, marked.
    unlisted = {
        (expected.orgs[m.organisation].name, expected.orgs[m.organisation].country_code)
        for m in memberships
        if not expected.orgs[m.organisation].listed
    }
    marked = df[~df["listed"]]
    assert set(zip(marked["organisation"], marked["country_code"], strict=True)) == unlisted
    assert unlisted
    assert "listed" in missing.columns


def test_partnership_launches(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2021, year_to=2022, ecosystems=("health", "textiles"))
    df = store.partnership_launches(session=session, caller=OFFICER, filters=filters)
    want = {
        p.slug
        for p in expected.pact.partnerships
        if p.ecosystem in ("health", "textiles") and p.launch_date.year <= 2022
    }
    assert set(df["slug"]) == want


def test_filter_options_and_years(session: Session) -> None:
    options = store.filter_options(session=session, caller=OFFICER)
    assert len(options.ecosystems) == 14
    assert len(options.partnerships) == 26
    assert (options.first_year, options.last_year) == (2020, 2024)
    assert store.resolve_years(session=session, filters=Filters()) == (2020, 2024)


def test_dataset_state_marks_demo(session: Session) -> None:
    state = store.dataset_state(session=session)
    assert state.is_demo and state.version >= 1 and state.as_of == "2024-12-31"


@pytest.mark.parametrize(
    "by",
    [(), ("year",), ("skill_area",), ("ecosystem", "partnership"), ("year", "ecosystem"),
     ("ecosystem", "partnership", "skill_area")],
)  # fmt: skip
@pytest.mark.parametrize("filters", FILTER_CASES)
def test_rollup_of_cube_equals_direct_totals(
    session: Session, expected: Expected, filters: Filters, by: tuple[str, ...]
) -> None:
    cube = store.outcome_cube(session=session, caller=OFFICER, filters=filters)
    rolled = store.rollup(cube, by)  # type: ignore[arg-type]
    direct = store.outcome_totals(session=session, caller=OFFICER, filters=filters, by=by)  # type: ignore[arg-type]
    direct = direct.drop(columns=["reporting_organisations"])
    pd.testing.assert_frame_equal(
        rolled.reset_index(drop=True)[direct.columns], direct.reset_index(drop=True), rtol=1e-9
    )
    assert int(rolled["people_trained"].sum()) == expected.people(expected.reports(filters))


def test_partnerships_table_turns_every_pledge_form_into_people_a_year(
    session: Session, expected: Expected
) -> None:
    df = store.partnerships_table(session=session, caller=OFFICER).set_index("slug")
    assert set(df.index) == {p.slug for p in expected.pact.partnerships}
    by_slug = {p.slug: p for p in expected.pact.partnerships}
    workforce = {e.slug: e.workforce for e in ECOSYSTEMS}
    for slug, seed in by_slug.items():
        row = df.loc[slug]
        assert row["launch_date"] == seed.launch_date
        assert row["ecosystem_slug"] == seed.ecosystem
        if seed.pledge_people_per_year is not None:
            want: float | None = seed.pledge_people_per_year
        elif seed.pledge_workforce_share is not None:
            want = seed.pledge_workforce_share * workforce[seed.ecosystem]
        elif seed.pledge_people_total is not None and seed.pledge_target_year is not None:
            want = seed.pledge_people_total / (seed.pledge_target_year - seed.launch_date.year + 1)
        else:
            want = None
        if want is None:
            assert pd_isna(row["annual_pledge"]), slug
        else:
            assert row["annual_pledge"] == pytest.approx(want), slug
