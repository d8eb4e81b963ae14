"""The aggregate interface: every aggregate query the store answers, as one Protocol, and the
column conventions and derived columns its implementations share.

Two implementations stand behind it: SQL (data_access.sql_aggregates, the database computes)
and the columnar cache (data_access.columnar, numpy over a snapshot of the rows);
data_access.serving picks one per store, once. Aggregates are unscoped: the query functions
of membership.py and outcomes.py apply the caller's scope and disclosure control on top.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlmodel import Session

from data_access.access import Caller
from data_access.filters import Filters
from data_access.models import OUTCOME_MEASURES

Dimension = Literal["year", "ecosystem", "partnership", "skill_area", "country", "org_type"]
Dimensions = Sequence[Dimension]
"""The dimensions an outcome table is grouped by, first dimension first."""
MemberGrouping = Literal["pact", "partnership", "ecosystem", "country", "org_type"]
Days = list[tuple[str, date]]
"""(label, day) pairs: the days a membership count is taken on, oldest first."""

MEASURE_TYPES = {m: ("float64" if m == "investment_eur" else "int64") for m in OUTCOME_MEASURES}
ADDITIVE = tuple(m for m in OUTCOME_MEASURES if m != "reporting_organisations")
"""The measures that add up across rows (a distinct count of organisations does not)."""
CUBE_DIMENSIONS: tuple[Dimension, ...] = ("year", "ecosystem", "partnership", "skill_area")
DIMENSION_NAMES: dict[str, tuple[str, ...]] = {
    "year": ("year",),
    "ecosystem": ("ecosystem", "ecosystem_slug"),
    "partnership": ("partnership", "partnership_slug"),
    "skill_area": ("skill_area", "skill_area_code"),
    "country": ("country", "country_code", "iso3"),
    "org_type": ("org_type", "org_type_code"),
}
"""The columns a dimension gives a table of outcomes: its label, its key (and ISO alpha-3)."""


@dataclass(frozen=True)
class Contributions:
    """The cells of a table (their dimension columns, one value per cell) and the
    contributions behind them: per (cell, organisation), the exact reported values (in
    perturbation.PERTURBED_MEASURES' order) and the organisation's perturbation factors."""

    dimensions: dict[str, Any]
    n_cells: int
    cell: npt.NDArray[np.int64]
    values: npt.NDArray[np.float64]
    factors: npt.NDArray[np.float64]


def with_shares(columns: dict[str, Any]) -> dict[str, Any]:
    """Add recorded (women + men + other gender), women_share_recorded and
    not_recorded_share to measure columns (arrays or Series of one frame); NaN where the
    share has no base."""
    recorded = columns["women"] + columns["men"] + columns["other_gender"]
    people = columns["people_trained"]
    with np.errstate(divide="ignore", invalid="ignore"):
        women_share = np.where(recorded > 0, columns["women"] / recorded, np.nan)
        unknown_share = np.where(people > 0, columns["not_recorded"] / people, np.nan)
    return columns | {
        "recorded": recorded,
        "women_share_recorded": women_share,
        "not_recorded_share": unknown_share,
    }


def add_gender_shares(df: pd.DataFrame) -> pd.DataFrame:
    """A frame of totals with recorded, women_share_recorded and not_recorded_share added."""
    parts = ("people_trained", "women", "men", "other_gender", "not_recorded")
    columns = with_shares({name: df[name] for name in parts})
    shares = ("recorded", "women_share_recorded", "not_recorded_share")
    return df.assign(**{name: columns[name] for name in shares})


class Aggregates(Protocol):
    """Every aggregate of the store, unscoped, with the columns and row order each returns."""

    def reporting_years(self, *, session: Session) -> tuple[int, int]:
        """First and last year the data covers (memberships and outcome reports)."""
        ...

    def outcome_totals(
        self, *, session: Session, filters: Filters, by: Dimensions = (), distinct: bool = True
    ) -> pd.DataFrame:
        """Reported outcomes summed by the given dimensions, rows in order of the dimensions'
        labels: the dimensions' DIMENSION_NAMES columns, the OUTCOME_MEASURES (without
        reporting_organisations, the distinct count of organisations, unless `distinct`),
        then recorded, women_share_recorded, not_recorded_share."""
        ...

    def outcome_contributions(
        self, *, session: Session, filters: Filters, by: Dimensions
    ) -> Contributions:
        """Reported values per (cell of `by`, organisation), the cells in the row order of
        outcome_totals: what public views are computed from (see perturbation.publish).
        Published figures are approved or final: rows under review in a reporting round
        (data_access.round_locks) are left out."""
        ...

    def active_members_at(
        self, *, session: Session, filters: Filters, days: Days, by: MemberGrouping
    ) -> pd.DataFrame:
        """Distinct member organisations active on each day, per group: period, group,
        members (a row per period and group with members)."""
        ...

    def new_members_in(
        self, *, session: Session, filters: Filters, days: Days, by: MemberGrouping
    ) -> pd.DataFrame:
        """Organisations whose first join within the group falls in each period (from the
        day after periods.period_starts gives to the period's day): period, group,
        new_members."""
        ...

    def active_counts_at(self, *, session: Session, filters: Filters, days: Days) -> pd.DataFrame:
        """Per day: partnerships, ecosystems, member organisations and countries with an
        active membership in scope. Columns: period, partnerships, ecosystems, members,
        countries; days with no active membership are left out."""
        ...

    def partnership_members(
        self, *, session: Session, filters: Filters, partnership: str, year_to: int
    ) -> pd.DataFrame:
        """Every membership of one partnership begun by the end of year_to, by role then
        organisation name. Columns: organisation, org_type, country_code, country,
        nuts_code, size_class, role, joined_on, left_on, active (at the end of year_to),
        last_reported_year (up to year_to), reported_in_year (in year_to)."""
        ...

    def partnerships_table(self, *, session: Session, caller: Caller) -> pd.DataFrame:
        """options.partnerships_table: every partnership with its ecosystem and pledge (public
        facts; a shared frame that callers filter, never change)."""
        ...
