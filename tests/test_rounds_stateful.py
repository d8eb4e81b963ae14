"""Property-based: random sequences of moves, loads and undos in a reporting round (Hypothesis'
stateful testing), checked against a model kept here.

Three properties hold after every step: approved figures never change, every move is
recorded, and no role ever makes a move it may not (each recorded move is checked against the
table of who may do what, written out by hand in tests/test_rounds.py).
"""

from __future__ import annotations

import contextlib
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access import PUBLIC, AccessDenied, Caller, Role, make_engine
from data_access.round_admin import open_round
from data_access.round_locks import PeriodLocked
from data_access.round_moves import move
from data_access.rounds import RoundError, Stage
from data_access.upload_rows import UploadKind
from data_access.uploads import commit_upload, undo_batch
from fixtures.demo import DemoPact
from tests.callers import ADMIN, OFFICER
from tests.conftest import ON_POSTGRES
from tests.test_rounds import ALLOWED
from tests.test_uploads_store import checked, outcome_row, reports_of

A, B = "automotive", "tourism"
TODAY = date(2025, 3, 1)
CALLERS: dict[str, Caller] = {
    "public": PUBLIC,
    "officer": OFFICER,
    "admin": ADMIN,
    "coordinator of automotive": Caller(
        role=Role.COORDINATOR, email="auto@example.org", partnerships=frozenset({A})
    ),
    "coordinator of tourism": Caller(
        role=Role.COORDINATOR, email="tour@example.org", partnerships=frozenset({B})
    ),
}
ROLE_BY_EMAIL = {c.email: name for name, c in CALLERS.items() if c.email}
TO_STAGE = {
    "submit": Stage.SUBMITTED,
    "return": Stage.RETURNED,
    "approve": Stage.APPROVED,
    "reopen": Stage.REOPENED,
}


def role_may(role: str, action: str, partnership: str) -> bool:
    """The hand-written table of tests/test_rounds.py, a coordinator's own partnership named."""
    roles, _ = ALLOWED[action]
    if role.startswith("coordinator of "):
        own = role.removeprefix("coordinator of ")
        return "coordinator of it" in roles and own == partnership
    return role in roles


def period_rows(engine: Engine, slug: str) -> list[tuple[Any, ...]]:
    """Every 2024 outcome row of the partnership, in key order: its figures for the period."""
    with engine.connect() as connection:
        return [
            tuple(row)
            for row in connection.execute(
                text(
                    "SELECT r.organisation_id, r.quarter, r.skill_area, r.women, r.men,"
                    " r.other_gender, r.not_recorded, r.programmes, r.investment_eur,"
                    " r.people_reached FROM outcome_report r JOIN partnership p"
                    " ON p.id = r.partnership_id WHERE p.slug = :slug AND r.year = 2024"
                    " ORDER BY 1, 2, 3"
                ),
                {"slug": slug},
            )
        ]


