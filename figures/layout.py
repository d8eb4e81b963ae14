"""House layout shared by every figure: title, axis titles with units, offline fonts."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

# System fonts only: nothing is fetched from a font host, so charts draw offline.
FONT_FAMILY = '"Source Sans Pro", "Source Sans 3", "Segoe UI", Roboto, Arial, sans-serif'
GRID = "#E5E9F0"

# A small template made once: Plotly's built-in ones are large, and validating one for every
# figure cost more than the queries behind a page.
pio.templates["pact"] = go.layout.Template(
    layout={
        "font": {"family": FONT_FAMILY, "size": 13, "color": "#1f1f1f"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hoverlabel": {"font": {"family": FONT_FAMILY}},
        "separators": ".,",
        "xaxis": {"gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID, "ticks": "",
                  "automargin": True},
        "yaxis": {"gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID, "ticks": "",
                  "automargin": True},
        "geo": {"bgcolor": "white"},
        "title": {"x": 0, "xanchor": "left", "font": {"size": 17}},
        "margin": {"l": 10, "r": 10, "t": 60, "b": 10},
        "legend": {"orientation": "v"},
    }
)  # fmt: skip
LEGEND_BELOW = {
    "orientation": "h",
    "x": 0,
    "xanchor": "left",
    "y": 0,
    "yanchor": "bottom",
    "yref": "container",
}
pio.templates.default = "pact"


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
    # Defaults (title placement, margins, fonts, grid) live in the template: each property
    # set here costs Plotly validation time on every rerun.
    layout: dict[str, object] = {"title": {"text": title}, "height": height}
    if legend_title:
        layout["legend"] = {"title": {"text": legend_title}}
    if legend_below:
        layout["legend"] = {**LEGEND_BELOW, "title": {"text": legend_title or ""}}
        layout["margin"] = {"b": 70}
    subplots = fig._grid_ref is not None  # update_*axes walks every axis: slow, so only then
    if not subplots:
        if x_title is not None:
            layout["xaxis"] = {"title": {"text": x_title}}
        if y_title is not None:
            layout["yaxis"] = {"title": {"text": y_title}}
    fig.update_layout(layout)
    if subplots and x_title is not None:
        fig.update_xaxes(title_text=x_title)
    if subplots and y_title is not None:
        fig.update_yaxes(title_text=y_title)
    return fig


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
    vertical = x is not None
    position = x if vertical else y
    fig.add_shape(
        type="line",
        xref="x" if vertical else "paper",
        yref="paper" if vertical else "y",
        x0=position if vertical else 0,
        x1=position if vertical else 1,
        y0=0 if vertical else position,
        y1=1 if vertical else position,
        line={"color": colour, "dash": dash, "width": 1.5},
        layer="below" if below else "above",
    )
    fig.add_annotation(
        text=label,
        showarrow=False,
        xref="x" if vertical else "paper",
        yref="paper" if vertical else "y",
        x=position if vertical else 0,
        y=1 if vertical else position,
        xanchor="center" if vertical else "left",
        yanchor="bottom",
        font={"size": 12},
    )
    return fig


def empty_figure(title: str) -> go.Figure:
    """A blank figure with a title, for when nothing matches the filters."""
    fig = go.Figure()
    fig.add_annotation(text="No data for the current filters", showarrow=False, font={"size": 15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return house_layout(fig, title=title, height=240)


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
    width = (1 - h_spacing * (cols - 1)) / cols
    height = (1 - v_spacing * (rows - 1)) / rows
    layout: dict[str, object] = {}
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
                {"text": titles[index], "x": x0 + width / 2, "y": y1, "xref": "paper",
                 "yref": "paper", "xanchor": "center", "yanchor": "bottom", "showarrow": False,
                 "font": {"size": 13}}
            )  # fmt: skip
        refs.append((f"x{suffix}", f"y{suffix}"))
    layout["annotations"] = annotations
    fig.update_layout(layout)
    return refs


def period_label(year_from: int | None, year_to: int | None) -> str:
    """The period in titles: one year, or the first and last year joined by an en dash."""
    return str(year_to) if year_from == year_to else f"{year_from}–{year_to}"
