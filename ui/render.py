"""Draws a view (views.models) with Streamlit: tiles, charts, tables and notices.

The one place a page's content meets Streamlit widgets; what the content says is decided in
views/.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import streamlit as st

from data_access import DatasetState
from data_access.access import DisclosureRules
from data_access.round_locks import Provisional
from i18n import _
from ui.charts import csv_bytes, has_suppressed, show_chart
from ui.figure_cache import ChartFigure, cached_figure
from ui.frame import disclosure_marks, hidden_column, small_note
from ui.language import in_language
from ui.plain import notice as plain_notice
from ui.plain import plain
from views import provisional as marks
from views.format import DATE_FORMAT, TABLE_FORMATS
from views.models import Chart, Column, Download, Notice, Table, Tile

NOTICE_ICONS = {"info": ":material/info:", "warning": ":material/warning:"}
ROW_PIXELS = 36  # the height of a table row, borders included
PROVISIONAL_KEY = "_provisional_figures"


def mark_provisional(found: Provisional) -> None:
    """The figures under review in this run's view (dashboard.py sets the page's; a page that
    narrows its view sets its own): tiles, charts and tables drawn after it mark them."""
    st.session_state[PROVISIONAL_KEY] = found


def _provisional() -> Provisional:
    found = st.session_state.get(PROVISIONAL_KEY)
    return found if isinstance(found, Provisional) else Provisional()


def tiles(shown: Sequence[Tile], *, per_row: int = 3) -> None:
    """Headline tiles in rows of `per_row`, each with its change on the period before (their
    labels wrap: ui/style.py)."""
    provisional = _provisional()
    shown = [marks.marked_tile(tile, provisional) for tile in shown]
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
    the figure is built once per content (ui.figure_cache). Provisional figures get a
    marker over their year, a note and a column in the table and CSV."""
    provisional = _provisional()
    figure = cached_figure(view.builder, view.drawn, **view.options)
    note, data = view.note, view.data
    flags = marks.row_flags(data, provisional)
    extra = marks.chart_note(data, provisional, flags) if flags else None
    if extra is not None:
        data = marks.mark_frame(data, provisional, flags)
        years = marks.chart_year_values(view.data, provisional)
        if years:
            figure = _marked(figure, json.dumps(years), _(marks.PROVISIONAL))
        note = f"{note} {extra}" if note else extra
    show_chart(
        figure,
        key=view.key,
        data=data,
        state=state,
        alt=view.alt,
        summary=view.summary,
        note=note,
        rules=rules,
    )


@lru_cache(maxsize=64)
def _marked(figure: ChartFigure, years: str, word: str) -> ChartFigure:
    """The figure with the word over each provisional year (x values as the chart plots them)."""
    spec = json.loads(figure.spec)
    layout = spec.setdefault("layout", {})
    notes = list(layout.get("annotations", []))
    # A chart that plots its years as text has a category axis, where Plotly places an
    # annotation by the category's serial number (a year as a number, or as numeric-looking
    # text, would stretch the axis to position 2024).
    categories = _categories(spec)
    for x in json.loads(years):
        if categories:
            if str(x) not in categories:
                continue
            x = categories.index(str(x))
        notes.append(
            {
                "x": x,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "yanchor": "bottom",
                "text": f"<i>{word}</i>",
                "showarrow": False,
                "font": {"size": 11},
            }
        )
    layout["annotations"] = notes
    return ChartFigure(title=figure.title, spec=json.dumps(spec))


def _categories(spec: dict[str, Any]) -> list[str]:
    """The x categories of a figure in the order Plotly numbers them (empty when its x axis
    plots numbers)."""
    axis = spec.get("layout", {}).get("xaxis", {})
    if isinstance(axis.get("categoryarray"), list):
        return [str(value) for value in axis["categoryarray"]]
    seen: list[str] = []
    for trace in spec.get("data", []):
        values = trace.get("x")
        if isinstance(values, list) and any(isinstance(value, str) for value in values):
            seen.extend(str(value) for value in values if str(value) not in seen)
    return seen


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
    provisional = _provisional()
    data = marks.mark_frame(shown.data, provisional)
    flags = [column.key for column in shown.columns if column.kind == "flag"]
    if flags:
        data = data.assign(**dict.fromkeys(flags, disclosure_marks(data)))
    flagged = has_suppressed(data)
    columns = [c for c in shown.columns if c.kind != "flag" or flagged]
    if columns and marks.COLUMN in data.columns and marks.COLUMN not in shown.data.columns:
        columns.append(Column(marks.COLUMN, label=_("Provisional")))
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
        csv = shown.csv
        download(
            Download(csv.key, csv.label, csv.file_name, marks.mark_frame(csv.data, provisional))
        )


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
