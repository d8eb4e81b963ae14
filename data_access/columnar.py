"""A columnar in-process cache of the outcome reports and memberships, one snapshot per data
version, from which the store's aggregates are computed without SQL.

The SQLModel store stays the system of record. A snapshot is read once per process and data
version (every write bumps the version in dataset_info, so each replica notices a write on
its next query and reads again); it holds the rows as numpy arrays of small integer codes:

- outcome sums per (year, partnership, country, organisation type, skill area),
- which organisation reported for which (year, partnership, skill area), for distinct counts,
- every membership with its join and leave days.

The functions below take the same arguments and return the same columns as their SQL twins
in outcomes.py and membership.py, unscoped: `data_access` applies the caller's scope and
disclosure control on top of what they return, exactly as it does on the SQL results.
Rows come out in code-point order of their labels (SQLite's binary collation).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.filters import Filters
from data_access.perturbation import PERTURBED_MEASURES, contributions, factors
from data_access.switches import switch

Dimension = Literal["year", "ecosystem", "partnership", "skill_area", "country", "org_type"]
MemberGrouping = Literal["pact", "partnership", "ecosystem", "country", "org_type"]
Granularity = Literal["year", "quarter"]
Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
T = TypeVar("T")

SUMMED = ("women", "men", "other_gender", "not_recorded", "programmes", "people_reached")
MEASURES = (
    "people_trained",
    "women",
    "men",
    "other_gender",
    "not_recorded",
    "programmes",
    "investment_eur",
    "people_reached",
    "reporting_organisations",
)
CUBE_DIMENSIONS: tuple[Dimension, ...] = ("year", "ecosystem", "partnership", "skill_area")
NEVER = np.iinfo(np.int64).max  # the leave day of a membership that has not ended
BITMAP_LIMIT = 1 << 22  # group x organisation cells counted with a bitmap, else by sorting
RELOAD_ATTEMPTS = 3
FETCH_ROWS = 100_000


# --------------------------------------------------------------------------- the snapshot


@dataclass(frozen=True)
class Labels:
    """One dimension's members by code: its key (slug or code) and its label(s)."""

    keys: npt.NDArray[np.object_]
    labels: npt.NDArray[np.object_]
    rank: Codes  # position of each code when sorted by label, then key
    extra: npt.NDArray[np.object_] | None = None  # ISO alpha-3 for countries

    def code_of(self, keys: Sequence[str]) -> Codes:
        """Codes of the given keys (unknown keys match nothing)."""
        position = {k: i for i, k in enumerate(self.keys.tolist())}
        return np.array([position[k] for k in keys if k in position], dtype=np.int64)


@dataclass(frozen=True)
class OutcomeSums:
    """Outcome measures summed per (year, partnership, country, type, skill area)."""

    year: Codes
    partnership: Codes
    ecosystem: Codes
    country: Codes
    org_type: Codes
    skill: Codes
    rows: Codes  # report rows behind each cell
    measures: dict[str, npt.NDArray[np.float64]]


@dataclass(frozen=True)
class Reporters:
    """Which organisation reported for which (year, partnership, skill area): one row each."""

    year: Codes
    partnership: Codes
    ecosystem: Codes
    organisation: Codes
    country: Codes
    org_type: Codes
    skill: Codes
    # Exact reported values of each row, in perturbation.PERTURBED_MEASURES' order (for the
    # public views, which are built from contributions per organisation).
    values: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Memberships:
    """Every membership: partnership, organisation and its attributes, join and leave days."""

    partnership: Codes
    ecosystem: Codes
    organisation: Codes
    country: Codes
    org_type: Codes
    role: npt.NDArray[np.object_]
    joined: Codes  # days since 1970-01-01
    left: Codes  # NEVER when still a member


