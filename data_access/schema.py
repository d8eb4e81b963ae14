"""Alembic owns the schema: bring any store to a revision (the head by default), safely.

A store created before migrations existed (its tables made by `create_all`, no
`alembic_version`) is first stamped at the revision it matches. Processes starting together
take turns: PostgreSQL through an advisory lock held by the migrating transaction, SQLite
files through a lock file beside the database.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext, RevisionStep
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from data_access import models, reminder_models

REPO_ROOT = Path(__file__).resolve().parent.parent
ALEMBIC_INI = REPO_ROOT / "alembic.ini"
MIGRATIONS_DIR = REPO_ROOT / "migrations"

FIRST_REVISION = "0001"  # everything up to outcome reports and dataset_info
ROLE_GRANT_REVISION = "0002"  # adds role_grant
UPLOAD_REVISION = "0003"  # adds upload_batch, upload_batch_partnership, upload_change
DIRECTORY_REVISION = "0004"  # adds organisation.listed and .record_key, and short_link
ROUNDS_REVISION = "0005"  # adds reporting_round, round_partnership, round_move
REMINDERS_REVISION = "0006"  # adds reminder, reminder_delivery, mail_language
# Any fixed number: every process migrating a PostgreSQL database takes this lock first.
PG_MIGRATION_LOCK = 0x5041_4354_0005


@lru_cache(maxsize=1)
def alembic_config() -> Config:
    """The project's Alembic configuration (alembic.ini, migrations/)."""
    config = Config(str(ALEMBIC_INI))
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


@lru_cache(maxsize=1)
def script_directory() -> ScriptDirectory:
    """The revisions, read once per process."""
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest revision."""
    head = script_directory().get_current_head()
    if head is None:
        raise RuntimeError(f"no migrations found in {MIGRATIONS_DIR}")
    return head


def context_options() -> dict[str, Any]:
    """How migrations run, for the app and the `alembic` command alike."""
    return {
        "target_metadata": SQLModel.metadata,
        "render_as_batch": True,  # SQLite alters tables by copying them
        "compare_type": True,
    }


def current_revision(connection: Connection) -> str | None:
    """The revision a store is at (None when Alembic has never touched it)."""
    return MigrationContext.configure(connection).get_current_revision()


def adopt_existing(connection: Connection) -> str | None:
    """Stamp a store made by create_all before migrations existed with the revision it
    matches; returns that revision (None when the store is empty or already versioned)."""
    if current_revision(connection) is not None:
        return None
    tables = set(inspect(connection).get_table_names())
    if models.Partnership.__tablename__ not in tables:
        return None
    if reminder_models.Reminder.__tablename__ in tables:
        revision = REMINDERS_REVISION
    elif models.ReportingRound.__tablename__ in tables:
        revision = ROUNDS_REVISION
    elif models.ShortLink.__tablename__ in tables:
        revision = DIRECTORY_REVISION
    elif models.UploadBatch.__tablename__ in tables:
        revision = UPLOAD_REVISION
    elif models.RoleGrant.__tablename__ in tables:
        revision = ROLE_GRANT_REVISION
    else:
        revision = FIRST_REVISION
    MigrationContext.configure(connection).stamp(script_directory(), revision)
    return revision


def migrate(connection: Connection, revision: str = "head") -> bool:
    """Upgrade the store on this connection to a revision; True if anything ran or was stamped.

    The caller holds the transaction and, where other processes may migrate too, the lock:
    use `migrating(engine)`, or `upgrade(engine)` which does both.
    """
    script = script_directory()
    target = head_revision() if revision == "head" else revision
    if current_revision(connection) == target:
        return False
    adopted = adopt_existing(connection)
    if adopted == target:
        return True

    def steps(rev: Any, _context: MigrationContext) -> list[RevisionStep]:
        return script._upgrade_revs(target, rev)  # Alembic's own planner, as `alembic upgrade`

    with EnvironmentContext(alembic_config(), script, fn=steps) as env:
        env.configure(connection=connection, **context_options())
        with env.begin_transaction():
            env.run_migrations()
    return True


def check_foreign_keys(connection: Connection) -> None:
    """Raise if rows reference missing rows (SQLite migrations run with the check off)."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left rows with broken references: {broken[:5]}")


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def migrating(engine: Engine) -> Iterator[Connection]:
    """A transaction that no other process migrating the same store runs alongside.

    On SQLite, foreign keys are off meanwhile, as batch migrations copy and drop tables.
    """
    with _sqlite_file_lock(engine), engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_MIGRATION_LOCK}
                    )
                yield connection
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Upgrade the store to a revision (the head by default); True if any migration ran.

    Downgrades are deliberate acts: `.venv/bin/alembic downgrade <revision>` (or `downgrade`).
    """
    with migrating(engine) as connection:
        changed = migrate(connection, revision)
        if changed:
            check_foreign_keys(connection)
        return changed


def downgrade(engine: Engine, revision: str) -> None:
    """Take the store down to an earlier revision, as `alembic downgrade` does (tests use it
    to make stores of an earlier revision that hold data)."""
    script = script_directory()

    def steps(rev: Any, _context: MigrationContext) -> list[RevisionStep]:
        return script._downgrade_revs(revision, rev)

    with migrating(engine) as connection:
        with EnvironmentContext(alembic_config(), script, fn=steps) as env:
            env.configure(connection=connection, **context_options())
            with env.begin_transaction():
                env.run_migrations()
        check_foreign_keys(connection)
