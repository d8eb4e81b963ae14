"""Every number format of the dashboard, and the words for a hidden or missing value.

One place, so a figure reads the same on a page, in a report and on a slide:
- `compact` for tiles and slides (6.1M, 48k, 3,213);
- `exact` for reports and tables (6,100,023);
- `share` for shares (45.3%);
- `cell` for one value of a data table, by what its column holds;
- `table_format` for a number column of an interactive table.

Each writes numbers the reader's language's way through i18n.numbers (1 234,5 in French);
`exact_number` and `exact_text` stay the same in every language: machines read them.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal

import pandas as pd

from i18n import DEFAULT_LANGUAGE, N_, PSEUDO, _, language
from i18n import numbers as numerals
from i18n.names import in_sentence

# The words kept here are English; the functions below give them in the reader's language.
SUPPRESSED = N_("suppressed")  # a value disclosure control hid
MISSING = "–"  # a value that does not exist (no reports, a share of nothing): no word
POINTS = N_("percentage points")  # the unit of a change of a share
YES, NO = N_("yes"), N_("no")


def suppressed() -> str:
    """The word for a value disclosure control hid, in the reader's language."""
    return _(SUPPRESSED)


def points_unit() -> str:
    """The unit of a change of a share ("percentage points"), in the reader's language."""
    return _(POINTS)


def yes_no(value: bool) -> str:
    """ "yes" or "no" in the reader's language."""
    return _(YES) if value else _(NO)


def is_missing(value: object) -> bool:
    """Whether a value is absent: None, NaN or pandas' NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def number_or_none(value: object) -> float | None:
    """A value as a float, or None when it is missing."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def compact(value: float | None) -> str:
    """Compact human figure for a tile or slide: 6.10M, 480k, 3,213 in English (CLDR's short
    forms, 6,1 Mio., in the other languages); "suppressed" for a hidden (missing) value."""
    if value is None or is_missing(value):
        return suppressed()
    if numerals.current_locale().language != "en":
        return numerals.compact(value)
    if abs(value) >= 1_000_000:
        millions = numerals.number(value / 1_000_000, 2)
        return f"{millions}M".replace(".00M", "M")
    if abs(value) >= 100_000:
        return f"{numerals.plain_integer(round(value / 1_000))}k"
    return numerals.number(value)


def exact(value: float | None, *, hidden: bool = True) -> str:
    """A count in full with the language's grouping; "suppressed" or "–" when missing."""
    if value is None or is_missing(value):
        return absent(hidden=hidden)
    if float(value).is_integer():
        return numerals.number(int(value))
    return numerals.number(float(value), 2)


def share(value: float | None, digits: int = 1, *, hidden: bool = False) -> str:
    """A share (0-1) as a percentage the language's way; "–" when undefined, "suppressed"
    when `hidden`."""
    if value is None or is_missing(value):
        return absent(hidden=hidden)
    return numerals.percent(float(value), digits)


def signed(value: float) -> str:
    """A change with its sign and the language's grouping (+1,204, -3)."""
    return numerals.signed(value)


def points(change: float) -> str:
    """A change of a share, in percentage points spelt out (a screen reader reads "pp" as two
    letters)."""
    return _("{change} percentage points").format(change=numerals.signed(change * 100, 1))


def on_year(year: int) -> str:
    """What a tile's change is compared with: "on 2024" (the year before)."""
    # Translators: a tile's change label, after the change: "+12 on 2024".
    return _("on {year}").format(year=numerals.plain_integer(year))


def in_year(year: int) -> str:
    """What a tile's change is the change of: "in 2025" (the last year's own figure)."""
    # Translators: a tile's change label, after the change: "+1,204 in 2025".
    return _("in {year}").format(year=numerals.plain_integer(year))


def date(value: Any) -> str:
    """A date as the reader's language writes it ("4 Dec 2026", "04.12.2026")."""
    return numerals.date(value)


