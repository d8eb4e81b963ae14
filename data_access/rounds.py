"""Reporting rounds: opening, extending and closing a round, and where each partnership stands
in it (its stage, completeness, deadline, history), as the caller may see it.

A round covers one period (a year, or one quarter of it) and the partnerships named when it
was opened (all by default); one round per period. The moves of a partnership in a round
(submit, return, approve, reopen) are in data_access.round_moves; what an approval locks and
what stays provisional in data_access.round_locks. docs/reporting.md describes the cycle.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from data_access.access import AccessDenied, Caller, Role
from data_access.round_tables import (
    MEMBERSHIPS,
    MOVES,
    ORGANISATIONS,
    OUTCOMES,
    PARTNERSHIPS,
    ROLE_GRANTS,
    ROUND_PARTNERSHIPS,
    ROUNDS,
    period_end,
    period_label,
    period_rows,
)
from i18n import _

NAME_MAX = 120
REASON_MAX = 2000


class RoundError(ValueError):
    """A round or a move that would break the rules; the message says which, for the reader."""


class Stage(StrEnum):
    """Where a partnership stands in a round. Not started and in progress are both stored as
    pending: the partnership's data for the period tells them apart."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REOPENED = "reopened"


PENDING = "pending"  # the stored state of not started and in progress
WAITING = frozenset({Stage.NOT_STARTED, Stage.IN_PROGRESS, Stage.RETURNED, Stage.REOPENED})
"""The stages in which the coordinators owe a submission."""


@dataclass(frozen=True)
class Round:
    """A reporting round. quarter 0 covers the whole year."""

    id: int
    name: str
    year: int
    quarter: int
    opens_on: date
    deadline: date
    opened_by: str
    opened_at: datetime
    closed_by: str | None
    closed_at: datetime | None
    partnerships: tuple[str, ...]  # slugs of the partnerships it covers

    @property
    def closed(self) -> bool:
        """True once an officer closed the round (extending it opens it again)."""
        return self.closed_at is not None

    @property
    def period(self) -> str:
        """The period covered, machine-readable: "2024" or "2024-Q1"."""
        return period_label(self.year, self.quarter)

    @property
    def period_end(self) -> date:
        """The last day of the period covered (members are counted on it)."""
        return period_end(self.year, self.quarter)

    def accepts_submissions(self, today: date) -> bool:
        """Open on `today` (opened and not closed); late submissions are accepted."""
        return not self.closed and self.opens_on <= today


@dataclass(frozen=True)
class Progress:
    """A partnership's standing in a round on a day: stage, completeness and deadline."""

    round_id: int
    partnership: str  # slug
    name: str  # short name
    stage: Stage
    reason: str | None  # why it was last returned or reopened, while it stays so
    members: int  # member organisations at the period's end
    reported: int  # of them, those with figures for the period
    missing: tuple[str, ...]  # names of the members that have not reported, sorted
    deadline: date
    days_left: int  # to the deadline; negative once it has passed
    overdue: bool  # past the deadline and not submitted (nor approved)
    last_move_at: datetime | None

    @property
    def share(self) -> float | None:
        """The share of members that reported (None without members)."""
        return self.reported / self.members if self.members else None


@dataclass(frozen=True)
class Move:
    """One recorded move: the round's own (no partnership) or a partnership's. For an
    extension, from_state and to_state are the old and new deadlines (ISO dates)."""

    id: int
    round_id: int
    partnership: str | None
    action: str
    from_state: str
    to_state: str
    reason: str | None
    moved_by: str
    moved_at: datetime


@dataclass(frozen=True)
class Awaiting:
    """A partnership that owes a round its submission, and who coordinates it: what the
    reminders are sent from."""

    round_id: int
    round_name: str
    period: str
    deadline: date
    days_to_deadline: int  # negative after the deadline
    partnership: str
    name: str
    stage: Stage
    missing: tuple[str, ...]
    coordinators: tuple[str, ...]  # addresses from the role grants, sorted


def require_round_officer(caller: Caller) -> None:
    """AccessDenied unless the caller runs rounds: officers and admins."""
    if caller.role not in (Role.OFFICER, Role.ADMIN) or caller.email is None:
        raise AccessDenied(_("only an officer may run reporting rounds"))


def list_rounds(*, session: Session, caller: Caller) -> list[Round]:
    """Every round, latest period first: all for officers and admins, those covering their
    partnerships for coordinators, none for the public."""
    if caller.role is Role.PUBLIC:
        return []
    rounds = read_rounds(session.connection())
    if caller.reads_everything:
        return rounds
    return [r for r in rounds if caller.partnerships & set(r.partnerships)]


