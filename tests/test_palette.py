"""Tier 2, colour: contrast of every colour that marks data or carries text, and the distances
between the colours a chart compares, in normal vision and under simulated colour-vision
deficiencies. The thresholds are the ones docs/accessibility.md states.

The colour science is computed here, independently of the app (pure numpy):
- WCAG 2.1 relative luminance and contrast ratio;
- sRGB (D65) to CIELAB, and the CIEDE2000 colour difference (Sharma, Wu and Dalal 2005);
- dichromacy simulated with the matrices of Machado, Oliveira and Fernandes (2009) at
  severity 1.0 (protanopia, deuteranopia, tritanopia), applied to linear RGB.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

import numpy as np
import plotly.io as pio
import pytest
from plotly.colors import sequential

from data_access.reference import ECOSYSTEMS, SKILL_AREAS
from figures import layout, palette
from figures.map import BORDER_COLOUR, ZERO_BORDER_COLOUR
from figures.palette import (
    ECOSYSTEM_COLOURS,
    NEUTRAL,
    OTHER_SYMBOL,
    SKILL_AREA_COLOURS,
    ecosystem_colour,
    ecosystem_pattern,
    ecosystem_symbol,
    skill_area_colour,
)
from i18n import PSEUDO, _, using
from tests.languages import test_catalogs  # noqa: F401  (a fixture)

REPO = Path(__file__).resolve().parent.parent

# The thresholds of docs/accessibility.md ("Colour").
MARK_CONTRAST = 3.0  # WCAG 1.4.11 non-text contrast, against the white chart background
TEXT_CONTRAST = 4.5  # WCAG 1.4.3 contrast of normal-size text
MIN_DE_NORMAL = 15.0  # CIEDE2000 between any two colours a chart compares, normal vision
MIN_DE_DICHROMACY = 8.0  # the same under each simulated dichromacy
WHITE = "#FFFFFF"
STREAMLIT_SIDEBAR = "#F8F8F7"  # Streamlit's light theme secondary background (the sidebar)
CAPTION_ALPHA = 0.6  # Streamlit draws captions in the text colour at 60% opacity

MACHADO_2009 = {
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
         [-0.003882, -0.048116, 1.051998]]
    ),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
         [-0.011820, 0.042940, 0.968881]]
    ),
    "tritanopia": np.array(
        [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
         [0.004733, 0.691367, 0.303900]]
    ),
}  # fmt: skip
VISIONS = (None, *MACHADO_2009)
SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
     [0.0193339, 0.1191920, 0.9503041]]
)  # fmt: skip
D65 = np.array([0.95047, 1.0, 1.08883])


def srgb(colour: str) -> np.ndarray:
    """#RRGGBB or rgb(r, g, b) as sRGB components in 0-1."""
    if colour.startswith("rgb"):
        return np.array([float(v) for v in re.findall(r"[\d.]+", colour)[:3]]) / 255
    code = colour.lstrip("#")
    return np.array([int(code[i : i + 2], 16) for i in (0, 2, 4)]) / 255


def linear(rgb: np.ndarray) -> np.ndarray:
    return np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)


def luminance(colour: str) -> float:
    return float(linear(srgb(colour)) @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: str, background: str, alpha: float) -> str:
    """`colour` drawn at `alpha` opacity over `background` (blended in sRGB, as browsers do)."""
    mixed = srgb(colour) * alpha + srgb(background) * (1 - alpha)
    return "#" + "".join(f"{round(v * 255):02X}" for v in mixed)


