"""Tier 1, loading files into the store: catalogue, preview, all-or-nothing commit, undo, the
list of loaded files, and migration 0003.

Checked uploads are built directly from the demo rows (no file reading here; `ingest` has
its own tests). Expected counts and values come from how each upload was built. Every test
gets its own store holding the demo data: an SQLite file, or a PostgreSQL database in the
PostgreSQL pass.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import (
    PUBLIC,
    AccessDenied,
    Caller,
    Filters,
    Role,
    dataset_state,
    make_engine,
    member_directory,
    schema,
)
from data_access.engine import create_schema
from data_access.loading import load_dataset
from data_access.upload_rows import (
    CheckedUpload,
    MemberRow,
    OutcomeRow,
    Problem,
    UploadKind,
    lookup_key,
)
from data_access.uploads import (
    LineStatus,
    UploadBatchInfo,
    catalogue,
    commit_upload,
    list_batches,
    preview_upload,
    undo_batch,
)
from fixtures.demo import DemoMembership, DemoOrganisation, DemoPact, DemoReport
from fixtures.load_demo import demo_rows, load_demo
from tests import pg
from tests.callers import ADMIN, OFFICER, coordinator
from tests.store_fingerprint import data_fingerprint, store_fingerprint

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
A, B = "automotive", "tourism"
COORDINATOR_A = coordinator(A)
OTHER_COORDINATOR_A = Caller(
    role=Role.COORDINATOR, email="deputy@example.org", partnerships=frozenset({A})
)
COORDINATOR_B = Caller(role=Role.COORDINATOR, email="b@example.org", partnerships=frozenset({B}))


def _url(request: pytest.FixtureRequest, tmp_path: Path, name: str) -> str:
    if ON_POSTGRES:
        databases: pg.Databases = request.getfixturevalue("postgres_databases")
        return databases.new(name)
    return f"sqlite:///{tmp_path / f'{name}.sqlite3'}"


@pytest.fixture()
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store of its own holding the demo data (SQLite file or PostgreSQL database)."""
    engine = make_engine(_url(request, tmp_path, "uploads"))
    load_demo(engine)
    yield engine
    engine.dispose()


# --- building uploads from the demo rows -----------------------------------------------------


def organisations(pact: DemoPact) -> dict[int, DemoOrganisation]:
    """The demo organisations by key."""
    return {o.key: o for o in pact.organisations}


def outcome_row(pact: DemoPact, report: DemoReport, line: int, **changes: Any) -> OutcomeRow:
    """A file line saying what the demo report says (whole year), with changes."""
    org = organisations(pact)[report.organisation]
    row = OutcomeRow(
        line=line,
        partnership=report.partnership,
        organisation=org.name,
        country_code=org.country_code,
        year=report.year,
        quarter=0,
        skill_area=report.skill_area,
        women=report.women,
        men=report.men,
        other_gender=report.other_gender,
        not_recorded=report.not_recorded,
        programmes=report.programmes,
        investment_eur=report.investment_eur,
        people_reached=report.people_reached,
    )
    return replace(row, **changes)


def member_row(pact: DemoPact, membership: DemoMembership, line: int, **changes: Any) -> MemberRow:
    """A file line saying what the demo membership and its organisation say, with changes."""
    org = organisations(pact)[membership.organisation]
    row = MemberRow(
        line=line,
        partnership=membership.partnership,
        organisation=org.name,
        country_code=org.country_code,
        org_type=org.org_type,
        size_class=org.size_class,
        nuts_code=org.nuts_code,
        joined_on=membership.joined_on,
        left_on=membership.left_on,
        role=membership.role,
    )
    return replace(row, **changes)


def checked(kind: UploadKind, rows: list[Any], name: str = "file.csv") -> CheckedUpload:
    """A checked upload holding these rows and no problem."""
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    return CheckedUpload(kind, name, digest, len(rows), tuple(rows), ())


def reports_of(pact: DemoPact, slug: str) -> list[DemoReport]:
    """The demo reports of one partnership."""
    return [r for r in pact.reports if r.partnership == slug]


def new_period_rows(pact: DemoPact, slug: str, count: int, first_line: int) -> list[OutcomeRow]:
    """Rows for 2025 (not in the demo): one per report of the partnership's first reports."""
    return [
        outcome_row(pact, report, first_line + i, year=2025, women=i + 1, men=2 * i)
        for i, report in enumerate(reports_of(pact, slug)[:count])
    ]


def mixed_outcomes(pact: DemoPact) -> tuple[CheckedUpload, dict[str, int]]:
    """10 lines as stored, 10 changed, 10 new; with the counts that makes."""
    stored = reports_of(pact, A)[:20]
    rows = [outcome_row(pact, r, 2 + i) for i, r in enumerate(stored[:10])]
    rows += [
        outcome_row(pact, r, 12 + i, women=r.women + 7, investment_eur=r.investment_eur + 0.5)
        for i, r in enumerate(stored[10:20])
    ]
    rows += new_period_rows(pact, A, 10, 22)
    return checked(UploadKind.OUTCOMES, rows), {"new": 10, "replaced": 10, "unchanged": 10}


