"""Partnership profile: one partnership in depth — members, outcomes, pledge, non-reporters, peers.

Member lists and non-reporters are shown only to callers the data layer lets see them (the
partnership's coordinators, officers, admins); everyone else gets the aggregates.
"""

import streamlit as st

from i18n import _
from ui import data, render
from ui.context import current
from ui.exports import partnership_report_panel
from ui.frame import page_header
from ui.profile_picker import comparisons, pick_partnership, show_heading, show_member_lists
from ui.sections import chart_tabs
from views.profile import (
    MEMBERS_HEADER,
    MEMBERS_RESTRICTED,
    SECTIONS,
    TITLE,
    member_lists,
    profile,
)

ctx = current()
page_header(_(TITLE), ctx.state, perturbed=ctx.perturbed)
info = pick_partnership(ctx.options, ctx.filters, data.partnerships().set_index("slug"))
if info is None:
    st.stop()

slug = str(info.name)
scoped = ctx.filters.only_partnership(slug)
render.mark_provisional(data.provisional(scoped))  # its own figures under review, if seen
show_heading(info)
partnership_report_panel(ctx, slug)
everyone, comparison = comparisons(ctx, slug, ecosystem=str(info["ecosystem_slug"]))
view = profile(
    info,
    partnership=slug,
    comparison=comparison,
    everyone=everyone,
    growth=data.members_over_time(scoped),
    outcomes=data.outcome_totals(scoped, by=("year",)),
    filters=ctx.filters,
)
render.tiles(view.tiles, per_row=4)
shown, tab = chart_tabs(SECTIONS, key="profile_chart")
with tab:
    render.chart(view.section(shown), ctx.state)

if not ctx.caller.sees_members_of(slug):
    st.header(_(MEMBERS_HEADER))
    render.notice(MEMBERS_RESTRICTED)
    st.stop()
members = data.partnership_members(ctx.filters, partnership=slug)
show_member_lists(member_lists(members, year=ctx.filters.year_to or 0))
