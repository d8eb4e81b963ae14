"""The global filters in the sidebar, kept in the URL so a copied link reproduces the view."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import streamlit as st

from data_access import FilterOptions, Filters
from i18n import N_, _
from i18n.names import country_name, ecosystem_name, org_type_name, skill_area_name
from ui.language import chosen_in_url, language_notice
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
TITLES = {
    "ecosystems": N_("Ecosystems"),
    "partnerships": N_("Partnerships"),
    "countries": N_("Countries"),
    "org_types": N_("Organisation types"),
    "skill_areas": N_("Skill areas"),
}
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


def option_names(options: FilterOptions) -> dict[str, dict[str, str]]:
    """Each filter's choices (key -> name in the current language), in the order of the
    names: reference names translated, partnership names as stored."""
    translate: dict[str, Callable[[str, str], str]] = {
        "ecosystems": lambda _key, name: ecosystem_name(name),
        "partnerships": lambda _key, name: name,
        "countries": lambda key, _name: country_name(key),
        "org_types": lambda _key, name: org_type_name(name),
        "skill_areas": lambda _key, name: skill_area_name(name),
    }
    names: dict[str, dict[str, str]] = {}
    for field_name, shown in translate.items():
        pairs = [(key, shown(key, name)) for key, name in getattr(options, field_name)]
        if field_name != "partnerships":  # partnerships keep the store's order (by kind)
            pairs.sort(key=lambda pair: pair[1].casefold())
        names[field_name] = dict(pairs)
    return names


def global_filters(options: FilterOptions) -> Filters:
    """Draw the filter widgets and return the filters they hold; mirror them into the URL."""
    _read_url_once(options)
    labels = option_names(options)
    with st.sidebar:
        st.markdown("### " + _("Filters"))
        years = list(range(options.first_year, options.last_year + 1))
        if len(years) > 1:
            chosen = st.slider(
                _("Reporting period (years)"),
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
        selected: dict[str, tuple[str, ...]] = {}
        for name, key in WIDGET_KEYS.items():
            choice = st.multiselect(
                _(TITLES[name]),
                options=list(labels[name]),
                format_func=labels[name].__getitem__,
                key=key,
                placeholder=_("All"),
            )
            selected[name] = tuple(choice)
        st.caption(_("Empty means all. Skill areas apply to reported outcomes only."))
    filters = Filters(year_from=int(year_from), year_to=int(year_to), **selected)
    _write_url(filters, options)
    return filters


def _write_url(filters: Filters, options: FilterOptions) -> None:
    wanted = to_query_params(filters, options, language=chosen_in_url())
    for name in PAGE_PARAMS:
        if name in st.query_params:
            wanted[name] = st.query_params[name]
    current = {name: st.query_params[name] for name in st.query_params}
    if current != wanted:
        st.query_params.from_dict(wanted)


def show_url_notices() -> None:
    """Tell the reader which URL parameters were ignored (once per session)."""
    notices = st.session_state.pop(NOTICES_KEY, None) or []
    refused = language_notice()
    if refused is not None:
        notices = [*notices, refused]
    for text in notices:
        notice("warning", text, icon=":material/warning:")
