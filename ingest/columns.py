"""The column dictionary of the two upload files, and matching a file's header row to it.

Headers match whatever their case, accents, spacing, underscores or punctuation ("Joined on",
"JOINED_ON", "joined-on"), through a few English aliases each ("Organization", "Investment
(EUR)"), and in every language the dashboard speaks: a column's header is a message of the
catalogs ("year" is "Jahr" in German, "année" in French), so a template downloaded in one
language is read back whatever language the person loading it speaks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from babel.lists import format_list

from data_access.upload_rows import UploadKind
from i18n import N_, _, ngettext
from i18n.numbers import current_locale
from ingest.translated import Vocabulary, file_languages, fold, vocabulary

MAX_NAME_CHARS = 300  # organisation.name in the store
MAX_NUTS_CHARS = 5  # organisation.nuts_code in the store


class UploadFileError(ValueError):
    """A file that cannot be read as an upload at all; the message is one clear sentence."""


@dataclass(frozen=True)
class ColumnSpec:
    """One column of an upload file, as shown in the column dictionary."""

    name: str
    kind_of_value: str
    required: bool
    description: str
    example: str
    aliases: tuple[str, ...] = ()


_PARTNERSHIP = ColumnSpec(
    # Translators: a column header of the upload templates; a short header in your language.
    N_("partnership"),
    N_("text"),
    True,
    N_("The partnership: its short name (Automotive), full name or slug (automotive)."),
    "Automotive",
    ("lsp", "partnership name", "partnership slug", "skills partnership"),
)
_ORGANISATION = ColumnSpec(
    # Translators: a column header of the upload templates; a short header in your language.
    N_("organisation"),
    N_("text"),
    True,
    N_(
        "The member organisation's name, at most 300 characters. Organisations already known "
        "are matched whatever the case or spacing."
    ),
    "Example Automotive Academy GmbH",
    (
        "organisation name",
        "organization",
        "organization name",
        "member",
        "member name",
        "member organisation",
        "name",
    ),
)
_COUNTRY = ColumnSpec(
    # Translators: a column header of the upload templates; a short header in your language.
    N_("country"),
    N_("country"),
    True,
    N_(
        "Where the organisation is based: ISO code (DE or DEU), or its name in English or "
        "another EU language (Germany, Deutschland, Allemagne)."
    ),
    "DE",
    ("country code", "iso country", "member state"),
)
_COUNTRY_NAME = ColumnSpec(
    # Translators: a column header of the upload templates; a short header in your language.
    N_("country_name"),
    N_("country"),
    False,
    N_(
        "The country's name, next to a country column of codes: each line's two must name the "
        "same country. A file may also give this column alone, for country."
    ),
    "Germany",
    ("name of country",),
)

_MEMBERS = (
    _PARTNERSHIP,
    _ORGANISATION,
    _COUNTRY,
    _COUNTRY_NAME,
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("organisation_type"),
        N_("code or label"),
        True,
        N_(
            "large_company, sme, vet_provider, higher_education, public_authority, "
            "public_employment_service, social_partner, chamber_of_commerce, association, "
            "cluster or ngo (or their labels, e.g. 'SME'). May be left empty for an "
            "organisation already known or typed on another line."
        ),
        "sme",
        ("org type", "organization type", "type", "type of organisation", "category"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("size_class"),
        N_("micro, small, medium or large"),
        False,
        N_("The organisation's size."),
        "small",
        ("size", "organisation size", "organization size", "company size"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("nuts_code"),
        N_("NUTS code"),
        False,
        N_("The organisation's NUTS region (NUTS 0 to 3, e.g. DE30; Greece uses EL)."),
        "DE11",
        ("nuts", "nuts2", "nuts 2", "nuts region", "region code"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("joined_on"),
        N_("date"),
        True,
        N_("When the organisation joined the partnership: 2024-03-31, 31/03/2024 or 31.03.2024."),
        "2023-02-01",
        ("joined", "join date", "date joined", "joining date", "member since", "start date"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("left_on"),
        N_("date"),
        False,
        N_("When it left the partnership; empty while it is a member. Not before joined_on."),
        "",
        ("left", "leave date", "date left", "leaving date", "end date"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("role"),
        N_("coordinator, co-leader or member"),
        False,
        N_("The organisation's role in the partnership; empty means member."),
        "member",
        ("member role", "membership role"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("listed"),
        N_("yes or no"),
        False,
        N_(
            "Whether the organisation appears in the public member directory: yes (or true, 1, "
            "listed) or no (or false, 0, not listed, opted out, for a member that asked not to be "
            "listed). An empty cell or no column keeps what is stored; a new organisation is "
            "listed."
        ),
        "yes",
        ("listed publicly", "public listing", "in public directory", "in directory"),
    ),
)

_COUNT = N_("whole number")
_OUTCOMES = (
    _PARTNERSHIP,
    _ORGANISATION,
    _COUNTRY,
    _COUNTRY_NAME,
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("year"),
        N_("year"),
        True,
        N_(
            "The reporting year, from 2020 to the current year. Instead of year and quarter a "
            "file may have one period column."
        ),
        "2024",
        ("reporting year", "report year"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("quarter"),
        N_("quarter"),
        False,
        N_(
            "Q1 to Q4 (or 1 to 4) for a quarter; empty or 0 for the whole year. A year is "
            "reported either as a whole or by quarter, not both."
        ),
        "",
        ("reporting quarter", "qtr"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("period"),
        N_("period"),
        False,
        N_("Instead of year and quarter: 2024 for the whole year or 2024-Q2 for a quarter."),
        "2024",
        ("reporting period",),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("skill_area"),
        N_("code or label"),
        True,
        N_(
            "basic_digital, advanced_digital, green, technical or transversal (or their labels, "
            "e.g. 'Basic digital')."
        ),
        "technical",
        ("skills", "skill", "skills area"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("women"),
        _COUNT,
        True,
        N_("Women up/re-skilled. An empty cell counts as 0."),
        "120",
        ("female", "women trained"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("men"),
        _COUNT,
        True,
        N_("Men up/re-skilled. An empty cell counts as 0."),
        "380",
        ("male", "men trained"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("other_gender"),
        _COUNT,
        False,
        N_("People of another gender up/re-skilled. An empty cell or no column counts as 0."),
        "2",
        ("other", "another gender", "other genders", "non-binary", "diverse"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("not_recorded"),
        _COUNT,
        False,
        N_(
            "People up/re-skilled whose gender was not recorded. An empty cell or no column "
            "counts as 0."
        ),
        "8",
        ("gender not recorded", "gender unknown", "unknown gender"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("total_people"),
        _COUNT,
        False,
        N_(
            "Optional check: all people up/re-skilled. When given it must equal women + men + "
            "other_gender + not_recorded."
        ),
        "510",
        ("total", "people", "total trained", "people trained", "people up/re-skilled"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("programmes"),
        _COUNT,
        True,
        N_("Training programmes developed or updated. An empty cell counts as 0."),
        "4",
        ("programs", "training programmes", "training programs", "number of programmes"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("investment_eur"),
        N_("amount in EUR"),
        True,
        N_("Investment in up/re-skilling, in euros; decimals allowed. An empty cell counts as 0."),
        "25000.50",
        ("investment", "investment in eur", "invested eur", "investment euro"),
    ),
    ColumnSpec(
        # Translators: a column header of the upload templates; a short header in your language.
        N_("people_reached"),
        _COUNT,
        True,
        N_("People reached by awareness and promotion. An empty cell counts as 0."),
        "1500",
        ("reached", "people reached by promotion", "outreach"),
    ),
)

COLUMNS: Mapping[UploadKind, tuple[ColumnSpec, ...]] = {
    UploadKind.MEMBERS: _MEMBERS,
    UploadKind.OUTCOMES: _OUTCOMES,
}

_MARKS = (" optional", " required", " mandatory")


def header_key(text: str) -> str:
    """The key headers are matched on: case-folded, accents left out, punctuation and
    underscores as spaces."""
    key = fold(text)
    for mark in _MARKS:
        key = key.removesuffix(mark)
    return key


def column_header(name: str) -> str:
    """A column's header in the current language ("year" in English, "Jahr" in German)."""
    return _(name)