@dataclass(frozen=True)
class Organisations:
    """Organisation attributes by organisation code."""

    name: npt.NDArray[np.object_]
    country: Codes
    org_type: Codes
    nuts_code: npt.NDArray[np.object_]
    size_class: npt.NDArray[np.object_]
    # perturbation.factors of the organisations' secret record keys, once per data version
    factors: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Snapshot:
    """The rows of one data version, as arrays of codes."""

    version: int
    ecosystems: Labels
    partnerships: Labels
    partnership_ecosystem: Codes
    countries: Labels
    org_types: Labels
    skills: Labels
    organisations: Organisations
    sums: OutcomeSums
    reporters: Reporters
    memberships: Memberships
    first_year: int | None  # of the outcome reports; None without reports
    last_year: int | None
    first_join_year: int | None
    # Orders of the memberships by (group, organisation, join day), made once per grouping.
    member_orders: dict[str, tuple[Codes, Codes]] = field(
        default_factory=dict, compare=False, repr=False
    )
    # Other results that depend on the data version alone (see remembered()).
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def member_order(self, by: MemberGrouping) -> tuple[Codes, Codes]:
        """Membership positions sorted by group, organisation and join day; the sorted key."""
        if by not in self.member_orders:
            table = self.memberships
            groups, _ = _member_groups(self, by)
            key = groups * len(self.organisations.name) + table.organisation
            order = np.lexsort((table.joined, key)).astype(np.int64)
            self.member_orders[by] = (order, key[order])
        return self.member_orders[by]

    def member_days(self, by: MemberGrouping) -> tuple[Codes, Codes]:
        """Join and leave days of the memberships in member_order(by)."""
        name = f"member_days:{by}"
        if name not in self.derived:
            order, _ = self.member_order(by)
            self.derived[name] = (self.memberships.joined[order], self.memberships.left[order])
        days: tuple[Codes, Codes] = self.derived[name]
        return days

    def dimension_size(self, dim: str) -> int:
        """How many codes a dimension has."""
        if dim == "year":
            return (
                1
                if self.first_year is None or self.last_year is None
                else (self.last_year - self.first_year + 1)
            )
        return len(self._labels(dim).keys)

    def _labels(self, dim: str) -> Labels:
        return {
            "ecosystem": self.ecosystems,
            "partnership": self.partnerships,
            "country": self.countries,
            "org_type": self.org_types,
            "skill_area": self.skills,
        }[dim]


_SNAPSHOTS: weakref.WeakKeyDictionary[Engine, Snapshot] = weakref.WeakKeyDictionary()
_LOCKS: weakref.WeakKeyDictionary[Engine, threading.Lock] = weakref.WeakKeyDictionary()
_GUARD = threading.Lock()


def enabled() -> bool:
    """Whether queries are served from the columnar cache (PACT_COLUMNAR=off switches to SQL;
    an unknown value is refused rather than guessed)."""
    return switch("PACT_COLUMNAR")


def _version(connection: Connection) -> int:
    rows = _rows(connection, "SELECT value FROM dataset_info WHERE key = 'version'")
    return int(rows[0][0]) if rows else 0


def snapshot(*, session: Session) -> Snapshot:
    """The snapshot of the store's current data version (read again after any write)."""
    connection = session.connection()
    engine = connection.engine
    version = _version(connection)
    cached = _SNAPSHOTS.get(engine)
    if cached is not None and cached.version == version:
        return cached
    with _GUARD:
        lock = _LOCKS.setdefault(engine, threading.Lock())
    with lock:  # one load per process and version, however many sessions ask
        cached = _SNAPSHOTS.get(engine)
        if cached is not None and cached.version == version:
            return cached
        fresh = load_snapshot(connection)
        _SNAPSHOTS[engine] = fresh
        return fresh


def remembered(*, session: Session, name: str, compute: Callable[[], T]) -> T:
    """compute() once per data version: a result that depends on the store's rows alone
    (never on a caller or a filter), kept with the snapshot and dropped with it. The result
    is shared: callers must not change it."""
    snap = snapshot(session=session)
    if name in snap.derived:
        kept: T = snap.derived[name]
        return kept
    result = compute()
    if _version(session.connection()) == snap.version:  # no write came in between
        snap.derived[name] = result
    return result


def load_snapshot(connection: Connection) -> Snapshot:
    """Read a snapshot; the version is read before and after, and the read repeated if a
    write committed in between, so rows and version always belong together."""
    for _ in range(RELOAD_ATTEMPTS):
        before = _version(connection)
        loaded = _read(connection, before)
        if _version(connection) == before:
            return loaded
    return loaded


def _rows(connection: Connection, sql: str) -> list[tuple[Any, ...]]:
    cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
        return [tuple(row) for row in cursor.fetchall()]
    finally:
        cursor.close()


def _numbers(connection: Connection, sql: str, width: int) -> npt.NDArray[np.float64]:
    """A query's rows of numbers as one float array, fetched a chunk at a time (so a million
    rows never sit in memory as Python tuples all at once)."""
    cursor: Any = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    chunks = [np.zeros((0, width))]
    try:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH_ROWS):
            chunks.append(np.array(rows, dtype=np.float64).reshape(-1, width))
    finally:
        cursor.close()
    return np.concatenate(chunks)


