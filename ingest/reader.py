"""Reading an uploaded file into rows of text: CSV in the usual encodings and separators, or
an Excel workbook; refusing, in one clear sentence, anything that is not such a spreadsheet.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import PurePath
from typing import Any, NamedTuple
from unicodedata import normalize
from xml.etree import ElementTree

import openpyxl
from openpyxl.utils.cell import coordinate_to_tuple

from data_access.upload_rows import UploadKind
from i18n import _
from i18n.numbers import number as number_text
from i18n.numbers import plain_integer
from ingest.columns import UploadFileError, header_key, known_header_count, match_columns

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 300
MAX_LINE_CHARS = 100_000
MAX_UNPACKED_BYTES = 400 * 1024 * 1024  # an .xlsx once unzipped
HEADER_SEARCH_ROWS = 20  # title rows a header may sit below
DELIMITERS = (",", ";", "\t", "|")

_XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xltx", ".xltm"}
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")  # a zip archive, as every .xlsx is
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and .xlsx with a password


class RawRow(NamedTuple):
    """One non-empty row below the header: its spreadsheet line and its cells, trimmed."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class RawTable:
    """A spreadsheet as text: the header as in the file and the non-empty rows below it."""

    headers: tuple[str, ...]
    rows: tuple[RawRow, ...]
    header_line: int = 1
    sheet: str | None = None  # the worksheet read, for a workbook
    delimiter: str | None = None  # the separator found, for CSV
    encoding: str | None = None  # the encoding found, for CSV
    decimal: str = "."  # decimal mark for numbers like 1.234 when no number in the file shows it
    overflow_lines: tuple[int, ...] = ()  # CSV lines with more cells than the header
    # workbook cells holding a formula with no saved result: line -> their positions
    uncalculated: Mapping[int, frozenset[int]] = field(default_factory=dict)


def read_table(data: bytes, file_name: str, *, kind: UploadKind | None = None) -> RawTable:
    """Read a CSV or XLSX upload into text rows; UploadFileError when it is no such file.

    With kind, a workbook's sheet is the one named like the kind, else the first whose header
    has the kind's required columns.
    """
    name = PurePath((file_name or "").replace("\\", "/")).name[-100:] or _("the file")
    if not data.strip():
        raise UploadFileError(_("{name} is empty.").format(name=name))
    if len(data) > MAX_UPLOAD_BYTES:
        raise too_large(name)
    suffix = PurePath(name).suffix.casefold()
    if data.startswith(_ZIP) or suffix in _XLSX_SUFFIXES:
        return _read_xlsx(data, name, kind)
    if data.startswith(_OLE2) or suffix == ".xls":
        raise UploadFileError(
            _(
                "{name} is an old-style Excel file (.xls) or a workbook protected by a password; "
                "save it as .xlsx without a password, or as CSV."
            ).format(name=name)
        )
    if data.startswith(b"%PDF"):
        raise UploadFileError(
            _("{name} is a PDF, not a spreadsheet; upload a .xlsx or .csv file.").format(name=name)
        )
    return _read_csv(data, name, kind)


