"""Draws a view (views.models) with Streamlit: tiles, charts, tables and notices.

The one place a page's content meets Streamlit widgets; what the content says is decided in
views/.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from data_access import DatasetState
from data_access.access import DisclosureRules
from ui.charts import show_chart
from ui.figure_cache import cached_figure
from ui.frame import small_note
from views.models import Chart, Notice, Tile

NOTICE_ICONS = {"info": ":material/info:", "warning": ":material/warning:"}


def tiles(shown: Sequence[Tile], *, per_row: int = 3) -> None:
    """Headline tiles in rows of `per_row`, each with its change on the period before."""
    for start in range(0, len(shown), per_row):
        row = shown[start : start + per_row]
        for column, tile in zip(st.columns(per_row), row, strict=False):
            column.metric(
                tile.label,
                tile.value,
                delta=tile.delta,
                delta_color="off" if tile.unchanged or tile.neutral else "normal",
                delta_arrow="off" if tile.unchanged else "auto",
                help=tile.help,
                border=True,
            )


def chart(view: Chart, state: DatasetState, *, rules: DisclosureRules | None = None) -> None:
    """A chart with its summary, source, legend, CSV and data table (ui.charts.show_chart);
    the figure is built once per content (ui.figure_cache)."""
    show_chart(
        cached_figure(view.builder, view.data, **view.options),
        key=view.key,
        data=view.data,
        state=state,
        alt=view.alt,
        summary=view.summary,
        note=view.note,
        rules=rules,
    )


def notice(shown: Notice) -> None:
    """A notice: an info or warning box, or a note in small type."""
    if shown.kind == "note":
        small_note(shown.text)
    elif shown.kind == "warning":
        st.warning(shown.text, icon=NOTICE_ICONS["warning"])
    else:
        st.info(shown.text, icon=NOTICE_ICONS["info"])
