"""Reading one cell: numbers in European and English notation, dates, periods, safe text.

Each reader returns the value, or None when the text is not of that kind; the checks turn
None into a reason. Nothing here evaluates a cell: formulas are text like any other.
"""

from __future__ import annotations

import math
import re
from datetime import date

from i18n import N_, _
from i18n.numbers import number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMULA_REASON = N_("looks like a spreadsheet formula; type the value without a leading = + - or @")

_HTML = re.compile(r"<[A-Za-z/!?]|&#?\w+;")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def text_problem(text: str, max_chars: int) -> str | None:
    """Why a text cell cannot be stored (formula, HTML, control characters, length), or None."""
    if text.startswith(FORMULA_STARTS):
        return _(FORMULA_REASON)
    if _HTML.search(text):
        return _("contains HTML or markup (< or &...;); names are plain text")
    if _CONTROL.search(text):
        return _("contains a line break, tab or other control character")
    if len(text) > max_chars:
        return _("is longer than {limit} characters").format(limit=number(max_chars))
    return None


# Numbers. After the sign, currency and spaces are taken off, a number is one of:
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'\u2019")
_CURRENCY = re.compile(r"^(?:€|eur(?:os?)?)|(?:€|eur(?:os?)?)$", re.IGNORECASE)
_AMBIGUOUS = re.compile(r"\d{1,3}([.,])\d{3}")  # 1.234 or 1,234: thousands or decimals?
_DOT_GROUPS = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")  # 1.234.567 or 1.234,5
_COMMA_GROUPS = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")  # 1,234,567 or 1,234.5
_DECIMAL_COMMA = re.compile(r"\d*,\d+")  # 1234,5
_DECIMAL_POINT = re.compile(r"\d*\.\d+")  # 1234.5
_SCIENTIFIC = re.compile(r"\d+(?:\.\d+)?[eE][+-]?\d+")  # 1.5E+07, as some programs write


_PLAIN = re.compile(r"[0-9.,]+")


def _unsigned(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return text
    return _CURRENCY.sub("", text.translate(_SPACES))


def decimal_evidence(text: str) -> str | None:
    """The decimal mark a number's own form shows ("," or "."), or None when it shows none."""
    body = _unsigned(text.lstrip("+-−"))
    if body.isdigit() or _AMBIGUOUS.fullmatch(body):
        return None
    if _DOT_GROUPS.fullmatch(body) or _DECIMAL_COMMA.fullmatch(body):
        return ","
    if _COMMA_GROUPS.fullmatch(body) or _DECIMAL_POINT.fullmatch(body):
        return "."
    return None


def read_number(text: str, decimal: str) -> float | None:
    """The number a cell holds, sign included; decimal ("," or ".") settles 1.234 vs 1,234."""
    negative = text[0] in "-−"
    body = _unsigned(text[1:] if text[0] in "+-−" else text)
    if not body:
        return None
    if body.isdigit() and body.isascii():
        value = float(int(body))
    elif match := _AMBIGUOUS.fullmatch(body):
        if match.group(1) == decimal:
            value = float(body.replace(",", "."))
        else:
            value = float(body[:-4] + body[-3:])
    elif _DOT_GROUPS.fullmatch(body):
        value = float(body.replace(".", "").replace(",", "."))
    elif _COMMA_GROUPS.fullmatch(body):
        value = float(body.replace(",", ""))
    elif _DECIMAL_COMMA.fullmatch(body):
        value = float(body.replace(",", "."))
    elif _DECIMAL_POINT.fullmatch(body) or _SCIENTIFIC.fullmatch(body):
        value = float(body)
    else:
        return None
    if not math.isfinite(value):
        return None
    return -value if negative else value


def number_problem(text: str, value: float | None) -> str | None:
    """Why a number cell is not a usable non-negative number, or None."""
    if value is None:
        if text.startswith(("=", "@")) or (text[0] in "+-−" and len(text) > 1):
            return _(FORMULA_REASON)
        return _("is not a number (leave the cell empty for 0)")
    if value < 0:
        return _("must not be negative")
    return None


# Dates.
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_YEAR_FIRST = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[ \-./]+([A-Za-z]{3,9})\.?[ \-./,]+(\d{4}|\d{2})")
_MONTH_NAME_DAY = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def date_order_evidence(text: str) -> str | None:
    """'day' or 'month' when a date like 31/12/2024 or 12/31/2024 shows which comes first."""
    match = _NUMERIC.fullmatch(text)
    if match is None or match.group(2) == ".":
        return None
    first, second = int(match.group(1)), int(match.group(3))
    if first > 12 >= second:
        return "day"
    if second > 12 >= first:
        return "month"
    return None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(text: str, month_first: bool = False) -> date | None:
    """The date a cell holds: ISO, day first (31/12/2024, 31.12.2024, 31-Dec-24) or, for a
    file whose dates show it, month first with slashes; None when it is no valid date."""
    if match := _ISO.fullmatch(text) or _YEAR_FIRST.fullmatch(text):
        return _date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if match := _NUMERIC.fullmatch(text):
        first, second = int(match.group(1)), int(match.group(3))
        if month_first and match.group(2) != ".":
            first, second = second, first
        return _date(_year(match.group(4)), second, first)
    if match := _DAY_MONTH_NAME.fullmatch(text):
        month = _MONTHS.get(match.group(2).casefold())
        if month is None:
            return None
        return _date(_year(match.group(3)), month, int(match.group(1)))
    if match := _MONTH_NAME_DAY.fullmatch(text):
        month = _MONTHS.get(match.group(1).casefold())
        if month is None:
            return None
        return _date(int(match.group(3)), month, int(match.group(2)))
    return None


# Reporting periods.
_QUARTER = re.compile(r"[Qq]?([0-4])")
_PERIOD = re.compile(
    r"(?P<year>\d{4})(?:\s*[-/ _]?\s*[Qq](?P<quarter>[0-4]))?"
    r"|[Qq](?P<quarter2>[0-4])\s*[-/ _]?\s*(?P<year2>\d{4})"
)


def read_quarter(text: str) -> int | None:
    """0 (whole year, also for an empty cell) or 1-4 from "Q2", "q2", "2"; None otherwise."""
    if not text:
        return 0
    match = _QUARTER.fullmatch(text)
    return int(match.group(1)) if match else None


def read_period(text: str) -> tuple[int, int] | None:
    """(year, quarter) from "2024" (quarter 0), "2024-Q2", "2024 Q2", "Q2 2024"; else None."""
    match = _PERIOD.fullmatch(text)
    if match is None:
        return None
    year = match.group("year") or match.group("year2")
    quarter = match.group("quarter") or match.group("quarter2") or "0"
    return int(year), int(quarter)
