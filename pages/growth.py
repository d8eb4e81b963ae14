"""Growth: how the partnerships gained members over time, where members are, when each launched."""

import streamlit as st

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice
from views.growth import GROUP_BY, GROUPINGS, INTRO, PERIODS, PERIODS_LABEL, TITLE, growth

ctx = current()
page_header(_(TITLE), ctx.state, _(INTRO))
left, right = st.columns([3, 1])
with left:
    by = url_choice(GROUP_BY, GROUPINGS, key="growth_by", param="by", default="pact")
with right:
    granularity = url_choice(
        PERIODS_LABEL, PERIODS, key="growth_granularity", param="period", default="year"
    )

f = ctx.filters
view = growth(
    data.members_over_time(f, by=by, granularity=granularity),
    data.members_over_time(f, by="country", granularity="year"),
    data.members_over_time(f, by="org_type", granularity="year"),
    data.partnership_launches(f),
    f,
    by=by,
    granularity=granularity,
)
render.chart(view.members, ctx.state)
render.chart(view.new_members, ctx.state)
left, right = st.columns(2)
with left:
    render.chart(view.by_country, ctx.state)
with right:
    render.chart(view.by_org_type, ctx.state)
render.chart(view.launches, ctx.state)
