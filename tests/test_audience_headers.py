"""The audience routes' security headers: every response (pages, feeds, redirects, 304s and
errors) carries a strict Content-Security-Policy, no framing, no Referer and no sniffing, and
the policy admits exactly the inline stylesheet and script the pages carry."""

from __future__ import annotations

import base64
import hashlib
import re
import warnings
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette

import presenter.live as live_module
from presenter import links
from presenter.live import LiveService
from presenter.routes import audience_routes

with warnings.catch_warnings():  # Starlette would rather have httpx2; httpx works the same
    warnings.simplefilter("ignore")
    from httpx import Response
    from starlette.testclient import TestClient

FIXED = {
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
}


@pytest.fixture()
def live(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> LiveService:
    service = LiveService(lambda: demo_engine)
    monkeypatch.setattr(live_module, "_service", service)
    monkeypatch.setattr(links, "STORE", lambda: demo_engine)
    return service


@pytest.fixture()
def client(live: LiveService) -> Iterator[TestClient]:
    app = Starlette(routes=audience_routes())
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _policy(response: Response) -> dict[str, str]:
    """The response's CSP as directive -> sources, after checking the fixed headers."""
    for name, value in FIXED.items():
        assert response.headers.get(name) == value, (name, response.status_code)
    policy = response.headers.get("content-security-policy")
    assert policy, f"no Content-Security-Policy on a {response.status_code}"
    directives = [part.strip().split(" ", 1) for part in policy.split(";")]
    return {d[0]: (d[1] if len(d) > 1 else "") for d in directives}


def _assert_strict(response: Response) -> None:
    policy = _policy(response)
    assert policy["default-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["img-src"] == "data:"
    assert policy["connect-src"] == "'self'"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    for directive in ("script-src", "style-src"):
        assert re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", policy[directive]), policy[directive]
    assert "unsafe" not in response.headers["content-security-policy"]


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_kind_of_response_carries_the_headers(
    client: TestClient, live: LiveService, monkeypatch: pytest.MonkeyPatch
) -> None:
    links.short_code("eco=health")  # the Present page stores its deck's short code
    page = client.get("/live?eco=health", headers={"Accept-Encoding": "gzip"})
    feed = client.get("/live/feed.json?eco=health")
    code = page.text.split("/s/", 1)[1].split('"', 1)[0]
    responses = {
        "page": page,
        "page 304": client.get("/live?eco=health", headers={"If-None-Match": page.headers["etag"]}),
        "feed": feed,
        "feed 304": client.get(
            "/live/feed.json?eco=health", headers={"If-None-Match": feed.headers["etag"]}
        ),
        "head": client.head("/live?eco=health"),
        "short link": client.get(f"/s/{code}", follow_redirects=False),
        "unknown short link": client.get("/s/qqqqqq"),
        "too long": client.get("/live?eco=" + "x" * 5_000),
        "wrong method": client.post("/live/feed.json"),
    }
    expected = {"page": 200, "page 304": 304, "feed": 200, "feed 304": 304, "head": 200,
                "short link": 302, "unknown short link": 404, "too long": 414,
                "wrong method": 405}  # fmt: skip
    assert {name: r.status_code for name, r in responses.items()} == expected
    for response in responses.values():
        _assert_strict(response)

    async def broken(query: str, base_url: str) -> None:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(live, "aview", broken)
    failed = client.get("/live?eco=digital")
    assert failed.status_code == 500
    assert "Error id:" in failed.text and "the store went away" not in failed.text
    _assert_strict(failed)


def test_the_policy_admits_exactly_the_inline_style_and_script(client: TestClient) -> None:
    for response in (client.get("/live?slides=numbers,growth,map,share"), client.get("/s/qqqqqq")):
        policy = _policy(response)
        html = response.text
        styles = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
        scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
        assert styles and all(_hash(css) == policy["style-src"] for css in styles)
        assert all(_hash(js) == policy["script-src"] for js in scripts)
        # what a hash cannot admit: style attributes, event handlers, script URLs
        assert not re.search(r"\sstyle=|\son[a-z]+=|javascript:", html)
        assert "<script src" not in html and '<link rel="stylesheet"' not in html
