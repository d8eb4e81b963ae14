"""Checking an upload line by line against the column dictionary and the catalogue of what
the store knows; every problem is collected with its line, column, value and reason.

All or nothing: a checked upload carries rows only when no line has a problem.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from operator import itemgetter
from typing import Any

from data_access.reference import COUNTRIES, MEMBERSHIP_ROLES, SIZE_CLASSES
from data_access.upload_rows import (
    Catalogue,
    CheckedUpload,
    MemberRow,
    OutcomeRow,
    Problem,
    UploadKind,
    lookup_key,
)
from ingest.columns import (
    MAX_NAME_CHARS,
    MAX_NUTS_CHARS,
    ColumnLayout,
    UploadFileError,
    match_columns,
)
from ingest.countries import MAX_SUGGESTIONS, CountryMatcher
from ingest.reader import RawTable, read_table
from ingest.values import (
    FORMULA_STARTS,
    date_order_evidence,
    decimal_evidence,
    number_problem,
    read_date,
    read_number,
    read_period,
    read_quarter,
    text_problem,
)

MAX_LISTED_PROBLEMS = 10_000  # beyond this a file is counted, not listed
MAX_COUNT = 2_147_483_647  # the store's integer columns
MAX_INVESTMENT_EUR = 1e12
FIRST_YEAR, LAST_YEAR = 2020, 2100
COUNTRY_NAMES = {country.code: country.name for country in COUNTRIES}
ROLES = {"".join(filter(str.isalpha, role)): role for role in MEMBERSHIP_ROLES}  # coleader
# Values of the listed column, by their letters and digits only ("Not listed" -> notlisted).
LISTED = {
    **dict.fromkeys(("yes", "y", "true", "1", "listed"), True),
    **dict.fromkeys(
        ("no", "n", "false", "0", "notlisted", "unlisted", "optedout", "optout"), False
    ),
}
SHOWN_VALUE_CHARS = 200  # longer values are shortened in problems
DECIMAL_EVIDENCE_ENOUGH = 1000  # numbers showing their decimal mark settle a file's notation

NO_RESULT_REASON = (
    "this cell holds a formula with no saved result; open and save the file in a spreadsheet "
    "program, or type the number"
)
NO_RESULT_TEXT_REASON = NO_RESULT_REASON.removesuffix("number") + "value"

_COUNTS = ("women", "men", "other_gender", "not_recorded", "total_people")
_OTHER_COUNTS = ("programmes", "people_reached")
_NUMBER_COLUMNS = frozenset(("year", "investment_eur", *_COUNTS, *_OTHER_COUNTS))
_GENDER_PARTS = ("women", "men", "other_gender", "not_recorded")

Result = tuple[Any, str | None]  # (value, None) or (None, reason)
# partnership slug, organisation name, country code, (name key, country), stored name
Identity = tuple[Any, Any, Any, tuple[str, str] | None, str | None]


def check_upload(
    data: bytes, file_name: str, kind: UploadKind, catalogue: Catalogue
) -> CheckedUpload:
    """Read and check an upload; never raises for a bad file: its problems say what is wrong."""
    digest = hashlib.sha256(data).hexdigest()
    kind = UploadKind(kind)
    try:
        table = read_table(data, file_name, kind=kind)
        layout = match_columns(table.headers, kind)
    except UploadFileError as error:
        return _failed(kind, file_name, digest, str(error))
    if not table.rows:
        return _failed(
            kind, file_name, digest, "The file has a header but no rows of data below it."
        )
    rows: tuple[MemberRow, ...] | tuple[OutcomeRow, ...]
    if kind is UploadKind.MEMBERS:
        members, problems = _MemberCheck(table, layout, catalogue).run()
        rows = tuple(members)
    else:
        outcomes, problems = _OutcomeCheck(table, layout, catalogue).run()
        rows = tuple(outcomes)
    return CheckedUpload(
        kind=kind,
        file_name=file_name,
        sha256=digest,
        lines=len(table.rows),
        rows=() if problems else rows,
        problems=problems,
    )


def _failed(kind: UploadKind, file_name: str, digest: str, reason: str) -> CheckedUpload:
    problem = Problem(line=0, column="", value="", reason=reason)
    return CheckedUpload(kind, file_name, digest, 0, (), (problem,))


def problems_csv(problems: Iterable[Problem]) -> bytes:
    """The problems as a CSV for Excel (UTF-8 with BOM), formula-like cells neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("line", "column", "value", "reason"))
    for problem in problems:
        writer.writerow(
            (problem.line, _inert(problem.column), _inert(problem.value), _inert(problem.reason))
        )
    return buffer.getvalue().encode("utf-8-sig")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _shown(text: str) -> str:
    return text if len(text) <= SHOWN_VALUE_CHARS else text[: SHOWN_VALUE_CHARS - 1] + "…"


