"""House layout shared by every figure (title, axis titles with units, offline fonts), and how
a builder makes a figure: a FigureSpec of plain dicts, validated once into a go.Figure, or
turned straight into the same Plotly JSON for the figure cache (ui/figure_cache.py)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import convert_to_base64  # type: ignore[import-untyped]

from figures.margins import settled_margins
from i18n import DEFAULT_LANGUAGE, N_, _, language
from i18n.numbers import plotly_separators

# System fonts only: nothing is fetched from a font host, so charts draw offline.
FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", "Segoe UI", Roboto, Arial, sans-serif'
GRID = "#E5E9F0"
HOUSE_SEPARATORS = ".,"  # decimal and grouping signs of d3 formats; each language sets its own

TEMPLATE_TOP = 60  # px above the plot: the template's margin, for a title on one line
# A small template made once: Plotly's built-in ones are large, and validating one for every
# figure cost more than the queries behind a page.
pio.templates["pact"] = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f1f1f"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "separators": HOUSE_SEPARATORS,
        "xaxis": {
            "gridcolor": GRID,
            "linecolor": GRID,
            "zerolinecolor": GRID,
            "ticks": "",
            "automargin": True,
        },
        "yaxis": {
            "gridcolor": GRID,
            "linecolor": GRID,
            "zerolinecolor": GRID,
            "ticks": "",
            "automargin": True,
        },
        "geo": {"bgcolor": "white"},
        "title": {"x": 0, "xanchor": "left", "font": {"size": 17}},
        "margin": {"l": 10, "r": 10, "t": TEMPLATE_TOP, "b": 10},
        "legend": {"orientation": "v"},
    }
)
LEGEND_BELOW = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "bottom",
    "yref": "container",
}
pio.templates.default = "pact"


@dataclass(frozen=True)
class FigureSpec:
    """A figure as plain trace dicts (each with its "type") and a layout dict: what a builder
    makes, before Plotly validates it into a go.Figure."""

    traces: list[dict[str, Any]]
    layout: dict[str, Any]

    @property
    def title(self) -> str | None:
        """The figure's title text (on one line, as a sentence reads it)."""
        text: str | None = self.layout.get("title", {}).get("text")
        return None if text is None else text.replace("<br>", " ")

    def figure(self) -> go.Figure:
        """The figure, made in one validated step.

        Much cheaper than adding traces and updating the layout step by step, which validates
        and walks the figure again at every step. pandas columns are handed over as numpy
        arrays, which is what Plotly would make of them, without its slower conversion.
        """
        return go.Figure(data=[_plain(trace) for trace in self.traces], layout=self._layout())

    def _layout(self) -> dict[str, Any]:
        """The layout as Plotly gets it: with the margins its y axis's labels need, set
        before it is drawn (figures.margins)."""
        layout = _plain(self.layout)
        margin = settled_margins(self.traces, layout)
        return layout if margin is None else {**layout, "margin": margin}

    def to_json(self) -> str:
        """The figure as Plotly JSON, equal to what Plotly gives for figure() (the same
        parsed JSON), without validating it: for a figure shown more often than it is read.

        Builders hand Plotly only values it stores unchanged (no colour-scale names or other
        shorthand that validation expands); tests/test_figure_cache.py checks every builder.
        """
        layout = _without_none(self._layout())
        layout.setdefault("template", _default_template())
        plain = {"data": [_without_none(_plain(trace)) for trace in self.traces], "layout": layout}
        convert_to_base64(plain)  # numeric arrays as typed arrays, as Figure.to_dict() does
        text: str = pio.to_json(plain, validate=False)
        return text


P = ParamSpec("P")


class FigureBuilder(Generic[P]):
    """A pure figure builder: called, it returns the validated go.Figure; `spec` is the
    function making its FigureSpec (for callers that only need the figure's JSON)."""

    def __init__(self, spec: Callable[P, FigureSpec]) -> None:
        self.spec = spec
        functools.update_wrapper(self, spec)

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> go.Figure:
        return self.spec(*args, **kwargs).figure()


