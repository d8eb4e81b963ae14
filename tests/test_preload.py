"""The element code fetched with the page (ui/preload.py): which files an element needs, read
from Streamlit's entry script, named in a page's HTML; everything else served unchanged."""

from __future__ import annotations

import gzip
import re

import pytest
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.testclient import TestClient

from ui import preload
from ui.preload import (
    BASE_SCRIPT,
    CHART_ELEMENTS,
    ENTRY_MARK,
    EVERY_PAGE,
    START_SCRIPT,
    STATIC,
    ElementPreload,
    lazy_imports,
    patched_body,
    preload_links,
    with_preloads,
)

ENTRY = (
    'const __vite__mapDeps=(i,m=__vite__mapDeps,d=(m.f||(m.f=["./Table.a1.js","./shared.b2.js",'
    '"../css/Table.c3.css","./Slider.d4.js","./numbro.e5.js"])))=>i.map(i=>d[i]);'
    "x=(0,U.lazy)(()=>H(()=>import(`./Table.a1.js`),__vite__mapDeps([0,1,2]),import.meta.url)),"
    "y=(0,U.lazy)(()=>H(()=>import(`./Slider.d4.js`),__vite__mapDeps([3,1,4]),import.meta.url))"
)
PAGE = b"<html><head>" + ENTRY_MARK + b'X.js"></script></head><body></body></html>'


def test_lazy_imports_name_each_element_s_script_files() -> None:
    assert lazy_imports(ENTRY) == {
        "Table": ["Table.a1.js", "shared.b2.js"],  # the stylesheet is not a module
        "Slider": ["Slider.d4.js", "shared.b2.js", "numbro.e5.js"],
    }


def test_an_entry_script_of_another_layout_gives_nothing() -> None:
    assert lazy_imports("import('./x.js')") == {}
    assert lazy_imports(ENTRY.replace("[3,1,4]", "[3,1,9]")) == {}  # an index out of range


def test_the_installed_streamlit_names_the_files_of_the_dashboard_s_elements() -> None:
    """Against the installed release: every element is found, Plotly's bundle is among the
    files of a page with charts, and no file is named twice or already in index.html."""
    sidebar = preload_links(EVERY_PAGE).decode()
    charts = preload_links(EVERY_PAGE + CHART_ELEMENTS).decode()
    assert "Multiselect." in sidebar and "Slider." in sidebar and "PlotlyChart." not in sidebar
    assert "PlotlyChart." in charts and "DownloadButton." in charts
    hrefs = [line.split('href="')[1].split('"')[0] for line in charts.split("<link")[1:]]
    assert len(hrefs) == len(set(hrefs))
    index = (STATIC / "index.html").read_text(encoding="utf-8")
    assert not [h for h in hrefs if h in index]
    assert all((STATIC / h).is_file() for h in hrefs)


def test_a_chart_page_starts_plotly_s_code_early_and_a_page_without_charts_does_not() -> None:
    """One link is marked to be started, Plotly's own file, and the script that starts it
    is there once; the text of that script is fixed (a policy allows it by its hash)."""
    charts = preload_links(EVERY_PAGE + CHART_ELEMENTS).decode()
    marked = [link for link in re.findall(r"<link [^>]*>", charts) if "data-pact-start" in link]
    assert len(marked) == 1 and 'href="./static/js/PlotlyChart.' in marked[0]
    assert charts.count(f"<script>{START_SCRIPT}</script>") == 1
    sidebar = preload_links(EVERY_PAGE).decode()
    assert "data-pact-start" not in sidebar and "<script>" not in sidebar
    assert "link[data-pact-start]" in START_SCRIPT and "import(l.href)" in START_SCRIPT


def test_the_links_go_before_the_entry_script_once() -> None:
    patched = with_preloads(PAGE, EVERY_PAGE)
    assert patched.count(b'rel="modulepreload"') == preload_links(EVERY_PAGE).count(b"<link")
    assert patched.index(b"modulepreload") < patched.index(ENTRY_MARK)
    assert with_preloads(b"<html>no entry script</html>", EVERY_PAGE) == (
        b"<html>no entry script</html>"
    )


def test_at_the_root_the_page_says_where_the_server_is_before_streamlit_s_code_runs() -> None:
    """BASE_SCRIPT goes ahead of the links and the entry script, once, only at the root; it
    names the origin's root and keeps what an embedding host set."""
    script = f"<script>{BASE_SCRIPT}</script>".encode()
    at_root = with_preloads(PAGE, EVERY_PAGE, at_root=True)
    assert at_root.count(script) == 1
    assert at_root.index(script) < at_root.index(b"modulepreload") < at_root.index(ENTRY_MARK)
    assert script not in with_preloads(PAGE, EVERY_PAGE)
    assert "BACKEND_BASE_URL:location.origin+'/'" in BASE_SCRIPT
    assert BASE_SCRIPT.endswith(",window.__streamlit)")  # a host's own settings win


