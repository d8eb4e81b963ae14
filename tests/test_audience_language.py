"""The audience view (/live) speaks the reader's language: the URL's `lang=` first, else the
phone's Accept-Language, else English; one rendering per (link, language, data version) is
shared by every phone, and the pseudo-locale shows no English word of the interface."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Iterator

import pytest
from babel import Locale
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from starlette.middleware.gzip import GZipMiddleware

import presenter.live as live_module
from data_access.reference import ECOSYSTEMS, SKILL_AREAS
from figures.geometry import country_names
from i18n import PSEUDO, using
from presenter import links
from presenter.data import deck_data
from presenter.html import stage_html
from presenter.live import LiveService
from presenter.routes import audience_routes
from tests.languages import FRENCH, GERMAN, english_left, test_catalogs, visible_text

with warnings.catch_warnings():  # Starlette would rather have httpx2; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

__all__ = ["test_catalogs"]  # the fixture, used by name

BASE = "http://testserver"
GERMAN_PHONE = {"Accept-Language": "de-DE,de;q=0.9"}
LANG = re.compile(r'<html lang="([^"]+)"')


@pytest.fixture()
def live(
    demo_engine: Engine, monkeypatch: pytest.MonkeyPatch, test_catalogs: object
) -> LiveService:
    monkeypatch.setattr(links, "STORE", lambda: demo_engine)
    service = LiveService(lambda: demo_engine)
    monkeypatch.setattr(live_module, "_service", service)
    return service


@pytest.fixture()
def client(live: LiveService) -> Iterator[TestClient]:
    with TestClient(Starlette(routes=audience_routes())) as test_client:
        yield test_client


def _lang(html: str) -> str:
    found = LANG.search(html)
    assert found, "no <html lang>"
    return found.group(1)


def test_a_german_phone_gets_the_page_in_german(client: TestClient) -> None:
    page = client.get("/live", headers=GERMAN_PHONE)
    assert page.status_code == 200
    assert _lang(page.text) == "de"
    for german in GERMAN.values():
        assert german in page.text
    assert "Headline numbers" not in page.text
    assert [v.strip() for v in page.headers["vary"].split(",")] == [
        "Accept-Encoding",
        "Accept-Language",
    ]
    feed = client.get("/live/feed.json", headers=GERMAN_PHONE)
    assert "Accept-Language" in feed.headers["vary"]


def test_the_url_language_wins_over_the_phone(client: TestClient) -> None:
    page = client.get("/live?lang=fr", headers=GERMAN_PHONE)
    assert _lang(page.text) == "fr"
    assert FRENCH["Headline numbers"] in page.text
    assert GERMAN["Headline numbers"] not in page.text
    # the language came from the URL: caches need not keep a copy per Accept-Language
    assert page.headers["vary"] == "Accept-Encoding"
    # the page's own links (the feed and the reload) keep the language it was asked in
    assert 'data-feed="/live/feed.json?lang=fr"' in page.text
    assert 'data-page="/live?lang=fr"' in page.text


@pytest.mark.parametrize("value", ["xx", "", "klingon", "de-"])
def test_an_unknown_language_falls_back_cleanly(client: TestClient, value: str) -> None:
    page = client.get(f"/live?lang={value}")
    assert page.status_code == 200
    expected = "de" if value == "de-" else "en"
    assert _lang(page.text) == expected
    assert "not understood" not in page.text  # lang= is no deck parameter to complain of
    if expected == "en":
        assert "Headline numbers" in page.text
        # a phone's own language still counts when the URL names none of ours
        german = client.get(f"/live?lang={value}", headers=GERMAN_PHONE)
        assert _lang(german.text) == "de"


def test_one_rendering_per_language(client: TestClient, live: LiveService) -> None:
    built: list[str] = []
    build = live._build_view_here

    def counted(raw_query: str, base_url: str, version: int) -> live_module.AudienceView:
        built.append(raw_query)
        return build(raw_query, base_url, version)

    live._build_view_here = counted  # type: ignore[method-assign]
    german = [client.get("/live?eco=health", headers=GERMAN_PHONE) for _ in range(5)]
    english = [client.get("/live?eco=health") for _ in range(5)]
    assert len(built) == 2
    assert len({page.headers["etag"] for page in german}) == 1
    assert len({page.headers["etag"] for page in english}) == 1
    assert german[0].headers["etag"] != english[0].headers["etag"]
    assert german[0].text != english[0].text
    # the views themselves are shared objects, not rebuilt copies
    assert live.view("eco=health", BASE, "de") is live.view("eco=health", BASE, "de")
    assert live.view("eco=health", BASE, "de") is not live.view("eco=health", BASE, "en")


def test_a_short_link_keeps_the_language_it_was_opened_with(
    client: TestClient, live: LiveService
) -> None:
    code = links.short_code("eco=health")
    plain = client.get(f"/s/{code}", follow_redirects=False)
    assert plain.headers["location"] == "/live?eco=health"
    named = client.get(f"/s/{code}?lang=fr", follow_redirects=False)
    assert named.headers["location"] == "/live?eco=health&lang=fr"
    followed = client.get(f"/s/{code}", headers=GERMAN_PHONE)
    assert _lang(followed.text) == "de"
    unknown = client.get("/s/zzzzzz", headers=GERMAN_PHONE)
    assert unknown.status_code == 404 and _lang(unknown.text) == "de"
    assert "Accept-Language" in unknown.headers["vary"]


def test_vary_names_each_header_once_behind_the_servers_gzip(live: LiveService) -> None:
    app = GZipMiddleware(Starlette(routes=audience_routes()), minimum_size=500)
    with TestClient(app) as client:
        for path in ("/live", "/live/feed.json", "/live?slides=numbers", "/live?lang=fr"):
            for headers in (
                {"Accept-Encoding": "gzip"},
                {**GERMAN_PHONE, "Accept-Encoding": "gzip"},
            ):
                response = client.get(path, headers=headers)
                names = [v.strip().lower() for v in response.headers["vary"].split(",")]
                assert len(names) == len(set(names)), (path, response.headers["vary"])


def _data_words(live: LiveService, demo_engine: Engine) -> list[str]:
    """What the page may show in English because it is data: reference and partnership names,
    pledges, the source, the address, country names (the geometry's) and month names (the
    pseudo-locale writes dates as English does)."""
    view = live.view("", BASE, "en")
    data = deck_data(demo_engine, view.deck)
    assert data.comparison is not None
    words: list[str] = [eco.name for eco in ECOSYSTEMS]
    words += [label for _key, label in SKILL_AREAS]
    words += list(country_names().values())
    for column in ("name", "short_name", "pledge_text"):
        words += [str(v) for v in data.comparison[column].dropna()]
    words += [data.state.source_label, BASE + "/live"]
    words += list(Locale.parse("en").months["format"]["wide"].values())
    return words


def _tile_words(live: LiveService) -> Iterable[str]:
    """The tiles' words views/ gives (labels, values, changes): translated there."""
    view = live.view("", BASE, PSEUDO)
    content = live.content(view.deck, live.version())
    for tile in content.tiles:
        yield tile.value
        yield tile.delta or ""
        if tile.key != "spotlight.women":  # this label is the deck's own
            yield tile.label


def test_the_pseudo_locale_leaves_no_english_on_the_phone(
    live: LiveService, demo_engine: Engine
) -> None:
    allowed = [*_data_words(live, demo_engine), *_tile_words(live)]
    page = live.view("", BASE, PSEUDO).page.body.decode()
    assert _lang(page) == PSEUDO
    assert "⟦" in page
    assert english_left(visible_text(page), allowed) == set()
    words = re.search(r'data-words="([^"]*)"', page)
    assert words and "⟦" in words.group(1)


def test_the_pseudo_locale_leaves_no_english_on_the_projector(
    live: LiveService, demo_engine: Engine
) -> None:
    allowed = [*_data_words(live, demo_engine), *_tile_words(live)]
    view = live.view("", BASE, PSEUDO)
    with using(PSEUDO):
        content = live.content(view.deck, live.version())
        share = live.share_link(view.deck, BASE, live.version())
        markup = stage_html(content, theme="dark", share=share)
    assert english_left(visible_text(markup), [*allowed, share.short_url]) == set()
