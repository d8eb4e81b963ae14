"""Tier 1, reporting rounds: every move for every role and stage, allowed or refused; running a
round; completeness against the demo rows; the reminders' list of who owes a submission.

The expectations are written here by hand (the table of who may do what from
docs/reporting.md) and computed from the demo rows, never read from data_access.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import PUBLIC, AccessDenied, Caller, Role
from data_access.roles import grant_role
from data_access.round_admin import close_round, extend_round, open_round
from data_access.round_moves import move
from data_access.rounds import (
    Round,
    RoundError,
    Stage,
    awaiting_submission,
    current_round,
    list_rounds,
    round_history,
    round_progress,
)
from fixtures.demo import DemoPact
from tests.callers import ADMIN, OFFICER, coordinator
from tests.store_fingerprint import store_fingerprint

A, B = "automotive", "tourism"
OPENS, DEADLINE, TODAY = date(2025, 1, 15), date(2025, 3, 31), date(2025, 3, 1)
ROLES: dict[str, Caller] = {
    "public": PUBLIC,
    "officer": OFFICER,
    "admin": ADMIN,
    "coordinator of it": coordinator(A),
    "coordinator of another": Caller(
        role=Role.COORDINATOR, email="b@example.org", partnerships=frozenset({B})
    ),
}
# Who may make each move, from which stages (docs/reporting.md), written out by hand.
ALLOWED: dict[str, tuple[set[str], set[Stage]]] = {
    "submit": ({"coordinator of it"}, {Stage.IN_PROGRESS, Stage.RETURNED, Stage.REOPENED}),
    "return": ({"officer", "admin"}, {Stage.SUBMITTED}),
    "approve": ({"officer", "admin"}, {Stage.SUBMITTED}),
    "reopen": ({"officer", "admin"}, {Stage.APPROVED}),
}
STORED = {  # the stored state that gives each stage (not started: a period without data)
    Stage.NOT_STARTED: "pending",
    Stage.IN_PROGRESS: "pending",
    Stage.SUBMITTED: "submitted",
    Stage.RETURNED: "returned",
    Stage.APPROVED: "approved",
    Stage.REOPENED: "reopened",
}
DATA_TABLES = ("outcome_report", "membership", "organisation")
TO_STATE = {
    "submit": "submitted",
    "return": "returned",
    "approve": "approved",
    "reopen": "reopened",
}


@pytest.fixture()
def store(demo_store: Engine) -> Engine:
    """A store of its own holding the demo data."""
    return demo_store


def open_2024(engine: Engine, **changes: object) -> Round:
    """The annual round of 2024 (the demo's last year, so every partnership has data)."""
    arguments: dict[str, object] = {
        "name": "Annual survey 2024",
        "year": 2024,
        "opens_on": OPENS,
        "deadline": DEADLINE,
    }
    arguments.update(changes)
    return open_round(engine=engine, caller=OFFICER, **arguments)  # type: ignore[arg-type]


def set_state(engine: Engine, round_id: int, slug: str, state: str) -> None:
    """Put a partnership at a stored state directly (the set-up of one attempt)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE round_partnership SET state = :state WHERE round_id = :round AND "
                "partnership_id = (SELECT id FROM partnership WHERE slug = :slug)"
            ),
            {"state": state, "round": round_id, "slug": slug},
        )


def round_fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """The fingerprint of every table a round's write could touch (the rounds, their
    partnerships and moves, the data version), not the rows of data a move never writes."""
    return store_fingerprint(engine, exclude=DATA_TABLES)


def moves_recorded(engine: Engine) -> int:
    """How many moves the store holds."""
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM round_move")).scalar_one())


def stage_of(engine: Engine, round_id: int, slug: str) -> Stage:
    """A partnership's stage, as an officer reads it."""
    with Session(engine) as session:
        found = round_progress(session=session, caller=OFFICER, round_id=round_id, today=TODAY)
    return next(p.stage for p in found if p.partnership == slug)


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_every_role_may_make_exactly_its_moves_from_exactly_their_stages(
    store: Engine, action: str
) -> None:
    with_data = open_2024(store)
    without_data = open_2024(store, name="Annual survey 2025", year=2025, deadline=date(2026, 3, 1))
    roles_allowed, stages_allowed = ALLOWED[action]
    for stage in Stage:
        chosen = without_data if stage is Stage.NOT_STARTED else with_data
        for role, caller in ROLES.items():
            set_state(store, chosen.id, A, STORED[stage])
            assert stage_of(store, chosen.id, A) is stage
            before, count = round_fingerprint(store), moves_recorded(store)
            allowed = role in roles_allowed and stage in stages_allowed
            reason = (
                "Figures of two members are missing." if action in ("return", "reopen") else None
            )
            attempt = {"engine": store, "caller": caller, "round_id": chosen.id}
            if allowed:
                done = move(**attempt, partnership=A, action=action, today=TODAY, reason=reason)
                assert (done.from_state, done.to_state) == (stage.value, TO_STATE[action])
                assert done.moved_by == caller.email and done.reason == reason
                assert moves_recorded(store) == count + 1
                with Session(store) as session:
                    last = round_history(session=session, caller=OFFICER, round_id=chosen.id)[-1]
                assert (last.partnership, last.action, last.from_state, last.to_state) == (
                    A,
                    action,
                    stage.value,
                    TO_STATE[action],
                )
                assert (last.moved_by, last.reason) == (caller.email, reason)
            else:
                expected_error = AccessDenied if role not in roles_allowed else RoundError
                with pytest.raises(expected_error):
                    move(**attempt, partnership=A, action=action, today=TODAY, reason=reason)
                assert round_fingerprint(store) == before, (role, stage)


