"""Browser tier, behind nginx (deploy/nginx, Debian's nginx run without root): every response,
pages and static files and errors, carries the security headers exactly once; the audience
routes keep their own stricter policy; and pages drawn through nginx work under its policy
(charts and the map drawn, a download saved, the audience view live) with no violation.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import streamlit

from tests.browser.conftest import SCREENSHOTS

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
    html = STREAMLIT_INDEX.read_text(encoding="utf-8")
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
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
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=90_000
        )
        page.wait_for_timeout(1_500)
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
