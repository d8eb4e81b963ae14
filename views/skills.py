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
from i18n import N_, _, ngettext
from i18n.names import skill_area_name
from i18n.numbers import number
from views import format as fmt
from views.frames import with_flags, with_names
from views.models import Chart, Notice, Sectioned

TITLE = N_("Skills delivered")
TOP_PARTNERSHIPS = 20
PEOPLE = N_("people up/re-skilled")
# The page's charts, one tab each (ui/sections.py).
SECTIONS = {
    "by_skill_area": N_("Skill areas"),
    "by_ecosystem": N_("Ecosystems"),
    "effort": N_("Programmes and investment"),
    "by_partnership": N_("Partnerships"),
    "treemap": N_("Who delivered what"),
}


@dataclass(frozen=True)
class Skills(Sectioned):
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
            _(
                "The number of people up/re-skilled in {period} is suppressed for these "
                "filters: it rests on too few organisations."
            ).format(period=period),
            kind="lead",
        )
    if total > 0:
        top = by_skill_area.iloc[int(by_skill_area["people_trained"].fillna(-1).argmax())]
        # Translators: {skill_area} is a skill area's name as it reads mid-sentence
        # ("basic digital"), put in when the page shows the sentence.
        text = _(
            "{count} people up/re-skilled in {period}; {skill_area} skills were the largest "
            "area ({share})."
        )
        return Notice(
            text.format(
                count=fmt.compact(total),
                period=period,
                share=fmt.share(top["people_trained"] / total, 0),
                skill_area="{skill_area}",  # the store's value, quoted by the renderer
            ),
            kind="lead",
            quoted={"skill_area": fmt.lower_name(skill_area_name(top["skill_area"]))},
        )
    return Notice(
        _("No people up/re-skilled reported for these filters in {period}.").format(period=period),
        kind="lead",
    )


def skill_area_chart(by_year_and_skill_area: pd.DataFrame, total: float) -> Chart:
    """People up/re-skilled per year, stacked by skill area."""
    plotted = with_names(with_flags(by_year_and_skill_area, "year", "skill_area", "people_trained"))
    return Chart(
        key="skills_by_area",
        builder=build_people_by_skill_area_figure,
        data=plotted,
        summary=stacked_summary(
            plotted, x="year", part="skill_area", y="people_trained", noun=_(PEOPLE)
        ),
        alt=_(
            "Stacked bars of people up/re-skilled per year by skill area; {count} in all."
        ).format(count=fmt.compact(total)),
    )


def ecosystem_chart(by_ecosystem: pd.DataFrame, period: str) -> Chart:
    """People up/re-skilled per ecosystem."""
    plotted = with_names(with_flags(by_ecosystem, "ecosystem", "people_trained"))
    biggest = plotted.nlargest(1, "people_trained")
    return Chart(
        key="skills_by_ecosystem",
        builder=build_people_by_ecosystem_figure,
        data=plotted,
        summary=ranking_summary(
            plotted,
            label="ecosystem",
            value="people_trained",
            noun=_(PEOPLE),
            items=_("ecosystems"),
            when=_("in {period}").format(period=period),
        ),
        alt=(
            _("Bars of people up/re-skilled per ecosystem; most in {ecosystem}.").format(
                ecosystem=biggest.iloc[0]["ecosystem"]
            )
            if not biggest.empty
            else _("No people up/re-skilled per ecosystem.")
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
        alt=_(
            "Bars per year of training programmes ({programmes} in all), investment (EUR "
            "{investment} million) and people reached by promotion ({reached})."
        ).format(
            programmes=fmt.compact(overall["programmes"].iloc[0]),
            investment=fmt.compact(overall["investment_eur"].iloc[0] / 1e6),
            reached=fmt.compact(overall["people_reached"].iloc[0]),
        ),
        note=_("programmes developed or updated; investment in EUR million"),
    )


def partnership_chart(by_partnership: pd.DataFrame, period: str) -> Chart:
    """People up/re-skilled for the 20 partnerships with most."""
    plotted = with_names(
        with_flags(
            by_partnership.nlargest(TOP_PARTNERSHIPS, "people_trained"),
            "partnership",
            "ecosystem",
            "people_trained",
        )
    )
    return Chart(
        key="skills_by_partnership",
        builder=build_people_by_partnership_figure,
        data=plotted,
        summary=ranking_summary(
            plotted,
            label="partnership",
            value="people_trained",
            noun=_(PEOPLE),
            items=_("partnerships"),
            when=_("in {period}").format(period=period),
        ),
        alt=ngettext(
            "Horizontal bars of people up/re-skilled for the {count} partnership with most.",
            "Horizontal bars of people up/re-skilled for the {count} partnerships with most.",
            len(plotted),
        ).format(count=number(len(plotted))),
        note=(
            _("top {top} of {count} partnerships").format(
                top=number(TOP_PARTNERSHIPS), count=number(len(by_partnership))
            )
            if len(by_partnership) > TOP_PARTNERSHIPS
            else ngettext(
                "all {count} partnership with reported outcomes",
                "all {count} partnerships with reported outcomes",
                len(by_partnership),
            ).format(count=number(len(by_partnership)))
        ),
    )


def treemap_chart(leaves: pd.DataFrame, total: float) -> Chart:
    """People up/re-skilled split by ecosystem, partnership and skill area.

    A treemap cannot draw a hidden box: hidden leaves are left out of the picture (their
    parents then show the published part only) and stay marked in the table and download."""
    plotted = with_names(
        with_flags(
            leaves[(leaves["people_trained"] > 0) | leaves.get("suppressed", False)],
            "ecosystem",
            "partnership",
            "skill_area",
            "people_trained",
        )
    )
    return Chart(
        key="skills_treemap",
        builder=build_skills_treemap_figure,
        data=plotted,
        figure_data=plotted.dropna(subset=["people_trained"]),
        summary=treemap_summary(plotted),
        alt=_(
            "Treemap of {count} people up/re-skilled split by ecosystem, partnership and "
            "skill area."
        ).format(count=fmt.compact(total)),
        note=_("click a box to zoom in, the bar above to zoom out"),
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
