"""Reading upload files as coordinators make them: encodings, separators, number and date
notations, headers, workbooks with formatting and several sheets, and broken files."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from data_access.upload_rows import MemberRow, OutcomeRow, UploadKind, lookup_key
from ingest import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    UploadFileError,
    check_upload,
    match_columns,
    read_table,
)
from ingest.values import decimal_evidence, read_number
from tests.upload_files import (
    KNOWN_ORGANISATIONS,
    binary_file,
    catalogue_for,
    european_csv,
    many_rows_csv,
    member_row,
    one_long_line,
    outcome_row,
    plain_csv,
    unicode_text,
    xlsx_with_formatting,
    zip_but_not_workbook,
)

MEMBERS, OUTCOMES = UploadKind.MEMBERS, UploadKind.OUTCOMES
CATALOGUE = catalogue_for()
STORED_NAME = {(lookup_key(name), country): name for name, country, _ in KNOWN_ORGANISATIONS}
STORED_TYPE = {(lookup_key(name), country): kind for name, country, kind in KNOWN_ORGANISATIONS}
SLUG = {
    "automotive": "automotive",
    "Automotive": "automotive",
    "Aerospace & Defence": "aerospace-defence",
}
QUARTER = {None: 0, "": 0, "Q1": 1, "Q2": 2, "q3": 3, "4": 4, 4: 4}

MEMBER_ROWS: list[dict[str, Any]] = [
    member_row(organisation="Autoteile Schneider GmbH", joined_on=date(2023, 5, 15)),
    member_row(
        organisation="Société Générale d'Équipements Automobiles",
        country="FR",
        organisation_type="large_company",
        size_class="large",
        nuts_code="FRK2",
        joined_on=date(2021, 12, 31),
        left_on=date(2024, 1, 2),
    ),
    member_row(
        organisation="Fachverband Fahrzeugtechnik Berlin",
        organisation_type="association",
        size_class="",
        nuts_code="",
        joined_on=date(2020, 11, 10),
        role="coordinator",
    ),
    member_row(
        organisation="Göteborgs Fordonsklustret",
        country="SE",
        organisation_type="cluster",
        size_class="medium",
        nuts_code="SE23",
        joined_on=date(2022, 3, 1),
        role="co-leader",
    ),
]

OUTCOME_ROWS: list[dict[str, Any]] = [
    outcome_row(),
    outcome_row(
        organisation="Réseau Mobilité Provence-Alpes-Côte d'Azur",
        country="FR",
        quarter="Q2",
        skill_area="green",
        women=1522,
        men=4808,
        other_gender=1,
        not_recorded=0,
        programmes=30,
        investment_eur=331308.15,
        people_reached=141075,
    ),
    outcome_row(
        organisation="Istituto Tecnico Superiore Torino",
        country="IT",
        year=2023,
        skill_area="Advanced digital",
        women=12,
        men=7,
        other_gender=0,
        not_recorded=3,
        programmes=2,
        investment_eur=1234.5,
        people_reached=250,
    ),
]


def expected_members(rows: list[dict[str, Any]], first_line: int = 2) -> list[MemberRow]:
    """The member rows the written rows stand for, worked out from the rows themselves."""
    expected = []
    for line, row in enumerate(rows, start=first_line):
        key = (lookup_key(row["organisation"]), row["country"])
        expected.append(
            MemberRow(
                line=line,
                partnership=SLUG[row["partnership"]],
                organisation=STORED_NAME.get(key, row["organisation"]),
                country_code=row["country"],
                org_type=STORED_TYPE.get(key, row["organisation_type"]),
                size_class=row["size_class"] or None,
                nuts_code=row["nuts_code"] or None,
                joined_on=row["joined_on"],
                left_on=row["left_on"],
                role=row["role"] or "member",
            )
        )
    return expected


def expected_outcomes(rows: list[dict[str, Any]], first_line: int = 2) -> list[OutcomeRow]:
    """The outcome rows the written rows stand for, worked out from the rows themselves."""
    skill = {"technical": "technical", "green": "green", "Advanced digital": "advanced_digital"}
    return [
        OutcomeRow(
            line=line,
            partnership=SLUG[row["partnership"]],
            organisation=STORED_NAME[(lookup_key(row["organisation"]), row["country"])],
            country_code=row["country"],
            year=row["year"],
            quarter=QUARTER[row["quarter"]],
            skill_area=skill[row["skill_area"]],
            women=row["women"],
            men=row["men"],
            other_gender=row["other_gender"],
            not_recorded=row["not_recorded"],
            programmes=row["programmes"],
            investment_eur=row["investment_eur"],
            people_reached=row["people_reached"],
        )
        for line, row in enumerate(rows, start=first_line)
    ]


def checked_rows(data: bytes, name: str, kind: UploadKind) -> list[Any]:
    """The rows of a file that must pass; fails with its problems otherwise."""
    result = check_upload(data, name, kind, CATALOGUE)
    assert result.problems == ()
    assert result.ok
    return list(result.rows)


# CSV as people save it.


def test_european_excel_csv_windows_1252_semicolons_day_first() -> None:
    data = european_csv(MEMBER_ROWS)
    assert "Société".encode("cp1252") in data  # really Windows-1252, not UTF-8
    table = read_table(data, "members.csv", kind=MEMBERS)
    assert (table.delimiter, table.encoding, table.decimal) == (";", "Windows-1252", ",")
    assert [row.line for row in table.rows] == [2, 3, 4, 5]
    assert checked_rows(data, "members.csv", MEMBERS) == expected_members(MEMBER_ROWS)


@pytest.mark.parametrize(
    ("options", "encoding"),
    [
        ({"encoding": "utf-8-sig"}, "UTF-8"),
        ({"encoding": "utf-8"}, "UTF-8"),
        ({"encoding": "utf-8", "delimiter": "\t"}, "UTF-8"),
        ({"encoding": "utf-8", "delimiter": ",", "line_end": "\n"}, "UTF-8"),
        ({"encoding": "utf-8", "delimiter": "|", "line_end": "\r"}, "UTF-8"),
        ({"encoding": "cp1252", "date_format": "%d.%m.%Y"}, "Windows-1252"),
        ({"encoding": "cp1252", "date_format": "%d-%b-%y"}, "Windows-1252"),
        ({"encoding": "cp1252", "date_format": "%d/%m/%y"}, "Windows-1252"),
        ({"encoding": "utf-8", "day_first": False}, "UTF-8"),
        ({"encoding": "utf-8", "date_format": "%Y/%m/%d"}, "UTF-8"),
        ({"encoding": "utf-8", "date_format": "%Y-%m-%d 00:00:00"}, "UTF-8"),
    ],
)
def test_members_csv_in_any_usual_encoding_separator_and_date_style(
    options: dict[str, Any], encoding: str
) -> None:
    data = european_csv(MEMBER_ROWS, **options)
    table = read_table(data, "members.csv")
    assert table.encoding == encoding
    assert table.headers[0] == "partnership"
    assert checked_rows(data, "members.csv", MEMBERS) == expected_members(MEMBER_ROWS)


def test_month_first_dates_when_the_file_shows_them() -> None:
    data = european_csv(MEMBER_ROWS, encoding="utf-8", delimiter=",", date_format="%m/%d/%Y")
    assert b"12/31/2021" in data  # shows that months come first
    assert checked_rows(data, "members.csv", MEMBERS) == expected_members(MEMBER_ROWS)


def test_excel_unicode_text_export_utf16_tabs() -> None:
    data = unicode_text(MEMBER_ROWS)
    assert data[:2] == b"\xff\xfe"
    table = read_table(data, "members.txt")
    assert (table.delimiter, table.encoding) == ("\t", "UTF-16")
    assert checked_rows(data, "members.txt", MEMBERS) == expected_members(MEMBER_ROWS)


@pytest.mark.parametrize(
    "options",
    [
        {},  # 1234,5 and 999743,08
        {"thousands": "."},  # 6.733 and 999.743,08
        {"thousands": " "},  # 6 733 and 999 743,08
        {"thousands": "\u00a0"},  # no-break space, as French Excel writes
        {"encoding": "utf-8", "delimiter": ",", "decimal_comma": False},  # 999743.08
        {"encoding": "utf-8", "delimiter": ",", "decimal_comma": False, "thousands": ","},
        {"encoding": "utf-8", "delimiter": ";", "decimal_comma": False, "thousands": "'"},
        {"encoding": "utf-8", "delimiter": "\t", "decimal_comma": True, "thousands": "."},
    ],
)
def test_outcome_numbers_in_european_and_english_notation(options: dict[str, Any]) -> None:
    data = european_csv(OUTCOME_ROWS, **options)
    assert checked_rows(data, "outcomes.csv", OUTCOMES) == expected_outcomes(OUTCOME_ROWS)


def test_a_file_of_thousands_with_dots_reads_them_as_thousands() -> None:
    """1.234 alone is ambiguous: a ; separated file whose numbers show no decimal mark
    is taken as European (1.234 = one thousand two hundred and thirty-four)."""
    rows = [outcome_row(men=6733, investment_eur=None, programmes=1091)]
    data = european_csv(rows, thousands=".")
    assert b";6.733;" in data and b";1.091;" in data
    [checked] = checked_rows(data, "outcomes.csv", OUTCOMES)
    assert (checked.men, checked.programmes, checked.investment_eur) == (6733, 1091, 0.0)


def test_amounts_with_currency_signs_and_decimal_comma() -> None:
    rows = [
        outcome_row(investment_eur="€ 12.500,50"),
        outcome_row(investment_eur="7 300,25 EUR", skill_area="green"),
    ]
    [first, second] = checked_rows(european_csv(rows), "outcomes.csv", OUTCOMES)
    assert (first.investment_eur, second.investment_eur) == (12500.5, 7300.25)


def test_header_case_spacing_aliases_order_extra_and_empty_columns() -> None:
    renamed = {
        "partnership": "LSP",
        "organisation": "Organization name",
        "country": " Country Code ",
        "organisation_type": "ORGANISATION-TYPE",
        "size_class": "Size",
        "nuts_code": "NUTS 2",
        "joined_on": "Joined on",
        "left_on": "Date left",
        "role": "Member_Role",
    }
    order = [
        "role",
        "joined_on",
        "organisation",
        "partnership",
        "country",
        "left_on",
        "nuts_code",
        "organisation_type",
        "size_class",
    ]
    rows = [
        {renamed[name]: row[name] for name in order} | {"Contact e-mail": "info@example.org"}
        for row in MEMBER_ROWS
    ]
    data = european_csv(rows, empty_columns=2, trailing_empty_rows=3)
    table = read_table(data, "members.csv")
    layout = match_columns(table.headers, MEMBERS)
    assert layout.extra == ("Contact e-mail",)
    assert layout.index["partnership"] == order.index("partnership")
    result = check_upload(data, "members.csv", MEMBERS, CATALOGUE)
    assert result.lines == len(MEMBER_ROWS)  # trailing empty rows are not lines
    assert list(result.rows) == expected_members(MEMBER_ROWS)


def test_title_lines_above_the_header_keep_spreadsheet_line_numbers() -> None:
    data = european_csv(
        OUTCOME_ROWS, title_lines=["Automotive Skills Alliance: outcomes 2023-2024;;;", ";;;"]
    )
    table = read_table(data, "outcomes.csv", kind=OUTCOMES)
    assert table.header_line == 3
    assert checked_rows(data, "outcomes.csv", OUTCOMES) == expected_outcomes(
        OUTCOME_ROWS, first_line=4
    )


def test_period_column_instead_of_year_and_quarter() -> None:
    texts = ["2024", "2024-Q2", "Q1 2023"]
    rows = []
    for row, period in zip(OUTCOME_ROWS, texts, strict=True):
        copy = {k: v for k, v in row.items() if k not in ("year", "quarter")}
        rows.append(copy | {"period": period})
    checked = checked_rows(european_csv(rows), "outcomes.csv", OUTCOMES)
    assert [(row.year, row.quarter) for row in checked] == [(2024, 0), (2024, 2), (2023, 1)]


def test_quarters_written_in_every_usual_way() -> None:
    rows = [
        outcome_row(quarter=text, skill_area=area)
        for text, area in (
            ("Q1", "technical"),
            ("2", "green"),
            ("q3", "transversal"),
            ("4", "Basic digital"),
        )
    ]
    checked = checked_rows(european_csv(rows), "outcomes.csv", OUTCOMES)
    assert [row.quarter for row in checked] == [1, 2, 3, 4]


# Workbooks.


def test_formatted_workbook_numbers_and_dates_typed() -> None:
    data = xlsx_with_formatting(OUTCOME_ROWS, sheet="outcomes", title="Outcomes reported in 2024")
    table = read_table(data, "outcomes.xlsx", kind=OUTCOMES)
    assert (table.sheet, table.header_line) == ("outcomes", 3)
    assert checked_rows(data, "outcomes.xlsx", OUTCOMES) == expected_outcomes(
        OUTCOME_ROWS, first_line=4
    )
    members = xlsx_with_formatting(MEMBER_ROWS, sheet="Members 2024")
    assert checked_rows(members, "members.xlsx", MEMBERS) == expected_members(MEMBER_ROWS)


def test_workbook_with_numbers_stored_as_text() -> None:
    data = xlsx_with_formatting(OUTCOME_ROWS, sheet="outcomes", numbers_as_text=True)
    assert checked_rows(data, "outcomes.xlsx", OUTCOMES) == expected_outcomes(OUTCOME_ROWS)


def test_workbook_sheet_named_like_the_kind_is_chosen_among_several() -> None:
    data = xlsx_with_formatting(
        MEMBER_ROWS,
        sheet="members",
        extra_sheets={"outcomes": [["note"]], "Instructions": [["Fill in"]]},
    )
    assert read_table(data, "pact.xlsx", kind=MEMBERS).sheet == "members"
    assert checked_rows(data, "pact.xlsx", MEMBERS) == expected_members(MEMBER_ROWS)


def test_workbook_without_named_sheet_uses_the_first_whose_header_fits() -> None:
    data = xlsx_with_formatting(
        MEMBER_ROWS, sheet="Sheet2", extra_sheets=["Instructions", "Sheet1"]
    )
    assert read_table(data, "list.xlsx", kind=MEMBERS).sheet == "Sheet2"
    assert checked_rows(data, "list.xlsx", MEMBERS) == expected_members(MEMBER_ROWS)


def test_workbook_with_no_fitting_sheet_names_the_sheets_found() -> None:
    data = xlsx_with_formatting(OUTCOME_ROWS, sheet="Report", extra_sheets=["Instructions"])
    result = check_upload(data, "report.xlsx", MEMBERS, CATALOGUE)
    [problem] = result.problems
    assert (problem.line, problem.column, problem.value) == (0, "", "")
    assert "No sheet of report.xlsx has the columns of a members file" in problem.reason
    assert "'Instructions', 'Report'" in problem.reason
    assert result.rows == ()


def test_workbook_claiming_a_single_cell_is_read_whole() -> None:
    data = xlsx_with_formatting(MEMBER_ROWS, sheet="members", wrong_dimension=True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert b'<dimension ref="A1"/>' in archive.read("xl/worksheets/sheet1.xml")
    assert checked_rows(data, "members.xlsx", MEMBERS) == expected_members(MEMBER_ROWS)


def test_a_workbook_named_csv_is_still_read_as_a_workbook() -> None:
    data = xlsx_with_formatting(MEMBER_ROWS, sheet="members")
    assert checked_rows(data, "members.csv", MEMBERS) == expected_members(MEMBER_ROWS)


# Files that are no spreadsheet of the kind: one clear sentence each.


def file_problem(data: bytes, name: str, kind: UploadKind = MEMBERS) -> str:
    """The one file-level problem an upload gives, after read_table raised it too."""
    with pytest.raises(UploadFileError) as raised:
        table = read_table(data, name, kind=kind)
        match_columns(table.headers, kind)
    result = check_upload(data, name, kind, CATALOGUE)
    [problem] = result.problems
    assert (problem.line, problem.column, problem.value) == (0, "", "")
    assert problem.reason == str(raised.value)
    assert result.rows == () and not result.ok
    assert "\n" not in problem.reason and "Traceback" not in problem.reason
    return problem.reason


@pytest.mark.parametrize(
    ("data", "name", "fragment"),
    [
        (b"", "members.csv", "members.csv is empty"),
        (b"\r\n \r\n;;;\r\n", "members.csv", "members.csv is empty"),
        (binary_file(), "members.csv", "is not a spreadsheet"),
        (binary_file(), "photo.png", "is not a spreadsheet"),
        (b"partnership;organisation\r\n", "members.xlsx", "is not a valid Excel workbook"),
        (zip_but_not_workbook(), "members.xlsx", "is a zip archive, not an Excel workbook"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "members.xls",
            "old-style Excel file (.xls)",
        ),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "members.pdf", "is a PDF"),
        (one_long_line(), "members.csv", "longer than 100,000 characters"),
        (
            b'partnership;organisation\n"Autoteile;DE\n' + (b"x" * 90_000 + b"\n") * 3,
            "members.csv",
            "could not be read as CSV after line 1 (field larger than field limit (131072)); "
            "check that its quotation marks are paired",
        ),
        (
            european_csv([{"partnership": "Automotive", "organisation": "X", "country": "DE"}]),
            "members.csv",
            "no organisation_type and joined_on columns (required)",
        ),
        (
            european_csv([{"Name": "X", "Land": "DE"}]),
            "members.csv",
            "the columns found are: Name, Land",
        ),
    ],
)
def test_broken_files_give_one_clear_sentence(data: bytes, name: str, fragment: str) -> None:
    assert fragment in file_problem(data, name)


def test_file_too_large() -> None:
    reason = file_problem(b"partnership;organisation\n" + b"x" * MAX_UPLOAD_BYTES, "members.csv")
    assert reason == "members.csv is larger than 20 MB; split it into smaller files."


def test_too_many_rows() -> None:
    reason = file_problem(many_rows_csv(MAX_ROWS + 1), "members.csv")
    assert reason == f"members.csv has more than {MAX_ROWS:,} rows; split it into smaller files."
    assert check_upload(many_rows_csv(50), "members.csv", MEMBERS, CATALOGUE).lines == 50


def test_outcome_file_loaded_as_members_says_so() -> None:
    reason = file_problem(european_csv(OUTCOME_ROWS), "outcomes.csv", MEMBERS)
    assert reason.startswith("This looks like a file of outcomes, not of members")


def test_period_and_year_together_are_refused() -> None:
    rows = [outcome_row(period="2024")]
    assert "both a period column and year/quarter columns" in file_problem(
        european_csv(rows), "o.csv", OUTCOMES
    )


def test_two_columns_for_one_field_are_refused() -> None:
    rows = [member_row() | {"Organisation name": "Y"}]
    reason = file_problem(european_csv(rows), "m.csv")
    assert (
        reason
        == "The columns 'organisation' and 'Organisation name' both give organisation; keep only one of them."
    )


def test_header_only_file_says_there_are_no_rows() -> None:
    result = check_upload(european_csv([], headers=list(member_row())), "m.csv", MEMBERS, CATALOGUE)
    [problem] = result.problems
    assert (problem.line, problem.reason) == (
        0,
        "The file has a header but no rows of data below it.",
    )


def test_comma_file_with_unquoted_decimal_commas_is_caught() -> None:
    rows = [outcome_row(investment_eur="1234,50")]
    text = european_csv(rows, encoding="utf-8", delimiter=",", decimal_comma=False).decode()
    unquoted = text.replace('"1234,50"', "1234,50").encode()
    result = check_upload(unquoted, "o.csv", OUTCOMES, CATALOGUE)
    assert (2, "", "") in [(p.line, p.column, p.value) for p in result.problems]
    assert any("decimal comma in a comma-separated file" in p.reason for p in result.problems)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.text(max_size=300).map(lambda text: text.encode("utf-8")),
        st.lists(
            st.sampled_from([b"PK\x03\x04", b";", b",", b"\r\n", b'"', b"2024", b"=1+1", b"\x00"]),
            max_size=40,
        ).map(b"".join),
    ),
    name=st.sampled_from(["m.csv", "m.xlsx", "m.txt", "m", ""]),
    kind=st.sampled_from(list(UploadKind)),
)
def test_any_bytes_give_problems_never_an_exception(
    data: bytes, name: str, kind: UploadKind
) -> None:
    result = check_upload(data, name, kind, CATALOGUE)
    assert result.ok or result.problems
    assert all(problem.reason for problem in result.problems)


def test_excel_sep_line_sets_the_separator_and_is_not_a_line() -> None:
    data = b"sep=;\r\n" + european_csv(MEMBER_ROWS)
    table = read_table(data, "members.csv")
    assert (table.delimiter, table.header_line) == (";", 1)
    assert checked_rows(data, "members.csv", MEMBERS) == expected_members(MEMBER_ROWS)


def test_names_typed_with_combining_accents_match_the_stored_spelling() -> None:
    decomposed = unicodedata.normalize("NFD", "Réseau Mobilité Provence-Alpes-Côte d'Azur")
    assert decomposed != "Réseau Mobilité Provence-Alpes-Côte d'Azur"
    rows = [OUTCOME_ROWS[1] | {"organisation": decomposed}]
    data = european_csv(rows, encoding="utf-8")
    assert checked_rows(data, "outcomes.csv", OUTCOMES) == expected_outcomes(OUTCOME_ROWS[1:2])


def test_program_written_csv_utf8_commas_iso_dates() -> None:
    data = plain_csv(OUTCOME_ROWS)
    table = read_table(data, "outcomes.csv")
    assert (table.delimiter, table.encoding) == (",", "UTF-8")
    assert checked_rows(data, "outcomes.csv", OUTCOMES) == expected_outcomes(OUTCOME_ROWS)
    members = plain_csv(MEMBER_ROWS)
    assert b"2021-12-31" in members
    assert checked_rows(members, "members.csv", MEMBERS) == expected_members(MEMBER_ROWS)


@settings(max_examples=200, deadline=None)
@given(
    cents=st.integers(min_value=0, max_value=10**13),
    thousands=st.sampled_from(["", ".", " ", "\u00a0", "'"]),
    european=st.booleans(),
)
def test_numbers_in_any_notation_read_back(cents: int, thousands: str, european: bool) -> None:
    whole, fraction = divmod(cents, 100)
    digits = str(whole)
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    if not european and thousands == ".":
        thousands = ","
    text = thousands.join(groups) + ("," if european else ".") + f"{fraction:02d}"
    assert read_number(text, "," if european else ".") == pytest.approx(cents / 100, abs=1e-6)
    assert decimal_evidence(text) in (None, "," if european else ".")
