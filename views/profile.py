"""The Partnership profile: one partnership's tiles, its members, pledge and peer charts, and
the lists of its members and of those that have not reported.

The same tiles and charts make the partnership briefing report (views.report) and the
presenter's spotlight slide (presenter/).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access import Filters, peer_table
from data_access.directory import NOT_LISTED, listing_marks
from figures.partnership import (
    PEERS_TITLE,
    PROFILE_MEMBERS_TITLE,
    PROFILE_PLEDGE_TITLE,
    build_peer_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from figures.summaries import peers_summary, pledge_trend_summary, trend_summary
from i18n import N_, _, ngettext
from i18n.numbers import number
from views import format as fmt
from views.frames import present_columns, with_names
from views.labels import FLAG_COLUMN
from views.models import Chart, Notice, Sectioned, Table, Tile, Unit

TITLE = N_("Partnership profile")
MEMBERS_HEADER = N_("Members")
MEMBERS_RESTRICTED = Notice(
    N_(
        "Member-level detail is available to the partnership's coordinators and to "
        "Commission officers."
    ),
    icon=":material/lock:",
)
# The page's four tiles, of the partnership's tiles (the report gives them all).
PAGE_TILES = ("members", "people_trained_last_year", "women_share_recorded", "pledge_progress")
OWN = "this_partnership"  # the peer table's column of the partnership's own values
NOT_REPORTED_NOTE = N_("Active members on 31 December without an outcome report for the year.")
NOT_REPORTED_COLUMNS = (
    "organisation",
    "listing",
    "org_type",
    "country",
    "role",
    "joined_on",
    "last_reported_year",
)


# The page's charts, one tab each (ui/sections.py).
SECTIONS = {"members": N_("Members"), "pledge": N_("Pledge"), "peers": N_("Peers")}


@dataclass(frozen=True)
class Profile(Sectioned):
    """What the profile says of a partnership: its tiles and three charts."""

    every_tile: tuple[Tile, ...]  # the report gives them all, the page four
    members: Chart
    pledge: Chart
    peers: Chart

    @property
    def tiles(self) -> tuple[Tile, ...]:
        """The page's four tiles."""
        return tuple(t for t in self.every_tile if t.key in PAGE_TILES)


@dataclass(frozen=True)
class MemberLists:
    """The members that have not reported for the period's last year, and every member."""

    missing: Table
    everyone: Table


def partnership_tiles(comparison: pd.DataFrame, *, year: int, first: int) -> tuple[Tile, ...]:
    """Every tile of a partnership, from its partnership_comparison row (none without one):
    members, people up/re-skilled, women, pledge and targets."""
    if comparison.empty:
        return ()
    row = comparison.iloc[0]
    hidden = bool(row.get(FLAG_COLUMN, False))

    def tile(
        column: str,
        label: str,
        unit: Unit = "count",
        *,
        change: float | None = None,
        change_label: str = "",
        help: str | None = None,
        digits: int = 1,
    ) -> Tile:
        raw = fmt.number_or_none(row[column])
        return Tile(
            key=column,
            label=label,
            raw=raw,
            unit=unit,
            change=change,
            change_label=change_label,
            help=help,
            suppressed=hidden and raw is None,
            digits=digits,
        )

    return (
        tile(
            "members",
            _("Members, end {year}").format(year=year),
            change=fmt.number_or_none(row["member_growth"]),
            change_label=fmt.on_year(year - 1),
        ),
        tile(
            "people_trained_last_year",
            _("People up/re-skilled in {year}").format(year=year),
            "people",
        ),
        tile(
            "people_trained",
            _("People up/re-skilled, {first}–{last}").format(first=first, last=year),
            "people",
        ),
        tile(
            "women_share_recorded",
            _("Women among trainees"),
            "share",
            help=_("Among trainees whose gender was recorded, over the period."),
        ),
        tile("not_recorded_share", _("Trainees with no gender recorded"), "share"),
        tile(
            "pledge_progress",
            _("Pledge progress, {year}").format(year=year),
            "share",
            digits=0,
            help=_(
                "People up/re-skilled in the year divided by the annual pledge; '{missing}' "
                "when the partnership has no numeric pledge."
            ).format(missing=fmt.MISSING),
        ),
        tile("annual_pledge", _("Annual pledge (people a year)"), "people"),
        tile("target_women_share", _("Own target for the share of women"), "share"),
    )


