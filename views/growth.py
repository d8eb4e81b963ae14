"""Growth: how the partnerships gained members over time, where members are, when each launched.

Takes the members_over_time frames (by the chosen grouping and periods, by country and by
organisation type) and the partnership launches; gives the page's five charts and the words
of its choices.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access import Filters
from data_access.membership import Granularity, MemberGrouping
from figures.growth import (
    build_launches_figure,
    build_members_by_country_figure,
    build_members_by_org_type_figure,
    build_members_over_time_figure,
    build_new_members_figure,
    fold_small_groups,
    grouping_note,
    members_at_period_end,
)
from figures.summaries import (
    grouped_trend_summary,
    launches_summary,
    ranking_summary,
    stacked_summary,
)
from i18n import N_, _, ngettext
from i18n.numbers import number
from views import format as fmt
from views.frames import with_flags, with_names
from views.models import Chart, Sectioned

TITLE = N_("Growth of the partnerships")
INTRO = N_(
    "Members are organisations with an active membership at the end of a period; "
    "a member is new in the period of its first join."
)
GROUP_BY = N_("Group by")
GROUPINGS: dict[MemberGrouping, str] = {
    "pact": N_("Pact total"),
    "partnership": N_("Partnership"),
    "ecosystem": N_("Ecosystem"),
    "country": N_("Country"),
    "org_type": N_("Organisation type"),
}
# The page's charts, one tab each (ui/sections.py); the first two follow the choices above.
SECTIONS = {
    "members": N_("Members"),
    "new_members": N_("New members"),
    "by_country": N_("Countries"),
    "by_org_type": N_("Organisation types"),
    "launches": N_("Launches"),
}
CHOSEN = ("members", "new_members")  # the tabs drawn with the grouping and period choices
DEFAULT_BY: MemberGrouping = "pact"
DEFAULT_PERIOD: Granularity = "year"
PERIODS_LABEL = N_("Periods")
PERIODS: dict[Granularity, str] = {"year": N_("Year"), "quarter": N_("Quarter")}
FOLDED = ("partnership", "country")  # too many groups for one chart
TOP_GROUPS, TOP_COUNTRIES = 12, 20
RANKED_ITEMS = {"country": N_("countries"), "org_type": N_("organisation types")}
# The alt text of the trend charts, by granularity (whole sentences, for translation).
MEMBERS_ALT = {
    "year": N_(
        "Lines of member organisations at the end of each year; the largest group at the end "
        "is {group} with {count} members."
    ),
    "quarter": N_(
        "Lines of member organisations at the end of each quarter; the largest group at the "
        "end is {group} with {count} members."
    ),
}
NEW_MEMBERS_ALT = {
    "year": N_(
        "Stacked bars of new member organisations per year: {count} first joins over the period."
    ),
    "quarter": N_(
        "Stacked bars of new member organisations per quarter: {count} first joins over the period."
    ),
}
RANKING_ALT = {
    "country": N_(
        "Bars of member organisations by country at the end of {period}; the largest is {largest}."
    ),
    "org_type": N_(
        "Bars of member organisations by organisation type at the end of {period}; the "
        "largest is {largest}."
    ),
}
LAUNCHED = ["short_name", "name", "kind", "ecosystem", "launch_date"]


@dataclass(frozen=True)
class Growth(Sectioned):
    """What the Growth page says: members and new members per period by the chosen grouping,
    members by country and by type at the end of the period, and the launches."""

    members: Chart
    new_members: Chart
    by_country: Chart
    by_org_type: Chart
    launches: Chart


def trend_charts(
    members: pd.DataFrame, *, by: MemberGrouping, granularity: Granularity
) -> tuple[Chart, Chart]:
    """Members and new members per period, one line or bar per group (the smaller groups of
    a long list summed as Other)."""
    members = with_names(members, group=by)
    folded, n_folded = fold_small_groups(members, TOP_GROUPS if by in FOLDED else None)
    note = grouping_note(by, n_folded, TOP_GROUPS)
    end = members_at_period_end(members, label="group")
    options = {
        "by": by,
        "by_label": None if by == "pact" else _(GROUPINGS[by]),
        "granularity": granularity,
    }
    largest, most = (
        (end["group"].iloc[0], fmt.compact(end["members"].iloc[0])) if len(end) else ("-", "0")
    )
    plotted = with_flags(folded, "period", "period_end", "group", "members")
    new = with_flags(folded, "period", "period_end", "group", "new_members")
    return (
        Chart(
            key="growth_members",
            builder=build_members_over_time_figure,
            data=plotted,
            options=options,
            note=note,
            summary=grouped_trend_summary(
                plotted, x="period", group="group", y="members", noun=_("member organisations")
            ),
            alt=_(MEMBERS_ALT[granularity]).format(group=largest, count=most),
        ),
        Chart(
            key="growth_new_members",
            builder=build_new_members_figure,
            data=new,
            options=options,
            note=note,
            summary=stacked_summary(
                new, x="period", part="group", y="new_members", noun=_("new member organisations")
            ),
            alt=_(NEW_MEMBERS_ALT[granularity]).format(
                count=fmt.compact(new["new_members"].sum(skipna=False))
            ),
        ),
    )


def ranking_chart(members: pd.DataFrame, filters: Filters, *, grouping: MemberGrouping) -> Chart:
    """Members by country (the 20 with most) or by organisation type at the end of the
    period, from a yearly members_over_time frame by that grouping."""
    period = str(filters.year_to)
    top = TOP_COUNTRIES if grouping == "country" else None
    plotted = members_at_period_end(with_names(members, group=grouping), label=grouping, top=top)
    largest = (
        _("{name} ({count})").format(
            name=plotted[grouping].iloc[0], count=fmt.compact(plotted["members"].iloc[0])
        )
        if len(plotted)
        else _("none")
    )
    builder = (
        build_members_by_country_figure
        if grouping == "country"
        else build_members_by_org_type_figure
    )
    return Chart(
        key=f"growth_{grouping}",
        builder=builder,
        data=plotted,
        options={"period": period},
        summary=ranking_summary(
            plotted,
            label=grouping,
            value="members",
            noun=_("member organisations"),
            items=_(RANKED_ITEMS[grouping]),
            when=_("at the end of {period}").format(period=period),
        ),
        note=(
            _("the {count} with most members").format(count=number(top))
            if top and len(plotted) == top
            else None
        ),
        alt=_(RANKING_ALT[grouping]).format(period=period, largest=largest),
    )


def launches_chart(launches: pd.DataFrame) -> Chart:
    """A timeline of the partnerships' launches, one row per ecosystem."""
    plotted = with_names(launches[LAUNCHED])
    return Chart(
        key="growth_launches",
        builder=build_launches_figure,
        data=plotted,
        summary=launches_summary(plotted),
        note=_("circles: large-scale partnerships; diamonds: regional partnerships"),
        alt=ngettext(
            "Timeline of {count} partnership launch, one row per ecosystem.",
            "Timeline of {count} partnership launches, one row per ecosystem.",
            len(plotted),
        ).format(count=number(len(plotted))),
    )


def growth(
    members: pd.DataFrame,
    by_country: pd.DataFrame,
    by_org_type: pd.DataFrame,
    launches: pd.DataFrame,
    filters: Filters,
    *,
    by: MemberGrouping,
    granularity: Granularity,
) -> Growth:
    """The Growth page: `members` is members_over_time by `by` and `granularity`,
    `by_country` and `by_org_type` yearly ones by those groupings."""
    members_chart, new_members_chart = trend_charts(members, by=by, granularity=granularity)
    return Growth(
        members=members_chart,
        new_members=new_members_chart,
        by_country=ranking_chart(by_country, filters, grouping="country"),
        by_org_type=ranking_chart(by_org_type, filters, grouping="org_type"),
        launches=launches_chart(launches),
    )
