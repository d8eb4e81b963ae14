"""Partnership profile: one partnership in depth — members, outcomes, pledge, non-reporters, peers.

Member lists and non-reporters are shown only to callers the data layer lets see them (the
partnership's coordinators, officers, admins); everyone else gets the aggregates.
"""

import pandas as pd
import streamlit as st

from data_access import peer_table
from data_access.directory import NOT_LISTED, listing_marks
from data_access.outcomes import own_comparison
from figures.partnership import (
    build_peer_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from figures.summaries import peers_summary, pledge_trend_summary, trend_summary
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.exports import partnership_report_panel
from ui.figure_cache import cached_figure
from ui.frame import page_header
from ui.plain import plain
from ui.profile_picker import MEMBER_COLUMNS, partnership_summary, pick_partnership
from views.format import SUPPRESSED, compact

ctx = current()
page_header("Partnership profile", ctx.state, perturbed=ctx.perturbed)
partnerships = data.partnerships().set_index("slug")
slug = pick_partnership(ctx.options, ctx.filters, partnerships["ecosystem_slug"].to_dict())
if slug is None:
    st.stop()

info = partnerships.loc[slug]
name = str(info["short_name"])
scoped = ctx.filters.only_partnership(slug)
year = ctx.filters.year_to or 0
st.header(plain(info["name"]))
st.markdown(partnership_summary(info))
partnership_report_panel(ctx, slug)

MISSING_COLUMNS = [
    "organisation", "listing", "org_type", "country", "role", "joined_on", "last_reported_year"
]  # fmt: skip
MEMBERS_RESTRICTED = (
    "Member-level detail is available to the partnership's coordinators and to Commission officers."
)


def share_text(value: float, digits: int = 1) -> str:
    """A share as a percentage, or 'suppressed' / '–' when hidden or undefined."""
    if pd.isna(value):
        return "–"
    return f"{value:.{digits}%}"


# Every partnership for peers, and the partnership's own figures (exact for its
# coordinators): the same row of the first where that gives the same numbers.
everyone = data.partnership_comparison(ctx.filters.without_partnerships())
comparison = own_comparison(
    everyone, caller=ctx.caller, filters=ctx.filters, partnership=slug,
    ecosystem=str(info["ecosystem_slug"]),
)  # fmt: skip
if comparison is None:
    comparison = data.partnership_comparison(scoped)
if not comparison.empty:
    row = comparison.iloc[0]
    women, progress = row["women_share_recorded"], row["pledge_progress"]
    hidden = bool(row.get("suppressed", False))
    tiles = st.columns(4)
    tiles[0].metric(
        f"Members, end {year}",
        compact(row["members"]),
        delta=None
        if pd.isna(row["member_growth"])
        else f"{int(row['member_growth']):+,} on {year - 1}",
        border=True,
    )
    tiles[1].metric(
        f"People up/re-skilled in {year}",
        compact(row["people_trained_last_year"]),
        border=True,
    )
    tiles[2].metric(
        "Women among trainees",
        SUPPRESSED if hidden and pd.isna(women) else share_text(women),
        help="Among trainees whose gender was recorded, over the period.",
        border=True,
    )
    tiles[3].metric(
        f"Pledge progress, {year}",
        SUPPRESSED if hidden and pd.isna(progress) else share_text(progress, 0),
        help="People up/re-skilled in the year divided by the annual pledge; "
        "'–' when the partnership has no numeric pledge.",
        border=True,
    )

left, right = st.columns(2)
with left:
    growth = data.members_over_time(scoped)
    growth = growth[[c for c in ("period", "members", "new_members", "suppressed") if c in growth]]
    end_members = compact(growth["members"].iloc[-1]) if not growth.empty else "0"
    show_chart(
        cached_figure(build_profile_members_figure, growth),
        key="profile_members",
        summary=trend_summary(growth, x="period", y="members", noun="member organisations"),
        data=growth,
        state=ctx.state,
        alt=f"{name} had {end_members} members at the end of {year}.",
    )
with right:
    outcomes = data.outcome_totals(scoped, by=("year",))
    outcomes = outcomes[[c for c in ("year", "people_trained", "suppressed") if c in outcomes]]
    pledge = float(info["annual_pledge"]) if pd.notna(info["annual_pledge"]) else None
    show_chart(
        cached_figure(build_profile_pledge_figure, outcomes, annual_pledge=pledge),
        key="profile_pledge",
        summary=pledge_trend_summary(outcomes.assign(annual_pledge=pledge)),
        data=outcomes.assign(annual_pledge=pledge),
        state=ctx.state,
        alt=f"People up/re-skilled each year by {name} members.",
    )

peers = peer_table(everyone, partnership=slug)
show_chart(
    cached_figure(build_peer_figure, peers, partnership=name),
    key="profile_peers",
    summary=peers_summary(peers, partnership=name),
    data=peers,
    state=ctx.state,
    alt=f"{name} against the medians of its ecosystem's partnerships and of the Pact.",
)

if not ctx.caller.sees_members_of(slug):
    st.header("Members")
    st.info(MEMBERS_RESTRICTED, icon=":material/lock:")
    st.stop()

members = data.partnership_members(ctx.filters, partnership=slug)
members.insert(1, "listing", listing_marks(members))  # a copy: cached results are copied
missing = members[members["active"] & ~members["reported_in_year"]]
st.header(f"Not reported for {year}: {len(missing)} of {int(members['active'].sum())} members")
st.caption(
    "Active members on 31 December without an outcome report for the year. Members marked "
    f"“{NOT_LISTED}” asked not to appear in the public member directory."
)
st.dataframe(
    missing[MISSING_COLUMNS],
    key="profile_missing",
    hide_index=True,
    column_config=MEMBER_COLUMNS,
)
with st.expander(f"All members ({len(members)})"):
    st.dataframe(
        members, key="profile_members_table", hide_index=True, column_config=MEMBER_COLUMNS
    )
