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
from ui.plain import notice

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
    kept, applied = f"_{key}_section", f"_{key}_from_url"
    current: Section = st.session_state.get(kept, names[0])
    if current not in sections:
        current = names[0]
    opened = by_label.get(st.session_state.get(key, ""))
    if opened is not None:  # the widget's state: the label of the tab open in the browser
        current = opened
    requested = st.query_params.get(param)
    if requested is not None and requested != st.session_state.get(applied):
        st.session_state[applied] = requested
        if requested in sections:
            current = requested  # type: ignore[assignment]  # a key of `sections`
        else:
            known = ", ".join(repr(name) for name in names)
            text = _("Unknown value {value} for '{param}' ignored; use one of {known}.").format(
                value=repr(requested[:40]), param=param, known=known
            )
            notice("warning", text, icon=":material/warning:")
    st.session_state[kept] = current
    st.session_state[key] = labels[current]
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    if current == names[0]:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != current:
        st.query_params[param] = current
    st.session_state[applied] = st.query_params.get(param)
    return current, tabs[names.index(current)]
