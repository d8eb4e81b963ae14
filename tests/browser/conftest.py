"""Browser-suite fixtures: a real `streamlit run dashboard.py` on loopback, Debian's Chromium,
and Debian's nginx in front of one or more dashboards (deploy/nginx, run without root).

Outside CI the suite skips, saying why, when Chromium or nginx is not installed; in CI it fails
instead.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
NGINX = "/usr/sbin/nginx"
NGINX_CONFIG = REPO / "deploy" / "nginx"
SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# What the browser draws does not depend on the database behind it: these modules run in the
# SQLite pass only. The store-bound ones (replicas on one database, sign-in with role grants,
# uploads and undo) run in the PostgreSQL pass too; every page also runs there through AppTest.
# A whole reporting round in Chromium (a minute) runs once: its moves, locks and published
# figures run on PostgreSQL through tests/test_rounds.py, test_round_locks.py, the property-
# based test_rounds_stateful.py and the Rounds page's AppTest tests.
SQLITE_PASS_ONLY = frozenset(
    {
        "test_accessibility.py",
        "test_crafted_links.py",
        "test_export_html.py",
        "test_languages.py",
        "test_nginx.py",
        "test_pages_in_browser.py",
        "test_present.py",
        "test_round.py",
    }
)
SERVER_LOGS: dict[str, Path] = {}  # each running dashboard's URL -> its log file
SERVER_PIDS: dict[str, int] = {}  # ... and its process


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In the PostgreSQL pass (TEST_DATABASE_URL set), leave out the modules that only test
    what the browser draws (SQLITE_PASS_ONLY): they ran in the SQLite pass."""
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    kept = [item for item in items if item.path.name not in SQLITE_PASS_ONLY]
    left_out = [item for item in items if item.path.name in SQLITE_PASS_ONLY]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def server_log_tail(url: str, lines: int = 40) -> str:
    """The end of a running dashboard's log, for a failure message, and what each of its
    threads is doing when py-spy is installed."""
    path = SERVER_LOGS.get(url)
    if path is None or not path.exists():
        return "(no server log)"
    text = "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if url in SERVER_PIDS and Path(spy).exists():
        dump = subprocess.run(
            [spy, "dump", "--pid", str(SERVER_PIDS[url])], capture_output=True, text=True
        )
        text += "\n--- threads (py-spy) ---\n" + dump.stdout + dump.stderr
    return text


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing in CI: install Debian's chromium package")
    pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")


def _require_nginx() -> None:
    if Path(NGINX).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{NGINX} is missing in CI: install Debian's nginx package")
    pytest.skip(f"the proxy tests need Debian's nginx at {NGINX} (apt-get install nginx)")


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"{what} did not start; see {log}")
        time.sleep(0.2)


def nginx_config(listen: str, replicas: list[str]) -> str:
    """deploy/nginx/pact.conf.template with its placeholders filled."""
    servers = "\n    ".join(
        f"server {urlparse(url).netloc} max_fails=1 fail_timeout=10s;" for url in replicas
    )
    template = (NGINX_CONFIG / "pact.conf.template").read_text()
    return template.replace("@@LISTEN@@", listen).replace("@@REPLICAS@@", servers)


@contextmanager
def running_nginx(replicas: list[str], prefix: Path, port: int | None = None) -> Iterator[str]:
    """Debian's nginx, as the user running the tests, with deploy/nginx's configuration in
    front of the dashboards at these URLs, on this port (else a free one); all it writes
    stays under prefix. Yields its URL."""
    _require_nginx()
    port = port or _free_port()
    for folder in ("conf", "logs", "tmp"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    shutil.copy(NGINX_CONFIG / "nginx.conf", prefix / "conf" / "nginx.conf")
    (prefix / "conf" / "pact.conf").write_text(nginx_config(f"127.0.0.1:{port}", replicas))
    command = [NGINX, "-p", f"{prefix}/", "-c", str(prefix / "conf" / "nginx.conf"),
               "-e", str(prefix / "logs" / "error.log")]  # fmt: skip
    directives = "daemon off;"
    if os.geteuid() == 0:  # else nginx's workers run as nobody, who cannot write under prefix
        directives += " user root;"
    command += ["-g", directives]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx refuses the configuration:\n{checked.stderr}")
    log = prefix / "logs" / "nginx.out"
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, "nginx", prefix / "logs" / "error.log")
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()  # the master stops its workers
        process.wait(timeout=20)


@contextmanager
def running_dashboard(
    database_url: str, log_path: Path, extra_env: dict[str, str] | None = None
) -> Iterator[str]:
    """`streamlit run dashboard.py` on a free loopback port and this database; yields its URL."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    SERVER_LOGS[url] = log_path
    SERVER_PIDS[url] = server.pid
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"streamlit did not start; see {log.name}")
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start the dashboard on a fresh database (seeded by the app itself) and yield its URL."""
    _require_chromium()
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('browser') / 'pact.sqlite3'}"
    )
    with running_dashboard(url, tmp_path_factory.mktemp("server") / "streamlit.log") as app:
        yield app


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright."""
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def proxied_url(app_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """nginx (deploy/nginx) in front of the session's dashboard; yields nginx's URL."""
    with running_nginx([app_url], tmp_path_factory.mktemp("nginx")) as url:
        yield url
