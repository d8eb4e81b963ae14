"""Browser tier, sign-in end to end: a real OpenID Connect provider, a real dashboard, Chromium.

The test starts its own provider (oidc-provider on Node.js, tests/browser/js/oidc_provider.mjs)
and its own `streamlit run dashboard.py` configured to sign in with it, on a store where
coordinator@example.org coordinates one partnership. It signs in through the provider's login
form, sees that partnership's members, is refused another's, and signs out.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from sqlmodel import Session, select

from data_access import make_engine
from data_access.models import Membership, Organisation, Partnership, RoleGrant
from tests.browser.conftest import REPO, SCREENSHOTS, _free_port, _require_chromium
from tests.browser.settle import settle
from tests.test_roles import isolated_store

pytestmark = pytest.mark.browser

JS = REPO / "tests" / "browser" / "js"
PROVIDER_SCRIPT = JS / "oidc_provider.mjs"
COORDINATOR = "coordinator@example.org"
OWN, OTHER = "automotive", "tourism"
RESTRICTED = (
    "Member-level detail is available to the partnership's coordinators and to Commission officers."
)
PUBLIC_LINE = "Public view: aggregate figures only"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
WAIT_MS = 90_000  # generous: the suite shares a small machine with the other servers


@dataclass(frozen=True)
class SignInSetup:
    """The running dashboard and provider, and who the store says belongs where."""

    app_url: str
    provider_url: str
    own_members: frozenset[str]
    other_only_members: frozenset[str]


def _require_node() -> str:
    node = shutil.which("node")
    missing = None
    if node is None:
        missing = "Node.js (node) is not on the PATH"
    elif not (JS / "node_modules" / "oidc-provider").is_dir():
        missing = "oidc-provider is not installed: npm ci --prefix tests/browser/js"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the sign-in test needs {missing}")
        pytest.skip(f"the sign-in test needs {missing}")
    assert node is not None
    return node


@contextmanager
def _running(
    command: list[str], *, cwd: Path, env: dict[str, str], log: Path, ready_url: str
) -> Iterator[None]:
    """Run a server process until the block ends (always stopped, killed if it lingers)."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while not _answers(ready_url):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{command[0]} did not start; see {log}")
                time.sleep(0.3)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def _dashboard(
    port: int, *, secrets_file: Path, env: dict[str, str | None], log: Path
) -> AbstractContextManager[None]:
    """`streamlit run dashboard.py` on loopback, reading only the given secrets file; env
    adds variables (None: removes one)."""
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
               f"--server.port={port}", "--server.address=127.0.0.1",
               f"--secrets.files={secrets_file}"]  # fmt: skip
    merged = {**os.environ, "NO_PROXY": "127.0.0.1,localhost"}
    merged.pop("PACT_TEST_IDENTITY_SEAM", None)
    for name, value in env.items():
        if value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return _running(
        command,
        cwd=REPO,
        env=merged,
        log=log,
        ready_url=f"http://127.0.0.1:{port}/_stcore/health",
    )


def _members(url: str) -> tuple[frozenset[str], frozenset[str]]:
    """Seed the coordinator's grant; return member names of OWN and those only in OTHER."""
    engine = make_engine(url)
    with Session(engine) as session:
        own_id = session.exec(select(Partnership.id).where(Partnership.slug == OWN)).one()
        session.add(RoleGrant(email=COORDINATOR, role="coordinator", partnership_id=own_id))
        session.commit()
        names: dict[str, set[str]] = {OWN: set(), OTHER: set()}
        rows = session.exec(
            select(Partnership.slug, Organisation.name)
            .join(Membership, Membership.partnership_id == Partnership.id)  # type: ignore[arg-type]
            .join(Organisation, Organisation.id == Membership.organisation_id)  # type: ignore[arg-type]
            .where(Partnership.slug.in_([OWN, OTHER]))  # type: ignore[attr-defined]
        ).all()
    engine.dispose()
    for slug, name in rows:
        names[slug].add(name)
    return frozenset(names[OWN]), frozenset(names[OTHER] - names[OWN])


