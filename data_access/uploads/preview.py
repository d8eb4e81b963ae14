"""What a preview tells before anything is written: how each line of a file would change the
store (new, replacing, unchanged) and, for the lines shown, what changes, in words."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import pandas as pd

from data_access.upload_rows import MemberRow, UploadKind

LABELS = {
    "investment_eur": "investment (EUR)",
    "joined_on": "joined",
    "left_on": "left",
    "org_type": "type",
    "size_class": "size",
    "nuts_code": "NUTS region",
    "listed": "listed publicly",
}

PREVIEW_LINES = 200
"""At most this many changing lines are described in a preview."""


Description = str | Callable[[], str]  # made only for the lines a preview shows


class LineStatus(StrEnum):
    """What loading a line does."""

    NEW = "new"
    REPLACES = "replaces"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PreviewLine:
    """One line of a file that would change the store, and how."""

    line: int
    status: LineStatus
    changes: str


@dataclass(frozen=True)
class UploadPreview:
    """What loading a checked file would do, counted by line, before anything is written.

    lines describes the first PREVIEW_LINES lines that change something (in file order);
    more_lines counts the changing lines left out.
    """

    kind: UploadKind
    file_name: str
    rows: int
    new: int
    replacing: int
    unchanged: int
    organisations_new: int
    partnerships: tuple[str, ...]  # slugs of the partnerships whose data would change
    lines: tuple[PreviewLine, ...]
    more_lines: int = 0
    notes: tuple[str, ...] = ()  # what the file asks for that loading it leaves as stored

    @property
    def changes_anything(self) -> bool:
        """False when loading the file would leave the store as it is."""
        return bool(self.new or self.replacing)

    def frame(self) -> pd.DataFrame:
        """The described lines as a table: line, status, what changes."""
        return pd.DataFrame(
            {
                "line": [p.line for p in self.lines],
                "status": [p.status.value for p in self.lines],
                "what changes": [p.changes for p in self.lines],
            }
        )


def same(stored: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    """True when every given value equals the stored one (floats to 12 significant digits)."""
    for column, value in given.items():
        old = stored[column]
        if isinstance(value, float) or isinstance(old, float):
            if old is None or value is None or not math.isclose(old, value, rel_tol=1e-12):
                return False
        elif old != value:
            return False
    return True


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def describe_new(values: Mapping[str, Any]) -> str:
    """A new row's values, in words."""
    return ", ".join(f"{_label(c)} {_show(v)}" for c, v in values.items())


def describe_change(previous: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The values that change, each as stored → as given."""
    return ", ".join(
        f"{_label(c)} {_show(previous[c])} → {_show(v)}"
        for c, v in values.items()
        if not same({c: previous[c]}, {c: v})
    )


def describe_join(row: MemberRow, new_org: bool) -> str:
    """A new membership (and a new organisation), in words."""
    text_ = f"joins {row.joined_on.isoformat()} as {row.role}"
    if row.left_on is not None:
        text_ += f", left {row.left_on.isoformat()}"
    if new_org:
        listing = ", not listed publicly" if row.listed is False else ""
        text_ += f"; new organisation ({row.org_type}, {row.country_code}{listing})"
    return text_
