"""Skills delivered: who was up/re-skilled in which skills, the programmes, money and outreach behind it."""

import pandas as pd
import streamlit as st

from figures.layout import period_label
from figures.skills import (
    build_people_by_ecosystem_figure,
    build_people_by_partnership_figure,
    build_people_by_skill_area_figure,
    build_programmes_investment_figure,
    build_skills_treemap_figure,
)
from figures.summaries import (
    programmes_investment_summary,
    ranking_summary,
    stacked_summary,
    treemap_summary,
)
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.figure_cache import cached_figure
from ui.frame import page_header
from ui.plain import plain
from views.format import compact
from views.frames import with_flags

TOP_PARTNERSHIPS = 20

ctx = current()
page_header("Skills delivered", ctx.state, perturbed=ctx.perturbed)
f = ctx.filters
period = period_label(f.year_from, f.year_to)

by_year_area = data.outcomes(f, ("year", "skill_area"))
by_area = data.outcomes(f, ("skill_area",))
total = float(data.outcomes(f, ())["people_trained"].iloc[0])
if pd.isna(total):
    st.markdown(
        f"**The number of people up/re-skilled in {period} is suppressed for these filters: "
        "it rests on too few organisations.**"
    )
elif total > 0:
    top = by_area.loc[by_area["people_trained"].fillna(-1).idxmax()]
    top_share = top["people_trained"] / total
    st.markdown(
        f"**{compact(total)} people up/re-skilled in {period}; "
        f"{plain(top['skill_area'].lower())} skills were the largest area "
        f"({top_share:.0%}).**"
    )
else:
    st.markdown(f"**No people up/re-skilled reported for these filters in {period}.**")

left, right = st.columns(2)
with left:
    plotted = with_flags(by_year_area, "year", "skill_area", "people_trained")
    show_chart(
        cached_figure(build_people_by_skill_area_figure, plotted),
        key="skills_by_area",
        summary=stacked_summary(
            plotted, x="year", part="skill_area", y="people_trained", noun="people up/re-skilled"
        ),
        data=plotted,
        state=ctx.state,
        alt=f"Stacked bars of people up/re-skilled per year by skill area; {compact(total)} in all.",
    )
with right:
    plotted = with_flags(data.outcomes(f, ("ecosystem",)), "ecosystem", "people_trained")
    biggest = plotted.nlargest(1, "people_trained")
    show_chart(
        cached_figure(build_people_by_ecosystem_figure, plotted),
        key="skills_by_ecosystem",
        summary=ranking_summary(
            plotted,
            label="ecosystem",
            value="people_trained",
            noun="people up/re-skilled",
            items="ecosystems",
            when=f"in {period}",
        ),
        data=plotted,
        state=ctx.state,
        alt=(
            f"Bars of people up/re-skilled per ecosystem; most in {biggest.iloc[0]['ecosystem']}."
            if not biggest.empty
            else "No people up/re-skilled per ecosystem."
        ),
    )

by_year = data.outcomes(f, ("year",))
plotted = with_flags(
    by_year.assign(investment_eur_million=by_year["investment_eur"] / 1e6),
    "year", "programmes", "investment_eur_million", "people_reached",
)  # fmt: skip
effort = data.outcomes(f, ())
show_chart(
    cached_figure(build_programmes_investment_figure, plotted),
    key="skills_effort",
    summary=programmes_investment_summary(plotted),
    data=plotted,
    state=ctx.state,
    alt=(
        f"Bars per year of training programmes ({compact(effort['programmes'].iloc[0])} "
        f"in all), investment (EUR {compact(effort['investment_eur'].iloc[0] / 1e6)} "
        f"million) and people reached by promotion "
        f"({compact(effort['people_reached'].iloc[0])})."
    ),
    note="programmes developed or updated; investment in EUR million",
)

by_partnership = data.outcomes(f, ("ecosystem", "partnership"))
plotted = with_flags(
    by_partnership.nlargest(TOP_PARTNERSHIPS, "people_trained"),
    "partnership", "ecosystem", "people_trained",
)  # fmt: skip
show_chart(
    cached_figure(build_people_by_partnership_figure, plotted),
    key="skills_by_partnership",
    summary=ranking_summary(
        plotted,
        label="partnership",
        value="people_trained",
        noun="people up/re-skilled",
        items="partnerships",
        when=f"in {period}",
    ),
    data=plotted,
    state=ctx.state,
    alt=f"Horizontal bars of people up/re-skilled for the {len(plotted)} partnerships with most.",
    note=(
        f"top {TOP_PARTNERSHIPS} of {len(by_partnership)} partnerships"
        if len(by_partnership) > TOP_PARTNERSHIPS
        else f"all {len(by_partnership)} partnerships with reported outcomes"
    ),
)

leaves = data.outcomes(f, ("ecosystem", "partnership", "skill_area"))
# A treemap cannot draw a hidden box: hidden leaves are left out of the picture (their
# parents then show the published part only) and stay marked in the table and download.
plotted = with_flags(
    leaves[(leaves["people_trained"] > 0) | leaves.get("suppressed", False)],
    "ecosystem", "partnership", "skill_area", "people_trained",
)  # fmt: skip
show_chart(
    cached_figure(build_skills_treemap_figure, plotted.dropna(subset=["people_trained"])),
    key="skills_treemap",
    summary=treemap_summary(plotted),
    data=plotted,
    state=ctx.state,
    alt=(
        f"Treemap of {compact(total)} people up/re-skilled split by ecosystem, "
        "partnership and skill area."
    ),
    note="click a box to zoom in, the bar above to zoom out",
)
