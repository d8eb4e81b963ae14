"""What every page shares above its content: the demo-data banner and URL notices."""

from __future__ import annotations

import streamlit as st

from data_access import DatasetState
from ui.sidebar import show_url_notices


def page_header(title: str, state: DatasetState, intro: str | None = None) -> None:
    """Title, demo-data banner and any notice about ignored URL parameters."""
    st.title(title)
    if state.is_demo:
        st.info(
            "**Demo data.** These figures are synthetic, generated to resemble the public Pact "
            "for Skills figures. They are not real reports of any organisation.",
            icon=":material/science:",
        )
    show_url_notices()
    if intro:
        st.markdown(intro)


def format_number(value: float) -> str:
    """Compact human figure: 6.1M, 3,213, 48k."""
    if value != value:  # NaN
        return "–"
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.2f}M".replace(".00M", "M")
    if abs(value) >= 100_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"