def test_the_server_s_base_path_decides_whether_the_page_names_the_root(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Served at the root (the default), pages carry BASE_SCRIPT; under a base URL path
    they do not, and Streamlit's frontend finds the server itself."""
    client = _client()
    assert BASE_SCRIPT.encode() in client.get("/members").content
    options = {"server.baseUrlPath": "pact"}
    monkeypatch.setattr(preload.config, "get_option", lambda name: options[name])
    assert not preload.served_at_root()
    content = client.get("/members").content
    assert BASE_SCRIPT.encode() not in content and b"Multiselect." in content


def _client() -> TestClient:
    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse(PAGE)

    async def script(request: Request) -> PlainTextResponse:
        return PlainTextResponse("console.log(1)", media_type="text/javascript")

    async def moved(request: Request) -> RedirectResponse:
        return RedirectResponse("/skills")

    routes = [
        Route("/", page),
        Route("/skills", page),
        Route("/members", page),
        Route("/static/js/a.js", script),
        Route("/old", moved),
    ]
    app = ElementPreload(Starlette(routes=routes), chart_pages=("", "skills"))
    return TestClient(app)


def test_pages_are_served_with_the_code_they_show() -> None:
    client = _client()
    for path in ("/", "/skills"):
        response = client.get(path)
        assert response.status_code == 200
        assert b"PlotlyChart." in response.content and b"Multiselect." in response.content
        assert int(response.headers["content-length"]) == len(response.content)
    members = client.get("/members").content
    assert b"Multiselect." in members and b"PlotlyChart." not in members


def test_other_responses_pass_unchanged() -> None:
    client = _client()
    assert client.get("/static/js/a.js").text == "console.log(1)"
    assert client.get("/old", follow_redirects=False).status_code == 307
    assert client.head("/skills").status_code == 200  # HEAD: not rewritten, no body


def test_a_page_compressed_by_the_server_gets_the_links_too() -> None:
    """Streamlit gzips index.html for every browser (they all accept gzip): the links go into
    the unpacked page, which is packed again; a body it cannot read passes unchanged."""
    routes = [Route("/skills", lambda request: HTMLResponse(PAGE + b" " * 2_000))]
    packed = GZipMiddleware(Starlette(routes=routes), minimum_size=10)
    client = TestClient(ElementPreload(packed, chart_pages=("skills",)))
    response = client.get("/skills", headers={"Accept-Encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert b"PlotlyChart." in response.content  # the client unpacked it
    assert int(response.headers["content-length"]) < len(response.content)
    elements = EVERY_PAGE + CHART_ELEMENTS
    assert gzip.decompress(patched_body(gzip.compress(PAGE), "gzip", elements)) == (
        with_preloads(PAGE, elements)
    )
    assert patched_body(b"not gzip", "gzip", elements) == b"not gzip"
    assert patched_body(PAGE, "br", elements) == PAGE


UPSTREAM_TAG = '"streamlit-index"'


def _validating_client() -> TestClient:
    """Pages as Streamlit serves them: its index.html with its own ETag and date, answered
    with a 304 at the root when the browser holds that tag; and a route of the dashboard's
    own (as the audience view's) with tags of its own."""

    def index(request: Request) -> Response:
        if request.headers.get("if-none-match") == UPSTREAM_TAG and request.url.path == "/":
            return Response(status_code=304, headers={"etag": UPSTREAM_TAG})
        validators = {"etag": UPSTREAM_TAG, "last-modified": "Sun, 06 Dec 2026 06:01:51 GMT"}
        return HTMLResponse(PAGE, headers=validators)

    def live(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"live-1"':
            return Response(status_code=304, headers={"etag": '"live-1"'})
        return HTMLResponse(b"<html>live</html>", headers={"etag": '"live-1"'})

    routes = [Route("/", index), Route("/skills", index), Route("/members", index)]
    routes.append(Route("/live", live))
    return TestClient(ElementPreload(Starlette(routes=routes), chart_pages=("", "skills")))


def test_a_patched_page_has_a_validator_of_its_own() -> None:
    """Not Streamlit's tag or date (its index.html is another document): a tag from the
    page's own bytes, the same for the same page and different where the pages differ."""
    client = _validating_client()
    skills, members = client.get("/skills"), client.get("/members")
    assert skills.headers["etag"].startswith('"pact-')
    assert skills.headers["etag"] not in (UPSTREAM_TAG, members.headers["etag"])
    assert "last-modified" not in skills.headers
    assert client.get("/skills").headers["etag"] == skills.headers["etag"]


def test_a_browser_is_told_to_keep_a_page_only_when_it_holds_this_very_page() -> None:
    """Its own tag back: 304 and no body. Streamlit's tag, kept from before pages had their
    own (Streamlit would answer 304 at the root): the page in full, with the links. Another
    route's own validation is left to it."""
    client = _validating_client()
    for path in ("/", "/skills"):
        tag = client.get(path).headers["etag"]
        kept = client.get(path, headers={"If-None-Match": f'"other", W/{tag}'})
        assert (kept.status_code, kept.content, kept.headers["etag"]) == (304, b"", tag)
        stale = client.get(path, headers={"If-None-Match": UPSTREAM_TAG})
        assert stale.status_code == 200 and b"PlotlyChart." in stale.content
        assert stale.headers["etag"] == tag
    changed = client.get("/skills", headers={"If-None-Match": '"pact-0"'})
    assert changed.status_code == 200 and b"PlotlyChart." in changed.content
    assert client.get("/live", headers={"If-None-Match": '"live-1"'}).status_code == 304