def too_large(name: str) -> UploadFileError:
    """The refusal of a file over MAX_UPLOAD_BYTES."""
    return UploadFileError(
        _("{name} is larger than {size} MB; split it into smaller files.").format(
            name=name, size=number_text(MAX_UPLOAD_BYTES // (1024 * 1024))
        )
    )


def _not_a_spreadsheet(name: str) -> UploadFileError:
    return UploadFileError(
        _(
            "{name} is not a spreadsheet (it looks like a binary file); upload a .xlsx or .csv "
            "file."
        ).format(name=name)
    )


# CSV.


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise _not_a_spreadsheet(name) from None
    if b"\x00" in data[:8192]:
        raise _not_a_spreadsheet(name)
    for encoding, label in (("utf-8-sig", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return data.decode(encoding), label
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "Latin-1"


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for char in sample if char < " " and char not in "\t\r\n")
    return controls > len(sample) // 100


def _sniff(text: str, kind: UploadKind | None) -> str:
    """The separator under which the first lines name the most known columns, split into
    the most consistent number of cells, or else occur most."""
    sample = text[:65536].splitlines()[: HEADER_SEARCH_ROWS + 30]
    best, best_score = ",", (0, 0, 0, 0)
    for order, delimiter in enumerate(DELIMITERS):
        records: list[list[str]] = []
        with contextlib.suppress(csv.Error):
            records.extend(csv.reader(sample, delimiter=delimiter))
        widths = [len(r) for r in records if any(cell.strip() for cell in r)]
        known = max((known_header_count(r, kind) for r in records[:HEADER_SEARCH_ROWS]), default=0)
        common = max(set(widths), key=widths.count) if widths else 0
        consistent = widths.count(common) if common > 1 else 0
        score = (known, consistent, sum(line.count(delimiter) for line in sample), -order)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_records(text: str, delimiter: str, name: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 0
    try:
        for line, record in enumerate(reader, start=1):
            cells = [cell.strip() for cell in record]
            if not "".join(cells).isascii():
                cells = [normalize("NFC", cell) for cell in cells]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield line, cells
    except csv.Error as error:
        raise UploadFileError(
            _(
                "{name} could not be read as CSV after line {line} ({error}); check that its "
                "quotation marks are paired."
            ).format(name=name, line=plain_integer(line), error=error)
        ) from None


def _read_csv(data: bytes, name: str, kind: UploadKind | None) -> RawTable:
    text, encoding = _decode(data, name)
    if _looks_binary(text):
        raise _not_a_spreadsheet(name)
    for number, physical in enumerate(text.splitlines(), start=1):
        if len(physical) > MAX_LINE_CHARS:
            raise UploadFileError(
                _(
                    "Line {line} of {name} is longer than {limit} characters; this is not a "
                    "spreadsheet of members or outcomes."
                ).format(line=plain_integer(number), name=name, limit=number_text(MAX_LINE_CHARS))
            )
    first_line, _newline, rest = text.partition("\n")
    if first_line.strip().casefold().startswith("sep=") and len(first_line.strip()) == 5:
        text, delimiter = rest, first_line.strip()[4]  # Excel's "sep=;" line, hidden in Excel
    else:
        delimiter = _sniff(text, kind)
    return _build(
        _csv_records(text, delimiter, name),
        name=name,
        kind=kind,
        delimiter=delimiter,
        encoding=encoding,
        decimal="," if delimiter == ";" else ".",
        keep_overflow=True,
    )


# Excel.


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _sheet_records(
    sheet: Any, max_rows: int | None, formulas: Mapping[int, Mapping[int, str]] | None = None
) -> Iterator[tuple[int, list[str]]]:
    """The sheet's non-empty rows as text; a cell in formulas (line -> position -> formula)
    shows its formula in place of the result the file lacks."""
    for line, values in enumerate(sheet.iter_rows(max_row=max_rows, values_only=True), start=1):
        cells = [_cell_text(value) for value in values]
        if formulas and (in_line := formulas.get(line)):
            for position, formula in in_line.items():
                if position < len(cells):
                    cells[position] = formula
        if not "".join(cells).isascii():
            cells = [normalize("NFC", cell) for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            yield line, cells


def _named_like(title: str, kind: UploadKind) -> bool:
    words = header_key(title).split()
    return kind.value in words or kind.value.removesuffix("s") in words


def _header_fits(sheet: Any, kind: UploadKind) -> bool:
    head = list(_sheet_records(sheet, HEADER_SEARCH_ROWS))
    if not head:
        return False
    _line, header = head[_header_position([cells for _line_number, cells in head], kind)]
    try:
        match_columns(header, kind)
    except UploadFileError:
        return False
    return True


def _pick_sheet(sheets: Sequence[Any], name: str, kind: UploadKind | None) -> Any:
    for sheet in sheets:
        sheet.reset_dimensions()  # some programs write wrong dimensions; read every row
    kinds = (kind,) if kind is not None else tuple(UploadKind)
    for wanted in kinds:
        for sheet in sheets:
            if _named_like(sheet.title, wanted):
                return sheet
    for sheet in sheets:
        if any(_header_fits(sheet, wanted) for wanted in kinds):
            return sheet
    if kind is None or len(sheets) == 1:
        return sheets[0]
    found = ", ".join(f"'{sheet.title}'" for sheet in sheets)
    if kind is UploadKind.MEMBERS:
        text = _(
            "No sheet of {name} has the columns of a members file (sheets found: {found}); put "
            "the members on a sheet named '{sheet}'."
        )
    else:
        text = _(
            "No sheet of {name} has the columns of a outcomes file (sheets found: {found}); put "
            "the outcomes on a sheet named '{sheet}'."
        )
    raise UploadFileError(text.format(name=name, found=found, sheet=kind.value))


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UploadFileError(
            _(
                "{name} is not a valid Excel workbook (it is not a zip file as .xlsx files are); "
                "save it again as .xlsx or as CSV."
            ).format(name=name)
        ) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            text = _("{name} is an OpenDocument spreadsheet; save it as .xlsx or CSV.")
        elif "word/document.xml" in names:
            text = _("{name} is a Word document, not a spreadsheet.")
        else:
            text = _("{name} is a zip archive, not an Excel workbook.")
        raise UploadFileError(text.format(name=name))
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UploadFileError(
            _(
                "{name} unpacks to more than {size} MB; remove formatting of empty rows and "
                "columns or split the file."
            ).format(name=name, size=number_text(MAX_UNPACKED_BYTES // (1024 * 1024)))
        )


def _read_xlsx(data: bytes, name: str, kind: UploadKind | None) -> RawTable:
    _check_zip(data, name)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # the library raises many kinds for a damaged workbook
        raise UploadFileError(
            _(
                "{name} could not be opened as an Excel workbook; save it again as .xlsx or CSV."
            ).format(name=name)
        ) from None
    try:
        sheets = list(workbook.worksheets)
        if not sheets:
            raise UploadFileError(_("{name} has no worksheet.").format(name=name))
        try:
            sheet = _pick_sheet(sheets, name, kind)
            formulas = _formulas_without_result(data, sheet)
            records = list(_limited(_sheet_records(sheet, None, formulas), name))
        except UploadFileError:
            raise
        except Exception:  # damaged sheet XML
            raise UploadFileError(
                _(
                    "{name} could not be read as an Excel workbook; save it again as .xlsx or CSV."
                ).format(name=name)
            ) from None
    finally:
        workbook.close()
    uncalculated = {line: frozenset(cells) for line, cells in formulas.items()}
    return _build(iter(records), name=name, kind=kind, sheet=sheet.title, uncalculated=uncalculated)


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_CHUNK = 1 << 20


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _recalculated_on_opening(archive: zipfile.ZipFile) -> bool:
    """Whether the workbook asks for every formula to be calculated when it is opened, as
    programs that write formulas without calculating them do (their saved results, such as
    the 0 some write, are placeholders)."""
    try:
        root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    except (KeyError, ElementTree.ParseError):
        return False
    for element in root:
        if _local(element.tag) == "calcPr":
            return element.get("fullCalcOnLoad", "").casefold() in ("1", "true")
    return False


def _has_formulas(archive: zipfile.ZipFile, path: str) -> bool:
    tail = b""
    with archive.open(path) as part:
        while chunk := part.read(_CHUNK):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _formulas_without_result(data: bytes, sheet: Any) -> dict[int, dict[int, str]]:
    """The sheet's cells that hold a formula but no saved result (line -> position ->
    the formula as text): reading such a cell gives nothing, which would pass for 0."""
    path = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
    found: dict[int, dict[int, str]] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if not path or path not in archive.namelist() or not _has_formulas(archive, path):
            return found
        recalculated = _recalculated_on_opening(archive)
        row = column = 0
        with archive.open(path) as part:
            for event, element in ElementTree.iterparse(part, events=("start", "end")):
                tag = _local(element.tag)
                if event == "start":
                    if tag == "row":
                        row = int(element.get("r") or row + 1)
                        column = 0
                    continue
                if tag == "row":
                    element.clear()
                if tag != "c":
                    continue
                reference = element.get("r")
                if reference:
                    row, column = coordinate_to_tuple(reference)
                else:
                    column += 1
                formula = value = None
                for child in element:
                    child_tag = _local(child.tag)
                    if child_tag == "f":
                        formula = child
                    elif child_tag == "v":
                        value = child
                if formula is not None and (
                    recalculated
                    or value is None
                    or (not value.text and element.get("t") not in ("str", "inlineStr"))
                ):
                    found.setdefault(row, {})[column - 1] = "=" + (formula.text or "…")
                element.clear()
    return found


def _limited(
    records: Iterable[tuple[int, list[str]]], name: str
) -> Iterator[tuple[int, list[str]]]:
    for count, record in enumerate(records, start=1):
        if count > MAX_ROWS + HEADER_SEARCH_ROWS:
            raise _too_many_rows(name)
        yield record


# Both.


def _too_many_rows(name: str) -> UploadFileError:
    return UploadFileError(
        _("{name} has more than {limit} rows; split it into smaller files.").format(
            name=name, limit=number_text(MAX_ROWS)
        )
    )


def _header_position(head: Sequence[Sequence[str]], kind: UploadKind | None) -> int:
    """The row among the first non-empty ones that names the most known columns."""
    counts = [known_header_count(cells, kind) for cells in head]
    best = max(counts)
    return counts.index(best) if best >= 2 else 0


def _build(
    records: Iterator[tuple[int, list[str]]],
    *,
    name: str,
    kind: UploadKind | None,
    keep_overflow: bool = False,
    **details: Any,
) -> RawTable:
    head: list[tuple[int, list[str]]] = []
    for record in records:
        head.append(record)
        if len(head) >= HEADER_SEARCH_ROWS:
            break
    if not head:
        raise UploadFileError(_("{name} is empty.").format(name=name))
    position = _header_position([cells for _line_number, cells in head], kind)
    header_line, header = head[position]
    width = len(header)
    if width > MAX_COLUMNS:
        raise UploadFileError(
            _(
                "The header of {name} has {count} columns, more than the {limit} an upload may "
                "have."
            ).format(name=name, count=number_text(width), limit=number_text(MAX_COLUMNS))
        )
    rows: list[RawRow] = []
    overflow: list[int] = []
    padding = ("",) * width
    for line, cells in _chain(head[position + 1 :], records):
        if len(cells) > width:
            if keep_overflow:
                overflow.append(line)
            cells = cells[:width]
        rows.append(RawRow(line, (*cells, *padding[len(cells) :])))
        if len(rows) > MAX_ROWS:
            raise _too_many_rows(name)
    return RawTable(
        headers=tuple(header),
        rows=tuple(rows),
        header_line=header_line,
        overflow_lines=tuple(overflow),
        **details,
    )


def _chain(
    first: Iterable[tuple[int, list[str]]], rest: Iterator[tuple[int, list[str]]]
) -> Iterator[tuple[int, list[str]]]:
    yield from first
    yield from rest
