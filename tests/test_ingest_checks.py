"""Checking uploads line by line: every problem with its line, column and reason; rows only
when nothing is wrong; the problems download; the templates and the column dictionary."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import ingest.lines
from data_access.upload_rows import Catalogue, Problem, UploadKind, lookup_key
from ingest import (
    COLUMNS,
    check_upload,
    problems_csv,
    read_table,
    template_csv,
    template_xlsx,
)
from ingest.columns import header_key
from ingest.templates import template_rows
from tests.upload_files import (
    KNOWN_MEMBERSHIPS,
    KNOWN_ORGANISATIONS,
    bulk_outcomes,
    catalogue_for,
    european_csv,
    member_row,
    outcome_row,
    xlsx_with_formatting,
)

MEMBERS, OUTCOMES = UploadKind.MEMBERS, UploadKind.OUTCOMES
RESEAU = "Réseau Mobilité Provence-Alpes-Côte d'Azur"
TORINO = "Istituto Tecnico Superiore Torino"
STORED = {
    ("automotive", lookup_key(RESEAU), "FR", 2023, "green"): frozenset({1, 2}),
    ("automotive", lookup_key(TORINO), "IT", 2023, "technical"): frozenset({0}),
}
CATALOGUE = catalogue_for(stored_periods=STORED)

Found = tuple[int, str, str, str]


def problems(
    rows: list[dict[str, Any]],
    kind: UploadKind,
    catalogue: Catalogue = CATALOGUE,
    writer: Any = european_csv,
    **options: Any,
) -> list[Found]:
    """The problems of a file written from the rows; a file with problems has no rows."""
    result = check_upload(writer(rows, **options), f"{kind.value}.csv", kind, catalogue)
    if result.problems:
        assert result.rows == () and not result.ok
    return [(p.line, p.column, p.value, p.reason) for p in result.problems]


def only_problem(rows: list[dict[str, Any]], kind: UploadKind, **options: Any) -> Found:
    """The single problem a file must have."""
    found = problems(rows, kind, **options)
    assert len(found) == 1, found
    return found[0]


def assert_problem(found: Found, line: int, column: str, value: str, fragment: str) -> None:
    """A problem is at the line and column, shows the value, and its reason says the fragment."""
    assert found[:3] == (line, column, value), found
    assert fragment in found[3], found


def good_rows(rows: list[dict[str, Any]], kind: UploadKind, **options: Any) -> list[Any]:
    """The checked rows of a file that must have no problem."""
    result = check_upload(european_csv(rows, **options), "f.csv", kind, CATALOGUE)
    assert result.problems == ()
    return list(result.rows)


# Text that must not be stored.


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://x","y")', "+Autoteile", "-Autoteile", "@SUM(A1)", "=1+1"]
)
def test_formula_like_names_are_refused(text: str) -> None:
    found = only_problem([member_row(organisation=text)], MEMBERS)
    assert_problem(found, 2, "organisation", text, "looks like a spreadsheet formula")


@pytest.mark.parametrize(
    "column", ["partnership", "country", "organisation_type", "role", "size_class", "joined_on"]
)
def test_formula_in_any_member_text_column_is_refused(column: str) -> None:
    found = only_problem([member_row(**{column: "=cmd|' /C calc'!A0"})], MEMBERS)
    assert_problem(found, 2, column, "=cmd|' /C calc'!A0", "looks like a spreadsheet formula")


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "Autoteile <b>GmbH</b>", "Autoteile &amp; Co"]
)
def test_html_in_names_is_refused(text: str) -> None:
    assert_problem(
        only_problem([member_row(organisation=text)], MEMBERS),
        2,
        "organisation",
        text,
        "contains HTML",
    )


def test_names_longer_than_the_store_allows_are_refused() -> None:
    longest = "A" * 300
    [row] = good_rows([member_row(organisation=longest)], MEMBERS)
    assert row.organisation == longest
    found = only_problem([member_row(organisation="A" * 301)], MEMBERS)
    assert found[:2] == (2, "organisation") and "longer than 300 characters" in found[3]
    assert len(found[2]) == 200  # long values are shortened in the report


# Members.


def test_every_problem_of_every_line_is_listed_in_order() -> None:
    rows = [
        member_row(),
        member_row(
            partnership="Automotiv",
            country="Atlantis",
            organisation_type="startup",
            size_class="huge",
            joined_on="31/02/2024",
            role="chair",
        ),
        member_row(
            organisation="Autoteile Weber KG", nuts_code="DE3000", left_on=date(2019, 12, 31)
        ),
    ]
    found = problems(rows, MEMBERS)
    assert [(line, column) for line, column, _, _ in found] == [
        (3, "partnership"),
        (3, "country"),
        (3, "organisation_type"),
        (3, "size_class"),
        (3, "joined_on"),
        (3, "role"),
        (4, "nuts_code"),
        (4, "left_on"),
    ]
    reasons = [reason for *_, reason in found]
    assert "is not a known partnership" in reasons[0]
    assert "is not a known country" in reasons[1]
    assert reasons[2].startswith(
        "is not a known organisation type; use one of association, chamber_of_commerce"
    )
    assert reasons[3] == "must be micro, small, medium or large"
    assert reasons[4].startswith("is not a date")
    assert reasons[5] == "must be coordinator, co-leader or member"
    assert reasons[6] == "is longer than 5 characters"
    assert reasons[7] == "must be a date from 2020 to 2100"


def test_partnership_outside_the_callers_scope() -> None:
    found = only_problem([member_row(partnership="Tourism")], MEMBERS)
    assert found == (2, "partnership", "Tourism", "you may not load data for Tourism")


def test_codes_labels_and_names_are_all_understood() -> None:
    rows = [
        member_row(
            partnership="Automotive Skills Alliance",
            country="Germany",
            organisation_type="SME",
            size_class="Small",
            role="Co-Leader",
        ),
        member_row(
            partnership="AUTOMOTIVE",
            organisation="Autoteile Weber KG",
            country="deu",
            organisation_type="Large company",
            size_class=None,
            role=None,
        ),
    ]
    first, second = good_rows(rows, MEMBERS)
    assert (
        first.partnership,
        first.country_code,
        first.org_type,
        first.size_class,
        first.role,
    ) == ("automotive", "DE", "sme", "small", "co-leader")
    assert (
        second.partnership,
        second.country_code,
        second.org_type,
        second.size_class,
        second.role,
    ) == ("automotive", "DE", "large_company", None, "member")


def test_nuts_code_must_lie_in_the_country() -> None:
    assert_problem(
        only_problem([member_row(nuts_code="FR10")], MEMBERS),
        2,
        "nuts_code",
        "FR10",
        "is not a region of DE",
    )
    assert_problem(
        only_problem([member_row(nuts_code="1234")], MEMBERS),
        2,
        "nuts_code",
        "1234",
        "is not a NUTS code",
    )
    [greek] = good_rows(
        [
            member_row(
                organisation="Σύνδεσμος Επιχειρηματιών Αθηνών", country="GR", nuts_code="el30"
            )
        ],
        MEMBERS,
        encoding="utf-8",
    )
    assert (greek.country_code, greek.nuts_code) == ("GR", "EL30")


def test_left_before_joined() -> None:
    found = only_problem(
        [member_row(joined_on=date(2023, 5, 15), left_on=date(2023, 5, 14))], MEMBERS
    )
    assert found == (2, "left_on", "14/05/2023", "is before joined_on (2023-05-15)")
    [same_day] = good_rows(
        [member_row(joined_on=date(2023, 5, 15), left_on=date(2023, 5, 15))], MEMBERS
    )
    assert same_day.left_on == same_day.joined_on


def test_empty_required_cells() -> None:
    found = problems(
        [member_row(partnership="", organisation="", country="", joined_on=None)], MEMBERS
    )
    assert [(line, column, reason) for line, column, _, reason in found] == [
        (2, "partnership", "is empty"),
        (2, "organisation", "is empty"),
        (2, "country", "is empty"),
        (2, "joined_on", "is empty"),
    ]


def test_duplicate_member_lines_name_the_first() -> None:
    rows = [
        member_row(left_on=date(2023, 12, 31)),
        member_row(
            organisation="Fachverband Fahrzeugtechnik Berlin", organisation_type="association"
        ),
        member_row(organisation="  AUTOTEILE   schneider gmbh ", role="co-leader"),
        member_row(joined_on=date(2024, 1, 1)),  # joined again after leaving: fine
    ]
    found = only_problem(rows, MEMBERS)
    assert found[:3] == (4, "", "")
    assert found[3].startswith("repeats line 2:")


def test_known_organisation_keeps_its_stored_spelling_and_the_file_gives_its_type() -> None:
    """The row carries the type the file gives (the store decides whether it may change a
    stored organisation's details), or the stored type when the cell is empty."""
    rows = [
        member_row(organisation="FACHVERBAND  fahrzeugtechnik berlin", organisation_type="sme"),
        member_row(
            partnership="aerospace-defence",
            organisation="kowalski technika lotnicza s.a.",
            country="PL",
            organisation_type="",
            nuts_code="",
        ),
    ]
    first, second = good_rows(rows, MEMBERS)
    assert (first.organisation, first.org_type) == ("Fachverband Fahrzeugtechnik Berlin", "sme")
    assert (second.organisation, second.org_type) == ("Kowalski Technika Lotnicza S.A.", "sme")
    # an empty cell takes the type another line gives, so the lines agree
    typed_later = [
        member_row(organisation="Fachverband Fahrzeugtechnik Berlin", organisation_type=""),
        rows[0] | {"partnership": "aerospace-defence"},
    ]
    assert [row.org_type for row in good_rows(typed_later, MEMBERS)] == ["sme", "sme"]


def test_new_organisation_needs_a_type_and_keeps_its_first_spelling() -> None:
    found = only_problem([member_row(organisation_type="")], MEMBERS)
    assert found == (2, "organisation_type", "", "is empty; a new organisation needs its type")
    spelt_twice = [
        member_row(organisation=" Autoteile Schneider GmbH "),
        member_row(
            partnership="aerospace-defence",
            organisation="AUTOTEILE SCHNEIDER GMBH",
            organisation_type="",
            size_class="",
        ),
    ]
    first, second = good_rows(spelt_twice, MEMBERS)
    assert first.organisation == second.organisation == "Autoteile Schneider GmbH"
    assert (second.org_type, second.size_class) == ("sme", None)  # an empty cell gives nothing


@pytest.mark.parametrize(
    ("column", "first", "second"),
    [
        ("organisation_type", "sme", "cluster"),
        ("size_class", "small", "medium"),
        ("nuts_code", "DE11", "DE30"),
    ],
)
def test_lines_disagreeing_on_an_organisations_details(
    column: str, first: str, second: str
) -> None:
    for organisation in (
        "Autoteile Schneider GmbH",
        "Fachverband Fahrzeugtechnik Berlin",
    ):  # new, known
        rows = [
            member_row(organisation=organisation, **{column: first}),
            member_row(
                partnership="aerospace-defence",
                organisation=organisation.upper(),
                **{column: second},
            ),
        ]
        assert only_problem(rows, MEMBERS) == (
            3,
            column,
            second,
            f"differs from line 2 ({first}) for the same organisation",
        )


# Outcomes.


def test_negative_numbers_are_negative_not_formulas() -> None:
    found = problems([outcome_row(women=-5, investment_eur=-100.5)], OUTCOMES)
    assert found == [
        (2, "women", "-5", "must not be negative"),
        (2, "investment_eur", "-100,50", "must not be negative"),
    ]
    workbook = xlsx_with_formatting([outcome_row(men=-3)], sheet="outcomes")
    result = check_upload(workbook, "o.xlsx", OUTCOMES, CATALOGUE)
    assert [(p.line, p.column, p.value, p.reason) for p in result.problems] == [
        (2, "men", "-3", "must not be negative")
    ]


@pytest.mark.parametrize(
    ("column", "text", "reason"),
    [
        ("men", "=SUM(A1:A3)", "looks like a spreadsheet formula"),
        ("programmes", "@A1", "looks like a spreadsheet formula"),
        ("people_reached", "-A1", "looks like a spreadsheet formula"),
        ("women", "twelve", "is not a number"),
        ("women", "n/a", "is not a number"),
        ("women", "12,5", "must be a whole number"),
        ("men", "2147483648", "is too large"),
        ("investment_eur", "2.000.000.000.000", "is too large"),
        ("year", "2019", "must be a year from 2020 to 2100"),
        ("year", "2101", "must be a year from 2020 to 2100"),
        ("year", "", "is empty"),
        ("quarter", "Q5", "must be Q1 to Q4"),
        ("quarter", "5", "must be Q1 to Q4"),
        (
            "skill_area",
            "quantum",
            "is not a known skill area; use one of advanced_digital, basic_digital, green, technical, transversal",
        ),
        ("skill_area", "", "is empty"),
    ],
)
def test_outcome_cell_problems(column: str, text: str, reason: str) -> None:
    found = only_problem([outcome_row(**{column: text})], OUTCOMES)
    assert_problem(found, 2, column, text, reason)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2024-Q5", "must be a year (2024) or a year and quarter (2024-Q2)"),
        ("24", "must be a year"),
        ("2019-Q4", "must be in the years 2020 to 2100"),
    ],
)
def test_period_problems(text: str, reason: str) -> None:
    row = {k: v for k, v in outcome_row().items() if k not in ("year", "quarter")} | {
        "period": text
    }
    assert_problem(only_problem([row], OUTCOMES), 2, "period", text, reason)


