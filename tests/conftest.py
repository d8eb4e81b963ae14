"""Shared test fixtures: the demo Pact in memory, an in-memory store seeded with it, and AppTest.

The database under test is SQLite unless TEST_DATABASE_URL names a PostgreSQL server: then
every engine fixture gets its own database there (scripts/run_tests.sh runs both passes).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import Caller, create_schema, make_engine
from fixtures.demo import DemoPact, build_demo_pact
from fixtures.load_demo import load_demo
from tests import pg
from tests.callers import OFFICER
from tests.expected import Expected

REPO = Path(__file__).resolve().parent.parent
# The PostgreSQL pass: TEST_DATABASE_URL names the server every engine fixture uses.
ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture(scope="session")
def demo_pact() -> DemoPact:
    """The demo dataset as plain Python rows (what expectations are computed from)."""
    return build_demo_pact()


@pytest.fixture(scope="session")
def expected(demo_pact: DemoPact) -> Expected:
    """Independent calculator over the demo rows."""
    return Expected(demo_pact)


@pytest.fixture(scope="session")
def postgres_databases() -> Iterator[pg.Databases]:
    """Throwaway PostgreSQL databases, dropped at the end. Outside CI the tests needing them
    skip, saying why, when no server answers; in CI they fail."""
    url = pg.server_url()
    reason = pg.unreachable_reason(url)
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL must be reachable in CI: {reason}")
        pytest.skip(reason)
    databases = pg.Databases(url)
    yield databases
    databases.close()


@pytest.fixture()
def postgres_url(postgres_databases: pg.Databases) -> str:
    """The URL of a new, empty PostgreSQL database (no schema), whatever the backend pass."""
    return postgres_databases.new("t")


def _new_store_url(request: pytest.FixtureRequest, tag: str) -> str:
    """A new empty database of the backend under test: in-memory SQLite or PostgreSQL."""
    if not ON_POSTGRES:
        return "sqlite://"
    databases: pg.Databases = request.getfixturevalue("postgres_databases")
    return databases.new(tag)


@pytest.fixture(scope="session")
def demo_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A store seeded with the demo Pact (in-memory SQLite, or its own PostgreSQL database)."""
    engine = make_engine(_new_store_url(request, "demo"))
    load_demo(engine)
    yield engine
    engine.dispose()


@pytest.fixture()
def session(demo_engine: Engine) -> Iterator[Session]:
    """A session on the seeded in-memory store."""
    with Session(demo_engine) as s:
        yield s


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite file seeded once with the demo Pact, for demo_store to copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    load_demo(engine)
    engine.dispose()
    return path


@pytest.fixture()
def demo_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A store of its own holding the demo Pact, to write to: a copy of demo_file (SQLite),
    or a new PostgreSQL database seeded with it."""
    if ON_POSTGRES:
        engine = make_engine(request.getfixturevalue("postgres_databases").new("store"))
        load_demo(engine)
    else:
        copy = tmp_path / "store.sqlite3"
        shutil.copyfile(request.getfixturevalue("demo_file"), copy)
        engine = make_engine(f"sqlite:///{copy}")
    yield engine
    engine.dispose()


@pytest.fixture()
def empty_engine(request: pytest.FixtureRequest) -> Iterator[Engine]:
    """A fresh store with the schema and reference lists only (in-memory SQLite with foreign
    keys enforced, or a new PostgreSQL database)."""
    engine = make_engine(_new_store_url(request, "empty"))
    create_schema(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A database seeded once for the page tests (file SQLite, or a PostgreSQL database)."""
    if ON_POSTGRES:
        url = request.getfixturevalue("postgres_databases").new("app")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine, replace=True)
    engine.dispose()
    return url


@pytest.fixture()
def run_page(app_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run dashboard.py on a page with the given URL parameters and return the AppTest.

    The page runs as `caller` (an officer unless given), injected through the auth seam
    that only tests switch on (PACT_TEST_IDENTITY_SEAM).
    """
    monkeypatch.setenv("DATABASE_URL", app_database_url)
    monkeypatch.setenv("PACT_TEST_IDENTITY_SEAM", "1")
    monkeypatch.chdir(REPO)

    def run(page: str = "pages/overview.py", *, caller: Caller = OFFICER, **params: str) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        at.session_state["pact_test_identity"] = caller
        for name, value in params.items():
            at.query_params[name] = value
        at.switch_page(page)
        at.run()
        return at

    return run
