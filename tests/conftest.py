"""Shared test fixtures: the demo Pact in memory, an in-memory store seeded with it, and AppTest.

The database under test is SQLite unless TEST_DATABASE_URL names another (PostgreSQL in CI).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import create_schema, make_engine
from fixtures.demo import DemoPact, build_demo_pact
from fixtures.load_demo import load_demo
from tests.expected import Expected

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_pact() -> DemoPact:
    """The demo dataset as plain Python rows (what expectations are computed from)."""
    return build_demo_pact()


@pytest.fixture(scope="session")
def expected(demo_pact: DemoPact) -> Expected:
    """Independent calculator over the demo rows."""
    return Expected(demo_pact)


@pytest.fixture(scope="session")
def demo_engine() -> Engine:
    """An in-memory SQLite store seeded with the demo Pact."""
    engine = make_engine("sqlite://")
    load_demo(engine)
    return engine


@pytest.fixture()
def session(demo_engine: Engine) -> Iterator[Session]:
    """A session on the seeded in-memory store."""
    with Session(demo_engine) as s:
        yield s


@pytest.fixture()
def empty_engine() -> Engine:
    """A fresh in-memory store with the schema and reference lists only."""
    engine = make_engine("sqlite://")  # in memory, StaticPool, foreign keys enforced
    create_schema(engine)
    return engine


@pytest.fixture(scope="session")
def app_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database seeded once for the page tests (file SQLite, or TEST_DATABASE_URL)."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'pact.sqlite3'}"
    load_demo(make_engine(url), replace=True)
    return url


@pytest.fixture()
def run_page(app_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    """Run dashboard.py on a page with the given URL parameters and return the AppTest."""
    monkeypatch.setenv("DATABASE_URL", app_database_url)
    monkeypatch.chdir(REPO)

    def run(page: str = "pages/overview.py", **params: str) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        for name, value in params.items():
            at.query_params[name] = value
        at.switch_page(page)
        at.run()
        return at

    return run
