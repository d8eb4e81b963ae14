"""A page's charts as tabs, only the open one drawn, and which one is open kept in the URL.

A page of five charts drew all five on every load and every filter change, most of them
below the first screen; in the browser each chart costs its drawing (docs/benchmarks.md).
Behind tabs that rerun the page when switched (st.tabs with on_change="rerun"), a run draws
the open tab's chart alone, and switching draws the next. Which tab is open is a page choice
like the others (ui/page_choice.py): ?chart=<section> opens it, so a link can point at one
chart; an unknown value gives a notice and the first tab.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from i18n import _
from ui.page_choice import keep_in_url, newly_requested

Section = TypeVar("Section", bound=str)
PARAM = "chart"


def chart_tabs(
    sections: Mapping[Section, str], *, key: str, param: str = PARAM
) -> tuple[Section, DeltaGenerator]:
    """Draw one tab per section (`sections` maps each to its label, the view's words in
    English) and return the open section with its tab to draw into.

    The open section is, in order: the tab the reader has just opened, one the URL newly
    names, the one open before (kept by section, so a change of language keeps it), the
    first. The URL names it unless it is the first."""
    names = list(sections)
    labels = {name: _(sections[name]) for name in names}
    by_label = {label: name for name, label in labels.items()}
    kept = f"_{key}_section"
    current: Section = st.session_state.get(kept, names[0])
    if current not in sections:
        current = names[0]
    opened = by_label.get(st.session_state.get(key, ""))
    if opened is not None:  # the widget's state: the label of the tab open in the browser
        current = opened
    requested = newly_requested(param, names, key=key)
    if requested is not None:
        current = requested
    st.session_state[kept] = current
    st.session_state[key] = labels[current]
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    keep_in_url(param, current, default=names[0], key=key)
    return current, tabs[names.index(current)]