def lab(colour: str, vision: str | None = None) -> np.ndarray:
    """CIELAB (D65) of a colour as seen in normal vision or the named dichromacy."""
    rgb = linear(srgb(colour))
    if vision is not None:
        rgb = np.clip(MACHADO_2009[vision] @ rgb, 0, 1)
    xyz = SRGB_TO_XYZ @ rgb / D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1: np.ndarray, lab2: np.ndarray) -> float:
    """CIEDE2000 colour difference (kL = kC = kH = 1)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360 if c2p else 0.0
    d_l, d_c = l2 - l1, c2p - c1p
    d_h = 0.0
    if c1p * c2p:
        d_h = h2p - h1p
        d_h = d_h - 360 if d_h > 180 else d_h + 360 if d_h < -180 else d_h
    d_hh = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(d_h / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if not c1p * c2p:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + (360 if h1p + h2p < 360 else -360)) / 2
    t = (
        1
        - 0.17 * np.cos(np.radians(h_mean - 30))
        + 0.24 * np.cos(np.radians(2 * h_mean))
        + 0.32 * np.cos(np.radians(3 * h_mean + 6))
        - 0.20 * np.cos(np.radians(4 * h_mean - 63))
    )
    rotation = 30 * np.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * np.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -np.sin(np.radians(2 * rotation)) * r_c
    return float(
        np.sqrt(
            (d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_hh / s_h) ** 2
            + r_t * (d_c / s_c) * (d_hh / s_h)
        )
    )  # fmt: skip


def distance(a: str, b: str, vision: str | None = None) -> float:
    return ciede2000(lab(a, vision), lab(b, vision))


def closest_pair(colours: list[str], vision: str | None) -> tuple[float, str, str]:
    return min((distance(a, b, vision), a, b) for a, b in itertools.combinations(colours, 2))


# --- the colour science itself -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # test data of Sharma, Wu and Dalal (2005), pairs 1, 7, 17, 25 and 34
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_matches_the_published_test_data(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert ciede2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)
    assert contrast("#777777", WHITE) < 4.5 < contrast("#767676", WHITE)


def test_simulated_dichromacy_keeps_greys_and_merges_known_confusions() -> None:
    for vision in MACHADO_2009:
        for grey in ("#000000", "#777777", WHITE):
            assert distance(grey, grey, vision) == 0
            assert ciede2000(lab(grey), lab(grey, vision)) < 0.5, (vision, grey)
    # red and olive green: far apart for most people, nearly the same without M cones
    assert distance("#CC3311", "#558800") > 50
    assert distance("#CC3311", "#558800", "deuteranopia") < 3
    # brown and green without L cones; green and sky blue without S cones
    assert distance("#AA5500", "#557700") > 35 > 6 > distance("#AA5500", "#557700", "protanopia")
    assert distance("#55DD99", "#11DDFF") > 30 > 6 > distance("#55DD99", "#11DDFF", "tritanopia")


# --- the palette -------------------------------------------------------------------------

# Colours that appear together in one chart and are told apart there.
COMPARED_SETS = {
    "ecosystems": list(palette.ECOSYSTEM_COLOURS.values()),
    "groups with Other": [*palette.GROUP_COLOURS, palette.OTHER_COLOUR],
    "skill areas": list(palette.SKILL_AREA_COLOURS.values()),
    "gender": list(palette.GENDER_COLOURS.values()),
    "this partnership, ecosystem and Pact": [palette.PRIMARY, palette.SECONDARY, palette.NEUTRAL],
}
# Every colour drawn as a data mark, line or outline on the white chart background.
MARK_COLOURS = sorted(
    {
        *(colour for colours in COMPARED_SETS.values() for colour in colours),
        palette.REFERENCE_LINE,
        BORDER_COLOUR,
        ZERO_BORDER_COLOUR,
    }
)


@pytest.mark.parametrize("colour", MARK_COLOURS)
def test_every_mark_colour_has_3_to_1_contrast_on_white(colour: str) -> None:
    assert contrast(colour, WHITE) >= MARK_CONTRAST


def test_the_fourteen_ecosystems_have_fourteen_colours() -> None:
    assert len(set(palette.ECOSYSTEM_COLOURS.values())) == 14
    assert set(palette.GROUP_COLOURS) <= set(palette.ECOSYSTEM_COLOURS.values())


@pytest.mark.parametrize("vision", VISIONS, ids=lambda v: v or "normal")
@pytest.mark.parametrize("name", COMPARED_SETS)
def test_compared_colours_stay_apart(name: str, vision: str | None) -> None:
    colours = COMPARED_SETS[name]
    assert len(set(colours)) == len(colours), f"{name}: a colour is used twice"
    threshold = MIN_DE_NORMAL if vision is None else MIN_DE_DICHROMACY
    closest, a, b = closest_pair(colours, vision)
    assert closest >= threshold, (
        f"{name}, {vision or 'normal vision'}: {a} and {b} ΔE00 {closest:.1f}"
    )


def test_the_old_rainbow_fails_these_checks() -> None:
    """The checks can fail: Tol's 14-colour rainbow, the previous palette, has light colours
    under 3:1 on white and pairs closer than the thresholds."""
    rainbow = ["#882E72", "#1965B0", "#7BAFDE", "#4EB265", "#CAE0AB", "#F7F056", "#F6C141",
               "#F1932D", "#E8601C", "#DC050C", "#D1BBD7", "#AE76A3", "#5289C7", "#90C987"]  # fmt: skip
    assert sum(contrast(c, WHITE) < MARK_CONTRAST for c in rainbow) == 8
    assert closest_pair(rainbow, None)[0] < MIN_DE_NORMAL
    assert closest_pair(rainbow, "deuteranopia")[0] < MIN_DE_DICHROMACY


def test_text_drawn_inside_marks_has_4_5_to_1_contrast() -> None:
    for colour in [*MARK_COLOURS, *palette.SKILL_AREA_COLOURS.values()]:
        text = palette.text_colour_on(colour)
        assert contrast(text, colour) >= TEXT_CONTRAST, (colour, text)


def test_sequential_scale_gets_lighter_step_by_step_in_every_vision() -> None:
    """Cividis: the order of values on the map survives every simulated dichromacy."""
    assert palette.SEQUENTIAL_SCALE == "cividis"
    stops = sequential.Cividis
    for vision in VISIONS:
        lightness = [lab(stop, vision)[0] for stop in stops]
        assert all(b > a for a, b in itertools.pairwise(lightness)), vision


# --- text ----------------------------------------------------------------------------------


def test_chart_text_has_4_5_to_1_contrast() -> None:
    assert layout.FONT_FAMILY  # importing figures.layout registers the "pact" template
    font = pio.templates["pact"].layout.font.color
    assert contrast(font, WHITE) >= TEXT_CONTRAST


def test_theme_text_and_captions_have_4_5_to_1_contrast() -> None:
    theme = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())["theme"]
    text = theme["textColor"]
    for background in (theme.get("backgroundColor", WHITE), STREAMLIT_SIDEBAR):
        assert contrast(text, background) >= TEXT_CONTRAST
        caption = over(text, background, CAPTION_ALPHA)
        assert contrast(caption, background) >= TEXT_CONTRAST, (caption, background)
    assert contrast(theme["primaryColor"], WHITE) >= TEXT_CONTRAST
    # Streamlit's own caption colour (its default text colour at 60%) would fail on the sidebar
    assert contrast(over("#2F2D2B", STREAMLIT_SIDEBAR, CAPTION_ALPHA), STREAMLIT_SIDEBAR) < 4.5


def test_a_thing_keeps_its_colour_and_shape_when_its_name_is_translated(
    test_catalogs: object,  # noqa: F811 - the fixture
) -> None:
    """The views show ecosystem and skill-area names in the reader's language; the palette
    gives the translated name the colour, symbol and pattern of the English one."""
    palette._english_names.cache_clear()  # built again from the test catalogs
    english = {eco.name for eco in ECOSYSTEMS}
    with using(PSEUDO):
        for name in english:
            translated = _(name)
            assert translated != name
            assert ecosystem_colour(translated) == ECOSYSTEM_COLOURS[name] != NEUTRAL
            assert ecosystem_symbol(translated) == ecosystem_symbol(name) != OTHER_SYMBOL
            assert ecosystem_pattern(translated) == ecosystem_pattern(name)
        for _code, area in SKILL_AREAS:
            assert skill_area_colour(_(area)) == SKILL_AREA_COLOURS[area] != NEUTRAL
    assert ecosystem_colour("no such ecosystem") == NEUTRAL
    palette._english_names.cache_clear()
