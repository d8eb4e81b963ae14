"""Keeping the catalogs: extract every marked message from the source into the template,
merge it into each language's `.po` file, and check that every language is complete and
well-formed (`python -m i18n update|check`, docs/translations.md)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import write_po

from i18n.catalogs import DOMAIN, TEMPLATE, fields, po_path, read_catalog
from i18n.languages import LANGUAGES

ROOT = Path(__file__).resolve().parent.parent
# Where the words a reader sees live (tests, benchmarks and scripts say nothing to readers).
SOURCES = (
    "dashboard.py",
    "data_access",
    "exports",
    "figures",
    "ingest",
    "pages",
    "presenter",
    "reporting",
    "ui",
    "views",
)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
BABEL_LOCALE = {"pt": "pt_PT", "en": "en_IE"}
SOURCE_LANGUAGE = "en"  # the messages are written in English; its catalog starts as a copy


def fill_source(catalog: Catalog) -> None:
    """Give every untranslated message of the English catalog its own words, so that an
    editor may reword English in the `.po` file like any other language."""
    for message in catalog:
        if not message.id or complete(message):
            continue
        message.string = tuple(message.id) if isinstance(message.id, tuple | list) else message.id


def extract() -> Catalog:
    """Every marked message of the source, with where it is used."""
    catalog = Catalog(domain=DOMAIN, project="Pact for Skills dashboard", charset="utf-8")
    for source in SOURCES:
        path = ROOT / source
        if path.is_file():
            found = extract_from_dir(
                ROOT, [(source, "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
            )
        elif path.is_dir():
            found = (
                (f"{source}/{name}", line, message, comments, context)
                for name, line, message, comments, context in extract_from_dir(
                    path, [("**.py", "python")], keywords=KEYWORDS, comment_tags=("Translators:",)
                )
            )
        else:
            continue
        for filename, line, message, comments, context in found:
            catalog.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return catalog


def save(catalog: Catalog, path: Path) -> None:
    """Write a catalog as a `.po`/`.pot` file, sorted, without line numbers that churn."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, include_lineno=False, width=100)


def update() -> list[str]:
    """Extract the template and merge it into every language's file; returns what changed."""
    template = extract()
    save(template, TEMPLATE)
    notes = [f"{TEMPLATE.relative_to(ROOT)}: {len(template)} messages"]
    for code in LANGUAGES:
        path = po_path(code)
        if path.exists():
            catalog = read_catalog(path, BABEL_LOCALE.get(code, code))
        else:
            catalog = Catalog(locale=Locale.parse(BABEL_LOCALE.get(code, code)), domain=DOMAIN)
        # A copy each: Babel's update shares the template's message objects with the catalog.
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        if code == SOURCE_LANGUAGE:
            fill_source(catalog)
        save(catalog, path)
        missing = sum(1 for message in catalog if message.id and not complete(message))
        notes.append(f"{path.relative_to(ROOT)}: {missing} to translate")
    return notes


def complete(message: Message) -> bool:
    """Whether a message has every form translated and is not marked fuzzy."""
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(strings)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one message of one language."""

    language: str
    message: str
    what: str

    def __str__(self) -> str:
        return f"{self.language}: {self.message!r}: {self.what}"


def problems(code: str) -> Iterator[Problem]:
    """What is missing or malformed in one language's catalog against the template."""
    template = read_catalog(TEMPLATE)
    path = po_path(code)
    if not path.exists():
        yield Problem(code, "", f"no catalog at {path.relative_to(ROOT)}")
        return
    catalog = read_catalog(path, BABEL_LOCALE.get(code, code))
    plurals = catalog.num_plurals
    for wanted in template:
        if not wanted.id:
            continue
        key = wanted.id if isinstance(wanted.id, str) else wanted.id[0]
        message = catalog.get(wanted.id, context=wanted.context)
        if message is None:
            yield Problem(code, key, "missing")
            continue
        if not complete(message):
            yield Problem(code, key, "not translated" if not message.fuzzy else "fuzzy")
            continue
        ids = wanted.id if isinstance(wanted.id, tuple | list) else (wanted.id,)
        raw = message.string if isinstance(message.string, tuple | list) else (message.string,)
        strings = [text or "" for text in raw]
        if isinstance(wanted.id, tuple | list) and len(strings) != plurals:
            yield Problem(code, key, f"{len(strings)} plural forms, the language has {plurals}")
        expected = set().union(*(fields(text) for text in ids))
        for text in strings:
            if not fields(text) <= expected:
                extra = ", ".join(sorted(fields(text) - expected))
                yield Problem(code, key, f"unknown placeholder {{{extra}}}")
        if not isinstance(wanted.id, tuple | list) and fields(strings[0]) != expected:
            yield Problem(code, key, "placeholders differ from the English")