def figure_builder(spec: Callable[P, FigureSpec]) -> FigureBuilder[P]:
    """Decorator: a function making a FigureSpec becomes a builder of go.Figures."""
    return FigureBuilder(spec)


def _without_none(props: dict[str, Any]) -> dict[str, Any]:
    """Properties set to None are unset, as validation leaves them (dicts in lists too)."""
    out: dict[str, Any] = {}
    for key, value in props.items():
        if value is None:
            continue
        if isinstance(value, dict):
            value = _without_none(value)
        elif isinstance(value, list):
            value = [_without_none(v) if isinstance(v, dict) else v for v in value]
        out[key] = value
    return out


@functools.cache
def _template(name: str) -> dict[str, Any]:
    template: dict[str, Any] = go.Figure().to_dict()["layout"]["template"]
    return template


def _default_template() -> dict[str, Any]:
    """The default template as a validated figure carries it (read-only)."""
    return _template(str(pio.templates.default))


def _plain(props: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in props.items():
        if isinstance(value, Mapping):
            out[key] = _plain(value)
        elif isinstance(value, pd.Series | pd.DataFrame) and _numpy_alike(value):
            out[key] = value.to_numpy()
        else:
            out[key] = value
    return out


def _numpy_alike(value: pd.Series | pd.DataFrame) -> bool:
    """Whether to_numpy() gives what Plotly's own conversion gives: not for time zones,
    whose local time Plotly keeps by dropping the zone."""
    dtypes = [value.dtype] if isinstance(value, pd.Series) else list(value.dtypes)
    return not any(isinstance(dtype, pd.DatetimeTZDtype) for dtype in dtypes)


def split_rows(
    keys: pd.Series, **columns: pd.Series | pd.DataFrame
) -> dict[Any, dict[str, np.ndarray]]:
    """Each distinct key's rows of the given columns, as the numpy arrays Plotly would make of
    the key's slice of the frame; one conversion per column instead of one per slice."""
    arrays = {name: column.to_numpy() for name, column in columns.items() if _numpy_alike(column)}
    if len(arrays) < len(columns):
        raise ValueError("split_rows takes columns without time zones")
    key_values = keys.to_numpy()
    split: dict[Any, dict[str, np.ndarray]] = {}
    for key in dict.fromkeys(key_values.tolist()):
        pick = key_values == key
        split[key] = {name: array[pick] for name, array in arrays.items()}
    return split


def merged(base: dict[str, Any], *updates: Mapping[str, Any]) -> dict[str, Any]:
    """`base` with the updates merged in, nested dicts key by key (as Figure.update_layout
    does); later values win."""
    for update in updates:
        for key, value in update.items():
            if isinstance(value, Mapping) and isinstance(base.get(key), dict):
                merged(base[key], value)
            elif isinstance(value, Mapping):
                base[key] = merged({}, value)
            else:
                base[key] = value
    return base


TITLE_LINE = 44  # characters of a title that fit beside another chart at 17 px
AXIS_TITLE_LINE = 30  # characters of an axis title that fit along a half-width chart's axis
LABEL_LINE = 36  # characters of a category label beside a half-width chart's bars
TWO_LINE_TITLE_TOP = 84  # ... and for a title on two lines
LABEL_LINE_HEIGHT = 16  # px more per bar whose label is on two lines


def two_lines(text: str, limit: int) -> str:
    """A translated text longer than `limit` on two lines, cut at the space nearest its
    middle: Plotly never wraps a title or a label, and a language's words run longer than
    English's, which the texts are written to fit (English stays as it is, so its figures are
    as they were)."""
    if language() == DEFAULT_LANGUAGE or len(text) <= limit or "<br>" in text:
        return text
    middle = len(text) // 2
    spaces = [i for i, character in enumerate(text) if character == " "]
    if not spaces:
        return text
    cut = min(spaces, key=lambda i: abs(i - middle))
    return f"{text[:cut]}<br>{text[cut + 1 :]}"


def title_lines(title: str) -> str:
    """A long translated title on two lines (two_lines)."""
    return two_lines(title, TITLE_LINE)


def category_ticks(labels: Sequence[str]) -> dict[str, Any]:
    """Axis properties that draw long translated category labels on two lines, the values
    unchanged (empty when no label is long: the axis stays as Plotly draws it)."""
    texts = [two_lines(label, LABEL_LINE) for label in labels]
    if texts == list(labels):
        return {}
    return {"tickmode": "array", "tickvals": list(labels), "ticktext": texts}


def two_line_labels(ticks: Mapping[str, Any]) -> int:
    """How many of an axis's category labels category_ticks put on two lines."""
    return sum("<br>" in text for text in ticks.get("ticktext", []))


def house_layout_props(
    *,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 420,
    legend_title: str | None = None,
    legend_below: bool = False,
) -> dict[str, Any]:
    """The shared layout of a figure without subplots, as a layout dict."""
    # Defaults (title placement, margins, fonts, grid) live in the template: each property
    # set here costs Plotly validation time on every rerun.
    text = title_lines(title)
    layout: dict[str, Any] = {"title": {"text": text}, "height": height}
    if "<br>" in text:  # the second line taller, the plot as high as with one
        layout["margin"] = {"t": TWO_LINE_TITLE_TOP}
        layout["height"] = height + TWO_LINE_TITLE_TOP - TEMPLATE_TOP
    separators = plotly_separators()
    if separators != HOUSE_SEPARATORS:  # the template's: English figures stay as they were
        layout["separators"] = separators
    if legend_title:
        layout["legend"] = {"title": {"text": legend_title}}
    if legend_below:
        layout["legend"] = {**LEGEND_BELOW, "title": {"text": legend_title or ""}}
        layout["margin"] = {**layout.get("margin", {}), "b": 70}
    if x_title is not None:
        layout["xaxis"] = {"title": {"text": x_title}}
    if y_title is not None:
        layout["yaxis"] = {"title": {"text": two_lines(y_title, AXIS_TITLE_LINE)}}
    return layout


def house_layout(
    fig: go.Figure,
    *,
    title: str,
    x_title: str | None = None,
    y_title: str | None = None,
    height: int = 420,
    legend_title: str | None = None,
    legend_below: bool = False,
) -> go.Figure:
    """Apply the shared layout to a figure and return it."""
    subplots = fig._grid_ref is not None  # update_*axes walks every axis: slow, so only then
    layout = house_layout_props(
        title=title,
        x_title=None if subplots else x_title,
        y_title=None if subplots else y_title,
        height=height,
        legend_title=legend_title,
        legend_below=legend_below,
    )
    fig.update_layout(layout)
    if subplots and x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if subplots and y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


def reference_line_props(
    *,
    label: str,
    x: float | None = None,
    y: float | None = None,
    dash: str = "dash",
    colour: str = "#222222",
    below: bool = False,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The shape and the annotation of a labelled vertical (x=) or horizontal (y=) line
    across the plot, such as parity or a pledge, for layout["shapes"] and ["annotations"]."""
    vertical = x is not None
    position = x if vertical else y
    shape = {
        "type": "line",
        "xref": "x" if vertical else "paper",
        "yref": "paper" if vertical else "y",
        "x0": position if vertical else 0,
        "x1": position if vertical else 1,
        "y0": 0 if vertical else position,
        "y1": 1 if vertical else position,
        "line": {"color": colour, "dash": dash, "width": 1.5},
        "layer": "below" if below else "above",
    }
    annotation = {
        "text": label,
        "showarrow": False,
        "xref": "x" if vertical else "paper",
        "yref": "paper" if vertical else "y",
        "x": position if vertical else 0,
        "y": 1 if vertical else position,
        "xanchor": "center" if vertical else "left",
        "yanchor": "bottom",
        "font": {"size": 12},
    }
    return shape, annotation


def reference_line(
    fig: go.Figure,
    *,
    label: str,
    x: float | None = None,
    y: float | None = None,
    dash: str = "dash",
    colour: str = "#222222",
    below: bool = False,
) -> go.Figure:
    """A labelled vertical (x=) or horizontal (y=) line across the plot, such as parity or a
    pledge. Cheaper than Plotly's add_vline/add_hline, which walk every subplot."""
    shape, annotation = reference_line_props(
        label=label, x=x, y=y, dash=dash, colour=colour, below=below
    )
    fig.add_shape(shape)
    fig.add_annotation(annotation)
    return fig


EMPTY_TEXT = N_("No data for the current filters")


def empty_spec(title: str) -> FigureSpec:
    """A blank figure with a title, for when nothing matches the filters."""
    layout = merged(
        {
            "annotations": [{"text": _(EMPTY_TEXT), "showarrow": False, "font": {"size": 15}}],
            "xaxis": {"visible": False},
            "yaxis": {"visible": False},
        },
        house_layout_props(title=title, height=240),
    )
    return FigureSpec([], layout)


def empty_figure(title: str) -> go.Figure:
    """A blank figure with a title, for when nothing matches the filters."""
    return empty_spec(title).figure()


def panel_layout(
    *,
    rows: int,
    cols: int,
    titles: list[str],
    h_spacing: float = 0.08,
    v_spacing: float = 0.2,
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The layout of rows x cols panels with a title each (axes and annotations), and the
    (xaxis, yaxis) references of the panels, row by row, for traces to name."""
    width = (1 - h_spacing * (cols - 1)) / cols
    height = (1 - v_spacing * (rows - 1)) / rows
    layout: dict[str, Any] = {}
    annotations = []
    refs = []
    for index in range(rows * cols):
        row, col = divmod(index, cols)
        suffix = "" if index == 0 else str(index + 1)
        x0 = col * (width + h_spacing)
        y1 = 1 - row * (height + v_spacing)
        # rounded and clipped: float sums like 1.0000000000000002 fail Plotly's [0, 1] check
        x_domain = [round(x0, 6), min(1.0, round(x0 + width, 6))]
        y_domain = [max(0.0, round(y1 - height, 6)), round(y1, 6)]
        layout[f"xaxis{suffix}"] = {"domain": x_domain, "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"domain": y_domain, "anchor": f"x{suffix}"}
        if index < len(titles):
            annotations.append(
                {
                    "text": titles[index],
                    "x": x0 + width / 2,
                    "y": y1,
                    "xref": "paper",
                    "yref": "paper",
                    "xanchor": "center",
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 13},
                }
            )
        refs.append((f"x{suffix}", f"y{suffix}"))
    layout["annotations"] = annotations
    return layout, refs


def panel_grid(
    fig: go.Figure,
    *,
    rows: int,
    cols: int,
    titles: list[str],
    h_spacing: float = 0.08,
    v_spacing: float = 0.2,
) -> list[tuple[str, str]]:
    """Lay out rows x cols panels with a title each, in one layout update.

    Returns the (xaxis, yaxis) references of the panels, row by row, for traces to name.
    Plotly's make_subplots does the same but cost more than a page's queries.
    """
    layout, refs = panel_layout(
        rows=rows, cols=cols, titles=titles, h_spacing=h_spacing, v_spacing=v_spacing
    )
    fig.update_layout(layout)
    return refs


def period_label(year_from: int | None, year_to: int | None) -> str:
    """The period in titles: one year, or the first and last year joined by an en dash."""
    return str(year_to) if year_from == year_to else f"{year_from}–{year_to}"
