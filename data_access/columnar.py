"""The aggregates computed by numpy over the columnar snapshot (data_access.snapshot): the
columnar implementation of data_access.aggregates.Aggregates, without SQL.

Each method takes the same arguments and returns the same columns as its SQL twin in
data_access.sql_aggregates, unscoped: the query functions apply the caller's scope and
disclosure control on top. Rows come out in code-point order of their labels (SQLite's
binary collation).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from data_access.access import Caller
from data_access.aggregates import (
    DIMENSION_NAMES,
    MEASURE_TYPES,
    Contributions,
    Days,
    Dimension,
    Dimensions,
    MemberGrouping,
    with_shares,
)
from data_access.filters import Filters
from data_access.models import REPORTED_VALUES
from data_access.options import partnerships_table
from data_access.periods import period_starts
from data_access.perturbation import PEOPLE_PARTS, contributions
from data_access.snapshot import (
    NEVER,
    Codes,
    Mask,
    Memberships,
    OutcomeSums,
    Reporters,
    Snapshot,
    remembered,
    snapshot,
)

BITMAP_LIMIT = 1 << 22  # group x organisation cells counted with a bitmap, else by sorting
REPORTER_CELL = frozenset({"year", "partnership", "skill_area"})
"""The dimensions of the cells each row of snapshot.Reporters is one organisation in."""
OUTCOME_ORDER = ("people_trained", *REPORTED_VALUES)


class ColumnarAggregates:
    """Every aggregate of data_access.aggregates.Aggregates, computed on the snapshot."""

    def reporting_years(self, *, session: Session) -> tuple[int, int]:
        """First and last year the data covers (memberships and outcome reports)."""
        snap = snapshot(session=session)
        candidates = [y for y in (snap.first_year, snap.first_join_year) if y is not None]
        lo = min(candidates) if candidates else 2021
        hi = snap.last_year if snap.last_year is not None else max(lo, 2024)
        return lo, max(hi, lo)

    def outcome_totals(
        self, *, session: Session, filters: Filters, by: Dimensions = (), distinct: bool = True
    ) -> pd.DataFrame:
        """Reported outcomes summed by the given dimensions, with gender shares."""
        return _outcome_totals(snapshot(session=session), filters, list(by), distinct)

    def outcome_contributions(
        self, *, session: Session, filters: Filters, by: Dimensions
    ) -> Contributions:
        """Reported values per (cell of `by`, organisation)."""
        return _outcome_contributions(snapshot(session=session), filters, list(by))

    def active_members_at(
        self, *, session: Session, filters: Filters, days: Days, by: MemberGrouping
    ) -> pd.DataFrame:
        """Distinct member organisations active on each day, per group."""
        snap = snapshot(session=session)
        _, labels = snap.member_groups(by)
        n_orgs = len(snap.organisations.name)
        order, key = snap.member_order(by)
        scope = _dimension_mask(snap, filters, snap.memberships)[order]
        joined, left = snap.member_days(by)
        records: list[tuple[str, str, int]] = []
        for label, day in days:
            d = _day(day)
            counts = _distinct_sorted(key, scope & (joined <= d) & (left > d), len(labels), n_orgs)
            records += [(label, labels[g], int(counts[g])) for g in np.flatnonzero(counts)]
        return _period_group_counts(records, "members")

    def new_members_in(
        self, *, session: Session, filters: Filters, days: Days, by: MemberGrouping
    ) -> pd.DataFrame:
        """Organisations whose first join within the group falls in each period."""
        if not days:
            return pd.DataFrame(columns=["period", "group", "new_members"])
        snap = snapshot(session=session)
        _, labels = snap.member_groups(by)
        n_orgs = len(snap.organisations.name)
        order, key = snap.member_order(by)
        scope = _dimension_mask(snap, filters, snap.memberships)[order]
        key, joined = key[scope], snap.member_days(by)[0][scope]  # sorted by key, then join day
        first = np.ones(len(key), dtype=bool)
        first[1:] = key[1:] != key[:-1]
        first_key, first_joined = key[first], joined[first]
        first_group = first_key // n_orgs
        records: list[tuple[str, str, int]] = []
        for (label, day), start in zip(days, period_starts(days), strict=True):
            inside = (first_joined > _day(start)) & (first_joined <= _day(day))
            counts = np.bincount(first_group[inside], minlength=len(labels))
            records += [(label, labels[g], int(counts[g])) for g in np.flatnonzero(counts)]
        return _period_group_counts(records, "new_members")

    def active_counts_at(self, *, session: Session, filters: Filters, days: Days) -> pd.DataFrame:
        """Per day: partnerships, ecosystems, members and countries with an active membership."""
        snap = snapshot(session=session)
        table = snap.memberships
        scope = _dimension_mask(snap, filters, table)
        counted = (
            (table.partnership, len(snap.partnerships.keys)),
            (table.ecosystem, len(snap.ecosystems.keys)),
            (table.organisation, len(snap.organisations.name)),
            (table.country, len(snap.countries.keys)),
        )
        records = []
        for label, day in days:
            mask = scope & _active(table, day)
            if mask.any():
                distinct = [
                    int(np.count_nonzero(np.bincount(column[mask], minlength=size)))
                    for column, size in counted
                ]
                records.append((label, *distinct))
        columns = ["period", "partnerships", "ecosystems", "members", "countries"]
        df = pd.DataFrame.from_records(records, columns=columns)
        return df.astype(dict.fromkeys(columns[1:], "int64") | {"period": "str"})

    def partnership_members(
        self, *, session: Session, filters: Filters, partnership: str, year_to: int
    ) -> pd.DataFrame:
        """Every membership of one partnership begun by the end of year_to."""
        snap = snapshot(session=session)
        table = snap.memberships
        day = date(year_to, 12, 31)
        mask = _dimension_mask(snap, filters.only_partnership(partnership), table)
        mask &= table.joined <= _day(day)
        rows = np.flatnonzero(mask)
        ordered = _by_role_and_name(snap, rows)
        if ordered is not None:
            rows = ordered
        orgs = table.organisation[rows]
        org = snap.organisations
        last = _last_reported_years(snap, partnership, year_to)[orgs]
        df = pd.DataFrame(
            {
                "organisation": _text(org.name[orgs]),
                "org_type": _text(snap.org_types.labels[org.org_type[orgs]]),
                "country_code": _text(snap.countries.keys[org.country[orgs]]),
                "country": _text(snap.countries.labels[org.country[orgs]]),
                "nuts_code": org.nuts_code[orgs].tolist(),
                "size_class": org.size_class[orgs].tolist(),
                "role": _text(table.role[rows]),
                "joined_on": _date_column(table.joined[rows]),
                "left_on": _date_column(table.left[rows]),
                "active": _active(table, day)[rows],
                "last_reported_year": pd.array(
                    [int(y) if y >= 0 else None for y in last.tolist()], dtype="Int64"
                ),
            }
        )
        if ordered is None:
            df = df.sort_values(["role", "organisation"], kind="stable").reset_index(drop=True)
        return df

    def partnerships_table(self, *, session: Session, caller: Caller) -> pd.DataFrame:
        """options.partnerships_table, read once per data version."""
        return remembered(
            session=session,
            name="partnerships_table",
            compute=lambda: partnerships_table(session=session, caller=caller),
        )


COLUMNAR = ColumnarAggregates()


# --------------------------------------------------------------------------- filters and groups


def _allowed(size: int, codes: Codes) -> Mask:
    allowed = np.zeros(size, dtype=bool)
    allowed[codes] = True
    return allowed


def _dimension_mask(
    snap: Snapshot, filters: Filters, table: OutcomeSums | Reporters | Memberships
) -> Mask:
    """Rows within the partnership, ecosystem, country and organisation type selections."""
    mask = np.ones(len(table.partnership), dtype=bool)
    selections = (
        (filters.ecosystems, snap.ecosystems, table.ecosystem),
        (filters.partnerships, snap.partnerships, table.partnership),
        (filters.countries, snap.countries, table.country),
        (filters.org_types, snap.org_types, table.org_type),
    )
    for chosen, labels, column in selections:
        if chosen:
            mask &= _allowed(len(labels.keys), labels.code_of(chosen))[column]
    return mask


def _outcome_mask(snap: Snapshot, filters: Filters, table: OutcomeSums | Reporters) -> Mask:
    """Dimension selections plus the reporting period and skill areas."""
    mask = _dimension_mask(snap, filters, table)
    base = snap.first_year or 0
    if filters.year_from is not None:
        mask &= table.year >= filters.year_from - base
    if filters.year_to is not None:
        mask &= table.year <= filters.year_to - base
    if filters.skill_areas:
        mask &= _allowed(len(snap.skills.keys), snap.skills.code_of(filters.skill_areas))[
            table.skill
        ]
    return mask


def _codes(table: OutcomeSums | Reporters, dim: Dimension) -> Codes:
    column: Codes = {
        "year": table.year,
        "ecosystem": table.ecosystem,
        "partnership": table.partnership,
        "skill_area": table.skill,
        "country": table.country,
        "org_type": table.org_type,
    }[dim]
    return column


def _group_key(columns: list[Codes], sizes: list[int]) -> Codes:
    """One integer per row naming its combination of dimension codes."""
    key = np.zeros(len(columns[0]), dtype=np.int64)
    for column, size in zip(columns, sizes, strict=True):
        key = key * size + column
    return key


def _distinct_per_group(groups: Codes, members: Codes, n_groups: int, n_members: int) -> Codes:
    """How many distinct members each group has (a bitmap when small, else by sorting)."""
    if not len(groups):
        return np.zeros(n_groups, dtype=np.int64)
    if n_groups * n_members <= BITMAP_LIMIT:
        seen = np.zeros(n_groups * n_members, dtype=bool)
        seen[groups * n_members + members] = True
        counts: Codes = np.count_nonzero(seen.reshape(n_groups, n_members), axis=1)
        return counts.astype(np.int64)
    pairs = np.unique(groups * n_members + members)
    return np.bincount(pairs // n_members, minlength=n_groups).astype(np.int64)


def _dimension_columns(snap: Snapshot, by: Dimensions, codes: list[Codes]) -> dict[str, Any]:
    """The label and key columns of each dimension, as outcome_totals names them."""
    columns: dict[str, Any] = {}
    for dim, code in zip(by, codes, strict=True):
        if dim == "year":
            columns["year"] = (code + (snap.first_year or 0)).astype(np.int64)
            continue
        labels = snap.labels_of(dim)
        names = DIMENSION_NAMES[dim]
        columns[names[0]] = labels.labels[code]
        columns[names[1]] = labels.keys[code]
        if labels.extra is not None:
            columns[names[2]] = labels.extra[code]
    return columns


def _sort_order(snap: Snapshot, by: Dimensions, codes: list[Codes]) -> Codes:
    """Row order by the dimensions' labels then keys, first dimension first (as ORDER BY)."""
    ranks = [
        code if dim == "year" else snap.labels_of(dim).rank[code]
        for dim, code in zip(by, codes, strict=True)
    ]
    return np.lexsort(tuple(reversed(ranks))).astype(np.int64)


