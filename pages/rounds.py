"""Reporting rounds: officers and admins open, extend and close rounds, follow every
partnership's status and completeness, and return, approve or reopen; others are refused."""

from datetime import date

import streamlit as st

from i18n import _
from ui import render, rounds_panel
from ui.context import current
from views import rounds as words
from views.models import Notice

ctx = current()
st.title(_(words.TITLE))
if not rounds_panel.runs_rounds(ctx.caller):
    render.notice(Notice(_(words.REFUSED), kind="error", icon=":material/lock:"))
    st.stop()

st.caption(_(words.INTRO))
render.pending_notice(rounds_panel.NOTICE_KEY)
rounds_panel.open_form(dict(ctx.options.partnerships))
held = rounds_panel.rounds(ctx.caller)
if not held:
    render.notice(Notice(_(words.NO_ROUNDS)))
    st.stop()

by_id = {r.id: r for r in held}
chosen = st.selectbox(
    _("Round"), list(by_id), format_func=lambda i: words.round_choice(by_id[i]), key="rounds_choice"
)
found = by_id[chosen if chosen in by_id else held[0].id]
items = rounds_panel.progress(ctx.caller, found)
st.markdown(words.round_summary(found, items, date.today()))
rounds_panel.round_controls(found)

st.header(_("Partnerships"))
render.table(words.progress_table(found, rounds_panel.filtered(items)))

st.header(_("Decide and read the history"))
rounds_panel.decide_form(ctx.caller, found, items)
