"""Every number format of the dashboard, and the words for a hidden or missing value.

One place, so a figure reads the same on a page, in a report and on a slide:
- `compact` for tiles and slides (6.1M, 48k, 3,213);
- `exact` for reports and tables (6,100,023);
- `share` for shares (45.3%);
- `cell` for one value of a data table, by what its column holds;
- `TABLE_FORMATS` for a number column of an interactive table.
"""

from __future__ import annotations

import math
from typing import Any, Literal

import pandas as pd

SUPPRESSED = "suppressed"  # a value disclosure control hid
MISSING = "–"  # a value that does not exist (no reports, a share of nothing)
POINTS = "percentage points"  # the unit of a change of a share


def is_missing(value: object) -> bool:
    """Whether a value is absent: None, NaN or pandas' NA."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def number_or_none(value: object) -> float | None:
    """A value as a float, or None when it is missing."""
    return None if is_missing(value) else float(value)  # type: ignore[arg-type]


def compact(value: float | None) -> str:
    """Compact human figure: 6.1M, 3,213, 48k; "suppressed" for a hidden (missing) value."""
    if value is None or is_missing(value):
        return SUPPRESSED
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:.2f}M".replace(".00M", "M")
    if abs(value) >= 100_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"


def exact(value: float | None, *, hidden: bool = True) -> str:
    """A count in full with thousands separators; "suppressed" or "–" when missing."""
    if value is None or is_missing(value):
        return SUPPRESSED if hidden else MISSING
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{float(value):,.2f}"


def share(value: float | None, digits: int = 1, *, hidden: bool = False) -> str:
    """A share (0-1) as a percentage; "–" when undefined, "suppressed" when `hidden`."""
    if value is None or is_missing(value):
        return SUPPRESSED if hidden else MISSING
    return f"{float(value):.{digits}%}"


def signed(value: float) -> str:
    """A change with its sign and thousands separators (+1,204, -3)."""
    return f"{value:+,.0f}"


def points(change: float) -> str:
    """A change of a share, in percentage points spelt out (a screen reader reads "pp" as two
    letters)."""
    return f"{change * 100:+.1f} {POINTS}"


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
    percentages, years as they are, counts with thousands separators."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        if share_column:
            return f"{float(value):.1%}"
        if float(value).is_integer():
            return str(int(value)) if year else f"{int(value):,}"
        return f"{float(value):,.2f}"
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
DATE_FORMAT = "YYYY-MM-DD"  # a date column of an interactive table


def short_points(change: float) -> str:
    """A change of a share in percentage points, short, for a slide's narrow tile ("+1.2 pp")."""
    return f"{change * 100:+.1f} pp"


def absent(*, hidden: bool) -> str:
    """How an empty cell reads: "suppressed" when disclosure control hid it, else "–"."""
    return SUPPRESSED if hidden else MISSING
