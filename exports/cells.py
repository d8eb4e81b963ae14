"""One value of a report's table as the writers take it: a plain Python value, what kind of
value it is (which number format it gets) and its text.

Shared by exports.workbook and exports.html_report; the formats themselves are views.format's.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import pandas as pd

from views import format as fmt
from views.labels import SHARE_COLUMNS, is_year_column

Kind = Literal["count", "share", "eur", "year", "date", "bool", "text"]


def plain(value: Any) -> Any:
    """A cell's value as a plain Python value: None when missing, numbers as int or float."""
    if fmt.is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | int | float | str | date):
        return value
    return str(value)


def value_kind(column: str, value: Any, unit: str | None = None) -> Kind:
    """How a cell is written: a share, euros, a year, a date, a yes/no, a count or text.
    `unit` is the row's unit in tables of mixed measures (the peer comparison)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "text"
    if column in SHARE_COLUMNS or (unit == "%" and column != "unit"):
        return "share"
    if column == "investment_eur":
        return "eur"
    if is_year_column(column):
        return "year"
    return "count"


def cell_text(column: str, value: Any, *, hidden: bool, unit: str | None = None) -> str:
    """A table cell as text: counts with separators, shares as percentages, dates as ISO;
    an empty cell is "suppressed" in a flagged row and a dash otherwise."""
    value = plain(value)
    if value is None:
        return fmt.absent(hidden=hidden)
    kind = value_kind(column, value, unit)
    if kind == "date":
        return str(value.isoformat())
    return fmt.cell(value, share_column=kind == "share", year=kind == "year")
