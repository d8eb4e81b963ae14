"""The words and numbers of the charts' one-sentence summaries (figures.summaries): counts in
words a screen reader reads well, percentages, periods, lists and the clauses every summary
shares, each in the reader's language.

The words the callers pass in (`noun`, `items`, `when`) are already in the reader's language;
each sentence is one message with them as fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
from babel.lists import format_list

from i18n import N_, _, ngettext, numbers

NOT_PUBLISHED = N_("not published")


def number(value: Any) -> str:
    """A count in words a screen reader reads well: 3,210 · 48,500 · 6.1 million."""
    if missing(value):
        return _(NOT_PUBLISHED)
    value = float(value)
    if abs(value) >= 1_000_000:
        # Translators: a count in millions written in words, "6.1 million"
        return _("{count} million").format(count=numbers.number(value / 1_000_000, 1))
    return numbers.number(value)


def percent(value: Any, digits: int = 0) -> str:
    """A share (0-1) as a percentage: 38%."""
    if missing(value):
        return _(NOT_PUBLISHED)
    share = float(value) * 100
    # a small share that rounds to 0 would read as none
    while 0 < abs(share) < 0.5 * 10**-digits and digits < 1:
        digits += 1
    if 0 < abs(share) < 0.5 * 10**-digits:
        least = numbers.percent(10**-digits / 100, digits)
        return _("under {share}").format(share=least)
    return numbers.percent(float(value), digits)


def euros_million(value: Any) -> str:
    """An amount already in EUR million: EUR 45.2 million."""
    if missing(value):
        return _(NOT_PUBLISHED)
    return _("EUR {amount} million").format(amount=numbers.number(float(value), 1))


def span(first: Any, last: Any) -> str:
    """A period of two labels: 2024, or 2020–2024."""
    return str(last) if str(first) == str(last) else f"{first}–{last}"


def missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def label_text(value: Any) -> str:
    """A year or period as text (2024, not 2024.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def listing(items: Sequence[str]) -> str:
    """Items listed the language's way: "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return str(format_list(list(items), locale=numbers.current_locale()))


def total_of(values: pd.Series) -> tuple[float, bool]:
    """Sum of the published values, and whether some were not published."""
    return float(values.sum(skipna=True)), bool(values.isna().any())


def at_least(total: float, hidden: bool, fmt: Any = number) -> str:
    return _("at least {count}").format(count=fmt(total)) if hidden else str(fmt(total))


def not_published_note(count: int, noun: Literal["value", "partnership"] = "value") -> str:
    """The clause on values not published, with the "; " that joins it ("" when none)."""
    if count == 0:
        return ""
    if noun == "partnership":
        clause = ngettext(
            "{count} partnership is not published", "{count} partnerships are not published", count
        )
    else:
        clause = ngettext(
            "{count} value is not published", "{count} values are not published", count
        )
    return "; " + clause.format(count=numbers.number(count))


def change(last: float, previous: float, fmt: Any, *, share: bool = False) -> tuple[str, str, str]:
    """Direction ("up", "down", "unchanged", "" when the previous value is not published) and
    both values formatted so that a change shows (one more decimal for shares that round
    alike)."""
    if missing(previous):
        return "", fmt(last), _(NOT_PUBLISHED)
    digits = 0
    if share:
        while (
            digits < 2 and percent(last, digits) == percent(previous, digits) and last != previous
        ):
            digits += 1
        last_text, previous_text = percent(last, digits), percent(previous, digits)
    else:
        last_text, previous_text = fmt(last), fmt(previous)
    if last > previous:
        return "up", last_text, previous_text
    if last < previous:
        return "down", last_text, previous_text
    return "unchanged", last_text, previous_text


def none_for(noun: str) -> str:
    # Translators: {noun} is what a chart counts, e.g. "member organisations"
    return _("No {noun} for the current filters.").format(noun=noun)
