"""Tier 3, the reader's language through dashboard.py: the URL's lang= chooses it, a value we
do not speak gives a notice and English, the sidebar's picker writes lang= into the URL next
to the filters, and the language outlives a change of page within the session."""

from __future__ import annotations

from collections.abc import Callable

from streamlit.testing.v1 import AppTest

from i18n import LANGUAGES
from tests.markdown_text import as_read
from ui.language import PICKER_KEY, SESSION_KEY


def test_the_url_names_the_language(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/growth.py", lang="EL", eco="health")
    assert not at.exception, at.exception
    assert at.session_state[SESSION_KEY] == "el"
    assert at.selectbox(key=PICKER_KEY).value == "el"
    assert at.query_params.get("lang") in ("el", ["el"])  # written back in its own spelling
    assert at.query_params.get("eco") in ("health", ["health"])


def test_an_unknown_language_gives_a_notice_and_english(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/overview.py", lang="<b>tlh</b>")
    assert not at.exception, at.exception
    assert at.session_state[SESSION_KEY] == "en"
    notices = " ".join(as_read(w.value) for w in at.warning)
    assert "Unknown language '<b>tlh</b>' for 'lang' ignored; the page is in English." in notices
    assert "Unknown parameter 'lang'" not in notices
    assert "lang" not in at.query_params


def test_the_picker_writes_the_language_into_the_url(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/overview.py", eco="health")
    assert at.session_state[SESSION_KEY] == "en" and "lang" not in at.query_params
    assert at.selectbox(key=PICKER_KEY).options == list(LANGUAGES.values())
    at.selectbox(key=PICKER_KEY).select("fr").run()
    assert not at.exception, at.exception
    assert at.session_state[SESSION_KEY] == "fr"
    assert at.query_params.get("lang") in ("fr", ["fr"])
    assert at.query_params.get("eco") in ("health", ["health"])
    at.switch_page("pages/skills.py").run()
    assert not at.exception, at.exception
    assert at.session_state[SESSION_KEY] == "fr"
    assert at.query_params.get("lang") in ("fr", ["fr"])
