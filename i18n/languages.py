"""The dashboard's languages: the EU's 24 official languages, their names in themselves, and
how a reader's language is chosen from a URL parameter or the browser's Accept-Language.

A pseudo-locale (`PSEUDO`) exists for tests: every message accented and lengthened, so a test
sees at once any English left in the interface and any text that overflows. It is chosen only
by naming it in the URL, never by a browser.
"""

from __future__ import annotations

from collections.abc import Iterable

DEFAULT_LANGUAGE = "en"
PSEUDO = "qps"  # the pseudo-locale of tests ("qps-ploc" in Windows' usage)

# code -> the language's name in itself, in the order of the EU's own list (by that name).
LANGUAGES: dict[str, str] = {
    "bg": "български",
    "es": "español",
    "cs": "čeština",
    "da": "dansk",
    "de": "Deutsch",
    "et": "eesti",
    "el": "ελληνικά",
    "en": "English",
    "fr": "français",
    "ga": "Gaeilge",
    "hr": "hrvatski",
    "it": "italiano",
    "lv": "latviešu",
    "lt": "lietuvių",
    "hu": "magyar",
    "mt": "Malti",
    "nl": "Nederlands",
    "pl": "polski",
    "pt": "português",
    "ro": "română",
    "sk": "slovenčina",
    "sl": "slovenščina",
    "fi": "suomi",
    "sv": "svenska",
}


def is_language(code: str) -> bool:
    """Whether `code` names a language the dashboard speaks (the pseudo-locale included)."""
    return code in LANGUAGES or code == PSEUDO


def parse_language(value: str | None) -> str | None:
    """The language a URL's `lang=` names ("fr", "FR", "fr-BE", "pt_PT" all give "fr"/"pt"),
    or None when it names none of ours."""
    if not value:
        return None
    text = value.strip().replace("_", "-").lower()
    if text == PSEUDO:
        return PSEUDO
    base = text.split("-", 1)[0]
    return base if base in LANGUAGES else None


def accepted(header: str | None) -> list[tuple[str, float]]:
    """The ranges of an Accept-Language header with their weights, best first ("*" dropped)."""
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate((header or "").split(",")):
        fields = [field.strip() for field in part.split(";")]
        tag = fields[0]
        if not tag or tag == "*":
            continue
        weight = 1.0
        for field in fields[1:]:
            name, _, raw = field.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(raw)
                except ValueError:
                    weight = 0.0
        if 0 < weight <= 1:
            ranges.append((tag, weight, position))
    ranges.sort(key=lambda item: (-item[1], item[2]))
    return [(tag, weight) for tag, weight, _ in ranges]


def negotiate(header: str | None, available: Iterable[str] = LANGUAGES) -> str:
    """The reader's language from the browser's Accept-Language: the first range (by weight,
    then order) whose primary language we speak; English when none is."""
    speak = set(available)
    for tag, _weight in accepted(header):
        base = tag.replace("_", "-").split("-", 1)[0].lower()
        if base in speak and base != PSEUDO:
            return base
    return DEFAULT_LANGUAGE


def choose(url_value: str | None, header: str | None) -> str:
    """The language of a request: the URL's `lang=` when it names one of ours, else the
    browser's Accept-Language, else English."""
    return parse_language(url_value) or negotiate(header)
