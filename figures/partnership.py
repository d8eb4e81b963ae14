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
from i18n import N_, _, pgettext
from i18n.numbers import number, percent

SCATTER_TITLE = N_("Members and people up/re-skilled per partnership")
PLEDGE_TITLE = N_("People up/re-skilled in the year against the annual pledge")
PROFILE_MEMBERS_TITLE = N_("Members at the end of each period and new members in it")
PROFILE_PLEDGE_TITLE = N_("People up/re-skilled each year against the annual pledge")
PEERS_TITLE = N_("Compared with its ecosystem and the Pact (medians of partnerships)")


# years and periods are labels, not numbers: a numeric axis would tick at 2,021.5
YEAR_AXES = {"yaxis": {"rangemode": "tozero"}, "xaxis": {"type": "category"}}


@figure_builder
def build_partnership_scatter_figure(df: pd.DataFrame, *, year: int) -> FigureSpec:
    """Members (x) and people up/re-skilled in the year (y), one marker per partnership.

    df: short_name, ecosystem, kind, members, people_trained_last_year.
    """
    if df.empty:
        return empty_spec(_(SCATTER_TITLE))
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
            "hovertemplate": "<br>".join(
                (
                    _("{name} ({ecosystem})").format(name="%{text}", ecosystem=ecosystem),
                    _("{count} members").format(count="%{x:,}"),
                    _("{count} people").format(count="%{y:,}"),
                )
            )
            + "<extra></extra>",
        }
        for ecosystem, group in df.groupby("ecosystem", sort=True)
    ]
    layout = merged(
        {"xaxis": {"type": "log"}, "yaxis": {"type": "log"}},
        house_layout_props(
            title=_(
                "Members and people up/re-skilled per partnership, {year} (logarithmic axes)"
            ).format(year=year),
            x_title=_("Member organisations (31 December {year})").format(year=year),
            y_title=_("People up/re-skilled in {year}").format(year=year),
            height=520,
            legend_title=_("Ecosystem (◆ regional)"),
        ),
    )
    return FigureSpec(traces, layout)


@figure_builder
def build_pledge_progress_figure(df: pd.DataFrame, *, year: int) -> FigureSpec:
    """Horizontal bars of progress against the annual pledge; df: short_name, pledge_progress."""
    if df.empty:
        return empty_spec(_(PLEDGE_TITLE))
    ordered = df.sort_values("pledge_progress")
    bars = {
        "type": "bar",
        "x": ordered["pledge_progress"] * 100,
        "y": ordered["short_name"],
        "orientation": "h",
        "marker": {"color": PRIMARY},
        "text": [percent(v, 0) for v in ordered["pledge_progress"]],
        "textposition": "outside",
        "hovertemplate": _("{name}: {share} of the annual pledge").format(
            name="%{y}", share="%{x:.1f}%"
        )
        + "<extra></extra>",
    }
    shape, label = reference_line_props(x=100, label=_("pledge met"), colour=REFERENCE_LINE)
    layout = merged(
        {"shapes": [shape], "annotations": [label]},
        house_layout_props(
            title=_("People up/re-skilled in the year against the annual pledge, {year}").format(
                year=year
            ),
            x_title=_("% of the annual pledge"),
            height=max(260, 40 * len(ordered) + 120),
        ),
    )
    return FigureSpec([bars], layout)


@figure_builder
def build_profile_members_figure(df: pd.DataFrame) -> FigureSpec:
    """Members at each period end (line), new members (bars); df: period, members, new_members."""
    if df.empty:
        return empty_spec(_(PROFILE_MEMBERS_TITLE))
    bars = {
        "type": "bar",
        "x": df["period"],
        "y": df["new_members"],
        "name": _("New in the period"),
        "marker": {"color": SECONDARY},
        "hovertemplate": _("{period}: {count} new members").format(period="%{x}", count="%{y:,}")
        + "<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": df["period"],
        "y": df["members"],
        "name": _("Members at the period's end"),
        "mode": "lines+markers",
        "line": {"color": PRIMARY, "width": 3},
        "hovertemplate": _("{period}: {count} members").format(period="%{x}", count="%{y:,}")
        + "<extra></extra>",
    }
    layout = house_layout_props(
        legend_below=True,
        title=_(PROFILE_MEMBERS_TITLE),
        x_title=_("Period"),
        y_title=_("Member organisations"),
    )
    return FigureSpec([bars, line], merged({}, YEAR_AXES, layout))


@figure_builder
def build_profile_pledge_figure(df: pd.DataFrame, *, annual_pledge: float | None) -> FigureSpec:
    """People up/re-skilled per year (bars), annual pledge as a line; df: year, people_trained."""
    if df.empty:
        return empty_spec(_(PROFILE_PLEDGE_TITLE))
    bars = {
        "type": "bar",
        "x": df["year"].astype(str),
        "y": df["people_trained"],
        "marker": {"color": PRIMARY},
        "name": _("People up/re-skilled"),
        "text": [number(value) for value in df["people_trained"]],
        "textposition": "outside",
        "hovertemplate": _("{period}: {count} people").format(period="%{x}", count="%{y:,}")
        + "<extra></extra>",
    }
    layout: dict[str, Any] = {}
    if annual_pledge:
        shape, label = reference_line_props(
            y=annual_pledge,
            label=_("annual pledge {count}").format(count=number(annual_pledge)),
            colour=REFERENCE_LINE,
        )
        layout = {"shapes": [shape], "annotations": [label]}
    merged(
        layout,
        YEAR_AXES,
        house_layout_props(
            title=_(PROFILE_PLEDGE_TITLE),
            x_title=_("Reporting year"),
            y_title=_("People up/re-skilled"),
        ),
    )
    return FigureSpec([bars], layout)


# A panel's y-axis title by the unit of its measure (data_access.PEER_METRICS).
PEER_AXIS_TITLES = {"organisations": N_("Member organisations"), "people": N_("People")}


@figure_builder
def build_peer_figure(
    df: pd.DataFrame, *, partnership: str, own: str = "partnership"
) -> FigureSpec:
    """One small panel per metric: the partnership, its ecosystem median and the Pact median.

    df: label, unit, the partnership's own values (column `own`), ecosystem_median,
    pact_median (shares as 0-1 when unit is %).
    """
    if df.empty:
        return empty_spec(_(PEERS_TITLE))
    columns = 3
    rows = -(-len(df) // columns)
    grid, refs = panel_layout(rows=rows, cols=columns, titles=list(df["label"]), v_spacing=0.22)
    names = (partnership, _("Ecosystem median"), _("Pact median"))
    bars = [
        pgettext("peer comparison bar", "This"),
        pgettext("peer comparison bar", "Ecosystem"),
        pgettext("peer comparison bar", "Pact"),
    ]
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
                "x": bars,
                "y": shown,
                "marker": {"color": list(colours)},
                "text": [
                    _("n/a") if v is None else (percent(v / scale, 0) if scale > 1 else number(v))
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
        unit = PEER_AXIS_TITLES.get(str(row.unit))
        axis_title = _(unit) if unit else str(row.unit)
        axes[f"yaxis{yref[1:]}"] = {"title": {"text": axis_title}, "rangemode": "tozero"}
    layout = merged(grid, axes)
    for annotation in layout["annotations"]:
        merged(annotation, {"font": {"size": 11}})
    return FigureSpec(
        traces, merged(layout, house_layout_props(title=_(PEERS_TITLE), height=300 * rows + 80))
    )
