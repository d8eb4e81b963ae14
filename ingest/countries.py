"""Country cells as people write them: ISO codes, English names and their official and
common forms, the names in the 24 official languages of the EU and the dashboard's countries'
names in their own languages, taken from pycountry (ISO 3166 and its translations) and Babel (the
Unicode CLDR territory names).

Names match whatever their case, accents, punctuation or leading article ("the
Netherlands", "Osterreich", "il-Ġermanja"). A name two countries share is matched for
neither, unless it is written in the official language of just one of them.
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

import pycountry
from babel import Locale, UnknownLocaleError
from babel.languages import get_official_languages

from data_access.reference import COUNTRIES
from i18n import PSEUDO, _
from i18n import language as current_language
from i18n.numbers import current_locale

# The official languages of the European Union.
# A hand-laid table of data: the formatter leaves its layout alone.
EU_LANGUAGES: tuple[str, ...] = (
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
    "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
)  # fmt: skip
ENGLISH = "en"
# Codes the EU writes instead of the ISO ones.
EU_CODES: Mapping[str, str] = {"EL": "GR", "UK": "GB"}
# Former or everyday English names that neither library lists.
EVERYDAY_NAMES: Mapping[str, str] = {"Turkey": "TR", "Hellas": "GR", "Great Britain": "GB"}
# Countries also named in their own languages when these are not EU languages (the seeded
# list; loading every language's names for every country would take seconds).
_DASHBOARD_COUNTRIES = frozenset(country.code for country in COUNTRIES)
# Territories with a CLDR name but no ISO 3166 entry that people still name as countries.
_EXTRA_TERRITORIES = ("XK",)
# Leading articles: English, Irish, Maltese (il-, l-, and il- assimilated: iċ-, id-, in-, ...).
_ARTICLES = frozenset(
    ("the", "an", "na", "il", "l", "ic", "id", "in", "ir", "is", "it", "ix", "iz")
)
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "đ": "d", "ł": "l", "ı": "i", "œ": "oe", "ħ": "h", "þ": "th", "ð": "d"}
)
_NOT_WORD = re.compile(r"[\W_]+")
MAX_SUGGESTIONS = 200  # distinct unknown cells given a closest name; others get a default


def country_key(text: str) -> str:
    """The key country names match on: case, accents, punctuation, "and"/"&" and a
    leading (or trailing, as in "Netherlands, The") article left out."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    words = [word for word in _NOT_WORD.sub(" ", plain).split() if word != "and"]
    if len(words) > 1 and words[0] in _ARTICLES:
        words = words[1:]
    if len(words) > 1 and words[-1] == "the":
        words = words[:-1]
    return " ".join(words)


@dataclass(frozen=True)
class WorldNames:
    """Every country the libraries know: codes and name keys -> alpha-2 code."""

    codes: Mapping[str, str]  # alpha-2, alpha-3 and EU codes, upper case
    names: Mapping[str, str]  # name keys, each naming one country
    english: Mapping[str, str]  # alpha-2 -> English name
    names_of: Mapping[str, frozenset[str]]  # alpha-2 -> its name keys


