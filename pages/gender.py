"""Gender balance: women's share of trainees with recorded gender, and how much is not recorded."""

import pandas as pd
import streamlit as st

from figures.gender import (
    build_gender_composition_figure,
    build_share_by_ecosystem_figure,
    build_share_by_partnership_figure,
    build_share_by_skill_area_figure,
    build_share_over_time_figure,
    not_recorded_note,
    share_frame,
    women_share_summary,
)
from figures.layout import period_label
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice

TREND_LINES = {"pact": "Pact total", "ecosystem": "Each ecosystem"}

ctx = current()
page_header("Gender balance of trainees", ctx.state)
period = period_label(ctx.filters.year_from, ctx.filters.year_to)


def totals(*by: str) -> pd.DataFrame:
    """Outcome totals of the current filters by the given dimensions."""
    return data.outcomes(ctx.filters, by)


by_year = totals("year")
st.markdown(f"**{women_share_summary(by_year)}**")
st.markdown(
    not_recorded_note(
        int(by_year["people_trained"].sum()), int(by_year["not_recorded"].sum()), period
    )
    + " Hover a bar to see how many trainees of that group have no gender recorded."
)

targets = data.partnerships()[["slug", "target_women_share"]]
by_partnership = totals("ecosystem", "partnership").merge(
    targets, left_on="partnership_slug", right_on="slug", how="left"
)
plotted = share_frame(by_partnership, ["partnership", "ecosystem"], ["target_women_share"])
show_chart(
    build_share_by_partnership_figure(plotted, period=period),
    key="gender_partnerships", data=plotted, state=ctx.state,
    note="dashed line: parity; black tick: the partnership's own target, where it set one",
    alt=f"Bars of women's share of trainees with recorded gender for {len(plotted)} partnerships, "
    "against parity and each partnership's own target.",
)  # fmt: skip

by_ecosystem = totals("ecosystem")
plotted = share_frame(by_ecosystem, ["ecosystem"])
show_chart(
    build_share_by_ecosystem_figure(plotted, period=period),
    key="gender_ecosystems", data=plotted, state=ctx.state,
    alt=f"Bars of women's share of trainees with recorded gender in {len(plotted)} ecosystems.",
)  # fmt: skip
plotted = share_frame(totals("skill_area"), ["skill_area"])
show_chart(
    build_share_by_skill_area_figure(plotted, period=period),
    key="gender_skill_areas", data=plotted, state=ctx.state,
    alt="Bars of women's share of trainees with recorded gender per skill area.",
)  # fmt: skip

lines = url_choice("Lines for", TREND_LINES, key="gender_trend_by", param="lines", default="pact")
by_ecosystem_lines = lines == "ecosystem"
trend = (
    totals("year", "ecosystem").rename(columns={"ecosystem": "group"})
    if by_ecosystem_lines
    else by_year.assign(group="Pact")
)
plotted = share_frame(trend, ["year", "group"])
show_chart(
    build_share_over_time_figure(plotted, by_ecosystem=by_ecosystem_lines),
    key="gender_trend", data=plotted, state=ctx.state,
    alt=women_share_summary(by_year),
)  # fmt: skip

plotted = by_ecosystem[
    ["ecosystem", "women", "men", "other_gender", "not_recorded", "people_trained"]
]
show_chart(
    build_gender_composition_figure(plotted, period=period),
    key="gender_composition", data=plotted, state=ctx.state,
    note="shares of all trainees, whether or not their gender was recorded",
    alt=f"Stacked bars of trainees' recorded gender by ecosystem; {int(plotted['not_recorded'].sum()):,} "
    "trainees have no gender recorded.",
)  # fmt: skip
