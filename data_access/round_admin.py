"""Running reporting rounds: opening one, extending its deadline and closing it (officers and
admins), and the transaction every write of a round takes its turn in."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime

from sqlalchemy import and_, insert, or_, select, true, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.access import Caller
from data_access.round_tables import MOVES, PARTNERSHIPS, ROUND_PARTNERSHIPS, ROUNDS
from data_access.rounds import (
    NAME_MAX,
    PENDING,
    REASON_MAX,
    Round,
    RoundError,
    require_round_officer,
    round_row,
)
from data_access.uploads.commit import bump_version, take_turn
from i18n import _


def open_round(
    *,
    engine: Engine,
    caller: Caller,
    name: str,
    year: int,
    quarter: int = 0,
    opens_on: date,
    deadline: date,
    partnerships: Sequence[str] | None = None,
) -> Round:
    """Open a round for a period (officers and admins): every partnership, or those named.

    RoundError when the name is blank, taken or too long, the period is not a year or a
    quarter, already has a round (a year's round and its quarters' rounds exclude each
    other), the deadline comes before the opening, or a partnership is unknown. One
    transaction; the store is unchanged on any error."""
    require_round_officer(caller)
    assert caller.email is not None
    title = " ".join(name.split())
    if not title:
        raise RoundError(_("Give the round a name."))
    if len(title) > NAME_MAX:
        raise RoundError(_("A round's name has at most 120 characters."))
    if not 2020 <= year <= 2100 or quarter not in range(5):
        raise RoundError(_("A round covers a year from 2020 to 2100, or one of its quarters."))
    if deadline < opens_on:
        raise RoundError(_("The deadline cannot come before the round opens."))
    with write_turn(engine) as connection:
        r = ROUNDS.c
        clash = connection.execute(
            select(r.name).where(
                or_(
                    r.name == title,
                    and_(r.year == year, true() if quarter == 0 else r.quarter.in_((0, quarter))),
                )
            )
        ).first()
        if clash is not None:
            if clash[0] == title:
                raise RoundError(_("A round with this name exists already."))
            raise RoundError(
                _("The round {name} already covers this period.").format(name=clash[0])
            )
        ids = dict(connection.execute(select(PARTNERSHIPS.c.slug, PARTNERSHIPS.c.id)).all())
        wanted = sorted(ids) if partnerships is None else sorted(set(partnerships))
        unknown = [slug for slug in wanted if slug not in ids]
        if unknown or not wanted:
            raise RoundError(
                _("Choose the partnerships the round covers among those in the store.")
            )
        now = datetime.now(UTC)
        round_id = connection.execute(
            insert(ROUNDS)
            .values(
                name=title,
                year=year,
                quarter=quarter,
                opens_on=opens_on,
                deadline=deadline,
                opened_by=caller.email,
                opened_at=now,
            )
            .returning(r.id)
        ).scalar_one()
        connection.execute(
            insert(ROUND_PARTNERSHIPS),
            [{"round_id": round_id, "partnership_id": ids[s], "state": PENDING} for s in wanted],
        )
        record_move(connection, round_id, None, "open", "", "open", None, caller.email, now)
    return _one(engine, round_id)


def extend_round(
    *, engine: Engine, caller: Caller, round_id: int, deadline: date, reason: str | None = None
) -> Round:
    """Move a round's deadline later (officers and admins); a closed round opens again.
    RoundError when the new deadline is not later than the current one."""
    require_round_officer(caller)
    assert caller.email is not None
    with write_turn(engine) as connection:
        current = round_row(connection, round_id)
        if deadline <= current.deadline:
            raise RoundError(
                _("An extension moves the deadline later than {day}.").format(
                    day=current.deadline.isoformat()
                )
            )
        connection.execute(
            update(ROUNDS)
            .where(ROUNDS.c.id == round_id)
            .values(deadline=deadline, closed_by=None, closed_at=None)
        )
        record_move(
            connection,
            round_id,
            None,
            "extend",
            current.deadline.isoformat(),
            deadline.isoformat(),
            clean_reason(reason, required=False),
            caller.email,
            datetime.now(UTC),
        )
    return _one(engine, round_id)


def close_round(*, engine: Engine, caller: Caller, round_id: int) -> Round:
    """Close a round (officers and admins): no more submissions; officers may still return,
    approve and reopen. RoundError when it is closed already."""
    require_round_officer(caller)
    assert caller.email is not None
    with write_turn(engine) as connection:
        current = round_row(connection, round_id)
        if current.closed:
            raise RoundError(_("This round is closed already."))
        now = datetime.now(UTC)
        connection.execute(
            update(ROUNDS)
            .where(ROUNDS.c.id == round_id)
            .values(closed_by=caller.email, closed_at=now)
        )
        record_move(connection, round_id, None, "close", "open", "closed", None, caller.email, now)
    return _one(engine, round_id)


def clean_reason(reason: str | None, *, required: bool) -> str | None:
    """A reason trimmed; RoundError when one is required and none given, or it is too long."""
    text = (reason or "").strip()
    if required and not text:
        raise RoundError(_("Give a reason: the coordinators read it."))
    if len(text) > REASON_MAX:
        raise RoundError(_("A reason has at most 2,000 characters."))
    return text or None


@contextmanager
def write_turn(engine: Engine) -> Iterator[Connection]:
    """One transaction for a round's write, taking its turn with loads and undos (so an
    approval and a load into its period never interleave); the data version goes up on
    success, and nothing is kept on any error."""
    with Session(engine) as session:
        try:
            connection = session.connection()
            take_turn(connection)
            yield connection
            bump_version(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise


def record_move(
    connection: Connection,
    round_id: int,
    partnership_id: int | None,
    action: str,
    from_state: str,
    to_state: str,
    reason: str | None,
    moved_by: str,
    moved_at: datetime,
) -> int:
    """Write one move to the round's history; its id."""
    move_id: int = connection.execute(
        insert(MOVES)
        .values(
            round_id=round_id,
            partnership_id=partnership_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            moved_by=moved_by,
            moved_at=moved_at,
        )
        .returning(MOVES.c.id)
    ).scalar_one()
    return move_id


def _one(engine: Engine, round_id: int) -> Round:
    with engine.connect() as connection:
        return round_row(connection, round_id)