MID_MAY_2026 = catalogue_for(today=date(2026, 5, 15))


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        ({"year": 2027}, "year", "2027", "2027 has not begun yet (today is 2026-05-15)"),
        ({"year": 2026, "quarter": "Q3"}, "quarter", "Q3", "2026-Q3 has not begun yet"),
        ({"year": 2099, "quarter": "Q1"}, "year", "2099", "2099-Q1 has not begun yet"),
        ({"period": "2026-Q4"}, "period", "2026-Q4", "2026-Q4 has not begun yet"),
        ({"period": "2030"}, "period", "2030", "2030 has not begun yet"),
    ],
)
def test_periods_that_have_not_begun_are_refused(
    cells: dict[str, Any], column: str, value: str, reason: str
) -> None:
    row = outcome_row() | cells
    if "period" in cells:
        row = {k: v for k, v in row.items() if k not in ("year", "quarter")}
    found = problems([row], OUTCOMES, catalogue=MID_MAY_2026)
    assert len(found) == 1, found
    assert_problem(found[0], 2, column, value, reason)


@pytest.mark.parametrize(
    "cells", [{"year": 2026}, {"year": 2026, "quarter": "Q2"}, {"period": "2026-Q2"}]
)
def test_the_period_under_way_may_be_reported(cells: dict[str, Any]) -> None:
    row = outcome_row() | cells
    if "period" in cells:
        row = {k: v for k, v in row.items() if k not in ("year", "quarter")}
    found = problems([row], OUTCOMES, catalogue=MID_MAY_2026)
    assert found == []