@pytest.mark.parametrize("action", ["return", "reopen"])
def test_return_and_reopen_need_a_reason(store: Engine, action: str) -> None:
    found = open_2024(store)
    set_state(store, found.id, A, "submitted" if action == "return" else "approved")
    before = store_fingerprint(store)
    for blank in (None, "", "   "):
        with pytest.raises(RoundError, match="reason"):
            move(
                engine=store,
                caller=OFFICER,
                round_id=found.id,
                partnership=A,
                action=action,
                today=TODAY,
                reason=blank,
            )
    assert store_fingerprint(store) == before


def test_only_officers_and_admins_run_rounds(store: Engine) -> None:
    for caller in (PUBLIC, coordinator(A)):
        before = store_fingerprint(store)
        with pytest.raises(AccessDenied):
            open_round(
                engine=store,
                caller=caller,
                name="Annual survey 2024",
                year=2024,
                opens_on=OPENS,
                deadline=DEADLINE,
            )
        assert store_fingerprint(store) == before
    found = open_round(
        engine=store, caller=ADMIN, name="By an admin", year=2023, opens_on=OPENS, deadline=DEADLINE
    )
    for caller in (PUBLIC, coordinator(A)):
        with pytest.raises(AccessDenied):
            close_round(engine=store, caller=caller, round_id=found.id)
        with pytest.raises(AccessDenied):
            extend_round(engine=store, caller=caller, round_id=found.id, deadline=date(2025, 6, 1))


def test_a_round_covers_every_partnership_unless_told(store: Engine, demo_pact: DemoPact) -> None:
    everyone = open_2024(store)
    assert everyone.partnerships == tuple(sorted(p.slug for p in demo_pact.partnerships))
    some = open_2024(store, name="Q1", year=2023, quarter=1, partnerships=[B, A])
    assert some.partnerships == (A, B) and some.period == "2023-Q1"
    assert some.period_end == date(2023, 3, 31)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "name"),
        ({"name": "x" * 121}, "120"),
        ({"year": 2019}, "2020"),
        ({"quarter": 5}, "quarter"),
        ({"deadline": date(2025, 1, 1)}, "deadline"),
        ({"partnerships": ["no-such-partnership"]}, "partnerships"),
        ({"partnerships": []}, "partnerships"),
    ],
)
def test_a_round_that_breaks_a_rule_is_refused(
    store: Engine, changes: dict[str, object], message: str
) -> None:
    before = store_fingerprint(store)
    with pytest.raises(RoundError, match=message):
        open_2024(store, **changes)
    assert store_fingerprint(store) == before


def test_one_round_per_period(store: Engine) -> None:
    open_2024(store)
    with pytest.raises(RoundError, match="name"):
        open_2024(store, year=2023)  # the same name for another year
    with pytest.raises(RoundError, match="already covers"):
        open_2024(store, name="Again")  # the same year
    with pytest.raises(RoundError, match="already covers"):
        open_2024(store, name="A quarter of it", quarter=2)  # a quarter of a year taken
    open_2024(store, name="Q3 2023", year=2023, quarter=3)
    with pytest.raises(RoundError, match="already covers"):
        open_2024(store, name="All of 2023", year=2023)  # a year with a quarter taken
    open_2024(store, name="Q4 2023", year=2023, quarter=4)


def test_closing_stops_submissions_and_extending_opens_again(store: Engine) -> None:
    found = open_2024(store)
    closed = close_round(engine=store, caller=OFFICER, round_id=found.id)
    assert closed.closed and closed.closed_by == OFFICER.email
    with pytest.raises(RoundError, match="closed already"):
        close_round(engine=store, caller=OFFICER, round_id=found.id)
    submit = {"engine": store, "round_id": found.id, "partnership": A, "action": "submit"}
    with pytest.raises(RoundError, match="not open"):
        move(caller=coordinator(A), today=TODAY, **submit)
    with pytest.raises(RoundError, match="later"):
        extend_round(engine=store, caller=OFFICER, round_id=found.id, deadline=DEADLINE)
    extended = extend_round(
        engine=store, caller=OFFICER, round_id=found.id, deadline=date(2025, 4, 30), reason="Late"
    )
    assert not extended.closed and extended.deadline == date(2025, 4, 30)
    move(caller=coordinator(A), today=date(2025, 4, 20), **submit)  # late, and accepted
    with pytest.raises(RoundError, match="not open"):  # before the round opens
        move(caller=coordinator(B), today=date(2025, 1, 1), **{**submit, "partnership": B})
    with Session(store) as session:
        history = round_history(session=session, caller=OFFICER, round_id=found.id)
    assert [(m.action, m.from_state, m.to_state) for m in history] == [
        ("open", "", "open"),
        ("close", "open", "closed"),
        ("extend", "2025-03-31", "2025-04-30"),
        ("submit", "in_progress", "submitted"),
    ]
    assert history[2].reason == "Late"


