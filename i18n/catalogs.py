"""The translation catalogs: gettext `.po` files under `i18n/locale/`, compiled with Babel into
gettext objects when a language is first used, and the pseudo-locale built from the template.

The `.po` files are the source a translator edits; nothing compiled is kept in the repository,
so an edited `.po` file is what the next start of the dashboard reads (`python -m i18n check`
validates it first; docs/translations.md).
"""

from __future__ import annotations

import gettext
import io
import re
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from i18n.languages import PSEUDO

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"

# What a translation must keep as it is: str.format fields, HTML tags and entities, Material
# icon names, link targets of Markdown links, addresses and printf fields.
PROTECTED = re.compile(
    r"\{[^{}]*\}|<[^>]*>|&#?\w+;|:material/\w+:|\]\([^)]*\)|https?://\S+|%\(\w+\)[sd]|%[sd%]"
    r"|`[^`]*`"
)
FIELD = re.compile(r"\{(\w*)(?:[:!][^{}]*)?\}")
ACCENTED = str.maketrans(
    "AaCcDdEeGgHhIiJjKkLlNnOoRrSsTtUuWwYyZz",
    "ÅåÇçĐđÉéĜĝĤĥÎîĴĵĶķĻļÑñÖöŘřŠšŢţÛûŴŵÝýŽž",
)


def po_path(language: str) -> Path:
    """The `.po` file of one language."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    """A `.po` or `.pot` file as a Babel catalog."""
    with path.open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def compiled(catalog: Catalog) -> gettext.GNUTranslations:
    """A catalog compiled with Babel (as `pybabel compile` would) and loaded by gettext."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def pseudo_text(text: str) -> str:
    """One message in the pseudo-locale: letters accented, about 40% longer, bracketed; what a
    translation must keep (fields, tags, link targets) is kept."""
    if not text.strip():
        return text
    pieces: list[str] = []
    position = 0
    for match in PROTECTED.finditer(text):
        pieces.append(text[position : match.start()].translate(ACCENTED))
        pieces.append(match.group(0))
        position = match.end()
    pieces.append(text[position:].translate(ACCENTED))
    body = "".join(pieces)
    letters = sum(character.isalpha() for character in text)
    return f"⟦{body}{'·' * max(1, round(letters * 0.4))}⟧"


def pseudo_catalog() -> Catalog:
    """The template with every message in the pseudo-locale."""
    template = read_catalog(TEMPLATE)
    catalog = Catalog(locale="en", domain=DOMAIN)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            singular, plural = message.id[0], message.id[1]
            catalog.add(
                message.id, (pseudo_text(singular), pseudo_text(plural)), context=message.context
            )
        else:
            catalog.add(message.id, pseudo_text(message.id), context=message.context)
    return catalog


@lru_cache(maxsize=32)
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of one language; English (the source) and a language without a
    catalog fall back to the message itself."""
    if language == PSEUDO:
        return compiled(pseudo_catalog()) if TEMPLATE.exists() else gettext.NullTranslations()
    path = po_path(language)
    if not path.exists():
        return gettext.NullTranslations()
    return compiled(read_catalog(path, language))


def fields(text: str) -> set[str]:
    """The str.format fields a message uses ({count}, {name:,})."""
    return {match.group(1) for match in FIELD.finditer(text)}