def test_blank_counts_are_zero_and_optional_columns_may_be_missing() -> None:
    row = {
        k: v
        for k, v in outcome_row(programmes=None, people_reached=None).items()
        if k not in ("other_gender", "not_recorded", "quarter")
    }
    [checked] = good_rows([row], OUTCOMES)
    assert (
        checked.other_gender,
        checked.not_recorded,
        checked.programmes,
        checked.people_reached,
        checked.quarter,
    ) == (0, 0, 0, 0, 0)
    assert (checked.women, checked.men) == (row["women"], row["men"])


def test_total_must_equal_the_gender_parts() -> None:
    row = outcome_row()
    parts = row["women"] + row["men"] + row["other_gender"] + row["not_recorded"]
    [checked] = good_rows([outcome_row(total_people=parts)], OUTCOMES)
    assert checked.women + checked.men + checked.other_gender + checked.not_recorded == parts
    found = only_problem([outcome_row(total_people=parts + 1)], OUTCOMES)
    assert found[:2] == (2, "total_people")
    assert found[3] == f"does not equal women + men + other_gender + not_recorded ({parts:,})"


def test_organisation_must_be_known_in_its_country_and_a_member() -> None:
    rows = [
        outcome_row(organisation="Autoteile Schneider GmbH"),
        outcome_row(country="AT"),
        outcome_row(organisation="Kowalski Technika Lotnicza S.A.", country="PL"),
        outcome_row(
            partnership="aerospace-defence",
            organisation="kowalski technika lotnicza s.a.",
            country="Poland",
        ),
    ]
    found = problems(rows, OUTCOMES)
    assert found == [
        (
            2,
            "organisation",
            "Autoteile Schneider GmbH",
            "is not a known organisation in DE; load it with a members file first",
        ),
        (
            3,
            "organisation",
            "Fachverband Fahrzeugtechnik Berlin",
            "is not a known organisation in AT; load it with a members file first",
        ),
        (4, "organisation", "Kowalski Technika Lotnicza S.A.", "is not a member of automotive"),
    ]


