"""How every chart is shown: the figure, its source caption, a CSV of exactly what is plotted.

Also the shared Plotly config (PNG export, no external links) and the empty state.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from data_access import DatasetState

PLOTLY_CONFIG = {
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "topojsonURL": "app/static/geo/",
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}
EMPTY_MESSAGE = "Nothing matches the current filters. Widen the period or clear some filters."


def source_caption(state: DatasetState) -> str:
    """The as-of and source line under every chart."""
    as_of = state.as_of or "unknown"
    changed = f" · last changed {state.last_changed}" if state.last_changed else ""
    return f"Data as of {as_of} · Source: {state.source_label}{changed}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def show_chart(
    fig: go.Figure,
    *,
    key: str,
    data: pd.DataFrame,
    state: DatasetState,
    alt: str,
    note: str | None = None,
) -> None:
    """Show a figure with its caption and a CSV download of `data`, or the empty state."""
    if data.empty:
        title = fig.layout.title.text or "Chart"
        st.markdown(f"**{title}**")
        st.info(EMPTY_MESSAGE, icon=":material/filter_alt_off:")
        return
    config = {
        **PLOTLY_CONFIG,
        "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": _slug(key)},
    }  # type: ignore[dict-item]
    st.plotly_chart(fig, key=key, config=config, theme=None, alt=alt)
    caption = source_caption(state) + (f" · {note}" if note else "")
    st.caption(caption)
    st.download_button(
        "Download the plotted data (CSV)",
        data=data.to_csv(index=False).encode("utf-8"),
        file_name=f"{_slug(key)}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        on_click="ignore",
        icon=":material/download:",
    )
