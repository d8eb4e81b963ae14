"""The one colour scheme of the dashboard: an ecosystem has the same colour on every chart.

Every colour that marks data has at least 3:1 contrast against the white chart background
(WCAG 2.1, 1.4.11), and the colours a chart compares stay apart under simulated protanopia,
deuteranopia and tritanopia; tests/test_palette.py computes both and docs/accessibility.md
states the thresholds. Colour is never the only cue: charts label their series directly.
The sequential scale is cividis, whose lightness rises steadily under every deficiency.
"""

from __future__ import annotations

from functools import lru_cache

from data_access.reference import ECOSYSTEMS, SKILL_AREAS
from i18n import _, language, using

# Fourteen colours chosen by a search over the sRGB colours with at least 3:1 contrast on
# white, keeping the smallest CIEDE2000 distance between any two as large as possible in
# normal vision and in each simulated colour-vision deficiency. Given by ecosystem, with a
# nod to the usual associations (health red, digital blue, renewable energy green).
ECOSYSTEM_COLOURS: dict[str, str] = {
    "Aerospace & defence": "#5890F0",
    "Agri-food": "#787840",
    "Construction": "#C88000",
    "Cultural and creative industries": "#8858D0",
    "Digital": "#0040B8",
    "Electronics": "#007098",
    "Energy-intensive industries": "#C04800",
    "Renewable energy": "#206040",
    "Health": "#A00020",
    "Mobility-transport-automotive": "#783070",
    "Proximity, social economy and civil security": "#F85060",
    "Retail": "#B080B0",
    "Textiles": "#A05868",
    "Tourism": "#209088",
}
assert set(ECOSYSTEM_COLOURS) == {eco.name for eco in ECOSYSTEMS}, "an ecosystem has no colour"

SKILL_AREA_COLOURS: dict[str, str] = dict(
    zip(
        (label for _, label in SKILL_AREAS),
        # basic digital, advanced digital, green, technical, transversal
        ("#C070E0", "#005890", "#00A090", "#D87000", "#A80038"),
        strict=True,
    )
)

GENDER_COLOURS: dict[str, str] = {
    "Women": "#AA3377",
    "Men": "#4477AA",
    "Another gender": "#8F6E00",
    "Not recorded": "#888888",
}

PRIMARY = "#1965B0"
SECONDARY = "#E8601C"
NEUTRAL = "#555555"
REFERENCE_LINE = "#222222"
SEQUENTIAL_SCALE = "cividis"
# Categories without a fixed colour (partnerships, countries, organisation types) take the
# same fourteen colours in an order that keeps the first ones furthest apart; "Other" (the
# small groups summed) is a dark grey that stays apart from all of them.
# A hand-laid table of data: the formatter leaves its layout alone.
GROUP_COLOURS = (
    "#0040B8", "#C88000", "#209088", "#A00020", "#787840", "#783070",
    "#206040", "#5890F0", "#B080B0", "#F85060", "#A05868", "#C04800",
)  # fmt: skip
OTHER_COLOUR = "#444444"

BLACK = "#000000"
WHITE = "#FFFFFF"


@lru_cache(maxsize=32)
def _english_names(code: str) -> dict[str, str]:
    """Each ecosystem and skill area as language `code` names it, to its English name."""
    with using(code):
        return {_(english): english for english in (*ECOSYSTEM_COLOURS, *SKILL_AREA_COLOURS)}


def english_name(name: str) -> str:
    """The English name of an ecosystem or skill area given in English or in the reader's
    language (the views show names translated; colours and shapes are fixed per thing)."""
    return _english_names(language()).get(name, name)


def ecosystem_colour(name: str) -> str:
    """The fixed colour of an ecosystem (neutral grey for anything unknown)."""
    return ECOSYSTEM_COLOURS.get(english_name(name), NEUTRAL)


def skill_area_colour(name: str) -> str:
    """The fixed colour of a skill area (neutral grey for anything unknown)."""
    return SKILL_AREA_COLOURS.get(english_name(name), NEUTRAL)


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour (0 black, 1 white)."""
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_colour_on(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (text inside bars and boxes).

    Plotly's own choice switches at a brightness that leaves some mid colours under 4.5:1.
    """
    luminance = relative_luminance(fill)
    on_white = (1.05) / (luminance + 0.05)
    on_black = (luminance + 0.05) / 0.05
    return WHITE if on_white >= on_black else BLACK


# Second cues beside colour, so that series compared in a chart differ in shape as well:
# marker symbols for lines and markers, fill patterns for stacked bars. An ecosystem keeps
# its symbol and pattern everywhere, like its colour.
# A hand-laid table of data: the formatter leaves its layout alone.
MARKER_SYMBOLS = (
    "circle", "square", "diamond", "triangle-up", "cross", "x", "triangle-down",
    "pentagon", "star", "hexagon", "hourglass", "triangle-left", "bowtie", "triangle-right",
)  # fmt: skip
BAR_PATTERNS = ("", "/", ".", "x", "\\", "-", "+", "|")
OTHER_SYMBOL = "circle-open"
_ECOSYSTEM_ORDER = {eco.name: i for i, eco in enumerate(ECOSYSTEMS)}


def ecosystem_symbol(name: str) -> str:
    """The fixed marker symbol of an ecosystem."""
    index = _ECOSYSTEM_ORDER.get(english_name(name))
    return OTHER_SYMBOL if index is None else MARKER_SYMBOLS[index]


def ecosystem_pattern(name: str) -> str:
    """The fixed bar pattern of an ecosystem (patterns repeat after eight)."""
    index = _ECOSYSTEM_ORDER.get(english_name(name))
    return "" if index is None else BAR_PATTERNS[index % len(BAR_PATTERNS)]


def bar_pattern(shape: str) -> dict[str, object]:
    """A Plotly bar pattern drawn over the bar's colour, in black or white for contrast."""
    return {"shape": shape, "fillmode": "overlay", "size": 7, "solidity": 0.25}


def with_ecosystem(label: str, ecosystem: str) -> str:
    """A category label naming its ecosystem on a second, smaller line: where bars take their
    ecosystem's colour, the ecosystem is written out as well."""
    return f"{label}<br><span style='font-size:11px'>{ecosystem}</span>"
