"""Draws a view (views.models) with Streamlit: tiles, charts, tables and notices.

The one place a page's content meets Streamlit widgets; what the content says is decided in
views/.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from data_access import DatasetState
from data_access.access import DisclosureRules
from ui.charts import csv_bytes, has_suppressed, show_chart
from ui.figure_cache import cached_figure
from ui.frame import disclosure_marks, hidden_column, small_note
from ui.language import in_language
from ui.plain import notice as plain_notice
from ui.plain import plain
from views.format import DATE_FORMAT, TABLE_FORMATS
from views.models import Chart, Column, Download, Notice, Table, Tile

NOTICE_ICONS = {"info": ":material/info:", "warning": ":material/warning:"}
ROW_PIXELS = 36  # the height of a table row, borders included


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
        cached_figure(view.builder, view.drawn, **view.options),
        key=view.key,
        data=view.data,
        state=state,
        alt=view.alt,
        summary=view.summary,
        note=view.note,
        rules=rules,
    )


def notice(shown: Notice) -> None:
    """A notice: an info, warning or error box, a note in small type or a paragraph (in bold
    for a lead); the values it quotes shown as text."""
    text = shown.written(plain)
    if shown.kind == "note":
        small_note(text)
    elif shown.kind == "lead":
        st.markdown(f"**{text}**")
    elif shown.kind == "text":
        st.markdown(text)
    elif shown.kind == "warning":
        st.warning(text, icon=shown.icon or NOTICE_ICONS["warning"])
    elif shown.kind == "error":
        st.error(text, icon=shown.icon)
    else:
        st.info(text, icon=shown.icon or NOTICE_ICONS["info"])


def pending_notice(key: str) -> None:
    """The notice a button's callback left under `key` as (kind, text), once; its text is
    shown as text (it may quote what someone typed or uploaded)."""
    held = st.session_state.pop(key, None)
    if held is not None:
        kind, text = held
        plain_notice(kind if kind in ("success", "info") else "error", text)


def table(shown: Table, *, max_height: int | None = None) -> None:
    """A sortable table with the view's columns, headers and number formats; under it the
    view's note and CSV download. `max_height`: as tall as its rows up to that many pixels.

    A flag column is filled with the disclosure marks and shown only when a row has hidden
    values."""
    data = shown.data
    flags = [column.key for column in shown.columns if column.kind == "flag"]
    if flags:
        data = data.assign(**dict.fromkeys(flags, disclosure_marks(data)))
    flagged = has_suppressed(data)
    columns = [c for c in shown.columns if c.kind != "flag" or flagged]
    st.dataframe(
        data,
        key=shown.key,
        hide_index=True,
        height="auto" if max_height is None else min(ROW_PIXELS * (len(data) + 1) + 3, max_height),
        column_order=[column.key for column in columns] or None,
        column_config={column.key: _column_config(column) for column in columns} or None,
    )
    if shown.note:
        st.caption(shown.note)
    if shown.csv is not None:
        download(shown.csv)


def _column_config(column: Column) -> Any:
    """Streamlit's configuration of one column."""
    if column.kind == "flag":
        return hidden_column()
    common: dict[str, Any] = {
        "label": column.header,
        "help": column.help,
        "width": column.width,
        "pinned": True if column.pinned else None,
    }
    if column.kind == "text":
        return st.column_config.TextColumn(**common)
    if column.kind == "date":
        return st.column_config.DateColumn(format=DATE_FORMAT, **common)
    if column.kind == "link":
        return st.column_config.LinkColumn(display_text=column.link_text, **common)
    return st.column_config.NumberColumn(format=TABLE_FORMATS[column.kind], **common)


def download(offered: Download) -> None:
    """A CSV download of the frame, made when the button is pressed."""
    st.download_button(
        offered.label,
        data=in_language(lambda: csv_bytes(offered.data)),
        file_name=offered.file_name,
        mime="text/csv",
        key=offered.key,
        on_click="ignore",
    )