def stored_outcomes(engine: Engine, slug: str) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """The partnership's outcome rows: natural key -> the values a file gives."""
    query = text(
        "SELECT o.name, o.country_code, r.year, r.quarter, r.skill_area, r.women, r.men,"
        " r.other_gender, r.not_recorded, r.programmes, r.investment_eur, r.people_reached"
        " FROM outcome_report r JOIN partnership p ON p.id = r.partnership_id"
        " JOIN organisation o ON o.id = r.organisation_id WHERE p.slug = :slug"
    )
    with engine.connect() as connection:
        return {tuple(row[:5]): tuple(row[5:]) for row in connection.execute(query, {"slug": slug})}


def file_values(row: OutcomeRow) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """A line's natural key and values, shaped like stored_outcomes."""
    key = (row.organisation, row.country_code, row.year, row.quarter, row.skill_area)
    values = (
        row.women,
        row.men,
        row.other_gender,
        row.not_recorded,
        row.programmes,
        row.investment_eur,
        row.people_reached,
    )
    return key, values


def version(engine: Engine) -> int:
    """The store's data version."""
    with Session(engine) as session:
        return dataset_state(session=session).version


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    """One value from the store."""
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_is_scoped_to_what_the_caller_may_change(
    store: Engine, demo_pact: DemoPact
) -> None:
    orgs = organisations(demo_pact)
    with Session(store) as session:
        mine = catalogue(session=session, caller=COORDINATOR_A)
        everything = catalogue(session=session, caller=OFFICER)
        nothing = catalogue(session=session, caller=PUBLIC)

    assert mine.changeable == {A}
    assert everything.changeable == {p.slug for p in demo_pact.partnerships}
    assert nothing.changeable == frozenset() and nothing.stored_periods == {}
    expected_members = {
        (m.partnership, lookup_key(orgs[m.organisation].name), orgs[m.organisation].country_code)
        for m in demo_pact.memberships
        if m.partnership == A
    }
    assert mine.memberships == expected_members
    expected_periods = {
        (r.partnership, lookup_key(o.name), o.country_code, r.year, r.skill_area): frozenset({0})
        for r in demo_pact.reports
        if r.partnership == A
        for o in [orgs[r.organisation]]
    }
    assert dict(mine.stored_periods) == expected_periods
    assert len(everything.stored_periods) == len(demo_pact.reports)
    some = demo_pact.organisations[5]
    assert mine.organisations[(lookup_key(some.name), some.country_code)] == some.name
    assert mine.organisation_types[(lookup_key(some.name), some.country_code)] == some.org_type
    seed = demo_pact.partnerships[0]
    for label in (seed.slug, seed.name.upper(), seed.short_name):
        assert mine.partnerships[lookup_key(label)] == seed.slug
    assert mine.countries["deu"] == mine.countries["germany"] == mine.countries["de"] == "DE"
    assert mine.skill_areas[lookup_key("Basic digital")] == "basic_digital"
    assert mine.org_types["sme"] == "sme"


def test_catalogue_knows_quarterly_periods(store: Engine, demo_pact: DemoPact) -> None:
    rows = [
        outcome_row(demo_pact, reports_of(demo_pact, A)[0], 2 + q, year=2026, quarter=q)
        for q in (1, 3, 4)
    ]
    commit_upload(engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, rows))
    with Session(store) as session:
        periods = catalogue(session=session, caller=COORDINATOR_A).stored_periods
    first = rows[0]
    key = (A, lookup_key(first.organisation), first.country_code, 2026, first.skill_area)
    assert periods[key] == {1, 3, 4}


# --- preview and commit ----------------------------------------------------------------------


def test_commit_counts_new_replaced_and_unchanged_lines(store: Engine, demo_pact: DemoPact) -> None:
    upload, expected = mixed_outcomes(demo_pact)
    with Session(store) as session:
        preview = preview_upload(session=session, caller=COORDINATOR_A, upload=upload)
    assert (preview.new, preview.replacing, preview.unchanged) == (
        expected["new"],
        expected["replaced"],
        expected["unchanged"],
    )
    assert preview.partnerships == (A,)
    assert [p.line for p in preview.lines] == list(range(12, 32))
    assert {p.status for p in preview.lines[:10]} == {LineStatus.REPLACES}
    assert "women" in preview.lines[0].changes and "→" in preview.lines[0].changes
    assert "people reached" not in preview.lines[0].changes  # only what changes is named

    info = commit_upload(engine=store, caller=COORDINATOR_A, upload=upload)

    assert info is not None
    assert (info.rows_new, info.rows_replaced, info.rows_unchanged) == (
        expected["new"],
        expected["replaced"],
        expected["unchanged"],
    )
    assert info.uploaded_by == COORDINATOR_A.email and info.sha256 == upload.sha256
    assert info.partnerships == (A,) and not info.undone
    stored = stored_outcomes(store, A)
    for row in upload.rows:
        assert isinstance(row, OutcomeRow)
        key, values = file_values(row)
        assert stored[key] == pytest.approx(values)
    assert len(stored) == len(reports_of(demo_pact, A)) + expected["new"]
    others = scalar(store, "SELECT count(*) FROM outcome_report")
    assert others == len(demo_pact.reports) + expected["new"]


