"""Tier 1, the store itself: engine settings, schema constraints, seeding and the load command."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from data_access import create_schema, dataset_state, make_engine, session_scope
from data_access.loading import DatasetRows, load_dataset
from data_access.models import Membership, Organisation, OutcomeReport, Partnership
from fixtures.demo import build_demo_pact
from fixtures.load_demo import demo_rows, main, seed_if_empty

POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def counts(engine: Engine) -> dict[str, int]:
    """Row count of every data table."""
    with Session(engine) as session:
        return {
            model.__name__: int(session.scalar(select(func.count()).select_from(model)) or 0)
            for model in (Partnership, Organisation, Membership, OutcomeReport)
        }


def test_sqlite_file_runs_in_wal_mode_with_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10_000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_seed_if_empty_seeds_once(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    assert seed_if_empty(engine) is True
    first = counts(engine)
    assert first["Partnership"] == 26 and first["OutcomeReport"] > 5_000
    assert seed_if_empty(engine) is False
    assert counts(engine) == first
    with Session(engine) as session:
        assert dataset_state(session=session).is_demo


@pytest.mark.parametrize(
    "bad_row",
    [
        {"women": -1},  # a negative count
        {"year": 1999},  # outside the reporting years
        {"quarter": 5},
        {"skill_area": "astrology"},  # unknown skill area (foreign key)
    ],
)
def test_schema_rejects_impossible_numbers(
    empty_engine: Engine, bad_row: dict[str, object]
) -> None:
    rows = demo_rows(build_demo_pact())
    load_dataset_rows = DatasetRows(
        partnerships=rows.partnerships,
        organisations=rows.organisations,
        memberships=rows.memberships,
        reports=[*rows.reports[:10], {**rows.reports[10], **bad_row}],
    )
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        load_dataset(session=session, rows=load_dataset_rows, source="demo", as_of="2024-12-31")
    assert counts(empty_engine) == dict.fromkeys(counts(empty_engine), 0)


def test_failed_replace_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    seed_if_empty(engine)
    before = counts(engine)
    with Session(engine) as session:
        version = dataset_state(session=session).version
    rows = demo_rows(build_demo_pact())
    broken = DatasetRows(
        partnerships=rows.partnerships,
        organisations=rows.organisations,
        memberships=[*rows.memberships, {**rows.memberships[0], "left_on": date(2000, 1, 1)}],
        reports=rows.reports,
    )
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        load_dataset(session=session, rows=broken, source="demo", as_of="x", replace=True)
    assert counts(engine) == before
    with Session(engine) as session:
        assert dataset_state(session=session).version == version


def test_duplicate_natural_key_is_refused(empty_engine: Engine) -> None:
    rows = demo_rows(build_demo_pact())
    doubled = DatasetRows(
        partnerships=rows.partnerships,
        organisations=rows.organisations,
        memberships=rows.memberships,
        reports=[*rows.reports[:5], rows.reports[0]],
    )
    with pytest.raises(IntegrityError), session_scope(empty_engine) as session:
        load_dataset(session=session, rows=doubled, source="demo", as_of="2024-12-31")


def test_load_command_refuses_a_filled_store_without_replace(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    assert main(["--database-url", url]) == 0
    assert "loaded demo data: 26 partnerships" in capsys.readouterr().out
    before = counts(make_engine(url))
    assert main(["--database-url", url]) == 1
    assert "already holds data" in capsys.readouterr().err
    assert main(["--database-url", url, "--replace"]) == 0
    assert counts(make_engine(url)) == before


def test_load_command_into_postgresql() -> None:
    engine = make_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable in CI at {POSTGRES_URL}: {exc}")
        pytest.skip(f"no PostgreSQL reachable at {POSTGRES_URL}")
    create_schema(engine)
    assert main(["--database-url", POSTGRES_URL, "--replace"]) == 0
    assert counts(engine)["Partnership"] == 26


def test_replace_keeps_coordinator_grants_by_slug(tmp_path: Path) -> None:
    from data_access.roles import caller_for_email, grant_role
    from tests.callers import ADMIN

    engine = make_engine(f"sqlite:///{tmp_path / 'grants.sqlite3'}")
    seed_if_empty(engine)
    with session_scope(engine) as session:
        for email, role, slug in (
            ("coord@example.org", "coordinator", "automotive"),
            ("coord@example.org", "coordinator", "creative-pact"),
            ("officer@example.org", "officer", None),
        ):
            grant_role(
                session=session, caller=ADMIN, email=email, role=role, partnership=slug,
                today=date(2026, 1, 1),
            )  # fmt: skip
    rows = demo_rows(build_demo_pact())
    gone = "creative-pact"  # the new dataset no longer has this partnership
    kept_rows = DatasetRows(
        partnerships=[p for p in rows.partnerships if p["slug"] != gone],
        organisations=rows.organisations,
        memberships=[m for m in rows.memberships if m["partnership"] != gone],
        reports=[r for r in rows.reports if r["partnership"] != gone],
    )
    with session_scope(engine) as session:
        load_dataset(
            session=session, rows=kept_rows, source="demo", as_of="2025-01-01", replace=True
        )
    with Session(engine) as session:
        coordinator = caller_for_email(session=session, email="coord@example.org", verified=True)
        officer = caller_for_email(session=session, email="officer@example.org", verified=True)
    assert coordinator.partnerships == frozenset({"automotive"})
    assert officer.role == "officer"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_writers_at_once_both_bump_the_version(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    import threading

    from data_access import record_change

    url = (
        f"sqlite:///{tmp_path / 'version.sqlite3'}"
        if backend == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = make_engine(url)
    create_schema(engine)
    with session_scope(engine) as session:
        record_change(session=session, source="demo", as_of="2025-01-01")
    first, second = Session(engine), Session(engine)
    record_change(session=first, source="demo", as_of="2025-01-02")  # holds the row
    done = threading.Event()

    def other_writer() -> None:
        record_change(session=second, source="demo", as_of="2025-01-03")
        second.commit()
        done.set()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert not done.wait(0.5), "the second writer must wait for the first"
    first.commit()
    thread.join(timeout=30)
    first.close()
    second.close()
    with Session(engine) as session:
        assert dataset_state(session=session).version == 3
    engine.dispose()