@pytest.fixture(scope="module")
def sign_in_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignInSetup]:
    """Provider and dashboard, both on loopback; both processes are always stopped."""
    _require_chromium()
    node = _require_node()
    work = tmp_path_factory.mktemp("sign_in")
    app_port, provider_port = _free_port(), _free_port()
    app_url = f"http://127.0.0.1:{app_port}"
    provider_url = f"http://127.0.0.1:{provider_port}"
    redirect_uri = f"{app_url}/oauth2callback"
    client_id, client_secret = "pact-dashboard", secrets.token_urlsafe(24)
    secrets_file = work / "secrets.toml"
    # prompt=login: Streamlit's default prompt=select_account is unknown to this provider.
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect_uri}"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{client_id}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
        'client_kwargs = { prompt = "login" }\n'
    )
    with isolated_store(work) as database_url:
        own, other_only = _members(database_url)
        provider_env = {
            **os.environ,
            "OIDC_PORT": str(provider_port),
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": client_secret,
            "OIDC_REDIRECT_URI": redirect_uri,
        }
        with (
            _running(
                [node, str(PROVIDER_SCRIPT)],
                cwd=JS,
                env=provider_env,
                log=work / "provider.log",
                ready_url=f"{provider_url}/.well-known/openid-configuration",
            ),
            _dashboard(
                app_port,
                secrets_file=secrets_file,
                env={"DATABASE_URL": database_url, "PACT_LOCAL_MODE": "off"},
                log=work / "streamlit.log",
            ),
        ):
            yield SignInSetup(app_url, provider_url, own, other_only)


@pytest.fixture(scope="module")
def local_app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard with no sign-in configured and local mode left on (the default)."""
    _require_chromium()
    work = tmp_path_factory.mktemp("local_mode")
    port = _free_port()
    with (
        isolated_store(work) as database_url,
        _dashboard(
            port,
            secrets_file=work / "no-secrets.toml",  # none: not even the developer's own
            env={"DATABASE_URL": database_url, "PACT_LOCAL_MODE": None},
            log=work / "streamlit.log",
        ),
    ):
        yield f"http://127.0.0.1:{port}"


def _failure_screenshot(page: Any, name: str) -> None:
    """Keep what the browser showed when a step failed (artifacts/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _back_at(app: str) -> Callable[[str], bool]:
    """Matches a URL of the app itself, past the /oauth2callback that redirects onwards."""
    return lambda url: url.startswith(f"{app}/") and "/oauth2callback" not in url


def _settle(page: Any) -> None:
    """Wait until the app has drawn and its script has finished."""
    page.wait_for_selector('[data-testid="stSidebar"]', timeout=WAIT_MS)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=WAIT_MS)
    settle(page, timeout_ms=WAIT_MS)


def _keep_local(route: Any) -> None:
    """The provider's stock pages import a web font; nothing may leave this machine."""
    host = urlparse(route.request.url).hostname or ""
    if host in LOCAL_HOSTS or host.startswith("127."):
        route.continue_()
    else:
        route.abort()


def _open_profile(page: Any, base: str, slug: str) -> str:
    page.goto(f"{base}/profile?p={slug}", wait_until="domcontentloaded")
    _settle(page)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stPlotlyChart"]', timeout=WAIT_MS)
    settle(page, timeout_ms=WAIT_MS)
    return _main_text(page)


def _main_text(page: Any) -> str:
    """All text of the page's main area, including the accessible copy of every table (the
    grid itself is drawn on a canvas)."""
    return str(page.locator('[data-testid="stMain"]').text_content())


