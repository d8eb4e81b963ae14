"""Partnership profile: one partnership in depth — members, outcomes, pledge, non-reporters, peers."""

import pandas as pd
import streamlit as st

from figures.partnership import (
    build_peer_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.frame import format_number, page_header
from ui.profile_picker import pick_partnership

ctx = current()
page_header("Partnership profile", ctx.state)
slug = pick_partnership(ctx.options, ctx.filters)
if slug is None:
    st.stop()

info = data.partnerships().set_index("slug").loc[slug]
scoped = ctx.filters.only_partnership(slug)
year = ctx.filters.year_to or 0
st.subheader(info["name"])
st.markdown(
    f"**{info['kind'].capitalize()}** partnership in **{info['ecosystem']}**, launched "
    f"{info['launch_date']:%d %B %Y}. Pledge: {info['pledge_text'] or 'none published'}."
    + (
        f" Target share of women: {info['target_women_share']:.0%}."
        if pd.notna(info["target_women_share"])
        else ""
    )
    + (f" [Website]({info['website']})" if info["website"] else "")
)

comparison = data.query("partnership_comparison", scoped)
row = comparison.iloc[0] if not comparison.empty else None
tiles = st.columns(4)
if row is not None:
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
        "Women among trainees (gender recorded)",
        "–" if pd.isna(row["women_share_recorded"]) else f"{row['women_share_recorded']:.1%}",
        border=True,
    )
    tiles[3].metric(
        f"Progress against the annual pledge, {year}",
        "no numeric pledge" if pd.isna(row["pledge_progress"]) else f"{row['pledge_progress']:.0%}",
        border=True,
    )

left, right = st.columns(2)
with left:
    growth = data.query("members_over_time", scoped)[["period", "members", "new_members"]]
    show_chart(
        build_profile_members_figure(growth),
        key="profile_members",
        data=growth,
        state=ctx.state,
        alt=f"{info['short_name']} had {growth['members'].iloc[-1] if not growth.empty else 0} members at the end of {year}.",
    )
with right:
    outcomes = data.query("outcome_totals", scoped, by=("year",))[["year", "people_trained"]]
    pledge = info["annual_pledge"] if pd.notna(info["annual_pledge"]) else None
    show_chart(
        build_profile_pledge_figure(outcomes, annual_pledge=pledge),
        key="profile_pledge",
        data=outcomes.assign(annual_pledge=pledge),
        state=ctx.state,
        alt=f"People up/re-skilled each year by {info['short_name']} members.",
    )

peers = data.query("peer_comparison", ctx.filters, partnership=slug)
show_chart(
    build_peer_figure(peers, partnership=str(info["short_name"])),
    key="profile_peers",
    data=peers,
    state=ctx.state,
    alt=f"{info['short_name']} against the medians of its ecosystem and of the Pact.",
)

members = data.query("partnership_members", ctx.filters, partnership=slug)
missing = members[members["active"] & ~members["reported_in_year"]]
st.subheader(
    f"Not reported for {year}: {len(missing)} of {int(members['active'].sum())} active members"
)
st.dataframe(
    missing[["organisation", "org_type", "country", "role", "joined_on", "last_reported_year"]],
    key="profile_missing",
    hide_index=True,
    column_config={"last_reported_year": st.column_config.NumberColumn("Last report", format="%d")},
)
with st.expander(f"All members ({len(members)})"):
    st.dataframe(members, key="profile_members_table", hide_index=True)
