"""The margins set before Plotly draws a chart (figures/margins.py): label widths from the
font's metrics, which charts get them, and what a builder sets left alone."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from figures.growth import build_members_by_country_figure
from figures.layout import FigureSpec
from figures.margins import (
    BOTTOM_TITLED,
    LABEL_PAD,
    RIGHT,
    SLACK,
    TITLE_ROOM,
    settled_margins,
    text_width,
    tick_label,
)


def test_a_label_s_width_adds_its_glyphs_at_the_font_size() -> None:
    # Arial's advance widths: H 722, i 222 (thousandths of an em), at 13 px
    assert text_width("Hi") == pytest.approx((722 + 222) * 13 / 1000)
    assert text_width("Hi", size=20) == pytest.approx((722 + 222) * 20 / 1000)
    # an accented letter as its base letter; the longest line of a label on two
    assert text_width("É") == text_width("E")
    assert text_width("Hi<br>Hi Hi") == text_width("Hi Hi")
    # a line in its own smaller font counts at that size, tags themselves not at all
    small = "Hi<br><span style='font-size:11px'>Hi Hi Hi</span>"
    assert text_width(small) == pytest.approx(text_width("Hi Hi Hi", size=11))


def test_horizontal_bars_get_room_for_their_longest_label_and_axis_title() -> None:
    frame = pd.DataFrame({"country": ["Malta", "Netherlands", "France"], "members": [3, 9, 5]})
    figure = build_members_by_country_figure(frame, period="2024")
    margin = figure.layout.margin
    widest = text_width("Netherlands")
    assert margin.l == math.ceil(widest * SLACK) + TITLE_ROOM
    assert margin.r == RIGHT and margin.b == BOTTOM_TITLED


def test_vertical_bars_get_room_for_their_top_tick_label() -> None:
    traces = [{"type": "bar", "x": ["2023", "2024"], "y": [40_000, 152_000]}]
    layout = {"xaxis": {"type": "category"}, "yaxis": {}}
    margin = settled_margins(traces, layout)
    assert margin is not None
    # the top tick may sit in the padding Plotly adds above the data (here 159.6k)
    assert margin["l"] == math.ceil(text_width("160k") * SLACK) + LABEL_PAD
    below = {"orientation": "h"}  # the legend of the two series under the plot
    stacked = settled_margins(traces * 2, {**layout, "barmode": "stack", "legend": below})
    assert stacked is not None and stacked["l"] == math.ceil(text_width("319k") * SLACK) + LABEL_PAD


@pytest.mark.parametrize(
    ("highest", "tickformat", "label"),
    [(0.6, "", "0.6"), (85, "", "85"), (4_200, "", "4200"), (12_000, "", "12k"), (152_000, "", "152k"),
     (1_500_000, "", "1.5M"), (1.02, ".0%", "100%")],
)  # fmt: skip
def test_the_widest_tick_label_is_written_as_plotly_writes_it(
    highest: float, tickformat: str, label: str
) -> None:
    assert tick_label(highest, tickformat) == label


def test_figures_left_to_plotly_keep_their_layout() -> None:
    bars = [{"type": "bar", "x": [1, 2], "y": ["a", "b"], "orientation": "h"}]
    assert settled_margins(bars, {"margin": {"l": 4}}) is None  # a builder's own margin
    assert settled_margins(bars, {"xaxis2": {}}) is None  # subplots
    assert settled_margins([{"type": "treemap"}], {}) is None
    # a legend at the right of the plot widens the right margin as it is drawn
    assert settled_margins(bars * 2, {}) is None
    assert settled_margins(bars * 2, {"legend": {"orientation": "h"}}) is not None
    assert settled_margins(bars * 2, {"showlegend": False}) is not None
    log = [{"type": "scatter", "x": [1, 10], "y": [1, 10]}]
    assert settled_margins(log, {"xaxis": {"type": "log"}, "yaxis": {"type": "log"}}) is None
    spec = FigureSpec(log, {"title": {"text": "t"}})
    assert spec.figure().layout.margin.l is None
