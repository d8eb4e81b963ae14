"""Slide charts as inline SVG: bars and a map of Europe, drawn without any script or host.

Text and axes use the theme's colours through CSS (currentColor and classes), so one SVG
serves the dark, light and high-contrast themes, on a projector and on a phone.
"""

from __future__ import annotations

import math
from functools import lru_cache
from html import escape
from itertools import pairwise

from plotly.colors import sample_colorscale

from figures.geometry import europe_countries, label_points
from figures.map import LAT_RANGE, LON_RANGE, SMALL_COUNTRIES
from figures.palette import SEQUENTIAL_SCALE
from i18n import _
from presenter.content import Bars, CountryMap
from views import format as fmt

WIDTH = 400  # viewBox width: near a phone's width, so 13-unit text stays readable there


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _desc(chart: Bars) -> str:
    pairs = "; ".join(
        f"{label}: {text}" for label, text in zip(chart.labels, chart.texts, strict=True)
    )
    if not pairs:
        return escape(_("{title}. No data.").format(title=chart.title))
    return escape(_("{title}. {values}.").format(title=chart.title, values=pairs))


def bars_svg(chart: Bars, *, chart_id: str) -> str:
    """A bar chart: vertical bars per year, or horizontal bars with the label above each."""
    if not chart.values:
        empty = _("{title}: nothing to show for these filters.").format(title=chart.title)
        return f'<p class="empty">{escape(empty)}</p>'
    return _horizontal(chart, chart_id) if chart.horizontal else _vertical(chart, chart_id)


def _vertical(chart: Bars, chart_id: str) -> str:
    height, top, bottom, side = 230, 24, 26, 6
    n = len(chart.values)
    band = (WIDTH - 2 * side) / n
    bar = min(band * 0.7, 70)
    peak = max(chart.values) or 1.0
    scale = (height - top - bottom) / peak
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-d">{_desc(chart)}</desc>',
        f'<line class="axis" x1="{side}" x2="{WIDTH - side}" y1="{height - bottom}" '
        f'y2="{height - bottom}"/>',
    ]
    for i, (label, value, text, colour) in enumerate(
        zip(chart.labels, chart.values, chart.texts, chart.colours, strict=True)
    ):
        x = side + band * i + (band - bar) / 2
        h = max(value * scale, 1.0 if value > 0 else 0.0)
        y = height - bottom - h
        centre = x + bar / 2
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(bar)}" height="{_n(h)}" fill="{colour}"/>'
            f'<text class="value" x="{_n(centre)}" y="{_n(y - 5)}" text-anchor="middle">'
            f"{escape(text)}</text>"
            f'<text class="tick" x="{_n(centre)}" y="{height - bottom + 17}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _horizontal(chart: Bars, chart_id: str) -> str:
    row, top, side, room = 38, 6, 4, 64  # room: space right of the longest bar for its value
    n = len(chart.values)
    height = top + row * n + (18 if chart.share else 4)
    peak = 1.0 if chart.share else (max(chart.values) or 1.0)
    span = WIDTH - 2 * side - room
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-d">{_desc(chart)}</desc>',
    ]
    for i, (label, value, text, colour) in enumerate(
        zip(chart.labels, chart.values, chart.texts, chart.colours, strict=True)
    ):
        y = top + row * i
        w = max(value / peak * span, 1.0 if value > 0 else 0.0)
        parts.append(
            f'<text class="label" x="{side}" y="{y + 13}">{escape(_shorten(label))}</text>'
            f'<rect class="track" x="{side}" y="{y + 18}" width="{_n(span)}" height="14"/>'
            f'<rect x="{side}" y="{y + 18}" width="{_n(w)}" height="14" fill="{colour}"/>'
            f'<text class="value" x="{_n(side + w + 5)}" y="{y + 30}">{escape(text)}</text>'
        )
    if chart.share:
        x = side + 0.5 * span
        bottom = top + row * n
        parity = escape(_("parity {share}").format(share=fmt.share(0.5, 0)))
        parts.append(
            f'<line class="parity" x1="{_n(x)}" x2="{_n(x)}" y1="{top + 14}" y2="{bottom}"/>'
            f'<text class="tick" x="{_n(x)}" y="{bottom + 14}" text-anchor="middle">'
            f"{parity}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _shorten(label: str, limit: int = 48) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


# -- the map -------------------------------------------------------------------------------
def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


_X0, _X1 = math.radians(LON_RANGE[0]), math.radians(LON_RANGE[1])
_Y_TOP, _Y_BOTTOM = _mercator(LAT_RANGE[1]), _mercator(LAT_RANGE[0])
_SCALE = WIDTH / (_X1 - _X0)
MAP_HEIGHT = round((_Y_TOP - _Y_BOTTOM) * _SCALE)


def _project(lon: float, lat: float) -> tuple[float, float]:
    return (math.radians(lon) - _X0) * _SCALE, (_Y_TOP - _mercator(lat)) * _SCALE


def _ring_path(ring: list[list[float]], tolerance: float) -> str:
    points = [_project(lon, lat) for lon, lat in ring]
    kept = [points[0]]
    for point in points[1:]:
        last = kept[-1]
        if abs(point[0] - last[0]) + abs(point[1] - last[1]) >= tolerance:
            kept.append(point)
    if len(kept) < 3:
        return ""
    area = abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise([*kept, kept[0]])))
    if area < 2.0:  # islands smaller than a couple of pixels on a phone
        return ""
    head = f"M{_n(kept[0][0])} {_n(kept[0][1])}"
    return head + "".join(f"L{_n(x)} {_n(y)}" for x, y in kept[1:]) + "Z"