def _labels(rows: list[tuple[Any, ...]], extra: bool = False) -> Labels:
    order = sorted(range(len(rows)), key=lambda i: (str(rows[i][1]), str(rows[i][0])))
    rank = np.zeros(len(rows), dtype=np.int64)
    rank[order] = np.arange(len(rows))
    return Labels(
        keys=np.array([r[0] for r in rows], dtype=object),
        labels=np.array([r[1] for r in rows], dtype=object),
        rank=rank,
        extra=np.array([r[2] for r in rows], dtype=object) if extra else None,
    )


def _days(values: list[Any]) -> Codes:
    days = np.array(values, dtype="datetime64[D]").astype(np.int64)
    return np.where(np.isnat(np.array(values, dtype="datetime64[D]")), NEVER, days)


def _lookup(ids: Codes, wanted: Codes) -> Codes:
    """Positions of database ids in a sorted id array (the codes)."""
    return np.searchsorted(ids, wanted).astype(np.int64)


def _unique_rows(*columns: Codes) -> tuple[Codes, Codes, list[Codes]]:
    """Group equal rows of integer columns: (inverse index, first positions, key columns)."""
    sizes = [int(c.max()) + 1 if len(c) else 1 for c in columns]
    key = np.ravel_multi_index(tuple(columns), tuple(sizes)) if columns[0].size else columns[0]
    unique_keys, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    keys = list(np.unravel_index(unique_keys, tuple(sizes))) if unique_keys.size else []
    return inverse.astype(np.int64), first.astype(np.int64), [k.astype(np.int64) for k in keys]


def _read(connection: Connection, version: int) -> Snapshot:
    ecosystems = _rows(connection, "SELECT id, slug, name FROM ecosystem ORDER BY id")
    eco_ids = np.array([r[0] for r in ecosystems], dtype=np.int64)
    partnership_rows = _rows(
        connection, "SELECT id, slug, short_name, ecosystem_id FROM partnership ORDER BY id"
    )
    p_ids = np.array([r[0] for r in partnership_rows], dtype=np.int64)
    p_eco = _lookup(eco_ids, np.array([r[3] for r in partnership_rows], dtype=np.int64))
    countries = _labels(
        _rows(connection, "SELECT code, name, iso3 FROM country ORDER BY code"), extra=True
    )
    org_types = _labels(
        _rows(connection, "SELECT code, label FROM organisation_type ORDER BY code")
    )
    skills = _labels(_rows(connection, "SELECT code, label FROM skill_area ORDER BY code"))
    country_code = {k: i for i, k in enumerate(countries.keys.tolist())}
    type_code = {k: i for i, k in enumerate(org_types.keys.tolist())}
    skill_code = {k: i for i, k in enumerate(skills.keys.tolist())}

    org_rows = _rows(
        connection,
        "SELECT id, name, country_code, org_type, nuts_code, size_class, record_key"
        " FROM organisation ORDER BY id",
    )
    org_ids = np.array([r[0] for r in org_rows], dtype=np.int64)
    organisations = Organisations(
        name=np.array([r[1] for r in org_rows], dtype=object),
        country=np.array([country_code[r[2]] for r in org_rows], dtype=np.int64),
        org_type=np.array([type_code[r[3]] for r in org_rows], dtype=np.int64),
        nuts_code=np.array([r[4] for r in org_rows], dtype=object),
        size_class=np.array([r[5] for r in org_rows], dtype=object),
        factors=factors(np.array([r[6] for r in org_rows], dtype=np.float64)),
    )

    skill_case = " ".join(f"WHEN '{code}' THEN {i}" for code, i in skill_code.items())
    reports = _numbers(
        connection,
        "SELECT partnership_id, organisation_id, year, "
        f"CASE skill_area {skill_case} ELSE -1 END, "
        f"{', '.join(SUMMED)}, investment_eur FROM outcome_report",
        width=11,
    )
    ints = reports[:, :4].astype(np.int64)
    r_p = _lookup(p_ids, ints[:, 0])
    r_org = _lookup(org_ids, ints[:, 1])
    first_year = int(ints[:, 2].min()) if len(ints) else None
    last_year = int(ints[:, 2].max()) if len(ints) else None
    r_year = ints[:, 2] - (first_year or 0)
    r_skill = ints[:, 3]
    r_country = organisations.country[r_org]
    r_type = organisations.org_type[r_org]

    inverse, first, keys = _unique_rows(r_year, r_p, r_country, r_type, r_skill)
    cells = len(first)
    measures = {
        name: np.bincount(inverse, weights=reports[:, 4 + i], minlength=cells).astype(np.float64)
        for i, name in enumerate((*SUMMED, "investment_eur"))
    }
    empty = np.zeros(0, dtype=np.int64)
    y, p, c, t, s = keys if keys else [empty] * 5
    sums = OutcomeSums(
        year=y,
        partnership=p,
        ecosystem=p_eco[p],
        country=c,
        org_type=t,
        skill=s,
        rows=np.bincount(inverse, minlength=cells).astype(np.int64),
        measures=measures,
    )
    reporter_of, _, keys = _unique_rows(r_year, r_p, r_org, r_skill)
    n_reporters = len(keys[0]) if keys else 0
    # reports' columns 4.. hold SUMMED, then investment; reporters keep PERTURBED_MEASURES' order
    column_of = {name: 4 + i for i, name in enumerate((*SUMMED, "investment_eur"))}
    order = [column_of[name] for name in PERTURBED_MEASURES]
    reporter_values = np.zeros((n_reporters, len(order)), dtype=np.float64)
    for k, column in enumerate(order):
        reporter_values[:, k] = np.bincount(
            reporter_of, weights=reports[:, column], minlength=n_reporters
        )
    y, p, o, s = keys if keys else [empty] * 4
    reporters = Reporters(
        year=y,
        partnership=p,
        ecosystem=p_eco[p],
        organisation=o,
        country=organisations.country[o],
        org_type=organisations.org_type[o],
        skill=s,
        values=reporter_values,
    )

    member_rows = _rows(
        connection,
        "SELECT partnership_id, organisation_id, role, joined_on, left_on FROM membership",
    )
    m_p = _lookup(p_ids, np.array([r[0] for r in member_rows], dtype=np.int64))
    m_org = _lookup(org_ids, np.array([r[1] for r in member_rows], dtype=np.int64))
    joined = _days([r[3] for r in member_rows])
    memberships = Memberships(
        partnership=m_p,
        ecosystem=p_eco[m_p],
        organisation=m_org,
        country=organisations.country[m_org],
        org_type=organisations.org_type[m_org],
        role=np.array([r[2] for r in member_rows], dtype=object),
        joined=joined,
        left=_days([r[4] for r in member_rows]),
    )
    first_join_year = (
        int(np.datetime64(int(joined.min()), "D").astype(object).year) if len(joined) else None
    )
    return Snapshot(
        version=version,
        ecosystems=_labels([(r[1], r[2]) for r in ecosystems]),
        partnerships=_labels([(r[1], r[2]) for r in partnership_rows]),
        partnership_ecosystem=p_eco,
        countries=countries,
        org_types=org_types,
        skills=skills,
        organisations=organisations,
        sums=sums,
        reporters=reporters,
        memberships=memberships,
        first_year=first_year,
        last_year=last_year,
        first_join_year=first_join_year,
    )


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


