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
from i18n import N_, _
from i18n.numbers import number
from views import format as fmt
from views.frames import is_protected, name_of, present_columns, with_names
from views.models import Chart, Table, Tile
from views.notes import DEMO_NOTICE, legend
from views.overview import headline_tiles, in_period, not_recorded_tile, trend_charts
from views.profile import NOT_REPORTED_NOTE, not_reported, not_reported_title, profile
from views.url_state import to_query_params

REPORT_DEMO_NOTICE = N_(
    "Demo data: these figures are synthetic, generated to resemble the public Pact for Skills "
    "figures. They are not real reports of any organisation."
)
assert REPORT_DEMO_NOTICE.endswith(DEMO_NOTICE[1:])
EMPTY_TEXT = N_("Nothing matches the current filters.")
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
    Role.PUBLIC: N_("Public view"),
    Role.OFFICER: N_("Commission officer"),
    Role.ADMIN: N_("Administrator"),
    Role.COORDINATOR: N_("Partnership coordinator"),
}


def report_demo_notice() -> str:
    """REPORT_DEMO_NOTICE in the reader's language."""
    return _(REPORT_DEMO_NOTICE)


def empty_text() -> str:
    """EMPTY_TEXT in the reader's language."""
    return _(EMPTY_TEXT)


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
        as_of = state.as_of or _("unknown")
        if state.last_changed:
            return _(
                "Data as of {as_of} · Source: {source} · last changed {changed} · data "
                "version {version}"
            ).format(
                as_of=as_of,
                source=state.source_label,
                changed=state.last_changed,
                version=state.version,
            )
        return _("Data as of {as_of} · Source: {source} · data version {version}").format(
            as_of=as_of, source=state.source_label, version=state.version
        )

    def metadata(self) -> list[tuple[str, str | int]]:
        """What the report says about itself, as label and value pairs."""
        state = self.state
        return [
            (_("Report"), self.title),
            (_("Made for"), self.audience),
            *self.filters,
            (_("Same view in the dashboard"), self.link),
            (_("Source"), state.source_label),
            (_("Data as of"), state.as_of or _("unknown")),
            (_("Data last changed"), state.last_changed or _("unknown")),
            (_("Data version"), state.version),
            (_("Generated"), fmt.timestamp(self.generated_utc())),
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
        return ", ".join(labels.get(key, key) for key in selected) if selected else _("All")

    def named(selected: tuple[str, ...], pairs: tuple[tuple[str, str], ...], kind: str) -> str:
        return names(selected, tuple((key, str(name_of(kind, label))) for key, label in pairs))

    return (
        (_("Reporting period"), period_label(filters.year_from, filters.year_to)),
        (_("Ecosystems"), named(filters.ecosystems, options.ecosystems, "ecosystem")),
        (_("Partnerships"), names(filters.partnerships, options.partnerships)),
        (_("Countries"), named(filters.countries, options.countries, "country")),
        (_("Organisation types"), named(filters.org_types, options.org_types, "org_type")),
        (
            _("Skill areas"),
            _("{skill_areas} (outcomes only)").format(
                skill_areas=named(filters.skill_areas, options.skill_areas, "skill_area")
            ),
        ),
    )


def audience(caller: Caller, filters: Filters, partnership_names: dict[str, str]) -> str:
    """Who the report was made for, and whether its figures are exact or protected."""
    role = _(ROLE_TEXT[caller.role])
    if caller.role is Role.COORDINATOR:
        own = sorted(partnership_names.get(s, s) for s in caller.partnerships)
        role = _("Coordinator of {partnerships}").format(partnerships=", ".join(own))
    if caller.unsuppressed_for(filters):
        return _("{role}: exact figures").format(role=role)
    return _("{role}: reported figures perturbed, cells of few organisations withheld").format(
        role=role
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
        sheet=_("Indicators by year"),
        title=_("Pact indicators by year"),
        data=present_columns(in_period(indicators, filters), *INDICATOR_COLUMNS),
        note=_(
            "Partnerships, ecosystems, members and countries on 31 December; outcomes as "
            "reported for each year. Shares of women among trainees whose gender was recorded."
        ),
    )
    tiles = (
        (*headline_tiles(indicators, filters), not_recorded_tile(indicators))
        if not indicators.empty
        else ()
    )
    return Report(
        kind="pact",
        title=_("Pact for Skills at a glance: briefing report"),
        audience=audience(caller, filters, dict(options.partnerships)),
        filters=describe_filters(filters, options),
        link=_link("/", filters, options),
        state=state,
        generated_at=generated_at,
        rules=caller.rules,
        headlines=tiles,
        charts=(
            replace(members, key="members", sheet=_("Members by year")),
            replace(people, key="people", sheet=_("People by year")),
        ),
        tables=(table,),
        file_stem=pact_file_stem(filters),
    )


# --------------------------------------------------------------------- the partnership report


def partnership_about(info: pd.Series) -> tuple[tuple[str, str], ...]:
    """The partnership's public facts: name, kind, ecosystem, launch and pledge."""
    launched = info["launch_date"]
    return (
        (_("Partnership"), str(info["name"])),
        (_("Short name"), str(info["short_name"])),
        (_("Kind"), str(name_of("kind", str(info["kind"]))).capitalize()),
        (_("Ecosystem"), str(name_of("ecosystem", str(info["ecosystem"])))),
        (_("Launched"), fmt.report_date(launched) if isinstance(launched, date) else str(launched)),
        # the pledge is the partnership's own words, as published
        (_("Pledge"), str(info["pledge_text"] or _("none published"))),
        (_("Website"), str(info["website"] or "")),
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
            sheet=_("Outcomes by year"),
            title=_("Outcomes reported by {name} members, by year").format(name=name),
            data=present_columns(outcomes, "year", "people_trained", *OUTCOME_COLUMNS),
            note=_("Shares of women among trainees whose gender was recorded."),
        ),
        Table(
            key="skills",
            sheet=_("Outcomes by skill area"),
            title=_("Outcomes reported by {name} members over the period, by skill area").format(
                name=name
            ),
            data=with_names(
                present_columns(skills, "skill_area", "people_trained", *OUTCOME_COLUMNS)
            ),
        ),
        Table(
            key="members_table",
            sheet=_("Members"),
            title=_("All members of {name} ({count})").format(
                name=name, count=number(len(members))
            ),
            data=with_names(present_columns(members, *MEMBER_COLUMNS), role="role"),
            note=_(
                "Active and reported refer to {year}. Members not listed publicly asked not to "
                "appear in the public member directory."
            ).format(year=year),
        ),
        Table(
            key="missing",
            sheet=_("Not reported {year}").format(year=year),
            title=not_reported_title(members, year),
            data=with_names(present_columns(not_reported(members), *MISSING_COLUMNS), role="role"),
            note=_(NOT_REPORTED_NOTE),
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
        title=_("{name}: partnership briefing report").format(name=name),
        audience=audience(caller, scoped, dict(options.partnerships)),
        filters=describe_filters(scoped, options),
        link=_link("/profile", filters, options, p=partnership),
        state=state,
        generated_at=generated_at,
        rules=caller.rules,
        headlines=view.every_tile,
        charts=(
            replace(view.members, key="members", sheet=_("Members over time")),
            replace(view.pledge, key="pledge", sheet=_("People and pledge")),
            replace(
                view.peers,
                key="peers",
                sheet=_("Peers"),
                note=_("Medians over the partnerships' published values."),
            ),
        ),
        tables=partnership_tables(
            name, outcomes=outcomes, skills=skills, members=members, year=year
        ),
        about=partnership_about(info),
        notes=(
            _(
                "Figures of other partnerships enter only as medians, taken over the values "
                "published for this view."
            ),
        ),
        file_stem=partnership_file_stem(partnership, filters),
    )
