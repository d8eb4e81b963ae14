"""Two replicas on one database, directly and behind nginx (deploy/nginx).

Two `streamlit run dashboard.py` processes share one store (PostgreSQL in the PostgreSQL pass,
an SQLite file otherwise). Chromium reads the Overview's KPI tiles from each. After the stress
loader command replaces the data, a new session on either replica, started once the data
version has been re-read (every two seconds), shows the new figures: the caches key on the
data version, so nothing is restarted and no cache is turned off.

Behind nginx: a short link made on one replica resolves on the other, directly and through
nginx; and during an event (a presenter, phones polling the audience view) one replica is
killed: no phone sees a failure, and the presenter's page, reloaded, shows the same deck.
"""

from __future__ import annotations

import http.client
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from tests.browser.conftest import (
    REPO,
    SCREENSHOTS,
    SERVER_PIDS,
    _require_chromium,
    _require_nginx,
    running_dashboard,
    running_nginx,
)
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


# -- behind nginx ------------------------------------------------------------------------
DECK = "eco=health&slides=numbers,map,share"


@dataclass(frozen=True)
class Proxied:
    """nginx's URL and the replicas behind it."""

    url: str
    replicas: list[str]


@pytest.fixture()
def proxied(shared_store: str, tmp_path: Path) -> Iterator[Proxied]:
    """Two replicas on the shared store with nginx in front of them."""
    _require_chromium()
    _require_nginx()
    with ExitStack() as stack:
        urls = [stack.enter_context(replica(shared_store, tmp_path, n)) for n in ("a", "b")]
        nginx = stack.enter_context(running_nginx(urls, tmp_path / "nginx"))
        yield Proxied(nginx, urls)


def _get(url: str, headers: dict[str, str] | None = None) -> http.client.HTTPResponse:
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""),
                       headers=headers or {})  # fmt: skip
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _short_code(browser: Any, url: str) -> str:
    """The short code the Present page at this URL shows (stored by the replica serving it)."""
    presenter = browser.new_page(viewport={"width": 1600, "height": 900})
    try:
        presenter.goto(url, wait_until="domcontentloaded")
        presenter.wait_for_selector("#slide-share .short a", state="attached", timeout=90_000)
        href = presenter.locator("#slide-share .short a").get_attribute("href")
    finally:
        presenter.close()
    assert href is not None and "/s/" in href
    return href.split("/s/", 1)[1]


def test_a_short_link_made_on_one_replica_resolves_everywhere(
    proxied: Proxied, browser: Any
) -> None:
    code = _short_code(browser, f"{proxied.replicas[0]}/present?{DECK}")  # on replica a only
    for base in [*proxied.replicas, *[proxied.url] * 8]:  # round robin: each replica, often
        response = _get(f"{base}/s/{code}")
        assert response.status == 302, (base, response.status)
        assert unquote(response.headers["Location"]) == f"/live?{DECK}"


class Phones:
    """Phones polling the audience view through nginx, as live.js does (page and feed, with
    their ETags), until stopped; every answer is kept."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._stop = threading.Event()
        self.answers: list[tuple[str, int | str]] = []
        self._threads = [threading.Thread(target=self._poll, daemon=True) for _ in range(3)]

    def __enter__(self) -> Phones:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _poll(self) -> None:
        tags: dict[str, str] = {}
        while not self._stop.is_set():
            for path in (f"/live?{DECK}", f"/live/feed.json?{DECK}"):
                try:
                    headers = {"If-None-Match": tags[path]} if path in tags else {}
                    response = _get(f"{self._url}{path}", headers)
                    tags[path] = response.headers.get("ETag") or tags.get(path, "")
                    answer: int | str = response.status
                except OSError as error:
                    answer = repr(error)
                self.answers.append((path, answer))
            time.sleep(0.05)

    def count(self) -> int:
        return len(self.answers)


OFFLINE_WATCH = """
window.__offline = 0;
new MutationObserver(() => {
  const status = document.querySelector('#status');
  if (status && status.classList.contains('offline')) { window.__offline += 1; }
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['class']});
"""


def test_the_event_goes_on_when_a_replica_is_killed(proxied: Proxied, browser: Any) -> None:
    presenter = browser.new_page(viewport={"width": 1600, "height": 900})
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone_context.add_init_script(OFFLINE_WATCH)
    phone = phone_context.new_page()
    try:
        presenter.goto(f"{proxied.url}/present?{DECK}", wait_until="domcontentloaded")
        presenter.wait_for_selector(".pact-deck.stage .slide", timeout=90_000)
        slides = presenter.eval_on_selector_all(".pact-deck.stage .slide", "s => s.map(e => e.id)")
        assert slides == ["slide-numbers", "slide-map", "slide-share"]
        short = presenter.locator("#slide-share .short a").get_attribute("href")
        assert short is not None and short.startswith(f"{proxied.url}/s/")
        phone.goto(short)
        phone.wait_for_function(
            "() => document.querySelector('#status').textContent.includes('checked at')",
            timeout=30_000,
        )
        with Phones(proxied.url) as phones:
            while phones.count() < 40:  # the phones are polling through nginx
                time.sleep(0.1)
            os.kill(SERVER_PIDS[proxied.replicas[0]], signal.SIGKILL)  # mid-event
            killed_at = phones.count()
            before = phone.locator("#status").inner_text()
            for _ in range(2):  # the phone in Chromium checks the feed twice more
                phone.wait_for_function(
                    "previous => { const t = document.querySelector('#status').textContent;"
                    " return t.includes('checked at') && t !== previous; }",
                    arg=before,
                    timeout=30_000,
                )
                before = phone.locator("#status").inner_text()
            while phones.count() < killed_at + 200:  # and the other phones ask on and on
                time.sleep(0.1)
        failed = [answer for answer in phones.answers if answer[1] not in (200, 304)]
        assert not failed, f"{len(failed)} of {len(phones.answers)} failed: {failed[:5]}"
        assert phone.evaluate("() => window.__offline") == 0
        assert _get(short).status == 302  # the survivor resolves the code from the store

        presenter.reload(wait_until="domcontentloaded")  # the same deck, from its URL alone
        presenter.wait_for_selector(".pact-deck.stage .slide", timeout=90_000)
        again = presenter.eval_on_selector_all(".pact-deck.stage .slide", "s => s.map(e => e.id)")
        assert again == slides
        assert presenter.locator("#slide-share .short a").get_attribute("href") == short
        assert unquote(urlparse(presenter.url).query).startswith(DECK)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        presenter.screenshot(path=str(SCREENSHOTS / "replicas-presenter-reloaded.png"))
    finally:
        presenter.close()
        phone_context.close()
