"""Browser tier, presenting: the Present page shows no chrome and advances; its QR code, read by
a real decoder, opens the audience view of the same deck; the audience view fits a phone,
stays on this host, survives a malformed link and a dropped connection; and a member joining
during the talk changes and marks the numbers on the projector and on the phones.

Runs its own `streamlit run dashboard.py` on a store it can write to. Screenshots land in
artifacts/screenshots/present-*.png.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import date
from typing import Any
from urllib.parse import unquote, urlparse

import pytest

from tests.browser.conftest import REPO, SCREENSHOTS, _free_port, _require_chromium

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
DECK = "eco=health,digital&slides=numbers,growth,map,share"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite store with the demo data that the live-update test writes to."""
    from data_access import make_engine
    from fixtures.load_demo import load_demo

    url = f"sqlite:///{tmp_path_factory.mktemp('present') / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine)
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def server(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The dashboard on loopback, serving the audience view next to the pages."""
    _require_chromium()
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": store_url, "PACT_SEED_DEMO": "0"}
    log = (tmp_path_factory.mktemp("present-server") / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
         f"--server.port={port}", "--server.address=127.0.0.1"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"streamlit did not start; see {log.name}") from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _watch_hosts(page: Any) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).hostname or ""))
    return hosts


def _external(hosts: set[str]) -> set[str]:
    return {h for h in hosts if h and h not in LOCAL_HOSTS and not h.startswith("127.")}


def _open_presenter(browser: Any, url: str) -> Any:
    page = browser.new_page(viewport={"width": 1600, "height": 900})
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector(".pact-now", state="attached", timeout=60_000)
    page.wait_for_selector(".pact-deck.stage .slide", timeout=60_000)
    return page


def _slide(page: Any) -> str:
    return str(page.get_attribute(".pact-now", "data-slide"))


def _wait_slide(page: Any, slide: str) -> None:
    page.wait_for_selector(f'.pact-now[data-slide="{slide}"]', state="attached", timeout=15_000)


def _shot(page: Any, name: str, full_page: bool = False) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"present-{name}.png"), full_page=full_page)


def _tiles(page: Any, scope: str = "") -> dict[str, str]:
    values: dict[str, str] = page.eval_on_selector_all(
        f"{scope} [data-tile^='numbers.']",
        "els => Object.fromEntries(els.map(e => [e.dataset.tile, "
        "e.querySelector('.value').textContent]))",
    )
    return values


def test_presenter_shows_no_chrome_and_slides_advance(server: str, browser: Any) -> None:
    page = _open_presenter(browser, f"{server}/present?{DECK}")
    hosts = _watch_hosts(page)
    try:
        assert _slide(page) == "numbers"
        for chrome in ('[data-testid="stSidebar"]', '[data-testid="stHeader"]',
                       '[data-testid="stToolbar"]', '[data-testid="stSidebarNav"]'):  # fmt: skip
            assert not page.locator(chrome).first.is_visible(), chrome
        box = page.locator(".pact-deck.stage").bounding_box()
        assert box is not None and box["x"] == 0 and box["y"] == 0
        assert box["width"] >= 1590 and box["height"] >= 890
        assert page.locator("#slide-numbers").is_visible()
        assert not page.locator("#slide-growth").is_visible()
        assert page.locator('[data-testid="stException"]').count() == 0
        _shot(page, "numbers")
        page.keyboard.press("ArrowRight")
        _wait_slide(page, "growth")
        assert page.locator("#slide-growth svg.chart").first.is_visible()
        _shot(page, "growth")
        page.get_by_role("button", name="Next").click()
        _wait_slide(page, "map")
        assert page.locator("#slide-map svg.map path").count() > 30
        _shot(page, "map")
        page.get_by_role("button", name="Previous").click()
        _wait_slide(page, "growth")
        page.keyboard.press("ArrowLeft")
        _wait_slide(page, "numbers")
        assert "1 / 4" in page.locator(".pact-now").inner_text()
    finally:
        page.close()
    assert not _external(hosts), sorted(_external(hosts))


def _decode_qr(png: bytes) -> str:
    try:
        import zxingcpp
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("the QR test needs zxing-cpp (requirements-dev.txt)")
        pytest.skip("the QR test needs zxing-cpp: pip install zxing-cpp")
    from PIL import Image

    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results, "no QR code found in the screenshot"
    return str(results[0].text)


def test_qr_code_opens_the_audience_view_of_this_deck(server: str, browser: Any) -> None:
    presenter = _open_presenter(browser, f"{server}/present?{DECK}")
    try:
        presenter.get_by_role("button", name="Share").click()
        _wait_slide(presenter, "share")
        qr = presenter.locator("#slide-share .qr")
        qr.wait_for(state="visible")
        _shot(presenter, "share")
        link = _decode_qr(qr.screenshot())
        projected = _tiles(presenter, "#slide-numbers")
    finally:
        presenter.close()
    assert urlparse(link).netloc == urlparse(server).netloc
    assert urlparse(link).path.startswith("/s/")
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    try:
        response = phone.goto(link)
        assert response is not None and response.ok
        assert urlparse(phone.url).path == "/live"
        assert unquote(urlparse(phone.url).query) == DECK
        shown = [s.get_attribute("id") for s in phone.locator("main .slide").all()]
        assert shown == ["slide-numbers", "slide-growth", "slide-map"]
        assert _tiles(phone) == projected
    finally:
        phone.context.close()


def test_audience_view_fits_a_phone_and_stays_on_this_host(server: str, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    hosts = _watch_hosts(page)
    try:
        page.goto(f"{server}/live?eco=health", wait_until="networkidle")
        widths = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert widths[0] <= widths[1], f"horizontal scroll: {widths}"
        feed = page.request.get(f"{server}/live/feed.json?eco=health").json()
        tiles = _tiles(page)
        assert tiles == {k: v["value"] for k, v in feed["tiles"].items() if k in tiles}
        assert len(tiles) == 5
        assert page.get_by_text("Open the full interactive dashboard").is_visible()
        _shot(page, "phone", full_page=True)
        onward = page.get_attribute("a.onward", "href")
        assert onward == "/?eco=health"
    finally:
        context.close()
    assert not _external(hosts), sorted(_external(hosts))


def test_short_link_redirects_and_malformed_links_explain(server: str, browser: Any) -> None:
    presenter = _open_presenter(browser, f"{server}/present?eco=health&slides=map")
    presenter.close()  # the Present page stored its deck's short code; phones find it
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{server}/live?eco=health,atlantis&slides=map,nope")
        href = page.get_attribute(".foot .short a", "href")
        assert href is not None and "/s/" in href
        response = page.request.get(href, max_redirects=0)
        assert response.status == 302
        assert response.headers["location"] == "/live?eco=health&slides=map"
        notice = page.locator(".notice").inner_text()
        assert "not understood" in notice and "atlantis" in notice and "nope" in notice
        assert page.locator("#slide-map svg.map").is_visible()
        missing = page.goto(f"{server}/s/zzzzzz")
        assert missing is not None and missing.status == 404
        assert page.get_by_text("This short link is not known here").is_visible()
    finally:
        context.close()


def test_phone_keeps_its_view_through_a_dropped_connection(server: str, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"{server}/live?eco=digital")
        before = _tiles(page)
        context.set_offline(True)
        page.wait_for_selector("#status.offline", timeout=30_000)
        assert _tiles(page) == before  # the last figures stay on screen
        context.set_offline(False)
        page.wait_for_function(
            "() => !document.querySelector('#status').classList.contains('offline')",
            timeout=60_000,
        )
        page.reload()  # and the URL alone brings the view back
        assert _tiles(page) == before
    finally:
        context.close()


def test_a_member_joining_shows_and_is_marked_everywhere(
    server: str, browser: Any, store_url: str
) -> None:
    from sqlmodel import Session, select

    from data_access import make_engine, record_change
    from data_access.models import Membership, Organisation, Partnership

    presenter = _open_presenter(browser, f"{server}/present?eco=health&slides=numbers")
    phone_context = browser.new_context(viewport=PHONE, is_mobile=True)
    phone = phone_context.new_page()
    try:
        phone.goto(f"{server}/live?eco=health&slides=numbers")
        before = int(_tiles(phone)["numbers.members"].replace(",", ""))
        assert (
            int(_tiles(presenter, "#slide-numbers")["numbers.members"].replace(",", "")) == before
        )
        engine = make_engine(store_url)
        with Session(engine) as session:
            health = session.exec(
                select(Partnership).where(Partnership.slug == "health-workforce")
            ).one()
            organisation = Organisation(
                name="Joined during the event", org_type="ngo", country_code="BE"
            )
            session.add(organisation)
            session.flush()
            session.add(
                Membership(
                    partnership_id=health.id,  # type: ignore[arg-type]
                    organisation_id=organisation.id,  # type: ignore[arg-type]
                    joined_on=date(2024, 6, 1),
                )
            )
            record_change(session=session, source="reports", as_of="2024-12-31")
            session.commit()
        engine.dispose()
        changed = '.tile.changed[data-tile="numbers.members"]'
        presenter.wait_for_selector(changed, timeout=30_000)
        phone.wait_for_selector(changed, timeout=30_000)
        for page in (presenter, phone):
            tile = page.locator(changed)
            assert int(tile.locator(".value").inner_text().replace(",", "")) == before + 1
            assert "▲ +1" in tile.locator(".mark").inner_text()
        _shot(presenter, "live-update")
        _shot(phone, "live-update-phone", full_page=True)
    finally:
        presenter.close()
        phone_context.close()
