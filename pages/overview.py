"""Overview: the Pact at a glance, KPI tiles with their change on the year before, two trends."""

import streamlit as st

from i18n import _
from ui import data, render
from ui.context import current
from ui.exports import pact_report_panel
from ui.frame import page_header
from views.overview import TITLE, overview

ctx = current()
page_header(_(TITLE), ctx.state, perturbed=ctx.perturbed)
view = overview(data.pact_indicators_by_year(ctx.filters), ctx.filters)
render.tiles(view.tiles)
left, right = st.columns(2)
with left:
    render.chart(view.members, ctx.state)
with right:
    render.chart(view.people, ctx.state)
pact_report_panel(ctx)
