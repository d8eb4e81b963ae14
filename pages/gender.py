"""Gender balance: women's share of trainees with recorded gender, and how much is not recorded."""

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice
from views.gender import LINES_LABEL, TITLE, TREND_LINES, gender, trend_chart

ctx = current()
page_header(_(TITLE), ctx.state, perturbed=ctx.perturbed)
f = ctx.filters
by_year = data.outcomes(f, ("year",))
view = gender(
    data.outcomes(f, ()),
    by_year,
    data.outcomes(f, ("ecosystem", "partnership")),
    data.partnerships(),
    data.outcomes(f, ("ecosystem",)),
    data.outcomes(f, ("skill_area",)),
    f,
)
render.notice(view.lead)
render.notice(view.shares_note)
render.chart(view.partnerships, ctx.state)
render.chart(view.ecosystems, ctx.state)
render.chart(view.skill_areas, ctx.state)

lines = url_choice(LINES_LABEL, TREND_LINES, key="gender_trend_by", param="lines", default="pact")
per_ecosystem = data.outcomes(f, ("year", "ecosystem")) if lines == "ecosystem" else None
render.chart(trend_chart(by_year, per_ecosystem), ctx.state)
render.chart(view.composition, ctx.state)
