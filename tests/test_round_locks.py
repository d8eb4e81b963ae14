"""Tier 1, what an approval does: locked figures (loads and undos refused, the store unchanged,
reopening unlocks) and approved-only published figures, against values computed from the rows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import PUBLIC, Filters, outcome_totals
from data_access.columnar import COLUMNAR
from data_access.round_admin import open_round
from data_access.round_locks import PeriodLocked, provisional_figures
from data_access.round_moves import move
from data_access.serving import serve
from data_access.sql_aggregates import SQL
from data_access.upload_rows import UploadKind
from data_access.uploads import commit_upload, preview_upload, undo_batch
from fixtures.demo import DemoPact
from tests.callers import OFFICER, coordinator
from tests.expected import Expected, public_cells, record_keys
from tests.store_fingerprint import data_fingerprint
from tests.test_uploads_store import checked, outcome_row, reports_of

A, B = "automotive", "tourism"
TODAY = date(2025, 3, 1)


def open_round_2024(engine: Engine) -> int:
    """The annual round of 2024, opened by an officer; its id."""
    return open_round(
        engine=engine,
        caller=OFFICER,
        name="Annual survey 2024",
        year=2024,
        opens_on=date(2025, 1, 15),
        deadline=date(2025, 3, 31),
    ).id


def approve(engine: Engine, round_id: int, slug: str) -> None:
    """Submit (as the coordinator) and approve (as an officer)."""
    common = {"engine": engine, "round_id": round_id, "partnership": slug, "today": TODAY}
    move(caller=coordinator(slug), action="submit", **common)  # type: ignore[arg-type]
    move(caller=OFFICER, action="approve", **common)  # type: ignore[arg-type]


def changed_2024_rows(pact: DemoPact, slug: str, first_line: int = 2) -> list[object]:
    """Lines changing three of the partnership's 2024 rows."""
    rows = [r for r in reports_of(pact, slug) if r.year == 2024][:3]
    return [outcome_row(pact, r, first_line + i, women=r.women + 5) for i, r in enumerate(rows)]


def test_approved_figures_are_locked_until_reopened(
    demo_store: Engine, demo_pact: DemoPact
) -> None:
    round_id = open_round_2024(demo_store)
    before_approval = commit_upload(  # loaded while in progress: fine
        engine=demo_store,
        caller=coordinator(A),
        upload=checked(UploadKind.OUTCOMES, changed_2024_rows(demo_pact, A)),
    )
    assert before_approval is not None
    approve(demo_store, round_id, A)
    locked = checked(
        UploadKind.OUTCOMES,
        [
            outcome_row(demo_pact, r, 2, women=r.women + 9)
            for r in [r for r in reports_of(demo_pact, A) if r.year == 2024][3:5]
        ],
    )
    new_row = checked(
        UploadKind.OUTCOMES,
        [outcome_row(demo_pact, reports_of(demo_pact, A)[0], 2, year=2024, skill_area="green")],
    )
    before = data_fingerprint(demo_store)
    for upload in (locked, new_row):
        with pytest.raises(PeriodLocked, match="approved in the round Annual survey 2024"):
            commit_upload(engine=demo_store, caller=OFFICER, upload=upload)
        with Session(demo_store) as session, pytest.raises(PeriodLocked):
            preview_upload(session=session, caller=OFFICER, upload=upload)
    with pytest.raises(PeriodLocked, match="locked"):
        undo_batch(engine=demo_store, caller=coordinator(A), batch_id=before_approval.id)
    assert data_fingerprint(demo_store) == before

    # Another year, and another partnership's 2024, stay open.
    other_year = [r for r in reports_of(demo_pact, A) if r.year == 2023][:1]
    assert commit_upload(
        engine=demo_store,
        caller=OFFICER,
        upload=checked(UploadKind.OUTCOMES, [outcome_row(demo_pact, other_year[0], 2, men=1)]),
    )
    assert commit_upload(
        engine=demo_store,
        caller=OFFICER,
        upload=checked(UploadKind.OUTCOMES, changed_2024_rows(demo_pact, B)),
    )

    move(
        engine=demo_store,
        caller=OFFICER,
        round_id=round_id,
        partnership=A,
        action="reopen",
        today=TODAY,
        reason="A member corrected its figures",
    )
    assert commit_upload(engine=demo_store, caller=OFFICER, upload=locked) is not None


def published_without(demo_pact: DemoPact, under_review: set[str]) -> Expected:
    """The demo rows the public may see when these partnerships' 2024 is under review."""
    kept = [r for r in demo_pact.reports if not (r.year == 2024 and r.partnership in under_review)]
    return Expected(replace(demo_pact, reports=kept))


@pytest.mark.parametrize("served", ["columnar", "sql"])
def test_published_figures_hold_approved_and_final_rows_only(
    demo_store: Engine, demo_pact: DemoPact, served: str
) -> None:
    serve(demo_store, COLUMNAR if served == "columnar" else SQL)
    round_id = open_round_2024(demo_store)
    slugs = sorted(p.slug for p in demo_pact.partnerships)
    approved = set(slugs[::2])
    for slug in approved:
        approve(demo_store, round_id, slug)
    keys = record_keys(demo_store)
    filters = Expected(demo_pact).filters()
    for by, label in ((["year"], "year"), (["partnership"], "partnership")):
        with Session(demo_store) as session:
            public = outcome_totals(session=session, caller=PUBLIC, filters=filters, by=by)
            exact = outcome_totals(session=session, caller=OFFICER, filters=filters, by=by)
        wanted = public_cells(
            published_without(demo_pact, set(slugs) - approved), keys, filters, label
        )
        shown = dict(zip(public[label].astype(str), public["people_trained"], strict=True))
        assert set(shown) == set(wanted)
        for cell, expected_cell in wanted.items():
            value = shown[cell]
            if expected_cell.withheld:
                assert value is None or pd.isna(value)
            else:
                assert value == expected_cell.values["people_trained"], (label, cell)
        # Exact figures hold every row, those under review included.
        everything = Expected(demo_pact)
        exact_people = dict(zip(exact[label].astype(str), exact["people_trained"], strict=True))
        for r in everything.pact.reports:
            exact_people[everything._outcome_label(r, label)] -= r.people
        assert set(exact_people.values()) == {0}
    serve(demo_store, COLUMNAR)


def test_provisional_cells_are_those_under_review_with_rows(
    demo_store: Engine, demo_pact: DemoPact
) -> None:
    round_id = open_round_2024(demo_store)
    approve(demo_store, round_id, A)
    with_rows = {r.partnership for r in demo_pact.reports if r.year == 2024}
    everyone = Filters()
    with Session(demo_store) as session:
        officer = provisional_figures(session=session, caller=OFFICER, filters=everyone)
        public = provisional_figures(session=session, caller=PUBLIC, filters=everyone)
        own = provisional_figures(
            session=session, caller=coordinator(B), filters=Filters(partnerships=(B,))
        )
        pact_wide = provisional_figures(session=session, caller=coordinator(B), filters=everyone)
        older = provisional_figures(
            session=session, caller=OFFICER, filters=Filters(year_from=2021, year_to=2023)
        )
    assert set(officer.cells) == {(slug, 2024) for slug in with_rows - {A}}
    assert officer.years == (2024,) and not officer.holds(partnership=A)
    assert not public and not pact_wide and not older  # published views hold none
    assert own.cells == ((B, 2024),)
