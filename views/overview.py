"""The Overview: the Pact's headline tiles and its two trends, from pact_indicators_by_year.

The same tiles and charts make the Pact-wide briefing report (exports/) and the presenter's
headline slide (presenter/).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access import Filters
from figures.overview import (
    MEMBERS_TITLE,
    PEOPLE_TITLE,
    build_pact_members_figure,
    build_people_trained_figure,
)
from figures.summaries import people_trained_summary, trend_summary
from i18n import N_, _
from i18n.numbers import plain_integer
from views import format as fmt
from views.frames import with_flags
from views.models import Chart, Tile

TITLE = N_("Pact for Skills at a glance")
COUNTED = N_("Counted on 31 December among partnerships and members in the filters.")
# Translators: a headline tile's label, e.g. "Partnerships, end 2024".
COUNTS = (
    ("partnerships", N_("Partnerships, end {year}")),
    ("ecosystems", N_("Ecosystems covered, end {year}")),
    ("members", N_("Member organisations, end {year}")),
    ("countries", N_("Countries, end {year}")),
)


@dataclass(frozen=True)
class Overview:
    """What the Overview says: six headline tiles and two charts."""

    tiles: tuple[Tile, ...]
    members: Chart
    people: Chart


def _change(now: object, before: object) -> float | None:
    if fmt.is_missing(now) or fmt.is_missing(before):
        return None
    return float(now) - float(before)  # type: ignore[arg-type]


def _last_year(indicators: pd.DataFrame) -> tuple[int, pd.Series]:
    """The period's last year and its row."""
    year = int(indicators["year"].max())
    return year, indicators[indicators["year"] == year].iloc[0]


def headline_tiles(indicators: pd.DataFrame, filters: Filters) -> tuple[Tile, ...]:
    """The six headline tiles: counts at the period's end, people up/re-skilled over the
    period and the share of women in its last year, each with its change."""
    year_to, now = _last_year(indicators)
    before = indicators[indicators["year"] == year_to - 1]
    prev = before.iloc[0] if not before.empty else None
    first = filters.year_from if filters.year_from is not None else int(indicators["year"].min())
    tiles = [
        Tile(
            key=column,
            label=_(label).format(year=plain_integer(year_to)),
            raw=fmt.number_or_none(now[column]),
            change=None if prev is None else _change(now[column], prev[column]),
            change_label=fmt.on_year(year_to - 1),
            help=_(COUNTED),
            suppressed=fmt.is_missing(now[column]),
        )
        for column, label in COUNTS
    ]
    share = now["women_share_recorded"]
    tiles += [
        Tile(
            key="people_trained",
            label=_("People up/re-skilled, {first}–{last}").format(
                first=plain_integer(first), last=plain_integer(year_to)
            ),
            raw=fmt.number_or_none(now["people_trained_cumulative"]),
            unit="people",
            change=fmt.number_or_none(now["people_trained"]),
            change_label=fmt.in_year(year_to),
            help=_("Sum of all outcome reports in the period; the change is the last year's."),
            suppressed=fmt.is_missing(now["people_trained_cumulative"]),
        ),
        Tile(
            key="women_share",
            label=_("Women among trainees, {year}").format(year=plain_integer(year_to)),
            raw=fmt.number_or_none(share),
            unit="share",
            change=None if prev is None else _change(share, prev["women_share_recorded"]),
            change_label=fmt.on_year(year_to - 1),
            help=_(
                "Share among trainees whose gender is recorded; {share} of trainees in {year} "
                "had no gender recorded and are left out of this share."
            ).format(share=fmt.share(now["not_recorded_share"]), year=plain_integer(year_to)),
            # hidden when the women or the recorded trainees it divides are
            suppressed=fmt.is_missing(share)
            and (fmt.is_missing(now["women"]) or fmt.is_missing(now["recorded"])),
            # a share of women going up or down is neither good nor bad news in itself
            neutral=True,
        ),
    ]
    return tuple(tiles)


def not_recorded_tile(indicators: pd.DataFrame) -> Tile:
    """The share of trainees with no gender recorded in the period's last year (the reports
    give it beside the headline tiles)."""
    year_to, now = _last_year(indicators)
    share = now["not_recorded_share"]
    return Tile(
        key="not_recorded_share",
        label=_("Trainees with no gender recorded, {year}").format(year=plain_integer(year_to)),
        raw=fmt.number_or_none(share),
        unit="share",
        help=_("Left out of the share of women."),
        suppressed=fmt.is_missing(share)
        and (fmt.is_missing(now["not_recorded"]) or fmt.is_missing(now["people_trained"])),
    )


def in_period(indicators: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """The rows of the filters' years (the frame starts earlier, for the changes)."""
    return indicators[indicators["year"] >= (filters.year_from or 0)]


def trend_charts(indicators: pd.DataFrame, filters: Filters) -> tuple[Chart, Chart]:
    """Member organisations and people up/re-skilled per year of the period."""
    shown = in_period(indicators, filters)
    members = with_flags(shown, "year", "members")
    members = members if members["members"].any() else members.iloc[0:0]
    people = with_flags(shown, "year", "people_trained", "people_trained_cumulative")
    people = people if people["people_trained"].any() else people.iloc[0:0]
    last = people.iloc[-1] if not people.empty else None
    return (
        Chart(
            key="overview_members",
            title=_(MEMBERS_TITLE),
            builder=build_pact_members_figure,
            data=members,
            summary=trend_summary(members, x="year", y="members", noun=_("member organisations")),
            alt=_("Bar chart of member organisations at the end of each year."),
            note=_("members active on 31 December"),
        ),
        Chart(
            key="overview_people",
            title=_(PEOPLE_TITLE),
            builder=build_people_trained_figure,
            data=people,
            summary=people_trained_summary(people),
            alt=(
                _("{count} people up/re-skilled over the period to {year}.").format(
                    count=fmt.compact(last["people_trained_cumulative"]),
                    year=plain_integer(int(last["year"])),
                )
                if last is not None
                else _("No people up/re-skilled for these filters.")
            ),
        ),
    )


def overview(indicators: pd.DataFrame, filters: Filters) -> Overview:
    """The Overview of the filtered Pact."""
    members, people = trend_charts(indicators, filters)
    return Overview(tiles=headline_tiles(indicators, filters), members=members, people=people)
