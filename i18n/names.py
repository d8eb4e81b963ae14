"""The names of reference things in the reader's language: ecosystems, skill areas and
organisation types through the catalog (their English names are the stored ones, marked in
data_access.reference), countries by Babel from the CLDR.

Every function falls back to the text it was given, so a name the catalog or the CLDR does
not know reads as stored.
"""

from __future__ import annotations

from functools import lru_cache

from babel.core import get_global

from i18n.core import _, language
from i18n.languages import DEFAULT_LANGUAGE
from i18n.numbers import babel_locale


def ecosystem_name(english_name: str) -> str:
    """An industrial ecosystem's name, stored in English, in the current language."""
    return _(english_name)


def skill_area_name(english_name: str) -> str:
    """A skill area's name, stored in English, in the current language."""
    return _(english_name)


def org_type_name(english_name: str) -> str:
    """An organisation type's name, stored in English, in the current language."""
    return _(english_name)


@lru_cache(maxsize=1)
def _english_codes() -> dict[str, str]:
    """ISO alpha-2 code by English territory name (CLDR's "&" also spelt "and") and by
    alpha-3 code."""
    codes: dict[str, str] = {}
    for code, name in babel_locale(DEFAULT_LANGUAGE).territories.items():
        if len(code) == 2 and code.isalpha():
            codes[name.lower()] = code
            codes[name.replace(" & ", " and ").lower()] = code
    for alias, targets in get_global("territory_aliases").items():
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1:
            codes.setdefault(alias.lower(), targets[0])
    return codes


def country_code(country: str) -> str | None:
    """The ISO alpha-2 code of a country given by that code, its alpha-3 code or its English
    name; None when it names no territory."""
    text = country.strip()
    if len(text) == 2 and text.isalpha():
        # Greece and the United Kingdom as the EU writes them ("EL", "UK").
        return {"EL": "GR", "UK": "GB"}.get(text.upper(), text.upper())
    return _english_codes().get(text.lower())


def country_name(country: str, default: str | None = None) -> str:
    """A country's name in the current language, from its ISO alpha-2 (or the EU's "EL",
    "UK") or alpha-3 code or its English name; `default` (else the text given) when the CLDR
    does not know it. In English a name given stays as stored."""
    fallback = country if default is None else default
    code = country_code(country)
    if code is None:
        return fallback
    if language() == DEFAULT_LANGUAGE and not (len(country) in (2, 3) and country.isupper()):
        return country
    return str(babel_locale(language()).territories.get(code, fallback))


def in_sentence(name: str) -> str:
    """A name as it reads inside a sentence ("basic digital"): lower case, except in German,
    which writes nouns with a capital."""
    return name if language() == "de" else name.lower()
