"""What an upload carries once read and checked: typed rows, problems, and the catalogue of
what the store knows that rows are checked against.

Reading and checking files happens in `ingest/` (no SQL); writing the rows happens in
`data_access.uploads`. These types are the contract between the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class UploadKind(StrEnum):
    """The two files coordinators load: who the members are, and what they reported."""

    MEMBERS = "members"
    OUTCOMES = "outcomes"


@dataclass(frozen=True)
class Problem:
    """One reason an upload cannot be loaded. line is the spreadsheet row (1 = the header
    row, so the first data row is 2); 0 means the file as a whole."""

    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class MemberRow:
    """One checked line of a members file: an organisation's membership of a partnership."""

    line: int
    partnership: str  # slug
    organisation: str  # the stored spelling when the organisation is known
    country_code: str  # ISO 3166-1 alpha-2
    org_type: str  # organisation_type.code
    size_class: str | None
    nuts_code: str | None
    joined_on: date
    left_on: date | None
    role: str  # coordinator, co-leader or member
    listed: bool | None = None  # in the public member directory; None keeps what is stored


@dataclass(frozen=True)
class OutcomeRow:
    """One checked line of an outcome file: what one member reported for one period and
    skill area. quarter 0 is the whole year."""

    line: int
    partnership: str  # slug
    organisation: str  # the stored spelling
    country_code: str
    year: int
    quarter: int
    skill_area: str  # skill_area.code
    women: int
    men: int
    other_gender: int
    not_recorded: int
    programmes: int
    investment_eur: float
    people_reached: int


@dataclass(frozen=True)
class Catalogue:
    """What the store knows, as lookups for checking one caller's upload.

    Lookup keys are case-folded with spaces collapsed; values are the stored codes/names.
    """

    partnerships: Mapping[str, str]  # slug, name or short name -> slug
    changeable: frozenset[str]  # slugs the caller may load data for
    organisations: Mapping[tuple[str, str], str]  # (name key, country code) -> stored name
    organisation_types: Mapping[tuple[str, str], str]  # (name key, country) -> org_type
    memberships: frozenset[tuple[str, str, str]]  # (slug, name key, country code)
    skill_areas: Mapping[str, str]  # code or label -> code
    countries: Mapping[str, str]  # alpha-2, alpha-3 or English name -> alpha-2
    org_types: Mapping[str, str]  # code or label -> code
    stored_periods: Mapping[tuple[str, str, str, int, str], frozenset[int]] = field(
        default_factory=dict
    )  # (slug, name key, country, year, skill area) -> quarters stored
    today: date = field(default_factory=date.today)  # reports cover periods begun by then


def lookup_key(text: str) -> str:
    """The key names are matched on: case-folded, inner whitespace collapsed."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class CheckedUpload:
    """A file after reading and checking: its rows if every line passed, else its problems."""

    kind: UploadKind
    file_name: str
    sha256: str
    lines: int  # data lines read (trailing empty rows not counted)
    rows: tuple[MemberRow, ...] | tuple[OutcomeRow, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        """True when there is something to load and nothing wrong."""
        return bool(self.rows) and not self.problems
