"""Figures of the Partnerships and Partnership profile pages."""

from __future__ import annotations

from typing import Any

import pandas as pd

from figures.layout import (
    FigureSpec,
    empty_spec,
    figure_builder,
    house_layout_props,
    merged,
    panel_layout,
    reference_line_props,
)
from figures.palette import NEUTRAL, PRIMARY, REFERENCE_LINE, SECONDARY, ecosystem_colour

SCATTER_TITLE = "Members and people up/re-skilled per partnership"
PLEDGE_TITLE = "People up/re-skilled in the year against the annual pledge"
PROFILE_MEMBERS_TITLE = "Members at the end of each period and new members in it"
PROFILE_PLEDGE_TITLE = "People up/re-skilled each year against the annual pledge"
PEERS_TITLE = "Compared with its ecosystem and the Pact (medians of partnerships)"


# years and periods are labels, not numbers: a numeric axis would tick at 2,021.5
YEAR_AXES = {"yaxis": {"rangemode": "tozero"}, "xaxis": {"type": "category"}}


@figure_builder
def build_partnership_scatter_figure(df: pd.DataFrame, *, year: int) -> FigureSpec:
    """Members (x) and people up/re-skilled in the year (y), one marker per partnership.

    df: short_name, ecosystem, kind, members, people_trained_last_year.
    """
    if df.empty:
        return empty_spec(SCATTER_TITLE)
    traces = [
        {
            "type": "scatter",
            "x": group["members"],
            "y": group["people_trained_last_year"],
            "mode": "markers+text",
            "name": str(ecosystem),
            "text": group["short_name"],
            "textposition": "top center",
            "textfont": {"size": 10},
            "marker": {
                "size": 12,
                "color": ecosystem_colour(str(ecosystem)),
                "line": {"width": 1, "color": "#333333"},
                "symbol": ["diamond" if k == "regional" else "circle" for k in group["kind"]],
            },
            "hovertemplate": f"%{{text}} ({ecosystem})<br>%{{x:,}} members<br>%{{y:,}} people"
            "<extra></extra>",
        }
        for ecosystem, group in df.groupby("ecosystem", sort=True)
    ]
    layout = merged(
        {"xaxis": {"type": "log"}, "yaxis": {"type": "log"}},
        house_layout_props(
            title=f"{SCATTER_TITLE}, {year} (logarithmic axes)",
            x_title=f"Member organisations (31 December {year})",
            y_title=f"People up/re-skilled in {year}",
            height=520,
            legend_title="Ecosystem (◆ regional)",
        ),
    )
    return FigureSpec(traces, layout)


@figure_builder
def build_pledge_progress_figure(df: pd.DataFrame, *, year: int) -> FigureSpec:
    """Horizontal bars of progress against the annual pledge; df: short_name, pledge_progress."""
    if df.empty:
        return empty_spec(PLEDGE_TITLE)
    ordered = df.sort_values("pledge_progress")
    bars = {
        "type": "bar",
        "x": ordered["pledge_progress"] * 100,
        "y": ordered["short_name"],
        "orientation": "h",
        "marker": {"color": PRIMARY},
        "text": [f"{v:.0%}" for v in ordered["pledge_progress"]],
        "textposition": "outside",
        "hovertemplate": "%{y}: %{x:.1f}% of the annual pledge<extra></extra>",
    }
    shape, label = reference_line_props(x=100, label="pledge met", colour=REFERENCE_LINE)
    layout = merged(
        {"shapes": [shape], "annotations": [label]},
        house_layout_props(
            title=f"{PLEDGE_TITLE}, {year}",
            x_title="% of the annual pledge",
            height=max(260, 40 * len(ordered) + 120),
        ),
    )
    return FigureSpec([bars], layout)


