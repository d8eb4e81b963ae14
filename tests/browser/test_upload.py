"""Browser tier, loading reports: upload a European-locale file on the Data page, see the
preview, load it, see the new numbers on the Overview, and undo the batch.

Runs its own dashboard on its own database, so the other browser tests never see the change.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from data_access import make_engine
from fixtures.demo import build_demo_pact
from fixtures.load_demo import load_demo
from tests.browser.conftest import SCREENSHOTS, _require_chromium, running_dashboard
from tests.browser.settle import settle
from tests.upload_files import european_csv

pytestmark = pytest.mark.browser

YEAR = 2025  # after every demo report, so the year's figures are the file's alone
SKILL_AREA = "green"


@pytest.fixture(scope="module")
def own_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A dashboard on a fresh SQLite store seeded with the demo data."""
    _require_chromium()
    folder = tmp_path_factory.mktemp("upload")
    url = f"sqlite:///{folder / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine)
    engine.dispose()
    with running_dashboard(url, folder / "streamlit.log") as app:
        yield app


def report_rows() -> tuple[str, list[dict[str, Any]], int]:
    """Outcome rows for three members of one partnership, and the people they add up to."""
    pact = build_demo_pact()
    slug = pact.partnerships[0].slug
    names = {o.key: o for o in pact.organisations}
    members = sorted({m.organisation for m in pact.memberships if m.partnership == slug})[:3]
    rows = []
    for number, key in enumerate(members, start=1):
        organisation = names[key]
        rows.append(
            {
                "partnership": slug,
                "organisation": organisation.name,
                "country": organisation.country_code,
                "year": YEAR,
                "quarter": "",
                "skill_area": SKILL_AREA,
                "women": 100 * number,
                "men": 20 * number,
                "other_gender": 0,
                "not_recorded": 3,
                "programmes": number,
                "investment_eur": 1234.5 * number,
                "people_reached": 10 * number,
            }
        )
    people = sum(r["women"] + r["men"] + r["other_gender"] + r["not_recorded"] for r in rows)
    return slug, rows, people


def wait_idle(page: Any) -> None:
    """Until Streamlit's script has finished."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    settle(page)


def people_tile(page: Any) -> str:
    """The value of the Overview's 'People up/re-skilled' tile."""
    tile = page.locator('[data-testid="stMetric"]', has_text="People up/re-skilled")
    tile.first.wait_for(timeout=60_000)
    return str(tile.first.locator('[data-testid="stMetricValue"]').inner_text()).strip()


def test_upload_preview_commit_overview_undo(own_app: str, browser: Any, tmp_path: Path) -> None:
    slug, rows, people = report_rows()
    upload = tmp_path / f"rapport-{YEAR}.csv"
    upload.write_bytes(european_csv(rows, encoding="utf-8-sig"))  # ";", decimal comma, BOM
    overview = f"{own_app}/?lsp={slug}&from={YEAR}&to={YEAR}"
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    try:
        # Before: the year is not in the data, so the Overview ignores it and says so.
        page.goto(overview, wait_until="domcontentloaded")
        wait_idle(page)
        before = people_tile(page)

        page.goto(f"{own_app}/data", wait_until="domcontentloaded")
        wait_idle(page)
        kinds = page.locator('[data-testid="stRadio"]')
        kinds.get_by_text("Outcome reports (what members delivered)").click()
        wait_idle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        try:
            page.get_by_text("passed the checks").wait_for(timeout=60_000)
        finally:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / "data-checked.png"), full_page=True)
        new_tile = page.locator('[data-testid="stMetric"]', has_text="New rows")
        assert new_tile.locator('[data-testid="stMetricValue"]').inner_text().strip() == "3"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "data-preview.png"), full_page=True)

        page.get_by_role("button", name=re.compile(r"Load 3 row")).click()
        page.get_by_text(re.compile(r"Loaded as batch \d+")).wait_for(timeout=60_000)
        batches = page.locator('[data-testid="stDataFrame"]').last
        batches.wait_for(timeout=30_000)
        page.screenshot(path=str(SCREENSHOTS / "data-loaded.png"), full_page=True)

        page.goto(overview, wait_until="domcontentloaded")
        wait_idle(page)
        assert people_tile(page) == f"{people:,}"
        assert page.get_by_text(f"People up/re-skilled, {YEAR}–{YEAR}").count() >= 1

        page.goto(f"{own_app}/data", wait_until="domcontentloaded")
        wait_idle(page)
        page.get_by_role("button", name="Undo this batch").click()
        page.get_by_text(re.compile(rf"Batch \d+ \(rapport-{YEAR}\.csv\) undone")).wait_for(
            timeout=60_000
        )

        page.goto(overview, wait_until="domcontentloaded")
        wait_idle(page)
        assert people_tile(page) == before
    finally:
        context.close()
