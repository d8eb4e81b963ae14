"""Browser tier, accessibility (WCAG 2.1 AA): axe-core on every page, the presenter mode and the
audience's phone view, and on the Overview in several languages; the declared page language;
the dashboard driven by the keyboard alone.

axe-core comes from the suite's own npm lock file (tests/browser/js) and is injected into the
page, so nothing is fetched from another host. Any moderate, serious or critical violation
fails the test unless ALLOWED lists it: one entry per violation that comes from Streamlit's or Plotly's
own frontend and cannot be fixed from the app, each with its reason and upstream issue, and
each also listed in docs/accessibility.md ("Known exceptions").
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from i18n import LANGUAGES
from tests.browser.conftest import SCREENSHOTS
from tests.browser.settle import settle
from tests.browser.test_pages_in_browser import PAGES

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parent / "js" / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1440, "height": 1000}
PHONE = {"width": 390, "height": 844}
DECLARING = '.st-key-page_language [data-testid="stHtml"] script'
FAILING_IMPACTS = ("moderate", "serious", "critical")
DOCS = Path(__file__).resolve().parents[2] / "docs" / "accessibility.md"


@dataclass(frozen=True)
class View:
    """A page of the app as a reader opens it."""

    name: str
    path: str
    viewport: dict[str, int]
    streamlit: bool = True  # the audience view is plain HTML served next to Streamlit


VIEWS = [
    *(View(path or "overview", path, DESKTOP) for path in PAGES),
    View("members", "members?q=sevilla", DESKTOP),  # no chart: the member directory
    View("admin", "admin", DESKTOP),  # an admin's page: the test browser is local
    View("data", "data", DESKTOP),  # loading reports, as the local admin
    View("present", "present", DESKTOP),
    View("live-phone", "live", PHONE, streamlit=False),
    View("overview-phone", "", PHONE),
    # The same checks in other languages (the pseudo-locale is declared as en-XA).
    *(View(f"overview-{code}", f"?lang={code}", DESKTOP) for code in ("de", "el", "qps")),
    # The audience view in each of the 24 languages: what a room of phones reads.
    *(View(f"live-{code}", f"live?lang={code}", PHONE, streamlit=False) for code in LANGUAGES),
]
# The page's declared language in each language, by axe's rules on it.
DECLARED = {"en": "en", "de": "de", "el": "el", "qps": "en-XA"}
LANGUAGE_RULES = ("html-has-lang", "html-lang-valid", "valid-lang")


@dataclass(frozen=True)
class Allowed:
    """A violation from the frameworks' own frontend that the app cannot fix."""

    rule: str  # axe rule id
    target: str  # regular expression the violating node's CSS selector must match
    reason: str
    upstream: str  # the upstream issue


# Empty while no moderate or worse violation comes from Streamlit or Plotly; see
# docs/accessibility.md for what axe does not check and the known exceptions.
ALLOWED: tuple[Allowed, ...] = ()


def wait_until_ready(page: Any, view: View) -> None:
    """Wait until the view is drawn: Streamlit's script finished, every chart drawn."""
    if not view.streamlit:
        page.wait_for_load_state("load")  # the audience view is drawn by the server
        page.wait_for_selector("#deck", state="attached", timeout=60_000)
        return
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    # the first visible element: a page may start with hidden ones (styles, scripts)
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]:visible',
                           timeout=60_000)  # fmt: skip
    # the script that declares the page's language (ui/language.py), drawn at the run's top
    page.wait_for_selector(DECLARING, state="attached", timeout=60_000)
    settle(page)


