"""Figures of the Overview page: members and people up/re-skilled over the years."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from figures.layout import empty_figure, house_layout
from figures.palette import PRIMARY, SECONDARY

MEMBERS_TITLE = "Member organisations at the end of each year"
PEOPLE_TITLE = "People up/re-skilled each year and cumulated over the period"


def build_pact_members_figure(df: pd.DataFrame) -> go.Figure:
    """Bars of members at each year end; df has columns year, members."""
    if df.empty:
        return empty_figure(MEMBERS_TITLE)
    fig = go.Figure(
        go.Bar(
            x=df["year"].astype(str),
            y=df["members"],
            marker_color=PRIMARY,
            text=df["members"].map("{:,.0f}".format),
            textposition="outside",
            name="Members",
            hovertemplate="%{x}: %{y:,.0f} members<extra></extra>",
        )
    )
    # years and periods are labels, not numbers: a numeric axis would tick at 2,021.5
    fig.update_layout(yaxis_rangemode="tozero", xaxis_type="category")
    return house_layout(
        fig, title=MEMBERS_TITLE, x_title="Year (31 December)", y_title="Member organisations"
    )


def build_people_trained_figure(df: pd.DataFrame) -> go.Figure:
    """Bars per year and a cumulative line; df: year, people_trained, people_trained_cumulative."""
    if df.empty:
        return empty_figure(PEOPLE_TITLE)
    years = df["year"].astype(str)
    fig = go.Figure()
    fig.add_bar(
        x=years,
        y=df["people_trained"],
        name="In the year",
        marker_color=PRIMARY,
        hovertemplate="%{x}: %{y:,.0f} people in the year<extra></extra>",
    )
    fig.add_scatter(
        x=years,
        y=df["people_trained_cumulative"],
        name="Cumulated over the period",
        mode="lines+markers+text",
        line={"color": SECONDARY, "width": 3, "dash": "dot"},
        marker={"symbol": "diamond", "size": 9},
        text=[f"{v / 1e6:.1f}M" if v else "" for v in df["people_trained_cumulative"]],
        textposition="top center",
        hovertemplate="%{x}: %{y:,.0f} people cumulated<extra></extra>",
    )
    # years and periods are labels, not numbers: a numeric axis would tick at 2,021.5
    fig.update_layout(yaxis_rangemode="tozero", xaxis_type="category")
    return house_layout(
        fig,
        legend_below=True,
        title=PEOPLE_TITLE,
        x_title="Reporting year",
        y_title="People up/re-skilled",
    )
