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
from i18n import N_, _
from i18n.numbers import decimal_sign, number

# Translators: the words for the values a preview line names ("women 529 → 540").
LABELS = {
    "investment_eur": N_("investment (EUR)"),
    "joined_on": N_("joined"),
    "left_on": N_("left"),
    "org_type": N_("type"),
    "size_class": N_("size"),
    "nuts_code": N_("NUTS region"),
    "listed": N_("listed publicly"),
    "women": N_("women"),
    "men": N_("men"),
    "other_gender": N_("other gender"),
    "not_recorded": N_("not recorded"),
    "programmes": N_("programmes"),
    "people_reached": N_("people reached"),
    "role": N_("role"),
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
        return _("yes") if value else _("no")
    if isinstance(value, float):
        shown = number(value, 2)
        sign = decimal_sign()
        return shown.rstrip("0").rstrip(sign) if sign in shown else shown
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _label(column: str) -> str:
    label = LABELS.get(column)
    return _(label) if label else column.replace("_", " ")


def describe_new(values: Mapping[str, Any]) -> str:
    """A new row's values, in words."""
    return ", ".join(
        _("{label} {value}").format(label=_label(c), value=_show(v)) for c, v in values.items()
    )


def describe_change(previous: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    """The values that change, each as stored → as given."""
    return ", ".join(
        _("{label} {before} → {after}").format(
            label=_label(c), before=_show(previous[c]), after=_show(v)
        )
        for c, v in values.items()
        if not same({c: previous[c]}, {c: v})
    )


def describe_join(row: MemberRow, new_org: bool) -> str:
    """A new membership (and a new organisation), in words."""
    joined, role = row.joined_on.isoformat(), _(row.role)
    left = row.left_on.isoformat() if row.left_on is not None else None
    unlisted = row.listed is False
    if not new_org:
        if left is None:
            return _("joins {joined} as {role}").format(joined=joined, role=role)
        return _("joins {joined} as {role}, left {left}").format(
            joined=joined, role=role, left=left
        )
    details = {"joined": joined, "role": role, "type": row.org_type, "country": row.country_code}
    if left is None and not unlisted:
        text = _("joins {joined} as {role}; new organisation ({type}, {country})")
    elif left is None:
        text = _(
            "joins {joined} as {role}; new organisation ({type}, {country}, not listed publicly)"
        )
    elif not unlisted:
        text = _("joins {joined} as {role}, left {left}; new organisation ({type}, {country})")
    else:
        text = _(
            "joins {joined} as {role}, left {left}; new organisation ({type}, {country}, not "
            "listed publicly)"
        )
    return text.format(left=left, **details)
