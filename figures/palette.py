"""The one colour scheme of the dashboard: an ecosystem has the same colour on every chart.

Categorical colours come from Paul Tol's colour-blind-safe schemes; the sequential scale is
cividis, readable under the common colour-vision deficiencies.
"""

from __future__ import annotations

from data_access.reference import ECOSYSTEMS, SKILL_AREAS

# Paul Tol's "discrete rainbow" with 14 colours, designed to stay distinct for colour-blind readers.
_TOL_RAINBOW_14 = (
    "#882E72", "#1965B0", "#7BAFDE", "#4EB265", "#CAE0AB", "#F7F056", "#F6C141",
    "#F1932D", "#E8601C", "#DC050C", "#D1BBD7", "#AE76A3", "#5289C7", "#90C987",
)  # fmt: skip

ECOSYSTEM_COLOURS: dict[str, str] = {
    eco.name: colour for eco, colour in zip(ECOSYSTEMS, _TOL_RAINBOW_14, strict=True)
}

# Okabe-Ito colours for the five skill areas.
SKILL_AREA_COLOURS: dict[str, str] = dict(
    zip(
        (label for _, label in SKILL_AREAS),
        ("#56B4E9", "#0072B2", "#009E73", "#E69F00", "#CC79A7"),
        strict=True,
    )
)

GENDER_COLOURS: dict[str, str] = {
    "Women": "#AA3377",
    "Men": "#4477AA",
    "Another gender": "#CCBB44",
    "Not recorded": "#BBBBBB",
}

PRIMARY = "#1965B0"
SECONDARY = "#E8601C"
NEUTRAL = "#555555"
REFERENCE_LINE = "#222222"
SEQUENTIAL_SCALE = "cividis"
# Categories without a fixed colour (partnerships, countries, organisation types): Carto
# "Safe" without its grey, plus Okabe-Ito orange; "Other" is always grey.
GROUP_COLOURS = (
    "#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288", "#AA4499",
    "#44AA99", "#999933", "#882255", "#661100", "#6699CC", "#E69F00",
)  # fmt: skip
OTHER_COLOUR = "#BBBBBB"


def ecosystem_colour(name: str) -> str:
    """The fixed colour of an ecosystem (neutral grey for anything unknown)."""
    return ECOSYSTEM_COLOURS.get(name, NEUTRAL)
