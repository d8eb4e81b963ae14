"""Skills delivered: who was up/re-skilled in which skills, the programmes, money and outreach behind it."""

import streamlit as st

from figures.layout import period_label
from figures.skills import (
    build_people_by_ecosystem_figure,
    build_people_by_partnership_figure,
    build_people_by_skill_area_figure,
    build_programmes_investment_figure,
    build_skills_treemap_figure,
)
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.frame import format_number, page_header

TOP_PARTNERSHIPS = 20

ctx = current()
page_header("Skills delivered", ctx.state)
f = ctx.filters
period = period_label(f.year_from, f.year_to)

by_year_area = data.outcomes(f, ("year", "skill_area"))
by_area = by_year_area.groupby("skill_area", as_index=False)["people_trained"].sum()
total = int(by_area["people_trained"].sum())
if total > 0:
    top = by_area.loc[by_area["people_trained"].idxmax()]
    st.markdown(
        f"**{format_number(total)} people up/re-skilled in {period}; "
        f"{top['skill_area'].lower()} skills were the largest area "
        f"({top['people_trained'] / total:.0%}).**"
    )
else:
    st.markdown(f"**No people up/re-skilled reported for these filters in {period}.**")

left, right = st.columns(2)
with left:
    plotted = by_year_area[["year", "skill_area", "people_trained"]]
    show_chart(
        build_people_by_skill_area_figure(plotted),
        key="skills_by_area",
        data=plotted,
        state=ctx.state,
        alt=f"Stacked bars of people up/re-skilled per year by skill area; {format_number(total)} in all.",
    )
with right:
    plotted = data.outcomes(f, ("ecosystem",))[["ecosystem", "people_trained"]]
    biggest = plotted.nlargest(1, "people_trained")
    show_chart(
        build_people_by_ecosystem_figure(plotted),
        key="skills_by_ecosystem",
        data=plotted,
        state=ctx.state,
        alt=(
            f"Bars of people up/re-skilled per ecosystem; most in {biggest.iloc[0]['ecosystem']}."
            if not biggest.empty
            else "No people up/re-skilled per ecosystem."
        ),
    )

by_year = data.outcomes(f, ("year",))
plotted = by_year[["year", "programmes", "investment_eur", "people_reached"]].assign(
    investment_eur_million=by_year["investment_eur"] / 1e6
)[["year", "programmes", "investment_eur_million", "people_reached"]]
show_chart(
    build_programmes_investment_figure(plotted),
    key="skills_effort",
    data=plotted,
    state=ctx.state,
    alt=(
        f"Bars per year of training programmes ({format_number(plotted['programmes'].sum())} in all), "
        f"investment (EUR {plotted['investment_eur_million'].sum():,.1f} million) and people "
        f"reached by promotion ({format_number(plotted['people_reached'].sum())})."
    ),
    note="programmes developed or updated; investment in EUR million",
)

by_partnership = data.outcomes(f, ("ecosystem", "partnership"))
plotted = by_partnership.nlargest(TOP_PARTNERSHIPS, "people_trained")[
    ["partnership", "ecosystem", "people_trained"]
]
show_chart(
    build_people_by_partnership_figure(plotted),
    key="skills_by_partnership",
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
plotted = leaves.loc[
    leaves["people_trained"] > 0, ["ecosystem", "partnership", "skill_area", "people_trained"]
]
show_chart(
    build_skills_treemap_figure(plotted),
    key="skills_treemap",
    data=plotted,
    state=ctx.state,
    alt=(
        f"Treemap of {format_number(total)} people up/re-skilled split by ecosystem, "
        "partnership and skill area."
    ),
    note="click a box to zoom in, the bar above to zoom out",
)
