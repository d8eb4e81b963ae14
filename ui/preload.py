"""The code of the elements every page shows, fetched with the page instead of after it.

Streamlit's frontend loads the code of each kind of element the first time one arrives over
the websocket: the sidebar's filters, and on a page with charts Plotly's bundle (4.7 MB, by
far the largest). Each was a round of requests after the page's script had started, and
Plotly's download and parse came ahead of every chart. This middleware adds modulepreload
links to the index.html a page is served as, so the browser fetches and parses that code
(off the main thread) while Streamlit's own code loads and the script runs; when an element
arrives, its code only has to start. The pages that draw charts get Plotly's too, and start
it while the page waits for the server (START_SCRIPT).

A page served with links is a different document from Streamlit's index.html, so it gets a
validator of its own (an ETag from its bytes) instead of Streamlit's: a browser that kept a
page from an earlier release of the dashboard is sent the new one, not told to keep its own.

A page's HTML also tells Streamlit's frontend where its server is (BASE_SCRIPT). Left to
itself, on any page but the root (/growth, /members) the frontend first asks for its health
check under the page's own path, gets a 404, waits 100 ms and asks again at the root: a
round trip and a wait on every load that opens a page by its address.

Which files an element needs is read once from Streamlit's entry script (its map of lazy
imports and their dependencies). Should a release lay that out otherwise, pages are served
unchanged: only sooner or later, the same code is loaded either way.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections.abc import Collection
from functools import cache
from pathlib import Path

import streamlit
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit import config

STATIC = Path(streamlit.__file__).parent / "static"
# The elements of every page (the sidebar's filters), and those of a page with charts (each
# chart has its CSV download).
EVERY_PAGE = ("Multiselect", "Slider")
CHART_ELEMENTS = ("PlotlyChart", "DownloadButton")
# The element whose code is also started (evaluated) early: Plotly's bundle spends about 0.3 s
# of the main thread registering its trace types before it can draw anything. START_SCRIPT
# imports the links marked data-pact-start once the page's script run has begun on the server,
# when the main thread is idle (the page is waiting for the server's elements); a chart that
# arrives before then loads the same module itself. The script's text is the same on every
# page, so a Content-Security-Policy allows it by its hash (deploy/nginx/pact.conf.template).
START_EARLY = ("PlotlyChart",)
START_SCRIPT = (
    "new MutationObserver((_,o)=>{if(document.querySelector('[data-test-script-state=running]'))"
    "{o.disconnect();(window.requestIdleCallback||setTimeout)(()=>document.querySelectorAll("
    "'link[data-pact-start]').forEach(l=>import(l.href).catch(()=>{})))}}).observe(document,"
    "{subtree:true,attributes:true,attributeFilter:['data-test-script-state']})"
)
# Where the server is: at the root of the page's origin. Read by Streamlit's frontend
# (window.__streamlit.BACKEND_BASE_URL) when its entry script loads, so this goes before it;
# anything an embedding host set first is kept. Only served while Streamlit's own base path
# (server.baseUrlPath) is empty: under a base path the frontend's own search finds it. Fixed
# text, allowed by its hash like START_SCRIPT.
BASE_SCRIPT = (
    "window.__streamlit=Object.assign({BACKEND_BASE_URL:location.origin+'/'},window.__streamlit)"
)
# Streamlit's own entry script in index.html: the links go before it.
ENTRY_MARK = b'<script type="module" crossorigin src="./static/js/index.'
_DEPENDENCY_FILES = re.compile(r"m\.f=(\[[^\]]*\])")
_LAZY_IMPORT = re.compile(r"import\(`\./([\w.-]+\.js)`\),__vite__mapDeps\(\[([\d,]*)\]\)")


def lazy_imports(entry_script: str) -> dict[str, list[str]]:
    """Element name -> the script files it loads (its own first), from Streamlit's entry
    script; empty when the script does not have the expected layout."""
    files_match = _DEPENDENCY_FILES.search(entry_script)
    if files_match is None:
        return {}
    try:
        files = json.loads(files_match.group(1))
        imports = {
            module.split(".", 1)[0]: [files[int(i)] for i in indices.split(",") if i]
            for module, indices in _LAZY_IMPORT.findall(entry_script)
        }
    except (ValueError, IndexError):
        return {}
    return {
        name: [f[2:] for f in needed if f.startswith("./") and f.endswith(".js")]
        for name, needed in imports.items()
    }


@cache
def preload_links(elements: tuple[str, ...]) -> bytes:
    """modulepreload links to every file these elements load that index.html does not
    already name, and when one of them is started early, START_SCRIPT (empty when
    Streamlit's layout is not the expected one)."""
    index = (STATIC / "index.html").read_text(encoding="utf-8")
    entries = re.findall(r'src="\./static/js/(index\.[\w-]+\.js)"', index)
    if len(entries) != 1:
        return b""
    imports = lazy_imports((STATIC / "static" / "js" / entries[0]).read_text(encoding="utf-8"))
    if not all(name in imports for name in elements):
        return b""
    named = set(re.findall(r"\./static/js/([\w.-]+\.js)", index))
    wanted = [f for name in elements for f in imports[name] if f not in named]
    started = {imports[name][0] for name in elements if name in START_EARLY}
    links = [
        f'<link rel="modulepreload" crossorigin href="./static/js/{f}"'
        f"{' data-pact-start' if f in started else ''}>\n    "
        for f in wanted
    ]
    script = f"<script>{START_SCRIPT}</script>\n    " if started else ""
    return ("".join(dict.fromkeys(links)) + script).encode()


def with_preloads(html: bytes, elements: tuple[str, ...], *, at_root: bool = False) -> bytes:
    """Streamlit's index.html with the links before its entry script (unchanged when either
    is missing), and BASE_SCRIPT ahead of them when the server is at the root."""
    links = preload_links(elements)
    if not links or ENTRY_MARK not in html:
        return html
    if at_root:
        links = f"<script>{BASE_SCRIPT}</script>\n    ".encode() + links
    return html.replace(ENTRY_MARK, links + ENTRY_MARK, 1)


def served_at_root() -> bool:
    """Whether Streamlit serves its pages at the root of the origin (no server.baseUrlPath)."""
    return not str(config.get_option("server.baseUrlPath") or "").strip("/")


def patched_body(
    body: bytes, encoding: str, elements: tuple[str, ...], *, at_root: bool = False
) -> bytes:
    """A page's body with the links, as it was encoded: Streamlit compresses its index.html
    for a browser that accepts gzip (every browser), so the links go into the page unpacked
    and it is packed again; a body in another encoding passes unchanged."""
    if not encoding:
        return with_preloads(body, elements, at_root=at_root)
    if encoding.strip().lower() != "gzip":
        return body
    try:
        html = gzip.decompress(body)
    except (OSError, EOFError):
        return body
    patched = with_preloads(html, elements, at_root=at_root)
    return body if patched == html else gzip.compress(patched, mtime=0)


CONDITIONS = (b"if-none-match", b"if-modified-since")
TAG_PREFIX = '"pact-'
# The paths Streamlit itself answers with a 304 when the browser holds its index.html (its
# other page paths are always sent in full).
VALIDATED_BY_STREAMLIT = ("", "index.html")


def held_tags(scope: Scope) -> set[str]:
    """The entity tags the browser holds for this URL (weak or strong alike: a GET's
    If-None-Match compares them weakly)."""
    return {
        tag.strip().removeprefix("W/")
        for value in Headers(scope=scope).getlist("if-none-match")
        for tag in value.split(",")
        if tag.strip()
    }


def without_conditions(scope: Scope) -> Scope:
    """The request without If-None-Match and If-Modified-Since: the page is produced in full
    and judged on what it is once patched."""
    kept = [(name, value) for name, value in scope["headers"] if name.lower() not in CONDITIONS]
    return {**scope, "headers": kept}


def page_tag(body: bytes) -> str:
    """The entity tag of a page as served (its encoded bytes)."""
    return f'{TAG_PREFIX}{hashlib.sha256(body).hexdigest()[:32]}"'


class ElementPreload:
    """ASGI middleware: a page served as Streamlit's index.html names the code of the
    sidebar's elements, and on a page in `chart_pages` (URL paths without the leading slash;
    "" is the root) that of the charts too; at the root of the origin, with BASE_SCRIPT. Any
    other response passes unchanged."""

    def __init__(self, app: ASGIApp, *, chart_pages: Collection[str]) -> None:
        self.app = app
        self.chart_pages = frozenset(chart_pages)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", "")).strip("/")
        # A browser holding a page as patched here (its tag), or Streamlit's own tag for a
        # path Streamlit validates (from before pages had tags of their own), is judged here;
        # any other request keeps its conditions (the audience view's routes have their own).
        tags = held_tags(scope)
        if path in VALIDATED_BY_STREAMLIT or any(t.startswith(TAG_PREFIX) for t in tags):
            scope = without_conditions(scope)
        else:
            tags = set()
        charts = CHART_ELEMENTS if path in self.chart_pages else ()
        elements = EVERY_PAGE + charts
        start: Message | None = None
        body: list[bytes] = []

        async def patch(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                kind = MutableHeaders(raw=list(message["headers"])).get("content-type", "")
                if message["status"] == 200 and kind.startswith("text/html"):
                    start = message  # held until the body is complete
                    return
            if start is None:  # not a page (a script, a redirect, a 304): as it is
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            headers = MutableHeaders(raw=list(start["headers"]))
            encoding = headers.get("content-encoding", "")
            html = patched_body(b"".join(body), encoding, elements, at_root=served_at_root())
            headers["content-length"] = str(len(html))
            headers["etag"] = page_tag(html)
            if "last-modified" in headers:  # Streamlit's file's date, not this page's
                del headers["last-modified"]
            if headers["etag"] in tags or "*" in tags:  # the browser holds this very page
                for name in ("content-length", "content-encoding"):
                    if name in headers:
                        del headers[name]
                await send({**start, "status": 304, "headers": headers.raw})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, patch)
