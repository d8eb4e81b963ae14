"""Figures of the Overview page: members and people up/re-skilled over the years."""

from __future__ import annotations

import pandas as pd

from figures.layout import (
    FigureSpec,
    empty_spec,
    figure_builder,
    house_layout_props,
    merged,
)
from figures.palette import PRIMARY, SECONDARY
from i18n import N_, _
from i18n.numbers import millions, number

MEMBERS_TITLE = N_("Member organisations at the end of each year")
PEOPLE_TITLE = N_("People up/re-skilled each year and cumulated over the period")


# years and periods are labels, not numbers: a numeric axis would tick at 2,021.5
YEAR_AXES = {"yaxis": {"rangemode": "tozero"}, "xaxis": {"type": "category"}}


@figure_builder
def build_pact_members_figure(df: pd.DataFrame) -> FigureSpec:
    """Bars of members at each year end; df has columns year, members."""
    if df.empty:
        return empty_spec(_(MEMBERS_TITLE))
    bars = {
        "type": "bar",
        "x": df["year"].astype(str),
        "y": df["members"],
        "marker": {"color": PRIMARY},
        "text": [number(value) for value in df["members"]],
        "textposition": "outside",
        "name": _("Members"),
        "hovertemplate": _("{period}: {count} members").format(period="%{x}", count="%{y:,.0f}")
        + "<extra></extra>",
    }
    layout = house_layout_props(
        title=_(MEMBERS_TITLE),
        x_title=_("Year (31 December)"),
        y_title=_("Member organisations"),
    )
    return FigureSpec([bars], merged({}, YEAR_AXES, layout))


@figure_builder
def build_people_trained_figure(df: pd.DataFrame) -> FigureSpec:
    """Bars per year and a cumulative line; df: year, people_trained, people_trained_cumulative."""
    if df.empty:
        return empty_spec(_(PEOPLE_TITLE))
    years = df["year"].astype(str)
    bars = {
        "type": "bar",
        "x": years,
        "y": df["people_trained"],
        "name": _("In the year"),
        "marker": {"color": PRIMARY},
        "hovertemplate": _("{period}: {count} people in the year").format(
            period="%{x}", count="%{y:,.0f}"
        )
        + "<extra></extra>",
    }
    line = {
        "type": "scatter",
        "x": years,
        "y": df["people_trained_cumulative"],
        "name": _("Cumulated over the period"),
        "mode": "lines+markers+text",
        "line": {"color": SECONDARY, "width": 3, "dash": "dot"},
        "marker": {"symbol": "diamond", "size": 9},
        "text": [millions(v) if v else "" for v in df["people_trained_cumulative"]],
        "textposition": "top center",
        "hovertemplate": _("{period}: {count} people cumulated").format(
            period="%{x}", count="%{y:,.0f}"
        )
        + "<extra></extra>",
    }
    layout = house_layout_props(
        legend_below=True,
        title=_(PEOPLE_TITLE),
        x_title=_("Reporting year"),
        y_title=_("People up/re-skilled"),
    )
    return FigureSpec([bars, line], merged({}, YEAR_AXES, layout))
