"""Upload files as coordinators make them, built as bytes for tests: European CSV from Excel,
plain CSV, formatted workbooks, Excel's "Unicode text", and broken files; plus rows with
demo-like values and a small hand-made catalogue to check them against.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from data_access.reference import COUNTRIES, ORGANISATION_TYPES, SKILL_AREAS
from data_access.upload_rows import Catalogue, lookup_key
from fixtures.pact import PARTNERSHIPS

Row = Mapping[str, Any]

# Organisations of the hand-made catalogue: (name, country, type), spelt as stored.
KNOWN_ORGANISATIONS: tuple[tuple[str, str, str], ...] = (
    ("Fachverband Fahrzeugtechnik Berlin", "DE", "association"),
    ("Réseau Mobilité Provence-Alpes-Côte d'Azur", "FR", "association"),
    ("Kowalski Technika Lotnicza S.A.", "PL", "sme"),
    ("Stiftelsen Arbete och Kompetens Umeå", "SE", "ngo"),
    ("Luchtvaart Brugge BV", "BE", "sme"),
    ("Istituto Tecnico Superiore Torino", "IT", "vet_provider"),
)
# Memberships: (partnership slug, organisation name, country).
KNOWN_MEMBERSHIPS: tuple[tuple[str, str, str], ...] = (
    ("automotive", "Fachverband Fahrzeugtechnik Berlin", "DE"),
    ("automotive", "Réseau Mobilité Provence-Alpes-Côte d'Azur", "FR"),
    ("automotive", "Istituto Tecnico Superiore Torino", "IT"),
    ("aerospace-defence", "Kowalski Technika Lotnicza S.A.", "PL"),
    ("aerospace-defence", "Luchtvaart Brugge BV", "BE"),
    ("tourism", "Stiftelsen Arbete och Kompetens Umeå", "SE"),
)


def catalogue_for(
    *,
    organisations: Iterable[tuple[str, str, str]] = KNOWN_ORGANISATIONS,
    memberships: Iterable[tuple[str, str, str]] = KNOWN_MEMBERSHIPS,
    changeable: Iterable[str] = ("automotive", "aerospace-defence"),
    stored_periods: Mapping[tuple[str, str, str, int, str], frozenset[int]] | None = None,
    today: date | None = None,
) -> Catalogue:
    """A catalogue built by hand: the demo partnerships, the reference lists and the given
    organisations; the caller may change the partnerships in `changeable`."""
    key = lookup_key
    partnerships: dict[str, str] = {}
    for seed in PARTNERSHIPS:
        for text in (seed.slug, seed.name, seed.short_name):
            partnerships[key(text)] = seed.slug
    countries: dict[str, str] = {}
    for country in COUNTRIES:
        for text in (country.code, country.iso3, country.name):
            countries[key(text)] = country.code
    orgs = list(organisations)
    return Catalogue(
        partnerships=partnerships,
        changeable=frozenset(changeable),
        organisations={(key(name), country): name for name, country, _ in orgs},
        organisation_types={(key(name), country): kind for name, country, kind in orgs},
        memberships=frozenset((slug, key(name), country) for slug, name, country in memberships),
        skill_areas={key(text): code for code, label in SKILL_AREAS for text in (code, label)},
        countries=countries,
        org_types={key(text): code for code, label in ORGANISATION_TYPES for text in (code, label)},
        stored_periods=dict(stored_periods or {}),
        today=today or date.today(),
    )


def member_row(**changes: Any) -> dict[str, Any]:
    """A members-file row with demo-like values (a new organisation), changed as given."""
    row: dict[str, Any] = {
        "partnership": "automotive",
        "organisation": "Autoteile Schneider GmbH",
        "country": "DE",
        "organisation_type": "sme",
        "size_class": "small",
        "nuts_code": "DE11",
        "joined_on": date(2023, 5, 15),
        "left_on": None,
        "role": "member",
    }
    row.update(changes)
    return row


def outcome_row(**changes: Any) -> dict[str, Any]:
    """An outcome-file row with demo-like values for a known member, changed as given."""
    row: dict[str, Any] = {
        "partnership": "automotive",
        "organisation": "Fachverband Fahrzeugtechnik Berlin",
        "country": "DE",
        "year": 2024,
        "quarter": None,
        "skill_area": "technical",
        "women": 529,
        "men": 6733,
        "other_gender": 40,
        "not_recorded": 0,
        "programmes": 91,
        "investment_eur": 999743.08,
        "people_reached": 43086,
    }
    row.update(changes)
    return row


def _headers(rows: Sequence[Row], headers: Sequence[str] | None) -> list[str]:
    if headers is not None:
        return list(headers)
    names: list[str] = []
    for row in rows:
        names.extend(name for name in row if name not in names)
    return names


def _group(digits: str, thousands: str) -> str:
    if not thousands:
        return digits
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return thousands.join(groups)


def _number_text(value: float | int, decimal_comma: bool, thousands: str) -> str:
    sign = "-" if value < 0 else ""
    if isinstance(value, int):
        return sign + _group(str(abs(value)), thousands)
    whole, fraction = f"{abs(value):.2f}".split(".")
    return sign + _group(whole, thousands) + ("," if decimal_comma else ".") + fraction


def _csv_field(text: str, delimiter: str) -> str:
    if any(char in text for char in (delimiter, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


def european_csv(
    rows: Sequence[Row],
    *,
    encoding: str = "cp1252",
    delimiter: str = ";",
    decimal_comma: bool = True,
    day_first: bool = True,
    date_format: str | None = None,
    thousands: str = "",
    headers: Sequence[str] | None = None,
    title_lines: Sequence[str] = (),
    trailing_empty_rows: int = 0,
    empty_columns: int = 0,
    line_end: str = "\r\n",
    ungrouped: Sequence[str] = ("year",),
) -> bytes:
    """A CSV as a European Excel saves it: ; separated, Windows-1252, 1234,5 and 31/12/2024.

    Dates follow date_format when given, else day_first (31/12/2024) or ISO (2024-12-31);
    integers get the thousands separator (except the ungrouped columns); empty_columns adds
    empty columns at the right.
    """
    names = _headers(rows, headers)
    date_pattern = date_format or ("%d/%m/%Y" if day_first else "%Y-%m-%d")

    def text(value: Any, name: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            return str(value)
        if isinstance(value, date):
            return value.strftime(date_pattern)
        if isinstance(value, int | float):
            return _number_text(value, decimal_comma, "" if name in ungrouped else thousands)
        return str(value)

    padding = [""] * empty_columns
    lines = [delimiter.join(_csv_field(t, delimiter) for t in [*names, *padding])]
    for row in rows:
        cells = [text(row.get(name), name) for name in names] + padding
        lines.append(delimiter.join(_csv_field(cell, delimiter) for cell in cells))
    lines.extend(delimiter * (len(names) + empty_columns - 1) for _ in range(trailing_empty_rows))
    body = line_end.join([*title_lines, *lines]) + line_end
    return body.encode(encoding)


def plain_csv(rows: Sequence[Row], **options: Any) -> bytes:
    """A CSV as a program writes it: comma separated, UTF-8, 1234.5 and 2024-12-31."""
    settings: dict[str, Any] = {
        "encoding": "utf-8",
        "delimiter": ",",
        "decimal_comma": False,
        "day_first": False,
        "line_end": "\n",
    }
    settings.update(options)
    return european_csv(rows, **settings)


def unicode_text(rows: Sequence[Row], **options: Any) -> bytes:
    """Excel's "Unicode Text" export: UTF-16 with a byte order mark, tab separated."""
    text = european_csv(rows, encoding="utf-8", delimiter="\t", **options).decode("utf-8")
    return text.encode("utf-16")


