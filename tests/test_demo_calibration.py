"""The demo generator: deterministic, realistic, and calibrated to the public Pact figures.

Tolerances: members within 5% of the public figure, cumulative people within 3%, the
Creative Pact's 102 members at the end of 2023 exactly, women shares within 6 points.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

import data_access as store
from data_access import Filters
from data_access.reference import COUNTRIES
from fixtures.demo import (
    CALIBRATION_MEMBERS,
    CALIBRATION_PEOPLE_CUMULATIVE,
    WOMEN_SHARE,
    DemoPact,
    build_demo_pact,
)
from tests.callers import OFFICER
from tests.expected import Expected

MEMBERS_TOLERANCE = 0.05
PEOPLE_TOLERANCE = 0.03
WOMEN_TOLERANCE = 0.06  # demo shares rise one point a year from the ecosystem's base


def test_generator_is_deterministic(demo_pact: DemoPact) -> None:
    again = build_demo_pact()
    assert again.organisations == demo_pact.organisations
    assert again.memberships == demo_pact.memberships
    assert again.reports == demo_pact.reports
    assert build_demo_pact(seed=7).organisations != demo_pact.organisations


@pytest.mark.parametrize("year", sorted(CALIBRATION_MEMBERS))
def test_members_match_public_figures(expected: Expected, year: int) -> None:
    members = expected.members_at(Filters(), date(year, 12, 31))
    target = CALIBRATION_MEMBERS[year]
    assert abs(members - target) <= MEMBERS_TOLERANCE * target, members


@pytest.mark.parametrize("year", sorted(CALIBRATION_PEOPLE_CUMULATIVE))
def test_people_cumulative_match_public_figures(expected: Expected, year: int) -> None:
    people = expected.people(r for r in expected.pact.reports if r.year <= year)
    target = CALIBRATION_PEOPLE_CUMULATIVE[year]
    assert abs(people - target) <= PEOPLE_TOLERANCE * target, people


def test_store_reproduces_the_calibration(session: Session) -> None:
    df = store.pact_indicators_by_year(
        session=session, caller=OFFICER, filters=Filters(year_from=2021)
    )
    by_year = df.set_index("year")
    for year, target in CALIBRATION_PEOPLE_CUMULATIVE.items():
        assert abs(by_year.loc[year, "people_trained_cumulative"] - target) <= 0.03 * target
    for year, target in CALIBRATION_MEMBERS.items():
        assert abs(by_year.loc[year, "members"] - target) <= 0.05 * target


def test_creative_pact_has_102_members_in_2023(expected: Expected) -> None:
    creative = Filters(partnerships=("creative-pact",))
    assert expected.members_at(creative, date(2023, 12, 31)) == 102


def test_partnerships_start_at_their_launch(demo_pact: DemoPact) -> None:
    assert len([p for p in demo_pact.partnerships if p.kind == "large-scale"]) == 20
    assert len([p for p in demo_pact.partnerships if p.kind == "regional"]) >= 3
    for p in demo_pact.partnerships:
        joins = [m.joined_on for m in demo_pact.memberships if m.partnership == p.slug]
        assert min(joins) == p.launch_date
        roles = [m.role for m in demo_pact.memberships if m.partnership == p.slug]
        assert roles.count("coordinator") == 1


def test_organisations_are_realistic(demo_pact: DemoPact) -> None:
    countries = {o.country_code for o in demo_pact.organisations}
    eu = {c.code for c in COUNTRIES if c.group == "EU"}
    assert eu <= countries
    assert countries - eu, "some EEA or candidate countries"
    types = [o.org_type for o in demo_pact.organisations]
    assert 0.15 < types.count("sme") / len(types) < 0.35
    names = {(o.name, o.country_code) for o in demo_pact.organisations}
    assert len(names) == len(demo_pact.organisations)


def test_some_members_do_not_report(expected: Expected) -> None:
    for year in range(2022, 2025):
        day = date(year, 12, 31)
        active = {
            (m.partnership, m.organisation)
            for m in expected.pact.memberships
            if expected._active(m, day) and m.joined_on < date(year, 10, 1)
        }
        reported = {
            (r.partnership, r.organisation) for r in expected.pact.reports if r.year == year
        }
        missing = len(active - reported) / len(active)
        assert 0.05 < missing < 0.4


def test_women_shares_follow_the_ecosystems(expected: Expected) -> None:
    for ecosystem, share in WOMEN_SHARE.items():
        rows = expected.reports(Filters(ecosystems=(ecosystem,)))
        assert abs(expected.women_share(rows) - share) < WOMEN_TOLERANCE, ecosystem


def test_all_skill_areas_reported(demo_pact: DemoPact) -> None:
    assert {r.skill_area for r in demo_pact.reports} == {
        "basic_digital", "advanced_digital", "green", "technical", "transversal"
    }  # fmt: skip
    assert {r.year for r in demo_pact.reports} == {2021, 2022, 2023, 2024}
