"""The audience view (/live): its numbers equal independent computations and the Overview's,
it obeys the public disclosure rules, a malformed link gets a clear message, and the HTTP
routes cache, revalidate and redirect as phones need."""

from __future__ import annotations

import json
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from html import unescape
from html.parser import HTMLParser

import pandas as pd
import pytest
from sqlalchemy.engine import Engine
from starlette.applications import Starlette
from streamlit.testing.v1 import AppTest

import presenter.live as live_module
from data_access import PUBLIC, Filters, make_engine
from presenter import links
from presenter.content import spotlight_lead, spotlight_slide
from presenter.data import deck_data
from presenter.deck import Deck
from presenter.live import LiveService, SharedCache
from presenter.routes import audience_routes
from tests.expected import Expected, public_cells, record_keys
from views.format import exact_number, exact_text

with warnings.catch_warnings():  # Starlette would rather have httpx2; httpx works the same
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

BASE = "http://testserver"

CASES = [
    pytest.param("from=2022&to=2024&eco=health,digital",
                 Filters(year_from=2022, year_to=2024, ecosystems=("health", "digital")),
                 id="ecosystems"),
    pytest.param("to=2023&country=DE,PL&type=sme,vet_provider",
                 Filters(year_from=2020, year_to=2023, countries=("DE", "PL"),
                         org_types=("sme", "vet_provider")),
                 id="countries-types"),
    pytest.param("", Filters(year_from=2020, year_to=2024), id="whole-pact"),
]  # fmt: skip


def _people(value: int) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f}M".replace(".00M", "M")
    if value >= 100_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"


@pytest.fixture()
def live(demo_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> LiveService:
    monkeypatch.setattr(links, "STORE", lambda: demo_engine)  # short links in the same store
    return LiveService(lambda: demo_engine)


def _tiles(live: LiveService, query: str) -> dict[str, dict[str, object]]:
    feed = json.loads(live.view(query, BASE).feed.body)
    tiles: dict[str, dict[str, object]] = feed["tiles"]
    return tiles


@pytest.fixture(scope="module")
def keys(demo_engine: Engine) -> dict[tuple[str, str], float]:
    return record_keys(demo_engine)


@pytest.mark.parametrize(("query", "filters"), CASES)
def test_feed_numbers_equal_independent_computations(
    live: LiveService,
    expected: Expected,
    keys: dict[tuple[str, str], float],
    query: str,
    filters: Filters,
) -> None:
    tiles = _tiles(live, query)
    assert filters.year_to is not None and filters.year_from is not None
    year = filters.year_to
    end, prev = date(year, 12, 31), date(year - 1, 12, 31)
    members = expected.members_at(filters, end)
    assert tiles["numbers.members"]["value"] == f"{members:,}"
    assert tiles["numbers.members"]["raw"] == members
    assert tiles["numbers.members"]["delta"] == (
        f"{members - expected.members_at(filters, prev):+,} on {year - 1}"
    )
    assert tiles["numbers.partnerships"]["raw"] == expected.partnerships_at(filters, end)
    assert tiles["numbers.ecosystems"]["raw"] == expected.ecosystems_at(filters, end)
    # the cumulative total of the period: its years' public figures added up
    by_year = public_cells(expected, keys, filters, "year")
    people = sum(float(c.values["people_trained"] or 0) for c in by_year.values())
    assert tiles["numbers.people"]["raw"] == people
    assert tiles["numbers.people"]["value"] == _people(int(people))
    last = public_cells(expected, keys, filters.with_years(year, year), None)[""].values
    women, men, other = (float(last[m] or 0) for m in ("women", "men", "other_gender"))
    assert tiles["numbers.women"]["value"] == f"{women / (women + men + other):.1%}"


@pytest.mark.parametrize(("query", "filters"), CASES[:2])
def test_page_shows_the_feed_numbers_and_the_slides(
    live: LiveService, query: str, filters: Filters
) -> None:
    view = live.view(query, BASE)
    html = view.page.body.decode()
    for tile in json.loads(view.feed.body)["tiles"].values():
        assert f'<div class="value">{tile["value"]}</div>' in html
    for slide in ("numbers", "growth", "gender", "skills", "map", "spotlight"):
        assert f'id="slide-{slide}"' in html
    assert html.count("<svg") >= 6  # charts, map and the QR code, all inline
    assert "Demo data." in html


def test_skill_bars_equal_independent_totals(
    live: LiveService, expected: Expected, keys: dict[tuple[str, str], float]
) -> None:
    filters = Filters(year_from=2020, year_to=2024, ecosystems=("health", "digital"))
    content = live.content(live.view("eco=health,digital", BASE).deck, live.version())
    skills = content.slide("skills")
    assert skills is not None
    bars = skills.charts[0]
    cells = public_cells(expected, keys, filters, "skill_area")
    want = {label: cell.values["people_trained"] for label, cell in cells.items()}
    assert dict(zip(bars.labels, bars.values, strict=True)) == want  # type: ignore[union-attr]


def test_public_rules_withhold_what_few_organisations_reported(
    live: LiveService, expected: Expected
) -> None:
    filters = Filters(year_from=2020, year_to=2024, partnerships=("automotive",), countries=("LU",))
    members = expected.members_at(filters, date(2024, 12, 31))
    reporters = {r.organisation for r in expected.reports(filters)}
    assert 0 < len(reporters) < PUBLIC.rules.min_organisations  # outcomes the public may not see
    view = live.view("lsp=automotive&country=LU", BASE)
    tiles = json.loads(view.feed.body)["tiles"]
    assert tiles["numbers.members"]["raw"] == members  # membership is public
    assert tiles["numbers.people"]["raw"] is None
    assert tiles["numbers.people"]["value"] == "suppressed"
    people = expected.people(expected.reports(filters))
    html = view.page.body.decode()
    tile = html.split('data-tile="numbers.people"', 1)[1].split("</div></div>", 1)[0]
    assert '<div class="value">suppressed</div>' in tile
    assert f">{people}<" not in tile and f">{people:,}<" not in tile


def test_malformed_link_gives_a_clear_message_and_the_rest(live: LiveService) -> None:
    view = live.view("eco=health,atlantis&slides=map,nope&every=soon&to=abc&zzz=1", BASE)
    html = unescape(view.page.body.decode())
    assert "Parts of this link were not understood" in html
    for fragment in ("atlantis", "nope", "zzz", "'to'", "'every'"):
        assert fragment in html
    assert view.deck.filters.ecosystems == ("health",)
    assert view.deck.slides == ("map",)
    assert 'id="slide-map"' in html


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v or "" for k, v in attrs if k in ("src", "href", "action")]