def open_data_tables(page: Any) -> int:
    """Open every chart's data table, so that axe checks the tables too (each is made when
    opened: wait until it is drawn)."""
    expanders = page.locator('[data-testid="stExpander"]').filter(
        has=page.locator("summary", has_text="Data table")
    )
    for i in range(expanders.count()):
        expanders.nth(i).locator("summary").click()
        expanders.nth(i).locator('[data-testid="stTable"]').wait_for(timeout=30_000)
    settle(page)
    return int(expanders.count())


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    page.add_script_tag(path=str(AXE_JS))
    violations: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(' '), impact: n.impact, html: n.html.slice(0, 300),
                    summary: n.failureSummary,
                })),
            }));
        }"""
    )
    return violations


def failing_nodes(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Moderate, serious and critical violations, one entry per node, minus the allowed ones."""
    found = []
    for violation in violations:
        for node in violation["nodes"]:
            impact = node["impact"] or violation["impact"]
            if impact not in FAILING_IMPACTS:
                continue
            if any(
                a.rule == violation["id"] and re.search(a.target, node["target"]) for a in ALLOWED
            ):
                continue
            found.append({"rule": violation["id"], "help": violation["help"], **node})
    return found


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name)
def test_no_moderate_or_worse_axe_violations(app_url: str, browser: Any, view: View) -> None:
    # The audience view's Content-Security-Policy admits only its own script: the check's
    # injected axe-core needs the policy set aside (tests/test_audience_headers.py checks it).
    context = browser.new_context(viewport=view.viewport, bypass_csp=not view.streamlit)
    page = context.new_page()
    try:
        response = page.goto(f"{app_url}/{view.path}", wait_until="domcontentloaded")
        assert response is not None and response.ok, f"{view.path} answered {response}"
        wait_until_ready(page, view)
        assert page.get_by_text("Page not found").count() == 0, f"no page at /{view.path}"
        if view.streamlit:
            open_data_tables(page)
        violations = run_axe(page)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"a11y-{view.name}.png"))
    finally:
        context.close()
    failing = failing_nodes(violations)
    report = "\n".join(
        f"{n['rule']} ({n['impact']}): {n['help']}\n  at {n['target']}\n  {n['html']}\n"
        f"  {n['summary']}"
        for n in failing
    )
    assert not failing, f"{len(failing)} moderate or worse axe violations on {view.name}:\n{report}"


@pytest.mark.parametrize("view", [v for v in VIEWS if v.name in ("overview", "live-phone")],
                         ids=lambda v: v.name)  # fmt: skip
def test_page_language_is_declared_as_english(app_url: str, browser: Any, view: View) -> None:
    context = browser.new_context(viewport=view.viewport)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/{view.path}", wait_until="domcontentloaded")
        wait_until_ready(page, view)
        assert page.evaluate("document.documentElement.lang") == "en"
    finally:
        context.close()


def language_rule_results(page: Any) -> dict[str, list[str]]:
    """axe-core's language rules on the page: which passed and which were violated."""
    page.add_script_tag(path=str(AXE_JS))
    results: dict[str, list[str]] = page.evaluate(
        """async (rules) => {
            const result = await axe.run(document, {runOnly: {type: 'rule', values: rules}});
            return {passes: result.passes.map(r => r.id),
                    violations: result.violations.map(r => r.id)};
        }""",
        list(LANGUAGE_RULES),
    )
    return results