# --------------------------------------------------------------------------- outcomes


def _outcome_totals(
    snap: Snapshot, filters: Filters, by: list[Dimension], distinct: bool
) -> pd.DataFrame:
    """outcome_totals computed on a snapshot."""
    sums = snap.sums
    mask = _outcome_mask(snap, filters, sums)
    sizes = [snap.dimension_size(d) for d in by]
    n_groups = int(np.prod(sizes)) if by else 1
    index = _cell_index(sums, by, sizes, mask)
    rows = np.bincount(index, weights=sums.rows[mask], minlength=n_groups)
    present = np.flatnonzero(rows > 0) if by else np.array([0], dtype=np.int64)
    present, columns = _cells_in_order(snap, by, sizes, present)
    totals: dict[str, Any] = {}
    for name, values in sums.measures.items():
        summed = np.bincount(index, weights=values[mask], minlength=n_groups)[present]
        totals[name] = summed if MEASURE_TYPES[name] == "float64" else np.rint(summed)
    totals["people_trained"] = sum(totals[name] for name in PEOPLE_PARTS)
    columns |= {name: totals[name].astype(MEASURE_TYPES[name]) for name in OUTCOME_ORDER}
    if distinct:
        reporters = snap.reporters
        r_mask = _outcome_mask(snap, filters, reporters)
        r_key = _cell_index(reporters, by, sizes, r_mask)
        if set(by) >= REPORTER_CELL:  # each reporters row is one organisation in one cell
            counts = np.bincount(r_key, minlength=n_groups).astype(np.int64)
        else:
            n_orgs = len(snap.organisations.name)
            counts = _distinct_per_group(r_key, reporters.organisation[r_mask], n_groups, n_orgs)
        columns["reporting_organisations"] = counts[present]
    return pd.DataFrame(with_shares(columns))


