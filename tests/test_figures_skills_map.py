"""Tier 2, Skills delivered and Map figures: traces, plotted values, colours, treemap tree, geometry."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from plotly.colors import sample_colorscale

from data_access.reference import COUNTRIES
from figures.geometry import GEOJSON_PATH, country_names, europe_countries, label_points
from figures.map import GEOJSON_URL, OUTSIDE_COLOUR, ZERO_COLOUR, build_country_map_figure
from figures.palette import ECOSYSTEM_COLOURS, SEQUENTIAL_SCALE, SKILL_AREA_COLOURS
from figures.skills import (
    TREEMAP_SEPARATOR,
    build_people_by_ecosystem_figure,
    build_people_by_partnership_figure,
    build_people_by_skill_area_figure,
    build_programmes_investment_figure,
    build_skills_treemap_figure,
    treemap_nodes,
)

DIGITAL, GREEN, TECH = "Basic digital", "Green", "Technical / sector-specific"
CONSTRUCTION, HEALTH, TOURISM = "Construction", "Health", "Tourism"


@pytest.fixture()
def by_year_area() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "year": [2022, 2022, 2023, 2023, 2023, 2024],
            "skill_area": [DIGITAL, GREEN, DIGITAL, GREEN, TECH, TECH],
            "people_trained": [100, 250, 120, 300, 40, 77],
        }
    )


@pytest.fixture()
def leaves() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ecosystem": [CONSTRUCTION, CONSTRUCTION, CONSTRUCTION, HEALTH, HEALTH, TOURISM],
            "partnership": ["Construction", "Construction", "Alps RSP", "Health industry",
                            "Long-term care", "Tourism"],
            "skill_area": [GREEN, TECH, GREEN, DIGITAL, TECH, TECH],
            "people_trained": [500, 300, 20, 70, 900, 0],
        }
    )  # fmt: skip


def _values(values: object) -> list[float]:
    return [float(v) for v in values]  # type: ignore[attr-defined]


# -- skill areas ---------------------------------------------------------------------------
def test_skill_area_bars_stack_input_values_in_skill_colours(by_year_area: pd.DataFrame) -> None:
    fig = build_people_by_skill_area_figure(by_year_area)
    assert fig.layout.barmode == "stack"
    assert [t.name for t in fig.data] == [DIGITAL, GREEN, TECH]  # reference order of skill areas
    for trace in fig.data:
        assert trace.type == "bar"
        assert trace.marker.color == SKILL_AREA_COLOURS[trace.name]
        rows = by_year_area[by_year_area["skill_area"] == trace.name]
        assert list(trace.x) == [str(y) for y in rows["year"]]
        assert _values(trace.y) == _values(rows["people_trained"])
    assert fig.layout.yaxis.title.text == "People up/re-skilled"
    assert list(fig.layout.xaxis.categoryarray) == ["2022", "2023", "2024"]


def test_ecosystem_bars_are_horizontal_largest_on_top_in_ecosystem_colours() -> None:
    df = pd.DataFrame({"ecosystem": [HEALTH, CONSTRUCTION, TOURISM],
                       "people_trained": [900, 1200, 5]})  # fmt: skip
    fig = build_people_by_ecosystem_figure(df)
    (bar,) = fig.data
    assert bar.orientation == "h"
    assert list(bar.y) == [TOURISM, HEALTH, CONSTRUCTION]  # plotly draws the last on top
    assert _values(bar.x) == [5, 900, 1200]
    assert list(bar.marker.color) == [ECOSYSTEM_COLOURS[e] for e in bar.y]
    assert fig.layout.xaxis.title.text == "People up/re-skilled"


def test_partnership_bars_one_trace_per_ecosystem_in_its_colour() -> None:
    df = pd.DataFrame(
        {
            "partnership": ["Construction", "Long-term care", "Health industry", "Tourism"],
            "ecosystem": [CONSTRUCTION, HEALTH, HEALTH, TOURISM],
            "people_trained": [800, 900, 70, 10],
        }
    )
    fig = build_people_by_partnership_figure(df)
    assert {t.name for t in fig.data} == {CONSTRUCTION, HEALTH, TOURISM}
    plotted: dict[str, float] = {}
    for trace in fig.data:
        assert trace.orientation == "h"
        assert trace.marker.color == ECOSYSTEM_COLOURS[trace.name]
        plotted.update(zip(trace.y, _values(trace.x), strict=True))
    assert plotted == dict(zip(df["partnership"], _values(df["people_trained"]), strict=True))
    # ascending category order: the largest partnership is drawn on top
    assert list(fig.layout.yaxis.categoryarray) == [
        "Tourism", "Health industry", "Construction", "Long-term care"]  # fmt: skip
    assert fig.layout.xaxis.title.text == "People up/re-skilled"


def test_programmes_investment_reach_panels_with_units() -> None:
    df = pd.DataFrame(
        {
            "year": [2023, 2024],
            "programmes": [15_500, 48_000],
            "investment_eur_million": [160.0, 310.5],
            "people_reached": [19_000_000, 25_000_000],
        }
    )
    fig = build_programmes_investment_figure(df)
    assert len(fig.data) == 3
    columns = ["programmes", "investment_eur_million", "people_reached"]
    for trace, column in zip(fig.data, columns, strict=True):
        assert list(trace.x) == ["2023", "2024"]
        assert _values(trace.y) == _values(df[column])
    y_titles = [fig.layout[f"yaxis{i or ''}"].title.text for i in ("", 2, 3)]
    assert y_titles == ["Programmes", "EUR million", "People"]
    panel_titles = [a.text for a in fig.layout.annotations]
    assert panel_titles == ["Training programmes developed or updated", "Investment",
                            "People reached by promotion"]  # fmt: skip


# -- treemap -------------------------------------------------------------------------------
def test_treemap_tree_is_consistent_and_parents_sum_children(leaves: pd.DataFrame) -> None:
    fig = build_skills_treemap_figure(leaves)
    (tree,) = fig.data
    assert tree.type == "treemap"
    assert tree.branchvalues == "total"
    ids, parents, values = list(tree.ids), list(tree.parents), _values(tree.values)
    assert len(set(ids)) == len(ids)
    for parent in parents:
        assert parent == "" or parent in ids
    value_of = dict(zip(ids, values, strict=True))
    for node in ids:
        children = [value_of[c] for c, p in zip(ids, parents, strict=True) if p == node]
        if children:
            assert value_of[node] == sum(children)
    # leaves carry the input rows (zero rows left out), ids spell the path
    leaf_ids = [i for i in ids if i not in parents]
    positive = leaves[leaves["people_trained"] > 0]
    want = {
        TREEMAP_SEPARATOR.join((r.ecosystem, r.partnership, r.skill_area)): float(r.people_trained)
        for r in positive.itertuples()
    }
    assert {i: value_of[i] for i in leaf_ids} == want
    assert TOURISM not in ids
    assert [p for p in parents if p == ""] == ["", ""]  # two ecosystems at the top


def test_treemap_keeps_ecosystem_and_skill_area_colours(leaves: pd.DataFrame) -> None:
    fig = build_skills_treemap_figure(leaves)
    (tree,) = fig.data
    nodes = treemap_nodes(leaves)
    assert list(tree.ids) == list(nodes["id"])
    for node_id, colour in zip(tree.ids, tree.marker.colors, strict=True):
        path = node_id.split(TREEMAP_SEPARATOR)
        if len(path) == 3:
            assert colour == SKILL_AREA_COLOURS[path[2]]
        else:
            assert colour == ECOSYSTEM_COLOURS[path[0]]


# -- map -----------------------------------------------------------------------------------
@pytest.fixture()
def countries() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "country_code": ["CY", "DE", "IS", "IT", "MT", "UA"],
            "country": ["Cyprus", "Germany", "Iceland", "Italy", "Malta", "Ukraine"],
            "members": [3, 250, 0, 120, 1, 0],
            "people_trained": [900, 80_000, 0, 40_000, 50, 10],
        }
    )


def _traces(fig: go.Figure) -> dict[str, go.Choropleth]:
    assert [t.type for t in fig.data[:3]] == ["choropleth"] * 3
    return {"outside": fig.data[0], "zero": fig.data[1], "value": fig.data[2]}


@pytest.mark.parametrize("measure", ["members", "people_trained"])
def test_choropleth_plots_input_values_on_local_geometry(
    countries: pd.DataFrame, measure: str
) -> None:
    fig = build_country_map_figure(countries, value=measure, title="Members", unit="people")
    traces = _traces(fig)
    feature_ids = {f["id"] for f in europe_countries()["features"]}
    for trace in fig.data[:3]:
        assert trace.featureidkey == "id"
        assert trace.geojson == GEOJSON_URL  # the app's own copy, never another host
        assert set(trace.locations) <= feature_ids  # a feature for every location plotted
    positive = countries[countries[measure] > 0]
    zero = countries[countries[measure] == 0]
    value = traces["value"]
    assert dict(zip(value.locations, _values(value.z), strict=True)) == dict(
        zip(positive["country_code"], _values(positive[measure]), strict=True)
    )
    assert value.colorscale == go.Choropleth(colorscale=SEQUENTIAL_SCALE).colorscale
    assert list(traces["zero"].locations) == list(zero["country_code"])
    assert {c for _, c in traces["zero"].colorscale} == {ZERO_COLOUR}
    # every other country of the geometry is drawn grey for context, none twice
    outside = set(traces["outside"].locations)
    assert outside == feature_ids - set(countries["country_code"])
    assert {c for _, c in traces["outside"].colorscale} == {OUTSIDE_COLOUR}
    assert fig.layout.geo.visible is False  # no base map drawn
    # the base-layer TopoJSON plotly.js still loads is served from static/geo, not a CDN
    geo = fig.layout.geo
    assert (GEOJSON_PATH.parent / f"{geo.scope}_{geo.resolution}m.json").is_file()
    # the view holds every monitored country, Iceland and Cyprus included
    (lon_min, lon_max), (lat_min, lat_max) = (
        fig.layout.geo.lonaxis.range,
        fig.layout.geo.lataxis.range,
    )
    for code, (lon, lat) in label_points().items():
        if code in {c.code for c in COUNTRIES}:
            assert lon_min <= lon <= lon_max and lat_min <= lat <= lat_max, code


def test_small_countries_get_dots_in_the_colour_of_their_value(countries: pd.DataFrame) -> None:
    fig = build_country_map_figure(countries, value="members", title="Members", unit="people")
    (dots,) = [t for t in fig.data if t.type == "scattergeo"]
    assert list(dots.text) == ["Malta"]  # LU and LI are not in the input
    assert _values(dots.customdata) == [1.0]
    top = countries["members"].max()
    assert list(dots.marker.color) == [sample_colorscale(SEQUENTIAL_SCALE, [1 / top])[0]]
    zero = countries.assign(members=0)
    (dots,) = [t for t in build_country_map_figure(zero, value="members", title="M", unit="p").data
               if t.type == "scattergeo"]  # fmt: skip
    assert list(dots.marker.color) == [ZERO_COLOUR]


def test_map_colour_bar_names_the_unit(countries: pd.DataFrame) -> None:
    fig = build_country_map_figure(
        countries, value="members", title="Members", unit="member organisations"
    )
    assert _traces(fig)["value"].colorbar.title.text == "Member organisations"
    assert fig.layout.title.text == "Members"


def test_geometry_has_every_monitored_country_and_is_cached() -> None:
    names = country_names()
    assert {c.code for c in COUNTRIES} <= set(names)
    assert {"CY", "MT", "IS"} <= set(names)
    assert europe_countries() is europe_countries()
    assert GEOJSON_PATH.name == "europe_countries.geojson"


# -- empty input ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("build", "columns"),
    [
        (build_people_by_skill_area_figure, ["year", "skill_area", "people_trained"]),
        (build_people_by_ecosystem_figure, ["ecosystem", "people_trained"]),
        (build_people_by_partnership_figure, ["partnership", "ecosystem", "people_trained"]),
        (build_programmes_investment_figure,
         ["year", "programmes", "investment_eur_million", "people_reached"]),
        (build_skills_treemap_figure, ["ecosystem", "partnership", "skill_area", "people_trained"]),
        (lambda df: build_country_map_figure(df, value="members", title="Members per country",
                                             unit="member organisations"),
         ["country_code", "country", "members"]),
    ],
)  # fmt: skip
def test_empty_input_gives_empty_figure_with_title(build: object, columns: list[str]) -> None:
    fig = build(pd.DataFrame(columns=columns))  # type: ignore[operator]
    assert len(fig.data) == 0
    assert fig.layout.title.text
    assert fig.layout.annotations[0].text == "No data for the current filters"