@lru_cache(maxsize=1)
def country_paths() -> dict[str, str]:
    """Feature id (ISO alpha-2) -> simplified SVG path in the map's viewBox (computed once)."""
    paths: dict[str, str] = {}
    for feature in europe_countries()["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        d = "".join(_ring_path(ring, 1.2) for polygon in polygons for ring in polygon[:1])
        if d:
            paths[feature["id"]] = d
    return paths


def _colour(value: float, top: float) -> str:
    colour: str = sample_colorscale(SEQUENTIAL_SCALE, [min(1.0, value / top)])[0]
    return colour


def map_svg(chart: CountryMap, *, chart_id: str) -> str:
    """Choropleth of Europe: grey outside the selection, hatched where suppressed."""
    paths = country_paths()
    known = [v for v in chart.values.values() if v is not None]
    top = max(known) if known else 1.0
    top = top or 1.0
    names = {f["id"]: f["properties"]["name"] for f in europe_countries()["features"]}
    described = sorted(
        ((names.get(code, code), v) for code, v in chart.values.items() if v),
        key=lambda item: -(item[1] or 0.0),
    )
    desc = escape(
        f"{chart.title}. " + "; ".join(f"{name}: {fmt.exact(value)}" for name, value in described)
    )
    height = MAP_HEIGHT
    # Translators: on a map, of a country outside the chosen countries
    not_selected, hidden = escape(_("not in the selection")), escape(_("hidden"))
    parts = [
        f'<svg class="chart map" viewBox="0 0 {WIDTH} {height + 40}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-t">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-d">{desc}</desc>',
        '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="4" height="4" class="hidden-bg"/>'
        '<line x1="0" y1="0" x2="0" y2="4" class="hatch"/></pattern></defs>',
    ]
    for code, d in paths.items():
        if code not in chart.values:
            cls, fill = "outside", ""
        elif chart.values[code] is None:
            cls, fill = "suppressed", ' fill="url(#hatch)"'
        elif chart.values[code] == 0:
            cls, fill = "zero", ""
        else:
            cls, fill = "valued", f' fill="{_colour(chart.values[code] or 0.0, top)}"'
        title = escape(names.get(code, code))
        value = chart.values.get(code)
        shown = (
            not_selected
            if code not in chart.values
            else (hidden if value is None else fmt.exact(value))
        )
        parts.append(f'<path class="{cls}" d="{d}"{fill}><title>{title}: {shown}</title></path>')
    points = label_points()
    for code in SMALL_COUNTRIES:
        value = chart.values.get(code)
        if code in chart.values and code in points and value:
            x, y = _project(*points[code])
            parts.append(
                f'<circle class="dot" cx="{_n(x)}" cy="{_n(y)}" r="3" '
                f'fill="{_colour(value, top)}"/>'
            )
    # legend: the colour ramp from 0 to the largest value
    not_chosen = escape(_("not selected"))
    stops = "".join(
        f'<stop offset="{i / 4:.2f}" stop-color="{_colour(top * i / 4, top)}"/>' for i in range(5)
    )
    parts.append(
        f'<defs><linearGradient id="{chart_id}-ramp">{stops}</linearGradient></defs>'
        f'<rect x="8" y="{height + 8}" width="160" height="10" fill="url(#{chart_id}-ramp)"/>'
        f'<text class="tick" x="8" y="{height + 32}">0</text>'
        f'<text class="tick" x="168" y="{height + 32}" text-anchor="end">{fmt.exact(top)}</text>'
        f'<rect x="200" y="{height + 8}" width="14" height="10" fill="url(#hatch)"/>'
        f'<text class="tick" x="219" y="{height + 17}">{hidden}</text>'
        f'<rect class="outside" x="280" y="{height + 8}" width="14" height="10"/>'
        f'<text class="tick" x="299" y="{height + 17}">{not_chosen}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
