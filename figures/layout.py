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
        "xaxis": {"gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID, "ticks": ""},
        "yaxis": {"gridcolor": GRID, "linecolor": GRID, "zerolinecolor": GRID, "ticks": ""},
        "geo": {"bgcolor": "white"},
    }
)
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
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 70 if legend_below else 10},
        legend=(
            {
                "title": {"text": legend_title or ""},
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "y": 0,
                "yanchor": "bottom",
                "yref": "container",
            }
            if legend_below
            else {"title": {"text": legend_title or ""}, "orientation": "v"}
        ),
    )
    if x_title is not None:
        fig.update_xaxes(title_text=x_title, automargin=True)
    if y_title is not None:
        fig.update_yaxes(title_text=y_title, automargin=True)
    return fig


def empty_figure(title: str) -> go.Figure:
    """A blank figure with a title, for when nothing matches the filters."""
    fig = go.Figure()
    fig.add_annotation(text="No data for the current filters", showarrow=False, font={"size": 15})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return house_layout(fig, title=title, height=240)