class RoundMachine(RuleBasedStateMachine):
    """A round of 2024 covering two partnerships, driven by every role at random."""

    demo_file: Path
    pact: DemoPact
    workdir: Path

    def __init__(self) -> None:
        super().__init__()
        self.engine: Engine | None = None

    @initialize()
    def start(self) -> None:
        RoundMachine.runs = getattr(RoundMachine, "runs", 0) + 1
        copy = self.workdir / f"run-{RoundMachine.runs}.sqlite3"
        shutil.copyfile(self.demo_file, copy)
        self.engine = make_engine(f"sqlite:///{copy}")
        self.round_id = open_round(
            engine=self.engine,
            caller=OFFICER,
            name="Annual survey 2024",
            year=2024,
            opens_on=date(2025, 1, 15),
            deadline=date(2025, 3, 31),
            partnerships=[A, B],
        ).id
        self.stages = {A: Stage.IN_PROGRESS, B: Stage.IN_PROGRESS}
        self.moves = 1  # the opening
        self.approved_rows: dict[str, list[tuple[Any, ...]]] = {}
        self.batches: list[tuple[int, str, Caller]] = []  # loaded, not undone: id, slug, by

    def teardown(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    @property
    def store(self) -> Engine:
        assert self.engine is not None
        return self.engine

    @rule(
        role=st.sampled_from(sorted(CALLERS)),
        action=st.sampled_from(sorted(TO_STAGE)),
        slug=st.sampled_from([A, B]),
        reason=st.sampled_from([None, "", "Two members' figures are missing"]),
    )
    def make_a_move(self, role: str, action: str, slug: str, reason: str | None) -> None:
        self.attempt(role, action, slug, reason)

    @rule(slug=st.sampled_from([A, B]))
    def its_coordinator_submits(self, slug: str) -> None:
        self.attempt(f"coordinator of {'automotive' if slug == A else 'tourism'}", "submit", slug)

    @rule(
        role=st.sampled_from(["officer", "admin"]),
        action=st.sampled_from(["return", "approve", "reopen"]),
        slug=st.sampled_from([A, B]),
    )
    def an_officer_decides(self, role: str, action: str, slug: str) -> None:
        self.attempt(role, action, slug, "Checked against the members' returns")

    def attempt(self, role: str, action: str, slug: str, reason: str | None = None) -> None:
        """Try a move; it must succeed exactly when the model says it may."""
        _, stages = ALLOWED[action]
        needs_reason = action in ("return", "reopen")
        allowed = (
            role_may(role, action, slug)
            and self.stages[slug] in stages
            and (bool(reason) or not needs_reason)
        )
        attempt = {
            "engine": self.store,
            "caller": CALLERS[role],
            "round_id": self.round_id,
            "partnership": slug,
            "action": action,
            "today": TODAY,
            "reason": reason,
        }
        if not allowed:
            before = self.store_moves()
            with pytest.raises((AccessDenied, RoundError)):
                move(**attempt)  # type: ignore[arg-type]
            assert self.store_moves() == before
            return
        move(**attempt)  # type: ignore[arg-type]
        self.moves += 1
        self.stages[slug] = TO_STAGE[action]
        if action == "approve":
            self.approved_rows[slug] = period_rows(self.store, slug)
        elif action == "reopen":
            del self.approved_rows[slug]

    @rule(
        slug=st.sampled_from([A, B]),
        change=st.integers(min_value=1, max_value=40),
        by_coordinator=st.booleans(),
    )
    def load(self, slug: str, change: int, by_coordinator: bool) -> None:
        rows_2024 = [r for r in reports_of(self.pact, slug) if r.year == 2024]
        first = change % max(1, len(rows_2024) - 2)
        lines = [
            outcome_row(self.pact, r, 2 + i, women=r.women + change)
            for i, r in enumerate(rows_2024[first : first + 2])
        ]
        caller = CALLERS[f"coordinator of {'automotive' if slug == A else 'tourism'}"]
        caller = caller if by_coordinator else OFFICER
        upload = checked(UploadKind.OUTCOMES, lines, name=f"{slug}-{change}.csv")
        if self.stages[slug] is Stage.APPROVED:
            # A load that would change an approved figure is refused; one that repeats the
            # stored figures (the same file again) writes nothing. Either way they stay.
            before = period_rows(self.store, slug)
            with contextlib.suppress(PeriodLocked):
                assert commit_upload(engine=self.store, caller=caller, upload=upload) is None
            assert period_rows(self.store, slug) == before
            return
        batch = commit_upload(engine=self.store, caller=caller, upload=upload)
        if batch is not None:
            self.batches.append((batch.id, slug, caller))

    @rule()
    def undo_the_last_load(self) -> None:
        if not self.batches:
            return
        batch_id, slug, caller = self.batches[-1]
        if self.stages[slug] is Stage.APPROVED:
            before = period_rows(self.store, slug)
            with pytest.raises(PeriodLocked):
                undo_batch(engine=self.store, caller=caller, batch_id=batch_id)
            assert period_rows(self.store, slug) == before
            return
        undo_batch(engine=self.store, caller=caller, batch_id=batch_id)
        self.batches.pop()

    def store_moves(self) -> list[tuple[Any, ...]]:
        with self.store.connect() as connection:
            return [
                tuple(row)
                for row in connection.execute(
                    text(
                        "SELECT m.action, p.slug, m.from_state, m.to_state, m.reason, m.moved_by"
                        " FROM round_move m LEFT JOIN partnership p ON p.id = m.partnership_id"
                        " ORDER BY m.id"
                    )
                )
            ]

    @invariant()
    def approved_figures_never_change(self) -> None:
        if self.engine is None:
            return
        for slug, rows in self.approved_rows.items():
            assert period_rows(self.store, slug) == rows

    @invariant()
    def every_move_is_recorded_and_was_allowed(self) -> None:
        if self.engine is None:
            return
        recorded = self.store_moves()
        assert len(recorded) == self.moves
        assert recorded[0][0] == "open"
        for action, slug, _, _, reason, by in recorded[1:]:
            assert role_may(ROLE_BY_EMAIL[by], action, slug), (action, slug, by)
            if action in ("return", "reopen"):
                assert reason


@pytest.mark.skipif(ON_POSTGRES, reason="the store is a copy of an SQLite file")
def test_random_rounds_keep_their_promises(
    demo_file: Path, demo_pact: DemoPact, tmp_path: Path
) -> None:
    RoundMachine.demo_file = demo_file
    RoundMachine.pact = demo_pact
    RoundMachine.workdir = tmp_path
    run_state_machine_as_test(
        RoundMachine,
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
