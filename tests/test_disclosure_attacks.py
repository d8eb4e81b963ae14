"""Attacks on the public figures, as a person with a browser and a spreadsheet would make them
through the public API of data_access: combine views so that they isolate one organisation's
reported people up/re-skilled, and check that the best estimate still errs by at least the
protection interval of docs/disclosure.md:

    at least 10% of the organisation's value, less rounding: two people for each published
    figure of people up/re-skilled the estimate combines (four rounded parts), half a person
    for each figure of a single gender part.

Attacks: pairs and sets of views that differ by one filter value (Hypothesis draws them),
complements (all values but one), linked tables on a page (ecosystem total and its
partnerships), totals minus parts (a Pact-wide exact total minus a table's other cells),
and time series minus earlier years. For every organisation isolated, the attacker's best
estimate is the mean of every estimate the attacks gave of that same value.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

import data_access as store
from data_access import PUBLIC, Filters
from data_access.perturbation import MIN_SHIFT
from fixtures.demo import DemoReport
from tests.expected import Expected

# (organisation, what of it) -> estimates, each with the published figures it combined
Estimates = dict[tuple[int, str], list[tuple[float, int]]]


def _people(session: Session, filters: Filters) -> float:
    frame = store.outcome_totals(session=session, caller=PUBLIC, filters=filters)
    return float(frame["people_trained"].iloc[0]) if len(frame) else 0.0


def _isolated(expected: Expected, wide: Filters, narrow: Filters) -> int | None:
    """The one organisation whose rows are in `wide` and not in `narrow`, if exactly one."""
    inside = {id(r): r for r in expected.reports(narrow)}
    left = {r.organisation for r in expected.reports(wide) if id(r) not in inside}
    return left.pop() if len(left) == 1 else None


def _true(rows: Iterable[DemoReport]) -> int:
    return sum(r.people for r in rows)


def _check(expected_values: dict[tuple[int, str], int], estimates: Estimates) -> int:
    """Assert the protection interval for every isolated value; how many were isolated."""
    checked = 0
    for target, found in estimates.items():
        truth = expected_values[target]
        if truth == 0:
            continue  # nothing reported: a zero has nothing to perturb (docs/disclosure.md)
        best = sum(e for e, _ in found) / len(found)
        figures = max(n for _, n in found)
        assert abs(best - truth) >= MIN_SHIFT * truth - 2 * figures, (target, truth, best)
        checked += 1
    return checked


def _difference_attack(
    session: Session, expected: Expected, wide: Filters, narrow: Filters, what: str
) -> tuple[tuple[int, str], float, int] | None:
    organisation = _isolated(expected, wide, narrow)
    if organisation is None:
        return None
    a, b = _people(session, wide), _people(session, narrow)
    if math.isnan(a) or math.isnan(b):
        return None
    return (organisation, what), a - b, 2


def test_differencing_across_every_filter_isolates_nothing_exactly(
    session: Session, expected: Expected
) -> None:
    """For each country: the country, and the country without one organisation type (the
    complement: every other type it has); the same with partnerships and skill areas."""
    base = expected.filters()
    estimates: Estimates = defaultdict(list)
    truths: dict[tuple[int, str], int] = {}
    rows = expected.reports(base)
    countries = sorted({expected.orgs[r.organisation].country_code for r in rows})
    for country in countries:
        wide = base.__class__(**{**base.__dict__, "countries": (country,)})
        in_country = expected.reports(wide)
        types = sorted({expected.orgs[r.organisation].org_type for r in in_country})
        partnerships = sorted({r.partnership for r in in_country})
        skills = sorted({r.skill_area for r in in_country})
        dimensions = (("org_types", types), ("partnerships", partnerships), ("skill_areas", skills))
        for field, values in dimensions:
            for left_out in values:
                others = tuple(v for v in values if v != left_out)
                if not others:
                    continue
                narrow = wide.__class__(**{**wide.__dict__, field: others})
                hit = _difference_attack(session, expected, wide, narrow, f"{field}:{left_out}")
                if hit is None:
                    continue
                target, estimate, figures = hit
                inside = {id(r) for r in expected.reports(narrow)}
                truths[target] = _true(r for r in in_country if id(r) not in inside)
                estimates[target].append((estimate, figures))
    assert _check(truths, estimates) >= 20  # the attack does isolate organisations


@st.composite
def _view_pairs(draw: st.DrawFn, expected: Expected) -> tuple[Filters, Filters]:
    """Two views differing by one value of one filter (a set, then the set less one)."""
    rows = expected.reports(expected.filters())
    pools = {
        "countries": sorted({expected.orgs[r.organisation].country_code for r in rows}),
        "org_types": sorted({expected.orgs[r.organisation].org_type for r in rows}),
        "partnerships": sorted({r.partnership for r in rows}),
        "skill_areas": sorted({r.skill_area for r in rows}),
    }
    fields = {}
    for name, pool in pools.items():
        if draw(st.booleans()):
            fields[name] = tuple(
                draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True))
            )
    varied = draw(st.sampled_from(sorted(pools)))
    chosen = fields.get(varied) or tuple(pools[varied])
    removed = draw(st.sampled_from(chosen))
    year = draw(st.sampled_from([None, 2021, 2022, 2023, 2024]))
    years = {} if year is None else {"year_from": year, "year_to": year}
    wide = expected.filters(**{**fields, varied: chosen, **years})
    narrow_values = tuple(v for v in chosen if v != removed)
    if not narrow_values:
        narrow_values = tuple(v for v in pools[varied] if v != removed)
        wide = expected.filters(**{**fields, varied: (), **years})
    narrow = expected.filters(**{**fields, varied: narrow_values, **years})
    return wide, narrow


def test_random_pairs_of_views_differing_by_one_value(session: Session, expected: Expected) -> None:
    isolated: list[int] = []

    @settings(
        max_examples=80,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(pair=_view_pairs(expected))
    def attack(pair: tuple[Filters, Filters]) -> None:
        wide, narrow = pair
        hit = _difference_attack(session, expected, wide, narrow, "pair")
        if hit is None:
            return
        (organisation, _), estimate, figures = hit
        inside = {id(r) for r in expected.reports(narrow)}
        truth = _true(r for r in expected.reports(wide) if id(r) not in inside)
        if truth:
            assert abs(estimate - truth) >= MIN_SHIFT * truth - 2 * figures, (pair, truth)
            isolated.append(organisation)

    attack()
    assert isolated  # the draws did isolate organisations


def test_linked_tables_ecosystem_total_minus_its_other_partnerships(
    session: Session, expected: Expected
) -> None:
    """By ecosystem and by partnership on one page (with an organisation type filter): an
    ecosystem's total minus its other partnerships is the remaining partnership."""
    truths: dict[tuple[int, str], int] = {}
    estimates: Estimates = defaultdict(list)
    for org_type in sorted({o.org_type for o in expected.orgs.values()}):
        filters = expected.filters(org_types=(org_type,))
        by_eco = store.outcome_totals(
            session=session, caller=PUBLIC, filters=filters, by=["ecosystem"]
        )
        by_p = store.outcome_totals(
            session=session, caller=PUBLIC, filters=filters, by=["ecosystem", "partnership"]
        )
        for _, eco in by_eco.iterrows():
            parts = by_p[by_p["ecosystem_slug"] == eco["ecosystem_slug"]]
            for _, target in parts.iterrows():
                others = parts[parts["partnership_slug"] != target["partnership_slug"]]
                if math.isnan(eco["people_trained"]) or others["people_trained"].isna().any():
                    continue
                rows = [
                    r
                    for r in expected.reports(filters)
                    if r.partnership == target["partnership_slug"]
                ]
                organisations = {r.organisation for r in rows}
                if len(organisations) != 1:
                    continue
                key = (organisations.pop(), f"linked:{org_type}:{target['partnership_slug']}")
                truths[key] = _true(rows)
                estimate = eco["people_trained"] - others["people_trained"].sum()
                estimates[key].append((estimate, 1 + len(others)))
    _check(truths, estimates)