def test_loading_the_same_file_again_changes_nothing(store: Engine, demo_pact: DemoPact) -> None:
    upload, _ = mixed_outcomes(demo_pact)
    assert commit_upload(engine=store, caller=OFFICER, upload=upload) is not None
    before = store_fingerprint(store)

    with Session(store) as session:
        preview = preview_upload(session=session, caller=OFFICER, upload=upload)
    again = commit_upload(engine=store, caller=OFFICER, upload=upload)

    assert again is None
    assert not preview.changes_anything and preview.unchanged == len(upload.rows)
    assert store_fingerprint(store) == before  # every table, the version and batches too


def test_a_file_equal_to_the_store_writes_nothing(store: Engine, demo_pact: DemoPact) -> None:
    rows = [outcome_row(demo_pact, r, 2 + i) for i, r in enumerate(reports_of(demo_pact, A))]
    before = store_fingerprint(store)
    assert (
        commit_upload(engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, rows))
        is None
    )
    assert store_fingerprint(store) == before


@pytest.mark.parametrize("fail_at", ["replacing rows", "recording the change"])
def test_a_failure_mid_commit_leaves_the_store_as_it_was(
    store: Engine, demo_pact: DemoPact, monkeypatch: pytest.MonkeyPatch, fail_at: str
) -> None:
    from data_access.uploads import commit

    upload, _ = mixed_outcomes(demo_pact)
    before = store_fingerprint(store)
    written: list[int] = []
    if fail_at == "replacing rows":
        real_replace = commit._replace

        def failing_replace(connection: Any, batch_id: int, table_name: str, *args: Any) -> None:
            if table_name == "outcome_report":  # the new rows are in by now
                written.append(
                    connection.execute(text("SELECT count(*) FROM outcome_report")).scalar()
                )
                raise RuntimeError("disk full")
            real_replace(connection, batch_id, table_name, *args)

        monkeypatch.setattr(commit, "_replace", failing_replace)
    else:

        def failing_record(**_: Any) -> None:
            raise RuntimeError("disk full")

        monkeypatch.setattr(commit, "record_change", failing_record)

    with pytest.raises(RuntimeError, match="disk full"):
        commit_upload(engine=store, caller=OFFICER, upload=upload)

    if written:
        assert written == [len(demo_pact.reports) + 10]  # rows were written, then rolled back
    assert store_fingerprint(store) == before


def test_a_coordinator_cannot_load_another_partnerships_rows(
    store: Engine, demo_pact: DemoPact
) -> None:
    rows = new_period_rows(demo_pact, A, 3, 2) + new_period_rows(demo_pact, B, 1, 5)
    upload = checked(UploadKind.OUTCOMES, rows)
    before = store_fingerprint(store)

    with Session(store) as session, pytest.raises(AccessDenied, match=B):
        preview_upload(session=session, caller=COORDINATOR_A, upload=upload)
    with pytest.raises(AccessDenied, match=B):
        commit_upload(engine=store, caller=COORDINATOR_A, upload=upload)
    with pytest.raises(AccessDenied):
        commit_upload(engine=store, caller=PUBLIC, upload=upload)

    assert store_fingerprint(store) == before
    assert commit_upload(engine=store, caller=OFFICER, upload=upload) is not None  # officers may


def test_uploads_with_problems_or_no_rows_are_refused(store: Engine, demo_pact: DemoPact) -> None:
    problem = Problem(line=3, column="women", value="-1", reason="is negative")
    bad = CheckedUpload(UploadKind.OUTCOMES, "bad.csv", "0" * 64, 5, (), (problem,))
    empty = CheckedUpload(UploadKind.OUTCOMES, "empty.csv", "0" * 64, 0, (), ())
    mixed_kind = checked(UploadKind.MEMBERS, new_period_rows(demo_pact, A, 1, 2))
    before = store_fingerprint(store)
    with pytest.raises(ValueError, match="1 problem"):
        commit_upload(engine=store, caller=OFFICER, upload=bad)
    with pytest.raises(ValueError, match="no rows"):
        commit_upload(engine=store, caller=OFFICER, upload=empty)
    with pytest.raises(ValueError, match="MemberRow"):
        commit_upload(engine=store, caller=OFFICER, upload=mixed_kind)
    with Session(store) as session, pytest.raises(ValueError):
        preview_upload(session=session, caller=OFFICER, upload=bad)
    assert store_fingerprint(store) == before


