"""The default page's own path (/overview) leads to the root, where Streamlit serves it, with
the link's query kept (ui/default_page.py); the app mounts that route."""

from __future__ import annotations

import ast
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from ui.default_page import default_page_routes

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboard.py"


def _client() -> TestClient:
    return TestClient(Starlette(routes=default_page_routes("overview")))


def test_the_default_page_path_redirects_to_the_root_with_its_query() -> None:
    client = _client()
    shared = client.get("/overview?eco=health&lang=de", follow_redirects=False)
    assert shared.status_code == 308
    assert shared.headers["location"] == "./?eco=health&lang=de"
    plain = client.get("/overview", follow_redirects=False)
    assert plain.status_code == 308 and plain.headers["location"] == "./"
    assert client.head("/overview", follow_redirects=False).status_code == 308


def test_only_the_default_page_path_is_taken() -> None:
    client = _client()
    assert client.get("/growth", follow_redirects=False).status_code == 404
    assert client.post("/overview", follow_redirects=False).status_code == 405


def test_the_app_mounts_the_route_for_its_default_page() -> None:
    """dashboard.py mounts the route for DEFAULT_PAGE, the url_path of its default st.Page."""
    tree = ast.parse(DASHBOARD.read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    routes = [c for c in calls if getattr(c.func, "id", "") == "default_page_routes"]
    assert len(routes) == 1 and ast.unparse(routes[0].args[0]) == "DEFAULT_PAGE"
    defaults = [
        c
        for c in calls
        if getattr(c.func, "id", "") == "page"
        and any(k.arg == "default" and ast.unparse(k.value) == "True" for k in c.keywords)
    ]
    assert len(defaults) == 1
    constant = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "DEFAULT_PAGE"
    )
    assert ast.literal_eval(defaults[0].args[3]) == ast.literal_eval(constant)