DIMENSION_NAMES: dict[str, tuple[str, ...]] = {
    "ecosystem": ("ecosystem", "ecosystem_slug"),
    "partnership": ("partnership", "partnership_slug"),
    "skill_area": ("skill_area", "skill_area_code"),
    "country": ("country", "country_code", "iso3"),
    "org_type": ("org_type", "org_type_code"),
}


def _dimension_columns(
    snap: Snapshot, by: Sequence[Dimension], codes: list[Codes]
) -> dict[str, Any]:
    """The label and key columns of each dimension, as outcome_totals names them."""
    columns: dict[str, Any] = {}
    for dim, code in zip(by, codes, strict=True):
        if dim == "year":
            columns["year"] = (code + (snap.first_year or 0)).astype(np.int64)
            continue
        labels = snap._labels(dim)
        names = DIMENSION_NAMES[dim]
        columns[names[0]] = labels.labels[code]
        columns[names[1]] = labels.keys[code]
        if labels.extra is not None:
            columns[names[2]] = labels.extra[code]
    return columns


def _sort_order(snap: Snapshot, by: Sequence[Dimension], codes: list[Codes]) -> Codes:
    """Row order by the dimensions' labels then keys, first dimension first (as ORDER BY)."""
    ranks = [
        code if dim == "year" else snap._labels(dim).rank[code]
        for dim, code in zip(by, codes, strict=True)
    ]
    return np.lexsort(tuple(reversed(ranks))).astype(np.int64)


def with_shares(columns: dict[str, Any]) -> dict[str, Any]:
    """Add recorded, women_share_recorded and not_recorded_share to integer measure arrays
    (as add_gender_shares does to a frame)."""
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
    """Add recorded, women_share_recorded and not_recorded_share to a frame of totals."""
    columns = {name: df[name].to_numpy() for name in df.columns}
    return pd.DataFrame(with_shares(columns), index=df.index)


