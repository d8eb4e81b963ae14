"""Tier 1, the schema's history: Alembic's head equals the models, and upgrading keeps every row.

Each test runs on SQLite and on PostgreSQL (which skips outside CI when no server answers).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from data_access import create_schema, make_engine, schema, session_scope
from data_access.engine import seed_reference
from data_access.loading import load_dataset
from data_access.models import Ecosystem, OutcomeReport, Partnership, RoleGrant
from fixtures.demo import DemoPact
from fixtures.load_demo import demo_rows

BACKENDS = ["sqlite", "postgresql"]
REVISION_ONE_TABLES = [
    "country",
    "dataset_info",
    "ecosystem",
    "membership",
    "organisation",
    "organisation_type",
    "outcome_report",
    "partnership",
    "skill_area",
]
# Tables later revisions add: role grants (0002), upload batches (0003), short links (0004),
# reporting rounds (0005), reminders (0006).
ROUND_TABLES = ["reporting_round", "round_partnership", "round_move"]
REMINDER_TABLES = ["reminder", "reminder_delivery", "mail_language"]
LATER_TABLES = [
    "role_grant",
    "upload_batch",
    "upload_batch_partnership",
    "upload_change",
    "short_link",
    *ROUND_TABLES,
    *REMINDER_TABLES,
]
# Columns 0004 adds to a table of revision one: left out of the fingerprints that check
# that an upgrade keeps every earlier value.
LATER_COLUMNS = {"organisation": {"listed", "record_key"}}


@pytest.fixture(params=BACKENDS)
def blank_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a database with no tables at all, on each backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()


def table_fingerprints(engine: Engine, tables: list[str]) -> dict[str, tuple[int, str]]:
    """Per table: row count and a SHA-256 over every row in primary-key order."""
    fingerprints: dict[str, tuple[int, str]] = {}
    with engine.connect() as connection:
        inspector = inspect(connection)
        for table in tables:
            keys = inspector.get_pk_constraint(table)["constrained_columns"]
            columns = [c["name"] for c in inspector.get_columns(table)]
            columns = [c for c in columns if c not in LATER_COLUMNS.get(table, set())]
            rows = connection.exec_driver_sql(
                f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(keys)}"
            ).all()
            digest = hashlib.sha256()
            for row in rows:
                digest.update(repr(tuple(row)).encode())
            fingerprints[table] = (len(rows), digest.hexdigest())
    return fingerprints


def schema_diff(engine: Engine) -> list[object]:
    """What Alembic's autogenerate would change to make the store match the models."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts=schema.context_options())
        return list(compare_metadata(context, SQLModel.metadata))


def test_head_matches_the_models(blank_engine: Engine) -> None:
    create_schema(blank_engine)
    with blank_engine.connect() as connection:
        assert schema.current_revision(connection) == schema.head_revision()
    assert schema_diff(blank_engine) == []


def test_revision_one_lacks_only_the_later_tables(blank_engine: Engine) -> None:
    schema.upgrade(blank_engine, schema.FIRST_REVISION)
    diff = schema_diff(blank_engine)
    added = [d[1].name for d in diff if isinstance(d, tuple) and d[0] == "add_table"]  # type: ignore[attr-defined]
    assert sorted(added) == sorted(LATER_TABLES)
    columns = [(d[2], d[3].name) for d in diff if isinstance(d, tuple) and d[0] == "add_column"]  # type: ignore[attr-defined]
    assert sorted(columns) == sorted((t, c) for t, cs in LATER_COLUMNS.items() for c in cs)
    kinds = ("add_table", "add_index", "add_column")
    assert all(isinstance(d, tuple) and d[0] in kinds for d in diff)


