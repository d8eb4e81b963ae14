"""Hands the filters and dataset state that dashboard.py resolved to the page being run."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from data_access import Caller, DatasetState, FilterOptions, Filters

_KEY = "_page_context"


@dataclass(frozen=True)
class PageContext:
    """What every page needs: the global filters, their options, the dataset state and who is
    asking (pages decide what to show of what the data layer lets that caller have)."""

    filters: Filters
    options: FilterOptions
    state: DatasetState
    caller: Caller

    @property
    def perturbed(self) -> bool:
        """Whether this view's reported figures are the public, perturbed ones."""
        return not self.caller.unsuppressed_for(self.filters)


def publish(context: PageContext) -> None:
    """Called by dashboard.py before the page runs."""
    st.session_state[_KEY] = context


def leave_legacy_pages_mode() -> None:
    """Rerun at once if Streamlit's legacy pages/ handling is running this script.

    A fresh process (and every AppTest run) first treats a folder named pages/ the old way:
    it runs dashboard.py, or a page on its own, inside an implicit navigation. Widgets made
    then would change identity on the next run, so switch the mode off and rerun before any
    widget is drawn.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current() -> PageContext:
    """The context of this rerun (call once per page run), via dashboard.py if it was skipped."""
    leave_legacy_pages_mode()
    if _KEY not in st.session_state:
        st.rerun()
    context: PageContext = st.session_state.pop(_KEY)  # taken once: never stale next run
    return context