def test_page_needs_no_other_request_and_names_no_other_host(live: LiveService) -> None:
    html = live.view("eco=health", BASE).page.body.decode()
    parser = _Links()
    parser.feed(html)
    assert parser.urls
    for url in parser.urls:
        assert url.startswith(("/", f"{BASE}/", "data:image/png;base64,")), url
    assert "<script src" not in html and 'rel="stylesheet"' not in html
    assert ".pact-deck" in html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "fetch(feedUrl" in html.split("<script>", 1)[1]


def test_one_render_is_shared_by_every_viewer(live: LiveService) -> None:
    first = live.view("eco=health", BASE)
    assert live.view("eco=health", BASE) is first
    assert live.content(first.deck, live.version()) is live.content(first.deck, live.version())


def test_shared_cache_computes_a_key_once_and_retries_after_an_error() -> None:
    cache: SharedCache[str, int] = SharedCache(2)
    calls: list[str] = []

    def build(value: int) -> Callable[[], int]:
        def run() -> int:
            calls.append("x")
            if value < 0:
                raise ValueError("broken")
            return value

        return run

    assert cache.get("a", build(1)) == 1
    assert cache.get("a", build(2)) == 1
    with pytest.raises(ValueError):
        cache.get("b", build(-1))
    assert cache.get("b", build(3)) == 3
    cache.get("c", build(4))  # evicts "a", the least recently used
    assert cache.get("a", build(5)) == 5
    assert len(calls) == 5


