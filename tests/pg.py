"""PostgreSQL for the tests: is a server reachable, and throwaway databases on it.

Each test process creates its own databases (named after the xdist worker and process id, so
concurrent runs on one server never meet) and drops them when it ends.

Also a small command for scripts/run_tests.sh:
    python -m tests.pg check URL      exit 0 when the server answers
    python -m tests.pg create URL     print the URL of a new empty database on that server
    python -m tests.pg drop URL       drop the database the URL names
"""

from __future__ import annotations

import itertools
import os
import sys

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine, make_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def server_url() -> str:
    """The PostgreSQL the tests use: TEST_DATABASE_URL (the PostgreSQL pass), TEST_POSTGRES_URL,
    or the local default."""
    return os.environ.get("TEST_DATABASE_URL") or os.environ.get("TEST_POSTGRES_URL") or DEFAULT_URL


def unreachable_reason(url: str) -> str | None:
    """None when a PostgreSQL server answers at url, else why not."""
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except Exception as exc:  # any failure to connect is a reason to skip
        return f"no PostgreSQL reachable at {make_url(url).render_as_string()}: {exc}".strip()
    finally:
        engine.dispose()
    return None


def _admin(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT")


def create_database(url: str, name: str) -> str:
    """Create an empty database on the server of url; return its URL."""
    admin = _admin(url)
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        admin.dispose()
    new: URL = make_url(url).set(database=name)
    return new.render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database url names, closing its connections first."""
    target = make_url(url)
    admin = _admin(target.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
    finally:
        admin.dispose()


class Databases:
    """Throwaway databases for one test process, all dropped by close()."""

    def __init__(self, url: str) -> None:
        self.url = url
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.prefix = f"pact_test_{worker}_{os.getpid()}"
        self.counter = itertools.count(1)
        self.created: list[str] = []

    def new(self, tag: str = "db") -> str:
        """The URL of a new empty database."""
        url = create_database(self.url, f"{self.prefix}_{tag}_{next(self.counter)}")
        self.created.append(url)
        return url

    def close(self) -> None:
        """Drop every database made here."""
        for url in self.created:
            drop_database(url)
        self.created.clear()


def main(argv: list[str]) -> int:
    """Command line for scripts/run_tests.sh."""
    if len(argv) != 2 or argv[0] not in ("check", "create", "drop"):
        print(__doc__, file=sys.stderr)
        return 2
    command, url = argv
    if command == "check":
        reason = unreachable_reason(url)
        if reason:
            print(reason, file=sys.stderr)
        return 0 if reason is None else 1
    if command == "create":
        print(create_database(url, f"pact_run_{os.getpid()}"))
        return 0
    drop_database(url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