# --------------------------------------------------------------------------- outcomes


def outcome_totals_from(
    snap: Snapshot, filters: Filters, by: Sequence[Dimension] = (), *, distinct: bool = True
) -> pd.DataFrame:
    """outcome_totals computed on a snapshot (see outcome_totals)."""
    by = list(by)
    sums = snap.sums
    mask = _outcome_mask(snap, filters, sums)
    sizes = [snap.dimension_size(d) for d in by]
    n_groups = int(np.prod(sizes)) if by else 1
    if by:
        index = _group_key([_codes(sums, d)[mask] for d in by], sizes)
    else:
        index = np.zeros(int(mask.sum()), dtype=np.int64)
    rows = np.bincount(index, weights=sums.rows[mask], minlength=n_groups)
    present = np.flatnonzero(rows > 0) if by else np.array([0], dtype=np.int64)
    codes: list[Codes] = []
    if by:
        codes = [np.asarray(c, dtype=np.int64) for c in np.unravel_index(present, tuple(sizes))]
        order = _sort_order(snap, by, codes)
        present, codes = present[order], [c[order] for c in codes]
    totals = {
        name: np.rint(np.bincount(index, weights=values[mask], minlength=n_groups)[present])
        for name, values in sums.measures.items()
    }
    columns = _dimension_columns(snap, by, codes) if by else {}
    columns["people_trained"] = (
        totals["women"] + totals["men"] + totals["other_gender"] + totals["not_recorded"]
    ).astype(np.int64)
    for name in SUMMED[:4]:
        columns[name] = totals[name].astype(np.int64)
    columns["programmes"] = totals["programmes"].astype(np.int64)
    investment = np.bincount(
        index, weights=sums.measures["investment_eur"][mask], minlength=n_groups
    )
    columns["investment_eur"] = investment[present].astype(np.float64)
    columns["people_reached"] = totals["people_reached"].astype(np.int64)
    if distinct:
        reporters = snap.reporters
        r_mask = _outcome_mask(snap, filters, reporters)
        if by:
            r_key = _group_key([_codes(reporters, d)[r_mask] for d in by], sizes)
        else:
            r_key = np.zeros(int(r_mask.sum()), dtype=np.int64)
        if {"year", "partnership", "skill_area"} <= set(by):
            # each reporters row is one organisation in one such cell: count the rows
            counts = np.bincount(r_key, minlength=n_groups).astype(np.int64)
        else:
            n_orgs = len(snap.organisations.name)
            counts = _distinct_per_group(r_key, reporters.organisation[r_mask], n_groups, n_orgs)
        columns["reporting_organisations"] = counts[present]
    return pd.DataFrame(with_shares(columns))


def outcome_contributions_from(
    snap: Snapshot, filters: Filters, by: Sequence[Dimension] = ()
) -> Contributions:
    """Reported values per (cell of `by`, organisation) on a snapshot: what public views are
    computed from (see perturbation.publish)."""
    by = list(by)
    table = snap.reporters
    mask = _outcome_mask(snap, filters, table)
    sizes = [snap.dimension_size(d) for d in by]
    if by:
        key = _group_key([_codes(table, d)[mask] for d in by], sizes)
    else:
        key = np.zeros(int(mask.sum()), dtype=np.int64)
    organisations = table.organisation[mask]
    values = table.values[mask]
    n_orgs = len(snap.organisations.name)
    if {"year", "partnership", "skill_area"} <= set(by):  # rows are already one per org and cell
        cells, orgs, summed = key, organisations, values
    else:
        cells, orgs, summed = contributions(key, organisations, values, n_organisations=n_orgs)
    present = np.unique(cells) if by else np.array([0], dtype=np.int64)
    codes: list[Codes] = []
    if by:
        codes = [np.asarray(c, dtype=np.int64) for c in np.unravel_index(present, tuple(sizes))]
        order = _sort_order(snap, by, codes)
        present, codes = present[order], [c[order] for c in codes]
    position = np.full(int(np.prod(sizes)) if by else 1, -1, dtype=np.int64)
    position[present] = np.arange(len(present))
    return Contributions(
        dimensions=_dimension_columns(snap, by, codes) if by else {},
        n_cells=len(present),
        cell=position[cells],
        values=summed,
        factors=snap.organisations.factors[orgs],
    )


@dataclass(frozen=True)
class Contributions:
    """The cells of a table (their dimension columns, one value per cell) and the
    contributions behind them: per (cell, organisation), the exact reported values and the
    organisation's perturbation factors."""

    dimensions: dict[str, Any]
    n_cells: int
    cell: Codes
    values: npt.NDArray[np.float64]
    factors: npt.NDArray[np.float64]


