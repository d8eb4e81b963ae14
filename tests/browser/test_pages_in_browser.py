"""Browser tier: every page of a running dashboard draws its charts, shows no error, stays local.

Screenshots of each page land in artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import SCREENSHOTS
from tests.browser.settle import settle

pytestmark = pytest.mark.browser

# URL paths; the Overview is the default page, served at the root.
PAGES = ["", "growth", "gender", "skills", "partnerships", "profile", "map"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Notes when the page's early start (ui/preload.py's START_SCRIPT) looks for what to import.
EARLY_START_SPY = """
const find = Document.prototype.querySelectorAll;
Document.prototype.querySelectorAll = function (selector) {
  if (selector === 'link[data-pact-start]' && window.__pactStart === undefined) {
    window.__pactStart = performance.now();
  }
  return find.call(this, selector);
};
"""


def wait_until_idle(page: Any) -> None:
    """Wait until the script has finished and the charts are drawn."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    settle(page)


@pytest.mark.parametrize("path", PAGES)
def test_page_draws_without_errors_or_external_requests(
    app_url: str, browser: Any, path: str
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    context.add_init_script(EARLY_START_SPY)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    health: list[str] = []
    page.on(
        "request",
        lambda request: (
            health.append(urlparse(request.url).path)
            if request.url.split("?")[0].endswith("/_stcore/health")
            else None
        ),
    )
    try:
        page.goto(f"{app_url}/{path}?eco=health,digital", wait_until="domcontentloaded")
        wait_until_idle(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{path or 'overview'}.png"), full_page=True)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.get_by_text("Page not found").count() == 0
        charts = page.locator(".js-plotly-plot")
        assert charts.count() >= 1
        for i in range(charts.count()):
            drawn = charts.nth(i).locator(
                ".main-svg .plot, .main-svg .treemaplayer, "
                ".main-svg .geolayer, .main-svg .scatterlayer"
            )
            assert drawn.count() >= 1, f"chart {i} on {path} has no drawn layer"
        assert page.get_by_text("Demo data.").count() >= 1
        # Plotly's code was asked for with the page (ui/preload.py), before Streamlit's own
        # code had started and asked the server for its settings, not when a chart came.
        asked = page.evaluate(
            """() => Object.fromEntries(performance.getEntriesByType('resource')
                .filter(e => /PlotlyChart\\.|host-config/.test(e.name))
                .map(e => [/host-config/.test(e.name) ? 'settings' : 'plotly', e.startTime]))"""
        )
        assert asked["plotly"] < asked["settings"], asked
        # ... and started by the page itself once the script run had begun
        assert page.evaluate("() => typeof window.__pactStart") == "number"
        assert "eco=health%2Cdigital" in page.url or "eco=health,digital" in page.url
        # The frontend looked for its server once, at the root (ui/preload.py's BASE_SCRIPT),
        # not first under the page's own path (a 404, then a 100 ms wait)
        assert health == ["/_stcore/health"], health
    finally:
        context.close()
    external = {h for h in hosts if h and h not in LOCAL_HOSTS and not h.startswith("127.")}
    assert not external, f"requests to other hosts from {path}: {sorted(external)}"


def test_the_overview_s_own_path_leads_home_with_every_page_listed(
    app_url: str, browser: Any
) -> None:
    """/overview opens the Overview at the root with its filters (no "Page not found"), and
    the local admin's navigation lists all thirteen pages, none folded behind "View more"."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/overview?eco=health", wait_until="domcontentloaded")
        wait_until_idle(page)
        assert page.url == f"{app_url}/?eco=health"
        assert page.get_by_text("Page not found").count() == 0
        nav = page.get_by_test_id("stSidebarNav")
        assert nav.get_by_role("link").count() == 13
        assert nav.get_by_text("Roles and access").is_visible()
        assert nav.get_by_text(re.compile(r"View \d+ more")).count() == 0
    finally:
        context.close()


# Per chart: the margins its layout set (figures/margins.py), those Plotly drew it with, and
# whether each tick label lies inside the chart.
MARGINS_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => {
  const box = gd.getBoundingClientRect();
  const labels = [...gd.querySelectorAll('.xtick text, .ytick text')].map(t => {
    const r = t.getBoundingClientRect();
    return r.left >= box.left - 1 && r.right <= box.right + 1;
  });
  return {set: gd.layout.margin || {}, drawn: gd._fullLayout._size, inside: labels,
          ticks: [...gd.querySelectorAll(".ytick text")].map(t => [t.textContent, t.getBBox().width]),
          title: gd.layout.yaxis?.title?.text};
})"""


@pytest.mark.parametrize("path", ["", "growth", "gender", "skills"])
def test_charts_are_drawn_once_at_the_margins_set_with_every_label_inside(
    app_url: str, browser: Any, path: str
) -> None:
    """The left margins set before drawing (from the labels' widths in the font's metrics)
    are the ones Plotly drew with, so it did not draw the chart a second time to widen
    them, and no tick label is cut at the chart's edge."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{path}", wait_until="domcontentloaded")
        wait_until_idle(page)
        charts = page.evaluate(MARGINS_JS)
        settled = [chart for chart in charts if "l" in chart["set"] and chart["set"]["l"] > 4]
        assert settled, f"no chart on {path or 'overview'} had its margins set"
        for chart in settled:
            assert chart["drawn"]["l"] == chart["set"]["l"], chart
        assert all(all(chart["inside"]) for chart in charts), charts
    finally:
        context.close()