def test_outcomes_outside_the_callers_scope() -> None:
    row = outcome_row(
        partnership="tourism", organisation="Stiftelsen Arbete och Kompetens Umeå", country="SE"
    )
    assert only_problem([row], OUTCOMES) == (
        2,
        "partnership",
        "tourism",
        "you may not load data for tourism",
    )
    everyone = catalogue_for(changeable=("automotive", "aerospace-defence", "tourism"))
    assert problems([row], OUTCOMES, catalogue=everyone) == []


def test_duplicate_outcome_lines_name_the_first() -> None:
    rows = [
        outcome_row(quarter="Q1"),
        outcome_row(quarter="Q1", skill_area="green"),
        outcome_row(
            organisation="fachverband fahrzeugtechnik  BERLIN",
            quarter="1",
            skill_area="Technical / sector-specific",
        ),
    ]
    found = only_problem(rows, OUTCOMES)
    assert found[:3] == (4, "", "")
    assert found[3] == "repeats line 2: the same partnership, organisation, period and skill area"


def test_year_reported_whole_and_by_quarter_in_one_file() -> None:
    whole_first = [
        outcome_row(),
        outcome_row(quarter="Q3"),
        outcome_row(skill_area="green", quarter="Q3"),
    ]
    assert only_problem(whole_first, OUTCOMES) == (
        3,
        "quarter",
        "Q3",
        "2024 is also reported as a whole year on line 2 for this skill area",
    )
    quarter_first = [outcome_row(quarter="Q3"), outcome_row(quarter="Q4"), outcome_row()]
    assert only_problem(quarter_first, OUTCOMES) == (
        4,
        "quarter",
        "",
        "2024 is also reported by quarter on line 2 for this skill area",
    )
    by_period = [
        {k: v for k, v in row.items() if k not in ("year", "quarter")} | {"period": period}
        for row, period in zip(whole_first[:2], ["2024", "2024-Q3"], strict=True)
    ]
    assert only_problem(by_period, OUTCOMES) == (
        3,
        "period",
        "2024-Q3",
        "2024 is also reported as a whole year on line 2 for this skill area",
    )


