"""Map: member organisations and people up/re-skilled per country, on an offline map and a table."""

import streamlit as st

from figures.layout import period_label
from figures.map import build_country_map_figure
from figures.summaries import ranking_summary
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.figure_cache import cached_figure
from ui.frame import (
    HIDDEN_COLUMN,
    disclosure_marks,
    disclosure_note,
    page_header,
)
from ui.page_choice import url_choice
from views.format import compact
from views.frames import with_flags

MEASURES = {
    "members": "Member organisations",
    "people_trained": "People up/re-skilled",
}

ctx = current()
page_header("Members and people trained across Europe", ctx.state, perturbed=ctx.perturbed)
f = ctx.filters
period = period_label(f.year_from, f.year_to)
countries = data.country_summary(f)

# ?view=members|people picks the measure, so a shared link shows the same map.
VIEWS = {"members": "members", "people": "people_trained"}
view = url_choice(
    "Show",
    {name: MEASURES[column] for name, column in VIEWS.items()},
    key="map_view",
    param="view",
    default="members",
    widget="radio",
)
measure = VIEWS[view]
title, unit = {
    "members": (
        f"Member organisations per country, 31 December {f.year_to}",
        "member organisations",
    ),
    "people_trained": (f"People up/re-skilled per country, {period}", "people up/re-skilled"),
}[measure]

map_column, table_column = st.columns([4, 3])
with map_column:
    plotted = with_flags(countries, "country_code", "country", measure)
    if not (plotted[measure] > 0).any():
        plotted = plotted.iloc[0:0]  # nothing to map: the empty state says so
    top = plotted.nlargest(1, measure)
    with_any = int((plotted[measure] > 0).sum())
    show_chart(
        cached_figure(build_country_map_figure, plotted, value=measure, title=title, unit=unit),
        key=f"map_{measure}",
        summary=ranking_summary(
            plotted,
            label="country",
            value=measure,
            noun=unit,
            items="countries",
            when=f"on 31 December {f.year_to}" if measure == "members" else f"in {period}",
        ),
        data=plotted,
        state=ctx.state,
        alt=(
            f"Map of Europe: {unit} in {with_any} of {len(plotted)} countries; most in "
            f"{top.iloc[0]['country']} ({compact(top.iloc[0][measure])})."
            if with_any
            else f"Map of Europe: no {unit} in the selected countries."
        ),
        note="pale: none; grey: outside the selection or not monitored; dots mark Malta, Luxembourg and Liechtenstein",
    )
with table_column:
    st.markdown(
        f"**{len(countries)} countries** · members on 31 December {f.year_to}, people "
        f"up/re-skilled in {period} · click a header to sort"
    )
    st.dataframe(
        countries.assign(hidden=disclosure_marks(countries)).sort_values(measure, ascending=False),
        key="map_table",
        hide_index=True,
        height=min(540, 40 + 35 * len(countries)),
        column_order=["country", "hidden", "members", "people_trained"]
        if "suppressed" in countries and countries["suppressed"].any()
        else ["country", "members", "people_trained"],
        column_config={
            "country": st.column_config.TextColumn("Country"),
            "hidden": HIDDEN_COLUMN,
            "members": st.column_config.NumberColumn(
                "Members",
                help=f"Member organisations on 31 December {f.year_to}",
                format="localized",
            ),
            "people_trained": st.column_config.NumberColumn(
                "People up/re-skilled", help=f"Reported for {period}", format="localized"
            ),
        },
    )
    disclosure_note(countries, ctx.caller)
