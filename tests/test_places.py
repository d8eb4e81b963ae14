"""Checks of the demo place names (fixtures/data/places.json, read by fixtures/places.py).

Each check runs over the whole file and lists every defect it finds, so one failure shows
all the rows to fix.
"""

from __future__ import annotations

import random
import re
import string
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from data_access.reference import COUNTRIES, ORGANISATION_TYPES
from data_access.reference import ECOSYSTEMS as ECOSYSTEM_REFS
from fixtures.demo import COUNTRY_WEIGHTS, TYPE_WEIGHTS
from fixtures.pact import PARTNERSHIPS
from fixtures.places import (
    COMPANY_TYPES,
    DATA_FILE,
    ECOSYSTEMS,
    ORG_TYPES,
    PLACES,
    CountryPlaces,
    organisation_name,
    read_places,
)

WITHOUT_NUTS = {"UA", "MD", "BA"}
NUTS_PREFIX = {"GR": "EL"}  # NUTS writes Greece as EL
ALL_TYPES = sorted(COMPANY_TYPES) + list(ORG_TYPES)
CITY_PLACEHOLDERS = {"city", "city_of", "city_in", "city_adj", "region"}
# The script names are written in (the first word of a letter's Unicode name); Latin elsewhere.
SCRIPTS = {"GR": "GREEK", "CY": "GREEK", "BG": "CYRILLIC", "MK": "CYRILLIC", "UA": "CYRILLIC"}


def communities() -> Iterator[tuple[str, CountryPlaces]]:
    """Every language community with its country code (Belgium has two)."""
    for country, places in PLACES.items():
        yield country, places
        for other in places.alternates:
            yield country, other


def fields(pattern: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}


def words(places: CountryPlaces) -> list[str]:
    """Every text of a community that ends up in a name, patterns included."""
    return [
        *(name for name, _ in places.cities),
        *places.regions.values(),
        *(text for forms in places.city_forms.values() for text in forms.values()),
        *places.surnames,
        *places.company_suffixes,
        *(word for slug_words in places.sector_words.values() for word in slug_words),
        *places.org_words.values(),
        *places.company_patterns,
    ]


def first(options: Sequence[str]) -> str:
    return options[0]


def test_the_countries_are_the_dashboards_38() -> None:
    assert sorted(PLACES) == sorted(country.code for country in COUNTRIES)
    groups = [country.group for country in COUNTRIES]
    assert (groups.count("EU"), groups.count("EEA"), groups.count("candidate")) == (27, 3, 8)


def test_ecosystem_and_type_lists_match_the_reference_lists() -> None:
    assert tuple(ecosystem.slug for ecosystem in ECOSYSTEM_REFS) == ECOSYSTEMS
    assert len(ECOSYSTEMS) == 14
    assert len(ORG_TYPES) == 9
    assert set(COMPANY_TYPES) == {"large_company", "sme"}
    assert set(ALL_TYPES) == {code for code, _ in ORGANISATION_TYPES}


def test_every_country_and_type_the_fixtures_draw_has_names() -> None:
    home_countries = {p.home_country for p in PARTNERSHIPS if p.home_country}
    assert set(COUNTRY_WEIGHTS) | home_countries <= set(PLACES)
    assert set(TYPE_WEIGHTS) <= set(ALL_TYPES)
    assert {p.ecosystem for p in PARTNERSHIPS} <= set(ECOSYSTEMS)


def test_every_community_has_every_part() -> None:
    problems: list[tuple[object, ...]] = []
    for country, places in communities():
        if set(places.sector_words) != set(ECOSYSTEMS):
            problems.append((country, "ecosystems", sorted(places.sector_words)))
        for slug, options in places.sector_words.items():
            if not 2 <= len(options) <= 4 or len(set(options)) != len(options):
                problems.append((country, slug, options))
        if set(places.org_words) != set(ORG_TYPES):
            problems.append((country, "organisation types", sorted(places.org_words)))
        if not 4 <= len(places.cities) <= 8:
            problems.append((country, "cities", len(places.cities)))
        if len(set(places.surnames)) != 8 or len(places.surnames) != 8:
            problems.append((country, "surnames", places.surnames))
        if not places.company_suffixes or not places.company_patterns:
            problems.append((country, "company suffixes and patterns", places.company_suffixes))
    assert problems == []


def test_cities_are_unique_and_their_nuts_codes_belong_to_the_country() -> None:
    problems: list[tuple[object, ...]] = []
    for country, places in communities():
        names = [name for name, _ in places.cities]
        problems += [
            (country, name, "twice") for name in sorted(set(names)) if names.count(name) > 1
        ]
        prefix = NUTS_PREFIX.get(country, country)
        for city, code in places.cities:
            if country in WITHOUT_NUTS:
                valid = code == ""
            else:
                valid = bool(re.fullmatch(r"[A-Z]{2}[0-9A-Z]{2}", code)) and code.startswith(prefix)
            if not valid:
                problems.append((country, city, code))
    assert problems == []


