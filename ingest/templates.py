"""Blank files to fill in: the header and two example rows of each kind of upload, as CSV or
as an Excel workbook that also carries the column dictionary, in any of the dashboard's
languages: headers, dictionary and example values in its words, numbers written its way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from data_access.reference import ORGANISATION_TYPES, SKILL_AREAS
from data_access.upload_rows import UploadKind
from i18n import N_, _, language, using
from i18n.numbers import decimal_sign
from ingest.cells import NO, ROLE_WORDS, SIZE_WORDS, YES
from ingest.columns import COLUMNS, ColumnSpec, column_header
from ingest.translated import ENGLISH

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


_NAMES = {
    "organisation_type": dict(ORGANISATION_TYPES),
    "skill_area": dict(SKILL_AREAS),
    "size_class": {code: word for word, code in SIZE_WORDS.items()},
    "role": {code: word for word, code in ROLE_WORDS.items()},
    "listed": {"yes": YES, "no": NO},
}


def _in_language(column: str, value: Value) -> Value:
    """An example value as a person writing the current language would: English keeps the
    codes; other languages get the names of organisation types, skill areas, sizes, roles
    and yes/no in their words (codes are read in any language)."""
    if language() == ENGLISH or not isinstance(value, str):
        return value
    word = _NAMES.get(column, {}).get(value)
    return _(word) if word else value


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and language() != ENGLISH:
        return str(value).replace(".", decimal_sign())
    return str(value)


def _delimiter() -> str:
    """The CSV separator spreadsheet programs expect in the current language: ; where
    decimals are written with a comma, else a comma."""
    return ";" if decimal_sign() == "," else ","


def template_csv(kind: UploadKind, language_code: str | None = None) -> bytes:
    """A CSV template (UTF-8 with BOM): header and two example rows in a language (the
    current one by default); comma-separated, or ;-separated in a language that writes
    decimals with a comma."""
    with using(language_code or language()):
        specs = template_columns(kind)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=_delimiter(), lineterminator="\r\n")
        writer.writerow([column_header(spec.name) for spec in specs])
        for row in _EXAMPLES[kind]:
            writer.writerow([_text(_in_language(spec.name, row[spec.name])) for spec in specs])
        return buffer.getvalue().encode("utf-8-sig")


_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_DICTIONARY_HEADERS = (
    # Translators: a header of the column dictionary of the upload templates.
    N_("column"),
    # Translators: a header of the column dictionary: whether a file must have the column.
    N_("required"),
    # Translators: a header of the column dictionary of the upload templates.
    N_("kind of value"),
    # Translators: a header of the column dictionary of the upload templates.
    N_("description"),
    # Translators: a header of the column dictionary of the upload templates.
    N_("example"),
    # Translators: a header of the column dictionary: other headers read as the column.
    N_("also accepted as"),
)
# Translators: the name of the workbook sheet holding the column dictionary.
_DICTIONARY_SHEET = N_("columns")
_NOT_IN_SHEET_NAMES = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


def template_xlsx(kind: UploadKind, language_code: str | None = None) -> bytes:
    """An Excel template in a language (the current one by default): a sheet named after
    the kind with header and two example rows, and a second sheet, "columns", with the
    column dictionary."""
    with using(language_code or language()):
        workbook = Workbook()
        _data_sheet(workbook, kind)
        _dictionary_sheet(workbook, kind)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _data_sheet(workbook: Workbook, kind: UploadKind) -> None:
    data = workbook.active
    assert data is not None
    data.title = kind.value  # the reader finds the sheet by this name
    specs = template_columns(kind)
    headers = [column_header(spec.name) for spec in specs]
    data.append(headers)
    for row in _EXAMPLES[kind]:
        data.append([_in_language(spec.name, row[spec.name]) for spec in specs])
    for position, (spec, header_text) in enumerate(zip(specs, headers, strict=True), start=1):
        header = data.cell(row=1, column=position)
        header.font, header.fill = _HEADER_FONT, _HEADER_FILL
        letter = get_column_letter(position)
        data.column_dimensions[letter].width = max(12, len(header_text) + 4)
        for cell in data[letter][1:]:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
            elif spec.name == "investment_eur":
                cell.number_format = "#,##0.00"
    data.column_dimensions["B"].width = 44
    data.freeze_panes = "A2"


def _dictionary_sheet(workbook: Workbook, kind: UploadKind) -> None:
    title = " ".join(_(_DICTIONARY_SHEET).translate(_NOT_IN_SHEET_NAMES).split())[:31]
    dictionary = workbook.create_sheet(title or _DICTIONARY_SHEET)
    dictionary.append([_(header) for header in _DICTIONARY_HEADERS])
    for spec in COLUMNS[kind]:
        also = spec.aliases if language() == ENGLISH else (spec.name, *spec.aliases)
        dictionary.append(
            [
                column_header(spec.name),
                _(YES if spec.required else NO),
                _(spec.kind_of_value),
                _(spec.description),
                _dictionary_example(spec),
                ", ".join(also),
            ]
        )
    for cell in dictionary[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    for letter, width in zip("ABCDEF", (18, 10, 22, 80, 34, 50), strict=True):
        dictionary.column_dimensions[letter].width = width
    for row in dictionary.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
    dictionary.freeze_panes = "A2"


def _dictionary_example(spec: ColumnSpec) -> str:
    """A column's example as the dictionary shows it: in the current language's words, an
    amount with its decimal sign."""
    example = _text(_in_language(spec.name, spec.example))
    return example.replace(".", decimal_sign()) if spec.name == "investment_eur" else example
