"""The words of an upload file in every language the dashboard speaks: column headers,
skill areas, organisation types, sizes, roles and yes/no, read through the catalogs.

A word matches whatever its case, accents, punctuation or spacing. A word that two things
share in different languages (one language's header for one column is another's for a
second) means the one it means in the file's own language, found from its headers; when
that does not settle it, the word is ambiguous and said to be, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from i18n import LANGUAGES, _, using

ENGLISH = "en"
_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "đ": "d", "ł": "l", "ı": "i", "œ": "oe", "ħ": "h", "þ": "th", "ð": "d"}
)
_NOT_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """The key words are matched on: case-folded, accents and punctuation left out, words
    separated by single spaces ("Année" and "annee", "Joined_on" and "joined on")."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_LETTERS))
    plain = "".join(char for char in folded if not unicodedata.combining(char))
    return " ".join(_NOT_WORD.sub(" ", plain).split())


@dataclass(frozen=True)
class Meaning:
    """What a word may be: the English message it translates and the languages it is in."""

    message: str
    languages: frozenset[str]


@dataclass(frozen=True)
class Vocabulary:
    """Words by their folded form: each English message, and its translation in every
    language whose catalog translates it."""

    meanings: Mapping[str, tuple[Meaning, ...]]

    def read(
        self, text: str, languages: frozenset[str] = frozenset()
    ) -> tuple[str | None, tuple[str, ...]]:
        """(message, ()) for a word that means one message, or one in the file's languages;
        (None, the messages it may mean) for an ambiguous one; (None, ()) for an unknown one."""
        found = self.meanings.get(fold(text), ())
        if len(found) == 1:
            return found[0].message, ()
        if not found:
            return None, ()
        in_file = [meaning for meaning in found if meaning.languages & languages]
        if len(in_file) == 1:
            return in_file[0].message, ()
        return None, tuple(meaning.message for meaning in found)

    def languages_of(self, text: str) -> frozenset[str]:
        """The languages (English left out) in which the word translates a message."""
        found = self.meanings.get(fold(text), ())
        return frozenset().union(*(meaning.languages for meaning in found)) - {ENGLISH}


def _translations(message: str) -> Iterable[tuple[str, str]]:
    """(language, translation) for each language whose catalog translates the message."""
    for code in LANGUAGES:
        with using(code):
            text = _(message)
        if text != message:
            yield code, text


@cache
def vocabulary(messages: tuple[str, ...]) -> Vocabulary:
    """The words of these English messages in every language (built once per process)."""
    by_key: dict[str, dict[str, set[str]]] = {}
    for message in messages:
        by_key.setdefault(fold(message), {}).setdefault(message, set()).add(ENGLISH)
        for code, text in _translations(message):
            if key := fold(text):
                by_key.setdefault(key, {}).setdefault(message, set()).add(code)
    return Vocabulary(
        {
            key: tuple(Meaning(message, frozenset(codes)) for message, codes in found.items())
            for key, found in by_key.items()
        }
    )


def file_languages(words: Iterable[str], vocabulary_: Vocabulary) -> frozenset[str]:
    """The language(s) most of the words are written in, English left out: the languages in
    which most of them are translations; empty when none is (an English file)."""
    counts: dict[str, int] = {}
    for word in words:
        for code in vocabulary_.languages_of(word):
            counts[code] = counts.get(code, 0) + 1
    if not counts:
        return frozenset()
    best = max(counts.values())
    return frozenset(code for code, count in counts.items() if count == best)
