"""Partnerships: a sortable table comparing every partnership in the filters, with links to profiles."""

import streamlit as st

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import disclosure_note, page_header
from ui.sections import chart_tabs
from views.partnerships import SECTIONS, TITLE, partnerships

ctx = current()
page_header(_(TITLE), ctx.state, perturbed=ctx.perturbed)
table = data.partnership_comparison(ctx.filters)
view = partnerships(table, ctx.filters, ctx.options)
st.markdown(view.intro)
render.table(view.table, max_height=800)
disclosure_note(table, ctx.caller)
shown, tab = chart_tabs(SECTIONS, key="partnerships_chart")
with tab:
    render.chart(view.section(shown), ctx.state)