def test_year_reported_whole_and_by_quarter_against_the_store() -> None:
    reseau = {"organisation": RESEAU, "country": "FR", "year": 2023, "skill_area": "green"}
    torino = {"organisation": TORINO, "country": "IT", "year": 2023, "skill_area": "technical"}
    rows = [
        outcome_row(**reseau),  # whole year; the store has Q1 and Q2
        outcome_row(**torino | {"quarter": "Q3"}),  # a quarter; the store has the whole year
        outcome_row(**torino | {"year": 2024, "quarter": "Q3"}),  # another year: fine
        outcome_row(**reseau | {"skill_area": "technical"}),  # another skill area: fine
    ]
    found = problems(rows, OUTCOMES)
    assert found == [
        (
            2,
            "quarter",
            "",
            "2023 is already stored by quarter for this organisation and skill area",
        ),
        (
            3,
            "quarter",
            "Q3",
            "2023 is already stored as a whole year for this organisation and skill area",
        ),
    ]
    again = [outcome_row(**reseau | {"quarter": "Q2"}), outcome_row(**torino)]  # replacements
    assert problems(again, OUTCOMES) == []


def test_checked_outcome_rows_carry_codes_and_stored_spelling() -> None:
    rows = [
        outcome_row(
            partnership="Automotive Skills Alliance",
            organisation="  fachverband fahrzeugtechnik berlin",
            country="DEU",
            skill_area="Basic digital",
            quarter="q2",
        ),
        outcome_row(
            organisation=RESEAU,
            country="France",
            year=2022,
            women="1.234",
            men="2.345",
            investment_eur="1.234.567,89",
        ),
    ]
    first, second = good_rows(rows, OUTCOMES)
    assert (
        first.line,
        first.partnership,
        first.organisation,
        first.country_code,
        first.skill_area,
        first.quarter,
    ) == (2, "automotive", "Fachverband Fahrzeugtechnik Berlin", "DE", "basic_digital", 2)
    assert (second.line, second.organisation, second.women, second.men, second.investment_eur) == (
        3,
        RESEAU,
        1234,
        2345,
        1234567.89,
    )


