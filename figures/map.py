"""Figure of the Map page: a choropleth of Europe drawn from local geometry, no map tiles.

Layers: countries outside the selection in light grey, selected countries with zero in a light
neutral, countries with a value on the sequential scale, and dots for countries too small to
see (Malta, Luxembourg, Liechtenstein) in the same colours.
"""

from __future__ import annotations

import functools
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from figures.geometry import europe_countries, label_points
from figures.layout import (
    FigureSpec,
    empty_spec,
    figure_builder,
    house_layout_props,
    merged,
)
from figures.palette import SEQUENTIAL_SCALE
from i18n import _
from i18n.numbers import number

OUTSIDE_COLOUR = "#E6E6E6"  # neighbours and countries outside the selection
ZERO_COLOUR = "#FBF8EF"  # selected countries with nothing to show
# Country outlines: 3:1 on white, so a country in a light colour still stands out of the sea.
BORDER_COLOUR = "#8C8C8C"
ZERO_BORDER_COLOUR = "#767676"
SMALL_COUNTRIES = ("LI", "LU", "MT")
TOPOJSON_SCOPE = "europe"
TOPOJSON_RESOLUTION = 50
# Iceland to the Caucasus, the North Cape to Cyprus; the Atlantic islands fall outside.
LON_RANGE = (-25.0, 45.0)
LAT_RANGE = (33.8, 71.4)
# Served by Streamlit's static file serving (static/geo/); relative to the page, so it also
# works under a base URL path.
GEOJSON_URL = "app/static/geo/europe_countries.geojson"


def _flat(colour: str) -> list[list[Any]]:
    return [[0, colour], [1, colour]]


@functools.cache
def _stops(name: str) -> list[list[Any]]:
    """A named colour scale as the stops Plotly validates the name into, so that the
    figure's JSON is the same with or without validation (FigureSpec.to_json)."""
    return [list(stop) for stop in go.Choropleth(colorscale=name).colorscale]


def _title_case(unit: str) -> str:
    return unit[:1].upper() + unit[1:]


def _count_hover(country: str, count: str, unit: str) -> str:
    """The hover of a country: its name, the count and what is counted."""
    # Translators: {unit} is what the map counts ("member organisations", "people")
    return _("{country}: {count} {unit}").format(country=country, count=count, unit=unit) + (
        "<extra></extra>"
    )


@figure_builder
def build_country_map_figure(
    df: pd.DataFrame,
    *,
    value: str,
    title: str,
    unit: str,
    geojson_url: str = GEOJSON_URL,
) -> FigureSpec:
    """Choropleth of `value` per country; df has country_code, country and the value column.

    `unit` names the measure in the colour bar and hover ("member organisations", "people").
    Countries of the geometry that are not in df are drawn as a grey base for context. The
    traces name the geometry by its URL on the app's own server, so the browser loads (and
    caches) it once instead of receiving it inside every figure.
    """
    if df.empty:
        return empty_spec(title)
    features = {feature["id"]: feature for feature in europe_countries()["features"]}
    names = {code: f.get("properties", {}).get("name", code) for code, f in features.items()}
    shown = df[df["country_code"].isin(features)]
    outside = sorted(set(features) - set(shown["country_code"]))
    positive = shown[shown[value] > 0]
    zero = shown[shown[value] <= 0]
    top = float(positive[value].max()) if not positive.empty else 1.0

    traces: list[dict[str, Any]] = [
        {
            "type": "choropleth",
            "geojson": geojson_url,
            "featureidkey": "id",
            "locations": outside,
            "z": [0] * len(outside),
            "text": [names[code] for code in outside],
            "colorscale": _flat(OUTSIDE_COLOUR),
            "showscale": False,
            "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
            "name": _("Outside the selection"),
            "hovertemplate": _("{country}: not in the selection").format(country="%{text}")
            + "<extra></extra>",
        },
        {
            "type": "choropleth",
            "geojson": geojson_url,
            "featureidkey": "id",
            "locations": zero["country_code"],
            "z": [0] * len(zero),
            "text": zero["country"],
            "colorscale": _flat(ZERO_COLOUR),
            "showscale": False,
            "marker": {"line": {"color": ZERO_BORDER_COLOUR, "width": 0.6}},
            # Translators: {unit} is what the map counts ("member organisations", "people")
            "name": _("No {unit}").format(unit=unit),
            "hovertemplate": _count_hover("%{text}", number(0), unit),
        },
        {
            "type": "choropleth",
            "geojson": geojson_url,
            "featureidkey": "id",
            "locations": positive["country_code"],
            "z": positive[value],
            "text": positive["country"],
            "colorscale": _stops(SEQUENTIAL_SCALE),
            "zmin": 0,
            "zmax": top,
            "marker": {"line": {"color": BORDER_COLOUR, "width": 0.6}},
            "colorbar": {
                "title": {"text": _title_case(unit), "side": "top"},
                "tickformat": ",~s",
                "orientation": "h",
                "thickness": 12,
                "len": 0.6,
                "x": 0.5,
                "xanchor": "center",
                "y": 0,
                "yanchor": "top",
            },
            "name": _title_case(unit),
            "hovertemplate": _count_hover("%{text}", "%{z:,.0f}", unit),
        },
    ]
    dots = _small_country_dots(shown, value=value, unit=unit, top=top)
    if dots is not None:
        traces.append(dots)
    layout = merged(
        {
            "geo": {
                "visible": False,
                # plotly.js still loads <scope>_<resolution>m.json; static/geo/europe_50m.json
                # serves it.
                "scope": TOPOJSON_SCOPE,
                "resolution": TOPOJSON_RESOLUTION,
                "projection": {"type": "mercator"},
                "lonaxis": {"range": list(LON_RANGE)},
                "lataxis": {"range": list(LAT_RANGE)},
                "bgcolor": "rgba(0,0,0,0)",
            }
        },
        house_layout_props(title=title, height=600),
        {"margin": {"l": 0, "r": 0, "t": 50, "b": 70}, "dragmode": False},
    )
    return FigureSpec(traces, layout)


def _small_country_dots(
    shown: pd.DataFrame, *, value: str, unit: str, top: float
) -> dict[str, Any] | None:
    """Dots over the countries too small to see, coloured like the countries would be."""
    small = shown[shown["country_code"].isin(SMALL_COUNTRIES)]
    if small.empty:
        return None
    points = label_points()
    colours = [
        sample_colorscale(SEQUENTIAL_SCALE, [v / top])[0] if v > 0 else ZERO_COLOUR
        for v in small[value]
    ]
    return {
        "type": "scattergeo",
        "lon": [points[c][0] for c in small["country_code"]],
        "lat": [points[c][1] for c in small["country_code"]],
        "text": small["country"],
        "customdata": small[value],
        "mode": "markers",
        "marker": {"size": 9, "color": colours, "line": {"color": "#333333", "width": 1}},
        "name": _("Small countries"),
        "showlegend": False,
        "hovertemplate": _count_hover("%{text}", "%{customdata:,.0f}", unit),
    }