def get_round(*, session: Session, caller: Caller, round_id: int) -> Round:
    """One round the caller may see; RoundError when there is none."""
    for found in list_rounds(session=session, caller=caller):
        if found.id == round_id:
            return found
    raise RoundError(_("There is no reporting round {number}.").format(number=round_id))


def current_round(*, session: Session, caller: Caller, partnership: str) -> Round | None:
    """The round a partnership reports in now: the latest period's round covering it that
    is not closed (else the latest covering it); None when no round covers it."""
    covering = [
        r for r in list_rounds(session=session, caller=caller) if partnership in r.partnerships
    ]
    open_ones = [r for r in covering if not r.closed]
    chosen = open_ones or covering
    return chosen[0] if chosen else None


def read_rounds(connection: Connection) -> list[Round]:
    """Every round with its partnerships, latest period first (no access check)."""
    covered: dict[int, list[str]] = defaultdict(list)
    rp, p = ROUND_PARTNERSHIPS.c, PARTNERSHIPS.c
    for round_id, slug in connection.execute(
        select(rp.round_id, p.slug).join(PARTNERSHIPS, p.id == rp.partnership_id).order_by(p.slug)
    ):
        covered[round_id].append(slug)
    r = ROUNDS.c
    rows = connection.execute(
        select(ROUNDS).order_by(r.year.desc(), r.quarter.desc(), r.id.desc())
    ).mappings()
    return [
        Round(
            id=row["id"],
            name=row["name"],
            year=row["year"],
            quarter=row["quarter"],
            opens_on=row["opens_on"],
            deadline=row["deadline"],
            opened_by=row["opened_by"],
            opened_at=_utc(row["opened_at"]),
            closed_by=row["closed_by"],
            closed_at=_utc(row["closed_at"]) if row["closed_at"] is not None else None,
            partnerships=tuple(covered.get(row["id"], ())),
        )
        for row in rows
    ]


def round_progress(
    *, session: Session, caller: Caller, round_id: int, today: date
) -> list[Progress]:
    """Every covered partnership's standing on `today`, by short name: all of them for
    officers and admins, their own for coordinators (AccessDenied for the public)."""
    if caller.role is Role.PUBLIC:
        raise AccessDenied(_("reporting rounds are not available to you"))
    found = get_round(session=session, caller=caller, round_id=round_id)
    slugs = [s for s in found.partnerships if caller.sees_members_of(s)]
    return progress_of(session.connection(), found, slugs, today)


def progress_of(
    connection: Connection, found: Round, slugs: Sequence[str], today: date
) -> list[Progress]:
    """The standing of these partnerships of a round on `today` (no access check)."""
    if not slugs:
        return []
    p, rp = PARTNERSHIPS.c, ROUND_PARTNERSHIPS.c
    rows = connection.execute(
        select(p.id, p.slug, p.short_name, rp.state)
        .join(ROUND_PARTNERSHIPS, rp.partnership_id == p.id)
        .where(rp.round_id == found.id, p.slug.in_(list(slugs)))
        .order_by(p.short_name)
    ).all()
    ids = [row[0] for row in rows]
    members = _members_at(connection, ids, found.period_end)
    reporters = _reporters(connection, ids, found.year, found.quarter)
    last_moves = _last_moves(connection, found.id)
    days_left = (found.deadline - today).days
    result = []
    for pid, slug, short_name, state in rows:
        names = members.get(pid, {})
        reported = reporters.get(pid, set())
        stage = stage_of(state, has_data=bool(reported))
        moved_at, reason = last_moves.get(pid, (None, None))
        result.append(
            Progress(
                round_id=found.id,
                partnership=slug,
                name=short_name,
                stage=stage,
                reason=reason if stage in (Stage.RETURNED, Stage.REOPENED) else None,
                members=len(names),
                reported=sum(1 for oid in names if oid in reported),
                missing=tuple(sorted(n for oid, n in names.items() if oid not in reported)),
                deadline=found.deadline,
                days_left=days_left,
                overdue=days_left < 0 and stage in WAITING,
                last_move_at=moved_at,
            )
        )
    return result


def stage_of(state: str, *, has_data: bool) -> Stage:
    """The stage a stored state shows as: pending is in progress once data is loaded."""
    if state == PENDING:
        return Stage.IN_PROGRESS if has_data else Stage.NOT_STARTED
    return Stage(state)


