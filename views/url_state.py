"""Global filters <-> URL query string. Pure functions: no Streamlit, so tests call them directly.

Unknown or malformed parameters never raise: they produce a notice and are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from data_access.filters import Filters
from data_access.options import FilterOptions
from i18n import _

# URL parameter -> (Filters field, FilterOptions field)
LIST_PARAMS: dict[str, tuple[str, str]] = {
    "eco": ("ecosystems", "ecosystems"),
    "lsp": ("partnerships", "partnerships"),
    "country": ("countries", "countries"),
    "type": ("org_types", "org_types"),
    "skill": ("skill_areas", "skill_areas"),
}
YEAR_PARAMS = ("from", "to")
# Parameters pages read for themselves (validated there).
PAGE_PARAMS = frozenset(
    {"p", "by", "period", "lines", "view", "slides", "every", "theme", "spot", "q", "show", "chart"}
)
# The reader's language (i18n.parse_language reads it; ui/language.py keeps it in the URL).
LANGUAGE_PARAM = "lang"
MAX_PARAM_LENGTH = 2_000


@dataclass(frozen=True)
class ParsedFilters:
    """Filters read from a URL and the notices about what was ignored."""

    filters: Filters
    notices: tuple[str, ...] = field(default_factory=tuple)


def _first(value: str | list[str]) -> str:
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def parse_query_params(
    params: Mapping[str, str | list[str]], options: FilterOptions
) -> ParsedFilters:
    """Read the global filters from query parameters, ignoring what is unknown or invalid."""
    notices: list[str] = []
    values: dict[str, object] = {}
    for name, raw_value in params.items():
        raw = _first(raw_value)
        if len(raw) > MAX_PARAM_LENGTH:
            notices.append(
                _("Parameter '{name}' is too long and was ignored.").format(name=name[:40])
            )
            continue
        if name in LIST_PARAMS:
            field_name, option_name = LIST_PARAMS[name]
            valid = options.keys(option_name)
            lookup = {key.lower(): key for key in valid}
            chosen: list[str] = []
            unknown: list[str] = []
            for item in _split(raw):
                key = lookup.get(item.lower())
                if key is None:
                    unknown.append(item)
                elif key not in chosen:
                    chosen.append(key)
            if unknown:
                shown = ", ".join(repr(u[:40]) for u in unknown[:5])
                notices.append(
                    _("Unknown value(s) {values} for '{name}' ignored.").format(
                        values=shown, name=name
                    )
                )
            values[field_name] = tuple(chosen)
        elif name in YEAR_PARAMS:
            year = _parse_year(raw)
            if year is None:
                notices.append(
                    _("'{name}' must be a year such as {year}; ignored.").format(
                        name=name, year=options.last_year
                    )
                )
                continue
            if not options.first_year <= year <= options.last_year:
                notices.append(
                    _("'{name}={year}' is outside the data ({first}-{last}); ignored.").format(
                        name=name, year=year, first=options.first_year, last=options.last_year
                    )
                )
                continue
            values["year_from" if name == "from" else "year_to"] = year
        elif name not in PAGE_PARAMS and name != LANGUAGE_PARAM:
            notices.append(_("Unknown parameter '{name}' ignored.").format(name=name[:40]))
    year_from = values.get("year_from", options.first_year)
    year_to = values.get("year_to", options.last_year)
    assert isinstance(year_from, int) and isinstance(year_to, int)
    if year_from > year_to:
        notices.append(
            _("'from={first}' is after 'to={last}'; the whole range is shown.").format(
                first=year_from, last=year_to
            )
        )
        year_from, year_to = options.first_year, options.last_year
    filters = Filters(
        year_from=year_from,
        year_to=year_to,
        ecosystems=_tuple(values.get("ecosystems")),
        partnerships=_tuple(values.get("partnerships")),
        countries=_tuple(values.get("countries")),
        org_types=_tuple(values.get("org_types")),
        skill_areas=_tuple(values.get("skill_areas")),
    )
    return ParsedFilters(filters=filters, notices=tuple(notices))


def _tuple(value: object) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, tuple) else ()


def _parse_year(raw: str) -> int | None:
    text = raw.strip()
    if len(text) != 4 or not text.isdigit():
        return None
    return int(text)


def to_query_params(
    filters: Filters, options: FilterOptions, *, language: str | None = None
) -> dict[str, str]:
    """The query parameters that reproduce the filters (defaults are left out), and the
    reader's language when one was named."""
    params: dict[str, str] = {LANGUAGE_PARAM: language} if language else {}
    if filters.year_from is not None and filters.year_from != options.first_year:
        params["from"] = str(filters.year_from)
    if filters.year_to is not None and filters.year_to != options.last_year:
        params["to"] = str(filters.year_to)
    for name, (field_name, _option) in LIST_PARAMS.items():
        selected: tuple[str, ...] = getattr(filters, field_name)
        if selected:
            params[name] = ",".join(selected)
    return params
