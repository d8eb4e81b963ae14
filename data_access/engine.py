"""Engine and session factory: the database comes from DATABASE_URL, SQLite file by default.

SQLite runs in WAL mode with a busy timeout and enforced foreign keys. Alembic owns the schema
(data_access.schema); create_schema upgrades a store to the newest revision and seeds the
reference lists, under a lock, so replicas starting together take turns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, create_engine

from data_access import models, reference, schema
from settings import get_settings

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE_PATH = REPO_ROOT / "var" / "pact.sqlite3"
SQLITE_BUSY_TIMEOUT_MS = 10_000


def database_url() -> str:
    """The configured database URL: DATABASE_URL, else the embedded SQLite file."""
    url = get_settings().database_url
    if url:
        return url
    DEFAULT_SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for a URL; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        in_memory = url in ("sqlite://", "sqlite:///:memory:")
        kwargs: dict[str, Any] = {
            "connect_args": {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        }
        if in_memory:
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _configure_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=4)
def engine_for(url: str) -> Engine:
    """One shared engine per URL for the process."""
    return make_engine(url)


def create_schema(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration and seed empty reference lists.

    Cheap on a store already at the head revision: one look at alembic_version and one count.
    """
    with schema.migrating(engine) as connection:
        if schema.migrate(connection):
            schema.check_foreign_keys(connection)
        with Session(bind=connection) as session:  # joins the migrating transaction
            if not session.scalar(select(func.count()).select_from(models.Ecosystem)):
                seed_reference(session)
                session.flush()


def seed_reference(session: Session) -> None:
    """Add the reference lists: ecosystems, countries, organisation types, skill areas."""
    for eco in reference.ECOSYSTEMS:
        session.add(models.Ecosystem(slug=eco.slug, name=eco.name, workforce=eco.workforce))
    for c in reference.COUNTRIES:
        session.add(models.Country(code=c.code, iso3=c.iso3, name=c.name, country_group=c.group))
    for code, label in reference.ORGANISATION_TYPES:
        session.add(models.OrganisationType(code=code, label=label))
    for code, label in reference.SKILL_AREAS:
        session.add(models.SkillArea(code=code, label=label))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    session = Session(engine)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
