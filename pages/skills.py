"""Skills delivered: who was up/re-skilled in which skills, the programmes, money and outreach behind it."""

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from ui.sections import chart_tabs
from views.skills import SECTIONS, TITLE, skills

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
shown, tab = chart_tabs(SECTIONS, key="skills_chart")
with tab:
    render.chart(view.section(shown), ctx.state)