def test_upgrade_from_revision_one_keeps_every_row(
    blank_engine: Engine, demo_pact: DemoPact
) -> None:
    # A store of revision one holding the demo: loaded at the head, then taken down to one.
    create_schema(blank_engine)
    with session_scope(blank_engine) as session:
        load_dataset(session=session, rows=demo_rows(demo_pact), source="demo", as_of="2024-12-31")
    schema.downgrade(blank_engine, schema.FIRST_REVISION)
    assert schema_diff(blank_engine) != []
    before = table_fingerprints(blank_engine, REVISION_ONE_TABLES)
    assert before["outcome_report"][0] == len(demo_pact.reports)
    assert before["membership"][0] == len(demo_pact.memberships)

    create_schema(blank_engine)  # what the app does on start: upgrade to head

    assert table_fingerprints(blank_engine, REVISION_ONE_TABLES) == before
    assert schema_diff(blank_engine) == []
    with session_scope(blank_engine) as session:  # the new table works, ids still count on
        partnership_id = session.scalar(select(Partnership.id).limit(1))
        session.add(
            RoleGrant(email="coord@example.eu", role="coordinator", partnership_id=partnership_id)
        )
        session.execute(
            insert(OutcomeReport).values(
                partnership_id=partnership_id,
                organisation_id=1,
                year=2025,
                quarter=0,
                skill_area="green",
                women=1,
            )
        )
    with Session(blank_engine) as session:
        assert session.scalar(select(func.count()).select_from(RoleGrant)) == 1
        reports = session.scalar(select(func.count()).select_from(OutcomeReport))
        assert reports == len(demo_pact.reports) + 1


UPLOAD_TABLES = ["upload_batch", "upload_batch_partnership", "upload_change"]


@pytest.mark.parametrize(
    ("made_by", "added_later"),
    [
        ("0001", []),
        ("0002", ["role_grant"]),
        ("0003", ["role_grant", *UPLOAD_TABLES]),
        ("0004", ["role_grant", *UPLOAD_TABLES, "short_link"]),
        ("0005", ["role_grant", *UPLOAD_TABLES, "short_link", *ROUND_TABLES]),
        ("0006", ["role_grant", *UPLOAD_TABLES, "short_link", *ROUND_TABLES, *REMINDER_TABLES]),
    ],
    ids=["0001", "0002", "0003", "0004", "0005", "0006"],
)
def test_store_made_before_migrations_is_adopted(
    blank_engine: Engine, made_by: str, added_later: list[str]
) -> None:
    # How stores used to be made: the tables of that time without Alembic's version table
    # (the revision that made them, then its record removed).
    schema.upgrade(blank_engine, made_by)
    with blank_engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE alembic_version")
    assert set(inspect(blank_engine).get_table_names()) == {*REVISION_ONE_TABLES, *added_later}
    with session_scope(blank_engine) as session:
        seed_reference(session)
        session.add(
            Partnership(
                slug="p",
                name="P",
                short_name="P",
                kind="regional",
                ecosystem_id=1,
                launch_date=date(2022, 1, 1),
            )
        )
    before = table_fingerprints(blank_engine, REVISION_ONE_TABLES)

    create_schema(blank_engine)

    with blank_engine.connect() as connection:
        assert schema.current_revision(connection) == schema.head_revision()
    assert table_fingerprints(blank_engine, REVISION_ONE_TABLES) == before
    assert schema_diff(blank_engine) == []


def test_create_schema_on_a_store_at_head_changes_nothing(blank_engine: Engine) -> None:
    create_schema(blank_engine)
    with blank_engine.connect() as connection:
        assert schema.migrate(connection) is False  # nothing left to run
    create_schema(blank_engine)
    with Session(blank_engine) as session:
        assert session.scalar(select(func.count()).select_from(Ecosystem)) == 14


def test_replicas_starting_together_migrate_and_seed_once(blank_engine: Engine) -> None:
    url = blank_engine.url.render_as_string(hide_password=False)
    engines = [make_engine(url) for _ in range(4)]
    errors: list[BaseException] = []
    start = threading.Barrier(len(engines))

    def boot(engine: Engine) -> None:
        try:
            start.wait()
            create_schema(engine)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=boot, args=(e,)) for e in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    with Session(blank_engine) as session:
        assert session.scalar(select(func.count()).select_from(Ecosystem)) == 14
    with blank_engine.connect() as connection:
        versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert [v for (v,) in versions] == [schema.head_revision()]
