"""Growth: how the partnerships gained members over time, where members are, when each launched."""

import streamlit as st

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
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.figure_cache import cached_figure
from ui.frame import page_header
from ui.page_choice import url_choice
from views.format import compact
from views.frames import with_flags

GROUPINGS = {
    "pact": "Pact total",
    "partnership": "Partnership",
    "ecosystem": "Ecosystem",
    "country": "Country",
    "org_type": "Organisation type",
}
FOLDED = ("partnership", "country")  # too many groups for one chart
TOP_GROUPS, TOP_COUNTRIES = 12, 20

ctx = current()
page_header(
    "Growth of the partnerships",
    ctx.state,
    "Members are organisations with an active membership at the end of a period; "
    "a member is new in the period of its first join.",
)

left, right = st.columns([3, 1])
with left:
    by = url_choice("Group by", GROUPINGS, key="growth_by", param="by", default="pact")
with right:
    granularity = url_choice("Periods", {"year": "Year", "quarter": "Quarter"},
                             key="growth_granularity", param="period", default="year")  # fmt: skip
by_label = None if by == "pact" else GROUPINGS[by]

members = data.members_over_time(ctx.filters, by=by, granularity=granularity)
folded, n_folded = fold_small_groups(members, TOP_GROUPS if by in FOLDED else None)
note = grouping_note(by, n_folded, TOP_GROUPS)
end = members_at_period_end(members, label="group")

plotted = with_flags(folded, "period", "period_end", "group", "members")
show_chart(
    cached_figure(build_members_over_time_figure, plotted, by=by, by_label=by_label, granularity=granularity),
    key="growth_members", data=plotted, state=ctx.state, note=note,
    summary=grouped_trend_summary(plotted, x="period", group="group", y="members", noun="member organisations"),
    alt=f"Lines of member organisations at the end of each {granularity}; the largest group "
    f"at the end is {end['group'].iloc[0] if len(end) else '-'} with "
    f"{compact(end['members'].iloc[0]) if len(end) else 0} members.",
)  # fmt: skip
plotted = with_flags(folded, "period", "period_end", "group", "new_members")
show_chart(
    cached_figure(build_new_members_figure, plotted, by=by, by_label=by_label, granularity=granularity),
    key="growth_new_members", data=plotted, state=ctx.state, note=note,
    summary=stacked_summary(plotted, x="period", part="group", y="new_members", noun="new member organisations"),
    alt=f"Stacked bars of new member organisations per {granularity}: "
    f"{compact(plotted['new_members'].sum(skipna=False))} first joins over the period.",
)  # fmt: skip

period = str(ctx.filters.year_to)
left, right = st.columns(2)
for column, grouping, builder, top_n in (
    (left, "country", build_members_by_country_figure, TOP_COUNTRIES),
    (right, "org_type", build_members_by_org_type_figure, None),
):
    frame = data.members_over_time(ctx.filters, by=grouping, granularity="year")
    plotted = members_at_period_end(frame, label=grouping, top=top_n)
    largest = f"{plotted.iloc[0, 0]} ({compact(plotted.iloc[0, 1])})" if len(plotted) else "none"
    with column:
        show_chart(
            cached_figure(builder, plotted, period=period),
            key=f"growth_{grouping}", data=plotted, state=ctx.state,
            summary=ranking_summary(plotted, label=grouping, value="members", noun="member organisations",
                                    items={"country": "countries", "org_type": "organisation types"}[grouping],
                                    when=f"at the end of {period}"),
            note=f"the {top_n} with most members" if top_n and len(plotted) == top_n else None,
            alt=f"Bars of member organisations by {GROUPINGS[grouping].lower()} at the end "
            f"of {period}; the largest is {largest}.",
        )  # fmt: skip

launches = data.partnership_launches(ctx.filters)
plotted = launches[["short_name", "name", "kind", "ecosystem", "launch_date"]]
show_chart(
    cached_figure(build_launches_figure, plotted),
    key="growth_launches", data=plotted, state=ctx.state,
    summary=launches_summary(plotted),
    note="circles: large-scale partnerships; diamonds: regional partnerships",
    alt=f"Timeline of {len(plotted)} partnership launches, one row per ecosystem.",
)  # fmt: skip