def _outcome_contributions(snap: Snapshot, filters: Filters, by: list[Dimension]) -> Contributions:
    """Reported values per (cell of `by`, organisation) on a snapshot: the published
    reporters (rows under review in a reporting round left out)."""
    table = snap.public_reporters
    mask = _outcome_mask(snap, filters, table)
    sizes = [snap.dimension_size(d) for d in by]
    key = _cell_index(table, by, sizes, mask)
    organisations = table.organisation[mask]
    values = table.values[mask]
    n_orgs = len(snap.organisations.name)
    if set(by) >= REPORTER_CELL:  # rows are already one per organisation and cell
        cells, orgs, summed = key, organisations, values
    else:
        cells, orgs, summed = contributions(key, organisations, values, n_organisations=n_orgs)
    present = np.unique(cells) if by else np.array([0], dtype=np.int64)
    present, dimensions = _cells_in_order(snap, by, sizes, present)
    position = np.full(int(np.prod(sizes)) if by else 1, -1, dtype=np.int64)
    position[present] = np.arange(len(present))
    return Contributions(
        dimensions=dimensions,
        n_cells=len(present),
        cell=position[cells],
        values=summed,
        factors=snap.organisations.factors[orgs],
    )


def _cell_index(
    table: OutcomeSums | Reporters, by: list[Dimension], sizes: list[int], mask: Mask
) -> Codes:
    """The cell of `by` each masked row falls in (cell 0 for all, without dimensions)."""
    if by:
        return _group_key([_codes(table, d)[mask] for d in by], sizes)
    return np.zeros(int(mask.sum()), dtype=np.int64)