@figure_builder
def build_profile_members_figure(df: pd.DataFrame) -> FigureSpec:
    """Members at each period end (line), new members (bars); df: period, members, new_members."""
    if df.empty:
        return empty_spec(PROFILE_MEMBERS_TITLE)
    bars = {
        "type": "bar",
        "x": df["period"],
        "y": df["new_members"],
        "name": "New in the period",
        "marker": {"color": SECONDARY},
        "hovertemplate": "%{x}: %{y:,} new members<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": df["period"],
        "y": df["members"],
        "name": "Members at the period's end",
        "mode": "lines+markers",
        "line": {"color": PRIMARY, "width": 3},
        "hovertemplate": "%{x}: %{y:,} members<extra></extra>",
    }
    layout = house_layout_props(
        legend_below=True,
        title=PROFILE_MEMBERS_TITLE,
        x_title="Period",
        y_title="Member organisations",
    )
    return FigureSpec([bars, line], merged({}, YEAR_AXES, layout))


@figure_builder
def build_profile_pledge_figure(df: pd.DataFrame, *, annual_pledge: float | None) -> FigureSpec:
    """People up/re-skilled per year (bars), annual pledge as a line; df: year, people_trained."""
    if df.empty:
        return empty_spec(PROFILE_PLEDGE_TITLE)
    bars = {
        "type": "bar",
        "x": df["year"].astype(str),
        "y": df["people_trained"],
        "marker": {"color": PRIMARY},
        "name": "People up/re-skilled",
        "text": df["people_trained"].map("{:,.0f}".format),
        "textposition": "outside",
        "hovertemplate": "%{x}: %{y:,} people<extra></extra>",
    }
    layout: dict[str, Any] = {}
    if annual_pledge:
        shape, label = reference_line_props(
            y=annual_pledge, label=f"annual pledge {annual_pledge:,.0f}", colour=REFERENCE_LINE
        )
        layout = {"shapes": [shape], "annotations": [label]}
    merged(
        layout,
        YEAR_AXES,
        house_layout_props(
            title=PROFILE_PLEDGE_TITLE, x_title="Reporting year", y_title="People up/re-skilled"
        ),
    )
    return FigureSpec([bars], layout)


@figure_builder
def build_peer_figure(
    df: pd.DataFrame, *, partnership: str, own: str = "partnership"
) -> FigureSpec:
    """One small panel per metric: the partnership, its ecosystem median and the Pact median.

    df: label, unit, the partnership's own values (column `own`), ecosystem_median,
    pact_median (shares as 0-1 when unit is %).
    """
    if df.empty:
        return empty_spec(PEERS_TITLE)
    columns = 3
    rows = -(-len(df) // columns)
    grid, refs = panel_layout(rows=rows, cols=columns, titles=list(df["label"]), v_spacing=0.22)
    names = (partnership, "Ecosystem median", "Pact median")
    colours = (PRIMARY, SECONDARY, NEUTRAL)
    traces = []
    axes: dict[str, Any] = {}
    for index, row in enumerate(df.itertuples(index=False)):
        xref, yref = refs[index]
        scale = 100.0 if row.unit == "%" else 1.0
        values: list[Any] = [getattr(row, own), row.ecosystem_median, row.pact_median]
        shown = [None if pd.isna(v) else float(v) * scale for v in values]
        traces.append(
            {
                "type": "bar",
                "xaxis": xref,
                "yaxis": yref,
                "x": ["This", "Ecosystem", "Pact"],
                "y": shown,
                "marker": {"color": list(colours)},
                "text": [
                    "n/a" if v is None else (f"{v:.0f}%" if scale > 1 else f"{v:,.0f}")
                    for v in shown
                ],
                "textposition": "outside",
                "showlegend": False,
                "customdata": list(names),
                "hovertemplate": "%{customdata}: %{y:,.1f}"
                + (" %" if scale > 1 else "")
                + "<extra></extra>",
            }
        )
        axes[f"yaxis{yref[1:]}"] = {"title": {"text": row.unit}, "rangemode": "tozero"}
    layout = merged(grid, axes)
    for annotation in layout["annotations"]:
        merged(annotation, {"font": {"size": 11}})
    return FigureSpec(
        traces, merged(layout, house_layout_props(title=PEERS_TITLE, height=300 * rows + 80))
    )
