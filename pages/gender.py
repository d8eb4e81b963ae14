"""Gender balance: women's share of trainees with recorded gender, and how much is not recorded."""

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice
from ui.sections import chart_tabs
from views.gender import LINES_LABEL, SECTIONS, TITLE, TREND_LINES, gender, trend_chart

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
shown, tab = chart_tabs(SECTIONS, key="gender_chart")
with tab:
    if shown == "trend":
        lines = url_choice(
            LINES_LABEL, TREND_LINES, key="gender_trend_by", param="lines", default="pact"
        )
        per_ecosystem = data.outcomes(f, ("year", "ecosystem")) if lines == "ecosystem" else None
        render.chart(trend_chart(by_year, per_ecosystem), ctx.state)
    else:
        render.chart(view.section(shown), ctx.state)
