"""The moves of a partnership in a reporting round, and who may make each.

    submit   coordinators of the partnership   from in progress, returned, reopened
    return   officers and admins (a reason)     from submitted
    approve  officers and admins                from submitted
    reopen   officers and admins (a reason)     from approved

A coordinator submits while the round is open (from its opening day until it is closed; late
submissions are accepted and shown as such). Every move is one transaction that takes its
turn with loads and undos, records who, when, from which stage to which and why, and raises
the data version (an approval changes what the public sees).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from data_access.access import AccessDenied, Caller, Role
from data_access.round_admin import clean_reason, record_move, write_turn
from data_access.round_tables import OUTCOMES, PARTNERSHIPS, ROUND_PARTNERSHIPS, period_rows
from data_access.rounds import Move, RoundError, Stage, read_rounds, stage_of
from i18n import _


class Action(StrEnum):
    """A partnership's moves in a round."""

    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Rule:
    """Who makes a move, from which stages, to which stored state, and whether it needs a
    reason."""

    roles: frozenset[Role]
    own_only: bool  # only for the caller's own partnerships (coordinators)
    from_stages: frozenset[Stage]
    to_state: str
    needs_reason: bool


OFFICERS = frozenset({Role.OFFICER, Role.ADMIN})
RULES: dict[Action, Rule] = {
    Action.SUBMIT: Rule(
        frozenset({Role.COORDINATOR}),
        True,
        frozenset({Stage.IN_PROGRESS, Stage.RETURNED, Stage.REOPENED}),
        "submitted",
        False,
    ),
    Action.RETURN: Rule(OFFICERS, False, frozenset({Stage.SUBMITTED}), "returned", True),
    Action.APPROVE: Rule(OFFICERS, False, frozenset({Stage.SUBMITTED}), "approved", False),
    Action.REOPEN: Rule(OFFICERS, False, frozenset({Stage.APPROVED}), "reopened", True),
}


def may_make(caller: Caller, action: Action, partnership: str) -> bool:
    """Whether the caller's role may make this move for this partnership (whatever its
    stage): the permission rule alone."""
    rule = RULES[action]
    if caller.role not in rule.roles or caller.email is None:
        return False
    return not rule.own_only or partnership in caller.partnerships


def moves_open_to(caller: Caller, stage: Stage, partnership: str) -> tuple[Action, ...]:
    """The moves the caller may make now for a partnership at this stage."""
    return tuple(
        action
        for action, rule in RULES.items()
        if stage in rule.from_stages and may_make(caller, action, partnership)
    )


def move(
    *,
    engine: Engine,
    caller: Caller,
    round_id: int,
    partnership: str,
    action: Action | str,
    today: date,
    reason: str | None = None,
) -> Move:
    """Make one move for a partnership in a round and record it.

    AccessDenied when the caller's role may not make it (for this partnership); RoundError
    when the round or partnership is unknown, the stage does not allow it, a reason is
    missing, or (to submit) the round is not open on `today` or nothing is loaded for the
    period. The store is unchanged on any error."""
    try:
        wanted = Action(action)
    except ValueError:
        raise RoundError(_("There is no such move.")) from None
    rule = RULES[wanted]
    if not may_make(caller, wanted, partnership):
        raise AccessDenied(_("You may not make this move for this partnership."))
    assert caller.email is not None
    why = clean_reason(reason, required=rule.needs_reason)
    with write_turn(engine) as connection:
        found = next((r for r in read_rounds(connection) if r.id == round_id), None)
        if found is None or partnership not in found.partnerships:
            raise RoundError(_("This round does not cover this partnership."))
        p, rp = PARTNERSHIPS.c, ROUND_PARTNERSHIPS.c
        pid, state = connection.execute(
            select(p.id, rp.state)
            .join(ROUND_PARTNERSHIPS, rp.partnership_id == p.id)
            .where(rp.round_id == round_id, p.slug == partnership)
        ).one()
        has_data = (
            connection.execute(
                select(OUTCOMES.c.id)
                .where(OUTCOMES.c.partnership_id == pid, period_rows(found.year, found.quarter))
                .limit(1)
            ).first()
            is not None
        )
        stage = stage_of(state, has_data=has_data)
        if wanted is Action.SUBMIT:
            if not found.accepts_submissions(today):
                raise RoundError(_("This round is not open for submissions."))
            if stage is Stage.NOT_STARTED:
                raise RoundError(
                    _("Nothing is loaded for this period yet: load your members' reports first.")
                )
        if stage not in rule.from_stages:
            raise RoundError(_("This move is not possible at the partnership's current stage."))
        connection.execute(
            update(ROUND_PARTNERSHIPS)
            .where(rp.round_id == round_id, rp.partnership_id == pid)
            .values(state=rule.to_state)
        )
        now = datetime.now(UTC)
        move_id = record_move(
            connection,
            round_id,
            pid,
            wanted.value,
            stage.value,
            rule.to_state,
            why,
            caller.email,
            now,
        )
    return Move(
        id=move_id,
        round_id=round_id,
        partnership=partnership,
        action=wanted.value,
        from_state=stage.value,
        to_state=rule.to_state,
        reason=why,
        moved_by=caller.email,
        moved_at=now,
    )


def submit(*, engine: Engine, caller: Caller, round_id: int, partnership: str, today: date) -> Move:
    """Submit a partnership's figures for review (its coordinators)."""
    return move(
        engine=engine,
        caller=caller,
        round_id=round_id,
        partnership=partnership,
        action=Action.SUBMIT,
        today=today,
    )


def return_for_correction(
    *, engine: Engine, caller: Caller, round_id: int, partnership: str, reason: str, today: date
) -> Move:
    """Return a submission for correction, with the reason (officers and admins)."""
    return move(
        engine=engine,
        caller=caller,
        round_id=round_id,
        partnership=partnership,
        action=Action.RETURN,
        today=today,
        reason=reason,
    )


def approve(
    *, engine: Engine, caller: Caller, round_id: int, partnership: str, today: date
) -> Move:
    """Approve a submission: its figures for the period are locked and published."""
    return move(
        engine=engine,
        caller=caller,
        round_id=round_id,
        partnership=partnership,
        action=Action.APPROVE,
        today=today,
    )


def reopen(
    *, engine: Engine, caller: Caller, round_id: int, partnership: str, reason: str, today: date
) -> Move:
    """Reopen an approved partnership, with the reason: its figures unlock and are under
    review again."""
    return move(
        engine=engine,
        caller=caller,
        round_id=round_id,
        partnership=partnership,
        action=Action.REOPEN,
        today=today,
        reason=reason,
    )
