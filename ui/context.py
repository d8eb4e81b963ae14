"""Hands the filters and dataset state that dashboard.py resolved to the page being run."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from data_access import DatasetState, FilterOptions, Filters

_KEY = "_page_context"


@dataclass(frozen=True)
class PageContext:
    """What every page needs: the global filters, their options and the dataset state."""

    filters: Filters
    options: FilterOptions
    state: DatasetState


def publish(context: PageContext) -> None:
    """Called by dashboard.py before the page runs."""
    st.session_state[_KEY] = context


def current() -> PageContext:
    """The context of this rerun (call once per page run), via dashboard.py if it was skipped."""
    if _KEY not in st.session_state:
        # Streamlit's legacy handling of a folder named pages/ can run a page on its own in
        # a fresh process (a first visit straight to /growth, or AppTest). Turn it off and
        # rerun, so dashboard.py draws the filters and then runs this page.
        PagesManager.uses_pages_directory = False
        st.rerun()
    context: PageContext = st.session_state.pop(_KEY)  # taken once: never stale next run
    return context
