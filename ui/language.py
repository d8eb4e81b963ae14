"""The reader's language: chosen at the top of every run, offered in the sidebar, kept in the
URL (`?lang=`) and declared on the page (`<html lang>`) for screen readers.

The language of a run is the URL's `lang=` when it names one of ours (the pseudo-locale of
tests included), else the one this session already speaks, else the browser's
Accept-Language, else English. Streamlit runs callbacks, fragments and deferred downloads
outside the top of a run (often on a thread of their own), so they speak the session's
language through `in_session_language` and `in_language`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import streamlit as st

from i18n import LANGUAGES, PSEUDO, _, language, negotiate, parse_language, set_language, using
from views.url_state import LANGUAGE_PARAM

P = ParamSpec("P")
T = TypeVar("T")

PARAM = LANGUAGE_PARAM
SESSION_KEY = "language"  # the language this session speaks
NAMED_KEY = "language_named"  # whether the reader named it (link or picker), not the browser
PICKER_KEY = "language_picker"
NOTICE_KEY = "language_notice"  # the notice about a lang= we do not speak, until shown
_REFUSED_KEY = "language_refused"  # the lang= value last refused, so it is told once
# The pseudo-locale is no BCP 47 language: the page declares it as English with the private
# region XA, the tag Android and Chromium give their own pseudo-locale (docs/url-parameters.md).
HTML_LANG = {PSEUDO: "en-XA"}
# The script is the same in every language (it reads the tag from the element beside it), so
# a Content-Security-Policy allows it by its hash (deploy/nginx/pact.conf.template).
LANG_SCRIPT = (
    "document.documentElement.lang="
    "[...document.querySelectorAll('[data-pact-lang]')].pop().dataset.pactLang;"
)
_HOLDER = "page_language"  # the hidden container of the script that sets <html lang>


def browser_language() -> str:
    """The language the browser asks for (its Accept-Language, else navigator.language)."""
    header = st.context.headers.get("Accept-Language") if st.context.headers else None
    return negotiate(header or st.context.locale)


def choose_language() -> str:
    """The language of this run, spoken from here on (call at the very top of the run)."""
    requested = st.query_params.get(PARAM)
    chosen = parse_language(requested)
    if chosen is None and requested is not None:
        if st.session_state.get(_REFUSED_KEY) != requested:
            st.session_state[_REFUSED_KEY] = requested
            st.session_state[NOTICE_KEY] = requested[:40]
        del st.query_params[PARAM]  # the sidebar writes the language spoken back
    if chosen is not None:
        st.session_state[NAMED_KEY] = True
    code = chosen or st.session_state.get(SESSION_KEY) or browser_language()
    set_language(code)
    st.session_state[SESSION_KEY] = language()
    return language()


def chosen_in_url() -> str | None:
    """The language to write into the URL: the one the reader named (in the link or the
    picker), None while the browser's own is spoken unasked."""
    return language() if st.session_state.get(NAMED_KEY) else None


def language_notice() -> str | None:
    """The notice about a `lang=` value we do not speak, once."""
    refused = st.session_state.pop(NOTICE_KEY, None)
    if refused is None:
        return None
    return _("Unknown language {value} for 'lang' ignored; the page is in {language}.").format(
        value=repr(refused), language=LANGUAGES.get(language(), language())
    )


def _picked() -> None:
    """The picker's callback: speak the picked language and keep it in the URL."""
    code = st.session_state.get(PICKER_KEY)
    if code in LANGUAGES:
        st.session_state[SESSION_KEY] = code
        st.session_state[NAMED_KEY] = True
        st.query_params[PARAM] = code


def language_picker() -> None:
    """The sidebar's choice of language, each named in itself."""
    current = language()
    options = list(LANGUAGES) if current in LANGUAGES else [current, *LANGUAGES]
    st.session_state[PICKER_KEY] = current
    with st.sidebar:
        st.selectbox(
            _("Language"),
            options,
            format_func=lambda code: LANGUAGES.get(code, code),
            key=PICKER_KEY,
            on_change=_picked,
        )


def declare_page_language() -> None:
    """Set `<html lang>` to the language spoken, from a hidden element (no space taken)."""
    tag = HTML_LANG.get(language(), language())
    # Style alone goes to no container; the holder and the wrapper Streamlit puts around it
    # take no room (a displayed wrapper of no height would still add the column's gap).
    hidden = f".st-key-{_HOLDER}, [data-testid='stLayoutWrapper']:has(> .st-key-{_HOLDER})"
    st.html(f"<style>{hidden} {{display: none;}}</style>")
    with st.container(key=_HOLDER):
        st.html(
            f"<span data-pact-lang={json.dumps(tag)} hidden></span><script>{LANG_SCRIPT}</script>",
            unsafe_allow_javascript=True,
        )


def in_session_language(function: Callable[P, T]) -> Callable[P, T]:
    """Decorate a callback or a fragment: it speaks the session's language (they run
    before the top of a run, or without it)."""

    @wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        with using(str(st.session_state.get(SESSION_KEY) or language())):
            return function(*args, **kwargs)

    return run


def in_language(make: Callable[[], T]) -> Callable[[], T]:
    """`make` bound to the language of this run (for a download made when it is pressed, on
    a thread of Streamlit's own)."""
    code = language()

    def made() -> T:
        with using(code):
            return make()

    return made