def profile(
    info: pd.Series,
    *,
    partnership: str,
    comparison: pd.DataFrame,
    everyone: pd.DataFrame,
    growth: pd.DataFrame,
    outcomes: pd.DataFrame,
    filters: Filters,
) -> Profile:
    """The profile of one partnership under the filters: its tiles, members over time, people
    up/re-skilled against the pledge and the peer comparison.

    info is its partnerships_table row, comparison its own partnership_comparison row,
    everyone the partnership_comparison of every partnership; growth is members_over_time,
    outcomes outcome_totals by year, both of the partnership.
    """
    year = filters.year_to or 0
    name = str(info["short_name"])
    growth = present_columns(growth, "period", "members", "new_members")
    end_members = fmt.compact(growth["members"].iloc[-1]) if not growth.empty else "0"
    pledge = float(info["annual_pledge"]) if pd.notna(info["annual_pledge"]) else None
    by_year = present_columns(outcomes, "year", "people_trained").assign(annual_pledge=pledge)
    peers = peer_table(everyone, partnership=partnership).rename(columns={"partnership": OWN})
    peers["label"] = [_(label) for label in peers["label"]]  # the measures, in the language
    return Profile(
        every_tile=partnership_tiles(comparison, year=year, first=filters.year_from or year),
        members=Chart(
            key="profile_members",
            title=_(PROFILE_MEMBERS_TITLE),
            builder=build_profile_members_figure,
            data=growth,
            summary=trend_summary(growth, x="period", y="members", noun=_("member organisations")),
            alt=_("{name} had {count} members at the end of {year}.").format(
                name=name, count=end_members, year=year
            ),
        ),
        pledge=Chart(
            key="profile_pledge",
            title=_(PROFILE_PLEDGE_TITLE),
            builder=build_profile_pledge_figure,
            data=by_year,
            options={"annual_pledge": pledge},
            summary=pledge_trend_summary(by_year),
            alt=_("People up/re-skilled each year by {name} members.").format(name=name),
        ),
        peers=Chart(
            key="profile_peers",
            title=_(PEERS_TITLE),
            builder=build_peer_figure,
            data=peers,
            options={"partnership": name, "own": OWN},
            summary=peers_summary(peers, partnership=name, own=OWN),
            alt=_(
                "{name} against the medians of its ecosystem's partnerships and of the Pact."
            ).format(name=name),
        ),
    )


def not_reported(members: pd.DataFrame) -> pd.DataFrame:
    """The members active at the period's end without an outcome report for its last year
    (members: partnership_members)."""
    return members[members["active"] & ~members["reported_in_year"]]


def not_reported_title(members: pd.DataFrame, year: int) -> str:
    """How many of the active members have not reported for the year."""
    active = int(members["active"].sum())
    return ngettext(
        "Not reported for {year}: {count} of {active} member",
        "Not reported for {year}: {count} of {active} members",
        active,
    ).format(year=year, count=number(len(not_reported(members))), active=number(active))


def member_lists(members: pd.DataFrame, *, year: int) -> MemberLists:
    """The profile's two member lists, each member marked when it is not listed publicly."""
    marked = with_names(members, role="role").copy()
    marks = listing_marks(members).map(lambda mark: _(mark) if mark else mark)
    marked.insert(1, "listing", marks)
    return MemberLists(
        missing=Table(
            key="profile_missing",
            title=not_reported_title(members, year),
            data=not_reported(marked)[list(NOT_REPORTED_COLUMNS)],
            note=_(
                "{note} Members marked “{mark}” asked not to appear in the public member directory."
            ).format(note=_(NOT_REPORTED_NOTE), mark=_(NOT_LISTED)),
        ),
        everyone=Table(
            key="profile_members_table",
            title=_("All members ({count})").format(count=number(len(members))),
            data=marked,
        ),
    )