def test_pact_wide_total_minus_the_other_cells_of_a_table(
    session: Session, expected: Expected
) -> None:
    """The exact Pact-wide total minus every published cell of the by-country, type table
    leaves the withheld cells; where they hold one organisation, that is its estimate."""
    for year in (2021, 2024):
        filters = expected.filters(year_from=year, year_to=year)
        total = _people(session, filters)
        table = store.outcome_totals(
            session=session, caller=PUBLIC, filters=filters, by=["country", "org_type"]
        )
        hidden = table[table["people_trained"].isna()]
        if len(hidden) == 0:
            continue
        rows = [
            r
            for r in expected.reports(filters)
            if (expected.orgs[r.organisation].country_code, expected.orgs[r.organisation].org_type)
            in set(zip(hidden["country_code"], hidden["org_type_code"], strict=True))
        ]
        organisations = {r.organisation for r in rows}
        truth = _true(rows)
        estimate = total - table["people_trained"].sum()
        figures = 1 + int(table["people_trained"].notna().sum())
        if len(organisations) == 1 and truth:
            assert abs(estimate - truth) >= MIN_SHIFT * truth - 2 * figures
        # Many organisations stay hidden together: their sum is protected by the same factors.
        assert truth == 0 or abs(estimate - truth) > 0 or len(organisations) > 1


