"""How every chart is shown: the figure, a one-sentence summary, its source caption, a CSV
and a table of exactly what is plotted.

Also the shared Plotly config (PNG export, no external links) and the empty state. A figure
from ui.figure_cache is shown from its cached JSON, and the CSV is made only when someone
downloads it.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access import DatasetState
from data_access.access import DisclosureRules
from i18n import N_, _
from ui.figure_cache import ChartFigure
from ui.frame import small_note
from ui.language import in_language
from ui.plain import plain
from views import labels
from views.format import MISSING, SUPPRESSED, cell
from views.frames import flagged, is_protected
from views.labels import FLAG_COLUMN, SHARE_COLUMNS, column_label, is_year_column
from views.notes import chart_legend

PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "topojsonURL": "app/static/geo/",
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}
EMPTY_MESSAGE = N_("Nothing matches the current filters. Widen the period or clear some filters.")


def source_caption(state: DatasetState) -> str:
    """The as-of and source line under every chart."""
    as_of = state.as_of or _("unknown")
    source = state.source_label  # already in the reader's language
    if state.last_changed:
        return _("Data as of {as_of} · Source: {source} · last changed {changed}").format(
            as_of=as_of, source=source, changed=state.last_changed
        )
    return _("Data as of {as_of} · Source: {source}").format(as_of=as_of, source=source)


def has_suppressed(data: pd.DataFrame) -> bool:
    """Whether disclosure control hid any value of the frame."""
    return bool(flagged(data).any())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def table_frame(data: pd.DataFrame, *, markdown: bool = False) -> pd.DataFrame:
    """The plotted frame as text for the data table: readable headers, shares as
    percentages, hidden cells as "suppressed" and other missing ones as a dash.

    markdown: for st.table, whose cells and headers are Markdown: every text shown as text
    (ui.plain), in the same pass."""
    shown = plain if markdown else str
    hidden = flagged(data)
    percent_rows = (
        data["unit"].astype(str).eq("%")
        if "unit" in data.columns
        else pd.Series(False, index=data.index)
    )
    columns: dict[str, list[str]] = {}
    for column in data.columns:
        if column == FLAG_COLUMN:
            continue
        values = data[column].tolist()
        share = column in SHARE_COLUMNS
        year_like = is_year_column(column)
        numeric = pd.api.types.is_numeric_dtype(data[column].dtype)
        texts = []
        for value, row_hidden, row_percent in zip(values, hidden, percent_rows, strict=True):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                texts.append(SUPPRESSED if row_hidden else MISSING)
            else:
                as_share = share or (row_percent and numeric)
                texts.append(shown(cell(value, share_column=as_share, year=year_like)))
        columns[shown(column_label(column))] = texts
    return pd.DataFrame(columns, index=pd.RangeIndex(len(data)))


def table_key(chart_key: str) -> str:
    """The key of a chart's data table (its expander: True while open)."""
    return f"{chart_key}_table"


def csv_bytes(data: pd.DataFrame) -> bytes:
    """The CSV download of a chart: exactly the plotted frame, each header naming its column
    in the reader's language and by its stable key (cells stay machine-readable)."""
    headers = [labels.csv_header(str(column)) for column in data.columns]
    return data.to_csv(index=False, header=headers).encode("utf-8")


def show_chart(
    fig: go.Figure | ChartFigure,
    *,
    key: str,
    data: pd.DataFrame,
    state: DatasetState,
    alt: str,
    summary: str | None = None,
    note: str | None = None,
    rules: DisclosureRules | None = None,
) -> None:
    """Show a figure with, under it, its one-sentence summary, source caption, a legend of
    suppressed values when there are any, a CSV download of `data` and a data table of it
    behind an expander (made when opened); or the empty state.

    `fig` is a figure or, cheaper to show, a cached one (ui.figure_cache.cached_figure);
    `data` is exactly what the figure plots; `summary` one sentence built from it
    (figures.summaries); `alt` the figure's accessible name; `rules` the disclosure
    thresholds the legend names (from the environment when not given).
    """
    title = (fig.title if isinstance(fig, ChartFigure) else fig.layout.title.text) or _("Chart")
    if data.empty:
        st.markdown(f"**{plain(title)}**")
        st.info(_(EMPTY_MESSAGE), icon=":material/filter_alt_off:")
        return
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": _slug(key)},
    }
    shown = fig.figure() if isinstance(fig, ChartFigure) else fig
    st.plotly_chart(shown, key=key, config=config, theme=None, alt=alt)
    if summary:
        st.markdown(plain(summary))
    caption = source_caption(state) + (f" · {note}" if note else "")  # note: the view's words
    st.caption(plain(caption))
    if is_protected(data):  # public figures of what members reported
        small_note(chart_legend(rules or DisclosureRules.from_env()))
    st.download_button(
        _("Download the plotted data (CSV)"),
        # made when the button is pressed (by the server, from this run's frame), not per run,
        # in the language of this run
        data=in_language(lambda: csv_bytes(data)),
        file_name=f"{_slug(key)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    text_title = re.sub(r"<[^>]+>", " ", title)  # a Plotly title's own tags (<br>, <sup>)
    # Made and sent only while open (opening it reruns the page): drawn closed, the tables
    # (Markdown in every cell) were a large part of the browser's work on a page.
    table = st.expander(
        plain(_("Data table: {title}").format(title=text_title)),
        key=table_key(key),
        icon=":material/table:",
        on_change="rerun",
    )
    if table.open:
        table.table(
            table_frame(data, markdown=True),
            hide_index=True,
            alt=_("Data plotted in: {title}").format(title=text_title),
        )
