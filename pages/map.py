"""Map: member organisations and people up/re-skilled per country, on an offline map and a table."""

import streamlit as st

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import disclosure_note, page_header
from ui.page_choice import url_choice
from views.map import SHOW, TITLE, VIEW_LABELS, country_map

ctx = current()
page_header(_(TITLE), ctx.state, perturbed=ctx.perturbed)
countries = data.country_summary(ctx.filters)
shown = url_choice(
    SHOW, VIEW_LABELS, key="map_view", param="view", default="members", widget="radio"
)
view = country_map(countries, ctx.filters, shown=shown)
map_column, table_column = st.columns([4, 3])
with map_column:
    render.chart(view.map, ctx.state)
with table_column:
    st.markdown(view.heading)
    render.table(view.table, max_height=540)
    disclosure_note(countries, ctx.caller)
