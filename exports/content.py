"""The briefing reports as plain data: what a report says about itself (filters, audience,
source, data version), its headline figures, its charts with exactly the frames they plot, and
its tables.

Pure: frames in, a Report out, no Streamlit and no SQL. exports.gather fetches the frames
through data_access for one caller; exports.workbook and exports.html_report write a Report.
The frames are shaped here exactly as pages/overview.py and pages/profile.py shape them for
their charts, so a report holds the numbers the page shows.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import pandas as pd

from data_access import (
    Caller,
    DatasetState,
    DisclosureRules,
    FilterOptions,
    Filters,
    Role,
    peer_table,
)
from data_access.disclosure import legend
from figures.layout import FigureBuilder, period_label
from figures.overview import build_pact_members_figure, build_people_trained_figure
from figures.partnership import (
    build_peer_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from figures.summaries import (
    peers_summary,
    people_trained_summary,
    pledge_trend_summary,
    trend_summary,
)
from views.url_state import to_query_params

Unit = Literal["count", "people", "share", "eur"]
Kind = Literal["count", "share", "eur", "year", "date", "bool", "text"]

DEMO_NOTICE = (
    "Demo data: these figures are synthetic, generated to resemble the public Pact for Skills "
    "figures. They are not real reports of any organisation."
)
SUPPRESSED = "suppressed"
EMPTY_TEXT = "Nothing matches the current filters."
FLAG_COLUMN = "suppressed"

# Column headers, in the words of the pages' charts and tables.
COLUMN_LABELS = {
    "year": "Year",
    "period": "Period",
    "members": "Member organisations",
    "new_members": "New member organisations",
    "partnerships": "Partnerships",
    "ecosystems": "Ecosystems",
    "countries": "Countries",
    "people_trained": "People up/re-skilled",
    "people_trained_cumulative": "People up/re-skilled, cumulated",
    "women": "Women",
    "men": "Men",
    "other_gender": "Another gender",
    "not_recorded": "Gender not recorded",
    "women_share_recorded": "Women (% of recorded)",
    "not_recorded_share": "Gender not recorded (%)",
    "programmes": "Training programmes",
    "investment_eur": "Investment (EUR)",
    "people_reached": "People reached by promotion",
    "reporting_organisations": "Organisations reporting",
    "skill_area": "Skill area",
    "annual_pledge": "Annual pledge (people)",
    "metric": "Measure (code)",
    "label": "Measure",
    "unit": "Unit",
    "partnership": "This partnership",
    "ecosystem_median": "Ecosystem median",
    "pact_median": "Pact median",
    "organisation": "Organisation",
    "org_type": "Organisation type",
    "country": "Country",
    "nuts_code": "NUTS region",
    "size_class": "Size",
    "role": "Role",
    "joined_on": "Joined",
    "left_on": "Left",
    "active": "Active at period end",
    "reported_in_year": "Reported for the last year",
    "last_reported_year": "Last report",
    "listed": "Listed publicly",
    FLAG_COLUMN: "Suppressed values in row",
}
SHARE_COLUMNS = frozenset({"women_share_recorded", "not_recorded_share", "target_women_share"})
YEAR_COLUMNS = frozenset({"year", "period", "last_reported_year"})
OUTCOME_COLUMNS = (
    "people_trained",
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
    *OUTCOME_COLUMNS[1:],
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
class Headline:
    """One headline figure (a page's KPI tile): its value, None when hidden or undefined,
    and its change on the year before."""

    label: str
    value: float | None
    unit: Unit = "count"
    change: float | None = None
    change_label: str = ""
    suppressed: bool = False
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart of the report: its Plotly JSON and exactly the frame it plots."""

    key: str
    sheet: str
    title: str
    spec: str
    data: pd.DataFrame
    summary: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    """A table of the report (outcomes, members), with a sentence on what it holds."""

    key: str
    sheet: str
    title: str
    data: pd.DataFrame
    note: str = ""


@dataclass(frozen=True)
class Report:
    """A briefing report: what it is, who it was made for and from which data, and its
    headline figures, charts and tables."""

    kind: Literal["pact", "partnership"]
    title: str
    audience: str
    filters: tuple[tuple[str, str], ...]
    link: str
    state: DatasetState
    generated_at: datetime
    rules: DisclosureRules
    headlines: tuple[Headline, ...]
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


def flagged(frame: pd.DataFrame) -> pd.Series:
    """Rows whose values disclosure control hid (the `suppressed` column data_access sets)."""
    if FLAG_COLUMN not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[FLAG_COLUMN].fillna(False).astype(bool)


def is_protected(frame: pd.DataFrame) -> bool:
    """Whether the frame holds public figures of what members reported (its rows carry the
    `suppressed` flag of data_access.perturbation)."""
    return SUPPRESSED in frame.columns


def is_missing(value: Any) -> bool:
    """None, NaN, NaT and pd.NA: an empty cell (hidden, or not applicable)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


def column_label(column: str) -> str:
    """The header of a column."""
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def value_kind(column: str, value: Any, unit: str | None = None) -> Kind:
    """How a cell is written: a share, euros, a year, a date, a yes/no, a count or text.
    `unit` is the row's unit in tables of mixed measures (the peer comparison)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, date):
        return "date"
    if isinstance(value, str):
        return "text"
    if column in SHARE_COLUMNS or (unit == "%" and column != "unit"):
        return "share"
    if column == "investment_eur":
        return "eur"
    if column in YEAR_COLUMNS:
        return "year"
    return "count"


def plain(value: Any) -> Any:
    """A cell's value as a plain Python value: None when missing, numbers as int or float."""
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()  # numpy scalars
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, bool | int | float | str | date):
        return value
    return str(value)


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


