"""The column dictionary of the two upload files, and matching a file's header row to it.

Headers match whatever their case, spacing, underscores or punctuation ("Joined on",
"JOINED_ON", "joined-on"), and through a few aliases each ("Organization", "Investment (EUR)").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from data_access.upload_rows import UploadKind

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
    "partnership",
    "text",
    True,
    "The partnership: its short name (Automotive), full name or slug (automotive).",
    "Automotive",
    ("lsp", "partnership name", "partnership slug", "skills partnership"),
)
_ORGANISATION = ColumnSpec(
    "organisation",
    "text",
    True,
    "The member organisation's name, at most 300 characters. Organisations already known "
    "are matched whatever the case or spacing.",
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
    "country",
    "country",
    True,
    "Where the organisation is based: ISO code (DE or DEU), or its name in English or "
    "another EU language (Germany, Deutschland, Allemagne).",
    "DE",
    ("country code", "iso country", "member state"),
)
_COUNTRY_NAME = ColumnSpec(
    "country_name",
    "country",
    False,
    "The country's name, next to a country column of codes: each line's two must name the "
    "same country. A file may also give this column alone, for country.",
    "Germany",
    ("name of country",),
)

_MEMBERS = (
    _PARTNERSHIP,
    _ORGANISATION,
    _COUNTRY,
    _COUNTRY_NAME,
    ColumnSpec(
        "organisation_type",
        "code or label",
        True,
        "large_company, sme, vet_provider, higher_education, public_authority, "
        "public_employment_service, social_partner, chamber_of_commerce, association, "
        "cluster or ngo (or their labels, e.g. 'SME'). May be left empty for an "
        "organisation already known or typed on another line.",
        "sme",
        ("org type", "organization type", "type", "type of organisation", "category"),
    ),
    ColumnSpec(
        "size_class",
        "micro, small, medium or large",
        False,
        "The organisation's size.",
        "small",
        ("size", "organisation size", "organization size", "company size"),
    ),
    ColumnSpec(
        "nuts_code",
        "NUTS code",
        False,
        "The organisation's NUTS region (NUTS 0 to 3, e.g. DE30; Greece uses EL).",
        "DE11",
        ("nuts", "nuts2", "nuts 2", "nuts region", "region code"),
    ),
    ColumnSpec(
        "joined_on",
        "date",
        True,
        "When the organisation joined the partnership: 2024-03-31, 31/03/2024 or 31.03.2024.",
        "2023-02-01",
        ("joined", "join date", "date joined", "joining date", "member since", "start date"),
    ),
    ColumnSpec(
        "left_on",
        "date",
        False,
        "When it left the partnership; empty while it is a member. Not before joined_on.",
        "",
        ("left", "leave date", "date left", "leaving date", "end date"),
    ),
    ColumnSpec(
        "role",
        "coordinator, co-leader or member",
        False,
        "The organisation's role in the partnership; empty means member.",
        "member",
        ("member role", "membership role"),
    ),
    ColumnSpec(
        "listed",
        "yes or no",
        False,
        "Whether the organisation appears in the public member directory: yes (or true, 1, "
        "listed) or no (or false, 0, not listed, opted out, for a member that asked not to be "
        "listed). An empty cell or no column keeps what is stored; a new organisation is "
        "listed.",
        "yes",
        ("listed publicly", "public listing", "in public directory", "in directory"),
    ),
)

_COUNT = "whole number"
_OUTCOMES = (
    _PARTNERSHIP,
    _ORGANISATION,
    _COUNTRY,
    _COUNTRY_NAME,
    ColumnSpec(
        "year",
        "year",
        True,
        "The reporting year, from 2020 to the current year. Instead of year and quarter a "
        "file may have one period column.",
        "2024",
        ("reporting year", "report year"),
    ),
    ColumnSpec(
        "quarter",
        "quarter",
        False,
        "Q1 to Q4 (or 1 to 4) for a quarter; empty or 0 for the whole year. A year is "
        "reported either as a whole or by quarter, not both.",
        "",
        ("reporting quarter", "qtr"),
    ),
    ColumnSpec(
        "period",
        "period",
        False,
        "Instead of year and quarter: 2024 for the whole year or 2024-Q2 for a quarter.",
        "2024",
        ("reporting period",),
    ),
    ColumnSpec(
        "skill_area",
        "code or label",
        True,
        "basic_digital, advanced_digital, green, technical or transversal (or their labels, "
        "e.g. 'Basic digital').",
        "technical",
        ("skills", "skill", "skills area"),
    ),
    ColumnSpec(
        "women",
        _COUNT,
        True,
        "Women up/re-skilled. An empty cell counts as 0.",
        "120",
        ("female", "women trained"),
    ),
    ColumnSpec(
        "men",
        _COUNT,
        True,
        "Men up/re-skilled. An empty cell counts as 0.",
        "380",
        ("male", "men trained"),
    ),
    ColumnSpec(
        "other_gender",
        _COUNT,
        False,
        "People of another gender up/re-skilled. An empty cell or no column counts as 0.",
        "2",
        ("other", "another gender", "other genders", "non-binary", "diverse"),
    ),
    ColumnSpec(
        "not_recorded",
        _COUNT,
        False,
        "People up/re-skilled whose gender was not recorded. An empty cell or no column "
        "counts as 0.",
        "8",
        ("gender not recorded", "gender unknown", "unknown gender"),
    ),
    ColumnSpec(
        "total_people",
        _COUNT,
        False,
        "Optional check: all people up/re-skilled. When given it must equal women + men + "
        "other_gender + not_recorded.",
        "510",
        ("total", "people", "total trained", "people trained", "people up/re-skilled"),
    ),
    ColumnSpec(
        "programmes",
        _COUNT,
        True,
        "Training programmes developed or updated. An empty cell counts as 0.",
        "4",
        ("programs", "training programmes", "training programs", "number of programmes"),
    ),
    ColumnSpec(
        "investment_eur",
        "amount in EUR",
        True,
        "Investment in up/re-skilling, in euros; decimals allowed. An empty cell counts as 0.",
        "25000.50",
        ("investment", "investment in eur", "invested eur", "investment euro"),
    ),
    ColumnSpec(
        "people_reached",
        _COUNT,
        True,
        "People reached by awareness and promotion. An empty cell counts as 0.",
        "1500",
        ("reached", "people reached by promotion", "outreach"),
    ),
)

COLUMNS: Mapping[UploadKind, tuple[ColumnSpec, ...]] = {
    UploadKind.MEMBERS: _MEMBERS,
    UploadKind.OUTCOMES: _OUTCOMES,
}

_NOT_WORD = re.compile(r"[\W_]+")
_MARKS = (" optional", " required", " mandatory")


def header_key(text: str) -> str:
    """The key headers are matched on: case-folded, punctuation and underscores as spaces."""
    key = " ".join(_NOT_WORD.sub(" ", text.casefold()).split())
    for mark in _MARKS:
        key = key.removesuffix(mark)
    return key


def _names_by_key(kind: UploadKind) -> dict[str, str]:
    names: dict[str, str] = {}
    for spec in COLUMNS[kind]:
        for text in (spec.name, *spec.aliases):
            names[header_key(text)] = spec.name
    return names


_NAMES_BY_KEY = {kind: _names_by_key(kind) for kind in UploadKind}


def known_header_count(cells: Sequence[str], kind: UploadKind | None) -> int:
    """How many distinct columns of the kind (either kind when None) the cells name."""
    kinds = (kind,) if kind is not None else tuple(UploadKind)
    return max(
        len({_NAMES_BY_KEY[k][key] for key in map(header_key, cells) if key in _NAMES_BY_KEY[k]})
        for k in kinds
    )


def required_names(kind: UploadKind) -> tuple[str, ...]:
    """The columns a file of the kind must have."""
    return tuple(spec.name for spec in COLUMNS[kind] if spec.required)


@dataclass(frozen=True)
class ColumnLayout:
    """Where each known column sits in a file: column name -> index; and what was ignored."""

    index: Mapping[str, int]
    extra: tuple[str, ...]  # headers that are not in the dictionary (ignored)


def _missing(found: Mapping[str, int], kind: UploadKind) -> list[str]:
    missing = [name for name in required_names(kind) if name not in found]
    if kind is UploadKind.OUTCOMES and "period" in found and "year" in missing:
        missing.remove("year")
    return missing


def match_columns(headers: Sequence[str], kind: UploadKind) -> ColumnLayout:
    """Match a header row to the column dictionary; UploadFileError when it cannot serve."""
    names = _NAMES_BY_KEY[kind]
    found: dict[str, int] = {}
    extra: list[str] = []
    for position, header in enumerate(headers):
        key = header_key(header)
        if not key:
            continue
        name = names.get(key)
        if name is None:
            extra.append(header.strip())
        elif name in found:
            first = headers[found[name]].strip()
            raise UploadFileError(
                f"The columns '{first}' and '{header.strip()}' both give {name}; "
                "keep only one of them."
            )
        else:
            found[name] = position
    if "country" not in found and "country_name" in found:
        found["country"] = found.pop("country_name")
    if "period" in found and ("year" in found or "quarter" in found):
        raise UploadFileError(
            "The file has both a period column and year/quarter columns; keep either period "
            "or year and quarter."
        )
    missing = _missing(found, kind)
    if missing:
        other = UploadKind.OUTCOMES if kind is UploadKind.MEMBERS else UploadKind.MEMBERS
        other_found = {
            n: 0 for key in map(header_key, headers) if (n := _NAMES_BY_KEY[other].get(key))
        }
        if not _missing(other_found, other):
            raise UploadFileError(
                f"This looks like a file of {other.value}, not of {kind.value}: it has no "
                f"{_and(missing)} column."
            )
        shown = ", ".join(_short(h) for h in headers if h.strip()) or "none"
        plural = "columns" if len(missing) > 1 else "column"
        raise UploadFileError(
            f"The file has no {_and(missing)} {plural} (required); the columns found are: {shown}."
        )
    return ColumnLayout(index=found, extra=tuple(extra))


def _and(names: Sequence[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]


def _short(header: str) -> str:
    text = header.strip()
    return text if len(text) <= 40 else text[:39] + "…"
