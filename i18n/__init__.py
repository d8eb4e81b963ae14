"""Languages: gettext catalogs compiled with Babel, the language of the current run, and
locale-aware numbers and dates. Pure: no Streamlit; every layer may import it."""

from i18n.core import N_, _, language, ngettext, pgettext, set_language, using
from i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, PSEUDO, choose, negotiate, parse_language

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "N_",
    "PSEUDO",
    "_",
    "choose",
    "language",
    "negotiate",
    "ngettext",
    "parse_language",
    "pgettext",
    "set_language",
    "using",
]