def test_all_or_nothing_and_the_digest() -> None:
    rows = [outcome_row(), outcome_row(skill_area="green", women=-1)]
    data = european_csv(rows)
    result = check_upload(data, "o.csv", OUTCOMES, CATALOGUE)
    assert result.rows == () and len(result.problems) == 1 and result.lines == 2
    assert result.sha256 == hashlib.sha256(data).hexdigest()
    assert (result.kind, result.file_name) == (OUTCOMES, "o.csv")
    good = check_upload(european_csv(rows[:1]), "o.csv", OUTCOMES, CATALOGUE)
    assert good.ok and len(good.rows) == 1


def test_many_problems_are_counted_and_the_first_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest.lines, "MAX_LISTED_PROBLEMS", 5)
    rows = [
        outcome_row(year=2024 - index % 2, skill_area=area, women=-1, men=-1)
        for index, area in enumerate(["green", "technical", "transversal", "basic_digital"])
    ]
    found = problems(rows, OUTCOMES)
    assert found[0] == (0, "", "", "The file has 8 problems; the first 5 are listed.")
    assert [(line, column) for line, column, _, _ in found[1:]] == [
        (2, "women"),
        (2, "men"),
        (3, "women"),
        (3, "men"),
        (4, "women"),
    ]


# The problems download.


def test_problems_csv_opens_in_excel_and_neutralises_formulas() -> None:
    listed = [
        Problem(
            0, "", "", "The file has no joined_on column (required); the columns found are: a."
        ),
        Problem(2, "organisation", '=HYPERLINK("http://x")', "looks like a spreadsheet formula"),
        Problem(3, "women", "-5", "must not be negative"),
        Problem(4, "men", "+1", "x"),
        Problem(5, "organisation", "@SUM(A1)", "x"),
        Problem(6, "organisation", "\tTab", "x"),
        Problem(7, "organisation", "\rCR", "x"),
        Problem(8, "organisation", 'Café; "quoted"', "is fine"),
    ]
    data = problems_csv(listed)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == ["line", "column", "value", "reason"]
    assert [row[2] for row in table[1:]] == [
        "",
        '\'=HYPERLINK("http://x")',
        "'-5",
        "'+1",
        "'@SUM(A1)",
        "'\tTab",
        "'\rCR",
        'Café; "quoted"',
    ]
    assert [int(row[0]) for row in table[1:]] == [problem.line for problem in listed]
    assert table[1][3] == listed[0].reason


# The column dictionary and the templates.