def xlsx_with_formatting(
    rows: Sequence[Row],
    *,
    sheet: str = "members",
    extra_sheets: Mapping[str, Sequence[Sequence[Any]]] | Sequence[str] = (),
    extra_sheets_first: bool = True,
    headers: Sequence[str] | None = None,
    title: str | None = None,
    numbers_as_text: bool = False,
    wrong_dimension: bool = False,
) -> bytes:
    """A workbook as people format it: typed numbers and dates, a styled header, widths,
    borders, frozen panes, optionally a merged title row above the header and other sheets
    (by name, or name -> rows of cells), placed before the data sheet when extra_sheets_first.
    """
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    extras: dict[str, Sequence[Sequence[Any]]] = (
        dict(extra_sheets)
        if isinstance(extra_sheets, Mapping)
        else {
            name: [["Notes"], ["Filled in by the partnership secretariat"]] for name in extra_sheets
        }
    )

    def add_extras() -> None:
        for name, cells in extras.items():
            other = workbook.create_sheet(name)
            for values in cells:
                other.append(list(values))

    if extra_sheets_first:
        add_extras()
    data = workbook.create_sheet(sheet)
    names = _headers(rows, headers)
    if title:
        data.append([title])
        data.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(1, len(names)))
        data["A1"].font = Font(bold=True, size=14)
        data.append([])
    data.append(names)
    header_row = data.max_row
    thin = Side(style="thin", color="999999")
    for cell in data[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2E75B6")
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.border = Border(bottom=thin)
    for row in rows:
        values = []
        for name in names:
            value = row.get(name)
            if numbers_as_text and isinstance(value, int | float) and not isinstance(value, bool):
                value = str(value)
            values.append(value)
        data.append(values)
    for row_cells in data.iter_rows(min_row=header_row + 1):
        for cell in row_cells:
            cell.border = Border(left=thin, right=thin, bottom=thin)
            if isinstance(cell.value, datetime | date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(cell.value, float):
                cell.number_format = "#,##0.00 €"
            elif isinstance(cell.value, int):
                cell.number_format = "#,##0"
    for position in range(1, len(names) + 1):
        data.column_dimensions[get_column_letter(position)].width = 22
    data.freeze_panes = data.cell(row=header_row + 1, column=1)
    if not extra_sheets_first:
        add_extras()
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()
    return _with_dimension_a1(content) if wrong_dimension else content


def _with_dimension_a1(content: bytes) -> bytes:
    """The workbook with every sheet claiming to be the single cell A1, as some programs write."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                start = text.find("<dimension ref=")
                if start >= 0:
                    end = text.find("/>", start)
                    text = text[:start] + '<dimension ref="A1"' + text[end:]
                data = text.encode("utf-8")
            target.writestr(item, data)
    return buffer.getvalue()


def zip_but_not_workbook() -> bytes:
    """A zip archive holding a text file: what a renamed .zip looks like."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "members list, see attachment")
    return buffer.getvalue()


def binary_file() -> bytes:
    """A small PNG-like binary: what a wrong attachment looks like."""
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8


def one_long_line(chars: int = 1_000_000) -> bytes:
    """A single line of a million characters and no line break."""
    return (b"partnership;organisation;" + b"x" * chars)[:chars]


def many_rows_csv(count: int) -> bytes:
    """A members CSV with `count` data rows (for the row limit)."""
    header = "partnership,organisation,country,organisation_type,joined_on\n"
    body = "".join(f"automotive,Org {i},DE,sme,2023-01-01\n" for i in range(count))
    return (header + body).encode("utf-8")


def bulk_outcomes(
    organisations: int, years: Sequence[int] = (2021, 2022, 2023, 2024)
) -> tuple[bytes, Catalogue, list[dict[str, Any]]]:
    """A large outcomes CSV (organisations x years x 5 skill areas rows, European style),
    the catalogue that knows its members, and the rows it was written from."""
    skill_codes = [code for code, _ in SKILL_AREAS]
    countries = [country.code for country in COUNTRIES[:27]]
    members = [
        (f"Bildungswerk Nummer {i}", countries[i % len(countries)], "vet_provider")
        for i in range(organisations)
    ]
    rows: list[dict[str, Any]] = []
    for index, (name, country, _type) in enumerate(members):
        for year in years:
            for area_index, area in enumerate(skill_codes):
                base = (index * 7 + year * 3 + area_index * 11) % 5000
                rows.append(
                    {
                        "partnership": "Automotive",
                        "organisation": name,
                        "country": country,
                        "year": year,
                        "quarter": None,
                        "skill_area": area,
                        "women": base,
                        "men": base * 3 + 1,
                        "other_gender": base % 7,
                        "not_recorded": base % 13,
                        "programmes": base % 40,
                        "investment_eur": base * 101.25,
                        "people_reached": base * 20,
                    }
                )
    catalogue = catalogue_for(
        organisations=members,
        memberships=[("automotive", name, country) for name, country, _ in members],
        changeable=("automotive",),
    )
    return european_csv(rows, thousands="."), catalogue, rows
