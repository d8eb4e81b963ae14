"""Two replicas on one database: a write through the loader command shows on both.

Two `streamlit run dashboard.py` processes share one store (PostgreSQL in the PostgreSQL pass,
an SQLite file otherwise). Chromium reads the Overview's KPI tiles from each. After the stress
loader command replaces the data, a new session on either replica, started once the data
version has been re-read (every two seconds), shows the new figures: the caches key on the
data version, so nothing is restarted and no cache is turned off.
"""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import REPO, _require_chromium, running_dashboard
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.browser

VERSION_RECHECK_S = 2.0  # ui.data.dataset() re-reads the data version at most this often


def replica(database_url: str, log_dir: Path, name: str) -> AbstractContextManager[str]:
    """A `streamlit run dashboard.py` process on the store (never seeding it); yields its URL."""
    return running_dashboard(database_url, log_dir / f"{name}.log", {"PACT_SEED_DEMO": "0"})


def kpis(browser: Any, url: str) -> list[str]:
    """The Overview's KPI values as a new session on the replica shows them."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function(  # all six tiles drawn and the script finished
            "() => document.querySelectorAll('[data-testid=\"stMetricValue\"]').length >= 6"
            " && !document.querySelector('[data-testid=\"stStatusWidget\"]')",
            timeout=90_000,
        )
        page.wait_for_timeout(1_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        values: list[str] = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
        return values
    finally:
        context.close()


def load(command: list[str], database_url: str) -> None:
    """Run a loader command against the store."""
    subprocess.run(
        [sys.executable, "-m", *command, "--database-url", database_url, "--replace"],
        cwd=REPO, check=True, capture_output=True, timeout=300,
    )  # fmt: skip


@pytest.fixture()
def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database both replicas use: PostgreSQL in that pass, else an SQLite file."""
    if ON_POSTGRES:
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    load(["fixtures.load_demo"], url)
    return url


def test_a_write_shows_on_both_replicas(shared_store: str, browser: Any, tmp_path: Path) -> None:
    _require_chromium()
    with ExitStack() as stack:
        urls = [stack.enter_context(replica(shared_store, tmp_path, n)) for n in ("a", "b")]
        before = [kpis(browser, url) for url in urls]
        assert before[0] == before[1] and len(before[0]) == 6

        started = time.monotonic()
        load(["fixtures.stress", "--organisations", "400", "--outcomes", "3000"], shared_store)
        committed = time.monotonic()
        time.sleep(VERSION_RECHECK_S + 0.5)  # the replicas' version check comes round

        asked = time.monotonic()
        after = [kpis(browser, url) for url in urls]
        print(
            f"the load took {committed - started:.1f} s; sessions opened on both replicas "
            f"{asked - committed:.1f} s after its commit show the new figures"
        )
        assert after[0] == after[1], "the replicas disagree after the write"
        assert after[0] != before[0], "a replica still shows the data from before the write"