def test_column_dictionary_names_and_aliases_are_unambiguous() -> None:
    for kind, specs in COLUMNS.items():
        keys = [header_key(text) for spec in specs for text in (spec.name, *spec.aliases)]
        assert len(keys) == len(set(keys)), kind
        assert all(spec.description and spec.kind_of_value for spec in specs)
    assert [s.name for s in COLUMNS[MEMBERS] if s.required] == [
        "partnership",
        "organisation",
        "country",
        "organisation_type",
        "joined_on",
    ]
    assert [s.name for s in COLUMNS[OUTCOMES] if s.required] == [
        "partnership",
        "organisation",
        "country",
        "year",
        "skill_area",
        "women",
        "men",
        "programmes",
        "investment_eur",
        "people_reached",
    ]


def _after_the_members_template() -> Catalogue:
    """The catalogue once the members template's organisations are loaded."""
    added = [
        (str(row["organisation"]), str(row["country"]), str(row["organisation_type"]))
        for row in template_rows(MEMBERS)
    ]
    joined = [
        ("automotive", str(row["organisation"]), str(row["country"]))
        for row in template_rows(MEMBERS)
    ]
    return catalogue_for(
        organisations=[*KNOWN_ORGANISATIONS, *added],
        memberships=[*KNOWN_MEMBERSHIPS, *joined],
        stored_periods=STORED,
    )


@pytest.mark.parametrize("kind", list(UploadKind))
def test_templates_pass_their_own_checks(kind: UploadKind) -> None:
    names = [spec.name for spec in COLUMNS[kind] if spec.name not in ("period", "country_name")]
    catalogue = _after_the_members_template()
    for data, file_name in (
        (template_csv(kind), "template.csv"),
        (template_xlsx(kind), "template.xlsx"),
    ):
        table = read_table(data, file_name)
        assert list(table.headers) == names
        assert len(table.rows) == 2
        result = check_upload(data, file_name, kind, catalogue)
        assert result.ok, result.problems
        assert [row.line for row in result.rows] == [2, 3]
    assert template_csv(kind).startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("kind", list(UploadKind))
def test_template_workbook_has_the_data_sheet_first_and_the_dictionary(kind: UploadKind) -> None:
    workbook = load_workbook(io.BytesIO(template_xlsx(kind)))
    assert workbook.sheetnames == [kind.value, "columns"]
    data = workbook[kind.value]
    assert data["A1"].font.bold
    dictionary = [row for row in workbook["columns"].iter_rows(min_row=2, values_only=True)]
    assert [(row[0], row[1]) for row in dictionary] == [
        (spec.name, "yes" if spec.required else "no") for spec in COLUMNS[kind]
    ]
    if kind is MEMBERS:
        assert isinstance(data["G2"].value, date)  # joined_on is a real date
    else:
        assert isinstance(data["G2"].value, int) and isinstance(data["M2"].value, float)


# At scale.


def test_a_hundred_thousand_outcome_lines_are_read_exactly() -> None:
    """At the size of the upload benchmark (bench/uploads.py measures the time)."""
    data, catalogue, rows = bulk_outcomes(5000)
    assert len(rows) == 100_000
    result = check_upload(data, "outcomes.csv", OUTCOMES, catalogue)
    assert result.ok and len(result.rows) == len(rows)
    assert sum(row.women for row in result.rows) == sum(row["women"] for row in rows)
    assert round(sum(row.investment_eur for row in result.rows), 2) == round(
        sum(row["investment_eur"] for row in rows), 2
    )


def test_the_documentation_lists_every_column() -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "uploads.md").read_text("utf-8")
    assert "\n## Columns\n" in text and "\n## What is checked\n" in text
    for specs in COLUMNS.values():
        for spec in specs:
            assert (
                f"| `{spec.name}` | {'yes' if spec.required else 'no'} | {spec.kind_of_value} | {spec.description} |"
                in text
            ), spec.name


def test_line_breaks_inside_names_are_refused() -> None:
    found = only_problem([member_row(organisation="Autoteile\nSchneider GmbH")], MEMBERS)
    assert found[:2] == (2, "organisation") and "line break" in found[3]