def test_coordinator_signs_in_sees_own_members_only_and_signs_out(
    sign_in_setup: SignInSetup, browser: Any
) -> None:
    app, provider = sign_in_setup.app_url, sign_in_setup.provider_url
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.route("**/*", _keep_local)
    page = context.new_page()
    try:
        # Public first: a sign-in button, and no member detail.
        page.goto(app, wait_until="domcontentloaded")
        _settle(page)
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text(PUBLIC_LINE).count() == 1

        # Sign in through the provider's own login form and consent screen.
        sidebar.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{provider}/interaction/**", timeout=30_000)
        page.fill('input[name="login"]', COORDINATOR)
        page.fill('input[name="password"]', "any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(_back_at(app), timeout=30_000)
        _settle(page)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text(f"Signed in as {COORDINATOR}").wait_for(timeout=30_000)
        assert sidebar.get_by_text("Coordinator of Automotive").count() == 1

        # Own partnership: the member table.
        own_text = _open_profile(page, app, OWN)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "sign_in_own_profile.png"), full_page=True)
        assert "All members (" in own_text
        assert RESTRICTED not in own_text
        page.get_by_text("All members (").click()
        settle(page, timeout_ms=WAIT_MS)
        shown = [name for name in sign_in_setup.own_members if name in _main_text(page)]
        assert len(shown) >= 5, shown

        # Another partnership: aggregates only, no member names.
        other_text = _open_profile(page, app, OTHER)
        page.screenshot(path=str(SCREENSHOTS / "sign_in_other_profile.png"), full_page=True)
        assert RESTRICTED in other_text
        assert "All members (" not in other_text
        leaked = [name for name in sign_in_setup.other_only_members if name in other_text]
        assert not leaked, leaked[:5]

        # Sign out: through the provider's sign-out page, back to the public view.
        page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{provider}/session/end**", timeout=30_000)
        page.get_by_role("button", name="Yes, sign me out").click()
        page.wait_for_url(_back_at(app), timeout=30_000)
        _settle(page)
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text(PUBLIC_LINE).wait_for(timeout=30_000)
        assert sidebar.get_by_role("button", name="Sign in").count() == 1
        assert page.get_by_text(f"Signed in as {COORDINATOR}").count() == 0
        public_text = _open_profile(page, app, OWN)
        assert RESTRICTED in public_text
        assert "All members (" not in public_text
        assert page.locator('[data-testid="stException"]').count() == 0
    except Exception:
        _failure_screenshot(page, "sign_in_failure")
        raise
    finally:
        context.close()


def test_local_mode_gives_this_machine_full_rights_and_a_proxied_request_none(
    local_app_url: str, browser: Any
) -> None:
    app = local_app_url
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.route("**/*", _keep_local)
    page = context.new_page()
    try:
        page.goto(app, wait_until="domcontentloaded")
        _settle(page)
        assert page.get_by_text("Local mode: you have full rights").count() == 1
        more = page.get_by_test_id("stSidebarNavViewButton")  # a long menu is folded
        if more.count():
            more.click()
        page.get_by_test_id("stSidebar").get_by_text("Roles and access").wait_for(timeout=10_000)
        assert page.get_by_test_id("stSidebar").get_by_text("Roles and access").count() == 1
        page.goto(f"{app}/admin", wait_until="domcontentloaded")
        _settle(page)
        assert page.get_by_text("Who holds which role (0)").count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        context.close()

    # The same machine through a proxy: the forwarding header makes it a stranger.
    proxied = browser.new_context(
        viewport={"width": 1440, "height": 1000},
        extra_http_headers={"X-Forwarded-For": "203.0.113.9"},
    )
    proxied.route("**/*", _keep_local)
    page = proxied.new_page()
    try:
        page.goto(f"{app}/admin", wait_until="domcontentloaded")
        _settle(page)
        assert page.get_by_text("Only admins can see and change who holds which role.").count() == 1
        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text(PUBLIC_LINE).count() == 1
        assert sidebar.get_by_text("Roles and access").count() == 0
        assert page.get_by_text("Local mode: you have full rights").count() == 0
    finally:
        proxied.close()
