"""Page-level choices (group by, periods, map measure) kept in the URL like the global filters.

A choice the URL names is applied once; an unknown value gives a notice and the default.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Literal, TypeVar

import streamlit as st

from i18n import _
from ui.plain import notice

Option = TypeVar("Option", bound=str)


def url_choice(
    label: str,
    options: Mapping[Option, str],
    *,
    key: str,
    param: str,
    default: Option,
    widget: Literal["segmented", "radio"] = "segmented",
) -> Option:
    """Draw a one-of-several control mirrored in ?param=; return the chosen option key
    (`options` maps each option to its label; `label` and the options' labels are the view's
    words in English, shown in the reader's language)."""
    requested = newly_requested(param, options, key=key)
    if requested is not None:
        st.session_state[key] = requested
    if st.session_state.get(key) not in options:
        st.session_state[key] = default
    value: Option | None

    def shown(option: Option) -> str:
        return _(options[option])

    if widget == "radio":
        value = st.radio(_(label), list(options), format_func=shown, key=key, horizontal=True)
    else:
        # Options wrap onto more rows where a language's words do not fit one (a phone).
        value = st.segmented_control(
            _(label), list(options), format_func=shown, key=key, required=True, wrap=True
        )
    chosen = value if value is not None and value in options else default
    keep_in_url(param, chosen, default=default, key=key)
    return chosen


def newly_requested(param: str, options: Collection[Option], *, key: str) -> Option | None:
    """The value ?param= names when the URL has newly named it (a link opened, the address
    edited), once: None when it names nothing new, and a notice and None when its value is
    none of `options`. `key` is the choice's session key."""
    requested = st.query_params.get(param)
    applied = f"_{key}_from_url"
    if requested is None or requested == st.session_state.get(applied):
        return None
    st.session_state[applied] = requested
    if requested in options:
        return requested  # type: ignore[return-value]  # one of `options`
    known = ", ".join(repr(o) for o in options)
    text = _("Unknown value {value} for '{param}' ignored; use one of {known}.").format(
        value=repr(requested[:40]), param=param, known=known
    )
    notice("warning", text, icon=":material/warning:")
    return None


def keep_in_url(param: str, chosen: str, *, default: str, key: str) -> None:
    """Write the choice into ?param= (left out when it is the default), and note that the
    URL now says so, so newly_requested does not apply it again."""
    if chosen == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != chosen:
        st.query_params[param] = chosen
    st.session_state[f"_{key}_from_url"] = st.query_params.get(param)


def url_text(label: str, *, key: str, param: str, max_chars: int, placeholder: str = "") -> str:
    """Draw a text box mirrored in ?param=; return its text, stripped ("" when empty). The
    label and placeholder are the view's words in English, shown in the reader's language."""
    requested = st.query_params.get(param)
    applied = f"_{key}_from_url"
    if requested is not None and requested != st.session_state.get(applied):
        st.session_state[key] = requested[:max_chars]
    value = st.text_input(_(label), key=key, max_chars=max_chars, placeholder=_(placeholder))
    text = (value or "").strip()
    keep_in_url(param, text, default="", key=key)
    return text