def report_date(value: dt.date) -> str:
    """A date in a report's facts: ISO in English (2020-11-10, as reports have always
    written it), else as the reader's language writes it."""
    if language() in (DEFAULT_LANGUAGE, PSEUDO):
        return value.isoformat()
    return numerals.date(value)


def date_time(when: dt.datetime) -> str:
    """A moment to the minute: "2026-01-15 09:30" in English, the date the reader's
    language's way elsewhere ("15.01.2026, 09:30")."""
    clock = f"{when.hour:02d}:{when.minute:02d}"
    if language() in (DEFAULT_LANGUAGE, PSEUDO):
        return f"{when.date().isoformat()} {clock}"
    # Translators: a moment: {date} as the language writes it, {time} as 09:30.
    return _("{date}, {time}").format(date=numerals.date(when.date()), time=clock)


def timestamp(when: dt.datetime) -> str:
    """When a report was made, in UTC: "2026-01-15 09:30 UTC" in English."""
    # Translators: {moment} is a date and time ("15.01.2026, 09:30").
    return _("{moment} UTC").format(moment=date_time(when))


def exact_number(raw: float | None) -> int | float | None:
    """A raw number as machines read it (feeds, data attributes): a whole number as an int,
    else the value to six decimals; never cut to a few significant digits."""
    if raw is None or not math.isfinite(raw):
        return None
    return int(raw) if float(raw).is_integer() else round(float(raw), 6)


def exact_text(raw: float | None) -> str:
    """The same as text, without exponent ("6100023", "0.4567"; "" when there is none)."""
    number = exact_number(raw)
    if number is None:
        return ""
    if isinstance(number, int):
        return str(number)
    return f"{number:.6f}".rstrip("0").rstrip(".")


def cell(value: Any, *, share_column: bool = False, year: bool = False) -> str:
    """One present value of a data table as text: yes/no, shares as
    percentages, years as they are, counts with the language's grouping."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int | float):
        if share_column:
            return numerals.percent(float(value), 1)
        if float(value).is_integer():
            return numerals.plain_integer(int(value)) if year else numerals.number(int(value))
        return numerals.number(float(value), 2)
    return str(value)


TableFormat = Literal["count", "signed_count", "percent", "signed_percent", "whole_percent"]
# A number column of an interactive table, as the table widget reads a format (printf style;
# "localized": thousands separators of the reader's locale). Percent columns hold percents
# (45.3), not shares.
TABLE_FORMATS: dict[TableFormat, str] = {
    "count": "localized",
    "signed_count": "%+d",
    "percent": "%.1f%%",
    "signed_percent": "%+.1f%%",
    "whole_percent": "%.0f%%",
}
DATE_FORMAT = "YYYY-MM-DD"  # a date column of an interactive table, in English


def table_format(kind: TableFormat) -> str:
    """The format of a number column of an interactive table in the reader's language: as
    TABLE_FORMATS where the language writes a decimal point; where it writes a decimal comma,
    a percent column is "localized" (the browser's locale; its header says "%"), since the
    widget's printf formats know no other decimal sign."""
    if numerals.decimal_sign() == "." or kind in ("count", "signed_count"):
        return TABLE_FORMATS[kind]
    return "localized"


def date_format() -> str:
    """The format of a date column of an interactive table: ISO dates in English, the
    browser's locale ("localized") in the other languages."""
    return DATE_FORMAT if language() in (DEFAULT_LANGUAGE, PSEUDO) else "localized"


def short_points(change: float) -> str:
    """A change of a share in percentage points, short, for a slide's narrow tile ("+1.2 pp")."""
    # Translators: "pp" is the short form of "percentage points" on a narrow slide tile.
    return _("{change} pp").format(change=numerals.signed(change * 100, 1))


def absent(*, hidden: bool) -> str:
    """How an empty cell reads: "suppressed" when disclosure control hid it, else "–"."""
    return suppressed() if hidden else MISSING


def lower_name(name: str) -> str:
    """A reference name (a skill area, an organisation type) as it reads mid-sentence."""
    return in_sentence(name)