def test_a_year_is_never_stored_both_whole_and_by_quarter(
    store: Engine, demo_pact: DemoPact
) -> None:
    report = reports_of(demo_pact, A)[0]  # stored for its whole year
    upload = checked(UploadKind.OUTCOMES, [outcome_row(demo_pact, report, 2, quarter=2)])
    before = store_fingerprint(store)
    with pytest.raises(ValueError, match="whole-year and quarterly"):
        commit_upload(engine=store, caller=OFFICER, upload=upload)
    assert store_fingerprint(store) == before


def test_the_data_version_goes_up_on_commit_and_undo_only(
    store: Engine, demo_pact: DemoPact
) -> None:
    upload, _ = mixed_outcomes(demo_pact)
    first = version(store)
    info = commit_upload(engine=store, caller=OFFICER, upload=upload)
    assert info is not None and version(store) == first + 1
    assert commit_upload(engine=store, caller=OFFICER, upload=upload) is None
    assert version(store) == first + 1
    undo_batch(engine=store, caller=OFFICER, batch_id=info.id)
    assert version(store) == first + 2
    with Session(store) as session:
        assert dataset_state(session=session).is_demo  # still labelled as demo data


def test_the_as_of_date_follows_the_latest_period_held(store: Engine, demo_pact: DemoPact) -> None:
    def as_of() -> str:
        with Session(store) as session:
            return dataset_state(session=session).as_of

    latest = max(r.year for r in demo_pact.reports)
    assert as_of() == f"{latest}-12-31"
    second_quarter = [replace(r, quarter=2) for r in new_period_rows(demo_pact, A, 3, 2)]
    info = commit_upload(
        engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, second_quarter)
    )
    assert info is not None and as_of() == "2025-06-30"
    undo_batch(engine=store, caller=OFFICER, batch_id=info.id)
    assert as_of() == f"{latest}-12-31"


def test_commits_at_the_same_time_lose_nothing(store: Engine, demo_pact: DemoPact) -> None:
    a = checked(UploadKind.OUTCOMES, new_period_rows(demo_pact, A, 40, 2), "a.csv")
    uploads = [
        a,
        checked(UploadKind.OUTCOMES, new_period_rows(demo_pact, B, 40, 2), "b.csv"),
        checked(
            UploadKind.OUTCOMES,
            [replace(r, year=2026) for r in new_period_rows(demo_pact, A, 40, 2)],
            "a2.csv",
        ),
        a,  # the same file twice at once: loaded once, the other load finds nothing to do
    ]
    first = version(store)
    start = threading.Barrier(len(uploads))
    errors: list[BaseException] = []
    results: list[object] = []

    def load(upload: CheckedUpload) -> None:
        try:
            start.wait()
            results.append(commit_upload(engine=store, caller=OFFICER, upload=upload))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=load, args=(u,)) for u in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert results.count(None) == 1
    assert version(store) == first + 3
    assert scalar(store, "SELECT count(*) FROM outcome_report") == len(demo_pact.reports) + 120
    assert scalar(store, "SELECT count(*) FROM upload_batch") == 3
    assert scalar(store, "SELECT count(*) FROM upload_change") == 120


# --- members files ---------------------------------------------------------------------------


def single_and_shared_organisations(pact: DemoPact) -> tuple[DemoMembership, DemoMembership]:
    """A membership of A whose organisation is in A only, and one whose organisation is
    also in another partnership."""
    partnerships: dict[int, set[str]] = {}
    for m in pact.memberships:
        partnerships.setdefault(m.organisation, set()).add(m.partnership)
    of_a = [m for m in pact.memberships if m.partnership == A and m.left_on is None]
    only = next(m for m in of_a if partnerships[m.organisation] == {A})
    shared = next(m for m in of_a if len(partnerships[m.organisation]) > 1)
    return only, shared


def members_upload(pact: DemoPact) -> CheckedUpload:
    """One new organisation and membership, one membership ending, one organisation changing
    size, one line as stored, and one shared organisation's size a coordinator may not change."""
    only, shared = single_and_shared_organisations(pact)
    of_a = [m for m in pact.memberships if m.partnership == A and m.left_on is None]
    ending, same = [m for m in of_a if m not in (only, shared)][:2]
    org = organisations(pact)
    bigger = {"micro": "small", "small": "medium", "medium": "large", "large": "medium"}
    rows = [
        MemberRow(
            line=2,
            partnership=A,
            organisation="Akademie für Fahrzeugbau Testfeld",
            country_code="DE",
            org_type="vet_provider",
            size_class="small",
            nuts_code="DE30",
            joined_on=date(2025, 1, 15),
            left_on=None,
            role="member",
        ),
        member_row(pact, ending, 3, left_on=date(2025, 6, 30)),
        member_row(pact, only, 4, size_class=bigger[org[only.organisation].size_class]),
        member_row(pact, same, 5),
        member_row(pact, shared, 6, size_class=bigger[org[shared.organisation].size_class]),
    ]
    return checked(UploadKind.MEMBERS, rows, "members.csv")


def organisation_row(engine: Engine, name: str) -> tuple[Any, ...] | None:
    """An organisation's type, size and region."""
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT org_type, size_class, nuts_code FROM organisation WHERE name = :n"),
            {"n": name},
        ).first()
    return tuple(found) if found else None


