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
from figures.summaries import (
    gender_composition_summary,
    share_range_summary,
    women_share_trend_summary,
)
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.figure_cache import cached_figure
from ui.frame import page_header
from ui.page_choice import url_choice
from views.format import compact

TREND_LINES = {"pact": "Pact total", "ecosystem": "Each ecosystem"}

ctx = current()
page_header("Gender balance of trainees", ctx.state, perturbed=ctx.perturbed)
period = period_label(ctx.filters.year_from, ctx.filters.year_to)


def totals(*by: str) -> pd.DataFrame:
    """Outcome totals of the current filters by the given dimensions."""
    return data.outcomes(ctx.filters, by)


by_year = totals("year")
overall = totals()
st.markdown(f"**{women_share_summary(by_year)}**")
people_all = overall["people_trained"].iloc[0] if not overall.empty else 0
not_recorded_all = overall["not_recorded"].iloc[0] if not overall.empty else 0
st.markdown(
    (
        not_recorded_note(int(people_all), int(not_recorded_all), period)
        if pd.notna(people_all) and pd.notna(not_recorded_all)
        else "Shares are computed among trainees whose gender was recorded."
    )
    + " Hover a bar to see how many trainees of that group have no gender recorded."
)

targets = data.partnerships()[["slug", "target_women_share"]]
by_partnership = totals("ecosystem", "partnership").merge(
    targets, left_on="partnership_slug", right_on="slug", how="left"
)
plotted = share_frame(by_partnership, ["partnership", "ecosystem"], ["target_women_share"])
show_chart(
    cached_figure(build_share_by_partnership_figure, plotted, period=period),
    key="gender_partnerships", data=plotted, state=ctx.state,
    summary=share_range_summary(plotted, label="partnership", items="partnerships", target="target_women_share"),
    note="dashed line: parity; black tick: the partnership's own target, where it set one",
    alt=f"Bars of women's share of trainees with recorded gender for {len(plotted)} partnerships, "
    "against parity and each partnership's own target.",
)  # fmt: skip

by_ecosystem = totals("ecosystem")
plotted = share_frame(by_ecosystem, ["ecosystem"])
show_chart(
    cached_figure(build_share_by_ecosystem_figure, plotted, period=period),
    key="gender_ecosystems", data=plotted, state=ctx.state,
    summary=share_range_summary(plotted, label="ecosystem", items="ecosystems"),
    alt=f"Bars of women's share of trainees with recorded gender in {len(plotted)} ecosystems.",
)  # fmt: skip
plotted = share_frame(totals("skill_area"), ["skill_area"])
show_chart(
    cached_figure(build_share_by_skill_area_figure, plotted, period=period),
    key="gender_skill_areas", data=plotted, state=ctx.state,
    summary=share_range_summary(plotted, label="skill_area", items="skill areas"),
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
    cached_figure(build_share_over_time_figure, plotted, by_ecosystem=by_ecosystem_lines),
    key="gender_trend", data=plotted, state=ctx.state,
    summary=women_share_trend_summary(plotted),
    alt=women_share_summary(by_year),
)  # fmt: skip

plotted = by_ecosystem[
    ["ecosystem", "women", "men", "other_gender", "not_recorded", "people_trained"]
    + (["suppressed"] if "suppressed" in by_ecosystem else [])
]
show_chart(
    cached_figure(build_gender_composition_figure, plotted, period=period),
    key="gender_composition", data=plotted, state=ctx.state,
    summary=gender_composition_summary(plotted),
    note="shares of all trainees, whether or not their gender was recorded",
    alt=f"Stacked bars of trainees' recorded gender by ecosystem; {compact(not_recorded_all)} "
    "trainees have no gender recorded.",
)  # fmt: skip
