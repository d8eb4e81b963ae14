"""Workbooks whose formula cells have no saved result, as programs write them: such a cell is
a problem on its line, never a silent 0; a formula with a saved result loads that result."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import pytest
from openpyxl import Workbook

from data_access.upload_rows import CheckedUpload, UploadKind
from ingest import check_upload, read_table
from ingest.cells import NO_RESULT_REASON, NO_RESULT_TEXT_REASON
from tests.upload_files import catalogue_for, member_row, outcome_row, xlsx_with_formatting

MEMBERS, OUTCOMES = UploadKind.MEMBERS, UploadKind.OUTCOMES
CATALOGUE = catalogue_for()


def _rewrite(content: bytes, change: Any) -> bytes:
    """The workbook with change(name, text) applied to each XML part."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".xml"):
                data = change(item.filename, data.decode("utf-8")).encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def with_saved_results(content: bytes, results: Mapping[str, str], recalculate: bool) -> bytes:
    """The workbook as a spreadsheet program saves it: each formula cell (by reference, such
    as "G2") with its result; the calculate-on-opening flag kept only when recalculate."""

    def change(name: str, text: str) -> str:
        if name == "xl/workbook.xml" and not recalculate:
            text = text.replace(' fullCalcOnLoad="1"', "")
        if name.startswith("xl/worksheets/"):
            for reference, result in results.items():
                text, found = re.subn(
                    rf'(<c r="{reference}"[^>]*><f>[^<]*</f>)<v ?/>', rf"\g<1><v>{result}</v>", text
                )
                assert found == 1, reference
        return text

    return _rewrite(content, change)


def outcomes_workbook(**changes: Any) -> bytes:
    """An outcomes workbook written by a program (no results saved), one line, changed."""
    return xlsx_with_formatting([outcome_row(**changes)], sheet="outcomes")


def checked(content: bytes, kind: UploadKind = OUTCOMES) -> CheckedUpload:
    return check_upload(content, f"{kind.value}.xlsx", kind, CATALOGUE)


def test_a_count_formula_without_result_is_a_problem_not_a_zero() -> None:
    upload = checked(outcomes_workbook(women="=120+35"))
    assert [(p.line, p.column, p.value, p.reason) for p in upload.problems] == [
        (2, "women", "=120+35", NO_RESULT_REASON)
    ]
    assert upload.rows == () and not upload.ok


def test_the_reason_says_what_to_do() -> None:
    assert "formula with no saved result" in NO_RESULT_REASON
    assert "open and save the file in a spreadsheet program" in NO_RESULT_REASON
    assert NO_RESULT_REASON.endswith("or type the number")
    assert NO_RESULT_TEXT_REASON.endswith("or type the value")


def test_every_column_with_such_a_formula_is_named_once() -> None:
    content = outcomes_workbook(
        women="=120+35", investment_eur="=1000*2", year="=2020+4", country='="D"&"E"'
    )
    upload = checked(content)
    found = {(p.line, p.column): p.reason for p in upload.problems}
    assert found == {
        (2, "women"): NO_RESULT_REASON,
        (2, "investment_eur"): NO_RESULT_REASON,
        (2, "year"): NO_RESULT_REASON,
        (2, "country"): NO_RESULT_TEXT_REASON,
    }
    assert upload.rows == ()


def test_member_dates_and_names_from_formulas_without_results() -> None:
    content = xlsx_with_formatting(
        [member_row(joined_on="=DATE(2023,5,15)", organisation='="Autoteile "&"Schneider"')]
    )
    upload = checked(content, MEMBERS)
    assert {(p.line, p.column, p.reason) for p in upload.problems} == {
        (2, "joined_on", NO_RESULT_TEXT_REASON),
        (2, "organisation", NO_RESULT_TEXT_REASON),
    }
    assert upload.rows == ()


def test_a_formula_with_a_saved_result_loads_that_result() -> None:
    content = outcomes_workbook(women="=120+35")
    table = read_table(content, "outcomes.xlsx", kind=OUTCOMES)
    column = "ABCDEFGHIJKLMNOP"[table.headers.index("women")]
    saved = with_saved_results(content, {f"{column}2": "155"}, recalculate=False)
    upload = checked(saved)
    assert upload.problems == ()
    (row,) = upload.rows
    assert row.women == 155  # type: ignore[union-attr]


def test_placeholder_results_of_a_workbook_to_be_calculated_on_opening_are_refused() -> None:
    # Programs that do not calculate write 0 as the result and ask for calculation on opening.
    content = outcomes_workbook(women="=120+35")
    table = read_table(content, "outcomes.xlsx", kind=OUTCOMES)
    column = "ABCDEFGHIJKLMNOP"[table.headers.index("women")]
    placeholder = with_saved_results(content, {f"{column}2": "0"}, recalculate=True)
    upload = checked(placeholder)
    assert [(p.line, p.column, p.reason) for p in upload.problems] == [
        (2, "women", NO_RESULT_REASON)
    ]


def test_a_formula_whose_saved_result_is_empty_text_is_an_empty_cell() -> None:
    content = outcomes_workbook(other_gender='=IF(1=1,"","x")')
    table = read_table(content, "outcomes.xlsx", kind=OUTCOMES)
    column = "ABCDEFGHIJKLMNOP"[table.headers.index("other_gender")]

    def empty_text(name: str, text: str) -> str:
        if name == "xl/workbook.xml":
            return text.replace(' fullCalcOnLoad="1"', "")
        return re.sub(
            rf'<c r="{column}2"([^>]*)><f>([^<]*)</f><v ?/>',
            r'<c r="' + column + r'2"\1 t="str"><f>\2</f><v></v>',
            text,
        )

    upload = checked(_rewrite(content, empty_text))
    assert upload.problems == ()
    assert upload.rows[0].other_gender == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("recalculate", [False, True])
def test_a_workbook_without_formulas_loads_either_way(recalculate: bool) -> None:
    content = outcomes_workbook()
    if not recalculate:
        content = with_saved_results(content, {}, recalculate=False)
    upload = checked(content)
    assert upload.problems == ()
    assert len(upload.rows) == 1


def test_the_problem_sits_on_the_spreadsheet_line_below_title_and_empty_rows() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    row = outcome_row(women="=120+35")
    sheet.cell(row=1, column=1, value="Outcome report 2024")
    for column, name in enumerate(row, start=1):
        sheet.cell(row=3, column=column, value=name)
        sheet.cell(row=7, column=column, value=row[name])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = checked(buffer.getvalue())
    assert [(p.line, p.column, p.value) for p in upload.problems] == [(7, "women", "=120+35")]