def _names_by_key(kind: UploadKind) -> dict[str, str]:
    names: dict[str, str] = {}
    for spec in COLUMNS[kind]:
        for text in (spec.name, *spec.aliases):
            names[header_key(text)] = spec.name
    return names


_NAMES_BY_KEY = {kind: _names_by_key(kind) for kind in UploadKind}


def headers_vocabulary(kind: UploadKind) -> Vocabulary:
    """The headers of the kind's columns in every language (built once)."""
    return vocabulary(tuple(spec.name for spec in COLUMNS[kind]))


def _meanings(key: str, kind: UploadKind) -> frozenset[str]:
    """The columns a header key may name: its English name or alias, else its translations."""
    if name := _NAMES_BY_KEY[kind].get(key):
        return frozenset((name,))
    found = headers_vocabulary(kind).meanings.get(key, ())
    return frozenset(meaning.message for meaning in found)


def known_header_count(cells: Sequence[str], kind: UploadKind | None) -> int:
    """How many distinct columns of the kind (either kind when None) the cells name."""
    kinds = (kind,) if kind is not None else tuple(UploadKind)
    return max(
        len({meanings for key in map(header_key, cells) if (meanings := _meanings(key, k))})
        for k in kinds
    )


def required_names(kind: UploadKind) -> tuple[str, ...]:
    """The columns a file of the kind must have."""
    return tuple(spec.name for spec in COLUMNS[kind] if spec.required)