def test_running_totals_minus_earlier_years(session: Session, expected: Expected) -> None:
    """A country's complement pair over 2021-2024 minus the same pair over 2021-2023: the
    left-out organisation's 2024."""
    truths: dict[tuple[int, str], int] = {}
    estimates: Estimates = defaultdict(list)
    countries = sorted({o.country_code for o in expected.orgs.values()})
    for country in countries:
        late, early = (
            expected.filters(countries=(country,), year_from=2021, year_to=2024),
            expected.filters(countries=(country,), year_from=2021, year_to=2023),
        )
        rows = expected.reports(late)
        for org_type in sorted({expected.orgs[r.organisation].org_type for r in rows}):
            others = tuple(
                sorted({expected.orgs[r.organisation].org_type for r in rows} - {org_type})
            )
            if not others:
                continue
            left = [
                r
                for r in rows
                if expected.orgs[r.organisation].org_type == org_type and r.year == 2024
            ]
            organisations = {r.organisation for r in left}
            if len(organisations) != 1:
                continue
            figures = [
                _people(session, f)
                for f in (
                    late,
                    late.__class__(**{**late.__dict__, "org_types": others}),
                    early,
                    early.__class__(**{**early.__dict__, "org_types": others}),
                )
            ]
            if any(math.isnan(v) for v in figures):
                continue
            key = (organisations.pop(), f"2024:{country}:{org_type}")
            truths[key] = _true(left)
            estimates[key].append(((figures[0] - figures[1]) - (figures[2] - figures[3]), 4))
    assert _check(truths, estimates) >= 3  # the attack does isolate organisations


def test_withheld_cells_are_never_published(session: Session, expected: Expected) -> None:
    """Cells under the minimum-contributor or dominance rule show no figure, in any view."""
    filters = expected.filters()
    withheld = 0
    for by in (["country", "org_type"], ["partnership", "skill_area"], ["year", "country"]):
        people: dict[tuple[object, ...], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for r in expected.reports(filters):
            people[_cell_of(expected, r, by)][r.organisation] += r.people
        table = store.outcome_totals(session=session, caller=PUBLIC, filters=filters, by=by)
        for _, row in table.iterrows():
            found = people[tuple(row[KEY_COLUMNS[d]] for d in by)]
            total = sum(found.values())
            few = 0 < len(found) < 3
            dominated = total > 0 and max(found.values()) > 0.85 * total
            if few or dominated:
                withheld += 1
                assert bool(row["suppressed"])
                assert pd.isna(row["people_trained"]) and pd.isna(row["women"])
    assert withheld  # the views do meet both rules


KEY_COLUMNS = {
    "country": "country_code",
    "org_type": "org_type_code",
    "partnership": "partnership_slug",
    "skill_area": "skill_area_code",
    "year": "year",
}


def _cell_of(expected: Expected, r: DemoReport, by: list[str]) -> tuple[object, ...]:
    organisation = expected.orgs[r.organisation]
    keys: dict[str, object] = {
        "country": organisation.country_code,
        "org_type": organisation.org_type,
        "partnership": r.partnership,
        "skill_area": r.skill_area,
        "year": r.year,
    }
    return tuple(keys[d] for d in by)


@pytest.mark.parametrize("measure", ["women", "not_recorded"])
def test_gender_parts_of_an_isolated_organisation_are_protected(
    session: Session, expected: Expected, measure: str
) -> None:
    """The same complement attack on women and on trainees without a recorded gender."""
    checked = 0
    for country in sorted({o.country_code for o in expected.orgs.values()}):
        wide = expected.filters(countries=(country,))
        rows = expected.reports(wide)
        types = sorted({expected.orgs[r.organisation].org_type for r in rows})
        for org_type in types:
            narrow = expected.filters(
                countries=(country,), org_types=tuple(t for t in types if t != org_type)
            )
            organisation = _isolated(expected, wide, narrow)
            if organisation is None:
                continue
            a = store.outcome_totals(session=session, caller=PUBLIC, filters=wide)[measure].iloc[0]
            b = store.outcome_totals(session=session, caller=PUBLIC, filters=narrow)[measure].iloc[
                0
            ]
            truth = sum(getattr(r, measure) for r in rows if r.organisation == organisation)
            if truth and not (math.isnan(a) or math.isnan(b)):
                assert abs((a - b) - truth) >= MIN_SHIFT * truth - 1  # two figures, half each
                checked += 1
    assert checked
