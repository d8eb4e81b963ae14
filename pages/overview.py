"""Overview: the Pact at a glance, KPI tiles with their change on the year before, two trends."""

import streamlit as st

from figures.overview import build_pact_members_figure, build_people_trained_figure
from figures.summaries import people_trained_summary, trend_summary
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.exports import pact_report_panel
from ui.figure_cache import cached_figure
from ui.frame import format_number, page_header, with_flags
from ui.kpis import kpi_tiles

ctx = current()
page_header("Pact for Skills at a glance", ctx.state, perturbed=ctx.perturbed)

indicators = data.query("pact_indicators_by_year", ctx.filters)
kpi_tiles(indicators, ctx.filters)

in_period = indicators[indicators["year"] >= (ctx.filters.year_from or 0)]
left, right = st.columns(2)
with left:
    plotted = with_flags(in_period, "year", "members")
    plotted = plotted if plotted["members"].any() else plotted.iloc[0:0]
    show_chart(
        cached_figure(build_pact_members_figure, plotted),
        key="overview_members",
        summary=trend_summary(plotted, x="year", y="members", noun="member organisations"),
        data=plotted,
        state=ctx.state,
        alt="Bar chart of member organisations at the end of each year.",
        note="members active on 31 December",
    )
with right:
    plotted = with_flags(in_period, "year", "people_trained", "people_trained_cumulative")
    plotted = plotted if plotted["people_trained"].any() else plotted.iloc[0:0]
    last = plotted.iloc[-1] if not plotted.empty else None
    show_chart(
        cached_figure(build_people_trained_figure, plotted),
        key="overview_people",
        summary=people_trained_summary(plotted),
        data=plotted,
        state=ctx.state,
        alt=(
            f"{format_number(last['people_trained_cumulative'])} people up/re-skilled "
            f"over the period to {int(last['year'])}."
            if last is not None
            else "No people up/re-skilled for these filters."
        ),
    )

pact_report_panel(ctx)
