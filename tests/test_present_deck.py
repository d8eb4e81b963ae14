"""Tier 1, presenter: the deck survives the round trip through its URL; malformed links give
notices and defaults; short links and their QR codes."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import PUBLIC, FilterOptions, Filters, filter_options
from presenter.deck import (
    DEFAULT_SLIDES,
    MAX_INTERVAL,
    MIN_INTERVAL,
    SLIDES,
    THEMES,
    Deck,
    audience_query,
    deck_params,
    deck_query,
    parse_deck,
)
from presenter.links import ALPHABET, CODE_LENGTH, qr_svg, resolve, short_code


@pytest.fixture(scope="module")
def options(demo_engine: Engine) -> FilterOptions:
    with Session(demo_engine) as session:
        return filter_options(session=session, caller=PUBLIC)


def _round_trip(deck: Deck, options: FilterOptions) -> Deck:
    params: dict[str, str | list[str]] = dict(parse_qs(deck_query(deck, options)))
    parsed = parse_deck(params, options)
    assert parsed.notices == ()
    return parsed.deck


def test_default_deck_has_an_empty_query(options: FilterOptions) -> None:
    deck = Deck(filters=Filters(year_from=options.first_year, year_to=options.last_year))
    assert deck_query(deck, options) == ""
    assert _round_trip(deck, options) == deck


def test_a_prepared_deck_round_trips(options: FilterOptions) -> None:
    deck = Deck(
        filters=Filters(
            year_from=2022, year_to=2023, ecosystems=("health",), countries=("DE", "FR")
        ),
        slides=("map", "numbers", "share"),
        interval=30,
        theme="contrast",
        spotlight="health-workforce",
    )
    query = deck_query(deck, options)
    assert "slides=map,numbers,share" in query and "every=30" in query
    assert "theme=contrast" in query and "spot=health-workforce" in query
    assert _round_trip(deck, options) == deck
    # the audience's link has the same deck without the timing
    assert "every" not in audience_query(deck, options)
    assert _round_trip(deck.for_audience(), options) == deck.for_audience()


@st.composite
def decks(draw: st.DrawFn, options: FilterOptions) -> Deck:
    years = list(range(options.first_year, options.last_year + 1))
    year_from = draw(st.sampled_from(years))
    year_to = draw(st.sampled_from([y for y in years if y >= year_from]))

    def some(name: str) -> tuple[str, ...]:
        keys = sorted(options.keys(name))
        return tuple(draw(st.lists(st.sampled_from(keys), unique=True, max_size=3)))

    return Deck(
        filters=Filters(
            year_from=year_from,
            year_to=year_to,
            ecosystems=some("ecosystems"),
            partnerships=some("partnerships"),
            countries=some("countries"),
            org_types=some("org_types"),
            skill_areas=some("skill_areas"),
        ),
        slides=tuple(draw(st.lists(st.sampled_from(list(SLIDES)), unique=True, min_size=1))),
        interval=draw(st.sampled_from([0, MIN_INTERVAL, 45, MAX_INTERVAL])),
        theme=draw(st.sampled_from(list(THEMES))),
        spotlight=draw(st.none() | st.sampled_from(sorted(options.keys("partnerships")))),
    )


def test_any_deck_round_trips(options: FilterOptions) -> None:
    @settings(max_examples=60, deadline=None)
    @given(deck=decks(options))
    def check(deck: Deck) -> None:
        assert _round_trip(deck, options) == deck

    check()


@pytest.mark.parametrize(
    ("params", "expect_notice", "field", "value"),
    [
        ({"slides": "numbers,nope"}, "Unknown slide", "slides", ("numbers",)),
        ({"slides": "nope"}, "No known slide", "slides", DEFAULT_SLIDES),
        ({"every": "soon"}, "'every'", "interval", 0),
        ({"every": "2"}, "between", "interval", MIN_INTERVAL),
        ({"every": "99999"}, "between", "interval", MAX_INTERVAL),
        ({"theme": "neon"}, "Unknown theme", "theme", "dark"),
        ({"spot": "atlantis"}, "Unknown partnership", "spotlight", None),
        ({"slides": "x" * 5_000}, "too long", "slides", DEFAULT_SLIDES),
        ({"SLIDES": "map"}, "Unknown parameter", "slides", DEFAULT_SLIDES),
    ],
)
def test_malformed_deck_parameters_give_a_notice_and_the_default(
    options: FilterOptions, params: dict[str, str], expect_notice: str, field: str, value: object
) -> None:
    parsed = parse_deck(params, options)
    assert any(expect_notice in notice for notice in parsed.notices), parsed.notices
    assert getattr(parsed.deck, field) == value


def test_repeated_and_mixed_case_values_are_read_once(options: FilterOptions) -> None:
    parsed = parse_deck({"slides": "Map,map,numbers", "theme": "LIGHT"}, options)
    assert parsed.deck.slides == ("map", "numbers")
    assert parsed.deck.theme == "light"
    assert deck_params(parsed.deck, options)["slides"] == "map,numbers"


def test_short_codes_are_stable_unambiguous_and_resolve(empty_engine: Engine) -> None:
    code = short_code("eco=health&slides=numbers", engine=empty_engine)
    assert code == short_code("eco=health&slides=numbers", engine=empty_engine)
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert not set(code) & set("0o1il")
    assert resolve(code, engine=empty_engine) == "eco=health&slides=numbers"
    assert resolve(code.upper(), engine=empty_engine) == "eco=health&slides=numbers"
    assert short_code("eco=digital", engine=empty_engine) != code
    assert resolve("zzzzzz", engine=empty_engine) is None


def test_qr_code_is_inline_svg_without_fixed_size() -> None:
    svg = qr_svg("http://127.0.0.1:8501/s/abcdef")
    assert svg.startswith("<svg") and "viewBox" in svg
    assert "http://127.0.0.1:8501/s/abcdef" in svg  # its title names the link
    assert "width=" not in svg.split(">", 1)[0]
