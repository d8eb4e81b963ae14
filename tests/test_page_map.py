"""Tier 3, Map: members and people per country on the map and in the table equal the fixture rows."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data_access import Filters
from data_access.reference import COUNTRIES
from figures.geometry import country_names, europe_countries
from figures.map import GEOJSON_URL
from tests.conftest import REPO
from tests.expected import Expected
from tests.markdown_text import as_read
from tests.plotly_spec import numbers as _array

CASES = [
    pytest.param({"eco": "construction,digital", "from": "2023"},
                 Filters(year_from=2023, year_to=2024, ecosystems=("construction", "digital")),
                 id="ecosystems-from"),
    pytest.param({"country": "IT,ES", "skill": "green,technical"},
                 Filters(year_from=2020, year_to=2024, countries=("IT", "ES"),
                         skill_areas=("green", "technical")),
                 id="countries-skills"),
    pytest.param({"to": "2022", "type": "sme", "lsp": "automotive,tclf"},
                 Filters(year_from=2020, year_to=2022, org_types=("sme",),
                         partnerships=("automotive", "tclf")),
                 id="type-partnerships-to"),
]  # fmt: skip


def _members_by_code(expected: Expected, f: Filters) -> dict[str, int]:
    assert f.year_to is not None
    day = date(f.year_to, 12, 31)
    orgs: dict[str, set[int]] = {}
    for m in expected.memberships(f):
        if m.joined_on <= day and (m.left_on is None or m.left_on > day):
            orgs.setdefault(expected.orgs[m.organisation].country_code, set()).add(m.organisation)
    return {code: len(keys) for code, keys in orgs.items()}


def _people_by_code(expected: Expected, f: Filters) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in expected.reports(f):
        code = expected.orgs[r.organisation].country_code
        out[code] = out.get(code, 0) + r.people
    return out


def _map_values(at: AppTest) -> tuple[dict[str, float], set[str], set[str], dict[str, Any]]:
    """(value per country, zero countries, grey countries, spec) of the one map on the page."""
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    outside, zero, value = spec["data"][:3]
    for trace in (outside, zero, value):
        assert trace["type"] == "choropleth"
        assert trace["featureidkey"] == "id"
    values = dict(zip(value["locations"], _array(value["z"]), strict=True))
    return values, set(zero["locations"]), set(outside["locations"]), spec


@pytest.mark.parametrize(("params", "filters"), CASES)
def test_map_page_numbers(
    run_page: Callable[..., AppTest], expected: Expected, params: dict[str, str], filters: Filters
) -> None:
    in_scope = [c.code for c in COUNTRIES if not filters.countries or c.code in filters.countries]
    members = _members_by_code(expected, filters)
    people = _people_by_code(expected, filters)

    # default view: members at the end of the period
    at = run_page("pages/map.py", **params)
    assert not at.exception, at.exception
    values, zero, outside, spec = _map_values(at)
    assert values == {c: float(members[c]) for c in in_scope if members.get(c)}
    assert zero == {c for c in in_scope if not members.get(c)}
    assert outside == set(country_names()) - set(in_scope)
    assert f"31 December {filters.year_to}" in spec["layout"]["title"]["text"]
    _assert_small_country_dots(spec, members)
    assert "view" not in at.query_params  # the default measure is left out of the link

    # the table holds the same numbers, for both measures
    table = at.dataframe[0].value
    assert set(table["country_code"]) == set(in_scope)
    for row in table.itertuples():
        assert row.members == members.get(row.country_code, 0)
        assert row.people_trained == people.get(row.country_code, 0)

    # ?view=people: people up/re-skilled in the period
    at = run_page("pages/map.py", **params, view="people")
    assert not at.exception, at.exception
    assert at.radio(key="map_view").value == "people"
    values, zero, _, spec = _map_values(at)
    assert values == {c: float(people[c]) for c in in_scope if people.get(c)}
    assert zero == {c for c in in_scope if not people.get(c)}
    assert f"{filters.year_from}–{filters.year_to}" in spec["layout"]["title"]["text"]
    _assert_small_country_dots(spec, people)


def _assert_small_country_dots(spec: dict[str, Any], values: dict[str, int]) -> None:
    dots = spec["data"][3:]
    names = {c.name: c.code for c in COUNTRIES}
    for trace in dots:
        for name, value in zip(trace["text"], _array(trace["customdata"]), strict=True):
            assert value == values.get(names[name], 0)


def test_map_toggle_switches_measure(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/map.py")
    at.radio(key="map_view").set_value("people").run()
    assert not at.exception, at.exception
    _, _, _, spec = _map_values(at)
    assert spec["layout"]["title"]["text"].startswith("People up/re-skilled per country")
    assert at.query_params["view"] == "people"


def test_unknown_view_gives_notice(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/map.py", view="bogus")
    assert not at.exception, at.exception
    assert any("Unknown value 'bogus' for 'view'" in as_read(w.value) for w in at.warning)
    assert at.radio(key="map_view").value == "members"
    assert "view" not in at.query_params


def test_map_geometry_is_local_for_every_plotted_country(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/map.py")
    assert not at.exception, at.exception
    (chart,) = at.get("plotly_chart")
    spec = json.loads(chart.proto.spec)
    layout_geo = spec["layout"]["geo"]
    assert layout_geo["visible"] is False
    feature_ids = {f["id"] for f in europe_countries()["features"]}
    for trace in spec["data"][:3]:
        assert trace["geojson"] == GEOJSON_URL
        assert (REPO / "static" / "geo" / "europe_countries.geojson").is_file()
        assert set(trace["locations"]) <= feature_ids
    assert {"CY", "MT", "IS"} <= {c for t in spec["data"][:3] for c in t["locations"]}
    (dots,) = spec["data"][3:]
    assert dots["type"] == "scattergeo" and set(dots["text"]) == {
        "Malta",
        "Luxembourg",
        "Liechtenstein",
    }