class _Problems:
    """Problems in line order; past MAX_LISTED_PROBLEMS they are only counted."""

    def __init__(self) -> None:
        self.listed: list[Problem] = []
        self.total = 0

    def add(self, line: int, column: str, value: str, reason: str) -> None:
        self.total += 1
        if len(self.listed) < MAX_LISTED_PROBLEMS:
            self.listed.append(Problem(line, column, _shown(value), reason))

    def result(self) -> tuple[Problem, ...]:
        if self.total <= len(self.listed):
            return tuple(self.listed)
        summary = Problem(
            0,
            "",
            "",
            f"The file has {self.total:,} problems; the first {len(self.listed):,} are listed.",
        )
        return (summary, *self.listed)


def _cached(parse: Callable[[str], Result]) -> Callable[[str], Result]:
    cache: dict[str, Result] = {}

    def lookup(text: str) -> Result:
        result = cache.get(text)
        if result is None:
            result = cache[text] = parse(text)
        return result

    return lookup


def _find(mapping: Mapping[str, str], text: str) -> str | None:
    return mapping.get(lookup_key(text)) or mapping.get(text)


def _choices(values: Iterable[str]) -> str:
    return ", ".join(sorted(set(values)))


class _Check:
    """What both kinds of file share: partnership, organisation, country, and the problems."""

    def __init__(self, table: RawTable, layout: ColumnLayout, catalogue: Catalogue) -> None:
        self.table = table
        self.layout = layout
        self.catalogue = catalogue
        self.problems = _Problems()
        self.partnership = _cached(self._partnership)
        self.organisation = _cached(self._organisation)
        self.country = _cached(self._country)
        self.countries = CountryMatcher(catalogue.countries, COUNTRY_NAMES)
        self.suggested = 0  # unknown partnerships given a closest one
        self.month_first = False

    def texts(self, names: Sequence[str]) -> Callable[[tuple[str, ...]], dict[str, str]]:
        """A function giving a row's cells by column name ("" for columns the file lacks)."""
        absent = len(self.table.headers)
        getter = itemgetter(*(self.layout.index.get(name, absent) for name in names))
        pad = ("",)

        def texts(cells: tuple[str, ...]) -> dict[str, str]:
            return dict(zip(names, getter(cells + pad), strict=True))

        return texts

    def values(self, name: str) -> list[str]:
        """Every cell of a column."""
        position = self.layout.index.get(name)
        if position is None:
            return []
        return [row.cells[position] for row in self.table.rows]

    def _partnership(self, text: str) -> Result:
        if not text:
            return None, "is empty"
        if reason := text_problem(text, MAX_NAME_CHARS):
            return None, reason
        slug = _find(self.catalogue.partnerships, text)
        if slug is None:
            return None, (
                "is not a known partnership; give its short name, full name or slug"
                + self._closest_partnership(text)
            )
        if slug not in self.catalogue.changeable:
            return None, f"you may not load data for {text}"
        return slug, None

    def _closest_partnership(self, text: str) -> str:
        """The partnership the cell most likely meant, as " (closest: <slug>)"; "" if none is
        close."""
        if self.suggested >= MAX_SUGGESTIONS:
            return ""
        self.suggested += 1
        names = self.catalogue.partnerships
        best = difflib.get_close_matches(lookup_key(text), list(names), n=1, cutoff=0.6)
        return f" (closest: {names[best[0]]})" if best else ""

    def _organisation(self, text: str) -> Result:
        if not text:
            return None, "is empty"
        if reason := text_problem(text, MAX_NAME_CHARS):
            return None, reason
        return text, None

    def _country(self, text: str) -> Result:
        if not text:
            return None, "is empty"
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        return self.countries.read(text)

    def identify(self, texts: dict[str, str], problems: list[tuple[str, str]]) -> Identity:
        """A line's partnership, organisation and country (adding their problems), and the
        organisation's lookup key and stored name when the store knows it."""
        slug = self._cell(problems, "partnership", self.partnership, texts["partnership"])
        name = self._cell(problems, "organisation", self.organisation, texts["organisation"])
        country = self._cell(problems, "country", self.country, texts["country"])
        if named := texts.get("country_name"):
            other = self._cell(problems, "country_name", self.country, named)
            if other and country and other != country:
                problems.append(
                    (
                        "country_name",
                        f"names {self.countries.name(other)} ({other}) but the country column "
                        f"gives {self.countries.name(country)} ({country}); the two must name "
                        "the same country",
                    )
                )
        key = (lookup_key(name), country) if name and country else None
        stored = self.catalogue.organisations.get(key) if key else None
        return slug, name, country, key, stored

    @staticmethod
    def _cell(
        problems: list[tuple[str, str]], column: str, read: Callable[[str], Result], text: str
    ) -> Any:
        value, reason = read(text)
        if reason:
            problems.append((column, reason))
        return value

    def read_dates(self, names: Sequence[str]) -> None:
        """Settle day-first or month-first from dates such as 31/12/2024 in the file."""
        orders = [date_order_evidence(text) for name in names for text in self.values(name)]
        self.month_first = "month" in orders and "day" not in orders

    def date(self, text: str, required: bool) -> Result:
        """A date cell, within the years uploads may cover."""
        if not text:
            return None, ("is empty" if required else None)
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        value = read_date(text, self.month_first)
        if value is None:
            return None, "is not a date; write it as 2024-03-31 or 31/03/2024"
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return None, f"must be a date from {FIRST_YEAR} to {LAST_YEAR}"
        return value, None

    def without_result(
        self, positions: frozenset[int], problems: list[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        """A line's problems once the cells at positions, formulas with no saved result,
        say so instead of whatever else their formula text would be blamed for."""
        names = [name for name, position in self.layout.index.items() if position in positions]
        if not names:
            return problems
        kept = [(column, reason) for column, reason in problems if column not in names]
        return [
            (name, NO_RESULT_REASON if name in _NUMBER_COLUMNS else NO_RESULT_TEXT_REASON)
            for name in names
        ] + kept

    def note_overflow(self) -> dict[int, str]:
        """Lines with cells past the last column of the header, with the reason."""
        hint = ""
        if self.table.delimiter == ",":
            hint = (
                "; is a number written with a decimal comma in a comma-separated file? "
                "Separate the columns with ; or put such numbers in quotes"
            )
        reason = "has more cells than the header has columns" + hint
        return dict.fromkeys(self.table.overflow_lines, reason)


class _MemberCheck(_Check):
    def __init__(self, table: RawTable, layout: ColumnLayout, catalogue: Catalogue) -> None:
        super().__init__(table, layout, catalogue)
        self.org_type = _cached(self._org_type)
        self.size = _cached(self._size)
        self.role = _cached(self._role)

    def _org_type(self, text: str) -> Result:
        if not text:
            return None, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        code = _find(self.catalogue.org_types, text)
        if code is None:
            return None, (
                "is not a known organisation type; use one of "
                + _choices(self.catalogue.org_types.values())
            )
        return code, None

    @staticmethod
    def _size(text: str) -> Result:
        if not text:
            return None, None
        if text.casefold() in SIZE_CLASSES:
            return text.casefold(), None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        return None, "must be micro, small, medium or large"

    @staticmethod
    def _role(text: str) -> Result:
        if not text:
            return "member", None
        role = ROLES.get("".join(filter(str.isalpha, text.casefold())))
        if role is not None:
            return role, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        return None, "must be coordinator, co-leader or member"

    @staticmethod
    def _listed(text: str) -> Result:
        if not text:
            return None, None
        listed = LISTED.get("".join(filter(str.isalnum, text.casefold())))
        if listed is not None:
            return listed, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        return None, "must be yes or no (listed in the public member directory or not)"

    @staticmethod
    def _nuts(text: str, country: str | None) -> Result:
        if not text:
            return None, None
        if reason := text_problem(text, MAX_NUTS_CHARS):
            return None, reason
        code = text.upper()
        if not (code[:2].isalpha() and code.isalnum() and code.isascii() and len(code) >= 2):
            return None, "is not a NUTS code (2 letters, then up to 3 letters or digits: DE30)"
        expected = {"GR": "EL"}.get(country or "", country)
        if country is not None and code[:2] != expected:
            return None, f"is not a region of {country} (its NUTS codes start with {expected})"
        return code, None

    def _types_given(
        self, row_texts: Callable[[tuple[str, ...]], dict[str, str]]
    ) -> dict[tuple[str, str], str]:
        """The first type the file gives each organisation: lines leaving it empty get it."""
        types: dict[tuple[str, str], str] = {}
        for _line, cells in self.table.rows:
            texts = row_texts(cells)
            name, _ = self.organisation(texts["organisation"])
            country, _ = self.country(texts["country"])
            code, _ = self.org_type(texts["organisation_type"])
            if name and country and code:
                types.setdefault((lookup_key(name), country), code)
        return types

    def run(self) -> tuple[list[MemberRow], tuple[Problem, ...]]:
        """Check every line; the rows are only good when no problem was found."""
        catalogue = self.catalogue
        row_texts = self.texts(_MEMBER_COLUMNS)
        self.read_dates(("joined_on", "left_on"))
        overflow = self.note_overflow()
        uncalculated = self.table.uncalculated
        add = self.problems.add
        rows: list[MemberRow] = []
        first_line: dict[tuple[str, str, str, date], int] = {}
        details: dict[tuple[str, str], dict[str, tuple[str, int]]] = {}
        file_types = self._types_given(row_texts)
        spans: dict[tuple[str, str, str], list[tuple[date, date | None, int]]] = {}
        new_names: dict[tuple[str, str], str] = {}
        for line, cells in self.table.rows:
            texts = row_texts(cells)
            problems: list[tuple[str, str]] = []
            slug, name, country, key, stored = self.identify(texts, problems)
            org_type, reason = self.org_type(texts["organisation_type"])
            if reason:
                problems.append(("organisation_type", reason))
            size, reason = self.size(texts["size_class"])
            if reason:
                problems.append(("size_class", reason))
            nuts, reason = self._nuts(texts["nuts_code"], country)
            if reason:
                problems.append(("nuts_code", reason))
            listed, reason = self._listed(texts["listed"])
            if reason:
                problems.append(("listed", reason))
            if key is not None:
                # One organisation, one set of details: lines must not disagree on them.
                given = details.setdefault(key, {})
                for column, value in (
                    ("organisation_type", org_type),
                    ("size_class", size),
                    ("nuts_code", nuts),
                    ("listed", listed),
                ):
                    if value is None:
                        continue
                    first_value, first = given.setdefault(column, (value, line))
                    if first_value != value:
                        if isinstance(first_value, bool):
                            first_value = "yes" if first_value else "no"
                        problems.append(
                            (
                                column,
                                f"differs from line {first} ({first_value}) for the same "
                                "organisation",
                            )
                        )
                if org_type is None and not texts["organisation_type"]:
                    org_type = file_types.get(key) or (
                        catalogue.organisation_types.get(key) if stored else None
                    )
                    if org_type is None:
                        problems.append(
                            ("organisation_type", "is empty; a new organisation needs its type")
                        )
            joined, reason = self.date(texts["joined_on"], required=True)
            if reason:
                problems.append(("joined_on", reason))
            left, reason_left = self.date(texts["left_on"], required=False)
            if reason_left:
                problems.append(("left_on", reason_left))
            elif left is not None and joined is not None and left < joined:
                reason_left = f"is before joined_on ({joined.isoformat()})"
                problems.append(("left_on", reason_left))
            role, reason = self.role(texts["role"])
            if reason:
                problems.append(("role", reason))
            if slug and key and joined:
                natural = (slug, key[0], key[1], joined)
                first = first_line.setdefault(natural, line)
                if first != line:
                    problems.append(
                        (
                            "",
                            f"repeats line {first}: the same partnership, organisation, country "
                            "and joined_on",
                        )
                    )
                elif not reason_left:
                    periods = spans.setdefault((slug, *key), [])
                    if other := _overlapping(periods, joined, left):
                        problems.append(
                            (
                                "joined_on",
                                f"overlaps the membership on line {other} in the same partnership",
                            )
                        )
                    periods.append((joined, left, line))
            if line in overflow:
                problems.append(("", overflow[line]))
            if line in uncalculated:
                problems = self.without_result(uncalculated[line], problems)
            if problems:
                for column, reason in problems:
                    add(line, column, texts.get(column, ""), reason)
                continue
            assert key is not None and slug and org_type and joined and role
            if stored is None:
                stored = new_names.setdefault(key, name)
            rows.append(
                MemberRow(
                    line=line,
                    partnership=slug,
                    organisation=stored,
                    country_code=key[1],
                    org_type=org_type,
                    size_class=size,
                    nuts_code=nuts,
                    joined_on=joined,
                    left_on=left,
                    role=role,
                    listed=listed,
                )
            )
        return rows, self.problems.result()


def _overlapping(
    periods: list[tuple[date, date | None, int]], joined: date, left: date | None
) -> int | None:
    """The line of a membership whose days overlap joined..left (left is not a member day)."""
    for other_joined, other_left, line in periods:
        if other_joined < (left or date.max) and joined < (other_left or date.max):
            return line
    return None


_MEMBER_COLUMNS = (
    "partnership",
    "organisation",
    "country",
    "country_name",
    "organisation_type",
    "size_class",
    "nuts_code",
    "joined_on",
    "left_on",
    "role",
    "listed",
)
_OUTCOME_COLUMNS = (
    "partnership",
    "organisation",
    "country",
    "country_name",
    "year",
    "quarter",
    "period",
    "skill_area",
    *_GENDER_PARTS,
    "total_people",
    "programmes",
    "investment_eur",
    "people_reached",
)


class _OutcomeCheck(_Check):
    def __init__(self, table: RawTable, layout: ColumnLayout, catalogue: Catalogue) -> None:
        super().__init__(table, layout, catalogue)
        self.skill_area = _cached(self._skill_area)
        self.year = _cached(self._year)
        self.quarter = _cached(self._quarter)
        self.period = _cached(self._period)
        self.decimal = table.decimal
        self.counts_read: dict[str, Result] = {}  # counts not written as plain digits

    def _skill_area(self, text: str) -> Result:
        if not text:
            return None, "is empty"
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        code = _find(self.catalogue.skill_areas, text)
        if code is None:
            return None, (
                "is not a known skill area; use one of "
                + _choices(self.catalogue.skill_areas.values())
            )
        return code, None

    def _year(self, text: str) -> Result:
        if not text:
            return None, "is empty"
        value, reason = self.count(text)
        if reason:
            return None, reason
        if not FIRST_YEAR <= value <= LAST_YEAR:
            return None, f"must be a year from {FIRST_YEAR} to {LAST_YEAR}"
        return value, None

    @staticmethod
    def _quarter(text: str) -> Result:
        quarter = read_quarter(text)
        if quarter is not None:
            return quarter, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        return None, "must be Q1 to Q4 (or 1 to 4), or empty for the whole year"

    @staticmethod
    def _period(text: str) -> Result:
        if not text:
            return None, "is empty"
        period = read_period(text)
        if period is None:
            if text.startswith(FORMULA_STARTS):
                return None, text_problem(text, MAX_NAME_CHARS)
            return None, "must be a year (2024) or a year and quarter (2024-Q2)"
        if not FIRST_YEAR <= period[0] <= LAST_YEAR:
            return None, f"must be in the years {FIRST_YEAR} to {LAST_YEAR}"
        return period, None

    def read_decimal_mark(self) -> None:
        """Settle whether 1.234 is a thousand or a decimal from the numbers in the file."""
        marks = {",": 0, ".": 0}
        found = 0
        for name in ("investment_eur", *_COUNTS, *_OTHER_COUNTS):
            for text in self.values(name):
                if text and not text.isdigit() and (mark := decimal_evidence(text)):
                    marks[mark] += 1
                    found += 1
                    if found >= DECIMAL_EVIDENCE_ENOUGH:
                        break
            if found >= DECIMAL_EVIDENCE_ENOUGH:
                break
        commas, points = marks[","], marks["."]
        if commas != points:
            self.decimal = "," if commas > points else "."

    def count(self, text: str) -> Result:
        """A non-negative whole number; an empty cell is 0."""
        if not text:
            return 0, None
        if text.isdigit() and text.isascii():
            value = int(text)
            if value > MAX_COUNT:
                return None, f"is too large (at most {MAX_COUNT:,})"
            return value, None
        result = self.counts_read.get(text)
        if result is None:
            result = self.counts_read[text] = self._count(text)
        return result

    def _count(self, text: str) -> Result:
        number = read_number(text, self.decimal)
        if reason := number_problem(text, number):
            return None, reason
        assert number is not None
        if not number.is_integer():
            return None, "must be a whole number"
        if number > MAX_COUNT:
            return None, f"is too large (at most {MAX_COUNT:,})"
        return int(number), None

    def amount(self, text: str) -> Result:
        """A non-negative amount in euros, to the cent; an empty cell is 0."""
        if not text:
            return 0.0, None
        number = read_number(text, self.decimal)
        if reason := number_problem(text, number):
            return None, reason
        assert number is not None
        if number > MAX_INVESTMENT_EUR:
            return None, f"is too large (at most {MAX_INVESTMENT_EUR:,.0f})"
        return round(number, 2), None

    def run(self) -> tuple[list[OutcomeRow], tuple[Problem, ...]]:
        """Check every line; the rows are only good when no problem was found."""
        catalogue = self.catalogue
        self.read_decimal_mark()
        overflow = self.note_overflow()
        uncalculated = self.table.uncalculated
        row_texts = self.texts(_OUTCOME_COLUMNS)
        by_period = "period" in self.layout.index
        period_column = "period" if by_period else "quarter"
        add = self.problems.add
        rows: list[OutcomeRow] = []
        first_line: dict[tuple[str, str, str, int, int, str], int] = {}
        # (slug, name key, country, year, skill area) -> first line of a whole year, of a quarter
        year_lines: dict[tuple[str, str, str, int, str], list[int]] = {}
        count = self.count
        for line, cells in self.table.rows:
            texts = row_texts(cells)
            problems: list[tuple[str, str]] = []
            slug, _name, country, key, stored = self.identify(texts, problems)
            if key is not None and stored is None:
                problems.append(
                    (
                        "organisation",
                        f"is not a known organisation in {country}; load it with a members "
                        "file first",
                    )
                )
            elif key is not None and slug and (slug, *key) not in catalogue.memberships:
                problems.append(("organisation", f"is not a member of {texts['partnership']}"))
            if by_period:
                period, reason = self.period(texts["period"])
                if reason:
                    problems.append(("period", reason))
                year, quarter = period if period else (None, None)
            else:
                year, reason = self.year(texts["year"])
                if reason:
                    problems.append(("year", reason))
                quarter, reason = self.quarter(texts["quarter"])
                if reason:
                    problems.append(("quarter", reason))
            reason = None if year is None or quarter is None else self.not_begun(year, quarter)
            if reason:
                this_year = year == catalogue.today.year  # then only the quarter is too late
                problems.append((period_column if by_period or this_year else "year", reason))
            skill, reason = self.skill_area(texts["skill_area"])
            if reason:
                problems.append(("skill_area", reason))
            numbers: dict[str, Any] = {}
            for column in (*_COUNTS, *_OTHER_COUNTS):
                numbers[column], reason = count(texts[column])
                if reason:
                    problems.append((column, reason))
            numbers["investment_eur"], reason = self.amount(texts["investment_eur"])
            if reason:
                problems.append(("investment_eur", reason))
            parts = [numbers[column] for column in _GENDER_PARTS]
            if texts["total_people"] and None not in parts and numbers["total_people"] is not None:
                people = sum(parts)
                if people != numbers["total_people"]:
                    problems.append(
                        (
                            "total_people",
                            "does not equal women + men + other_gender + not_recorded "
                            f"({people:,})",
                        )
                    )
            if slug and key and year is not None and quarter is not None and skill:
                natural = (slug, key[0], key[1], year, quarter, skill)
                first = first_line.setdefault(natural, line)
                if first != line:
                    problems.append(
                        (
                            "",
                            f"repeats line {first}: the same partnership, organisation, period "
                            "and skill area",
                        )
                    )
                else:
                    group = (slug, key[0], key[1], year, skill)
                    if reason := self._mixed_year(group, quarter, line, year_lines):
                        problems.append((period_column, reason))
            if line in overflow:
                problems.append(("", overflow[line]))
            if line in uncalculated:
                problems = self.without_result(uncalculated[line], problems)
            if problems:
                for column, reason in problems:
                    add(line, column, texts.get(column, ""), reason)
                continue
            assert slug and key and stored and skill and year is not None and quarter is not None
            rows.append(
                OutcomeRow(
                    line=line,
                    partnership=slug,
                    organisation=stored,
                    country_code=key[1],
                    year=year,
                    quarter=quarter,
                    skill_area=skill,
                    women=numbers["women"],
                    men=numbers["men"],
                    other_gender=numbers["other_gender"],
                    not_recorded=numbers["not_recorded"],
                    programmes=numbers["programmes"],
                    investment_eur=numbers["investment_eur"],
                    people_reached=numbers["people_reached"],
                )
            )
        return rows, self.problems.result()

    def not_begun(self, year: int, quarter: int) -> str | None:
        """Why a period cannot be reported yet: it starts after today (a report covers a
        period that has begun; the current quarter and year may be reported as they go)."""
        today = self.catalogue.today
        if date(year, 1 if quarter == 0 else 3 * quarter - 2, 1) <= today:
            return None
        period = f"{year}" if quarter == 0 else f"{year}-Q{quarter}"
        return f"{period} has not begun yet (today is {today:%Y-%m-%d})"

    def _mixed_year(
        self,
        group: tuple[str, str, str, int, str],
        quarter: int,
        line: int,
        year_lines: dict[tuple[str, str, str, int, str], list[int]],
    ) -> str | None:
        """Why a line mixes a whole year with its quarters, in the file or the store."""
        lines = year_lines.setdefault(group, [0, 0])
        whole = quarter == 0
        lines[0 if whole else 1] = lines[0 if whole else 1] or line
        other = lines[1 if whole else 0]
        year = group[3]
        if other:
            kind = "by quarter" if whole else "as a whole year"
            return f"{year} is also reported {kind} on line {other} for this skill area"
        stored = self.catalogue.stored_periods.get(group, frozenset())
        if whole and stored - {0}:
            return f"{year} is already stored by quarter for this organisation and skill area"
        if not whole and 0 in stored:
            return f"{year} is already stored as a whole year for this organisation and skill area"
        return None