@pytest.mark.parametrize("code", list(DECLARED))
def test_page_language_is_declared_in_each_language(app_url: str, browser: Any, code: str) -> None:
    """The page declares the language it speaks (`<html lang>`, for screen readers), with a
    tag axe accepts: html-has-lang, html-lang-valid and valid-lang pass."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{app_url}/?lang={code}", wait_until="domcontentloaded")
        wait_until_ready(page, View(f"overview-{code}", f"?lang={code}", DESKTOP))
        assert page.evaluate("document.documentElement.lang") == DECLARED[code]
        results = language_rule_results(page)
    finally:
        context.close()
    assert results["violations"] == [], results
    assert {"html-has-lang", "html-lang-valid"} <= set(results["passes"]), results


FOCUS_JS = """() => {
    const e = document.activeElement;
    if (!e || e === document.body) return null;
    const box = e.getBoundingClientRect();
    return {
        tag: e.tagName, label: e.getAttribute('aria-label') || '', text: (e.innerText || '').trim(),
        inSidebar: !!e.closest('[data-testid="stSidebar"]'),
        box: {x: box.x, y: box.y, width: box.width, height: box.height},
    };
}"""


def _focus_is_visible(page: Any, box: dict[str, float]) -> bool:
    """The focused element looks different from the same element without focus."""
    margin = 6
    clip = {
        "x": max(0.0, box["x"] - margin),
        "y": max(0.0, box["y"] - margin),
        "width": box["width"] + 2 * margin,
        "height": box["height"] + 2 * margin,
    }
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("document.activeElement.blur()")
    page.wait_for_timeout(300)
    unfocused = page.screenshot(clip=clip, animations="disabled")
    return bool(focused != unfocused)


KEYBOARD_TARGETS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "filter": lambda f: f["inSidebar"] and f["label"] == "Ecosystems",
    "chart toolbar": lambda f: f["label"] == "Download plot as a PNG",
    "download": lambda f: f["text"].endswith("Download the plotted data (CSV)"),
    "data table": lambda f: f["tag"] == "SUMMARY" and "Data table:" in f["text"],
}


def _tab_through(page: Any) -> tuple[dict[str, int], list[str]]:
    """Tab from the top of the page until every target is reached (or 150 presses): the step
    each was reached at, and where the first presses went. Each target must show a visible
    focus and work from the keyboard."""
    reached: dict[str, int] = {}
    trail: list[str] = []
    for step in range(150):
        page.keyboard.press("Tab")
        focus = page.evaluate(FOCUS_JS)
        if focus is None:
            continue
        if len(trail) < 12:
            where = "sidebar" if focus["inSidebar"] else "main"
            trail.append(f"{step}:{where}:{focus['tag']}:{(focus['label'] or focus['text'])[:30]}")
        for name, matches in KEYBOARD_TARGETS.items():
            if name in reached or not matches(focus):
                continue
            reached[name] = step
            page.wait_for_timeout(200)
            assert _focus_is_visible(page, focus["box"]), f"no visible focus on the {name}"
            page.keyboard.press("Tab")  # focus returns to the next element after the blur
            page.keyboard.press("Shift+Tab")
            if name == "data table":
                page.keyboard.press("Enter")
                table = page.locator('[data-testid="stExpander"] details[open] table')
                table.first.wait_for(timeout=10_000)
            elif name == "download":
                with page.expect_download() as download:
                    page.keyboard.press("Enter")
                assert download.value.suggested_filename.endswith(".csv")
        if len(reached) == len(KEYBOARD_TARGETS):
            break
    return reached, trail


def test_keyboard_reaches_filters_data_table_and_download_with_visible_focus(
    app_url: str, browser: Any
) -> None:
    """Tab from the top of the Overview: the sidebar filters, then a chart's data table and its
    CSV download are reached, each with a visible focus indicator, and work from the keyboard.

    When the walk reaches the charts before the filters, it is made once more on a freshly
    opened page (with a warning saying where the first presses went): a second such walk
    fails the test.
    """
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    page = context.new_page()
    walks: list[tuple[dict[str, int], list[str]]] = []
    try:
        for _ in range(2):
            page.goto(f"{app_url}/", wait_until="domcontentloaded")
            wait_until_ready(page, View("overview", "", DESKTOP))
            reached, trail = _tab_through(page)
            walks.append((reached, trail))
            if set(reached) != set(KEYBOARD_TARGETS):
                break
            if reached["filter"] < reached["download"]:
                break
            warnings.warn(f"Tab reached the charts before the filters: {trail}", stacklevel=1)
    finally:
        context.close()
    reached, trail = walks[-1]
    missing = set(KEYBOARD_TARGETS) - set(reached)
    assert not missing, f"not reached with Tab: {missing}; first presses: {trail}"
    assert reached["filter"] < reached["download"], f"filters come before the charts: {walks}"


def test_every_allowed_violation_is_justified_and_documented() -> None:
    statement = DOCS.read_text(encoding="utf-8")
    for entry in ALLOWED:
        assert entry.reason and re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+/issues/\d+",
                                             entry.upstream), entry  # fmt: skip
        assert entry.upstream in statement, f"{entry.rule} is missing from the statement"
        re.compile(entry.target)
