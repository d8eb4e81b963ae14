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
from data_access.disclosure import METHOD_PATH, legend
from ui.figure_cache import ChartFigure
from ui.frame import small_note
from ui.plain import plain

PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "topojsonURL": "app/static/geo/",
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}
EMPTY_MESSAGE = "Nothing matches the current filters. Widen the period or clear some filters."
SUPPRESSED_TEXT = "suppressed"
MISSING_TEXT = "–"

# Column headers of the data tables, in the words of the charts.
COLUMN_LABELS = {
    "year": "Year",
    "period": "Period",
    "period_end": "Period ends",
    "group": "Group",
    "members": "Member organisations",
    "new_members": "New member organisations",
    "people_trained": "People up/re-skilled",
    "people_trained_cumulative": "People up/re-skilled, cumulated",
    "people_trained_last_year": "People up/re-skilled in the year",
    "country": "Country",
    "country_code": "Country code",
    "org_type": "Organisation type",
    "short_name": "Partnership",
    "name": "Full name",
    "kind": "Kind",
    "ecosystem": "Ecosystem",
    "partnership": "Partnership",
    "skill_area": "Skill area",
    "launch_date": "Launched",
    "women": "Women",
    "men": "Men",
    "other_gender": "Another gender",
    "not_recorded": "Gender not recorded",
    "recorded": "Gender recorded",
    "women_share_recorded": "Women (% of recorded)",
    "target_women_share": "Own target for women",
    "not_recorded_share": "Gender not recorded (%)",
    "programmes": "Training programmes",
    "investment_eur_million": "Investment (EUR million)",
    "people_reached": "People reached by promotion",
    "pledge_progress": "Progress against the annual pledge",
    "annual_pledge": "Annual pledge (people)",
    "metric": "Measure (code)",
    "label": "Measure",
    "unit": "Unit",
    "ecosystem_median": "Ecosystem median",
    "pact_median": "Pact median",
    "member_growth_pct": "Member growth (%)",
}
# Columns holding shares (0-1), shown as percentages.
SHARE_COLUMNS = frozenset(
    {
        "women_share_recorded",
        "target_women_share",
        "not_recorded_share",
        "pledge_progress",
        "member_growth_pct",
    }
)


def source_caption(state: DatasetState) -> str:
    """The as-of and source line under every chart."""
    as_of = state.as_of or "unknown"
    changed = f" · last changed {state.last_changed}" if state.last_changed else ""
    return f"Data as of {as_of} · Source: {state.source_label}{changed}"


def perturbation_legend(rules: DisclosureRules) -> str:
    """The caption under a chart of public (perturbed) reported figures, with the link to
    the method."""
    return f"{legend(rules)} [How figures are protected]({METHOD_PATH})."


def has_suppressed(data: pd.DataFrame) -> bool:
    """Whether disclosure control hid any value of the frame."""
    return "suppressed" in data.columns and bool(
        data["suppressed"].fillna(False).astype(bool).any()
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def _header(column: str) -> str:
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def _format_value(value: Any, *, share: bool, plain: bool = False) -> str:
    """A cell as text: shares as percentages, counts with thousands separators, years
    (`plain`) as they are."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float) and not share and float(value).is_integer():
        return str(int(value)) if plain else f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{float(value):.1%}" if share else f"{float(value):,.2f}"
    return str(value)


def table_frame(data: pd.DataFrame, *, markdown: bool = False) -> pd.DataFrame:
    """The plotted frame as text for the data table: readable headers, shares as
    percentages, hidden cells as "suppressed" and other missing ones as a dash.

    markdown: for st.table, whose cells and headers are Markdown: every text shown as text
    (ui.plain), in the same pass."""
    shown = plain if markdown else str
    hidden = (
        data["suppressed"].fillna(False).astype(bool)
        if "suppressed" in data.columns
        else pd.Series(False, index=data.index)
    )
    percent_rows = (
        data["unit"].astype(str).eq("%")
        if "unit" in data.columns
        else pd.Series(False, index=data.index)
    )
    columns: dict[str, list[str]] = {}
    for column in data.columns:
        if column == "suppressed":
            continue
        values = data[column].tolist()
        share = column in SHARE_COLUMNS
        year_like = column == "year" or column.endswith("_year")
        numeric = pd.api.types.is_numeric_dtype(data[column].dtype)
        texts = []
        for value, row_hidden, row_percent in zip(values, hidden, percent_rows, strict=True):
            if value is None or (not isinstance(value, str) and pd.isna(value)):
                texts.append(SUPPRESSED_TEXT if row_hidden else MISSING_TEXT)
            else:
                as_share = share or (row_percent and numeric)
                texts.append(shown(_format_value(value, share=as_share, plain=year_like)))
        columns[shown(_header(column))] = texts
    return pd.DataFrame(columns, index=pd.RangeIndex(len(data)))


def csv_bytes(data: pd.DataFrame) -> bytes:
    """The CSV download of a chart: exactly the plotted frame."""
    return data.to_csv(index=False).encode("utf-8")


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
    behind an expander; or the empty state.

    `fig` is a figure or, cheaper to show, a cached one (ui.figure_cache.cached_figure);
    `data` is exactly what the figure plots; `summary` one sentence built from it
    (figures.summaries); `alt` the figure's accessible name; `rules` the disclosure
    thresholds the legend names (from the environment when not given).
    """
    title = (fig.title if isinstance(fig, ChartFigure) else fig.layout.title.text) or "Chart"
    if data.empty:
        st.markdown(f"**{plain(title)}**")
        st.info(EMPTY_MESSAGE, icon=":material/filter_alt_off:")
        return
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": _slug(key)},
    }
    shown = fig.figure() if isinstance(fig, ChartFigure) else fig
    st.plotly_chart(shown, key=key, config=config, theme=None, alt=alt)
    if summary:
        st.markdown(plain(summary))
    caption = source_caption(state) + (f" · {note}" if note else "")
    st.caption(plain(caption))
    if "suppressed" in data.columns:  # public figures of what members reported
        small_note(perturbation_legend(rules or DisclosureRules.from_env()))
    st.download_button(
        "Download the plotted data (CSV)",
        # made when the button is pressed (by the server, from this run's frame), not per run
        data=lambda: csv_bytes(data),
        file_name=f"{_slug(key)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
    text_title = re.sub(r"<[^>]+>", " ", title)  # a Plotly title's own tags (<br>, <sup>)
    with st.expander(
        plain(f"Data table: {text_title}"), key=f"{key}_table", icon=":material/table:"
    ):
        st.table(
            table_frame(data, markdown=True), hide_index=True, alt=f"Data plotted in: {text_title}"
        )
