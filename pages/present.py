"""Present: the deck full screen for a projector, live numbers, and a link for the audience.

Slides always show public data (presenter.data), whoever is signed in on the laptop.
"""

import streamlit as st

from ui import present_stage as stage
from ui.context import current

ctx = current()
deck = stage.read_deck(ctx.options, ctx.filters)
stage.stage_css(deck.theme, show_sidebar=bool(st.session_state.get(stage.K_SIDEBAR)))
stage.settings(deck, ctx.options, dict(ctx.options.partnerships))
stage.deck_view(ctx.filters, ctx.options)
stage.slide_nav(ctx.filters)