def outcome_totals(
    *, session: Session, filters: Filters, by: Sequence[Dimension] = ()
) -> pd.DataFrame:
    """Reported outcomes summed by the given dimensions, with gender shares (unscoped).

    Same columns as outcomes.outcome_totals: the dimensions' label and key columns, then
    people_trained, women, men, other_gender, not_recorded, programmes, investment_eur,
    people_reached, reporting_organisations (distinct organisations), recorded,
    women_share_recorded, not_recorded_share.
    """
    return outcome_totals_from(snapshot(session=session), filters, by)


def outcome_cube(*, session: Session, filters: Filters) -> pd.DataFrame:
    """Outcomes by year, ecosystem, partnership and skill area, without distinct counts."""
    return outcome_totals_from(snapshot(session=session), filters, CUBE_DIMENSIONS, distinct=False)


# --------------------------------------------------------------------------- memberships


def reporting_years(*, session: Session) -> tuple[int, int]:
    """First and last year the data covers (memberships and outcome reports)."""
    snap = snapshot(session=session)
    candidates = [y for y in (snap.first_year, snap.first_join_year) if y is not None]
    lo = min(candidates) if candidates else 2021
    hi = snap.last_year if snap.last_year is not None else max(lo, 2024)
    return lo, max(hi, lo)


def resolve_years(*, session: Session, filters: Filters) -> tuple[int, int]:
    """The filter's period range with open ends closed by the years the data covers."""
    first, last = reporting_years(session=session)
    lo = filters.year_from if filters.year_from is not None else first
    hi = filters.year_to if filters.year_to is not None else last
    return lo, max(lo, hi)


def _member_groups(snap: Snapshot, by: MemberGrouping) -> tuple[Codes, list[str]]:
    """Each membership's group code and the group labels."""
    table = snap.memberships
    if by == "pact":
        return np.zeros(len(table.partnership), dtype=np.int64), ["Pact"]
    column, labels = {
        "partnership": (table.partnership, snap.partnerships),
        "ecosystem": (table.ecosystem, snap.ecosystems),
        "country": (table.country, snap.countries),
        "org_type": (table.org_type, snap.org_types),
    }[by]
    return column, [str(v) for v in labels.labels.tolist()]


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


def active_members_at(
    *, session: Session, filters: Filters, days: list[tuple[str, date]], by: MemberGrouping
) -> pd.DataFrame:
    """Distinct member organisations active on each day, per group: period, group, members."""
    snap = snapshot(session=session)
    table = snap.memberships
    _, labels = _member_groups(snap, by)
    n_orgs = len(snap.organisations.name)
    order, key = snap.member_order(by)
    scope = _dimension_mask(snap, filters, table)[order]
    joined, left = snap.member_days(by)
    records: list[tuple[str, str, int]] = []
    for label, day in days:
        d = _day(day)
        counts = _distinct_sorted(key, scope & (joined <= d) & (left > d), len(labels), n_orgs)
        records += [(label, labels[g], int(counts[g])) for g in np.flatnonzero(counts)]
    return _period_group_counts(records, "members")


def _period_group_counts(records: list[tuple[str, str, int]], column: str) -> pd.DataFrame:
    """(period, group, count) records as a frame: str, str and int64 columns."""
    return pd.DataFrame(
        {
            "period": pd.Series([r[0] for r in records], dtype="str"),
            "group": pd.Series([r[1] for r in records], dtype="str"),
            column: np.array([r[2] for r in records], dtype=np.int64),
        }
    )


def _period_starts(days: list[tuple[str, date]]) -> list[date]:
    """The day before each period begins, as membership.new_members_in counts them."""
    first_day = days[0][1].replace(month=1, day=1) - timedelta(days=1)
    starts = [first_day] + [day for _, day in days[:-1]]
    if len(days) > 1 and days[1][1].month != 12:  # quarters: the first starts 3 months before
        starts[0] = date(days[0][1].year, days[0][1].month - 2, 1) - timedelta(days=1)
    return starts


