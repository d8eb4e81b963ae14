"""Gender balance: women's share of trainees with recorded gender, and how much is not recorded.

Takes outcome totals (overall, by year, ecosystem, partnership and skill area) and the
partnerships' own targets; gives the page's lead, its note on how shares are computed, its
charts and the words of its choice of trend lines.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access import Filters
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
from i18n import N_, _, ngettext
from i18n.numbers import number
from views import format as fmt
from views.frames import with_flags, with_names
from views.models import Chart, Notice, Sectioned

TITLE = N_("Gender balance of trainees")
LINES_LABEL = N_("Lines for")
TREND_LINES = {"pact": N_("Pact total"), "ecosystem": N_("Each ecosystem")}
SHARES_ONLY = N_("Shares are computed among trainees whose gender was recorded.")
HOVER = N_("Hover a bar to see how many trainees of that group have no gender recorded.")
# The page's charts, one tab each (ui/sections.py); the trend is drawn by trend_chart.
SECTIONS = {
    "partnerships": N_("Partnerships"),
    "ecosystems": N_("Ecosystems"),
    "skill_areas": N_("Skill areas"),
    "trend": N_("Over time"),
    "composition": N_("All trainees"),
}
COMPOSITION = ["ecosystem", "women", "men", "other_gender", "not_recorded", "people_trained"]


@dataclass(frozen=True)
class Gender(Sectioned):
    """What the Gender balance page says: a lead sentence, how shares are computed, women's
    share by partnership, ecosystem and skill area, and the gender of all trainees."""

    lead: Notice
    shares_note: Notice
    partnerships: Chart
    ecosystems: Chart
    skill_areas: Chart
    composition: Chart


def shares_note(overall: pd.DataFrame, period: str) -> Notice:
    """How shares are computed and how many trainees of the period have no gender recorded."""
    people = overall["people_trained"].iloc[0] if not overall.empty else 0
    not_recorded = overall["not_recorded"].iloc[0] if not overall.empty else 0
    known = not fmt.is_missing(people) and not fmt.is_missing(not_recorded)
    text = not_recorded_note(int(people), int(not_recorded), period) if known else _(SHARES_ONLY)
    return Notice(f"{text} {_(HOVER)}", kind="text")


def share_charts(
    by_partnership: pd.DataFrame,
    partnerships: pd.DataFrame,
    by_ecosystem: pd.DataFrame,
    by_skill_area: pd.DataFrame,
    period: str,
) -> tuple[Chart, Chart, Chart]:
    """Women's share of trainees with recorded gender by partnership (against parity and
    each one's own target), by ecosystem and by skill area."""
    targets = partnerships[["slug", "target_women_share"]]
    with_targets = by_partnership.merge(
        targets, left_on="partnership_slug", right_on="slug", how="left"
    )
    per_partnership = with_names(
        share_frame(with_targets, ["partnership", "ecosystem"], ["target_women_share"])
    )
    per_ecosystem = with_names(share_frame(by_ecosystem, ["ecosystem"]))
    per_skill_area = with_names(share_frame(by_skill_area, ["skill_area"]))
    options = {"period": period}
    return (
        Chart(
            key="gender_partnerships",
            builder=build_share_by_partnership_figure,
            data=per_partnership,
            options=options,
            summary=share_range_summary(
                per_partnership,
                label="partnership",
                items=_("partnerships"),
                target="target_women_share",
            ),
            note=_(
                "dashed line: parity; black tick: the partnership's own target, where it set one"
            ),
            alt=ngettext(
                "Bars of women's share of trainees with recorded gender for {count} "
                "partnership, against parity and each partnership's own target.",
                "Bars of women's share of trainees with recorded gender for {count} "
                "partnerships, against parity and each partnership's own target.",
                len(per_partnership),
            ).format(count=number(len(per_partnership))),
        ),
        Chart(
            key="gender_ecosystems",
            builder=build_share_by_ecosystem_figure,
            data=per_ecosystem,
            options=options,
            summary=share_range_summary(per_ecosystem, label="ecosystem", items=_("ecosystems")),
            alt=ngettext(
                "Bars of women's share of trainees with recorded gender in {count} ecosystem.",
                "Bars of women's share of trainees with recorded gender in {count} ecosystems.",
                len(per_ecosystem),
            ).format(count=number(len(per_ecosystem))),
        ),
        Chart(
            key="gender_skill_areas",
            builder=build_share_by_skill_area_figure,
            data=per_skill_area,
            options=options,
            summary=share_range_summary(per_skill_area, label="skill_area", items=_("skill areas")),
            alt=_("Bars of women's share of trainees with recorded gender per skill area."),
        ),
    )


def composition_chart(by_ecosystem: pd.DataFrame, overall: pd.DataFrame, period: str) -> Chart:
    """The recorded gender of all trainees, by ecosystem."""
    plotted = with_names(with_flags(by_ecosystem, *COMPOSITION))
    not_recorded = overall["not_recorded"].iloc[0] if not overall.empty else 0
    return Chart(
        key="gender_composition",
        builder=build_gender_composition_figure,
        data=plotted,
        options={"period": period},
        summary=gender_composition_summary(plotted),
        note=_("shares of all trainees, whether or not their gender was recorded"),
        alt=_(
            "Stacked bars of trainees' recorded gender by ecosystem; {count} trainees have no "
            "gender recorded."
        ).format(count=fmt.compact(not_recorded)),
    )


def trend_chart(by_year: pd.DataFrame, by_year_and_ecosystem: pd.DataFrame | None) -> Chart:
    """Women's share per year: one line for the Pact, or one per ecosystem when
    `by_year_and_ecosystem` is given."""
    per_ecosystem = by_year_and_ecosystem is not None
    trend = (
        by_year_and_ecosystem.rename(columns={"ecosystem": "group"})
        if by_year_and_ecosystem is not None
        else by_year.assign(group=_("Pact"))
    )
    plotted = with_names(share_frame(trend, ["year", "group"]), group="ecosystem")
    return Chart(
        key="gender_trend",
        builder=build_share_over_time_figure,
        data=plotted,
        options={"by_ecosystem": per_ecosystem},
        summary=women_share_trend_summary(plotted),
        alt=women_share_summary(by_year),
    )


def gender(
    overall: pd.DataFrame,
    by_year: pd.DataFrame,
    by_partnership: pd.DataFrame,
    partnerships: pd.DataFrame,
    by_ecosystem: pd.DataFrame,
    by_skill_area: pd.DataFrame,
    filters: Filters,
) -> Gender:
    """The Gender balance page but its trend (trend_chart, drawn under the choice of lines):
    outcome totals overall, by year, by ecosystem and partnership, by ecosystem and by skill
    area, and the partnerships table (for their targets)."""
    period = period_label(filters.year_from, filters.year_to)
    by_partnership_chart, by_ecosystem_chart, by_skill_area_chart = share_charts(
        by_partnership, partnerships, by_ecosystem, by_skill_area, period
    )
    return Gender(
        lead=Notice(women_share_summary(by_year), kind="lead"),
        shares_note=shares_note(overall, period),
        partnerships=by_partnership_chart,
        ecosystems=by_ecosystem_chart,
        skill_areas=by_skill_area_chart,
        composition=composition_chart(by_ecosystem, overall, period),
    )
