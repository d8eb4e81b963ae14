"""The briefing reports: what a report says about itself (filters, audience, source, data
version), its headline tiles, its charts with exactly the frames they plot, and its tables.

The tiles and charts are the pages' own (views.overview, views.profile), so a report holds
the numbers the page shows. Pure: frames in, a Report out. exports.gather fetches the frames
through data_access for one caller; exports.workbook and exports.html_report write a Report.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Literal

import pandas as pd

from data_access import (
    Caller,
    DatasetState,
    DisclosureRules,
    FilterOptions,
    Filters,
    Role,
)
from figures.layout import period_label
from views.frames import is_protected, present_columns
from views.models import Chart, Table, Tile
from views.notes import DEMO_NOTICE, legend
from views.overview import headline_tiles, in_period, not_recorded_tile, trend_charts
from views.profile import NOT_REPORTED_NOTE, not_reported, not_reported_title, profile
from views.url_state import to_query_params

REPORT_DEMO_NOTICE = f"Demo data: {DEMO_NOTICE[0].lower()}{DEMO_NOTICE[1:]}"
EMPTY_TEXT = "Nothing matches the current filters."
OUTCOME_COLUMNS = (
    "women",
    "men",
    "other_gender",
    "not_recorded",
    "women_share_recorded",
    "not_recorded_share",
    "programmes",
    "investment_eur",
    "people_reached",
    "reporting_organisations",
)
INDICATOR_COLUMNS = (
    "year",
    "partnerships",
    "ecosystems",
    "members",
    "countries",
    "people_trained",
    "people_trained_cumulative",
    *OUTCOME_COLUMNS,
)
MEMBER_COLUMNS = (
    "organisation",
    "org_type",
    "country",
    "nuts_code",
    "size_class",
    "role",
    "joined_on",
    "left_on",
    "active",
    "reported_in_year",
    "last_reported_year",
    "listed",
)
MISSING_COLUMNS = (
    "organisation",
    "org_type",
    "country",
    "role",
    "joined_on",
    "last_reported_year",
    "listed",
)
ROLE_TEXT = {
    Role.PUBLIC: "Public view",
    Role.OFFICER: "Commission officer",
    Role.ADMIN: "Administrator",
    Role.COORDINATOR: "Partnership coordinator",
}


@dataclass(frozen=True)
class Report:
    """A briefing report: what it is, who it was made for and from which data, and its
    headline tiles, charts and tables."""

    kind: Literal["pact", "partnership"]
    title: str
    audience: str
    filters: tuple[tuple[str, str], ...]
    link: str
    state: DatasetState
    generated_at: datetime
    rules: DisclosureRules
    headlines: tuple[Tile, ...]
    charts: tuple[Chart, ...]
    tables: tuple[Table, ...]
    about: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    file_stem: str = "report"

    @property
    def has_suppressed(self) -> bool:
        """Whether the report holds public figures of what members reported (perturbed, some
        withheld): then it carries the legend that says so."""
        frames = [c.data for c in self.charts] + [t.data for t in self.tables]
        return any(h.suppressed for h in self.headlines) or any(map(is_protected, frames))

    def source_caption(self) -> str:
        """The as-of and source line, as under every chart of the dashboard."""
        state = self.state
        changed = f" · last changed {state.last_changed}" if state.last_changed else ""
        return (
            f"Data as of {state.as_of or 'unknown'} · Source: {state.source_label}{changed}"
            f" · data version {state.version}"
        )

    def metadata(self) -> list[tuple[str, str | int]]:
        """What the report says about itself, as label and value pairs."""
        state = self.state
        return [
            ("Report", self.title),
            ("Made for", self.audience),
            *self.filters,
            ("Same view in the dashboard", self.link),
            ("Source", state.source_label),
            ("Data as of", state.as_of or "unknown"),
            ("Data last changed", state.last_changed or "unknown"),
            ("Data version", state.version),
            ("Generated", self.generated_utc().strftime("%Y-%m-%d %H:%M UTC")),
        ]

    def legend(self) -> str:
        """The sentence saying that reported figures are perturbed and why some are withheld."""
        return legend(self.rules)

    def generated_utc(self) -> datetime:
        """When the report was made, in UTC without a time zone (as spreadsheets keep it)."""
        when = self.generated_at
        return (when.astimezone(UTC) if when.tzinfo else when).replace(tzinfo=None)


def pact_file_stem(filters: Filters) -> str:
    """The file name (without extension) of a Pact-wide report."""
    return f"pact-report-{filters.year_from}-{filters.year_to}"


def partnership_file_stem(partnership: str, filters: Filters) -> str:
    """The file name (without extension) of a partnership report."""
    return f"partnership-report-{partnership}-{filters.year_to}"


def describe_filters(filters: Filters, options: FilterOptions) -> tuple[tuple[str, str], ...]:
    """The global filters in words: each selection by its labels, "All" when empty."""

    def names(selected: tuple[str, ...], pairs: tuple[tuple[str, str], ...]) -> str:
        labels = dict(pairs)
        return ", ".join(labels.get(key, key) for key in selected) if selected else "All"

    return (
        ("Reporting period", period_label(filters.year_from, filters.year_to)),
        ("Ecosystems", names(filters.ecosystems, options.ecosystems)),
        ("Partnerships", names(filters.partnerships, options.partnerships)),
        ("Countries", names(filters.countries, options.countries)),
        ("Organisation types", names(filters.org_types, options.org_types)),
        ("Skill areas", names(filters.skill_areas, options.skill_areas) + " (outcomes only)"),
    )


def audience(caller: Caller, filters: Filters, partnership_names: dict[str, str]) -> str:
    """Who the report was made for, and whether its figures are exact or protected."""
    role = ROLE_TEXT[caller.role]
    if caller.role is Role.COORDINATOR:
        own = sorted(partnership_names.get(s, s) for s in caller.partnerships)
        role = f"Coordinator of {', '.join(own)}"
    exact = caller.unsuppressed_for(filters)
    return f"{role}: " + (
        "exact figures"
        if exact
        else "reported figures perturbed, cells of few organisations withheld"
    )


def _link(path: str, filters: Filters, options: FilterOptions, **extra: str) -> str:
    params = {**extra, **to_query_params(filters, options)}
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return path + (f"?{query}" if query else "")


# --------------------------------------------------------------------- the Pact-wide report


def pact_report(
    *,
    indicators: pd.DataFrame,
    filters: Filters,
    options: FilterOptions,
    caller: Caller,
    state: DatasetState,
    generated_at: datetime,
) -> Report:
    """The Overview of the filtered view as a report, from its pact_indicators_by_year frame
    (fetched for `caller`, so protected exactly as the page's): its tiles, with the share of
    trainees with no gender recorded, its two charts and the indicators by year."""
    members, people = trend_charts(indicators, filters)
    table = Table(
        key="indicators",
        sheet="Indicators by year",
        title="Pact indicators by year",
        data=present_columns(in_period(indicators, filters), *INDICATOR_COLUMNS),
        note="Partnerships, ecosystems, members and countries on 31 December; outcomes as "
        "reported for each year. Shares of women among trainees whose gender was recorded.",
    )
    tiles = (
        (*headline_tiles(indicators, filters), not_recorded_tile(indicators))
        if not indicators.empty
        else ()
    )
    return Report(
        kind="pact",
        title="Pact for Skills at a glance: briefing report",
        audience=audience(caller, filters, dict(options.partnerships)),
        filters=describe_filters(filters, options),
        link=_link("/", filters, options),
        state=state,
        generated_at=generated_at,
        rules=caller.rules,
        headlines=tiles,
        charts=(
            replace(members, key="members", sheet="Members by year"),
            replace(people, key="people", sheet="People by year"),
        ),
        tables=(table,),
        file_stem=pact_file_stem(filters),
    )


# --------------------------------------------------------------------- the partnership report


def partnership_about(info: pd.Series) -> tuple[tuple[str, str], ...]:
    """The partnership's public facts: name, kind, ecosystem, launch and pledge."""
    launched = info["launch_date"]
    return (
        ("Partnership", str(info["name"])),
        ("Short name", str(info["short_name"])),
        ("Kind", str(info["kind"]).capitalize()),
        ("Ecosystem", str(info["ecosystem"])),
        ("Launched", launched.isoformat() if isinstance(launched, date) else str(launched)),
        ("Pledge", str(info["pledge_text"] or "none published")),
        ("Website", str(info["website"] or "")),
    )


def partnership_tables(
    name: str,
    *,
    outcomes: pd.DataFrame,
    skills: pd.DataFrame,
    members: pd.DataFrame,
    year: int,
) -> tuple[Table, ...]:
    """The partnership report's tables: outcomes by year and by skill area, every member and
    the members that have not reported."""
    return (
        Table(
            key="outcomes",
            sheet="Outcomes by year",
            title=f"Outcomes reported by {name} members, by year",
            data=present_columns(outcomes, "year", "people_trained", *OUTCOME_COLUMNS),
            note="Shares of women among trainees whose gender was recorded.",
        ),
        Table(
            key="skills",
            sheet="Outcomes by skill area",
            title=f"Outcomes reported by {name} members over the period, by skill area",
            data=present_columns(skills, "skill_area", "people_trained", *OUTCOME_COLUMNS),
        ),
        Table(
            key="members_table",
            sheet="Members",
            title=f"All members of {name} ({len(members)})",
            data=present_columns(members, *MEMBER_COLUMNS),
            note=f"Active and reported refer to {year}. Members not listed publicly asked "
            "not to appear in the public member directory.",
        ),
        Table(
            key="missing",
            sheet=f"Not reported {year}",
            title=not_reported_title(members, year),
            data=present_columns(not_reported(members), *MISSING_COLUMNS),
            note=NOT_REPORTED_NOTE,
        ),
    )


def partnership_report(
    *,
    partnership: str,
    info: pd.Series,
    comparison: pd.DataFrame,
    everyone: pd.DataFrame,
    growth: pd.DataFrame,
    outcomes: pd.DataFrame,
    skills: pd.DataFrame,
    members: pd.DataFrame,
    filters: Filters,
    options: FilterOptions,
    caller: Caller,
    state: DatasetState,
    generated_at: datetime,
) -> Report:
    """One partnership's Profile as a report, from the frames the page shows (fetched for
    `caller`). Member-level content: AccessDenied unless the caller may see its members."""
    caller.require_members_of(partnership)
    name = str(info["short_name"])
    scoped = filters.only_partnership(partnership)
    year = filters.year_to or 0
    view = profile(
        info,
        partnership=partnership,
        comparison=comparison,
        everyone=everyone,
        growth=growth,
        outcomes=outcomes,
        filters=filters,
    )
    return Report(
        kind="partnership",
        title=f"{name}: partnership briefing report",
        audience=audience(caller, scoped, dict(options.partnerships)),
        filters=describe_filters(scoped, options),
        link=_link("/profile", filters, options, p=partnership),
        state=state,
        generated_at=generated_at,
        rules=caller.rules,
        headlines=view.every_tile,
        charts=(
            replace(view.members, key="members", sheet="Members over time"),
            replace(view.pledge, key="pledge", sheet="People and pledge"),
            replace(
                view.peers,
                key="peers",
                sheet="Peers",
                note="Medians over the partnerships' published values.",
            ),
        ),
        tables=partnership_tables(
            name, outcomes=outcomes, skills=skills, members=members, year=year
        ),
        about=partnership_about(info),
        notes=(
            "Figures of other partnerships enter only as medians, taken over the values "
            "published for this view.",
        ),
        file_stem=partnership_file_stem(partnership, filters),
    )