def test_a_members_file_adds_organisations_and_changes_memberships(
    store: Engine, demo_pact: DemoPact
) -> None:
    upload = members_upload(demo_pact)
    rows = [r for r in upload.rows if isinstance(r, MemberRow)]
    with Session(store) as session:
        preview = preview_upload(session=session, caller=COORDINATOR_A, upload=upload)
    assert (preview.new, preview.replacing, preview.unchanged) == (1, 2, 2)
    assert preview.organisations_new == 1
    assert len(preview.notes) == 1 and "line 6" in preview.notes[0]

    info = commit_upload(engine=store, caller=COORDINATOR_A, upload=upload)

    assert info is not None
    assert (info.rows_new, info.rows_replaced, info.rows_unchanged) == (1, 2, 2)
    assert info.organisations_added == 1
    assert organisation_row(store, rows[0].organisation) == ("vet_provider", "small", "DE30")
    left = scalar(
        store,
        "SELECT m.left_on FROM membership m JOIN organisation o ON o.id = m.organisation_id"
        " JOIN partnership p ON p.id = m.partnership_id WHERE o.name = :n AND p.slug = :p",
        n=rows[1].organisation,
        p=A,
    )
    assert str(left) == "2025-06-30"
    assert organisation_row(store, rows[2].organisation) == (
        rows[2].org_type,
        rows[2].size_class,
        rows[2].nuts_code,
    )
    shared = organisations(demo_pact)[single_and_shared_organisations(demo_pact)[1].organisation]
    assert organisation_row(store, shared.name) == (
        shared.org_type,
        shared.size_class,
        shared.nuts_code,
    )  # kept: the coordinator may not change its other partnership
    members = scalar(store, "SELECT count(*) FROM membership")
    assert members == len(demo_pact.memberships) + 1


def test_member_lines_correct_a_membership_or_rejoin(store: Engine, demo_pact: DemoPact) -> None:
    open_ = next(m for m in demo_pact.memberships if m.partnership == A and m.left_on is None)
    left = next(m for m in demo_pact.memberships if m.partnership == A and m.left_on is not None)
    assert left.left_on is not None
    corrected = member_row(demo_pact, open_, 2, joined_on=open_.joined_on + timedelta(days=3))
    rejoined = member_row(
        demo_pact, left, 3, joined_on=left.left_on + timedelta(days=30), left_on=None
    )
    before = data_fingerprint(store)

    info = commit_upload(
        engine=store, caller=OFFICER, upload=checked(UploadKind.MEMBERS, [corrected, rejoined])
    )

    assert info is not None and (info.rows_new, info.rows_replaced) == (1, 1)
    spans = {
        (name, str(joined), None if ended is None else str(ended))
        for name, joined, ended in _memberships_of(store, A)
    }
    org = organisations(demo_pact)
    assert (org[open_.organisation].name, str(corrected.joined_on), None) in spans
    assert (org[open_.organisation].name, str(open_.joined_on), None) not in spans
    assert (org[left.organisation].name, str(left.joined_on), str(left.left_on)) in spans
    assert (org[left.organisation].name, str(rejoined.joined_on), None) in spans
    undo_batch(engine=store, caller=OFFICER, batch_id=info.id)
    assert data_fingerprint(store) == before