def new_members_in(
    *, session: Session, filters: Filters, days: list[tuple[str, date]], by: MemberGrouping
) -> pd.DataFrame:
    """Organisations whose first join within the group falls in each period: period, group,
    new_members (a period runs from the day after the previous period's end to its own end)."""
    snap = snapshot(session=session)
    table = snap.memberships
    if not days:
        return pd.DataFrame(columns=["period", "group", "new_members"])
    _, labels = _member_groups(snap, by)
    n_orgs = len(snap.organisations.name)
    order, key = snap.member_order(by)
    scope = _dimension_mask(snap, filters, table)[order]
    key, joined = key[scope], snap.member_days(by)[0][scope]  # sorted by key, then join day
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    first_key, first_joined = key[first], joined[first]
    first_group = first_key // n_orgs
    records: list[tuple[str, str, int]] = []
    for (label, day), start in zip(days, _period_starts(days), strict=True):
        inside = (first_joined > _day(start)) & (first_joined <= _day(day))
        counts = np.bincount(first_group[inside], minlength=len(labels))
        records += [(label, labels[g], int(counts[g])) for g in np.flatnonzero(counts)]
    return _period_group_counts(records, "new_members")


def period_ends(year_from: int, year_to: int, granularity: Granularity) -> list[tuple[str, date]]:
    """(label, last day) of each period in the range, oldest first (as membership.py)."""
    periods: list[tuple[str, date]] = []
    for year in range(year_from, year_to + 1):
        if granularity == "year":
            periods.append((str(year), date(year, 12, 31)))
            continue
        for quarter in range(1, 5):
            next_start = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
            periods.append((f"{year}-Q{quarter}", next_start - timedelta(days=1)))
    return periods


def members_over_time(
    *,
    session: Session,
    filters: Filters,
    by: MemberGrouping = "pact",
    granularity: Granularity = "year",
) -> pd.DataFrame:
    """Members at the end of each period and new members in it, per group (unscoped).

    Columns: period, period_end, group, members, new_members (as membership.members_over_time).
    """
    year_from, year_to = resolve_years(session=session, filters=filters)
    periods = period_ends(year_from, year_to, granularity)
    active = active_members_at(session=session, filters=filters, days=periods, by=by)
    new = new_members_in(session=session, filters=filters, days=periods, by=by)
    return period_group_grid(periods, active, new)


def period_group_grid(
    periods: list[tuple[str, date]], active: pd.DataFrame, new: pd.DataFrame
) -> pd.DataFrame:
    """Every (period, group) of the groups with members, period by period, groups sorted:
    period, period_end, group, members, new_members (zero where a count has no row)."""
    groups = sorted(set(active["group"]).union(new["group"]))
    cells = [(label, group) for label, _ in periods for group in groups]

    def counts(frame: pd.DataFrame, column: str) -> list[int]:
        found = dict(
            zip(
                zip(frame["period"].tolist(), frame["group"].tolist(), strict=True),
                frame[column].tolist(),
                strict=True,
            )
        )
        return [int(found.get(cell, 0)) for cell in cells]

    n_groups = len(groups)
    return pd.DataFrame(
        {
            "period": pd.Series([label for label, _ in cells], dtype="str"),
            "period_end": pd.Series(
                [end for _, end in periods for _ in range(n_groups)], dtype=object
            ),
            "group": pd.Series(groups * len(periods), dtype=object),
            "members": pd.Series(counts(active, "members"), dtype="int64"),
            "new_members": pd.Series(counts(new, "new_members"), dtype="int64"),
        }
    )


def active_counts_at(
    *, session: Session, filters: Filters, days: list[tuple[str, date]]
) -> pd.DataFrame:
    """Per day: partnerships, ecosystems, member organisations and countries with an active
    membership in scope. Columns: period, partnerships, ecosystems, members, countries;
    days with no active membership are left out (as the SQL in pact_indicators_by_year)."""
    snap = snapshot(session=session)
    table = snap.memberships
    scope = _dimension_mask(snap, filters, table)
    sizes = {
        "partnership": len(snap.partnerships.keys),
        "ecosystem": len(snap.ecosystems.keys),
        "organisation": len(snap.organisations.name),
        "country": len(snap.countries.keys),
    }

    def distinct(column: Codes, mask: Mask, size: int) -> int:
        return int(np.count_nonzero(np.bincount(column[mask], minlength=size)))

    records = []
    for label, day in days:
        mask = scope & _active(table, day)
        if not mask.any():
            continue
        records.append(
            (
                label,
                distinct(table.partnership, mask, sizes["partnership"]),
                distinct(table.ecosystem, mask, sizes["ecosystem"]),
                distinct(table.organisation, mask, sizes["organisation"]),
                distinct(table.country, mask, sizes["country"]),
            )
        )
    columns = ["period", "partnerships", "ecosystems", "members", "countries"]
    df = pd.DataFrame.from_records(records, columns=columns)
    return df.astype({c: "int64" for c in columns[1:]} | {"period": "str"})