def test_completeness_is_the_share_of_members_that_reported(
    store: Engine, demo_pact: DemoPact
) -> None:
    found = open_2024(store)
    end = date(2024, 12, 31)
    names = {o.key: o.name for o in demo_pact.organisations}
    with Session(store) as session:
        progress = round_progress(session=session, caller=OFFICER, round_id=found.id, today=TODAY)
    assert len(progress) == len(demo_pact.partnerships)
    for item in progress:
        members = {
            m.organisation
            for m in demo_pact.memberships
            if m.partnership == item.partnership
            and m.joined_on <= end
            and (m.left_on is None or m.left_on > end)
        }
        reported = {
            r.organisation
            for r in demo_pact.reports
            if r.partnership == item.partnership and r.year == 2024
        }
        assert item.members == len(members)
        assert item.reported == len(members & reported)
        assert item.missing == tuple(sorted(names[o] for o in members - reported))
        assert item.share == (len(members & reported) / len(members) if members else None)
        assert item.stage is (Stage.IN_PROGRESS if reported else Stage.NOT_STARTED)
        assert (item.days_left, item.overdue) == (30, False)


def test_overdue_once_the_deadline_passed_unless_submitted(store: Engine) -> None:
    found = open_2024(store)
    set_state(store, found.id, A, "submitted")
    set_state(store, found.id, B, "approved")
    with Session(store) as session:
        late = round_progress(
            session=session, caller=OFFICER, round_id=found.id, today=date(2025, 4, 3)
        )
    for item in late:
        assert item.days_left == -3
        assert item.overdue is (item.partnership not in (A, B))


def test_coordinators_see_their_own_partnership_and_the_public_nothing(store: Engine) -> None:
    found = open_2024(store)
    with Session(store) as session:
        own = round_progress(session=session, caller=coordinator(A), round_id=found.id, today=TODAY)
        assert [p.partnership for p in own] == [A]
        assert list_rounds(session=session, caller=PUBLIC) == []
        assert current_round(session=session, caller=coordinator(A), partnership=A) == found
        with pytest.raises(AccessDenied):
            round_progress(session=session, caller=PUBLIC, round_id=found.id, today=TODAY)
    move(
        engine=store,
        caller=coordinator(A),
        round_id=found.id,
        partnership=A,
        action="submit",
        today=TODAY,
    )
    set_state(store, found.id, B, "submitted")
    move(
        engine=store,
        caller=OFFICER,
        round_id=found.id,
        partnership=B,
        action="return",
        today=TODAY,
        reason="Members of Tourism are missing",
    )
    with Session(store) as session:
        seen = round_history(session=session, caller=coordinator(A), round_id=found.id)
        theirs = round_progress(
            session=session, caller=ROLES["coordinator of another"], round_id=found.id, today=TODAY
        )
    assert {m.partnership for m in seen} == {None, A}
    assert theirs[0].stage is Stage.RETURNED
    assert theirs[0].reason == "Members of Tourism are missing"


def test_who_owes_a_submission_and_their_coordinators(store: Engine) -> None:
    found = open_2024(store)
    with Session(store) as session:
        grant_role(
            session=session,
            caller=ADMIN,
            email="Lead@Auto.eu",
            role="coordinator",
            partnership=A,
            today=TODAY,
        )
        grant_role(
            session=session,
            caller=ADMIN,
            email="deputy@auto.eu",
            role="coordinator",
            partnership=A,
            today=TODAY,
        )
        grant_role(
            session=session,
            caller=ADMIN,
            email="officer@ec.eu",
            role="officer",
            partnership=None,
            today=TODAY,
        )
        session.commit()
    set_state(store, found.id, B, "submitted")
    with Session(store) as session:
        owing = awaiting_submission(
            session=session, caller=OFFICER, round_id=found.id, today=date(2025, 3, 28)
        )
        with pytest.raises(AccessDenied):
            awaiting_submission(
                session=session, caller=coordinator(A), round_id=found.id, today=TODAY
            )
    by_slug = {a.partnership: a for a in owing}
    assert B not in by_slug
    assert by_slug[A].coordinators == ("deputy@auto.eu", "lead@auto.eu")
    assert by_slug[A].days_to_deadline == 3 and by_slug[A].round_name == "Annual survey 2024"
    assert all(a.coordinators == () for slug, a in by_slug.items() if slug != A)
