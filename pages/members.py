"""Members: the public member directory, newest members first, with search and a CSV download.

The data layer decides whose names a caller gets (organisations that opted out reach only
officers, admins and their own partnerships' coordinators); the page shows what it is given.
"""

import streamlit as st

from data_access.directory import MAX_SEARCH_CHARS, search_directory
from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice, url_text
from views.members import (
    INTRO,
    SEARCH_LABEL,
    SEARCH_PLACEHOLDER,
    SHOW_CHOICES,
    SHOW_LABEL,
    TITLE,
    members,
)

ctx = current()
page_header(_(TITLE), ctx.state, intro=_(INTRO))
search, show = st.columns([3, 2], vertical_alignment="bottom")
with search:
    text = url_text(
        SEARCH_LABEL,
        key="members_search",
        param="q",
        max_chars=MAX_SEARCH_CHARS,
        placeholder=SEARCH_PLACEHOLDER,
    )
with show:
    shown = url_choice(
        SHOW_LABEL, SHOW_CHOICES, key="members_show", param="show", default="current"
    )
former = shown == "former"
# One cached query per filters and choice; each search then only filters its rows.
directory = search_directory(data.member_directory(ctx.filters, former=former), text)
view = members(directory, year=ctx.filters.year_to, searched=bool(text), former=former)
st.markdown(view.count)
if view.nothing is not None:
    render.notice(view.nothing)
    st.stop()
render.table(view.table)