def _translations(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
    except OSError:
        return gettext.NullTranslations()


def _own_name(language: str, code: str) -> str | None:
    try:
        return Locale.parse(language).territories.get(code)
    except (UnknownLocaleError, ValueError):  # a language without CLDR data
        return None


@cache
def world_names() -> WorldNames:
    """Country codes and names from pycountry and Babel, built once."""
    found: dict[str, set[tuple[str, str]]] = {}  # key -> {(code, language)}

    def add(code: str, language: str, names: Iterable[str | None]) -> None:
        for name in names:
            if name and (key := country_key(name)):
                found.setdefault(key, set()).add((code, language))

    codes: dict[str, str] = dict(EU_CODES)
    english: dict[str, str] = {}
    countries = list(pycountry.countries)
    known = {country.alpha_2 for country in countries} | set(_EXTRA_TERRITORIES)
    english_names = Locale("en").territories
    translations = {language: _translations(language).gettext for language in EU_LANGUAGES}
    for country in countries:
        codes[country.alpha_2] = codes[country.alpha_3] = country.alpha_2
        forms = [getattr(country, a, None) for a in ("name", "official_name", "common_name")]
        add(country.alpha_2, "en", forms)
        english[country.alpha_2] = english_names.get(country.alpha_2) or country.name
        for language, translate in translations.items():
            add(country.alpha_2, language, (translate(form) for form in forms if form))
    for code in _EXTRA_TERRITORIES:
        codes[code] = code
        english[code] = english_names.get(code, code)
    for language in EU_LANGUAGES:
        for code, name in Locale(language).territories.items():
            if code in known:
                add(code, language, (name,))
    for code in sorted(known & _DASHBOARD_COUNTRIES):  # their names in their own languages
        for language in get_official_languages(code):
            if language not in EU_LANGUAGES:
                add(code, language, (_own_name(language, code),))
    for name, code in EVERYDAY_NAMES.items():
        add(code, "en", (name,))
    names: dict[str, str] = {}
    names_of: dict[str, set[str]] = {}
    for key, sources in found.items():
        candidates = {code for code, _language in sources}
        if len(candidates) > 1:  # kept only when written in the language of just one of them
            candidates = {
                code for code, language in sources if language in get_official_languages(code)
            }
        if len(candidates) == 1:
            (code,) = candidates
            names[key] = code
            names_of.setdefault(code, set()).add(key)
    return WorldNames(
        codes=codes,
        names=names,
        english=english,
        names_of={code: frozenset(keys) for code, keys in names_of.items()},
    )


class CountryMatcher:
    """Reads country cells for one store: its countries (code, alpha-3 or name -> code, as
    the catalogue gives them) and every other name the libraries know for them."""

    def __init__(self, stored: Mapping[str, str], display: Mapping[str, str]) -> None:
        self.world = world_names()
        self.stored_codes = frozenset(stored.values())
        self.display = display
        self.store_names = {country_key(text): code for text, code in stored.items()}
        self.choices: dict[str, str] = {}  # name keys of the store's countries -> code
        for code in sorted(self.stored_codes):
            for key in self.world.names_of.get(code, ()):
                self.choices.setdefault(key, code)
        self.choices.update(self.store_names)
        self.suggested = 0

    def name(self, code: str) -> str:
        """The country's name as the dashboard shows it, in the current language."""
        english = self.display.get(code) or self.world.english.get(code, code)
        if current_language() in (ENGLISH, PSEUDO):
            return english
        return current_locale().territories.get(code) or english

    def code(self, text: str) -> str | None:
        """The alpha-2 code a cell names, whether or not the store holds it; None if none."""
        if (word := text.strip().upper()).isalpha() and len(word) in (2, 3):
            code = self.world.codes.get(word) or self.store_names.get(country_key(word))
            if code is not None:
                return code
        key = country_key(text)
        return self.store_names.get(key) or self.world.names.get(key)

    def read(self, text: str) -> tuple[str | None, str | None]:
        """(code, None) for a country of the store, else (None, why not)."""
        code = self.code(text)
        if code in self.stored_codes:
            return code, None
        if code is not None:
            return None, _(
                "is {country} ({code}), which is not one of the countries members may be based "
                "in here"
            ).format(country=self.name(code), code=code)
        example = self.closest(text)
        return None, _(
            "is not a known country; give its ISO code ({code}) or its name ({country})"
        ).format(code=example, country=self.name(example))

    def closest(self, text: str) -> str:
        """The store's country whose code or name is most like the text."""
        key = country_key(text)
        if key and self.suggested < MAX_SUGGESTIONS and self.choices:
            self.suggested += 1
            best = difflib.get_close_matches(key, list(self.choices), n=1, cutoff=0.0)
            if best:
                return self.choices[best[0]]
        return "DE" if "DE" in self.stored_codes else min(self.stored_codes, default="DE")
