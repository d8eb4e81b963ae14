"""Reporting periods as membership counts take them: the day each period ends on, and the day
before each begins."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

Granularity = Literal["year", "quarter"]


def period_ends(year_from: int, year_to: int, granularity: Granularity) -> list[tuple[str, date]]:
    """(label, last day) of each period in the range, oldest first."""
    periods: list[tuple[str, date]] = []
    for year in range(year_from, year_to + 1):
        if granularity == "year":
            periods.append((str(year), date(year, 12, 31)))
            continue
        for quarter in range(1, 5):
            next_start = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            periods.append((f"{year}-Q{quarter}", next_start - timedelta(days=1)))
    return periods


def period_starts(days: list[tuple[str, date]]) -> list[date]:
    """The day before each period begins: the previous period's last day, and for the first
    period the day before its year (or, for quarters, its quarter) begins."""
    first_day = days[0][1].replace(month=1, day=1) - timedelta(days=1)
    starts = [first_day] + [day for _, day in days[:-1]]
    if len(days) > 1 and days[1][1].month != 12:  # quarters: the first starts 3 months before
        starts[0] = date(days[0][1].year, days[0][1].month - 2, 1) - timedelta(days=1)
    return starts
