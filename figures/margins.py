"""The margins of a chart with axes, set before Plotly draws it from its labels' widths.

Plotly finds the room an axis's labels need by drawing the chart, and when that room is more
than the layout's margins it draws the whole chart again (its "automargin"). With the
template's 10 px margins every chart with axes needed that second drawing: about half of the
time the browser spends on such a chart. Here the left margin is set from the y axis's labels
(a horizontal-bar chart's category names, or the widest tick label of a value axis over
categories), estimated from the font's glyph widths, a little more than Plotly finds; the
right and bottom margins from what the axes put there. When the estimate is enough, Plotly
draws the chart once. When it is not (a wider font, a script without metrics here),
automargin stays on and widens the margin as before: the estimate only saves time, it never
cuts a label.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

FONT_SIZE = 13  # px: the template's font, which tick labels and axis titles use
# Advance widths in thousandths of an em of Arial, whose metrics Liberation Sans shares (the
# fallback that draws the house font family where Source Sans is not installed); letters with
# accents take their base letter's. Any other character counts as OTHER_WIDTH, about a Greek
# or Cyrillic letter's.
_WIDTHS = dict(
    zip(
        " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
        "abcdefghijklmnopqrstuvwxyz{|}~",
        [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278]
        + [556] * 10
        + [278, 278, 584, 584, 584, 556, 1015]
        + [667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833]
        + [722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611]
        + [278, 278, 278, 469, 556, 333]
        + [556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833]
        + [556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500]
        + [334, 260, 334, 584],
        strict=True,
    )
)
OTHER_WIDTH = 620
SLACK = 1.02  # the estimate is raised by this much: a margin a little wide costs nothing
LABEL_PAD = 12  # px between the labels and the chart's edge, without an axis title
TITLE_ROOM = 28  # px for a rotated axis title on one line, with its gap to the labels
LINE_ROOM = 16  # px for each further line of that title
RIGHT = 22  # px: room for the value axis's last tick label, centred on the plot's edge
BOTTOM = 30  # px: the value axis's tick labels
BOTTOM_TITLED = 46  # ... with the axis title under them
AUTORANGE_PAD = 1.05
_TAG = re.compile(r"<[^>]+>")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
_FONT_SIZE = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)px")


def text_width(text: str, size: float = FONT_SIZE) -> float:
    """The estimated width in px of a label's longest line at this font size (a line in a
    span of its own font size, such as a partnership's ecosystem under its name, at that)."""
    widest = 0.0
    for line in _BREAK.split(text):
        units = 0
        for character in _TAG.sub("", line):
            base = unicodedata.normalize("NFD", character)[:1]
            units += _WIDTHS.get(base, OTHER_WIDTH)
        sized = _FONT_SIZE.search(line)
        widest = max(widest, units * (float(sized.group(1)) if sized else size) / 1000)
    return widest


def _labels(traces: Iterable[Mapping[str, Any]], axis: Mapping[str, Any]) -> list[str]:
    """The texts the category axis draws: its tick texts, else its categories, else the
    traces' y values."""
    for key in ("ticktext", "categoryarray"):
        if axis.get(key) is not None and len(axis[key]):
            return [str(label) for label in axis[key]]
    labels: list[str] = []
    for trace in traces:
        values = trace.get("y")
        if values is not None:
            labels.extend(str(value) for value in np.asarray(values).ravel().tolist())
    return labels


def _one_pair_of_axes(traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]) -> bool:
    """Whether the figure draws on the one x and y axis (no subplots, no second axis)."""
    if not traces or any(re.fullmatch(r"[xy]axis\d+", key) for key in layout):
        return False
    return all(t.get("xaxis", "x") == "x" and t.get("yaxis", "y") == "y" for t in traces)


def _category_y(traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]) -> bool:
    """Whether the y axis holds categories (horizontal bars)."""
    if layout.get("yaxis", {}).get("type") == "category":
        return True
    return all(t.get("type") == "bar" and t.get("orientation") == "h" for t in traces)


def _numbers(values: Any) -> np.ndarray[Any, np.dtype[np.float64]]:
    """A trace's values as floats (nan where one is not a number)."""
    array = np.asarray(values if values is not None else [], dtype=object).ravel()
    out = np.full(array.shape, np.nan)
    for i, value in enumerate(array):
        if isinstance(value, int | float | np.number) and not isinstance(value, bool):
            out[i] = float(value)
    return out


