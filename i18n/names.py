"""Names of reference things in the current language: ecosystems, skill areas and organisation
types (stored in English, translated by the catalog) and countries (Babel's territory names)."""

from __future__ import annotations

from i18n.core import _
from i18n.numbers import current_locale


def ecosystem_name(name: str) -> str:
    """An ecosystem's stored English name in the current language."""
    return _(name)


def skill_area_name(name: str) -> str:
    """A skill area's stored English name in the current language."""
    return _(name)


def org_type_name(name: str) -> str:
    """An organisation type's stored English name in the current language."""
    return _(name)


def country_name(iso2: str, default: str | None = None) -> str:
    """A country's name in the current language, from its ISO 3166-1 alpha-2 code (Greece's
    "EL" and the United Kingdom's "UK" as the EU writes them); `default` (else the code) when
    Babel does not know it."""
    code = {"EL": "GR", "UK": "GB"}.get(iso2.upper(), iso2.upper())
    name = current_locale().territories.get(code)
    return str(name) if name else (default or iso2)