def _memberships_of(engine: Engine, slug: str) -> list[tuple[Any, ...]]:
    """(organisation name, joined_on, left_on) of a partnership's memberships."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT o.name, m.joined_on, m.left_on FROM membership m"
                " JOIN organisation o ON o.id = m.organisation_id"
                " JOIN partnership p ON p.id = m.partnership_id WHERE p.slug = :slug"
            ),
            {"slug": slug},
        ).all()
    return [tuple(r) for r in rows]


def test_an_officer_may_change_a_shared_organisation(store: Engine, demo_pact: DemoPact) -> None:
    upload = members_upload(demo_pact)
    info = commit_upload(engine=store, caller=OFFICER, upload=upload)
    assert info is not None and (info.rows_new, info.rows_replaced, info.rows_unchanged) == (
        1,
        3,
        1,
    )
    shared = [r for r in upload.rows if isinstance(r, MemberRow)][4]
    assert organisation_row(store, shared.organisation)[1] == shared.size_class  # type: ignore[index]


def listed_flag(engine: Engine, name: str) -> bool:
    """Whether the organisation of this name is listed in the public member directory."""
    return bool(scalar(engine, "SELECT listed FROM organisation WHERE name = :n", n=name))


def public_directory_names(engine: Engine) -> set[str]:
    """The organisations the public member directory shows (current and former members)."""
    with Session(engine) as session:
        frame = member_directory(session=session, caller=PUBLIC, filters=Filters(), former=True)
    return set(frame["organisation"])


def test_a_members_file_sets_the_listing_flag_and_undo_restores_it(
    store: Engine, demo_pact: DemoPact
) -> None:
    only, shared = single_and_shared_organisations(demo_pact)
    org = organisations(demo_pact)
    unlisted = next(
        m
        for m in demo_pact.memberships
        if m.partnership == A
        and not org[m.organisation].listed
        and {x.partnership for x in demo_pact.memberships if x.organisation == m.organisation}
        == {A}
    )
    opting_out, opting_in = org[only.organisation].name, org[unlisted.organisation].name
    assert listed_flag(store, opting_out) and not listed_flag(store, opting_in)
    assert opting_out in public_directory_names(store)
    assert opting_in not in public_directory_names(store)
    before = data_fingerprint(store)
    rows = [
        member_row(demo_pact, only, 2, listed=False),
        member_row(demo_pact, unlisted, 3, listed=True),
        member_row(demo_pact, shared, 4),  # no value: the stored flag stays
        MemberRow(
            line=5,
            partnership=A,
            organisation="Werkstattverbund Testfeld",
            country_code="DE",
            org_type="sme",
            size_class=None,
            nuts_code=None,
            joined_on=date(2024, 3, 1),
            left_on=None,
            role="member",
            listed=False,
        ),
    ]
    upload = checked(UploadKind.MEMBERS, rows, "members.csv")
    with Session(store) as session:
        preview = preview_upload(session=session, caller=COORDINATOR_A, upload=upload)
    described = {line.line: line.changes for line in preview.lines}
    assert "listed publicly yes → no" in described[2]
    assert "listed publicly no → yes" in described[3]
    assert "not listed publicly" in described[5]
    assert 4 not in described

    info = commit_upload(engine=store, caller=COORDINATOR_A, upload=upload)

    assert info is not None and (info.rows_new, info.rows_replaced) == (1, 2)
    assert not listed_flag(store, opting_out) and listed_flag(store, opting_in)
    assert listed_flag(store, org[shared.organisation].name) == org[shared.organisation].listed
    assert not listed_flag(store, "Werkstattverbund Testfeld")
    names = public_directory_names(store)
    assert opting_out not in names and opting_in in names
    assert "Werkstattverbund Testfeld" not in names

    undo_batch(engine=store, caller=COORDINATOR_A, batch_id=info.id)
    assert data_fingerprint(store) == before
    assert listed_flag(store, opting_out) and not listed_flag(store, opting_in)


def test_undo_of_a_load_recorded_before_listed_was_changeable(
    store: Engine, demo_pact: DemoPact
) -> None:
    only, _ = single_and_shared_organisations(demo_pact)
    name = organisations(demo_pact)[only.organisation].name
    size = organisations(demo_pact)[only.organisation].size_class
    bigger = "large" if size != "large" else "medium"
    before = data_fingerprint(store)
    upload = checked(UploadKind.MEMBERS, [member_row(demo_pact, only, 2, size_class=bigger)])
    info = commit_upload(engine=store, caller=OFFICER, upload=upload)
    assert info is not None
    with store.begin() as connection:  # as a load recorded before the column was changeable
        for table_name, row_id, previous in connection.execute(
            text("SELECT table_name, row_id, previous FROM upload_change WHERE batch_id = :b"),
            {"b": info.id},
        ).all():
            if table_name == "organisation":
                values = json.loads(previous)
                del values["listed"]
                connection.execute(
                    text(
                        "UPDATE upload_change SET previous = :p WHERE batch_id = :b"
                        " AND table_name = 'organisation' AND row_id = :r"
                    ),
                    {"p": json.dumps(values), "b": info.id, "r": row_id},
                )
    undo_batch(engine=store, caller=OFFICER, batch_id=info.id)
    assert data_fingerprint(store) == before
    assert organisation_row(store, name) == (
        organisations(demo_pact)[only.organisation].org_type,
        size,
        organisations(demo_pact)[only.organisation].nuts_code,
    )


# --- undo ------------------------------------------------------------------------------------


@pytest.mark.parametrize("copy_from", [None, 1])
def test_undo_puts_every_row_back(
    store: Engine, demo_pact: DemoPact, monkeypatch: pytest.MonkeyPatch, copy_from: int | None
) -> None:
    if copy_from is not None:  # PostgreSQL: every insert by COPY, however few rows
        monkeypatch.setattr("data_access.uploads.commit.COPY_FROM", copy_from)
    before = data_fingerprint(store)
    outcomes, _ = mixed_outcomes(demo_pact)
    first = commit_upload(engine=store, caller=COORDINATOR_A, upload=outcomes)
    second = commit_upload(engine=store, caller=COORDINATOR_A, upload=members_upload(demo_pact))
    assert first is not None and second is not None
    assert data_fingerprint(store) != before

    undone = undo_batch(engine=store, caller=COORDINATOR_A, batch_id=second.id)
    undo_batch(engine=store, caller=ADMIN, batch_id=first.id)

    assert data_fingerprint(store) == before
    assert undone.undone and undone.undone_by == COORDINATOR_A.email
    with Session(store) as session:
        listed = {b.id: b for b in list_batches(session=session, caller=OFFICER)}
    assert listed[first.id].undone_by == ADMIN.email and listed[second.id].undone
    assert scalar(store, "SELECT count(*) FROM upload_change") == 0


def test_only_the_uploader_or_an_admin_may_undo(store: Engine, demo_pact: DemoPact) -> None:
    upload, _ = mixed_outcomes(demo_pact)
    info = commit_upload(engine=store, caller=COORDINATOR_A, upload=upload)
    assert info is not None
    after = store_fingerprint(store)
    for someone_else in (OTHER_COORDINATOR_A, COORDINATOR_B, OFFICER, PUBLIC):
        with pytest.raises(AccessDenied):
            undo_batch(engine=store, caller=someone_else, batch_id=info.id)
    assert store_fingerprint(store) == after
    undo_batch(engine=store, caller=COORDINATOR_A, batch_id=info.id)


def test_undo_goes_latest_first_and_only_once(store: Engine, demo_pact: DemoPact) -> None:
    before = data_fingerprint(store)
    report = reports_of(demo_pact, A)[0]
    change = [outcome_row(demo_pact, report, 2, women=report.women + 1)]
    change_again = [outcome_row(demo_pact, report, 2, women=report.women + 2)]
    elsewhere = new_period_rows(demo_pact, B, 2, 2)
    first = commit_upload(engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, change))
    second = commit_upload(
        engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, change_again)
    )
    third = commit_upload(
        engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, elsewhere)
    )
    assert first and second and third
    after = store_fingerprint(store)

    with pytest.raises(ValueError, match=f"undo batch {second.id} first"):
        undo_batch(engine=store, caller=OFFICER, batch_id=first.id)
    assert store_fingerprint(store) == after
    undo_batch(engine=store, caller=OFFICER, batch_id=second.id)  # the third is unrelated
    assert stored_outcomes(store, A)[file_values(change[0])[0]] == pytest.approx(
        file_values(change[0])[1]
    )
    undo_batch(engine=store, caller=OFFICER, batch_id=first.id)
    with pytest.raises(ValueError, match="already undone"):
        undo_batch(engine=store, caller=OFFICER, batch_id=first.id)
    with pytest.raises(ValueError, match="no loaded file"):
        undo_batch(engine=store, caller=OFFICER, batch_id=999)
    undo_batch(engine=store, caller=OFFICER, batch_id=third.id)
    assert data_fingerprint(store) == before


def test_undo_keeps_members_that_later_reports_use(store: Engine, demo_pact: DemoPact) -> None:
    before = data_fingerprint(store)
    members = commit_upload(engine=store, caller=OFFICER, upload=members_upload(demo_pact))
    new_member = OutcomeRow(
        line=2,
        partnership=A,
        organisation="Akademie für Fahrzeugbau Testfeld",
        country_code="DE",
        year=2025,
        quarter=0,
        skill_area="green",
        women=3,
        men=4,
        other_gender=0,
        not_recorded=0,
        programmes=1,
        investment_eur=100.0,
        people_reached=10,
    )
    reports = commit_upload(
        engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, [new_member])
    )
    assert members and reports

    undo_batch(engine=store, caller=OFFICER, batch_id=members.id)
    assert organisation_row(store, new_member.organisation) is not None  # still reported on
    assert data_fingerprint(store) != before
    undo_batch(engine=store, caller=OFFICER, batch_id=reports.id)
    assert organisation_row(store, new_member.organisation) is not None  # undone already kept it


def test_undo_refuses_rows_changed_outside_a_load(store: Engine, demo_pact: DemoPact) -> None:
    info = commit_upload(
        engine=store,
        caller=OFFICER,
        upload=checked(UploadKind.OUTCOMES, new_period_rows(demo_pact, A, 3, 2)),
    )
    assert info is not None
    with store.begin() as connection:
        connection.execute(text("UPDATE outcome_report SET women = women + 1 WHERE year = 2025"))
    after = store_fingerprint(store)
    with pytest.raises(ValueError, match="changed or removed since"):
        undo_batch(engine=store, caller=OFFICER, batch_id=info.id)
    assert store_fingerprint(store) == after


def test_a_large_file_goes_in_whole_and_comes_out_whole(store: Engine, demo_pact: DemoPact) -> None:
    before = data_fingerprint(store)
    rows = [
        outcome_row(demo_pact, report, 2 + i, year=report.year + 4, women=i)
        for i, report in enumerate(demo_pact.reports[:3000])
    ]
    keys = {file_values(r)[0] + (r.partnership,) for r in rows}
    assert len(keys) == len(rows)  # distinct lines
    info = commit_upload(engine=store, caller=OFFICER, upload=checked(UploadKind.OUTCOMES, rows))
    assert info is not None and info.rows_new == len(rows)
    stored = {p: stored_outcomes(store, p) for p in {r.partnership for r in rows}}
    for row in rows:
        key, values = file_values(row)
        assert stored[row.partnership][key] == pytest.approx(values)
    undo_batch(engine=store, caller=OFFICER, batch_id=info.id)
    assert data_fingerprint(store) == before


def load_two_new_lines(
    engine: Engine, pact: DemoPact, caller: Caller, slug: str, name: str
) -> UploadBatchInfo:
    """Load a file of two lines for a period the demo does not hold."""
    info = commit_upload(
        engine=engine,
        caller=caller,
        upload=checked(UploadKind.OUTCOMES, new_period_rows(pact, slug, 2, 2), name),
    )
    assert info is not None
    return info


def test_a_whole_dataset_load_supersedes_earlier_files(store: Engine, demo_pact: DemoPact) -> None:
    """Loading the whole dataset again (demo --replace) takes the loaded files' rows away:
    the files are listed as superseded, and undoing one is refused and changes nothing."""
    undone = load_two_new_lines(store, demo_pact, OFFICER, A, "undone.csv")
    kept = load_two_new_lines(store, demo_pact, OFFICER, B, "kept.csv")
    undo_batch(engine=store, caller=OFFICER, batch_id=undone.id)
    load_demo(store, replace=True)
    assert scalar(store, "SELECT count(*) FROM outcome_report") == len(demo_pact.reports)

    with Session(store) as session:
        listed = {b.id: b for b in list_batches(session=session, caller=OFFICER)}
    assert listed[undone.id].status.startswith("undone ")  # undone before: stays so
    assert listed[undone.id].superseded_at is None and not listed[undone.id].undoable
    superseded = listed[kept.id]
    assert superseded.superseded_at is not None and not superseded.undoable
    assert superseded.status.startswith("superseded by the whole dataset loaded")
    before = store_fingerprint(store)
    with pytest.raises(ValueError, match="superseded when the whole dataset was loaded again"):
        undo_batch(engine=store, caller=ADMIN, batch_id=kept.id)
    assert store_fingerprint(store) == before

    later = load_two_new_lines(store, demo_pact, OFFICER, A, "later.csv")
    with Session(store) as session:
        fresh = next(b for b in list_batches(session=session, caller=OFFICER) if b.id == later.id)
    assert fresh.undoable and fresh.status == "loaded"
    undo_batch(engine=store, caller=OFFICER, batch_id=later.id)
    assert scalar(store, "SELECT count(*) FROM outcome_report") == len(demo_pact.reports)


# --- the list of loaded files ----------------------------------------------------------------


def test_list_batches_shows_each_role_its_own(store: Engine, demo_pact: DemoPact) -> None:
    of_a = load_two_new_lines(store, demo_pact, OFFICER, A, "a.csv")
    of_b = load_two_new_lines(store, demo_pact, COORDINATOR_B, B, "b.csv")
    with Session(store) as session:
        assert [b.id for b in list_batches(session=session, caller=OFFICER)] == [of_b.id, of_a.id]
        assert [b.id for b in list_batches(session=session, caller=ADMIN, limit=1)] == [of_b.id]
        assert [b.id for b in list_batches(session=session, caller=COORDINATOR_A)] == [of_a.id]
        assert [b.id for b in list_batches(session=session, caller=COORDINATOR_B)] == [of_b.id]
        assert list_batches(session=session, caller=PUBLIC) == []
        shown = list_batches(session=session, caller=COORDINATOR_B)[0]
    assert shown.file_name == "b.csv" and shown.partnerships == (B,)
    assert shown.uploaded_at.tzinfo is not None and shown.rows == 2


# --- migration 0003 --------------------------------------------------------------------------


def test_upgrading_to_upload_batches_keeps_every_row(
    request: pytest.FixtureRequest, tmp_path: Path, demo_pact: DemoPact
) -> None:
    engine = make_engine(_url(request, tmp_path, "migrate"))
    try:
        create_schema(engine)  # the demo loaded at the head, then the store taken down to 0002
        with Session(engine) as session:
            load_dataset(
                session=session, rows=demo_rows(demo_pact), source="demo", as_of="2024-12-31"
            )
            session.commit()
        schema.downgrade(engine, schema.ROLE_GRANT_REVISION)
        before = store_fingerprint(engine, exclude={"alembic_version"})

        create_schema(engine)  # what the app does on start

        after = store_fingerprint(engine, exclude={"alembic_version"})
        # 0004 adds two columns to organisation (tests/test_migrations.py checks its values)
        assert {t: after[t] for t in before if t != "organisation"} == {
            t: v for t, v in before.items() if t != "organisation"
        }
        assert after["organisation"][0] == before["organisation"][0]
        assert {t: after[t][0] for t in after.keys() - before.keys()} == {
            "upload_batch": 0,
            "upload_batch_partnership": 0,
            "upload_change": 0,
            "short_link": 0,
            "reporting_round": 0,
            "round_partnership": 0,
            "round_move": 0,
            "reminder": 0,
            "reminder_delivery": 0,
            "mail_language": 0,
        }
        upload = checked(UploadKind.OUTCOMES, new_period_rows(demo_pact, A, 2, 2))
        assert commit_upload(engine=engine, caller=OFFICER, upload=upload) is not None
    finally:
        engine.dispose()
