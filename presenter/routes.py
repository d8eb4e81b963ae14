"""HTTP routes of the audience view, served by the dashboard's own server (Streamlit's ASGI App):

    /live              the deck as one light page for phones (pre-rendered, shared by all)
    /live/feed.json    the live numbers and data version (tiny; 304 while nothing changed)
    /s/<code>          a short link: redirects to /live?<the deck's filters and slides>

No Streamlit session is opened for a phone: a viewer costs a few cached responses. The
handlers look the presenter modules up when called, so they keep serving the same caches and
short links as the Present page even after Streamlit reloaded changed source files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from presenter.html import message_page

if TYPE_CHECKING:
    from presenter.live import LiveService, Rendered

REVALIDATE = "no-cache"  # keep a copy, ask each time: a 304 is a few bytes
MAX_QUERY_LENGTH = 4_000


def service() -> LiveService:
    """The live service the Present page uses (found anew, should a reload have replaced it)."""
    live: LiveService = importlib.import_module("presenter.live").service()
    return live


def resolve(code: str) -> str | None:
    """The query a short code stands for, in the registry the Present page writes to."""
    query: str | None = importlib.import_module("presenter.links").resolve(code)
    return query


def base_url(request: Request) -> str:
    """Scheme, host and port the viewer used (what a short link and its QR code must name)."""
    return f"{request.url.scheme}://{request.url.netloc}"


def _send(request: Request, rendered: Rendered, cache_control: str) -> Response:
    headers = {"ETag": rendered.etag, "Cache-Control": cache_control, "Vary": "Accept-Encoding"}
    if rendered.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = rendered.body
    if rendered.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        body = rendered.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=rendered.media_type, headers=headers)


def _too_long() -> Response:
    live = service()
    html = message_page(
        "This link is too long",
        "The link has more parameters than any deck uses. Open the audience view without them.",
        css=live.assets.css,
        link=("/live", "Open the audience view"),
    )
    return HTMLResponse(html, status_code=414)


async def live_page(request: Request) -> Response:
    """The audience view of the deck in the query string."""
    query = request.url.query
    if len(query) > MAX_QUERY_LENGTH:
        return _too_long()
    view = await service().aview(query, base_url(request))
    return _send(request, view.page, REVALIDATE)


async def live_feed(request: Request) -> Response:
    """The live numbers of the deck in the query string."""
    query = request.url.query
    if len(query) > MAX_QUERY_LENGTH:
        return _too_long()
    view = await service().aview(query, base_url(request))
    return _send(request, view.feed, REVALIDATE)


async def short_link(request: Request) -> Response:
    """Redirect a short link to the audience view it stands for."""
    query = resolve(request.path_params["code"])
    if query is None:
        live = service()
        html = message_page(
            "This short link is not known here",
            "The link may have been typed wrongly, or the server restarted since it was "
            "shared. The presenter's screen shows the current code; meanwhile the audience "
            "view of the whole Pact is one tap away.",
            css=live.assets.css,
            link=("/live", "Open the audience view"),
        )
        return HTMLResponse(html, status_code=404, headers={"Cache-Control": "no-store"})
    target = "/live" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})


def audience_routes() -> list[BaseRoute]:
    """The routes to mount next to Streamlit's own."""
    return [
        Route("/live", live_page, methods=["GET", "HEAD"]),
        Route("/live/feed.json", live_feed, methods=["GET", "HEAD"]),
        Route("/s/{code}", short_link, methods=["GET", "HEAD"]),
    ]
