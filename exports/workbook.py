"""A Report as an XLSX workbook (openpyxl): a Summary sheet, then one sheet per chart with
exactly the data it plots and one per table.

Numbers are written as numbers, with number formats for counts, shares, euros and dates; a
value hidden by disclosure control is an empty cell in a row flagged "suppressed", explained
on the sheet. Text is always written as text: a name beginning with = + - @ is stored as a
string (with Excel's quote prefix), never as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from exports.cells import plain, value_kind
from i18n import N_, _, language
from views.format import SUPPRESSED
from views.frames import flagged, is_protected
from views.labels import FLAG_COLUMN, column_label
from views.models import Tile
from views.report import REPORT_DEMO_NOTICE, Report

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Data sheets: title, source, summary or note, legend, then the header row and the rows.
HEADER_ROW = 5
# Text that spreadsheet programs would read as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SUMMARY_HEADERS = (
    N_("Figure"),
    N_("Value"),
    N_("Change"),
    N_("Change refers to"),
    N_("Suppressed"),
    N_("Note"),
)
SUMMARY_SHEET = N_("Summary")
# Excel refuses these in sheet names, and a name it keeps for itself.
SHEET_FORBIDDEN = "[]:*?/\\"
RESERVED_SHEET = "history"

FORMATS = {
    "share": "0.0%",
    "eur": "#,##0.00",
    "year": "0",
    "date": "yyyy-mm-dd",
}
TITLE = Font(bold=True, size=14)
BOLD = Font(bold=True)
DEMO = Font(bold=True, color="9C2A00")
HEADER_FILL = PatternFill("solid", fgColor="E5E9F0")
WRAP = Alignment(wrap_text=True, vertical="top")


def put(ws: Worksheet, row: int, column: int, value: Any, kind: str | None = None) -> Cell:
    """Write one cell: numbers as numbers, text as text (never a formula), None as empty."""
    cell = ws.cell(row=row, column=column)
    if not isinstance(cell, Cell):
        raise TypeError(f"cell {row},{column} is merged")  # a report merges none
    value = plain(value)
    if value is None:
        return cell
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # openpyxl would store "=..." as a formula, "#N/A" as an error
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        return cell
    if kind == "eur" and isinstance(value, float):
        value = round(value, 2)  # sums of cents carry float noise
    cell.value = value
    if isinstance(value, bool):
        return cell
    if kind in FORMATS:
        cell.number_format = FORMATS[kind]
    elif isinstance(value, datetime | date):
        cell.number_format = FORMATS["date"]
    elif isinstance(value, int) or float(value).is_integer():
        cell.number_format = "#,##0"
    else:
        cell.number_format = "#,##0.00"
    return cell


def _sheet_title(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name in any language: at most 31 characters, none of []:*?/\\,
    no apostrophe at either end, not "History", unique whatever the case."""
    clean = "".join(" " if ch in SHEET_FORBIDDEN else ch for ch in text)
    clean = clean.strip().strip("'").strip()[:31].strip().strip("'") or "Sheet"
    name, number = clean, 2
    while name.lower() in taken or name.lower() == RESERVED_SHEET:
        suffix = f" ({number})"
        name, number = clean[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _heading(
    ws: Worksheet, report: Report, title: str, lines: Iterable[str | None], note: str | None = None
) -> None:
    put(ws, 1, 1, title).font = TITLE
    source = report.source_caption() + (f" · {note}" if note else "")
    if report.state.is_demo:
        source = _("DEMO DATA · {source}").format(source=source)
    put(ws, 2, 1, source).font = DEMO if report.state.is_demo else Font(italic=True)
    for row, line in enumerate((line for line in lines if line), start=3):
        if row >= HEADER_ROW:
            break
        put(ws, row, 1, line)


def write_frame(ws: Worksheet, frame: pd.DataFrame, *, first_row: int = HEADER_ROW) -> None:
    """The frame as a table from `first_row`: readable headers, then one row per record.

    The `suppressed` column becomes the last column, "suppressed" on flagged rows."""
    columns = [c for c in frame.columns if c != FLAG_COLUMN]
    hidden = flagged(frame).tolist()
    show_flag = FLAG_COLUMN in frame.columns
    headers = [column_label(c) for c in columns] + (
        [column_label(FLAG_COLUMN)] if show_flag else []
    )
    for index, header in enumerate(headers, start=1):
        cell = put(ws, first_row, index, header)
        cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP
    units = frame["unit"].tolist() if "unit" in frame.columns else [None] * len(frame)
    records = frame[columns].itertuples(index=False, name=None)
    for offset, (values, row_hidden, unit) in enumerate(zip(records, hidden, units, strict=True)):
        row = first_row + 1 + offset
        for index, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cleaned = plain(value)
            if column == "period" and isinstance(cleaned, str) and cleaned.isdigit():
                cleaned = int(cleaned)  # a year as a number, not as text
            put(ws, row, index, cleaned, value_kind(column, cleaned, unit))
        if show_flag:
            put(ws, row, len(columns) + 1, _(SUPPRESSED) if row_hidden else None)
    last_row = first_row + max(len(frame), 1)
    ws.auto_filter.ref = f"A{first_row}:{get_column_letter(len(headers))}{last_row}"
    ws.freeze_panes = f"A{first_row + 1}"
    for index, column in enumerate([*columns, *([FLAG_COLUMN] if show_flag else [])], start=1):
        width = max([len(headers[index - 1])] + [len(str(v)) for v in frame[column].head(200)])
        ws.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 48)