# -- the HTTP routes ---------------------------------------------------------------------
@pytest.fixture()
def client(live: LiveService, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setattr(live_module, "_service", live)
    with TestClient(Starlette(routes=audience_routes())) as test_client:
        yield test_client


def test_page_and_feed_revalidate_with_etags(client: TestClient) -> None:
    page = client.get("/live?eco=health", headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip"
    assert page.headers["cache-control"] == "no-cache"
    again = client.get("/live?eco=health", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    feed = client.get("/live/feed.json?eco=health")
    assert feed.status_code == 200 and len(feed.content) < 2_000
    assert feed.json()["page"] == page.headers["etag"]
    assert (
        client.get(
            "/live/feed.json?eco=health", headers={"If-None-Match": feed.headers["etag"]}
        ).status_code
        == 304
    )


def test_short_link_redirects_to_the_deck(client: TestClient, live: LiveService) -> None:
    links.short_code("eco=health&slides=map,numbers")  # the Present page stores its deck's code
    html = client.get("/live?slides=map,numbers&eco=health").text
    short = html.split(f'href="{BASE}/s/', 1)[1].split('"', 1)[0]
    query = links.resolve(short)
    assert query == "eco=health&slides=map,numbers"
    response = client.get(f"/s/{short}", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"] == f"/live?{query}"
    followed = client.get(f"/s/{short}")
    assert followed.status_code == 200 and 'id="slide-map"' in followed.text


def test_a_deck_nobody_presents_stores_no_short_link(
    client: TestClient, live: LiveService, demo_engine: Engine
) -> None:
    """Any public request may name a new deck: it must not add a row to the store (an
    unbounded write), so its page carries the full address instead of a short link."""
    from sqlalchemy import text

    def stored() -> int:
        with demo_engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM short_link")).scalar_one())

    before = stored()
    for country in ("DE", "FR", "IT", "ES"):
        html = client.get(f"/live?country={country}&slides=numbers,map").text
        assert f'href="{BASE}/live?country={country}&amp;slides=numbers,map"' in html
        assert f"{BASE}/s/" not in html
    assert stored() == before


def test_unknown_short_link_and_overlong_link_explain_themselves(client: TestClient) -> None:
    missing = client.get("/s/qqqqqq")
    assert missing.status_code == 404
    assert "This short link is not known here" in missing.text
    assert 'href="/live"' in missing.text
    too_long = client.get("/live?eco=" + "x" * 5_000)
    assert too_long.status_code == 414 and "too long" in too_long.text


# -- against the Overview ------------------------------------------------------------------
def _metric(at: AppTest, label: str) -> str:
    for metric in at.metric:
        if metric.label == label:
            return str(metric.value)
    raise AssertionError(f"no metric {label!r}: {[m.label for m in at.metric]}")


@pytest.mark.parametrize(
    "params",
    [{"from": "2022", "eco": "health,digital"}, {"country": "LU", "type": "cluster"}],
    ids=["ecosystems", "small-cells"],
)
def test_audience_shows_the_overviews_numbers_for_the_public(
    run_page: Callable[..., AppTest], app_database_url: str, params: dict[str, str]
) -> None:
    at = run_page("pages/overview.py", caller=PUBLIC, **params)
    assert not at.exception
    engine = make_engine(app_database_url)
    try:
        view = LiveService(lambda: engine).view(
            "&".join(f"{k}={v}" for k, v in params.items()), BASE
        )
        html = view.page.body.decode()
        tiles = json.loads(view.feed.body)["tiles"]
        headline = [key for key in tiles if key.startswith("numbers.")]
        assert len(headline) == 5
        for key in headline:
            markup = html.split(f'data-tile="{key}"', 1)[1]
            label = markup.split('<div class="label">', 1)[1].split("</div>", 1)[0]
            assert _metric(at, unescape(label)) == tiles[key]["value"], label
    finally:
        engine.dispose()


_DATA_RAW = re.compile(r'data-tile="([^"]+)" data-raw="([^"]*)"')


def test_page_and_feed_carry_exact_numbers_never_cut_to_six_digits(live: LiveService) -> None:
    view = live.view("", BASE)
    html = view.page.body.decode()
    feed = json.loads(view.feed.body)["tiles"]
    shown = dict(_DATA_RAW.findall(html))
    assert feed["numbers.people"]["raw"] > 1_000_000  # a number :g would cut
    assert shown.keys() == feed.keys()
    for key, tile in feed.items():
        raw = tile["raw"]
        assert shown[key] == ("" if raw is None else str(raw)), key
        if isinstance(raw, float):
            assert 0 <= raw <= 1 and "e" not in shown[key], key  # shares, as decimals
        else:
            assert raw is None or isinstance(raw, int), key
    assert not re.search(r"\d\.\d+e[+-]\d", html + view.feed.body.decode())
    assert "nan" not in re.sub(r"<[^>]+>", " ", html).lower().split()


def test_exact_numbers_for_machines() -> None:
    assert exact_number(6100023.0) == 6100023 and exact_text(6100023.0) == "6100023"
    assert exact_number(0.4567) == 0.4567 and exact_text(0.4567) == "0.4567"
    assert exact_text(0.00001) == "0.00001" and exact_text(None) == ""
    assert exact_number(float("nan")) is None


def test_spotlight_without_pledge_text_says_no_nan(demo_engine: Engine) -> None:
    deck = Deck(filters=Filters(year_from=2020, year_to=2024), slides=("spotlight",))
    data = deck_data(demo_engine, deck)
    assert data.comparison is not None and data.spotlight is not None
    comparison = data.comparison.copy()
    comparison["pledge_text"] = comparison["pledge_text"].astype(object)
    comparison.loc[comparison["slug"] == data.spotlight, "pledge_text"] = float("nan")
    slide = spotlight_slide(replace(data, comparison=comparison), 2024, "2020–2024")
    assert slide.lead is not None
    assert "nan" not in slide.lead.lower() and "Pledge" not in slide.lead
    assert slide.lead.endswith(".")
    with_pledge = comparison.assign(pledge_text="Train 10,000 people by 2030")
    lead = spotlight_slide(replace(data, comparison=with_pledge), 2024, "2020–2024").lead
    assert lead is not None and lead.endswith(" Pledge: Train 10,000 people by 2030.")


def test_spotlight_lead_leaves_out_what_the_store_lacks() -> None:
    row = pd.Series(
        {
            "name": "Example partnership",
            "kind": "large-scale",
            "ecosystem": "Health",
            "launch_date": pd.NaT,
            "pledge_text": None,
        }
    )
    assert spotlight_lead(row) == "Example partnership: large-scale partnership in Health."
