"""Growth: how the partnerships gained members over time, where members are, when each launched."""

from i18n import _
from ui import data, render
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice
from ui.sections import chart_tabs
from views.growth import (
    CHOSEN,
    DEFAULT_BY,
    DEFAULT_PERIOD,
    GROUP_BY,
    GROUPINGS,
    INTRO,
    PERIODS,
    PERIODS_LABEL,
    SECTIONS,
    TITLE,
    growth,
)

ctx = current()
page_header(_(TITLE), ctx.state, _(INTRO))
shown, tab = chart_tabs(SECTIONS, key="growth_chart")
by, granularity = DEFAULT_BY, DEFAULT_PERIOD
if shown in CHOSEN:  # the choices of the members charts, drawn in their tabs only
    left, right = tab.columns([3, 1])
    with left:
        by = url_choice(GROUP_BY, GROUPINGS, key="growth_by", param="by", default=DEFAULT_BY)
    with right:
        granularity = url_choice(
            PERIODS_LABEL, PERIODS, key="growth_granularity", param="period", default=DEFAULT_PERIOD
        )

f = ctx.filters
view = growth(
    data.members_over_time(f, by=by, granularity=granularity),
    data.members_over_time(f, by="country", granularity="year"),
    data.members_over_time(f, by="org_type", granularity="year"),
    data.partnership_launches(f),
    f,
    by=by,
    granularity=granularity,
)
with tab:
    render.chart(view.section(shown), ctx.state)