def round_history(
    *, session: Session, caller: Caller, round_id: int, partnership: str | None = None
) -> list[Move]:
    """The moves of a round, oldest first: the round's own and those of the partnerships the
    caller may see (one partnership's and the round's, when `partnership` is given)."""
    found = get_round(session=session, caller=caller, round_id=round_id)
    m, p = MOVES.c, PARTNERSHIPS.c
    rows = (
        session.connection()
        .execute(
            select(MOVES, p.slug)
            .join(PARTNERSHIPS, p.id == m.partnership_id, isouter=True)
            .where(m.round_id == found.id)
            .order_by(m.id)
        )
        .mappings()
    )
    moves = []
    for row in rows:
        slug = row["slug"]
        if slug is not None and (
            not caller.sees_members_of(slug) or (partnership and slug != partnership)
        ):
            continue
        moves.append(
            Move(
                id=row["id"],
                round_id=row["round_id"],
                partnership=slug,
                action=row["action"],
                from_state=row["from_state"],
                to_state=row["to_state"],
                reason=row["reason"],
                moved_by=row["moved_by"],
                moved_at=_utc(row["moved_at"]),
            )
        )
    return moves


def awaiting_submission(
    *, session: Session, caller: Caller, round_id: int, today: date
) -> list[Awaiting]:
    """The partnerships of a round that owe their submission on `today` (not started, in
    progress, returned or reopened) with their coordinators' addresses from the role
    grants: what reminders are sent from. Officers and admins only."""
    require_round_officer(caller)
    found = get_round(session=session, caller=caller, round_id=round_id)
    connection = session.connection()
    waiting = [
        p for p in progress_of(connection, found, found.partnerships, today) if p.stage in WAITING
    ]
    g, p = ROLE_GRANTS.c, PARTNERSHIPS.c
    addresses: dict[str, list[str]] = defaultdict(list)
    for slug, email in connection.execute(
        select(p.slug, g.email)
        .join(PARTNERSHIPS, p.id == g.partnership_id)
        .where(g.role == Role.COORDINATOR.value, p.slug.in_([w.partnership for w in waiting]))
        .order_by(g.email)
    ):
        addresses[slug].append(email)
    return [
        Awaiting(
            round_id=found.id,
            round_name=found.name,
            period=found.period,
            deadline=found.deadline,
            days_to_deadline=w.days_left,
            partnership=w.partnership,
            name=w.name,
            stage=w.stage,
            missing=w.missing,
            coordinators=tuple(addresses.get(w.partnership, ())),
        )
        for w in waiting
    ]


def _members_at(connection: Connection, ids: list[int], day: date) -> dict[int, dict[int, str]]:
    """Per partnership id: its member organisations on `day` (id -> name)."""
    m, o = MEMBERSHIPS.c, ORGANISATIONS.c
    found: dict[int, dict[int, str]] = defaultdict(dict)
    for pid, oid, name in connection.execute(
        select(m.partnership_id, m.organisation_id, o.name)
        .join(ORGANISATIONS, o.id == m.organisation_id)
        .where(
            m.partnership_id.in_(ids),
            m.joined_on <= day,
            or_(m.left_on.is_(None), m.left_on > day),
        )
    ):
        found[pid][oid] = name
    return found


def _reporters(
    connection: Connection, ids: list[int], year: int, quarter: int
) -> dict[int, set[int]]:
    """Per partnership id: the organisations with figures for the period."""
    r = OUTCOMES.c
    found: dict[int, set[int]] = defaultdict(set)
    for pid, oid in connection.execute(
        select(r.partnership_id, r.organisation_id)
        .distinct()
        .where(r.partnership_id.in_(ids), period_rows(year, quarter))
    ):
        found[pid].add(oid)
    return found


def _last_moves(connection: Connection, round_id: int) -> dict[int, tuple[datetime, str | None]]:
    """Per partnership id: when it last moved, and the reason of that move."""
    m = MOVES.c
    last: dict[int, tuple[datetime, str | None]] = {}
    for pid, moved_at, reason in connection.execute(
        select(m.partnership_id, m.moved_at, m.reason)
        .where(m.round_id == round_id, m.partnership_id.is_not(None))
        .order_by(m.id)
    ):
        last[pid] = (_utc(moved_at), reason)
    return last


def round_row(connection: Connection, round_id: int) -> Round:
    """One round (no access check); RoundError when there is none."""
    for found in read_rounds(connection):
        if found.id == round_id:
            return found
    raise RoundError(_("There is no reporting round {number}.").format(number=round_id))


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)
