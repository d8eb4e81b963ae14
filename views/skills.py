"""Skills delivered: who was up/re-skilled in which skills, the programmes, money and outreach.

Takes outcome totals (overall and by year, skill area, ecosystem and partnership); gives the
page's lead sentence and its five charts.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access import Filters
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
from views import format as fmt
from views.frames import with_flags
from views.models import Chart, Notice

TITLE = "Skills delivered"
TOP_PARTNERSHIPS = 20
PEOPLE = "people up/re-skilled"


@dataclass(frozen=True)
class Skills:
    """What the Skills delivered page says: a lead sentence, people by skill area and year,
    by ecosystem and by partnership, the effort behind them and a treemap of it all."""

    lead: Notice
    by_skill_area: Chart
    by_ecosystem: Chart
    effort: Chart
    by_partnership: Chart
    treemap: Chart


def lead(total: float, by_skill_area: pd.DataFrame, period: str) -> Notice:
    """People up/re-skilled in the period and the largest skill area (or why there is none)."""
    if fmt.is_missing(total):
        return Notice(
            f"The number of people up/re-skilled in {period} is suppressed for these filters: "
            "it rests on too few organisations.",
            kind="lead",
        )
    if total > 0:
        top = by_skill_area.iloc[int(by_skill_area["people_trained"].fillna(-1).argmax())]
        return Notice(
            f"{fmt.compact(total)} {PEOPLE} in {period}; {{0}} skills were the largest area "
            f"({top['people_trained'] / total:.0%}).",
            kind="lead",
            quoted=(top["skill_area"].lower(),),
        )
    return Notice(f"No {PEOPLE} reported for these filters in {period}.", kind="lead")


def skill_area_chart(by_year_and_skill_area: pd.DataFrame, total: float) -> Chart:
    """People up/re-skilled per year, stacked by skill area."""
    plotted = with_flags(by_year_and_skill_area, "year", "skill_area", "people_trained")
    return Chart(
        key="skills_by_area",
        builder=build_people_by_skill_area_figure,
        data=plotted,
        summary=stacked_summary(
            plotted, x="year", part="skill_area", y="people_trained", noun=PEOPLE
        ),
        alt=f"Stacked bars of {PEOPLE} per year by skill area; {fmt.compact(total)} in all.",
    )


def ecosystem_chart(by_ecosystem: pd.DataFrame, period: str) -> Chart:
    """People up/re-skilled per ecosystem."""
    plotted = with_flags(by_ecosystem, "ecosystem", "people_trained")
    biggest = plotted.nlargest(1, "people_trained")
    return Chart(
        key="skills_by_ecosystem",
        builder=build_people_by_ecosystem_figure,
        data=plotted,
        summary=ranking_summary(
            plotted,
            label="ecosystem",
            value="people_trained",
            noun=PEOPLE,
            items="ecosystems",
            when=f"in {period}",
        ),
        alt=(
            f"Bars of {PEOPLE} per ecosystem; most in {biggest.iloc[0]['ecosystem']}."
            if not biggest.empty
            else f"No {PEOPLE} per ecosystem."
        ),
    )


def effort_chart(by_year: pd.DataFrame, overall: pd.DataFrame) -> Chart:
    """Training programmes, investment (EUR million) and people reached by promotion per year."""
    plotted = with_flags(
        by_year.assign(investment_eur_million=by_year["investment_eur"] / 1e6),
        "year",
        "programmes",
        "investment_eur_million",
        "people_reached",
    )
    return Chart(
        key="skills_effort",
        builder=build_programmes_investment_figure,
        data=plotted,
        summary=programmes_investment_summary(plotted),
        alt=(
            f"Bars per year of training programmes ({fmt.compact(overall['programmes'].iloc[0])} "
            f"in all), investment (EUR {fmt.compact(overall['investment_eur'].iloc[0] / 1e6)} "
            f"million) and people reached by promotion "
            f"({fmt.compact(overall['people_reached'].iloc[0])})."
        ),
        note="programmes developed or updated; investment in EUR million",
    )


def partnership_chart(by_partnership: pd.DataFrame, period: str) -> Chart:
    """People up/re-skilled for the 20 partnerships with most."""
    plotted = with_flags(
        by_partnership.nlargest(TOP_PARTNERSHIPS, "people_trained"),
        "partnership",
        "ecosystem",
        "people_trained",
    )
    return Chart(
        key="skills_by_partnership",
        builder=build_people_by_partnership_figure,
        data=plotted,
        summary=ranking_summary(
            plotted,
            label="partnership",
            value="people_trained",
            noun=PEOPLE,
            items="partnerships",
            when=f"in {period}",
        ),
        alt=f"Horizontal bars of {PEOPLE} for the {len(plotted)} partnerships with most.",
        note=(
            f"top {TOP_PARTNERSHIPS} of {len(by_partnership)} partnerships"
            if len(by_partnership) > TOP_PARTNERSHIPS
            else f"all {len(by_partnership)} partnerships with reported outcomes"
        ),
    )


def treemap_chart(leaves: pd.DataFrame, total: float) -> Chart:
    """People up/re-skilled split by ecosystem, partnership and skill area.

    A treemap cannot draw a hidden box: hidden leaves are left out of the picture (their
    parents then show the published part only) and stay marked in the table and download."""
    plotted = with_flags(
        leaves[(leaves["people_trained"] > 0) | leaves.get("suppressed", False)],
        "ecosystem",
        "partnership",
        "skill_area",
        "people_trained",
    )
    return Chart(
        key="skills_treemap",
        builder=build_skills_treemap_figure,
        data=plotted,
        figure_data=plotted.dropna(subset=["people_trained"]),
        summary=treemap_summary(plotted),
        alt=(
            f"Treemap of {fmt.compact(total)} {PEOPLE} split by ecosystem, "
            "partnership and skill area."
        ),
        note="click a box to zoom in, the bar above to zoom out",
    )


def skills(
    overall: pd.DataFrame,
    by_year: pd.DataFrame,
    by_skill_area: pd.DataFrame,
    by_year_and_skill_area: pd.DataFrame,
    by_ecosystem: pd.DataFrame,
    by_partnership: pd.DataFrame,
    leaves: pd.DataFrame,
    filters: Filters,
) -> Skills:
    """The Skills delivered page, from outcome totals: overall, by year, by skill area, by
    year and skill area, by ecosystem, by ecosystem and partnership, and by ecosystem,
    partnership and skill area (`leaves`)."""
    period = period_label(filters.year_from, filters.year_to)
    total = float(overall["people_trained"].iloc[0])
    return Skills(
        lead=lead(total, by_skill_area, period),
        by_skill_area=skill_area_chart(by_year_and_skill_area, total),
        by_ecosystem=ecosystem_chart(by_ecosystem, period),
        effort=effort_chart(by_year, overall),
        by_partnership=partnership_chart(by_partnership, period),
        treemap=treemap_chart(leaves, total),
    )