def _summary(ws: Worksheet, report: Report, sheets: list[tuple[str, str]], name: str) -> None:
    ws.title = name
    put(ws, 1, 1, report.title).font = TITLE
    row = 2
    if report.state.is_demo:
        put(ws, row, 1, REPORT_DEMO_NOTICE).font = DEMO
        row += 1
    row += 1
    put(ws, row, 1, _("About this report")).font = BOLD
    for label, text in [*report.metadata(), *report.about]:
        row += 1
        put(ws, row, 1, label).font = BOLD
        put(ws, row, 2, text)
    row += 2
    put(ws, row, 1, _("Headline figures")).font = BOLD
    row += 1
    for index, header in enumerate(SUMMARY_HEADERS, start=1):
        cell = put(ws, row, index, _(header))
        cell.font, cell.fill = BOLD, HEADER_FILL
    for tile in report.headlines:
        row += 1
        _headline(ws, row, tile)
    if not report.headlines:
        row += 1
        put(ws, row, 1, _("No figures for these filters."))
    row += 2
    put(ws, row, 1, _("Notes")).font = BOLD
    notes = list(report.notes)
    if report.has_suppressed:
        notes.insert(
            0,
            _("{legend} Empty cells are flagged '{suppressed}'.").format(
                legend=report.legend(), suppressed=_(SUPPRESSED)
            ),
        )
    for note in notes or [_("None.")]:
        row += 1
        put(ws, row, 1, note)
    row += 2
    put(ws, row, 1, _("Sheets")).font = BOLD
    for name, what in sheets:
        row += 1
        put(ws, row, 1, name)
        put(ws, row, 2, what)
    ws.column_dimensions["A"].width = 44
    ws.column_dimensions["B"].width = 60
    for letter in "CDEF":
        ws.column_dimensions[letter].width = 22


def _headline(ws: Worksheet, row: int, tile: Tile) -> None:
    """A tile as a row: its label, raw value, change (a share's in percentage points), what
    the change refers to, whether it was withheld and its note."""
    put(ws, row, 1, tile.label)
    put(ws, row, 2, tile.raw, "share" if tile.unit == "share" else None)
    change = tile.written_change
    if change is not None:
        number, refers_to = change
        put(ws, row, 3, number).number_format = (
            "+0.0;-0.0;0.0" if tile.unit == "share" else "+#,##0;-#,##0;0"
        )
        put(ws, row, 4, refers_to)
    put(ws, row, 5, _(SUPPRESSED) if tile.suppressed else None)
    put(ws, row, 6, tile.help or "")


def workbook_bytes(report: Report) -> bytes:
    """The report as an XLSX file, in the current language (the caller sets it)."""
    wb = Workbook()
    wb.properties.title = report.title
    wb.properties.creator = "Pact for Skills dashboard"
    wb.properties.created = report.generated_utc()
    wb.properties.language = language()
    taken: set[str] = set()
    summary = _sheet_title(_(SUMMARY_SHEET), taken)
    sheets: list[tuple[str, str]] = []
    for chart in report.charts:
        name = _sheet_title(chart.sheet, taken)
        sheets.append((name, _("Data of the chart: {title}").format(title=chart.title)))
        ws = wb.create_sheet(name)
        legend = report.legend() if is_protected(chart.data) else ""
        _heading(ws, report, chart.title, [chart.summary, legend], note=chart.note)
        write_frame(ws, chart.data)
    for table in report.tables:
        name = _sheet_title(table.sheet, taken)
        sheets.append((name, table.title))
        ws = wb.create_sheet(name)
        legend = report.legend() if is_protected(table.data) else ""
        _heading(ws, report, table.title, [table.note, legend])
        write_frame(ws, table.data)
    _summary(wb.worksheets[0], report, sheets, summary)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