@dataclass(frozen=True)
class ColumnLayout:
    """Where each known column sits in a file: column name -> index; what was ignored; and
    the language(s) its headers are written in (empty for English headers)."""

    index: Mapping[str, int]
    extra: tuple[str, ...]  # headers that are not in the dictionary (ignored)
    languages: frozenset[str] = field(default_factory=frozenset)


def _missing(found: Mapping[str, int], kind: UploadKind) -> list[str]:
    missing = [name for name in required_names(kind) if name not in found]
    if kind is UploadKind.OUTCOMES and "period" in found and "year" in missing:
        missing.remove("year")
    return missing


def _column(header: str, kind: UploadKind, languages: frozenset[str]) -> str | None:
    """The column a header names; UploadFileError when it may name several."""
    key = header_key(header)
    if name := _NAMES_BY_KEY[kind].get(key):
        return name
    name, candidates = headers_vocabulary(kind).read(key, languages)
    if candidates:
        raise UploadFileError(
            _(
                "The column '{header}' may be {columns}: it is the header of each in one of "
                "the languages; rename it to the header of the column it holds."
            ).format(header=_short(header), columns=_or([column_header(c) for c in candidates]))
        )
    return name


def match_columns(headers: Sequence[str], kind: UploadKind) -> ColumnLayout:
    """Match a header row to the column dictionary; UploadFileError when it cannot serve."""
    english = _NAMES_BY_KEY[kind]
    languages = file_languages(
        (key for key in map(header_key, headers) if key and key not in english),
        headers_vocabulary(kind),
    )
    found: dict[str, int] = {}
    extra: list[str] = []
    for position, header in enumerate(headers):
        if not header_key(header):
            continue
        name = _column(header, kind, languages)
        if name is None:
            extra.append(header.strip())
        elif name in found:
            first = headers[found[name]].strip()
            raise UploadFileError(
                _(
                    "The columns '{first}' and '{second}' both give {column}; keep only one of "
                    "them."
                ).format(first=first, second=header.strip(), column=column_header(name))
            )
        else:
            found[name] = position
    if "country" not in found and "country_name" in found:
        found["country"] = found.pop("country_name")
    if "period" in found and ("year" in found or "quarter" in found):
        raise UploadFileError(
            _(
                "The file has both a period column and year/quarter columns; keep either period "
                "or year and quarter."
            )
        )
    missing = _missing(found, kind)
    if missing:
        _refuse_missing(headers, kind, missing)
    return ColumnLayout(index=found, extra=tuple(extra), languages=languages)


def _refuse_missing(headers: Sequence[str], kind: UploadKind, missing: list[str]) -> None:
    """UploadFileError naming the required columns the file lacks."""
    other = UploadKind.OUTCOMES if kind is UploadKind.MEMBERS else UploadKind.MEMBERS
    other_found = {
        name: 0
        for key in map(header_key, headers)
        if len(meanings := _meanings(key, other)) == 1
        for name in meanings
    }
    columns = _and([column_header(name) for name in missing])
    if not _missing(other_found, other):
        if kind is UploadKind.MEMBERS:
            text = _(
                "This looks like a file of outcomes, not of members: it has no {columns} column."
            )
        else:
            text = _(
                "This looks like a file of members, not of outcomes: it has no {columns} column."
            )
        raise UploadFileError(text.format(columns=columns))
    shown = ", ".join(_short(h) for h in headers if h.strip()) or _("none")
    raise UploadFileError(
        ngettext(
            "The file has no {columns} column (required); the columns found are: {found}.",
            "The file has no {columns} columns (required); the columns found are: {found}.",
            len(missing),
        ).format(columns=columns, found=shown)
    )


def _and(names: Sequence[str]) -> str:
    """Names joined the current language's way ("a, b and c")."""
    return format_list(list(names), locale=current_locale())


def _or(names: Sequence[str]) -> str:
    """Names as alternatives, the current language's way ("a or b")."""
    return format_list(list(names), style="or", locale=current_locale())


def _short(header: str) -> str:
    text = header.strip()
    return text if len(text) <= 40 else text[:39] + "…"
