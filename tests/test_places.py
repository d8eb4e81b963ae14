"""Checks of fixtures/places.py: complete data for the 38 countries and well-formed names."""

from __future__ import annotations

import random
import re
import string
from collections.abc import Iterator, Sequence

import pytest

from fixtures.places import (
    COMPANY_TYPES,
    ECOSYSTEMS,
    ORG_TYPES,
    PLACES,
    CountryPlaces,
    organisation_name,
)

EU27 = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU",
]  # fmt: skip
EEA = ["NO", "IS", "LI"]
CANDIDATES = ["RS", "MK", "AL", "ME", "TR", "UA", "MD", "BA"]
ALL_COUNTRIES = EU27 + EEA + CANDIDATES
WITHOUT_NUTS = {"UA", "MD", "BA"}
NUTS_PREFIX = {"GR": "EL"}  # NUTS writes Greece as EL
ALL_TYPES = sorted(COMPANY_TYPES) + list(ORG_TYPES)
CITY_PLACEHOLDERS = {"city", "city_of", "city_in", "city_adj", "region"}


def communities(places: CountryPlaces) -> Iterator[CountryPlaces]:
    """The country's main language community and its alternates (Belgium has two)."""
    yield places
    yield from places.alternates


def fields(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


def first(options: Sequence[str]) -> str:
    return options[0]


def test_all_38_countries_are_present() -> None:
    assert len(ALL_COUNTRIES) == 38
    assert set(PLACES) == set(ALL_COUNTRIES)


def test_ecosystem_and_type_lists() -> None:
    assert len(ECOSYSTEMS) == 14
    assert len(ORG_TYPES) == 9
    assert set(COMPANY_TYPES) == {"large_company", "sme"}


@pytest.mark.parametrize("country", ALL_COUNTRIES)
def test_every_country_covers_all_sectors_and_types(country: str) -> None:
    for places in communities(PLACES[country]):
        assert set(places.sector_words) == set(ECOSYSTEMS)
        for slug, words in places.sector_words.items():
            assert 2 <= len(words) <= 4, (country, slug)
            assert all(w.strip() == w and w for w in words), (country, slug)
            assert len(set(words)) == len(words), (country, slug)
        assert set(places.org_words) == set(ORG_TYPES)
        assert 4 <= len(places.cities) <= 8
        assert len(places.surnames) == 8
        assert len(set(places.surnames)) == 8
        assert places.company_suffixes
        assert places.company_patterns


@pytest.mark.parametrize("country", ALL_COUNTRIES)
def test_nuts_codes_belong_to_the_country(country: str) -> None:
    prefix = NUTS_PREFIX.get(country, country)
    for places in communities(PLACES[country]):
        names = [name for name, _ in places.cities]
        assert len(set(names)) == len(names), "city names must be unique within a country"
        for city, code in places.cities:
            if country in WITHOUT_NUTS:
                assert code == "", (country, city)
            else:
                assert re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2}", code), (country, city, code)
                assert code.startswith(prefix), (country, city, code)


@pytest.mark.parametrize("country", ALL_COUNTRIES)
def test_every_pattern_can_be_filled_for_every_city(country: str) -> None:
    for places in communities(PLACES[country]):
        patterns = [*places.org_words.values(), *places.company_patterns]
        for pattern in patterns:
            used = fields(pattern)
            assert used <= CITY_PLACEHOLDERS | {"sector", "surname", "suffix"}, pattern
            for city, _ in places.cities:
                available = set(places.placeholders(city))
                missing = (used & CITY_PLACEHOLDERS) - available
                assert not missing, (country, city, pattern, missing)
        for pattern in places.org_words.values():
            assert not fields(pattern) & {"surname", "suffix"}, pattern
        # regions and city forms only for cities the country has
        cities = {name for name, _ in places.cities}
        assert set(places.regions) <= cities
        assert set(places.city_forms) <= cities


@pytest.mark.parametrize("country", ALL_COUNTRIES)
@pytest.mark.parametrize("org_type", ALL_TYPES)
def test_organisation_name_returns_non_empty_strings(country: str, org_type: str) -> None:
    rng = random.Random(f"{country}-{org_type}")
    codes = {code for places in communities(PLACES[country]) for _, code in places.cities}
    for ecosystem in ECOSYSTEMS:
        name, city, nuts2 = organisation_name(
            country=country, org_type=org_type, ecosystem=ecosystem, pick=rng.choice
        )
        assert isinstance(name, str) and name.strip() == name and name
        assert "{" not in name and "}" not in name and "  " not in name
        if fields_use_city(country, org_type):
            assert city in name
        assert nuts2 in codes
        if country in WITHOUT_NUTS:
            assert nuts2 == ""
        else:
            assert nuts2


def fields_use_city(country: str, org_type: str) -> bool:
    """Whether the (non-company) pattern shows the nominative city name itself."""
    if org_type in COMPANY_TYPES:
        return False
    return all("city" in fields(p.org_words[org_type]) for p in communities(PLACES[country]))


def test_organisation_name_is_deterministic_for_a_seeded_pick() -> None:
    def names(seed: int) -> list[tuple[str, str, str]]:
        rng = random.Random(seed)
        return [
            organisation_name(country=c, org_type=t, ecosystem="digital", pick=rng.choice)
            for c in ALL_COUNTRIES
            for t in ALL_TYPES
        ]

    assert names(7) == names(7)
    assert names(7) != names(8)


def test_examples() -> None:
    assert organisation_name(
        country="DE", org_type="vet_provider", ecosystem="tourism", pick=first
    ) == ("Berufsbildungszentrum Berlin", "Berlin", "DE30")
    assert organisation_name(
        country="DE", org_type="sme", ecosystem="mobility-automotive", pick=first
    ) == ("Müller Fahrzeugtechnik GmbH", "Berlin", "DE30")
    assert organisation_name(
        country="PL", org_type="public_authority", ecosystem="digital", pick=first
    ) == ("Urząd Miasta Warszawy", "Warszawa", "PL91")
    assert organisation_name(
        country="GR", org_type="chamber_of_commerce", ecosystem="digital", pick=first
    ) == ("Επιμελητήριο Αθηνών", "Αθήνα", "EL30")
    assert organisation_name(
        country="UA", org_type="public_authority", ecosystem="digital", pick=first
    ) == ("Київська міська рада", "Київ", "")


def test_belgium_uses_both_language_communities() -> None:
    rng = random.Random(1)
    cities = {
        organisation_name(country="BE", org_type="ngo", ecosystem="health", pick=rng.choice)[1]
        for _ in range(200)
    }
    assert {"Gent", "Liège"} <= cities


def test_romanian_uses_comma_below_not_cedilla() -> None:
    cedillas = set("şţŞŢ")
    for country in ("RO", "MD"):
        places = PLACES[country]
        texts = [
            *(c for c, _ in places.cities),
            *places.surnames,
            *places.org_words.values(),
            *(w for words in places.sector_words.values() for w in words),
            *places.regions.values(),
        ]
        assert not [t for t in texts if cedillas & set(t)], country


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"country": "XX", "org_type": "sme", "ecosystem": "digital"}, "country"),
        ({"country": "DE", "org_type": "sme", "ecosystem": "space"}, "ecosystem"),
        ({"country": "DE", "org_type": "club", "ecosystem": "digital"}, "organisation type"),
    ],
)
def test_unknown_inputs_are_rejected(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        organisation_name(pick=first, **kwargs)
