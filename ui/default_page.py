"""The default page's own path leads to the root, where Streamlit serves that page.

Streamlit serves the default page (the Overview) at `/` only: a link to `/overview`, as a
reader would write it from the page's name, opened a "Page not found" dialog over the
Overview. The path now answers with a permanent redirect to the root, its query kept, so a
shared link with filters opens as it was meant to. The redirect is relative, so it holds
behind a proxy that serves the dashboard under a path of its own.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route


async def to_root(request: Request) -> Response:
    """A permanent redirect from the default page's path to the root, with the query."""
    query = request.url.query
    return RedirectResponse("./" + (f"?{query}" if query else ""), status_code=308)


def default_page_routes(url_path: str) -> list[BaseRoute]:
    """The route that sends the default page's path (without slashes) to the root."""
    return [Route(f"/{url_path.strip('/')}", to_root, methods=["GET", "HEAD"])]
