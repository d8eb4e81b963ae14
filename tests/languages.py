"""Catalogs for tests of translated output: the pseudo-locale made from the messages the source
marks now (not from the committed template, which is regenerated after a change), and small
German and French catalogs, so a test sees words come from a catalog whatever the `.po` files
hold yet; and the check that pseudo-locale text has no English left in it."""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import cache
from html import unescape

import pytest
from babel.messages.catalog import Catalog

import i18n.core
from i18n import PSEUDO
from i18n.catalogs import compiled, pseudo_text
from i18n.tools import extract

# A few messages of each test language, enough to see that the page speaks it.
GERMAN = {
    "Headline numbers": "Kennzahlen",
    "Pass it on": "Weitersagen",
    "Open the full interactive dashboard": "Das ganze interaktive Dashboard öffnen",
}
FRENCH = {
    "Headline numbers": "Chiffres clés",
    "Pass it on": "Faites passer",
    "Open the full interactive dashboard": "Ouvrir tout le tableau de bord interactif",
}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
PSEUDO_SPAN = re.compile(r"⟦[^⟦⟧]*⟧")
PLOTLY_FIELD = re.compile(r"%\{[^}]*\}|<[^>]*>")  # Plotly's fields and markup


@cache
def pseudo_translations() -> gettext.GNUTranslations:
    """The pseudo-locale of every message the source marks today."""
    catalog = Catalog(locale="en", domain="messages")
    for message in extract():
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            forms = (pseudo_text(message.id[0]), pseudo_text(message.id[1]))
            catalog.add(message.id, forms, context=message.context)
        else:
            catalog.add(message.id, pseudo_text(message.id), context=message.context)
    return compiled(catalog)


def _small(words: Mapping[str, str], code: str) -> gettext.GNUTranslations:
    catalog = Catalog(locale=code, domain="messages")
    for english, translated in words.items():
        catalog.add(english, translated)
    return compiled(catalog)


@cache
def test_translations(code: str) -> gettext.NullTranslations:
    """The catalog a test reads for one language."""
    if code == PSEUDO:
        return pseudo_translations()
    if code == "de":
        return _small(GERMAN, "de")
    if code == "fr":
        return _small(FRENCH, "fr")
    return gettext.NullTranslations()


@pytest.fixture()
def test_catalogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], object]]:
    """Make `_` read the test catalogs for the rest of the test."""
    monkeypatch.setattr(i18n.core, "translations", test_translations)
    yield test_translations


def visible_text(html: str) -> str:
    """The words a reader sees or hears in markup: text between tags and the alt, title and
    aria-label attributes; scripts and styles left out."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = re.findall(r'(?:aria-label|alt|title)="([^"]*)"', html)
    text = re.sub(r"<[^>]+>", " ", html)
    return unescape(" ".join([text, *attributes]))


def english_left(text: str, data: Iterable[str]) -> set[str]:
    """Words of pseudo-locale text that are neither pseudo (⟦…⟧) nor in one of the data
    values given (partnership, ecosystem and country names and the like)."""
    while PSEUDO_SPAN.search(text):  # innermost first: a message may hold another
        text = PSEUDO_SPAN.sub(" ", text)
    words = set(WORD.findall(text))
    allowed = {word for value in data for word in WORD.findall(str(value))}
    return words - allowed


def figure_texts(figure: dict[str, object]) -> Iterable[str]:
    """The words of a Plotly figure a reader sees: titles, axis and legend titles,
    annotations, trace names, hover and text templates (Plotly's fields left out)."""
    layout = figure.get("layout", {})
    assert isinstance(layout, dict)

    def title(part: object) -> str:
        if isinstance(part, dict):
            text = part.get("title", {})
            return str(text.get("text", "")) if isinstance(text, dict) else str(text)
        return ""

    yield title(layout)
    yield title(layout.get("legend"))
    for key, value in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            yield title(value)
    for annotation in layout.get("annotations", []):
        yield str(annotation.get("text", ""))
    traces = figure.get("data", [])
    assert isinstance(traces, list)
    for trace in traces:
        yield str(trace.get("name", ""))
        yield title(trace.get("colorbar"))
        for key in ("hovertemplate", "texttemplate"):
            yield PLOTLY_FIELD.sub(" ", str(trace.get(key, "")))
