"""When reminders are due: the days before and after a round's deadline, as settings say.

Each configured day is a kind of reminder ("before-7", "after-1"); a partnership gets at most
one reminder of each kind per round. On a given day the kind due is the latest one whose day
has come (a run that missed a day does not send the older kinds it missed as well).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Side = Literal["before", "after"]
_KIND = re.compile(r"(before|after)-(\d{1,3})")


@dataclass(frozen=True)
class Kind:
    """A kind of reminder: so many days before or after the deadline."""

    side: Side
    days: int

    @property
    def code(self) -> str:
        """How the kind is stored: "before-7", "after-1"."""
        return f"{self.side}-{self.days}"

    def day(self, deadline: date) -> date:
        """The day a reminder of this kind goes out for a deadline."""
        shift = timedelta(days=self.days)
        return deadline - shift if self.side == "before" else deadline + shift

    @classmethod
    def parse(cls, code: str) -> Kind:
        """The kind a stored code names; ValueError for anything else."""
        match = _KIND.fullmatch(code)
        if match is None:
            raise ValueError(f"not a kind of reminder: {code!r}")
        side: Side = "before" if match.group(1) == "before" else "after"
        return cls(side, int(match.group(2)))


def kinds(*, before_days: tuple[int, ...], after_days: tuple[int, ...]) -> tuple[Kind, ...]:
    """Every configured kind, in the order their days come."""
    found = {Kind("before", n) for n in before_days} | {Kind("after", n) for n in after_days}
    return tuple(sorted(found, key=lambda kind: kind.day(date(2000, 1, 1))))


def due_kind(
    *, configured: tuple[Kind, ...], opens_on: date, deadline: date, today: date
) -> Kind | None:
    """The kind of reminder due today for a round: the latest whose day has come, counting
    only days from the round's opening on; None before the first."""
    reached = [kind for kind in configured if opens_on <= kind.day(deadline) <= today]
    return max(reached, key=lambda kind: kind.day(deadline), default=None)
