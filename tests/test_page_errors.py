"""A page that fails shows the reader an error id, never a traceback or the exception's
text; the server's log has the traceback under that id."""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.callers import OFFICER
from tests.markdown_text import as_read
from ui import data
from ui import present_stage as stage
from ui.page_errors import LOGGER_NAME

REPO = Path(__file__).resolve().parents[1]
SECRET = "password=hunter2 at db.internal"
MESSAGE = re.compile(
    r"Something went wrong while drawing this page\. Error id: ([0-9a-f]{6})\. "
    r"The error has been logged\."
)


class Records(logging.Handler):
    """Keeps the formatted records of one logger, traceback included."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture()
def error_log() -> Iterator[Records]:
    handler = Records()
    logger = logging.getLogger(LOGGER_NAME)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def page_text(at: AppTest) -> str:
    """Everything the page shows as text, exceptions included."""
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success",
                                  "title", "header", "subheader") for e in at.get(kind)]  # fmt: skip
    parts += [str(e.proto) for e in at.exception]
    return "\n".join(str(p) for p in parts)


def test_a_failing_page_shows_an_error_id_and_logs_the_traceback(
    run_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, error_log: Records
) -> None:
    def broken() -> None:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(data, "partnerships", broken)
    at = run_page("pages/profile.py")
    assert not at.exception, "Streamlit's own exception box is not shown"
    shown = [m for e in at.error if (m := MESSAGE.fullmatch(as_read(e.value)))]
    assert len(shown) == 1, [e.value for e in at.error]
    error_id = shown[0].group(1)
    text = page_text(at)
    for leak in (SECRET, "hunter2", "RuntimeError", "Traceback", "broken", ".py"):
        assert leak not in text
    (logged,) = [line for line in error_log.lines if error_id in line]
    assert logged.startswith("ERROR ")
    assert "Traceback (most recent call last)" in logged
    assert f"RuntimeError: {SECRET}" in logged and "in broken" in logged

    # Streamlit's control flow is no error: st.stop (the roles page refusing an officer) and
    # st.rerun (the context handed to the page) pass through, with no id and nothing logged.
    error_log.lines.clear()
    at = run_page("pages/admin.py", caller=OFFICER)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Only admins can see and change who holds which role."]
    assert error_log.lines == []


def test_a_failing_fragment_shows_an_error_id_too(
    run_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch, error_log: Records
) -> None:
    """The presenter's slides are a fragment that reruns on its own: its failures are
    reported the same way."""

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError(SECRET)

    monkeypatch.setattr(stage, "stage_html", broken)
    at = run_page("pages/present.py")
    assert not at.exception, "Streamlit's own exception box is not shown"
    shown = [m for e in at.error if (m := MESSAGE.fullmatch(as_read(e.value)))]
    assert len(shown) == 1, [e.value for e in at.error]
    assert SECRET not in page_text(at)
    (logged,) = [line for line in error_log.lines if shown[0].group(1) in line]
    assert f"RuntimeError: {SECRET}" in logged
    assert at.button(key="present_next").value is False, "the rest of the page is drawn"


def test_streamlit_shows_no_error_details() -> None:
    """Whatever fails outside the pages' wrapper is shown without type, text or traceback."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
