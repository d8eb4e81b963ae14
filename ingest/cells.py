"""The first pass of checking an upload: reading each cell into the value it stands for,
against the column dictionary and the catalogue of what the store knows, or the reason it
cannot be read. The file's notation (day or month first, decimal mark) is settled from its
cells before any is read."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from data_access.reference import (
    COUNTRIES,
    MEMBERSHIP_ROLES,
    ORGANISATION_TYPES,
    SIZE_CLASSES,
    SKILL_AREAS,
)
from data_access.upload_rows import Catalogue, lookup_key
from i18n import N_, _
from i18n.numbers import babel_locale, number, plain_integer
from ingest.columns import MAX_NAME_CHARS, MAX_NUTS_CHARS, ColumnLayout
from ingest.countries import MAX_SUGGESTIONS, CountryMatcher
from ingest.reader import RawTable
from ingest.translated import Vocabulary, vocabulary
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
DECIMAL_EVIDENCE_ENOUGH = 1000  # numbers showing their decimal mark settle a file's notation

# Words of the cells in every language: the English names of the store's skill areas and
# organisation types (data_access.reference), of sizes, roles and yes/no.
SKILL_AREA_CODES = {name: code for code, name in SKILL_AREAS}
ORG_TYPE_CODES = {name: code for code, name in ORGANISATION_TYPES}
SIZE_WORDS = {
    # Translators: a size class of organisations, as written in an upload file.
    N_("micro"): "micro",
    # Translators: a size class of organisations, as written in an upload file.
    N_("small"): "small",
    # Translators: a size class of organisations, as written in an upload file.
    N_("medium"): "medium",
    # Translators: a size class of organisations, as written in an upload file.
    N_("large"): "large",
}
ROLE_WORDS = {
    # Translators: a member's role in a partnership, as written in an upload file.
    N_("coordinator"): "coordinator",
    # Translators: a member's role in a partnership, as written in an upload file.
    N_("co-leader"): "co-leader",
    # Translators: a member's role in a partnership, as written in an upload file.
    N_("member"): "member",
}
# Translators: an answer in the "listed" column of an upload file.
YES = N_("yes")
# Translators: an answer in the "listed" column of an upload file.
NO = N_("no")

# Translators: the reason a cell is refused: it has no value.
EMPTY = N_("is empty")
_ANSWERS = {YES: YES, NO: NO}

NO_RESULT_REASON = N_(
    "this cell holds a formula with no saved result; open and save the file in a spreadsheet "
    "program, or type the number"
)
NO_RESULT_TEXT_REASON = N_(
    "this cell holds a formula with no saved result; open and save the file in a spreadsheet "
    "program, or type the value"
)

COUNTS = ("women", "men", "other_gender", "not_recorded", "total_people")
OTHER_COUNTS = ("programmes", "people_reached")
_NUMBER_COLUMNS = frozenset(("year", "investment_eur", *COUNTS, *OTHER_COUNTS))

Result = tuple[Any, str | None]  # (value, None) or (None, reason)
# partnership slug, organisation name, country code, (name key, country), stored name
Identity = tuple[Any, Any, Any, tuple[str, str] | None, str | None]


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


def _in_any_language(
    words: Vocabulary, codes: Mapping[str, str], text: str, languages: frozenset[str]
) -> tuple[str | None, str | None]:
    """(code, None) for a word naming one thing in some language (in the file's language
    when it names several); (None, why) when it names several; (None, None) when none."""
    name, candidates = words.read(text, languages)
    if name is not None:
        return codes[name], None
    if candidates:
        return None, _(
            "is the word for {things} in different languages; write its code instead ({codes})"
        ).format(
            things=", ".join(_(candidate) for candidate in candidates),
            codes=", ".join(codes[candidate] for candidate in candidates),
        )
    return None, None


class CellReader:
    """The cells both kinds of file share: partnership, organisation, country and dates."""

    def __init__(self, table: RawTable, layout: ColumnLayout, catalogue: Catalogue) -> None:
        self.table = table
        self.layout = layout
        self.catalogue = catalogue
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
            return None, _(EMPTY)
        if reason := text_problem(text, MAX_NAME_CHARS):
            return None, reason
        slug = _find(self.catalogue.partnerships, text)
        if slug is None:
            closest = self._closest_partnership(text)
            if closest is None:
                reason = _("is not a known partnership; give its short name, full name or slug")
                return None, reason
            return None, _(
                "is not a known partnership; give its short name, full name or slug "
                "(closest: {slug})"
            ).format(slug=closest)
        if slug not in self.catalogue.changeable:
            return None, _("you may not load data for {partnership}").format(partnership=text)
        return slug, None

    def _closest_partnership(self, text: str) -> str | None:
        """The slug of the partnership the cell most likely meant; None if none is close."""
        if self.suggested >= MAX_SUGGESTIONS:
            return None
        self.suggested += 1
        names = self.catalogue.partnerships
        best = difflib.get_close_matches(lookup_key(text), list(names), n=1, cutoff=0.6)
        return names[best[0]] if best else None

    def _organisation(self, text: str) -> Result:
        if not text:
            return None, _(EMPTY)
        if reason := text_problem(text, MAX_NAME_CHARS):
            return None, reason
        return text, None

    def _country(self, text: str) -> Result:
        if not text:
            return None, _(EMPTY)
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
                reason = _(
                    "names {named} ({named_code}) but the country column gives {given} "
                    "({given_code}); the two must name the same country"
                ).format(
                    named=self.countries.name(other),
                    named_code=other,
                    given=self.countries.name(country),
                    given_code=country,
                )
                problems.append(("country_name", reason))
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
            return None, (_(EMPTY) if required else None)
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        value = read_date(text, self.month_first)
        if value is None:
            return None, _("is not a date; write it as 2024-03-31 or 31/03/2024")
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return None, _("must be a date from {first} to {last}").format(
                first=plain_integer(FIRST_YEAR), last=plain_integer(LAST_YEAR)
            )
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
            (name, _(NO_RESULT_REASON if name in _NUMBER_COLUMNS else NO_RESULT_TEXT_REASON))
            for name in names
        ] + kept

    def note_overflow(self) -> dict[int, str]:
        """Lines with cells past the last column of the header, with the reason."""
        if self.table.delimiter == ",":
            reason = _(
                "has more cells than the header has columns; is a number written with a "
                "decimal comma in a comma-separated file? Separate the columns with ; or put "
                "such numbers in quotes"
            )
        else:
            reason = _("has more cells than the header has columns")
        return dict.fromkeys(self.table.overflow_lines, reason)


class MemberCells(CellReader):
    """The cells of a members file: organisation details and the membership."""

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
        known = frozenset(self.catalogue.org_types.values())
        code = _find(self.catalogue.org_types, text)
        if code is None:
            words = vocabulary(tuple(name for name, c in ORG_TYPE_CODES.items() if c in known))
            code, reason = _in_any_language(words, ORG_TYPE_CODES, text, self.layout.languages)
            if reason:
                return None, reason
        if code is None:
            return None, _("is not a known organisation type; use one of {codes}").format(
                codes=_choices(known)
            )
        return code, None

    def _size(self, text: str) -> Result:
        if not text:
            return None, None
        if text.casefold() in SIZE_CLASSES:
            return text.casefold(), None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        words = vocabulary(tuple(SIZE_WORDS))
        size, reason = _in_any_language(words, SIZE_WORDS, text, self.layout.languages)
        if size is not None or reason:
            return size, reason
        return None, _("must be micro, small, medium or large")

    def _role(self, text: str) -> Result:
        if not text:
            return "member", None
        role = ROLES.get("".join(filter(str.isalpha, text.casefold())))
        if role is not None:
            return role, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        words = vocabulary(tuple(ROLE_WORDS))
        role, reason = _in_any_language(words, ROLE_WORDS, text, self.layout.languages)
        if role is not None or reason:
            return role, reason
        return None, _("must be coordinator, co-leader or member")

    def listed(self, text: str) -> Result:
        """Whether the organisation is listed in the public member directory."""
        if not text:
            return None, None
        listed = LISTED.get("".join(filter(str.isalnum, text.casefold())))
        if listed is not None:
            return listed, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        answer, reason = _in_any_language(
            vocabulary((YES, NO)), _ANSWERS, text, self.layout.languages
        )
        if reason:
            return None, reason
        if answer is not None:
            return answer == YES, None
        return None, _("must be yes or no (listed in the public member directory or not)")

    @staticmethod
    def nuts(text: str, country: str | None) -> Result:
        """A NUTS region code, of the given country."""
        if not text:
            return None, None
        if reason := text_problem(text, MAX_NUTS_CHARS):
            return None, reason
        code = text.upper()
        if not (code[:2].isalpha() and code.isalnum() and code.isascii() and len(code) >= 2):
            reason = _("is not a NUTS code (2 letters, then up to 3 letters or digits: DE30)")
            return None, reason
        expected = {"GR": "EL"}.get(country or "", country)
        if country is not None and code[:2] != expected:
            return None, _(
                "is not a region of {country} (its NUTS codes start with {prefix})"
            ).format(country=country, prefix=expected)
        return code, None


class OutcomeCells(CellReader):
    """The cells of an outcome report: period, skill area, counts and amounts."""

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
            return None, _(EMPTY)
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        known = frozenset(self.catalogue.skill_areas.values())
        code = _find(self.catalogue.skill_areas, text)
        if code is None:
            words = vocabulary(tuple(name for name, c in SKILL_AREA_CODES.items() if c in known))
            code, reason = _in_any_language(words, SKILL_AREA_CODES, text, self.layout.languages)
            if reason:
                return None, reason
        if code is None:
            return None, _("is not a known skill area; use one of {codes}").format(
                codes=_choices(known)
            )
        return code, None

    def _year(self, text: str) -> Result:
        if not text:
            return None, _(EMPTY)
        value, reason = self.count(text)
        if reason:
            return None, reason
        if not FIRST_YEAR <= value <= LAST_YEAR:
            return None, _("must be a year from {first} to {last}").format(
                first=plain_integer(FIRST_YEAR), last=plain_integer(LAST_YEAR)
            )
        return value, None

    @staticmethod
    def _quarter(text: str) -> Result:
        quarter = read_quarter(text)
        if quarter is not None:
            return quarter, None
        if text.startswith(FORMULA_STARTS):
            return None, text_problem(text, MAX_NAME_CHARS)
        return None, _("must be Q1 to Q4 (or 1 to 4), or empty for the whole year")

    @staticmethod
    def _period(text: str) -> Result:
        if not text:
            return None, _(EMPTY)
        period = read_period(text)
        if period is None:
            if text.startswith(FORMULA_STARTS):
                return None, text_problem(text, MAX_NAME_CHARS)
            return None, _("must be a year (2024) or a year and quarter (2024-Q2)")
        if not FIRST_YEAR <= period[0] <= LAST_YEAR:
            return None, _("must be in the years {first} to {last}").format(
                first=plain_integer(FIRST_YEAR), last=plain_integer(LAST_YEAR)
            )
        return period, None

    def read_decimal_mark(self) -> None:
        """Settle whether 1.234 is a thousand or a decimal: in a CSV file whose headers are
        in a language, the way that language writes decimals; otherwise from the numbers in
        the file (a workbook's numbers are stored as numbers)."""
        signs = {
            str(babel_locale(code).number_symbols["latn"]["decimal"])
            for code in self.layout.languages
        }
        if self.table.delimiter is not None and len(signs) == 1:
            (self.decimal,) = signs
            return
        marks = {",": 0, ".": 0}
        found = 0
        for name in ("investment_eur", *COUNTS, *OTHER_COUNTS):
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
                return None, _too_large(MAX_COUNT)
            return value, None
        result = self.counts_read.get(text)
        if result is None:
            result = self.counts_read[text] = self._count(text)
        return result

    def _count(self, text: str) -> Result:
        value = read_number(text, self.decimal)
        if reason := number_problem(text, value):
            return None, reason
        assert value is not None
        if not value.is_integer():
            return None, _("must be a whole number")
        if value > MAX_COUNT:
            return None, _too_large(MAX_COUNT)
        return int(value), None

    def amount(self, text: str) -> Result:
        """A non-negative amount in euros, to the cent; an empty cell is 0."""
        if not text:
            return 0.0, None
        value = read_number(text, self.decimal)
        if reason := number_problem(text, value):
            return None, reason
        assert value is not None
        if value > MAX_INVESTMENT_EUR:
            return None, _too_large(MAX_INVESTMENT_EUR)
        return round(value, 2), None


def _too_large(limit: float) -> str:
    return _("is too large (at most {limit})").format(limit=number(limit))
