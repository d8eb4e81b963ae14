"""The columnar snapshot: the outcome reports and memberships of one data version, held in
process as numpy arrays of small integer codes, from which data_access.columnar computes the
aggregates without SQL.

The SQLModel store stays the system of record. A snapshot is read once per process and data
version (every write bumps the version in dataset_info, so each replica notices a write on
its next query and reads again), under a lock per engine so that concurrent sessions load it
once. It holds:

- outcome sums per (year, partnership, country, organisation type, skill area),
- which organisation reported for which (year, partnership, skill area), for distinct counts,
- every membership with its join and leave days.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.aggregates import MemberGrouping
from data_access.models import REPORTED_VALUES
from data_access.perturbation import factors
from data_access.round_locks import withheld

Codes = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]
T = TypeVar("T")

NEVER = np.iinfo(np.int64).max  # the leave day of a membership that has not ended
RELOAD_ATTEMPTS = 3
FETCH_ROWS = 100_000


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
class OrganisationRows:
    """Rows that each name a partnership (and its ecosystem) and an organisation (and its
    country and type)."""

    partnership: Codes
    ecosystem: Codes
    organisation: Codes
    country: Codes
    org_type: Codes


@dataclass(frozen=True)
class Reporters(OrganisationRows):
    """Which organisation reported for which (year, partnership, skill area): one row each."""

    year: Codes
    skill: Codes
    # Exact reported values of each row, in REPORTED_VALUES' order (perturbation's: for the
    # public views, which are built from contributions per organisation).
    values: npt.NDArray[np.float64]


@dataclass(frozen=True)
class Memberships(OrganisationRows):
    """Every membership: partnership, organisation and its attributes, join and leave days."""

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
    # The reporters of published figures: without the rows under review in a reporting
    # round (data_access.round_locks); the same object when no row is.
    public_reporters: Reporters
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

    def member_groups(self, by: MemberGrouping) -> tuple[Codes, list[str]]:
        """Each membership's group code and the group labels."""
        table = self.memberships
        if by == "pact":
            return np.zeros(len(table.partnership), dtype=np.int64), ["Pact"]
        column, labels = {
            "partnership": (table.partnership, self.partnerships),
            "ecosystem": (table.ecosystem, self.ecosystems),
            "country": (table.country, self.countries),
            "org_type": (table.org_type, self.org_types),
        }[by]
        return column, [str(v) for v in labels.labels.tolist()]

    def member_order(self, by: MemberGrouping) -> tuple[Codes, Codes]:
        """Membership positions sorted by group, organisation and join day; the sorted key."""
        if by not in self.member_orders:
            table = self.memberships
            groups, _ = self.member_groups(by)
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
        return len(self.labels_of(dim).keys)

    def labels_of(self, dim: str) -> Labels:
        """The codes of a dimension other than year."""
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
        f"{', '.join(REPORTED_VALUES)}, quarter FROM outcome_report",
        width=5 + len(REPORTED_VALUES),
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
        for i, name in enumerate(REPORTED_VALUES)
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
    values = reports[:, 4 : 4 + len(REPORTED_VALUES)]
    reporters = _reporters(r_year, r_p, r_org, r_skill, values, p_eco, organisations)
    public = _published(connection, ints[:, 0], ints[:, 2], reports[:, -1].astype(np.int64))
    public_reporters = (
        reporters
        if public.all()
        else _reporters(
            r_year[public],
            r_p[public],
            r_org[public],
            r_skill[public],
            values[public],
            p_eco,
            organisations,
        )
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
        public_reporters=public_reporters,
        memberships=memberships,
        first_year=first_year,
        last_year=last_year,
        first_join_year=first_join_year,
    )


def _reporters(
    year: Codes,
    partnership: Codes,
    organisation: Codes,
    skill: Codes,
    values: npt.NDArray[np.float64],
    p_eco: Codes,
    organisations: Organisations,
) -> Reporters:
    """One row per (year, partnership, organisation, skill area) of these report rows, with
    their values summed."""
    reporter_of, _, keys = _unique_rows(year, partnership, organisation, skill)
    n_reporters = len(keys[0]) if keys else 0
    reporter_values = np.zeros((n_reporters, len(REPORTED_VALUES)), dtype=np.float64)
    for k in range(len(REPORTED_VALUES)):
        reporter_values[:, k] = np.bincount(
            reporter_of, weights=values[:, k], minlength=n_reporters
        )
    empty = np.zeros(0, dtype=np.int64)
    y, p, o, s = keys if keys else [empty] * 4
    return Reporters(
        year=y,
        partnership=p,
        ecosystem=p_eco[p],
        organisation=o,
        country=organisations.country[o],
        org_type=organisations.org_type[o],
        skill=s,
        values=reporter_values,
    )


def _published(connection: Connection, partnership_id: Codes, year: Codes, quarter: Codes) -> Mask:
    """Which report rows published figures use: all but those under review in a round."""
    public = np.ones(len(year), dtype=bool)
    held = withheld(connection)
    if not held or not len(year):
        return public
    whole = [pid * 10_000 + y for pid, y, q in held if q == 0]
    quarters = [(pid * 10_000 + y) * 10 + q for pid, y, q in held if q != 0]
    row_year = partnership_id * 10_000 + year
    if whole:
        public &= ~np.isin(row_year, whole)
    if quarters:
        public &= ~np.isin(row_year * 10 + quarter, quarters)
    return public


def clear() -> None:
    """Forget every snapshot (tests; a process that knows the store was replaced)."""
    _SNAPSHOTS.clear()
