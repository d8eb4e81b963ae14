"""Country cells as people write them: official and everyday English names, names in the EU
languages, with or without accents and articles; a message naming the likely country; a
country-code column and a country-name column that must agree; only the store's countries."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from babel import Locale

from data_access.reference import COUNTRIES
from data_access.upload_rows import Catalogue, CheckedUpload, UploadKind, lookup_key
from ingest import check_upload
from ingest.countries import EU_LANGUAGES, CountryMatcher, country_key
from tests.upload_files import catalogue_for, member_row, outcome_row, plain_csv

MEMBERS, OUTCOMES = UploadKind.MEMBERS, UploadKind.OUTCOMES
CATALOGUE = catalogue_for()
NAMES = {country.code: country.name for country in COUNTRIES}


def checked(
    rows: list[dict[str, Any]], kind: UploadKind = MEMBERS, catalogue: Catalogue = CATALOGUE
) -> CheckedUpload:
    return check_upload(plain_csv(rows), f"{kind.value}.csv", kind, catalogue)


def country_of(text: str) -> str:
    """The country code a members line with this country cell is stored with."""
    upload = checked([member_row(country=text, nuts_code="")])
    assert upload.problems == (), upload.problems
    return upload.rows[0].country_code


def country_problem(text: str, catalogue: Catalogue = CATALOGUE) -> str:
    upload = checked([member_row(country=text, nuts_code="")], catalogue=catalogue)
    assert upload.rows == ()
    [problem] = upload.problems
    assert (problem.line, problem.column, problem.value) == (2, "country", text)
    return problem.reason


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Czech Republic", "CZ"),
        ("Slovak Republic", "SK"),
        ("The Netherlands", "NL"),
        ("the netherlands", "NL"),
        ("Netherlands, The", "NL"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Deutschland", "DE"),
        ("España", "ES"),
        ("ESPANA", "ES"),
        ("Österreich", "AT"),
        ("Osterreich", "AT"),
        ("Nederland", "NL"),
        ("Holland", "NL"),
        ("Polska", "PL"),
        ("Ελλάδα", "GR"),
        ("EL", "GR"),
        ("Slovenská republika", "SK"),
        ("Bosnia & Herzegovina", "BA"),
        ("il-Ġermanja", "DE"),
        ("an Ghearmáin", "DE"),
        ("Republic of Moldova", "MD"),
        ("Shqipëri", "AL"),
        ("Norge", "NO"),
        ("deu", "DE"),
        ("at", "AT"),
    ],
)
def test_names_people_write_are_understood(text: str, code: str) -> None:
    assert country_of(text) == code


@pytest.mark.parametrize("language", EU_LANGUAGES)
def test_every_country_in_every_eu_language(language: str) -> None:
    matcher = CountryMatcher(CATALOGUE.countries, NAMES)
    names = Locale(language).territories
    assert {code: matcher.code(names[code]) for code in NAMES} == {code: code for code in NAMES}


def test_the_example_names_the_country_the_cell_most_likely_meant() -> None:
    assert country_problem("Austira").endswith("give its ISO code (AT) or its name (Austria)")
    assert country_problem("Polnd").endswith("(PL) or its name (Poland)")
    assert country_problem("Macedonia").endswith("(MK) or its name (North Macedonia)")
    assert "is not a known country" in country_problem("Atlantis")


def test_each_line_gets_its_own_example() -> None:
    upload = checked(
        [
            member_row(country="Austira", nuts_code=""),
            member_row(organisation="Autoteile Weber KG", country="Frnace", nuts_code=""),
        ]
    )
    assert [(p.line, p.reason.partition("; ")[2]) for p in upload.problems] == [
        (2, "give its ISO code (AT) or its name (Austria)"),
        (3, "give its ISO code (FR) or its name (France)"),
    ]


def test_a_known_country_outside_the_store_says_so() -> None:
    reason = country_problem("United States")
    assert reason.startswith("is United States (US), which is not one of the countries")
    assert country_problem("UK").startswith("is United Kingdom (GB)")


def test_only_the_stores_countries_are_accepted() -> None:
    without_austria = replace(
        CATALOGUE, countries={k: v for k, v in CATALOGUE.countries.items() if v != "AT"}
    )
    reason = country_problem("Österreich", catalogue=without_austria)
    assert reason.startswith("is Austria (AT), which is not one of the countries")
    # and the example never proposes a country the store lacks
    assert "(AT)" not in country_problem("Austira", catalogue=without_austria)


def test_a_stored_country_the_libraries_do_not_know_is_still_matched() -> None:
    extra = replace(CATALOGUE, countries={**CATALOGUE.countries, lookup_key("Atlantis"): "XA"})
    assert checked([member_row(country="atlantis", nuts_code="")], catalogue=extra).ok


def test_keys_ignore_case_accents_punctuation_and_articles() -> None:
    assert country_key("  The NETHERLANDS ") == country_key("Netherlands") == "netherlands"
    assert country_key("Österreich") == country_key("osterreich")
    assert country_key("Bosnia & Herzegovina") == country_key("Bosnia-Herzegovina")


# A country-code column and a country-name column.


def both_columns(pairs: list[tuple[str, str]], kind: UploadKind = MEMBERS) -> CheckedUpload:
    rows = []
    for number, (code, name) in enumerate(pairs):
        row = (
            member_row(organisation=f"Autoteile {number} GmbH", nuts_code="")
            if kind is MEMBERS
            else outcome_row()
        )
        row.pop("country")
        rows.append({"country code": code, "country name": name, **row})
    return checked(rows, kind)


def test_code_and_name_columns_that_agree_are_accepted() -> None:
    upload = both_columns([("DE", "Germany"), ("AT", "Österreich"), ("NL", "the Netherlands")])
    assert upload.problems == ()
    assert [row.country_code for row in upload.rows] == ["DE", "AT", "NL"]


def test_code_and_name_columns_that_disagree_are_refused_per_line() -> None:
    upload = both_columns([("DE", "Germany"), ("AT", "Germany"), ("FR", "Frankreich")])
    assert upload.rows == ()
    assert [(p.line, p.column, p.value, p.reason) for p in upload.problems] == [
        (
            3,
            "country_name",
            "Germany",
            "names Germany (DE) but the country column gives Austria (AT); the two must name "
            "the same country",
        )
    ]


def test_code_and_name_columns_in_an_outcomes_file() -> None:
    assert both_columns([("DE", "Deutschland")], OUTCOMES).ok
    upload = both_columns([("DE", "Polska")], OUTCOMES)
    assert [(p.line, p.column) for p in upload.problems] == [(2, "country_name")]


def test_a_name_column_alone_gives_the_country() -> None:
    row = member_row(nuts_code="")
    row["country name"] = row.pop("country")
    row["country name"] = "Deutschland"
    upload = checked([row])
    assert upload.problems == ()
    assert upload.rows[0].country_code == "DE"
