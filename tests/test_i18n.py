"""The translation machinery: choosing a language, the catalogs of all 24 languages (complete,
placeholders and plural forms valid), the pseudo-locale, and numbers, percentages and dates
written as Babel writes them in each language."""

from __future__ import annotations

import datetime as dt
import gettext

import pytest
from babel import Locale
from babel.dates import format_date
from babel.messages.plurals import get_plural
from babel.numbers import format_decimal, format_percent

from i18n import LANGUAGES, PSEUDO, _, choose, negotiate, ngettext, parse_language, using
from i18n import numbers as numbers_
from i18n.catalogs import TEMPLATE, fields, po_path, pseudo_text, read_catalog, translations
from i18n.tools import BABEL_LOCALE, problems

# The EU's 24 official languages (Regulation No 1/1958 as amended), by ISO 639-1 code.
EU_LANGUAGES = {
    "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "ga", "hr",
    "hu", "it", "lt", "lv", "mt", "nl", "pl", "pt", "ro", "sk", "sl", "sv",
}  # fmt: skip  # hand-laid table: the 24 codes in two rows


def test_the_dashboard_speaks_the_24_official_languages() -> None:
    assert set(LANGUAGES) == EU_LANGUAGES


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-CH,de;q=0.9,en;q=0.8", "de"),
        ("en-GB;q=0.2, fr-BE", "fr"),
        ("ja,zh;q=0.9", "en"),
        ("", "en"),
        (None, "en"),
        ("pt-BR", "pt"),
        ("el;q=0, bg;q=0.5", "bg"),
        ("*;q=1, sv;q=0.1", "sv"),
        ("garbage;;q=x, hu", "hu"),
        ("qps", "en"),  # the pseudo-locale is only chosen by naming it in the URL
    ],
)
def test_accept_language_picks_the_best_language_we_speak(
    header: str | None, expected: str
) -> None:
    assert negotiate(header) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("fr", "fr"), ("FR", "fr"), ("fr-BE", "fr"), ("pt_PT", "pt"), ("qps", PSEUDO)],
        *[("xx", None), ("", None), (None, None), ("../en", None), ("en;drop", None)],
    ],
)
def test_a_url_lang_names_a_language_or_nothing(value: str | None, expected: str | None) -> None:
    assert parse_language(value) == expected


def test_the_url_wins_over_the_browser_and_a_bad_url_value_falls_back_to_it() -> None:
    assert choose("de", "fr") == "de"
    assert choose("klingon", "fr;q=0.9") == "fr"
    assert choose(None, None) == "en"


def test_the_pseudo_locale_keeps_placeholders_markup_and_link_targets() -> None:
    text = "**{count}** members of {name:>3} — see [the method](/method) <b>x</b> :material/lock:"
    pseudo = pseudo_text(text)
    assert pseudo.startswith("⟦") and pseudo.endswith("⟧")
    assert fields(pseudo) == fields(text) == {"count", "name"}
    for kept in ("(/method)", "<b>", "</b>", ":material/lock:", "{name:>3}"):
        assert kept in pseudo
    assert "members" not in pseudo and "method]" not in pseudo
    assert len(pseudo) > len(text) * 1.2  # about 40% more letters


def test_the_language_is_per_context_and_restored() -> None:
    with using("de"):
        assert numbers_.number(1234.5, 1) == "1.234,5"
        with using("fr"):
            assert numbers_.number(1234.5, 1) == "1\u202f234,5"
        assert numbers_.number(1234.5, 1) == "1.234,5"
    assert numbers_.number(1234.5, 1) == "1,234.5"


def locale_of(code: str) -> Locale:
    return Locale.parse(BABEL_LOCALE.get(code, code))


@pytest.mark.parametrize("code", sorted(EU_LANGUAGES))
def test_numbers_percentages_and_dates_are_written_as_babel_writes_them(code: str) -> None:
    locale = locale_of(code)
    with using(code):
        assert numbers_.number(1234567.5, 1) == format_decimal(1234567.5, "#,##0.0", locale=locale)
        assert numbers_.number(1234567) == format_decimal(1234567, locale=locale)
        assert numbers_.percent(0.453, 1) == format_percent(
            0.453, locale=locale, decimal_quantization=False
        )
        assert numbers_.percent(0.45, 0) == format_percent(0.45, locale=locale)
        day = dt.date(2026, 12, 4)
        assert numbers_.date(day) == format_date(day, format="medium", locale=locale)
        # The decimal sign is the language's own: a comma in most of Europe.
        assert numbers_.decimal_sign() == locale.number_symbols["latn"]["decimal"]


def test_european_conventions_read_as_their_readers_expect() -> None:
    expectations = {
        "en": ("1,234.5", "45.3%"),
        "fr": ("1\u202f234,5", "45,3\u00a0%"),
        "de": ("1.234,5", "45,3\u00a0%"),
        "pl": ("1\u00a0234,5", "45,3%"),
    }
    for code, (number, share) in expectations.items():
        with using(code):
            assert (numbers_.number(1234.5, 1), numbers_.percent(0.453)) == (number, share)


def template_exists() -> bool:
    return TEMPLATE.exists() and len(read_catalog(TEMPLATE)) > 0


@pytest.mark.parametrize("code", sorted(EU_LANGUAGES))
def test_every_message_has_a_valid_translation(code: str) -> None:
    """Every message of the template is translated (not fuzzy), with the English message's
    placeholders and the language's number of plural forms."""
    assert template_exists(), "run python -m i18n update"
    found = [str(problem) for problem in problems(code)]
    assert not found, f"{len(found)} problems, first: {found[:5]}"


@pytest.mark.parametrize("code", sorted(EU_LANGUAGES))
def test_each_catalog_declares_its_languages_plural_rule(code: str) -> None:
    catalog = read_catalog(po_path(code), BABEL_LOCALE.get(code, code))
    assert catalog.num_plurals == get_plural(locale_of(code)).num_plurals
    compiled = translations(code)
    assert isinstance(compiled, gettext.GNUTranslations)
    for count in (0, 1, 2, 3, 5, 11, 21, 101):
        form = compiled.plural(count)  # type: ignore[attr-defined]
        assert 0 <= form < catalog.num_plurals


def test_plural_messages_follow_the_language() -> None:
    template = read_catalog(TEMPLATE)
    plural = next((m for m in template if isinstance(m.id, tuple | list)), None)
    if plural is None:
        pytest.skip("no plural message yet")
    singular, many = plural.id[0], plural.id[1]
    assert ngettext(singular, many, 1) == singular and ngettext(singular, many, 5) == many
    with using(PSEUDO):
        assert ngettext(singular, many, 1) == pseudo_text(singular)
        assert ngettext(singular, many, 5) == pseudo_text(many)
    with using("en"):
        assert _(singular) == singular
