"""Browser tier, behind nginx (deploy/nginx, Debian's nginx run without root): every response,
pages and static files and errors, carries the security headers exactly once; the audience
routes keep their own stricter policy; and pages drawn through nginx work under its policy
(charts and the map drawn, a download saved, the audience view live, sign-in through a
local OpenID Connect provider and back) with no violation.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import http.client
import os
import re
import secrets
from collections.abc import Iterator
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import streamlit

from tests.browser.conftest import SCREENSHOTS, _free_port, running_nginx
from tests.browser.settle import settle

pytestmark = pytest.mark.browser

STREAMLIT_INDEX = Path(streamlit.__path__[0]) / "static" / "index.html"
FIXED = {"X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer",
         "X-Content-Type-Options": "nosniff"}  # fmt: skip
CHART_PAGES = ["", "growth", "gender", "skills", "partnerships", "profile", "map"]
# Records every policy violation the page reports (console messages can be missed).
VIOLATIONS_JS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  e.violatedDirective + ' blocked ' + e.blockedURI + ' in ' + e.sourceFile + ':' + e.lineNumber));
"""


def _get(url: str) -> tuple[int, Message, bytes]:
    """A GET of the URL's path sent as written (nginx's own errors need a raw path)."""
    parts = urlparse(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={"Accept-Encoding": "identity"})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def _policy(headers: Message, where: str) -> dict[str, str]:
    """The CSP as directive -> sources, after checking that each header is there once."""
    for name, value in FIXED.items():
        assert headers.get_all(name) == [value], (where, name, headers.get_all(name))
    policies = headers.get_all("Content-Security-Policy") or []
    assert len(policies) == 1, (where, policies)
    parts = [part.strip().split(" ", 1) for part in policies[0].split(";")]
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def _inline_script_hashes() -> list[str]:
    """Streamlit's inline script of index.html, the dashboard's script that sets <html lang>
    (ui/language.py), and the two of ui/preload.py: the one that starts Plotly's code early
    and the one that says where the server is."""
    from ui.language import LANG_SCRIPT
    from ui.preload import BASE_SCRIPT, START_SCRIPT

    html = STREAMLIT_INDEX.read_text(encoding="utf-8")
    scripts = [*re.findall(r"<script>(.*?)</script>", html, flags=re.S), LANG_SCRIPT, START_SCRIPT]
    scripts.append(BASE_SCRIPT)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in scripts
    ]


def test_pages_static_files_and_errors_carry_the_headers_once(proxied_url: str) -> None:
    status, headers, body = _get(f"{proxied_url}/")
    assert status == 200
    script = re.search(rb'src="\./(static/js/index\.[^"]+\.js)"', body)
    assert script is not None
    seen = {"/": (status, headers)}
    for path in ["/growth?eco=health", f"/{script.group(1).decode()}", "/favicon.png",
                 "/app/static/geo/europe_countries.geojson", "/_stcore/health",
                 "/app/static/no-such-file.txt", "/%"]:  # fmt: skip
        got = _get(f"{proxied_url}{path}")
        seen[path] = (got[0], got[1])
    statuses = {p: s for p, (s, _) in seen.items()}
    # a 404 from the app, and nginx's own error for a request it cannot parse
    assert statuses.pop("/app/static/no-such-file.txt") == 404 and statuses.pop("/%") == 400
    assert set(statuses.values()) == {200}, statuses
    for path, (_, response_headers) in seen.items():
        policy = _policy(response_headers, path)
        assert policy["frame-ancestors"] == "'none'"
        assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
        assert policy["connect-src"] == "'self'"
        assert "'unsafe-inline'" not in policy["script-src"]
        assert "'unsafe-eval'" not in policy["script-src"]
        assert set(_inline_script_hashes()) <= set(policy["script-src"].split())
    assert "pact_route=" in (headers.get("Set-Cookie") or "")  # the pages stick to a replica


