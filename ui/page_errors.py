"""What a reader sees when drawing a page fails: a short message with an error id, never a
traceback or the exception's text; the server's log has the traceback under that id."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec

from streamlit.errors import FragmentHandledException
from streamlit.logger import get_logger

from i18n import N_, _
from ui.language import in_session_language
from ui.plain import notice

P = ParamSpec("P")
LOGGER_NAME = "ui.page_errors"
_LOG = get_logger(LOGGER_NAME)
MESSAGE = N_(
    "Something went wrong while drawing this page. Error id: {error_id}. The error has been logged."
)


def new_error_id() -> str:
    """A short random id that ties the reader's message to the log entry."""
    return secrets.token_hex(3)


@contextmanager
def page_errors(page: str) -> Iterator[None]:
    """Run a page's drawing: an exception is logged with its traceback under a new error
    id and the reader gets the id only.

    Streamlit's own control flow (st.stop, st.rerun, st.switch_page: BaseExceptions) passes
    through, and so does an error a fragment has already reported.
    """
    try:
        yield
    except FragmentHandledException:
        raise
    except Exception:
        error_id = new_error_id()
        _LOG.exception("Error id %s while drawing the page %s", error_id, page)
        notice("error", _(MESSAGE).format(error_id=error_id), icon=":material/error:")


def reported(page: str) -> Callable[[Callable[P, None]], Callable[P, None]]:
    """Decorate a fragment's function so that its failures, which a fragment's own reruns
    meet outside the page's run, are reported the same way (log, and an id for the reader);
    those reruns speak the session's language too."""

    def decorate(function: Callable[P, None]) -> Callable[P, None]:
        @wraps(function)
        @in_session_language
        def run(*args: P.args, **kwargs: P.kwargs) -> None:
            with page_errors(page):
                function(*args, **kwargs)

        return run

    return decorate
