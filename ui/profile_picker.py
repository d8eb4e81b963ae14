"""The partnership picker of the profile page, kept in the URL as ?p=<slug>."""

from __future__ import annotations

import streamlit as st

from data_access import FilterOptions, Filters

KEY = "profile_partnership"
_APPLIED = "profile_url_applied"


def pick_partnership(options: FilterOptions, filters: Filters) -> str | None:
    """Draw the picker (defaulting to the URL's ?p=) and return the chosen slug."""
    labels = dict(options.partnerships)
    choices = [s for s in labels if not filters.partnerships or s in filters.partnerships]
    if not choices:
        st.info("No partnership matches the current filters.")
        return None
    wanted = st.query_params.get("p")
    if wanted is not None and wanted != st.session_state.get(_APPLIED):
        st.session_state[_APPLIED] = wanted
        if wanted in choices:
            st.session_state[KEY] = wanted
        else:
            st.warning(
                f"Unknown partnership {wanted[:60]!r} in the link; showing {labels[choices[0]]}.",
                icon="⚠️",
            )
    if st.session_state.get(KEY) not in choices:
        st.session_state[KEY] = choices[0]
    slug: str = st.selectbox("Partnership", choices, format_func=labels.__getitem__, key=KEY)
    if st.query_params.get("p") != slug:
        st.query_params["p"] = slug
        st.session_state[_APPLIED] = slug
    return slug
