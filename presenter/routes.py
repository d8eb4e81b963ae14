"""HTTP routes of the audience view, served by the dashboard's own server (Streamlit's ASGI App):

    /live              the deck as one light page for phones (pre-rendered, shared by all)
    /live/feed.json    the live numbers and data version (tiny; 304 while nothing changed)
    /s/<code>          a short link: redirects to /live?<the deck's filters and slides>

Each request is answered in the reader's language: the URL's `lang=` when it names one, else
the browser's Accept-Language (then the response says `Vary: Accept-Language`). A page is
rendered once per (link, language, data version), however many phones ask.

No Streamlit session is opened for a phone: a viewer costs a few cached responses. The
handlers look the presenter modules up when called, so they keep serving the same caches and
short links as the Present page even after Streamlit reloaded changed source files.

Every response of these routes, redirects, 304s and errors included, carries the security
headers: a Content-Security-Policy that admits only the page's own inline stylesheet and
script (by their hashes, so no 'unsafe-inline'), images from data: URIs and requests to this
server; no framing; no Referer; no content sniffing.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from functools import lru_cache, wraps
from typing import TYPE_CHECKING, Literal

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from i18n import _, choose, parse_language, using
from presenter.deck import LANGUAGE_PARAM
from presenter.html import message_page

if TYPE_CHECKING:
    from presenter.live import LiveService, Rendered

REVALIDATE = "no-cache"  # keep a copy, ask each time: a 304 is a few bytes
MAX_QUERY_LENGTH = 4_000
METHODS = ("GET", "HEAD")
# Every method reaches the handler, which refuses all but METHODS itself: Starlette's own 405
# would go out without the security headers.
ROUTED_METHODS = [*METHODS, "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
LOG = logging.getLogger(__name__)

Handler = Callable[[Request], Awaitable[Response]]


def service() -> LiveService:
    """The live service the Present page uses (found anew, should a reload have replaced it)."""
    live: LiveService = importlib.import_module("presenter.live").service()
    return live


def resolve(code: str) -> str | None:
    """The query a short code stands for, in the store every replica writes its codes to."""
    query: str | None = importlib.import_module("presenter.links").resolve(code)
    return query


def _source_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


@lru_cache(maxsize=4)
def content_security_policy(css: str, js: str) -> str:
    """The audience view's policy: nothing but its own inline stylesheet and script, data:
    images (the icon) and fetches of its feed from this server."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {_source_hash(js)}",
            f"style-src {_source_hash(css)}",
            "img-src data:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def security_headers() -> dict[str, str]:
    """The headers every audience-route response carries."""
    assets = service().assets
    return {
        "Content-Security-Policy": content_security_policy(assets.css, assets.js),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }


def reader_language(request: Request) -> tuple[str, bool]:
    """The request's language, and whether it came from the Accept-Language header (so the
    response must vary on it) rather than from the URL's `lang=`."""
    named = request.query_params.get(LANGUAGE_PARAM)
    header = request.headers.get("accept-language")
    return choose(named, header), parse_language(named) is None


def vary(*, language_from_header: bool) -> str:
    """The Vary header of an audience response (each name once)."""
    return "Accept-Encoding, Accept-Language" if language_from_header else "Accept-Encoding"


def _failed(request: Request, error_id: str) -> Response:
    code, from_header = reader_language(request)
    with using(code):
        html = message_page(
            _("Something went wrong"),
            _(
                "The audience view could not be drawn. Error id: {error_id}. Try again in a "
                "moment; the presenter can quote the id to whoever runs the server."
            ).format(error_id=error_id),
            css=service().assets.css,
            link=("/live", _("Try the audience view again")),
        )
    headers = {"Cache-Control": "no-store", "Vary": vary(language_from_header=from_header)}
    return HTMLResponse(html, status_code=500, headers=headers)


def secured(handler: Handler) -> Handler:
    """The handler for GET and HEAD only, its responses (errors too) with the security
    headers; an exception is logged with an id and answered with a short page naming it."""

    @wraps(handler)
    async def guarded(request: Request) -> Response:
        if request.method not in METHODS:
            response: Response = Response(
                "Method not allowed", status_code=405, headers={"Allow": ", ".join(METHODS)}
            )
        else:
            try:
                response = await handler(request)
            except Exception:
                error_id = uuid.uuid4().hex[:12]
                LOG.exception("audience view error %s on %s", error_id, request.url.path)
                response = _failed(request, error_id)
        response.headers.update(security_headers())
        return response

    return guarded


def base_url(request: Request) -> str:
    """Scheme, host and port the viewer used (what a short link and its QR code must name)."""
    return f"{request.url.scheme}://{request.url.netloc}"


def _send(request: Request, rendered: Rendered, cache_control: str, vary_on: str) -> Response:
    headers = {"ETag": rendered.etag, "Cache-Control": cache_control, "Vary": vary_on}
    if rendered.etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = rendered.body
    if rendered.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        body = rendered.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=rendered.media_type, headers=headers)


def _too_long(code: str, vary_on: str) -> Response:
    live = service()
    with using(code):
        html = message_page(
            _("This link is too long"),
            _(
                "The link has more parameters than any deck uses. "
                "Open the audience view without them."
            ),
            css=live.assets.css,
            link=("/live", _("Open the audience view")),
        )
    return HTMLResponse(html, status_code=414, headers={"Vary": vary_on})


async def _deck_view(request: Request, part: Literal["page", "feed"]) -> Response:
    """The audience view (or its live numbers) of the deck in the query string, in the
    reader's language."""
    code, from_header = reader_language(request)
    vary_on = vary(language_from_header=from_header)
    query = request.url.query
    if len(query) > MAX_QUERY_LENGTH:
        return _too_long(code, vary_on)
    view = await service().aview(query, base_url(request), code)
    return _send(request, getattr(view, part), REVALIDATE, vary_on)


async def live_page(request: Request) -> Response:
    """The audience view of the deck in the query string."""
    return await _deck_view(request, "page")


async def live_feed(request: Request) -> Response:
    """The live numbers of the deck in the query string."""
    return await _deck_view(request, "feed")


async def short_link(request: Request) -> Response:
    """Redirect a short link to the audience view it stands for."""
    query = await run_in_threadpool(resolve, request.path_params["code"])
    if query is None:
        live = service()
        code, from_header = reader_language(request)
        with using(code):
            html = message_page(
                _("This short link is not known here"),
                _(
                    "The link may have been typed wrongly, or the server restarted since it "
                    "was shared. The presenter's screen shows the current code; meanwhile the "
                    "audience view of the whole Pact is one tap away."
                ),
                css=live.assets.css,
                link=("/live", _("Open the audience view")),
            )
        headers = {"Cache-Control": "no-store", "Vary": vary(language_from_header=from_header)}
        return HTMLResponse(html, status_code=404, headers=headers)
    # A language the short link was opened with goes along; else the phone's own is chosen
    # at /live from its Accept-Language.
    named = parse_language(request.query_params.get(LANGUAGE_PARAM))
    query = "&".join(part for part in (query, f"{LANGUAGE_PARAM}={named}" if named else "") if part)
    target = "/live" + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=302, headers={"Cache-Control": "no-store"})


def audience_routes() -> list[BaseRoute]:
    """The routes to mount next to Streamlit's own."""
    return [
        Route("/live", secured(live_page), methods=ROUTED_METHODS),
        Route("/live/feed.json", secured(live_feed), methods=ROUTED_METHODS),
        Route("/s/{code}", secured(short_link), methods=ROUTED_METHODS),
    ]