def _highest(traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]) -> float:
    """The largest magnitude the y axis reaches: its range's top, else the data's (the
    stacked bars' totals when bars stack) with Plotly's padding."""
    given = layout.get("yaxis", {}).get("range")
    if given is not None and len(given) == 2:
        return float(max(abs(float(given[0])), abs(float(given[1]))))
    stacked: dict[str, float] = {}
    highest = 0.0
    stacking = layout.get("barmode") in ("stack", "relative")
    for trace in traces:
        ys = _numbers(trace.get("y"))
        if stacking and trace.get("type") == "bar":
            xs = np.asarray(trace.get("x", range(len(ys))), dtype=object).ravel()
            for x, y in zip(xs, ys, strict=False):
                if not math.isnan(y):
                    stacked[str(x)] = stacked.get(str(x), 0.0) + abs(y)
        elif len(ys) and not np.isnan(ys).all():
            highest = max(highest, float(np.nanmax(np.abs(ys))))
    # Plotly's autorange pads the top, and a tick may sit in that padding
    return max([highest, *stacked.values()]) * AUTORANGE_PAD


def _legend_beside(traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]) -> bool:
    """Whether a legend stands at the right of the plot: it widens the right margin as it
    is drawn, so the chart is drawn twice whatever the left margin, and on a narrow screen
    a wide left margin beside it would leave the bars no room."""
    shown = layout.get("showlegend")
    if shown is False or (
        shown is None and sum(t.get("showlegend") is not False for t in traces) < 2
    ):
        return False
    orientation: str | None = layout.get("legend", {}).get("orientation")
    return orientation != "h"


def tick_label(highest: float, tickformat: str = "") -> str:
    """About the widest tick label Plotly draws on a value axis reaching `highest`: a
    percentage for a percent format, else the number with Plotly's k/M/G suffixes."""
    if tickformat.endswith("%"):
        return f"{round(highest * 100, -1):.0f}%"
    for power, suffix in ((9, "G"), (6, "M"), (3, "k")):
        if highest >= max(10**power, 10_000):  # Plotly writes 2500, then 10k
            mantissa = highest / 10**power
            return f"{mantissa:.1f}{suffix}" if mantissa < 10 else f"{mantissa:.0f}{suffix}"
    return f"{highest:.0f}" if highest >= 10 else f"{highest:.1f}"


def _room(axis: Mapping[str, Any], pad: int) -> int:
    """The px an axis's title takes beside its labels (`pad` without one)."""
    title = (axis.get("title") or {}).get("text")
    return TITLE_ROOM + LINE_ROOM * len(_BREAK.findall(title)) if title else pad


def settled_margins(
    traces: Sequence[Mapping[str, Any]], layout: Mapping[str, Any]
) -> dict[str, Any] | None:
    """The layout's margin with room for the y axis's labels, for a figure on one pair of
    axes whose x axis holds categories (vertical bars, lines over years) or whose y axis
    does (horizontal bars); None for any other figure, and for one whose left margin a
    builder set."""
    margin: dict[str, Any] = dict(layout.get("margin", {}))
    if "l" in margin or not _one_pair_of_axes(traces, layout) or _legend_beside(traces, layout):
        return None
    xaxis, yaxis = layout.get("xaxis", {}), layout.get("yaxis", {})
    if _category_y(traces, layout):
        labels = _labels(traces, yaxis)
        margin.setdefault("r", RIGHT)  # the value axis is x: its last label overhangs
    elif xaxis.get("type") == "category" and yaxis.get("type") in (None, "linear"):
        labels = [tick_label(_highest(traces, layout), str(yaxis.get("tickformat", "")))]
    else:
        return None
    if not labels:
        return None
    widest = max(text_width(label) for label in labels)
    margin["l"] = math.ceil(widest * SLACK) + _room(yaxis, LABEL_PAD)
    x_title = (xaxis.get("title") or {}).get("text")
    margin.setdefault("b", BOTTOM_TITLED if x_title else BOTTOM)
    return margin
