"""Readers and writers together: while many sessions read, batch loads commit.

Every read must see a whole data version (the rows of every committed batch and none of an
uncommitted one), no session may fail ("database is locked" included), and no row may be lost.
Runs on an SQLite file (WAL, busy timeout) and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import dataset_state, make_engine, session_scope
from data_access.dataset import record_change
from data_access.models import Membership, OutcomeReport, Partnership
from fixtures.load_demo import load_demo

READERS = 8
BATCHES = 6  # then one replacing load of the whole demo
BATCH_ROWS = 400  # outcome rows each batch load adds
STATE = text(
    "SELECT (SELECT value FROM dataset_info WHERE key = 'version'),"
    " (SELECT count(*) FROM outcome_report),"
    " (SELECT coalesce(sum(women + men + other_gender + not_recorded), 0) FROM outcome_report)"
)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store holding the demo data, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    load_demo(engine)
    yield engine
    engine.dispose()


def batch_rows(session: Session, batch: int) -> list[dict[str, Any]]:
    """New outcome rows for one batch: year 2025, one quarter per batch, distinct members."""
    members = session.execute(
        select(Membership.partnership_id, Membership.organisation_id)  # type: ignore[call-overload]
        .distinct()
        .order_by(Membership.partnership_id, Membership.organisation_id)
        .limit(BATCH_ROWS // 2)
    ).all()
    rows = []
    for partnership_id, organisation_id in members:
        for skill in ("green", "technical"):
            rows.append(
                {
                    "partnership_id": partnership_id,
                    "organisation_id": organisation_id,
                    "year": 2025 + batch // 4,
                    "quarter": batch % 4 + 1,
                    "skill_area": skill,
                    "women": batch + 1,
                    "men": 2,
                }
            )
    return rows


def test_reads_see_whole_versions_while_batch_loads_commit(store: Engine) -> None:
    with Session(store) as session:
        first_version, demo_count, demo_people = session.execute(STATE).one()
    committed: dict[int, tuple[int, int]] = {int(first_version): (demo_count, demo_people)}
    errors: list[str] = []
    seen: list[list[tuple[int, int, int]]] = [[] for _ in range(READERS)]
    writing = threading.Event()
    writing.set()
    started = threading.Barrier(READERS + 1)

    def read(slot: int) -> None:
        started.wait()
        try:
            while writing.is_set() or len(seen[slot]) < 3:
                with Session(store) as session:
                    version, count, people = session.execute(STATE).one()
                    seen[slot].append((int(version), count, people))
                    session.scalar(select(func.count()).select_from(Partnership))
                    dataset_state(session=session)
        except Exception as exc:  # every failure is reported by the test
            errors.append(f"reader {slot}: {exc!r}")

    def write() -> None:
        started.wait()
        try:
            for batch in range(BATCHES):
                with session_scope(store) as session:
                    rows = batch_rows(session, batch)
                    session.execute(insert(OutcomeReport), rows)
                    record_change(session=session, source="reports", as_of=f"batch {batch}")
                    version = dataset_state(session=session).version
                    count, people = committed[version - 1]
                    added = sum(r["women"] + r["men"] for r in rows)
                    committed[version] = (count + len(rows), people + added)
            load_demo(store, replace=True)  # a whole batch load: delete everything, write anew
            with Session(store) as session:
                committed[dataset_state(session=session).version] = (demo_count, demo_people)
        except Exception as exc:
            errors.append(f"writer: {exc!r}")
        finally:
            writing.clear()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
    threads.append(threading.Thread(target=write))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a session never finished"

    assert errors == []
    reads = [r for per_reader in seen for r in per_reader]
    print(f"{len(reads)} reads by {READERS} sessions during {BATCHES} batch loads")
    assert all(per_reader for per_reader in seen)
    for version, count, people in reads:  # each read saw exactly one committed version
        assert (count, people) == committed[version], f"version {version} seen half-written"
    with Session(store) as session:
        final = session.execute(STATE).one()
    last = max(committed)
    assert sorted(committed) == list(range(int(first_version), last + 1))  # no version lost
    assert (int(final[0]), final[1], final[2]) == (last, *committed[last])  # no row lost
    assert {r[0] for r in reads} - {int(first_version)}, "no read overlapped a batch load"
