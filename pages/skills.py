"""Skills delivered: who was up/re-skilled in which skills, the programmes, money and outreach behind it."""

import streamlit as st

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from views.skills import TITLE, skills

ctx = current()
page_header(_(TITLE), ctx.state, perturbed=ctx.perturbed)
f = ctx.filters
view = skills(
    data.outcomes(f, ()),
    data.outcomes(f, ("year",)),
    data.outcomes(f, ("skill_area",)),
    data.outcomes(f, ("year", "skill_area")),
    data.outcomes(f, ("ecosystem",)),
    data.outcomes(f, ("ecosystem", "partnership")),
    data.outcomes(f, ("ecosystem", "partnership", "skill_area")),
    f,
)
render.notice(view.lead)
left, right = st.columns(2)
with left:
    render.chart(view.by_skill_area, ctx.state)
with right:
    render.chart(view.by_ecosystem, ctx.state)
render.chart(view.effort, ctx.state)
render.chart(view.by_partnership, ctx.state)
render.chart(view.treemap, ctx.state)