def _cells_in_order(
    snap: Snapshot, by: list[Dimension], sizes: list[int], present: Codes
) -> tuple[Codes, dict[str, Any]]:
    """The cells present, in row order, and their dimension columns."""
    if not by:
        return present, {}
    codes = [np.asarray(c, dtype=np.int64) for c in np.unravel_index(present, tuple(sizes))]
    order = _sort_order(snap, by, codes)
    return present[order], _dimension_columns(snap, by, [c[order] for c in codes])


# --------------------------------------------------------------------------- memberships


def _distinct_sorted(key: Codes, mask: Mask, n_groups: int, n_members: int) -> Codes:
    """Distinct members per group among the masked rows of a key sorted by group * n + member."""
    kept = key[mask]
    if not len(kept):
        return np.zeros(n_groups, dtype=np.int64)
    first = np.ones(len(kept), dtype=bool)
    first[1:] = kept[1:] != kept[:-1]
    return np.bincount(kept[first] // n_members, minlength=n_groups).astype(np.int64)


def _day(value: date) -> int:
    return int(np.datetime64(value, "D").astype(np.int64))


def _active(table: Memberships, day: date) -> Mask:
    d = _day(day)
    result: Mask = (table.joined <= d) & (table.left > d)
    return result


def _period_group_counts(records: list[tuple[str, str, int]], column: str) -> pd.DataFrame:
    """(period, group, count) records as a frame: str, str and int64 columns."""
    return pd.DataFrame(
        {
            "period": pd.Series([r[0] for r in records], dtype="str"),
            "group": pd.Series([r[1] for r in records], dtype="str"),
            column: np.array([r[2] for r in records], dtype=np.int64),
        }
    )


def _last_reported_years(snap: Snapshot, partnership: str, year_to: int) -> Codes:
    """Per organisation code: its last year up to year_to with a report for the partnership,
    -1 for none."""
    last_year = np.full(len(snap.organisations.name), -1, dtype=np.int64)
    code = snap.partnerships.code_of([partnership])
    if len(code):
        reporters = snap.reporters
        base = snap.first_year or 0
        rows = _reporter_rows(snap, int(code[0]))
        mine = rows[reporters.year[rows] <= year_to - base]
        np.maximum.at(last_year, reporters.organisation[mine], reporters.year[mine] + base)
    return last_year


def _text(values: Any) -> pd.Series:
    """An array of labels as a column of strings."""
    return pd.Series(values.tolist(), dtype="str")


def _by_role_and_name(snap: Snapshot, rows: Codes) -> Codes | None:
    """Membership positions in a stable order by role, then organisation name (code-point
    order, as the frame's own sort); None when a role or a name is missing."""
    if "organisation_name_rank" not in snap.derived:
        names = snap.organisations.name
        complete = all(isinstance(n, str) for n in names.tolist())
        rank = np.unique(names, return_inverse=True)[1].astype(np.int64) if complete else None
        snap.derived["organisation_name_rank"] = rank
    name_rank: Codes | None = snap.derived["organisation_name_rank"]
    roles = snap.memberships.role[rows]
    if name_rank is None or not all(isinstance(r, str) for r in roles.tolist()):
        return None
    role_rank = np.unique(roles, return_inverse=True)[1].ravel() if len(rows) else rows
    order = np.lexsort((name_rank[snap.memberships.organisation[rows]], role_rank))
    ordered: Codes = rows[order]
    return ordered


def _date_column(days: Codes) -> pd.Series:
    """Days since 1970-01-01 as a column of dates, NaT for NEVER (as `.dt.date` gives them)."""
    if not len(days) or bool((days == NEVER).all()):  # no date at all: pandas' own type
        return pd.to_datetime(pd.Series(_dates(days))).dt.date
    values = [pd.NaT if d is None else d for d in _dates(days)]
    return pd.Series(values, dtype=object)


def _reporter_rows(snap: Snapshot, partnership: int) -> Codes:
    """Positions of one partnership's rows in snap.reporters (sorted once per version)."""
    if "reporters_by_partnership" not in snap.derived:
        order = np.argsort(snap.reporters.partnership, kind="stable").astype(np.int64)
        bounds = np.searchsorted(
            snap.reporters.partnership[order], np.arange(len(snap.partnerships.keys) + 1)
        )
        snap.derived["reporters_by_partnership"] = (order, bounds)
    order, bounds = snap.derived["reporters_by_partnership"]
    rows: Codes = order[bounds[partnership] : bounds[partnership + 1]]
    return rows


def _dates(days: Codes) -> list[date | None]:
    """Days since 1970-01-01 as dates (None for NEVER)."""
    as_dates = days.astype("datetime64[D]")
    as_dates[days == NEVER] = np.datetime64("NaT")
    values: list[date | None] = as_dates.astype(object).tolist()
    return values
