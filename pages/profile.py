"""Partnership profile: one partnership in depth — members, outcomes, pledge, non-reporters, peers."""

import pandas as pd
import streamlit as st

from data_access import peer_table
from figures.partnership import (
    build_peer_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.frame import format_number, page_header
from ui.profile_picker import MEMBER_COLUMNS, partnership_summary, pick_partnership

ctx = current()
page_header("Partnership profile", ctx.state)
partnerships = data.partnerships().set_index("slug")
slug = pick_partnership(ctx.options, ctx.filters, partnerships["ecosystem_slug"].to_dict())
if slug is None:
    st.stop()

info = partnerships.loc[slug]
name = str(info["short_name"])
scoped = ctx.filters.only_partnership(slug)
year = ctx.filters.year_to or 0
st.subheader(str(info["name"]))
st.markdown(partnership_summary(info))

# One comparison of every partnership serves the tiles and the peer medians.
everyone = data.query("partnership_comparison", ctx.filters.without_partnerships())
comparison = everyone[everyone["slug"] == slug]
if not comparison.empty:
    row = comparison.iloc[0]
    women, progress = row["women_share_recorded"], row["pledge_progress"]
    tiles = st.columns(4)
    tiles[0].metric(
        f"Members, end {year}",
        f"{row['members']:,}",
        delta=f"{row['member_growth']:+,} on {year - 1}",
        border=True,
    )
    tiles[1].metric(
        f"People up/re-skilled in {year}",
        format_number(row["people_trained_last_year"]),
        border=True,
    )
    tiles[2].metric(
        "Women among trainees",
        "–" if pd.isna(women) else f"{women:.1%}",
        help="Among trainees whose gender was recorded, over the period.",
        border=True,
    )
    tiles[3].metric(
        f"Pledge progress, {year}",
        "–" if pd.isna(progress) else f"{progress:.0%}",
        help="People up/re-skilled in the year divided by the annual pledge; "
        "'–' when the partnership has no numeric pledge.",
        border=True,
    )

left, right = st.columns(2)
with left:
    growth = data.query("members_over_time", scoped)[["period", "members", "new_members"]]
    end_members = int(growth["members"].iloc[-1]) if not growth.empty else 0
    show_chart(
        build_profile_members_figure(growth),
        key="profile_members",
        data=growth,
        state=ctx.state,
        alt=f"{name} had {end_members} members at the end of {year}.",
    )
with right:
    outcomes = data.query("outcome_totals", scoped, by=("year",))[["year", "people_trained"]]
    pledge = float(info["annual_pledge"]) if pd.notna(info["annual_pledge"]) else None
    show_chart(
        build_profile_pledge_figure(outcomes, annual_pledge=pledge),
        key="profile_pledge",
        data=outcomes.assign(annual_pledge=pledge),
        state=ctx.state,
        alt=f"People up/re-skilled each year by {name} members.",
    )

peers = peer_table(everyone, partnership=slug)
show_chart(
    build_peer_figure(peers, partnership=name),
    key="profile_peers",
    data=peers,
    state=ctx.state,
    alt=f"{name} against the medians of its ecosystem's partnerships and of the Pact.",
)

members = data.query("partnership_members", ctx.filters, partnership=slug)
missing = members[members["active"] & ~members["reported_in_year"]]
st.subheader(f"Not reported for {year}: {len(missing)} of {int(members['active'].sum())} members")
st.caption("Active members on 31 December without an outcome report for the year.")
st.dataframe(
    missing[["organisation", "org_type", "country", "role", "joined_on", "last_reported_year"]],
    key="profile_missing",
    hide_index=True,
    column_config=MEMBER_COLUMNS,
)
with st.expander(f"All members ({len(members)})"):
    st.dataframe(
        members, key="profile_members_table", hide_index=True, column_config=MEMBER_COLUMNS
    )
