"""The second pass of checking an upload: each line as a whole, once its cells are read.
A line must agree with the file's other lines (no repeated row, one set of details per
organisation, no overlapping memberships, a year reported whole or by quarters) and with
the store (members it reports on, periods begun and not stored the other way). Problems are
collected in line order; rows are built only for a file without any.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from data_access.upload_rows import MemberRow, OutcomeRow, Problem, lookup_key
from i18n import _
from i18n.numbers import number, plain_integer
from ingest.cells import COUNTS, NO, OTHER_COUNTS, YES, MemberCells, OutcomeCells
from ingest.columns import column_header

MAX_LISTED_PROBLEMS = 10_000  # beyond this a file is counted, not listed
SHOWN_VALUE_CHARS = 200  # longer values are shortened in problems
_GENDER_PARTS = ("women", "men", "other_gender", "not_recorded")

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
        reason = _("The file has {count} problems; the first {listed} are listed.").format(
            count=number(self.total), listed=number(len(self.listed))
        )
        summary = Problem(0, "", "", reason)
        return (summary, *self.listed)


class MemberLines(MemberCells):
    """The lines of a members file."""

    def _types_given(
        self, row_texts: Callable[[tuple[str, ...]], dict[str, str]]
    ) -> dict[tuple[str, str], str]:
        """The first type the file gives each organisation: lines leaving it empty get it."""
        types: dict[tuple[str, str], str] = {}
        for _line, cells in self.table.rows:
            texts = row_texts(cells)
            name, _reason = self.organisation(texts["organisation"])
            country, _reason = self.country(texts["country"])
            code, _reason = self.org_type(texts["organisation_type"])
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
        found = _Problems()
        add = found.add
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
            nuts, reason = self.nuts(texts["nuts_code"], country)
            if reason:
                problems.append(("nuts_code", reason))
            listed, reason = self.listed(texts["listed"])
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
                            first_value = _(YES if first_value else NO)
                        reason = _(
                            "differs from line {line} ({value}) for the same organisation"
                        ).format(line=plain_integer(first), value=first_value)
                        problems.append((column, reason))
                if org_type is None and not texts["organisation_type"]:
                    org_type = file_types.get(key) or (
                        catalogue.organisation_types.get(key) if stored else None
                    )
                    if org_type is None:
                        reason = _("is empty; a new organisation needs its type")
                        problems.append(("organisation_type", reason))
            joined, reason = self.date(texts["joined_on"], required=True)
            if reason:
                problems.append(("joined_on", reason))
            left, reason_left = self.date(texts["left_on"], required=False)
            if reason_left:
                problems.append(("left_on", reason_left))
            elif left is not None and joined is not None and left < joined:
                reason_left = _("is before {joined_on} ({date})").format(
                    joined_on=column_header("joined_on"), date=joined.isoformat()
                )
                problems.append(("left_on", reason_left))
            role, reason = self.role(texts["role"])
            if reason:
                problems.append(("role", reason))
            if slug and key and joined:
                natural = (slug, key[0], key[1], joined)
                first = first_line.setdefault(natural, line)
                if first != line:
                    reason = _(
                        "repeats line {line}: the same partnership, organisation, country and "
                        "{joined_on}"
                    ).format(line=plain_integer(first), joined_on=column_header("joined_on"))
                    problems.append(("", reason))
                elif not reason_left:
                    periods = spans.setdefault((slug, *key), [])
                    if other := _overlapping(periods, joined, left):
                        reason = _(
                            "overlaps the membership on line {line} in the same partnership"
                        ).format(line=plain_integer(other))
                        problems.append(("joined_on", reason))
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
        return rows, found.result()


def _overlapping(
    periods: list[tuple[date, date | None, int]], joined: date, left: date | None
) -> int | None:
    """The line of a membership whose days overlap joined..left (left is not a member day)."""
    for other_joined, other_left, line in periods:
        if other_joined < (left or date.max) and joined < (other_left or date.max):
            return line
    return None


class OutcomeLines(OutcomeCells):
    """The lines of an outcome report."""

    def run(self) -> tuple[list[OutcomeRow], tuple[Problem, ...]]:
        """Check every line; the rows are only good when no problem was found."""
        catalogue = self.catalogue
        self.read_decimal_mark()
        overflow = self.note_overflow()
        uncalculated = self.table.uncalculated
        row_texts = self.texts(_OUTCOME_COLUMNS)
        by_period = "period" in self.layout.index
        period_column = "period" if by_period else "quarter"
        found = _Problems()
        add = found.add
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
                unknown = _(
                    "is not a known organisation in {country}; load it with a members file first"
                ).format(country=country)
                problems.append(("organisation", unknown))
            elif key is not None and slug and (slug, *key) not in catalogue.memberships:
                not_member = _("is not a member of {partnership}").format(
                    partnership=texts["partnership"]
                )
                problems.append(("organisation", not_member))
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
            for column in (*COUNTS, *OTHER_COUNTS):
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
                    unequal = _(
                        "does not equal {women} + {men} + {other_gender} + {not_recorded} ({sum})"
                    ).format(
                        **{part: column_header(part) for part in _GENDER_PARTS},
                        sum=number(people),
                    )
                    problems.append(("total_people", unequal))
            if slug and key and year is not None and quarter is not None and skill:
                natural = (slug, key[0], key[1], year, quarter, skill)
                first = first_line.setdefault(natural, line)
                if first != line:
                    repeated = _(
                        "repeats line {line}: the same partnership, organisation, period and "
                        "skill area"
                    ).format(line=plain_integer(first))
                    problems.append(("", repeated))
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
        return rows, found.result()

    def not_begun(self, year: int, quarter: int) -> str | None:
        """Why a period cannot be reported yet: it starts after today (a report covers a
        period that has begun; the current quarter and year may be reported as they go)."""
        today = self.catalogue.today
        if date(year, 1 if quarter == 0 else 3 * quarter - 2, 1) <= today:
            return None
        period = f"{year}" if quarter == 0 else f"{year}-Q{quarter}"
        return _("{period} has not begun yet (today is {today})").format(
            period=period, today=today.isoformat()
        )

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
            if whole:
                text = _("{year} is also reported by quarter on line {line} for this skill area")
            else:
                text = _(
                    "{year} is also reported as a whole year on line {line} for this skill area"
                )
            return text.format(year=plain_integer(year), line=plain_integer(other))
        stored = self.catalogue.stored_periods.get(group, frozenset())
        if whole and stored - {0}:
            return _(
                "{year} is already stored by quarter for this organisation and skill area"
            ).format(year=plain_integer(year))
        if not whole and 0 in stored:
            return _(
                "{year} is already stored as a whole year for this organisation and skill area"
            ).format(year=plain_integer(year))
        return None
