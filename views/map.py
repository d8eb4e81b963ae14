"""Map: member organisations and people up/re-skilled per country, on a map and in a table.

Takes the country summary; gives the map of the chosen measure, the table of both measures and
the words of the choice between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from data_access import Filters
from figures.layout import period_label
from figures.map import build_country_map_figure
from figures.summaries import ranking_summary
from views import format as fmt
from views.frames import with_flags
from views.models import Chart, Column, Table

MapView = Literal["members", "people"]  # ?view=, so a shared link shows the same map
Measure = Literal["members", "people_trained"]

TITLE = "Members and people trained across Europe"
SHOW = "Show"
MEASURES: dict[Measure, str] = {
    "members": "Member organisations",
    "people_trained": "People up/re-skilled",
}
VIEWS: dict[MapView, Measure] = {"members": "members", "people": "people_trained"}
VIEW_LABELS: dict[MapView, str] = {name: MEASURES[column] for name, column in VIEWS.items()}
MAP_NOTE = (
    "pale: none; grey: outside the selection or not monitored; "
    "dots mark Malta, Luxembourg and Liechtenstein"
)


@dataclass(frozen=True)
class CountryMap:
    """What the Map page says: the map of one measure and the table of both."""

    map: Chart
    heading: str  # Markdown, above the table
    table: Table


def map_chart(countries: pd.DataFrame, filters: Filters, measure: Measure) -> Chart:
    """The chosen measure per country on the map of Europe."""
    period = period_label(filters.year_from, filters.year_to)
    title, unit, when = {
        "members": (
            f"Member organisations per country, 31 December {filters.year_to}",
            "member organisations",
            f"on 31 December {filters.year_to}",
        ),
        "people_trained": (
            f"People up/re-skilled per country, {period}",
            "people up/re-skilled",
            f"in {period}",
        ),
    }[measure]
    plotted = with_flags(countries, "country_code", "country", measure)
    if not (plotted[measure] > 0).any():
        plotted = plotted.iloc[0:0]  # nothing to map: the empty state says so
    top = plotted.nlargest(1, measure)
    with_any = int((plotted[measure] > 0).sum())
    return Chart(
        key=f"map_{measure}",
        builder=build_country_map_figure,
        data=plotted,
        options={"value": measure, "title": title, "unit": unit},
        summary=ranking_summary(
            plotted, label="country", value=measure, noun=unit, items="countries", when=when
        ),
        alt=(
            f"Map of Europe: {unit} in {with_any} of {len(plotted)} countries; most in "
            f"{top.iloc[0]['country']} ({fmt.compact(top.iloc[0][measure])})."
            if with_any
            else f"Map of Europe: no {unit} in the selected countries."
        ),
        note=MAP_NOTE,
    )


def country_table(countries: pd.DataFrame, filters: Filters, measure: Measure) -> Table:
    """Both measures per country, the chosen one first."""
    period = period_label(filters.year_from, filters.year_to)
    return Table(
        key="map_table",
        title="Members and people up/re-skilled per country",
        data=countries.sort_values(measure, ascending=False),
        columns=(
            Column("country"),
            Column("hidden", kind="flag"),
            Column(
                "members",
                kind="count",
                label="Members",
                help=f"Member organisations on 31 December {filters.year_to}",
            ),
            Column("people_trained", kind="count", help=f"Reported for {period}"),
        ),
    )


def table_heading(countries: pd.DataFrame, filters: Filters) -> str:
    """The line above the table: how many countries, what each measure counts."""
    period = period_label(filters.year_from, filters.year_to)
    return (
        f"**{len(countries)} countries** · members on 31 December {filters.year_to}, people "
        f"up/re-skilled in {period} · click a header to sort"
    )


def country_map(countries: pd.DataFrame, filters: Filters, *, shown: MapView) -> CountryMap:
    """The Map page: the country summary, with the measure `shown` on the map."""
    measure = VIEWS[shown]
    return CountryMap(
        map=map_chart(countries, filters, measure),
        heading=table_heading(countries, filters),
        table=country_table(countries, filters, measure),
    )
