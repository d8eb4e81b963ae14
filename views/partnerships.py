"""Partnerships compared: a sortable table of every partnership in the filters, with links to
their profiles, a scatter of members against people up/re-skilled and progress on pledges,
from partnership_comparison."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd

from data_access import FilterOptions, Filters
from figures.partnership import build_partnership_scatter_figure, build_pledge_progress_figure
from figures.summaries import pledge_progress_summary, scatter_summary
from i18n import N_, _, ngettext
from i18n.numbers import number
from views.frames import with_flags, with_names
from views.models import Chart, Column, Download, Sectioned, Table
from views.url_state import to_query_params

TITLE = N_("Partnerships compared")


# The page's charts, one tab each (ui/sections.py).
SECTIONS = {"scatter": N_("Size and reach"), "pledge": N_("Pledge")}


@dataclass(frozen=True)
class Partnerships(Sectioned):
    """What the page says: a line on what is compared, the table and two charts."""

    intro: str
    table: Table
    scatter: Chart
    pledge: Chart


def comparison_table(table: pd.DataFrame, filters: Filters, options: FilterOptions) -> Table:
    """The comparison as a table: shares in percent, a link to each profile that keeps the
    filters, and the comparison itself as its CSV."""
    year = filters.year_to
    link_params = to_query_params(filters, options)
    shown = with_names(table, kind="kind").assign(
        profile=[
            "profile?" + urlencode({**link_params, "p": slug}, safe=",") for slug in table["slug"]
        ],
        women_pct=table["women_share_recorded"] * 100,
        target_pct=table["target_women_share"] * 100,
        growth_pct=table["member_growth_pct"] * 100,
        pledge_pct=table["pledge_progress"] * 100,
    )
    return Table(
        key="partnerships_table",
        title=_(TITLE),
        data=shown,
        columns=(
            Column("short_name", pinned=True),
            Column("hidden", kind="flag"),
            Column("profile", kind="link", link_text=_("Open profile")),
            Column("ecosystem"),
            Column("kind"),
            Column("launch_date", kind="date"),
            Column("members", kind="count", label=_("Members {year}").format(year=year)),
            Column("member_growth", kind="signed_count"),
            Column("growth_pct", kind="signed_percent"),
            Column("people_trained", kind="count"),
            Column(
                "people_trained_last_year", kind="count", label=_("… in {year}").format(year=year)
            ),
            Column("women_pct", kind="percent"),
            Column("target_pct", kind="whole_percent"),
            Column("annual_pledge", kind="count"),
            Column("pledge_pct", kind="whole_percent"),
        ),
        csv=Download(
            key="partnerships_table_csv",
            label=_("Download the table (CSV)"),
            file_name="partnerships.csv",
            data=table,
        ),
    )


def partnership_charts(table: pd.DataFrame, filters: Filters) -> tuple[Chart, Chart]:
    """Members against people up/re-skilled in the last year, and progress on the pledges of
    the partnerships that pledged a number (or whose pledge progress is hidden)."""
    year = filters.year_to
    plotted = with_names(
        with_flags(table, "short_name", "ecosystem", "kind", "members", "people_trained_last_year")
    )
    hidden_progress = table["annual_pledge"].notna() & table["suppressed"]
    pledged = with_flags(
        table[table["pledge_progress"].notna() | hidden_progress], "short_name", "pledge_progress"
    )
    return (
        Chart(
            key="partnerships_scatter",
            builder=build_partnership_scatter_figure,
            data=plotted,
            options={"year": year or 0},
            summary=scatter_summary(
                plotted,
                label="short_name",
                x="members",
                y="people_trained_last_year",
                x_noun=_("members"),
                y_noun=_("people up/re-skilled in {year}").format(year=year),
                items=_("partnerships"),
            ),
            alt=ngettext(
                "Scatter of {count} partnership by members and people up/re-skilled.",
                "Scatter of {count} partnerships by members and people up/re-skilled.",
                len(plotted),
            ).format(count=number(len(plotted))),
        ),
        Chart(
            key="partnerships_pledge",
            builder=build_pledge_progress_figure,
            data=pledged,
            options={"year": year or 0},
            summary=pledge_progress_summary(pledged, year=year),
            alt=ngettext(
                "{count} partnership with a numeric pledge; progress in {year}.",
                "{count} partnerships with a numeric pledge; progress in {year}.",
                len(pledged),
            ).format(count=number(len(pledged)), year=year),
            note=_(
                "only partnerships with a numeric pledge; shares of the workforce use "
                "approximate ecosystem employment"
            ),
        ),
    )


def partnerships(table: pd.DataFrame, filters: Filters, options: FilterOptions) -> Partnerships:
    """The partnerships in the filters compared (table: data_access.partnership_comparison)."""
    year = filters.year_to
    scatter, pledge = partnership_charts(table, filters)
    return Partnerships(
        intro=ngettext(
            "{count} partnership launched by the end of {year}. Members are counted on "
            "31 December {year}; growth is on the year before; people up/re-skilled are "
            "summed over {first}–{year}. Click a column header to sort; open a profile below.",
            "{count} partnerships launched by the end of {year}. Members are counted on "
            "31 December {year}; growth is on the year before; people up/re-skilled are "
            "summed over {first}–{year}. Click a column header to sort; open a profile below.",
            len(table),
        ).format(count=number(len(table)), year=year, first=filters.year_from),
        table=comparison_table(table, filters, options),
        scatter=scatter,
        pledge=pledge,
    )
