"""The language of the current run and the gettext calls every module uses.

The language is a context variable: a Streamlit run sets it once at its top (`set_language`),
the audience view and the reports set it around their work (`using`). Pure modules call `_` and
`ngettext` and never learn where the language came from. Words kept in module constants are
marked with `N_` (found by extraction, left in English) and translated where they are used.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from i18n.catalogs import translations
from i18n.languages import DEFAULT_LANGUAGE, is_language

_LANGUAGE: ContextVar[str] = ContextVar("language", default=DEFAULT_LANGUAGE)


def language() -> str:
    """The language of the current run ("en", "de", …)."""
    return _LANGUAGE.get()


def set_language(code: str) -> None:
    """Make `code` the language of the rest of this run (this thread or task)."""
    _LANGUAGE.set(code if is_language(code) else DEFAULT_LANGUAGE)


@contextmanager
def using(code: str) -> Iterator[None]:
    """Speak `code` inside the block, then the language of before."""
    token = _LANGUAGE.set(code if is_language(code) else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def _(message: str) -> str:
    """`message` in the current language."""
    if not message:
        return message
    return translations(_LANGUAGE.get()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form, by the current language's plural rules, for `count`."""
    return translations(_LANGUAGE.get()).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """`message` in the current language, told apart from the same English words by `context`."""
    return translations(_LANGUAGE.get()).pgettext(context, message)


def N_(message: str) -> str:
    """Mark words kept in a constant for extraction; translate them with `_` where shown."""
    return message