@pytest.mark.parametrize(
    "text",
    ["Forschung <> Praxis e.V.", "R&D Partners GmbH", "Procter & Gamble", "A < B Consulting"],
)
def test_names_with_ampersands_and_angle_brackets_that_are_not_markup(text: str) -> None:
    [row] = good_rows([member_row(organisation=text)], MEMBERS)
    assert row.organisation == text


def test_dates_mixing_day_first_and_month_first_are_read_day_first() -> None:
    rows = [
        member_row(joined_on="31/12/2023"),
        member_row(organisation="Autoteile Weber KG", joined_on="12/31/2023"),
        member_row(organisation="Autoteile Krause AG", joined_on="05/06/2023"),
    ]
    found = only_problem(rows, MEMBERS)
    assert found[:3] == (3, "joined_on", "12/31/2023") and found[3].startswith("is not a date")
    first, third = check_upload(european_csv([rows[0], rows[2]]), "m.csv", MEMBERS, CATALOGUE).rows
    assert (first.joined_on, third.joined_on) == (date(2023, 12, 31), date(2023, 6, 5))


def test_memberships_of_one_organisation_must_not_overlap() -> None:
    rows = [
        member_row(joined_on=date(2021, 3, 1), left_on=date(2022, 6, 30)),
        member_row(joined_on=date(2022, 6, 30)),  # rejoined the day it left: fine
        member_row(joined_on=date(2023, 1, 1)),  # still a member since line 3
        member_row(
            partnership="aerospace-defence", joined_on=date(2023, 1, 1)
        ),  # another partnership
    ]
    assert only_problem(rows, MEMBERS) == (
        4,
        "joined_on",
        "01/01/2023",
        "overlaps the membership on line 3 in the same partnership",
    )


def test_an_unknown_partnership_names_the_closest_known_one() -> None:
    upload = check_upload(
        european_csv(
            [
                member_row(partnership="Automotve"),
                member_row(organisation="Autoteile Weber KG", partnership="Aerospace and Defence"),
                member_row(organisation="Autoteile Krause AG", partnership="zzzz"),
            ]
        ),
        "members.csv",
        MEMBERS,
        CATALOGUE,
    )
    assert [(p.line, p.column, p.reason.partition("slug")[2]) for p in upload.problems] == [
        (2, "partnership", " (closest: automotive)"),
        (3, "partnership", " (closest: aerospace-defence)"),
        (4, "partnership", ""),
    ]


# The opt-out column of members files.


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("yes", True), ("TRUE", True), ("1", True), ("Listed", True), ("y", True),
        ("no", False), ("False", False), ("0", False), ("Not listed", False),
        ("not-listed", False), ("unlisted", False), ("Opted out", False), ("N", False),
        ("", None),
    ],
)  # fmt: skip
def test_the_listed_column_reads_yes_and_no(text: str, listed: bool | None) -> None:
    (row,) = good_rows([member_row(listed=text)], MEMBERS)
    assert row.listed is listed


@pytest.mark.parametrize("header", ["listed", "Listed publicly", "PUBLIC_LISTING", "In directory"])
def test_the_listed_column_is_found_under_its_aliases(header: str) -> None:
    (row,) = good_rows([member_row(**{header: "no"})], MEMBERS)
    assert row.listed is False


def test_a_members_file_without_the_listed_column_keeps_what_is_stored() -> None:
    (row,) = good_rows([member_row()], MEMBERS)
    assert row.listed is None


@pytest.mark.parametrize("text", ["maybe", "=cmd|' /C calc'!A0"])
def test_other_listed_values_are_refused(text: str) -> None:
    found = only_problem([member_row(listed=text)], MEMBERS)
    reason = "looks like a spreadsheet formula" if text.startswith("=") else "must be yes or no"
    assert_problem(found, 2, "listed", text, reason)


def test_lines_disagreeing_on_whether_an_organisation_is_listed() -> None:
    rows = [
        member_row(listed="yes"),
        member_row(partnership="aerospace-defence", listed="no"),
    ]
    assert only_problem(rows, MEMBERS) == (
        3,
        "listed",
        "no",
        "differs from line 2 (yes) for the same organisation",
    )