def pact_indicators_by_year(*, session: Session, filters: Filters) -> pd.DataFrame:
    """Headline indicators per year, from the year before the period to its end (unscoped).

    Columns as outcomes.pact_indicators_by_year for a caller who sees everything.
    """
    year_from, year_to = resolve_years(session=session, filters=filters)
    years = list(range(year_from - 1, year_to + 1))
    days = [(str(year), date(year, 12, 31)) for year in years]
    counts = active_counts_at(session=session, filters=filters, days=days)
    counts["year"] = counts.pop("period").astype(int)
    members = pd.DataFrame({"year": years}).merge(counts, on="year", how="left").fillna(0)
    outcome_filters = filters.with_years(year_from - 1, year_to)
    outcomes = outcome_totals(session=session, filters=outcome_filters, by=["year"])
    df = members.merge(outcomes, on="year", how="left")
    types = {m: ("float64" if m == "investment_eur" else "int64") for m in MEASURES}
    df = df.fillna(dict.fromkeys(MEASURES, 0)).astype(types)
    count_columns = ["partnerships", "ecosystems", "members", "countries"]
    df = add_gender_shares(
        df[["year", *count_columns, *MEASURES]].astype(dict.fromkeys(count_columns, "int64"))
    )
    in_period = df["year"] >= year_from
    df["people_trained_cumulative"] = df["people_trained"].where(in_period, 0).cumsum()
    return df


def partnership_members(*, session: Session, filters: Filters, partnership: str) -> pd.DataFrame:
    """Every membership of one partnership with whether the member reported in the last year
    (unscoped: data_access checks the caller may see members first).

    Columns as membership.partnership_members: organisation, org_type, country_code,
    country, nuts_code, size_class, role, joined_on, left_on, active, last_reported_year,
    reported_in_year.
    """
    snap = snapshot(session=session)
    _, year_to = resolve_years(session=session, filters=filters)
    table = snap.memberships
    day = date(year_to, 12, 31)
    mask = _dimension_mask(snap, filters.only_partnership(partnership), table)
    mask &= table.joined <= _day(day)
    code = snap.partnerships.code_of([partnership])
    n_orgs = len(snap.organisations.name)
    last_year = np.full(n_orgs, -1, dtype=np.int64)
    if len(code):
        reporters = snap.reporters
        base = snap.first_year or 0
        rows = _reporter_rows(snap, int(code[0]))
        years = reporters.year[rows]
        mine = rows[years <= year_to - base]
        np.maximum.at(last_year, reporters.organisation[mine], reporters.year[mine] + base)
    rows = np.flatnonzero(mask)
    ordered = _by_role_and_name(snap, rows)
    if ordered is not None:
        rows = ordered
    orgs = table.organisation[rows]
    org = snap.organisations
    last = last_year[orgs]
    df = pd.DataFrame(
        {
            "organisation": pd.Series(org.name[orgs].tolist(), dtype="str"),
            "org_type": pd.Series(snap.org_types.labels[org.org_type[orgs]].tolist(), dtype="str"),
            "country_code": pd.Series(snap.countries.keys[org.country[orgs]].tolist(), dtype="str"),
            "country": pd.Series(snap.countries.labels[org.country[orgs]].tolist(), dtype="str"),
            "nuts_code": org.nuts_code[orgs].tolist(),
            "size_class": org.size_class[orgs].tolist(),
            "role": pd.Series(table.role[rows].tolist(), dtype="str"),
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
    df["reported_in_year"] = df["last_reported_year"].eq(year_to).fillna(False).astype(bool)
    return df


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


def members_without_report(*, session: Session, filters: Filters, partnership: str) -> pd.DataFrame:
    """Active members of a partnership that sent no outcome report for the period's last year."""
    members = partnership_members(session=session, filters=filters, partnership=partnership)
    missing = members[members["active"] & ~members["reported_in_year"]]
    return missing.reset_index(drop=True)


def clear() -> None:
    """Forget every snapshot (tests; a process that knows the store was replaced)."""
    _SNAPSHOTS.clear()


__all__ = [
    "Snapshot",
    "active_counts_at",
    "active_members_at",
    "clear",
    "load_snapshot",
    "members_over_time",
    "members_without_report",
    "new_members_in",
    "outcome_cube",
    "outcome_totals",
    "outcome_totals_from",
    "pact_indicators_by_year",
    "partnership_members",
    "period_group_grid",
    "remembered",
    "reporting_years",
    "resolve_years",
    "snapshot",
    "with_shares",
]
