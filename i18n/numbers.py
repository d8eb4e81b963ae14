"""Numbers, percentages, money and dates written the way the reader's language writes them,
all by Babel from the CLDR: `1,234.5` in English, `1 234,5` in French, `1.234,5` in German."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache

from babel import Locale
from babel.dates import format_date
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from i18n.core import language
from i18n.languages import PSEUDO

# The Babel locale of each language where the bare code would pick another country's
# conventions ("pt" alone is Brazil's). English is written as in Ireland: 1,234.5 and 4 Dec 2026.
LOCALE_OF = {"en": "en_IE", "pt": "pt_PT", PSEUDO: "en_IE"}


@lru_cache(maxsize=32)
def babel_locale(code: str) -> Locale:
    """The Babel locale of a language code."""
    return Locale.parse(LOCALE_OF.get(code, code))


def current_locale() -> Locale:
    """The Babel locale of the current run's language."""
    return babel_locale(language())


def number(value: float, decimals: int = 0) -> str:
    """A count or amount with the language's grouping and decimal signs (1 234,5)."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=current_locale())


def plain_integer(value: int) -> str:
    """A whole number without grouping (a year, an identifier) in the language's digits."""
    return format_decimal(value, format="0", locale=current_locale())


def signed(value: float, decimals: int = 0) -> str:
    """A change with its sign (+1 204, −3)."""
    tail = "." + "0" * decimals if decimals else ""
    pattern = f"+#,##0{tail};-#,##0{tail}"
    return format_decimal(value, format=pattern, locale=current_locale())


def percent(share: float, digits: int = 1) -> str:
    """A share (0–1) as a percentage the language's way (45,3 %)."""
    tail = "." + "0" * digits if digits else ""
    locale = current_locale()
    pattern = locale.percent_formats[None].pattern
    digits_pattern = "#,##0" + tail
    return format_percent(share, format=_with_digits(pattern, digits_pattern), locale=locale)


def _with_digits(pattern: str, digits_pattern: str) -> str:
    """A CLDR percent pattern ("#,##0 %", "%#,##0") with its number part replaced."""
    positive = pattern.split(";", 1)[0]
    start = min((positive.find(sign) for sign in "#0" if sign in positive), default=-1)
    if start < 0:
        return digits_pattern + "%"
    end = start
    while end < len(positive) and positive[end] in "#,0.":
        end += 1
    return positive[:start] + digits_pattern + positive[end:]


def decimal_sign() -> str:
    """The language's decimal sign ("." or ",")."""
    return str(current_locale().number_symbols["latn"]["decimal"])


def compact(value: float) -> str:
    """A figure for a tile: shortened the language's way from 100,000 (6.1M, 6,1 Mio., 480K),
    in full below that and where the language does not shorten thousands (480.000)."""
    if abs(value) < 100_000:
        return number(round(value))
    short = format_compact_decimal(
        value, format_type="short", fraction_digits=2, locale=current_locale()
    )
    if not any(character.isalpha() for character in short):
        return number(round(value))
    return short


def money(value: float | Decimal, currency: str = "EUR") -> str:
    """An amount of money with its currency as the language writes it (1.234,50 €)."""
    return format_currency(value, currency, locale=current_locale())


def date(value: dt.date, length: str = "medium") -> str:
    """A date the language's way ("4 Dec 2026", "04.12.2026", "4 déc. 2026")."""
    return format_date(value, format=length, locale=current_locale())


def millions(value: float, decimals: int = 1) -> str:
    """A figure in millions with the language's short word for them, whatever its size
    (6.1M, 6,1 Mio., 0,4 mln): for labels that compare figures on one scale."""
    pattern = current_locale().compact_decimal_formats["short"]["other"]["1000000"]
    prefix, suffix = _literal(pattern.prefix[0]), _literal(pattern.suffix[0])
    return f"{prefix}{number(value / 1_000_000, decimals)}{suffix}"


def _literal(affix: str) -> str:
    """A CLDR pattern's prefix or suffix as written: quotes around literals dropped ('.' is .)."""
    return re.sub(r"'('?)", lambda match: match.group(1), affix)


def plotly_separators() -> str:
    """The language's decimal and grouping signs as Plotly's layout `separators` wants them
    (".," in English, ", " in French), so d3 formats of ticks and hovers write numbers the
    language's way."""
    symbols = current_locale().number_symbols["latn"]
    return f"{symbols['decimal']}{symbols['group']}"
