"""Browser tier, briefing exports: the HTML reports open from disk in Chromium, draw every
chart and request nothing but the file itself.

Every request the page makes is recorded (and anything but the file is refused); a small
page with an outside image shows that the recorder does catch such a request.
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import PUBLIC, Filters
from exports import Report, gather_pact_report, gather_partnership_report, html_bytes
from tests.browser import test_accessibility as accessibility
from tests.browser.conftest import SCREENSHOTS, server_log_tail
from tests.callers import OFFICER, coordinator

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report_files(
    demo_engine: Engine, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[Path, Report]]]:
    folder = tmp_path_factory.mktemp("reports")
    with Session(demo_engine) as session:
        reports = {
            "pact-officer": gather_pact_report(
                session=session, caller=OFFICER, filters=Filters(ecosystems=("health", "digital"))
            ),
            "pact-public": gather_pact_report(
                session=session, caller=PUBLIC, filters=Filters(countries=("MT", "CY"))
            ),
            "partnership": gather_partnership_report(
                session=session, caller=coordinator("automotive"), filters=Filters(),
                partnership="automotive",
            ),
        }  # fmt: skip
    files = {}
    for name, report in reports.items():
        path = folder / f"{name}.html"
        path.write_bytes(html_bytes(report))
        files[name] = (path, report)
    yield files


def open_recording(
    browser: Any, url: str, *, wait_for: str | None
) -> tuple[list[str], list[str], Any]:
    """Open a page offline, refusing every request but the page's own; return the URLs it
    requested, its console errors and the page (close its context when done)."""
    context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
    requested: list[str] = []
    errors: list[str] = []

    def only_the_file(route: Any) -> None:
        if route.request.url == url:
            route.continue_()
        else:
            route.abort()

    context.route("**/*", only_the_file)
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(url, wait_until="load")
        if wait_for:
            page.wait_for_selector(wait_for, timeout=30_000)
            page.wait_for_timeout(300)
        return requested, errors, page
    except Exception:
        context.close()
        raise


@pytest.mark.parametrize("name", ["pact-officer", "pact-public", "partnership"])
def test_html_report_draws_offline_without_requests(
    browser: Any, report_files: dict[str, tuple[Path, Report]], name: str
) -> None:
    path, report = report_files[name]
    url = path.as_uri()
    requested, errors, page = open_recording(browser, url, wait_for=".js-plotly-plot .main-svg")
    try:
        charts = page.locator(".js-plotly-plot")
        drawn = sum(not c.data.empty for c in report.charts)
        assert drawn >= 1 and charts.count() == drawn
        for i in range(drawn):
            traces = charts.nth(i).locator(".main-svg .trace")
            assert traces.count() >= 1, f"chart {i} of {name} drew nothing"
        assert page.get_by_text("Demo data: these figures are synthetic").count() == 1
        assert page.locator("dd", has_text=report.audience).count() == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"export-{name}.png"), full_page=True)
    finally:
        page.context.close()
    assert requested == [url], f"requests other than the file: {requested}"
    assert not errors, f"console errors: {errors}"


def test_the_recorder_catches_an_outside_request(browser: Any, tmp_path: Path) -> None:
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html lang="en"><img src="http://192.0.2.1/x.png" alt="">')
    requested, _, page = open_recording(browser, leaky.as_uri(), wait_for=None)
    page.context.close()
    assert "http://192.0.2.1/x.png" in requested


PRESSES = 3
ANSWER_SECONDS = 20  # a report is made and fetched in about a second


def press_for_download(page: Any, label: str, app_url: str, open_panel: Callable[[], None]) -> Any:
    """Press a download button once the page is idle and return the download.

    Streamlit makes the file on the server, then has the browser fetch it. When the button
    reports an error it is pressed again; when nothing comes back (the button keeps waiting)
    the page is opened afresh first, as a person would, up to three presses in all. A
    download after a miss gives a warning with each miss (the server's log and threads
    included); three misses fail the test with all of them.
    """
    idle = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
    no_error = "() => !document.querySelector('[data-testid=\"stDownloadButtonError\"]')"
    button = page.get_by_role("button", name=label)
    error = page.locator('[data-testid="stDownloadButton"]', has=button).get_by_test_id(
        "stDownloadButtonError"
    )
    downloads: list[Any] = []
    console: list[str] = []

    def on_download(download: Any) -> None:
        downloads.append(download)

    def on_console(message: Any) -> None:
        console.append(f"{message.type}: {message.text}")

    page.on("download", on_download)
    page.on("console", on_console)
    misses: list[str] = []
    try:
        for _ in range(PRESSES):
            page.wait_for_function(idle, timeout=60_000)
            button.click()
            deadline = time.monotonic() + ANSWER_SECONDS
            said = ""
            while not downloads and not said and time.monotonic() < deadline:
                if error.count():
                    said = error.first.inner_text().strip() or "(an empty error)"
                page.wait_for_timeout(200)
            if downloads:
                if misses:
                    warnings.warn(f"{label!r} downloaded after {misses}", stacklevel=2)
                return downloads[0]
            if said:
                misses.append(f"the button said {said!r}")
                page.wait_for_function(no_error, timeout=30_000)
                continue
            waiting = button.is_disabled()
            misses.append(
                f"no answer in {ANSWER_SECONDS} s (button {'still waiting' if waiting else 'idle'}"
                f"); console: {console[-10:]}; server:\n{server_log_tail(app_url)}"
            )
            open_panel()
    finally:
        page.remove_listener("download", on_download)
        page.remove_listener("console", on_console)
    raise AssertionError(f"{label!r} gave no download in {PRESSES} presses: {misses}")


def test_one_click_downloads_from_the_overview(
    app_url: str, browser: Any, demo_engine: Engine, tmp_path: Path
) -> None:
    """On a running dashboard (local mode: full rights), the Overview's buttons give the
    workbook and the report of the filtered view, made when clicked."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()

    def open_panel() -> None:
        page.goto(f"{app_url}/?eco=health,digital&from=2022", wait_until="domcontentloaded")
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
        page.get_by_text("Report for a briefing").click()

    try:
        open_panel()
        files = {}
        for label in ("Workbook (XLSX)", "Report with charts (HTML)"):
            download = press_for_download(page, label, app_url, open_panel)
            files[label] = tmp_path / download.suggested_filename
            download.save_as(files[label])
    finally:
        context.close()
    assert files["Workbook (XLSX)"].name == "pact-report-2022-2024.xlsx"
    wb = load_workbook(files["Workbook (XLSX)"])
    with Session(demo_engine) as session:
        report = gather_pact_report(
            session=session, caller=OFFICER,
            filters=Filters(year_from=2022, year_to=2024, ecosystems=("health", "digital")),
        )  # fmt: skip
    members = report.charts[0].data
    sheet = wb["Members by year"]
    shown = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)]
    assert shown == [int(v) for v in members["members"]]
    about = {row[0]: row[1] for row in wb["Summary"].iter_rows(values_only=True) if row[0]}
    assert about["Made for"] == "Administrator: exact figures"
    page_text = files["Report with charts (HTML)"].read_text(encoding="utf-8")
    assert page_text.startswith("<!DOCTYPE html>") and page_text.count("Plotly.newPlot(") == 2


@pytest.mark.parametrize("name", ["pact-public", "partnership"])
def test_html_report_has_no_moderate_or_worse_axe_violations(
    browser: Any, report_files: dict[str, tuple[Path, Report]], name: str
) -> None:
    """axe-core on the report with every table opened: no moderate, serious or critical violation."""
    if not accessibility.AXE_JS.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{accessibility.AXE_JS} is missing in CI: run npm ci in tests/browser/js")
        pytest.skip("axe-core is not installed (npm ci --prefix tests/browser/js)")
    path, _ = report_files[name]
    _, _, page = open_recording(browser, path.as_uri(), wait_for=".js-plotly-plot .main-svg")
    try:
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        page.add_script_tag(path=str(accessibility.AXE_JS))
        violations = page.evaluate(
            """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
                .filter(v => ['moderate', 'serious', 'critical'].includes(v.impact))
                .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"""
        )
    finally:
        page.context.close()
    assert not violations, violations
