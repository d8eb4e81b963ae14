"""Blank files to fill in: the header and two example rows of each kind of upload, as CSV or
as an Excel workbook that also carries the column dictionary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data_access.upload_rows import UploadKind
from ingest.columns import COLUMNS, ColumnSpec

Value = str | int | float | date | None

# Made-up organisations and figures (no stored row is copied): the outcomes lines report for
# the organisations the members lines add.
_EXAMPLES: Mapping[UploadKind, tuple[Mapping[str, Value], ...]] = {
    UploadKind.MEMBERS: (
        {
            "partnership": "Automotive",
            "organisation": "Example Automotive Academy GmbH",
            "country": "DE",
            "organisation_type": "sme",
            "size_class": "small",
            "nuts_code": "DE11",
            "joined_on": date(2023, 2, 1),
            "left_on": None,
            "role": "member",
            "listed": "yes",
        },
        {
            "partnership": "Automotive",
            "organisation": "Exemple Formation Mobilité SAS",
            "country": "FR",
            "organisation_type": "vet_provider",
            "size_class": "medium",
            "nuts_code": "FRK2",
            "joined_on": date(2022, 9, 15),
            "left_on": date(2024, 6, 30),
            "role": "co-leader",
            "listed": "no",
        },
    ),
    UploadKind.OUTCOMES: (
        {
            "partnership": "Automotive",
            "organisation": "Example Automotive Academy GmbH",
            "country": "DE",
            "year": 2024,
            "quarter": None,
            "skill_area": "technical",
            "women": 120,
            "men": 380,
            "other_gender": 2,
            "not_recorded": 8,
            "total_people": 510,
            "programmes": 4,
            "investment_eur": 25000.5,
            "people_reached": 1500,
        },
        {
            "partnership": "Automotive",
            "organisation": "Exemple Formation Mobilité SAS",
            "country": "FR",
            "year": 2024,
            "quarter": "Q2",
            "skill_area": "green",
            "women": 45,
            "men": 95,
            "other_gender": 0,
            "not_recorded": 10,
            "total_people": 150,
            "programmes": 1,
            "investment_eur": 7250.0,
            "people_reached": 600,
        },
    ),
}


def template_columns(kind: UploadKind) -> tuple[ColumnSpec, ...]:
    """The columns a template has: every column of the kind (year and quarter, not period;
    country, not country_name)."""
    return tuple(spec for spec in COLUMNS[kind] if spec.name not in ("period", "country_name"))


def template_rows(kind: UploadKind) -> tuple[Mapping[str, Value], ...]:
    """The example rows of a template, by column name."""
    return _EXAMPLES[kind]


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def template_csv(kind: UploadKind) -> bytes:
    """A CSV template (UTF-8 with BOM, comma-separated): header and two example rows."""
    names = [spec.name for spec in template_columns(kind)]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in _EXAMPLES[kind]:
        writer.writerow([_text(row[name]) for name in names])
    return buffer.getvalue().encode("utf-8-sig")


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def template_xlsx(kind: UploadKind) -> bytes:
    """An Excel template: a sheet named after the kind with header and two example rows,
    and a second sheet, "columns", with the column dictionary."""
    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = kind.value
    specs = template_columns(kind)
    data.append([spec.name for spec in specs])
    for row in _EXAMPLES[kind]:
        data.append([row[spec.name] for spec in specs])
    for position, spec in enumerate(specs, start=1):
        header = data.cell(row=1, column=position)
        header.font, header.fill = _HEADER_FONT, _HEADER_FILL
        letter = get_column_letter(position)
        data.column_dimensions[letter].width = max(12, len(spec.name) + 4)
        for cell in data[letter][1:]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif spec.name == "investment_eur":
                cell.number_format = "#,##0.00"
    data.column_dimensions["B"].width = 44
    data.freeze_panes = "A2"

    dictionary = workbook.create_sheet("columns")
    dictionary.append(
        ["column", "required", "kind of value", "description", "example", "also accepted as"]
    )
    for spec in COLUMNS[kind]:
        dictionary.append(
            [
                spec.name,
                "yes" if spec.required else "no",
                spec.kind_of_value,
                spec.description,
                spec.example,
                ", ".join(spec.aliases),
            ]
        )
    for cell in dictionary[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for letter, width in zip("ABCDEF", (18, 10, 22, 80, 34, 50), strict=True):
        dictionary.column_dimensions[letter].width = width
    for row in dictionary.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    dictionary.freeze_panes = "A2"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
