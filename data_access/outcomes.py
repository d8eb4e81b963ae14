"""Outcome queries: people up/re-skilled by any dimension, Pact indicators, comparisons, map.

Outcome figures come from the aggregates serving the store (data_access.serving); protected
views are published through data_access.perturbation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from data_access.access import AccessDenied, Caller, DisclosureRules
from data_access.aggregates import (
    ADDITIVE,
    CUBE_DIMENSIONS,
    DIMENSION_NAMES,
    MEASURE_TYPES,
    Dimension,
    add_gender_shares,
    with_shares,
)
from data_access.filters import Filters
from data_access.membership import resolve_years
from data_access.models import OUTCOME_MEASURES
from data_access.perturbation import publish
from data_access.scope import C_TABLE, C
from data_access.serving import aggregates_of
from i18n import N_


def outcome_totals(
    *, session: Session, caller: Caller, filters: Filters, by: Sequence[Dimension] = ()
) -> pd.DataFrame:
    """Reported outcomes summed by the given dimensions, with gender shares.

    Measures: people_trained, women, men, other_gender, not_recorded, programmes,
    investment_eur, people_reached, reporting_organisations (distinct organisations).
    Unless the caller sees this view exactly, the figures are the public ones
    (data_access.perturbation): perturbed per organisation, whole numbers, and NaN in the
    cells that are not shown, which the `suppressed` column marks.
    """
    if caller.unsuppressed_for(filters):
        return aggregates_of(session).outcome_totals(session=session, filters=filters, by=by)
    return public_outcome_totals(session=session, filters=filters, by=by, rules=caller.rules)


def public_outcome_totals(
    *, session: Session, filters: Filters, by: Sequence[Dimension], rules: DisclosureRules
) -> pd.DataFrame:
    """outcome_totals as the public sees it: the one place public outcome figures are made."""
    found = aggregates_of(session).outcome_contributions(session=session, filters=filters, by=by)
    cells = publish(
        cell=found.cell,
        values=found.values,
        organisation_factors=found.factors,
        n_cells=found.n_cells,
        rules=rules,
        pact_wide=set(by) <= {"year"} and filters.pact_wide,
    )
    columns: dict[str, Any] = dict(found.dimensions)
    for measure in OUTCOME_MEASURES:
        if measure == "reporting_organisations":
            columns[measure] = cells.organisations
        else:
            columns[measure] = cells.measures[measure]
    columns = with_shares(columns)
    columns["suppressed"] = cells.withheld
    return pd.DataFrame(columns)


def outcome_cube(*, session: Session, caller: Caller, filters: Filters) -> pd.DataFrame:
    """Outcomes by year, ecosystem, partnership and skill area: a few hundred rows that
    rollup() turns into any coarser view without another query. Distinct counts of
    reporting organisations do not add up across rows, so the cube leaves them out.

    The cube is unprotected detail: only callers who see the view unsuppressed get it.
    """
    if not caller.unsuppressed_for(filters):
        raise AccessDenied("the outcome cube is only available unsuppressed")
    return aggregates_of(session).outcome_totals(
        session=session, filters=filters, by=CUBE_DIMENSIONS, distinct=False
    )


def rollup(cube: pd.DataFrame, by: Sequence[Dimension]) -> pd.DataFrame:
    """Sum an outcome_cube by some of its dimensions and recompute the shares (no SQL)."""
    keys = [name for dim in by for name in DIMENSION_NAMES[dim]]
    measures = _plain_measures(cube)
    if measures is not None:
        fast = _rollup_codes(cube, keys, measures) if keys else _rollup_all(measures)
        if fast is not None:
            return fast
    if keys:
        summed = cube.groupby(keys, sort=True)[list(ADDITIVE)].sum().reset_index()
    else:
        summed = cube[list(ADDITIVE)].sum().to_frame().T
    return add_gender_shares(summed.astype({m: MEASURE_TYPES[m] for m in ADDITIVE}))


def _plain_measures(cube: pd.DataFrame) -> dict[str, Any] | None:
    """The additive measures as numpy arrays when a cube has rows and every measure its
    usual type (the fast paths' condition); None otherwise."""
    if not len(cube):
        return None
    measures = {measure: cube[measure].to_numpy() for measure in ADDITIVE}
    if any(values.dtype != MEASURE_TYPES[m] for m, values in measures.items()):
        return None
    return measures


def _rollup_codes(
    cube: pd.DataFrame, keys: list[str], measures: dict[str, Any]
) -> pd.DataFrame | None:
    """rollup on integer codes: the same frame as a sorted groupby sum on the label and key
    columns, without pandas' multi-column grouping, reset_index and astype round trips.
    None when a key is missing somewhere (groupby would drop those rows)."""
    codes, sizes = [], []
    for key in keys:
        values = cube[key].to_numpy()
        if pd.isna(values).any():
            return None
        uniques, inverse = np.unique(values, return_inverse=True)  # sorted, as groupby sorts
        codes.append(inverse.astype(np.int64).ravel())
        sizes.append(len(uniques))
    combined = np.ravel_multi_index(tuple(codes), tuple(sizes))
    _, first, group = np.unique(combined, return_index=True, return_inverse=True)
    group = group.astype(np.int64).ravel()
    n_groups = len(first)
    columns: dict[str, Any] = {key: cube[key].array.take(first) for key in keys}
    for measure, values in measures.items():
        if MEASURE_TYPES[measure] == "int64":
            total = np.zeros(n_groups, dtype=np.int64)
            np.add.at(total, group, values)
        else:  # pandas' own float sum (compensated): the very same digits
            total = pd.Series(values, copy=False).groupby(group).sum().to_numpy()
        columns[measure] = total
    return pd.DataFrame(with_shares(columns))


def _rollup_all(measures: dict[str, Any]) -> pd.DataFrame | None:
    """rollup by no dimension: one row of column sums (as DataFrame.sum makes them); None
    when an integer sum is too large to pass exactly through a float, as DataFrame.sum does."""
    columns: dict[str, Any] = {}
    for measure, values in measures.items():
        total = values.sum()
        if MEASURE_TYPES[measure] == "int64" and abs(int(total)) > EXACT_IN_FLOAT:
            return None
        columns[measure] = np.array([total], dtype=MEASURE_TYPES[measure])
    return pd.DataFrame(with_shares(columns))


EXACT_IN_FLOAT = 2**53  # DataFrame.sum of mixed columns passes integer sums through floats


def pact_indicators_by_year(*, session: Session, caller: Caller, filters: Filters) -> pd.DataFrame:
    """Headline indicators per year, from the year before the period to its end.

    Columns: year, partnerships, ecosystems, members, countries (at the year's end; a
    partnership or ecosystem counts when it has an active member in scope), then the
    outcome measures of that year and people_trained_cumulative from the period's first year.
    Protected views hide a year's counts when its members are too few, and the cumulative
    total from the first year whose people up/re-skilled are hidden.
    """
    year_from, year_to = resolve_years(session=session, filters=filters)
    years = list(range(year_from - 1, year_to + 1))
    days = [(str(year), date(year, 12, 31)) for year in years]
    counts = aggregates_of(session).active_counts_at(session=session, filters=filters, days=days)
    counts["year"] = counts.pop("period").astype(int)
    members = pd.DataFrame({"year": years}).merge(counts, on="year", how="left").fillna(0)
    members = members.astype(dict.fromkeys(COUNT_COLUMNS, "int64"))
    outcome_filters = filters.with_years(year_from - 1, year_to)
    outcomes = outcome_totals(
        session=session, caller=caller, filters=outcome_filters, by=["year"]
    ).drop(columns=["suppressed"], errors="ignore")
    protected = not caller.unsuppressed_for(filters)
    df = members.merge(outcomes, on="year", how="left")
    present = df["year"].isin(outcomes["year"])
    for measure in OUTCOME_MEASURES:
        df[measure] = df[measure].where(present, 0)
    if not protected:
        df = df.astype(MEASURE_TYPES)
    df = add_gender_shares(df[["year", *COUNT_COLUMNS, *OUTCOME_MEASURES]])
    in_period = df["year"] >= year_from
    # NaN stays NaN in a cumulative sum from the first hidden year on: a running total
    # beside its published years would give a hidden year away.
    yearly = df["people_trained"].where(in_period, 0)
    df["people_trained_cumulative"] = yearly.cumsum(skipna=False)
    if protected:
        df["suppressed"] = df["people_trained"].isna()
    return df


COUNT_COLUMNS = ("partnerships", "ecosystems", "members", "countries")


def partnership_comparison(*, session: Session, caller: Caller, filters: Filters) -> pd.DataFrame:
    """One row per partnership in scope comparing members, growth, outcomes and pledge.

    Columns: slug, short_name, name, kind, ecosystem, launch_date, members, members_prev,
    member_growth, member_growth_pct, people_trained (period), people_trained_last_year,
    women_share_recorded, not_recorded_share, target_women_share, annual_pledge,
    pledge_progress (last year's people trained / annual pledge), last_year, suppressed.
    In protected views a hidden input makes everything derived from it NaN as well.
    """
    year_from, year_to = resolve_years(session=session, filters=filters)
    served = aggregates_of(session)
    base = served.partnerships_table(session=session, caller=caller)
    if filters.ecosystems:
        base = base[base["ecosystem_slug"].isin(filters.ecosystems)]
    if filters.partnerships:
        base = base[base["slug"].isin(filters.partnerships)]
    base = base[base["launch_date"] <= date(year_to, 12, 31)]
    protected = not caller.unsuppressed_for(filters)

    days = [("now", date(year_to, 12, 31)), ("prev", date(year_to - 1, 12, 31))]
    active = served.active_members_at(session=session, filters=filters, days=days, by="partnership")
    df = base.copy()
    names = df["short_name"]
    name_list = names.tolist()
    active_counts = dict(
        zip(
            zip(active["period"].tolist(), active["group"].tolist(), strict=True),
            active["members"].tolist(),
            strict=True,
        )
    )
    for day_label, column in (("now", "members"), ("prev", "members_prev")):
        found = [active_counts.get((day_label, name), 0) for name in name_list]
        df[column] = np.array(found, dtype=np.int64)  # membership is public: exact counts
    df["member_growth"] = df["members"] - df["members_prev"]
    df["member_growth_pct"] = (df["member_growth"] / df["members_prev"]).where(
        df["members_prev"] > 0
    )

    def outcomes(first: int) -> pd.DataFrame:
        period = filters.with_years(first, year_to)
        if not protected:  # no distinct counts needed: skip them
            totals = served.outcome_totals(
                session=session, filters=period, by=["partnership"], distinct=False
            )
        else:
            totals = outcome_totals(
                session=session, caller=caller, filters=period, by=["partnership"]
            )
        return totals.set_index("partnership")

    def mapped(frame: pd.DataFrame, column: str, fill: float | None) -> Any:
        if not protected and frame.index.is_unique:  # plain numbers: a dictionary will do
            lookup = dict(zip(frame.index.tolist(), frame[column].tolist(), strict=True))
            missing = np.nan if fill is None else fill
            return np.array([lookup.get(name, missing) for name in name_list], dtype=np.float64)
        values = names.map(frame[column])
        if fill is not None:  # a partnership with no reports has zero, not a hidden value
            values = values.where(names.isin(frame.index), fill)
        return values.to_numpy()

    period, last = outcomes(year_from), outcomes(year_to)
    df["people_trained"] = mapped(period, "people_trained", 0)
    df["people_trained_last_year"] = mapped(last, "people_trained", 0)
    df["women_share_recorded"] = mapped(period, "women_share_recorded", None)
    df["not_recorded_share"] = mapped(period, "not_recorded_share", None)
    if not protected:
        df = df.astype({"people_trained": "int64", "people_trained_last_year": "int64"})
    df["pledge_progress"] = (df["people_trained_last_year"] / df["annual_pledge"]).where(
        df["annual_pledge"] > 0
    )
    df["last_year"] = year_to
    measured = ["members", "members_prev", "people_trained", "people_trained_last_year"]
    df["suppressed"] = df[measured].isna().any(axis=1)
    columns = [
        "slug",
        "short_name",
        "name",
        "kind",
        "ecosystem",
        "launch_date",
        "members",
        "members_prev",
        "member_growth",
        "member_growth_pct",
        "people_trained",
        "people_trained_last_year",
        "women_share_recorded",
        "not_recorded_share",
        "target_women_share",
        "annual_pledge",
        "pledge_text",
        "pledge_progress",
        "last_year",
        "suppressed",
    ]
    return df[columns].reset_index(drop=True)


def own_comparison(
    everyone: pd.DataFrame, *, caller: Caller, filters: Filters, partnership: str, ecosystem: str
) -> pd.DataFrame | None:
    """partnership_comparison for filters.only_partnership(partnership), taken from
    `everyone` (the comparison for filters.without_partnerships()) without another query.

    The two give the same row when the caller sees both views unsuppressed (disclosure
    control of a protected view depends on the other rows): then the partnership's row, or
    no row when the ecosystem selection leaves its ecosystem out. None otherwise: query it.
    """
    wider = filters.without_partnerships()
    scoped = filters.only_partnership(partnership)
    if not (caller.unsuppressed_for(wider) and caller.unsuppressed_for(scoped)):
        return None
    if filters.ecosystems and ecosystem not in filters.ecosystems:
        return everyone.iloc[0:0].reset_index(drop=True)
    return everyone[everyone["slug"] == partnership].reset_index(drop=True)


# Each measure's label is in English, marked for translation: the view shows it in the
# reader's language (views/profile.py).
PEER_METRICS: tuple[tuple[str, str, str], ...] = (
    ("members", N_("Members at the end of the year"), "organisations"),
    ("member_growth_pct", N_("Member growth on the year before"), "%"),
    ("people_trained_last_year", N_("People up/re-skilled in the year"), "people"),
    ("people_per_member", N_("People up/re-skilled per member"), "people"),
    ("women_share_recorded", N_("Share of women (gender recorded)"), "%"),
    ("pledge_progress", N_("Progress against the annual pledge"), "%"),
)


def peer_comparison(
    *, session: Session, caller: Caller, filters: Filters, partnership: str
) -> pd.DataFrame:
    """One partnership against the median of its ecosystem's partnerships and the Pact median.

    Columns: metric, label, unit, partnership, ecosystem_median, pact_median. Medians are
    taken over the values the caller may see (hidden values are left out, never used).
    """
    everyone = partnership_comparison(
        session=session, caller=caller, filters=filters.without_partnerships()
    )
    return peer_table(everyone, partnership=partnership)


def peer_table(comparison: pd.DataFrame, *, partnership: str) -> pd.DataFrame:
    """Peer medians from a partnership_comparison frame of every partnership (no SQL)."""
    hits = np.flatnonzero(comparison["slug"].to_numpy() == partnership)
    if not len(hits):
        return pd.DataFrame(
            columns=["metric", "label", "unit", "partnership", "ecosystem_median", "pact_median"]
        )
    members = comparison["members"].to_numpy(dtype=np.float64, na_value=np.nan)
    trained = comparison["people_trained_last_year"].to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_member = np.where(members > 0, trained / members, np.nan)
    row = comparison.iloc[hits[0]]
    ecosystems = comparison["ecosystem"].to_numpy()
    same_ecosystem = ecosystems == row["ecosystem"]

    def column(metric: str) -> Any:
        if metric == "people_per_member":
            return per_member
        return comparison[metric].to_numpy(dtype=np.float64, na_value=np.nan)

    records = []
    for metric, label, unit in PEER_METRICS:
        values = column(metric)
        records.append(
            {
                "metric": metric,
                "label": label,
                "unit": unit,
                "partnership": per_member[hits[0]]
                if metric == "people_per_member"
                else row[metric],
                "ecosystem_median": _median(values[same_ecosystem]),
                "pact_median": _median(values),
            }
        )
    return pd.DataFrame.from_records(records)


def _median(values: Any) -> float:
    """The median of the values that are not NaN (NaN when none is), as Series.median."""
    present = values[~np.isnan(values)]
    return float(np.median(present)) if len(present) else float("nan")


def country_summary(*, session: Session, caller: Caller, filters: Filters) -> pd.DataFrame:
    """Per country: members at the end of the period and people up/re-skilled in it.

    Columns: country_code, iso3, country, country_group, members, people_trained, suppressed.
    Countries with neither are included with zeros; hidden values are NaN.
    """
    _, year_to = resolve_years(session=session, filters=filters)
    countries = pd.read_sql(
        select(
            C.code.label("country_code"), C.iso3, C.name.label("country"), C.country_group
        ).select_from(C_TABLE),
        session.connection(),
    )
    members = (
        aggregates_of(session)
        .active_members_at(
            session=session, filters=filters, days=[("end", date(year_to, 12, 31))], by="country"
        )
        .rename(columns={"group": "country"})[["country", "members"]]
    )
    people = outcome_totals(session=session, caller=caller, filters=filters, by=["country"])[
        ["country_code", "people_trained"]
    ]
    df = countries.merge(members, on="country", how="left")
    df["members"] = df["members"].fillna(0).astype(int)
    if filters.countries:
        df = df[df["country_code"].isin(filters.countries)]
    df = df.sort_values("country").reset_index(drop=True)
    reported = df["country_code"].isin(people["country_code"])
    df = df.merge(people, on="country_code", how="left")
    df["people_trained"] = df["people_trained"].where(reported, 0)
    if caller.unsuppressed_for(filters):
        df["people_trained"] = df["people_trained"].astype(int)
        return df
    df["suppressed"] = df["people_trained"].isna()
    return df


__all__ = [
    "Dimension",
    "country_summary",
    "outcome_cube",
    "outcome_totals",
    "own_comparison",
    "pact_indicators_by_year",
    "partnership_comparison",
    "peer_comparison",
    "peer_table",
    "public_outcome_totals",
    "rollup",
]
