"""The dashboard's own CSS for Streamlit's elements, sent once per run for every page.

- A tile's label on as many lines as it needs: Streamlit cuts it to one line with "…", which
  in a longer language hid the period and the provisional mark ("2020–2024 (vorläufig)").
- The tab bar of a page's charts (ui/sections.py) wraps onto a second row when its tabs do
  not fit: Streamlit scrolls it sideways instead, and on a phone, in a longer language, the
  tab a link opened could sit behind the bar's scroll arrow. The open tab keeps its own
  underline on either row.
"""

from __future__ import annotations

import streamlit as st

TILE_LABELS_WRAP = (
    "[data-testid='stMetricLabel'] .stMarkdownEllipsis,"
    " [data-testid='stMetricLabel'] .stMarkdownEllipsis *"
    " {white-space: normal; overflow: visible; text-overflow: clip;}"
)
TABS_WRAP = "[data-testid='stTabs'] [role='tablist'] {flex-wrap: wrap; row-gap: 0.25rem;}"
PAGE_CSS = f"<style>{TILE_LABELS_WRAP} {TABS_WRAP}</style>"


def page_style() -> None:
    """The style, as an element that takes no room."""
    st.html(PAGE_CSS)
