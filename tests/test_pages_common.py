"""Tier 3, all pages: each renders through dashboard.py, labels demo data, survives bad URLs."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

from tests.markdown_text import as_read

PAGES = [
    "pages/overview.py",
    "pages/growth.py",
    "pages/gender.py",
    "pages/skills.py",
    "pages/partnerships.py",
    "pages/profile.py",
    "pages/map.py",
]

MALFORMED = {
    "from": "20x1",
    "to": "1999",
    "eco": "not-an-ecosystem,digital",
    "lsp": "<script>alert(1)</script>",
    "country": "ZZ",
    "skill": "x" * 3000,
    "bogus": "1",
    "p": "no-such-partnership",
}


def _warnings(at: AppTest) -> str:
    return " ".join(as_read(w.value) for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_with_demo_label(run_page: Callable[..., AppTest], page: str) -> None:
    at = run_page(page)
    assert not at.exception, at.exception
    assert any("Demo data" in i.value for i in at.info)
    charts = at.get("plotly_chart")
    assert charts, "every page draws at least one chart"
    for chart in charts:
        spec = json.loads(chart.proto.spec)
        assert spec["layout"]["title"]["text"], "every chart has a title"


@pytest.mark.parametrize("page", PAGES)
def test_malformed_url_gives_notice_not_crash(run_page: Callable[..., AppTest], page: str) -> None:
    at = run_page(page, **MALFORMED)
    assert not at.exception, at.exception
    notices = _warnings(at)
    assert "'from' must be a year" in notices
    assert "'to=1999' is outside the data" in notices
    assert "not-an-ecosystem" in notices
    assert "Unknown parameter 'bogus'" in notices
    assert "too long" in notices
    # the valid part of a parameter is kept
    assert at.session_state["f_eco"] == ["digital"]
    assert at.query_params.get("eco") == "digital"
    assert "bogus" not in at.query_params


@pytest.mark.parametrize("page", PAGES)
def test_filters_that_match_nothing_show_empty_state(
    run_page: Callable[..., AppTest], page: str
) -> None:
    at = run_page(page, lsp="health-industry", **{"from": "2020", "to": "2021"})
    assert not at.exception, at.exception
    assert not at.get("plotly_chart"), "no chart of zeros for a selection with no data"
    assert any("Nothing matches the current filters" in i.value for i in at.info)
