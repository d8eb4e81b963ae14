"""Briefing reports in the reader's language: built inside `using(code)`, the HTML report says
its language and the workbook's sheet names stay valid in every language; in the pseudo-locale
neither writer, nor the figures they draw, leaves an English word of their own."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import PUBLIC, Filters
from exports import (
    Report,
    gather_pact_report,
    gather_partnership_report,
    html_bytes,
    workbook_bytes,
)
from exports.html_report import figure_json
from exports.workbook import _sheet_title
from i18n import LANGUAGES, PSEUDO, using
from tests.callers import OFFICER, coordinator
from tests.languages import english_left, figure_texts, test_catalogs, visible_text
from views import format as fmt
from views.labels import column_label
from views.report import REPORT_DEMO_NOTICE

__all__ = ["test_catalogs"]  # the fixture, used by name

OWN = "automotive"
VIEW = Filters(year_from=2020, year_to=2024)
FORBIDDEN = set("[]:*?/\\")


@pytest.fixture(scope="module")
def store(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine) as session:
        yield session


def _reports(store: Session) -> dict[str, Report]:
    return {
        "pact": gather_pact_report(session=store, caller=PUBLIC, filters=VIEW),
        "officer": gather_pact_report(session=store, caller=OFFICER, filters=VIEW),
        "partnership": gather_partnership_report(
            session=store, caller=coordinator(OWN), filters=VIEW, partnership=OWN
        ),
    }


def _strings(frame: pd.DataFrame) -> Iterator[str]:
    for column in frame.columns:
        yield column_label(str(column))
        yield from (v for v in frame[column].dropna() if isinstance(v, str))


def _report_words(report: Report) -> list[str]:
    """What views/ says in a report (translated there) and the data it holds: the exporters
    add every other word."""
    words = [report.title, report.source_caption(), report.legend(), *report.notes]
    words += [REPORT_DEMO_NOTICE, fmt.cell(True), fmt.cell(False)]
    for label, text in [*report.metadata(), *report.about]:
        words += [label, text]
    for tile in report.headlines:
        words += [tile.label, tile.exact_value, tile.exact_delta or "", tile.help or ""]
        change = tile.written_change
        words += [change[1]] if change else []
    for chart in report.charts:
        words += [chart.title, chart.summary or "", chart.note or "", chart.sheet]
        words += list(_strings(chart.data))
    for table in report.tables:
        words += [table.title, table.note or "", table.sheet]
        words += list(_strings(table.data))
    return words


@pytest.mark.usefixtures("test_catalogs")
def test_the_pseudo_locale_leaves_no_english_of_the_exporters_or_figures(store: Session) -> None:
    with using(PSEUDO):
        reports = _reports(store)
        for name, report in reports.items():
            allowed = _report_words(report)
            page = html_bytes(report).decode("utf-8")
            assert '<html lang="qps">' in page
            assert english_left(visible_text(page), allowed) == set(), name
            book = load_workbook(io.BytesIO(workbook_bytes(report)))
            cells = [
                str(cell.value)
                for sheet in book.worksheets
                for row in sheet.iter_rows()
                for cell in row
                if isinstance(cell.value, str)
            ]
            sheet_names = [sheet.title for sheet in book.worksheets]
            assert english_left(" ".join([*cells, *sheet_names]), allowed) == set(), name
            for chart in report.charts:
                if chart.data.empty:
                    continue
                figure = json.loads(figure_json(chart))
                texts = " ".join(figure_texts(figure))
                assert "⟦" in texts, chart.key
                assert english_left(texts, allowed) == set(), chart.key


@pytest.mark.parametrize("code", [*LANGUAGES, PSEUDO])
def test_sheet_names_are_valid_in_every_language(store: Session, code: str) -> None:
    with using(code):
        report = gather_partnership_report(
            session=store, caller=coordinator(OWN), filters=VIEW, partnership=OWN
        )
        book = load_workbook(io.BytesIO(workbook_bytes(report)))
    names = [sheet.title for sheet in book.worksheets]
    assert (
        len(names)
        == len({name.lower() for name in names})
        == 1 + len(report.charts) + len(report.tables)
    )
    for name in names:
        assert 0 < len(name) <= 31 and not FORBIDDEN & set(name), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.lower() != "history"


def test_a_sheet_name_is_made_valid_and_unique() -> None:
    taken: set[str] = set()
    long_pseudo = "⟦Ðåţå öƒ ţĥé çĥåřţ: [Mémƀéřš] / ţîméš? ·······························⟧"
    first = _sheet_title(long_pseudo, taken)
    second = _sheet_title(long_pseudo.upper(), taken)
    assert len(first) <= 31 and len(second) <= 31 and first.lower() != second.lower()
    assert not FORBIDDEN & set(first + second)
    assert _sheet_title("'Quoted'", taken) == "Quoted"
    assert _sheet_title("History", taken) == "History (2)"
    assert _sheet_title("[]:*?/\\", taken) == "Sheet"


@pytest.mark.usefixtures("test_catalogs")
def test_the_html_report_names_its_language(store: Session) -> None:
    with using("de"):
        report = gather_pact_report(session=store, caller=PUBLIC, filters=VIEW)
        page = html_bytes(report).decode("utf-8")
    assert '<html lang="de">' in page
    english = html_bytes(gather_pact_report(session=store, caller=PUBLIC, filters=VIEW))
    assert b'<html lang="en">' in english
