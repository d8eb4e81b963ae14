"""Tier 3, Present page: the deck from the URL, next and previous, public numbers whoever is
signed in, the share slide, notices for a malformed link, and numbers marked when data changes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

import presenter.live as live_module
from data_access import PUBLIC, make_engine, record_change
from data_access.models import Membership, Organisation, Partnership
from fixtures.load_demo import load_demo
from presenter.live import LiveService
from tests.callers import ADMIN, OFFICER

PAGE = "pages/present.py"


def stage(at: AppTest) -> str:
    """The markup of the slide on the stage."""
    for block in at.markdown:
        if 'class="pact-deck stage"' in block.value:
            return str(block.value)
    raise AssertionError("no stage on the page")


def marker(at: AppTest) -> str:
    """The position marker: which slide shows, its number and the timing."""
    for block in at.markdown:
        if 'class="pact-now"' in block.value:
            return str(block.value)
    raise AssertionError("no position marker on the page")


def current(at: AppTest) -> str:
    """The key of the slide on screen."""
    found = re.search(r'data-slide="([a-z]+)"', marker(at))
    assert found
    return found.group(1)


def tile_value(markup: str, key: str) -> str:
    found = re.search(rf'data-tile="{re.escape(key)}".*?<div class="value">(.*?)</div>', markup)
    assert found, key
    return found.group(1)


def public_feed(database_url: str, query: str) -> dict[str, dict[str, object]]:
    engine = make_engine(database_url)
    try:
        view = LiveService(lambda: engine).view(query, "http://x")
        tiles: dict[str, dict[str, object]] = json.loads(view.feed.body)["tiles"]
        return tiles
    finally:
        engine.dispose()


@pytest.fixture(autouse=True)
def fresh_live_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test gets its own live service (the app's store changes between tests)."""
    monkeypatch.setattr(live_module, "_service", None)


def test_deck_from_the_url_with_public_numbers(
    run_page: Callable[..., AppTest], app_database_url: str
) -> None:
    at = run_page(PAGE, caller=OFFICER, slides="numbers,share", theme="light", eco="health,digital")
    assert not at.exception
    markup = stage(at)
    assert 'data-theme="light"' in markup and current(at) == "numbers"
    assert "1 / 2" in marker(at)
    assert 'id="slide-numbers"' in markup and 'id="slide-share"' in markup
    assert 'id="slide-map"' not in markup
    tiles = public_feed(app_database_url, "eco=health,digital")
    for key in ("numbers.partnerships", "numbers.members", "numbers.people", "numbers.women"):
        assert tile_value(markup, key) == tiles[key]["value"]
    # the address bar keeps the deck and the filters
    assert at.query_params["slides"] == "numbers,share"
    assert at.query_params["theme"] == "light"
    assert at.query_params["eco"] == "health,digital"


def test_signed_in_officer_still_presents_public_numbers(
    run_page: Callable[..., AppTest],
) -> None:
    params = {"lsp": "automotive", "country": "LU"}
    overview = run_page("pages/overview.py", caller=ADMIN, **params)
    shown = {m.label: m.value for m in overview.metric}
    people = next(v for label, v in shown.items() if label.startswith("People up/re-skilled"))
    assert people not in ("suppressed", "0")
    at = run_page(PAGE, caller=ADMIN, slides="numbers", **params)
    assert not at.exception
    assert tile_value(stage(at), "numbers.people") == "suppressed"  # as the public sees it


def test_next_and_previous_walk_the_deck_in_order(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE, slides="map,numbers,share")
    assert current(at) == "map"
    at.button(key="present_next").click().run()
    assert current(at) == "numbers"
    at.button(key="present_next").click().run()
    assert current(at) == "share" and "3 / 3" in marker(at)
    share = stage(at).split('id="slide-share"', 1)[1]
    assert "<svg" in share.split('class="qr"', 1)[1]
    assert re.search(r"/s/[a-z2-9]{6}", share)
    at.button(key="present_next").click().run()  # wraps to the first slide
    assert current(at) == "map"
    at.button(key="present_prev").click().run()
    assert current(at) == "share"
    at.button(key="present_prev").click().run()
    at.button(key="present_share").click().run()
    assert current(at) == "share"
    assert not at.exception


def test_malformed_deck_link_is_reported_on_the_stage(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE, slides="numbers,nope", every="soon", theme="neon")
    assert not at.exception
    markup = stage(at)
    assert current(at) == "numbers" and 'data-theme="dark"' in markup
    assert "Unknown slide" in markup and "Unknown theme" in markup and "every" in markup


def test_chrome_is_hidden_and_auto_advance_offers_pause(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE, slides="numbers,growth", every="20")
    css = " ".join(str(h.proto.body) for h in at.get("html"))
    assert '[data-testid="stSidebar"]' in css and "display: none" in css
    assert '[data-testid="stHeader"]' in css
    assert at.button(key="present_pause").label == "Pause"
    at.button(key="present_pause").click().run()
    assert at.button(key="present_pause").label == "Resume"
    assert "paused" in marker(at)


def test_a_member_joining_is_marked_on_the_stage(
    run_page: Callable[..., AppTest], tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/live.sqlite3"
    engine = make_engine(url)
    load_demo(engine)
    monkeypatch.setenv("DATABASE_URL", url)  # this test writes: its own store
    at = run_page(PAGE, slides="numbers", eco="health")
    before = tile_value(stage(at), "numbers.members")
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
                partnership_id=health.id, organisation_id=organisation.id,  # type: ignore[arg-type]
                joined_on=date(2024, 6, 1),
            )
        )  # fmt: skip
        record_change(session=session, source="reports", as_of="2024-12-31")
        session.commit()
    live_module.service().clear()  # the next tick reads the new data version at once
    at.run()
    markup = stage(at)
    after = tile_value(markup, "numbers.members")
    assert int(after.replace(",", "")) == int(before.replace(",", "")) + 1
    changed = re.search(
        r'<div class="tile changed" data-tile="numbers.members".*?</div></div>', markup
    )
    assert changed and "▲ +1" in changed.group(0)
    assert PUBLIC.rules.min_organisations <= int(after.replace(",", ""))
    engine.dispose()
