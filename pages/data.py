"""Data: templates, loading members' reports (checked, previewed, all-or-nothing), and undo.

Coordinators load files for their own partnerships, officers and admins for any; the data
layer enforces it. Everyone can read the templates and the column dictionary.
"""

import streamlit as st

from ui import render, rounds_panel, upload_panel
from ui.context import current
from ui.frame import page_header
from ui.plain import plain
from views.data import (
    BATCHES_HEADER,
    INTRO,
    LOAD_HEADER,
    LOAD_REFUSED,
    TEMPLATES_HEADER,
    TITLE,
    dataset_line,
    may_load,
)

ctx = current()
page_header(TITLE, ctx.state, INTRO)
st.caption(plain(dataset_line(ctx.state)))
upload_panel.show_notice()

st.header(TEMPLATES_HEADER)
upload_panel.templates_section()

st.header(LOAD_HEADER)
if not may_load(ctx.caller):
    render.notice(LOAD_REFUSED)
    st.stop()
rounds_panel.coordinator_checklist(ctx.caller)
upload_panel.load_section(ctx.caller)

st.header(BATCHES_HEADER)
upload_panel.batches_section(ctx.caller)
