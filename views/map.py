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
from i18n import N_, _, ngettext
from i18n.numbers import number
from views import format as fmt
from views.frames import with_flags, with_names
from views.models import Chart, Column, Table

MapView = Literal["members", "people"]  # ?view=, so a shared link shows the same map
Measure = Literal["members", "people_trained"]

TITLE = N_("Members and people trained across Europe")
SHOW = N_("Show")
MEASURES: dict[Measure, str] = {
    "members": N_("Member organisations"),
    "people_trained": N_("People up/re-skilled"),
}
VIEWS: dict[MapView, Measure] = {"members": "members", "people": "people_trained"}
VIEW_LABELS: dict[MapView, str] = {name: MEASURES[column] for name, column in VIEWS.items()}
MAP_NOTE = N_(
    "pale: none; grey: outside the selection or not monitored; "
    "dots mark Malta, Luxembourg and Liechtenstein"
)
# The map's alt text, by measure: with a country having any, and with none.
MAP_ALT: dict[Measure, tuple[str, str]] = {
    "members": (
        N_(
            "Map of Europe: member organisations in {count} of {total} countries; most in "
            "{country} ({value})."
        ),
        N_("Map of Europe: no member organisations in the selected countries."),
    ),
    "people_trained": (
        N_(
            "Map of Europe: people up/re-skilled in {count} of {total} countries; most in "
            "{country} ({value})."
        ),
        N_("Map of Europe: no people up/re-skilled in the selected countries."),
    ),
}


@dataclass(frozen=True)
class CountryMap:
    """What the Map page says: the map of one measure and the table of both."""

    map: Chart
    heading: str  # Markdown, above the table
    table: Table


def map_chart(countries: pd.DataFrame, filters: Filters, measure: Measure) -> Chart:
    """The chosen measure per country on the map of Europe."""
    period = period_label(filters.year_from, filters.year_to)
    year = filters.year_to
    title, noun, when = {
        "members": (
            _("Member organisations per country, 31 December {year}").format(year=year),
            N_("member organisations"),
            _("on 31 December {year}").format(year=year),
        ),
        "people_trained": (
            _("People up/re-skilled per country, {period}").format(period=period),
            N_("people up/re-skilled"),
            _("in {period}").format(period=period),
        ),
    }[measure]
    plotted = with_names(with_flags(countries, "country_code", "country", measure))
    if not (plotted[measure] > 0).any():
        plotted = plotted.iloc[0:0]  # nothing to map: the empty state says so
    top = plotted.nlargest(1, measure)
    with_any = int((plotted[measure] > 0).sum())
    return Chart(
        key=f"map_{measure}",
        builder=build_country_map_figure,
        data=plotted,
        options={"value": measure, "title": title, "unit": _(noun)},
        summary=ranking_summary(
            plotted,
            label="country",
            value=measure,
            noun=_(noun),
            items=_("countries"),
            when=when,
        ),
        alt=(
            _(MAP_ALT[measure][0]).format(
                count=number(with_any),
                total=number(len(plotted)),
                country=top.iloc[0]["country"],
                value=fmt.compact(top.iloc[0][measure]),
            )
            if with_any
            else _(MAP_ALT[measure][1])
        ),
        note=_(MAP_NOTE),
    )


def country_table(countries: pd.DataFrame, filters: Filters, measure: Measure) -> Table:
    """Both measures per country, the chosen one first."""
    period = period_label(filters.year_from, filters.year_to)
    return Table(
        key="map_table",
        title=_("Members and people up/re-skilled per country"),
        data=with_names(countries.sort_values(measure, ascending=False)),
        columns=(
            Column("country"),
            Column("hidden", kind="flag"),
            Column(
                "members",
                kind="count",
                label=_("Members"),
                help=_("Member organisations on 31 December {year}").format(year=filters.year_to),
            ),
            Column(
                "people_trained",
                kind="count",
                help=_("Reported for {period}").format(period=period),
            ),
        ),
    )


def table_heading(countries: pd.DataFrame, filters: Filters) -> str:
    """The line above the table: how many countries, what each measure counts."""
    period = period_label(filters.year_from, filters.year_to)
    return ngettext(
        "**{count} country** · members on 31 December {year}, people up/re-skilled in "
        "{period} · click a header to sort",
        "**{count} countries** · members on 31 December {year}, people up/re-skilled in "
        "{period} · click a header to sort",
        len(countries),
    ).format(count=number(len(countries)), year=filters.year_to, period=period)


def country_map(countries: pd.DataFrame, filters: Filters, *, shown: MapView) -> CountryMap:
    """The Map page: the country summary, with the measure `shown` on the map."""
    measure = VIEWS[shown]
    return CountryMap(
        map=map_chart(countries, filters, measure),
        heading=table_heading(countries, filters),
        table=country_table(countries, filters, measure),
    )