def _spec(builder: FigureBuilder[Any], data: pd.DataFrame, **options: Any) -> str:
    return builder.spec(data, **options).to_json()


def _with_flags(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The columns, plus the `suppressed` flag when disclosure control set one."""
    flags = [FLAG_COLUMN] if FLAG_COLUMN in frame.columns else []
    return frame[[*columns, *flags]].reset_index(drop=True)


def _present(frame: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    wanted = [c for c in (*columns, FLAG_COLUMN) if c in frame.columns]
    return frame[wanted].reset_index(drop=True)


def _number(value: Any) -> float | None:
    return None if is_missing(value) else float(value)


def _change(now: Any, before: Any) -> float | None:
    if is_missing(now) or is_missing(before):
        return None
    return float(now) - float(before)


# --------------------------------------------------------------------- the Pact-wide report


def pact_headlines(indicators: pd.DataFrame, filters: Filters) -> tuple[Headline, ...]:
    """The Overview's KPI tiles as numbers, from pact_indicators_by_year rows."""
    year_to = int(indicators["year"].max())
    now = indicators[indicators["year"] == year_to].iloc[0]
    before = indicators[indicators["year"] == year_to - 1]
    prev = before.iloc[0] if not before.empty else None
    first = filters.year_from if filters.year_from is not None else int(indicators["year"].min())
    end = f"end {year_to}"
    counted = "Counted on 31 December among partnerships and members in the filters."
    tiles = [
        Headline(
            label=f"{label}, {end}",
            value=_number(now[column]),
            change=None if prev is None else _change(now[column], prev[column]),
            change_label=f"on {year_to - 1}",
            suppressed=is_missing(now[column]),
            note=counted,
        )
        for column, label in (
            ("partnerships", "Partnerships"),
            ("ecosystems", "Ecosystems covered"),
            ("members", "Member organisations"),
            ("countries", "Countries"),
        )
    ]
    tiles.append(
        Headline(
            label=f"People up/re-skilled, {first}–{year_to}",
            value=_number(now["people_trained_cumulative"]),
            unit="people",
            change=_number(now["people_trained"]),
            change_label=f"in {year_to}",
            suppressed=is_missing(now["people_trained_cumulative"]),
            note="Sum of all outcome reports in the period; the change is the last year's.",
        )
    )
    share_hidden = is_missing(now["women"]) or is_missing(now["recorded"])
    share_change = None if prev is None else _change(
        now["women_share_recorded"], prev["women_share_recorded"]
    )  # fmt: skip
    tiles.append(
        Headline(
            label=f"Women among trainees, {year_to}",
            value=_number(now["women_share_recorded"]),
            unit="share",
            change=None if share_change is None else share_change * 100,
            change_label=f"percentage points on {year_to - 1}",
            suppressed=is_missing(now["women_share_recorded"]) and share_hidden,
            note="Share among trainees whose gender is recorded.",
        )
    )
    tiles.append(
        Headline(
            label=f"Trainees with no gender recorded, {year_to}",
            value=_number(now["not_recorded_share"]),
            unit="share",
            suppressed=is_missing(now["not_recorded_share"])
            and (is_missing(now["not_recorded"]) or is_missing(now["people_trained"])),
            note="Left out of the share of women.",
        )
    )
    return tuple(tiles)


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
    (fetched for `caller`, so protected exactly as the page's)."""
    in_period = indicators[indicators["year"] >= (filters.year_from or 0)]
    members = _with_flags(in_period, "year", "members")
    members = members if members["members"].any() else members.iloc[0:0]
    people = _with_flags(in_period, "year", "people_trained", "people_trained_cumulative")
    people = people if people["people_trained"].any() else people.iloc[0:0]
    charts = (
        Chart(
            key="members",
            sheet="Members by year",
            title="Member organisations at the end of each year",
            spec=_spec(build_pact_members_figure, members),
            data=members,
            summary=trend_summary(members, x="year", y="members", noun="member organisations"),
            note="Members active on 31 December.",
        ),
        Chart(
            key="people",
            sheet="People by year",
            title="People up/re-skilled each year and cumulated over the period",
            spec=_spec(build_people_trained_figure, people),
            data=people,
            summary=people_trained_summary(people),
        ),
    )
    table = Table(
        key="indicators",
        sheet="Indicators by year",
        title="Pact indicators by year",
        data=_present(in_period, INDICATOR_COLUMNS),
        note="Partnerships, ecosystems, members and countries on 31 December; outcomes as "
        "reported for each year. Shares of women among trainees whose gender was recorded.",
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
        headlines=pact_headlines(indicators, filters) if not indicators.empty else (),
        charts=charts,
        tables=(table,),
        file_stem=pact_file_stem(filters),
    )


# --------------------------------------------------------------------- the partnership report


def partnership_headlines(comparison: pd.DataFrame, year: int, first: int) -> tuple[Headline, ...]:
    """The Profile's tiles as numbers (and a few more), from its partnership_comparison row."""
    if comparison.empty:
        return ()
    row = comparison.iloc[0]
    hidden = bool(row.get(FLAG_COLUMN, False))

    def tile(label: str, column: str, unit: Unit = "count", **more: Any) -> Headline:
        value = _number(row[column])
        return Headline(
            label=label, value=value, unit=unit, suppressed=hidden and value is None, **more
        )

    return (
        tile(
            f"Members, end {year}",
            "members",
            change=_number(row["member_growth"]),
            change_label=f"on {year - 1}",
        ),
        tile(f"People up/re-skilled in {year}", "people_trained_last_year", "people"),
        tile(f"People up/re-skilled, {first}–{year}", "people_trained", "people"),
        tile(
            "Women among trainees",
            "women_share_recorded",
            "share",
            note="Among trainees whose gender was recorded, over the period.",
        ),
        tile("Trainees with no gender recorded", "not_recorded_share", "share"),
        tile(
            f"Pledge progress, {year}",
            "pledge_progress",
            "share",
            note="People up/re-skilled in the year divided by the annual pledge; empty when "
            "the partnership has no numeric pledge.",
        ),
        tile("Annual pledge (people a year)", "annual_pledge", "people"),
        tile("Own target for the share of women", "target_women_share", "share"),
    )


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
    first = filters.year_from or year
    growth = _present(growth, ("period", "members", "new_members"))
    by_year = _present(outcomes, ("year", "people_trained"))
    pledge = float(info["annual_pledge"]) if pd.notna(info["annual_pledge"]) else None
    pledge_data = by_year.assign(annual_pledge=pledge)
    peers = peer_table(everyone, partnership=partnership)
    charts = (
        Chart(
            key="members",
            sheet="Members over time",
            title="Members at the end of each period and new members in it",
            spec=_spec(build_profile_members_figure, growth),
            data=growth,
            summary=trend_summary(growth, x="period", y="members", noun="member organisations"),
        ),
        Chart(
            key="pledge",
            sheet="People and pledge",
            title="People up/re-skilled each year against the annual pledge",
            spec=_spec(build_profile_pledge_figure, by_year, annual_pledge=pledge),
            data=pledge_data,
            summary=pledge_trend_summary(pledge_data),
        ),
        Chart(
            key="peers",
            sheet="Peers",
            title="Compared with its ecosystem and the Pact (medians of partnerships)",
            spec=_spec(build_peer_figure, peers, partnership=name),
            data=peers,
            summary=peers_summary(peers, partnership=name),
            note="Medians over the partnerships' published values.",
        ),
    )
    missing = members[members["active"] & ~members["reported_in_year"]]
    tables = (
        Table(
            key="outcomes",
            sheet="Outcomes by year",
            title=f"Outcomes reported by {name} members, by year",
            data=_present(outcomes, ("year", *OUTCOME_COLUMNS)),
            note="Shares of women among trainees whose gender was recorded.",
        ),
        Table(
            key="skills",
            sheet="Outcomes by skill area",
            title=f"Outcomes reported by {name} members over the period, by skill area",
            data=_present(skills, ("skill_area", *OUTCOME_COLUMNS)),
        ),
        Table(
            key="members_table",
            sheet="Members",
            title=f"All members of {name} ({len(members)})",
            data=_present(members, MEMBER_COLUMNS),
            note=f"Active and reported refer to {year}. Members not listed publicly asked "
            "not to appear in the public member directory.",
        ),
        Table(
            key="missing",
            sheet=f"Not reported {year}",
            title=f"Not reported for {year}: {len(missing)} of {int(members['active'].sum())} "
            "members",
            data=_present(missing, MISSING_COLUMNS),
            note="Active members on 31 December without an outcome report for the year.",
        ),
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
        headlines=partnership_headlines(comparison, year, first),
        charts=charts,
        tables=tables,
        about=partnership_about(info),
        notes=(
            "Figures of other partnerships enter only as medians, taken over the values "
            "published for this view.",
        ),
        file_stem=partnership_file_stem(partnership, filters),
    )