def test_every_pattern_can_be_filled_for_every_city() -> None:
    problems: list[tuple[object, ...]] = []
    for country, places in communities():
        for pattern in [*places.org_words.values(), *places.company_patterns]:
            used = fields(pattern)
            unknown = used - CITY_PLACEHOLDERS - {"sector", "surname", "suffix"}
            if unknown:
                problems.append((country, pattern, "unknown", unknown))
            for city, _ in places.cities:
                missing = (used & CITY_PLACEHOLDERS) - set(places.placeholders(city))
                if missing:
                    problems.append((country, city, pattern, "missing", missing))
        for pattern in places.org_words.values():
            if fields(pattern) & {"surname", "suffix"}:
                problems.append((country, pattern, "company parts in a non-company name"))
        # regions and city forms only for cities the country has
        cities = {name for name, _ in places.cities}
        strays = (set(places.regions) | set(places.city_forms)) - cities
        if strays:
            problems.append((country, "region or forms of an unknown city", strays))
    assert problems == []


def test_the_file_is_utf8_without_a_byte_order_mark() -> None:
    raw = DATA_FILE.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")  # strict: fails on any invalid byte


def test_name_parts_are_clean_text_in_the_countrys_script() -> None:
    problems: list[tuple[object, ...]] = []
    for country, places in communities():
        script = SCRIPTS.get(country, "LATIN")
        suffixes = set(places.company_suffixes)  # a Latin legal form is fine (Cyprus: Ltd)
        for text in words(places):
            if not text.strip() or text != text.strip() or "  " in text:
                problems.append((country, text, "spacing"))
            if not unicodedata.is_normalized("NFC", text):
                problems.append((country, text, "not NFC"))
            # control and invisible characters, any space but the plain one, decoding errors
            odd = [
                char
                for char in text
                if unicodedata.category(char) in {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}
                or (char.isspace() and char != " ")
                or char == "\ufffd"
            ]
            if odd:
                problems.append((country, text, odd))
            letters = [char for char in re.sub(r"\{\w+\}", "", text) if char.isalpha()]
            others = {unicodedata.name(char).split()[0] for char in letters} - {script}
            if others and not (text in suffixes and others == {"LATIN"}):
                problems.append((country, text, others))
    assert problems == []


def test_romanian_uses_comma_below_not_cedilla() -> None:
    cedillas = set("şţŞŢ")
    found = [
        (country, text)
        for country, places in communities()
        if country in ("RO", "MD")
        for text in words(places)
        if cedillas & set(text)
    ]
    assert found == []


def test_organisation_names_for_every_country_type_and_ecosystem() -> None:
    problems: list[tuple[object, ...]] = []
    for country in PLACES:
        codes = {code for c, places in communities() if c == country for _, code in places.cities}
        for org_type in ALL_TYPES:
            rng = random.Random(f"{country}-{org_type}")
            for ecosystem in ECOSYSTEMS:
                name, city, nuts2 = organisation_name(
                    country=country, org_type=org_type, ecosystem=ecosystem, pick=rng.choice
                )
                well_formed = (
                    name.strip() == name
                    and bool(name)
                    and not {"{", "}"} & set(name)
                    and "  " not in name
                    and (city in name or not shows_city(country, org_type))
                    and nuts2 in codes
                    and (nuts2 == "") == (country in WITHOUT_NUTS)
                )
                if not well_formed:
                    problems.append((country, org_type, ecosystem, name, city, nuts2))
    assert problems == []


def shows_city(country: str, org_type: str) -> bool:
    """Whether the (non-company) pattern shows the nominative city name itself."""
    if org_type in COMPANY_TYPES:
        return False
    return all("city" in fields(p.org_words[org_type]) for c, p in communities() if c == country)


def test_organisation_name_is_deterministic_for_a_seeded_pick() -> None:
    def names(seed: int) -> list[tuple[str, str, str]]:
        rng = random.Random(seed)
        return [
            organisation_name(country=c, org_type=t, ecosystem="digital", pick=rng.choice)
            for c in PLACES
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


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"AT": {', '"AT": {"cities": [], ', "key given twice in one object: cities"),
        (
            '"name": "Wien", ',
            '"name": "Wien", "nuts": "AT13", ',
            r"AT\.cities\[0\]: unknown key nuts",
        ),
        (
            '"name": "Wien", "nuts2": "AT13", ',
            '"name": "Wien", ',
            r"AT\.cities\[0\]: missing nuts2",
        ),
        ('"sector_words": "german"', '"sector_words": "germa"', "no shared set is named 'germa'"),
        ('"surnames": ["Gruber"', '"surnames": [7', r"AT\.surnames\[0\]: expected a string"),
    ],
    ids=["key twice", "unknown key", "missing key", "unknown shared set", "wrong type"],
)
def test_a_malformed_file_is_refused_with_the_place_named(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    text = DATA_FILE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "places.json"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=message):
        read_places(path)