def test_scripts_and_styles_cross_the_network_compressed(proxied_url: str) -> None:
    """Streamlit sends its code uncompressed; through nginx it comes gzipped to a browser
    that accepts it, byte for byte the same once unpacked."""
    from ui.preload import STATIC, lazy_imports

    index = STREAMLIT_INDEX.read_text(encoding="utf-8")
    entry = re.search(r'src="\./static/js/(index\.[\w-]+\.js)"', index)
    style = re.search(r'href="\./static/css/([\w.-]+\.css)"', index)
    assert entry is not None and style is not None
    plotly = lazy_imports((STATIC / "static" / "js" / entry.group(1)).read_text("utf-8"))
    files = [f"static/js/{plotly['PlotlyChart'][0]}", f"static/css/{style.group(1)}"]
    for file in files:
        parts = urlparse(f"{proxied_url}/{file}")
        connection = http.client.HTTPConnection(parts.netloc, timeout=30)
        try:
            connection.request("GET", parts.path, headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            packed = response.read()
            assert response.status == 200, file
            assert response.getheader("Content-Encoding") == "gzip", file
        finally:
            connection.close()
        original = (STATIC / file).read_bytes()
        assert gzip.decompress(packed) == original
        assert len(packed) < len(original) * 0.4, (file, len(packed), len(original))


def test_the_audience_routes_keep_their_own_policy_through_nginx(proxied_url: str) -> None:
    for path, expected in [("/live?eco=health", 200), ("/live/feed.json?eco=health", 200),
                           ("/s/zzzzzz", 404)]:  # fmt: skip
        status, headers, _ = _get(f"{proxied_url}{path}")
        assert status == expected, path
        policy = _policy(headers, path)
        assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
        assert "unsafe" not in headers["Content-Security-Policy"]
        assert headers.get("Set-Cookie") is None  # phones get no cookie


def _violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("() => window.__violations")
    return found


def _open(browser: Any, url: str, **options: Any) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(**options)
    context.add_init_script(VIOLATIONS_JS)
    page = context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda m: console.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(url, wait_until="domcontentloaded")
    return context, page, console


@pytest.mark.parametrize("path", CHART_PAGES)
def test_a_page_drawn_through_nginx_works_under_its_policy(
    proxied_url: str, browser: Any, path: str
) -> None:
    context, page, console = _open(
        browser,
        f"{proxied_url}/{path}?eco=health,digital",
        viewport={"width": 1440, "height": 1000},
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = SCREENSHOTS / f"nginx-{path or 'overview'}.png"
    try:
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
        settle(page, timeout_ms=90_000)
        charts = page.locator(".js-plotly-plot")
        for i in range(charts.count()):
            drawn = charts.nth(i).locator(
                ".main-svg .plot, .main-svg .treemaplayer, "
                ".main-svg .geolayer, .main-svg .scatterlayer"
            )
            assert drawn.count() >= 1, f"chart {i} on {path} has no drawn layer"
        if path == "map":  # the country outlines came through nginx and were drawn
            assert page.locator(".geolayer path, .choroplethlayer path").count() > 20
        assert page.locator('[data-testid="stException"]').count() == 0
        assert _violations(page) == [] and console == []
    finally:
        page.screenshot(path=str(shot))
        context.close()


@pytest.mark.parametrize(
    ("path", "drawn"),
    [("present?eco=health&slides=numbers,map,share", "#slide-map svg.map path"),
     ("data", '[data-testid="stMain"] h1')],
)  # fmt: skip
def test_the_present_and_data_pages_work_under_the_policy(
    proxied_url: str, browser: Any, path: str, drawn: str
) -> None:
    context, page, console = _open(
        browser, f"{proxied_url}/{path}", viewport={"width": 1440, "height": 1000}
    )
    try:
        page.wait_for_selector(drawn, state="attached", timeout=90_000)
        settle(page, timeout_ms=90_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert _violations(page) == [] and console == []
    finally:
        page.screenshot(path=str(SCREENSHOTS / f"nginx-{path.split('?')[0]}.png"))
        context.close()


def test_a_download_and_the_audience_view_work_through_nginx(
    proxied_url: str, browser: Any
) -> None:
    context, page, console = _open(
        browser, f"{proxied_url}/partnerships", viewport={"width": 1440, "height": 1000}
    )
    try:
        button = page.get_by_role("button", name="Download the table (CSV)")
        button.wait_for(timeout=90_000)
        with page.expect_download(timeout=30_000) as download:
            button.click()
        saved = download.value.path()
        assert saved is not None
        rows = Path(saved).read_text(encoding="utf-8").splitlines()
        assert len(rows) > 10 and "," in rows[0]  # a header and a row per partnership
        assert _violations(page) == [] and console == []
    finally:
        context.close()
    context, page, console = _open(
        browser, f"{proxied_url}/live?eco=health", viewport={"width": 390, "height": 844}
    )
    try:  # live.js runs (its hash is in the policy) and polls the feed through nginx
        page.wait_for_function(
            "() => document.querySelector('#status').textContent.includes('checked at')",
            timeout=30_000,
        )
        assert page.locator("#slide-numbers .tile").count() >= 5
        assert _violations(page) == [] and console == []
    finally:
        context.close()


# -- sign-in through nginx ---------------------------------------------------------------
@pytest.fixture(scope="module")
def proxied_sign_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A dashboard configured to sign in with a local OpenID Connect provider, behind nginx
    (the redirect URI names nginx); yields nginx's and the provider's URLs."""
    from tests.browser.test_sign_in import (
        PROVIDER_SCRIPT,
        _dashboard,
        _members,
        _require_node,
        _running,
    )
    from tests.test_roles import isolated_store

    node = _require_node()
    work = tmp_path_factory.mktemp("nginx_sign_in")
    app_port, provider_port, proxy_port = _free_port(), _free_port(), _free_port()
    proxy_url = f"http://127.0.0.1:{proxy_port}"
    provider_url = f"http://127.0.0.1:{provider_port}"
    redirect_uri = f"{proxy_url}/oauth2callback"
    client_secret = secrets.token_urlsafe(24)
    secrets_file = work / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{redirect_uri}"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "pact-dashboard"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
        'client_kwargs = { prompt = "login" }\n'
    )
    provider_env = {**os.environ, "OIDC_PORT": str(provider_port),
                    "OIDC_CLIENT_ID": "pact-dashboard", "OIDC_CLIENT_SECRET": client_secret,
                    "OIDC_REDIRECT_URI": redirect_uri}  # fmt: skip
    with isolated_store(work) as database_url:
        _members(database_url)  # the coordinator's grant
        with (
            _running([node, str(PROVIDER_SCRIPT)], cwd=PROVIDER_SCRIPT.parent,
                     env=provider_env, log=work / "provider.log",
                     ready_url=f"{provider_url}/.well-known/openid-configuration"),
            _dashboard(app_port, secrets_file=secrets_file,
                       env={"DATABASE_URL": database_url, "PACT_LOCAL_MODE": "off"},
                       log=work / "streamlit.log"),
            running_nginx([f"http://127.0.0.1:{app_port}"], work / "nginx", proxy_port),
        ):  # fmt: skip
            yield proxy_url, provider_url


def test_sign_in_redirects_and_returns_through_nginx(
    proxied_sign_in: tuple[str, str], browser: Any
) -> None:
    from tests.browser.test_sign_in import COORDINATOR, _keep_local

    proxy, provider = proxied_sign_in
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.route("**/*", _keep_local)
    context.add_init_script(VIOLATIONS_JS)
    page = context.new_page()
    try:
        page.goto(proxy, wait_until="domcontentloaded")
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_role("button", name="Sign in").click(timeout=90_000)
        page.wait_for_url(f"{provider}/interaction/**", timeout=30_000)
        page.fill('input[name="login"]', COORDINATOR)
        page.fill('input[name="password"]', "any password")
        page.get_by_role("button", name="Sign-in").click()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_url(
            lambda url: url.startswith(f"{proxy}/") and "/oauth2callback" not in url,
            timeout=30_000,
        )
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_text(f"Signed in as {COORDINATOR}").wait_for(timeout=90_000)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=90_000)
        assert _violations(page) == []
    except Exception:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "nginx-sign-in-failure.png"))
        raise
    finally:
        context.close()
