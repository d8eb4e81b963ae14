"""The global filters in the sidebar, kept in the URL so a copied link reproduces the view."""

from __future__ import annotations

from typing import cast

import streamlit as st

from data_access import FilterOptions, Filters
from ui.plain import notice
from views.url_state import PAGE_PARAMS, parse_query_params, to_query_params

WIDGET_KEYS = {
    "ecosystems": "f_eco",
    "partnerships": "f_lsp",
    "countries": "f_country",
    "org_types": "f_type",
    "skill_areas": "f_skill",
}
YEARS_KEY = "f_years"
NOTICES_KEY = "url_notices"
READ_KEY = "url_read"


def _read_url_once(options: FilterOptions) -> None:
    """On a session's first run, put the URL's filters into the widgets' state."""
    if st.session_state.get(READ_KEY):
        return
    params = {name: st.query_params.get_all(name) for name in st.query_params}
    parsed = parse_query_params(params, options)
    f = parsed.filters
    st.session_state[YEARS_KEY] = (f.year_from, f.year_to)
    for field_name, key in WIDGET_KEYS.items():
        st.session_state[key] = list(getattr(f, field_name))
    st.session_state[NOTICES_KEY] = list(parsed.notices)
    st.session_state[READ_KEY] = True


def global_filters(options: FilterOptions) -> Filters:
    """Draw the filter widgets and return the filters they hold; mirror them into the URL."""
    _read_url_once(options)
    labels = {
        name: dict(getattr(options, name))
        for name in ("ecosystems", "partnerships", "countries", "org_types", "skill_areas")
    }
    with st.sidebar:
        st.markdown("### Filters")
        years = list(range(options.first_year, options.last_year + 1))
        if len(years) > 1:
            chosen = st.slider(
                "Reporting period (years)",
                min_value=years[0],
                max_value=years[-1],
                step=1,
                format="%d",
                key=YEARS_KEY,
            )
            # a range: the session state (set from the URL) holds a (from, to) pair
            year_from, year_to = cast(tuple[int, int], chosen)
        else:
            year_from = year_to = years[0]
        titles = {
            "ecosystems": "Ecosystems",
            "partnerships": "Partnerships",
            "countries": "Countries",
            "org_types": "Organisation types",
            "skill_areas": "Skill areas",
        }
        selected: dict[str, tuple[str, ...]] = {}
        for name, key in WIDGET_KEYS.items():
            choice = st.multiselect(
                titles[name],
                options=list(labels[name]),
                format_func=labels[name].__getitem__,
                key=key,
                placeholder="All",
            )
            selected[name] = tuple(choice)
        st.caption("Empty means all. Skill areas apply to reported outcomes only.")
    filters = Filters(year_from=int(year_from), year_to=int(year_to), **selected)
    _write_url(filters, options)
    return filters


def _write_url(filters: Filters, options: FilterOptions) -> None:
    wanted = to_query_params(filters, options)
    for name in PAGE_PARAMS:
        if name in st.query_params:
            wanted[name] = st.query_params[name]
    current = {name: st.query_params[name] for name in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def show_url_notices() -> None:
    """Tell the reader which URL parameters were ignored (once per session)."""
    notices = st.session_state.pop(NOTICES_KEY, None) or []
    for text in notices:
        notice("warning", text, icon=":material/warning:")
