"""Loading checked files into the store and taking them out again: the catalogue files are
checked against, preview, all-or-nothing commit, undo, and the list of loaded files.

Rows arrive read and checked by `ingest` (the types are in data_access.upload_rows). Here
they are matched with the stored rows by natural key: a row not stored yet is new, a stored
row with other values is replaced (its previous values are kept for undo), an equal one is
left alone. A commit is one transaction; a file that would change nothing writes nothing.
Loads and undos take turns (an advisory lock on PostgreSQL, the write lock on SQLite), so
two at once lose no row and count the data version right.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import partial
from typing import Any

import pandas as pd
from sqlalchemy import Table, bindparam, delete, func, insert, or_, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.access import AccessDenied, Caller, Role
from data_access.dataset import (
    SOURCE_REPORTS,
    Reload,
    dataset_state,
    last_reload,
    record_change,
)
from data_access.models import (
    REPORTED_VALUES,
    Country,
    Membership,
    Organisation,
    OrganisationType,
    OutcomeReport,
    Partnership,
    SkillArea,
    UploadBatch,
    UploadBatchPartnership,
    UploadChange,
)
from data_access.upload_rows import (
    Catalogue,
    CheckedUpload,
    MemberRow,
    OutcomeRow,
    UploadKind,
    lookup_key,
)

OUTCOMES: Table = OutcomeReport.__table__  # type: ignore[attr-defined]
MEMBERSHIPS: Table = Membership.__table__  # type: ignore[attr-defined]
ORGANISATIONS: Table = Organisation.__table__  # type: ignore[attr-defined]
PARTNERSHIPS: Table = Partnership.__table__  # type: ignore[attr-defined]
COUNTRIES: Table = Country.__table__  # type: ignore[attr-defined]
ORG_TYPES: Table = OrganisationType.__table__  # type: ignore[attr-defined]
SKILLS: Table = SkillArea.__table__  # type: ignore[attr-defined]
BATCHES: Table = UploadBatch.__table__  # type: ignore[attr-defined]
BATCH_PARTNERSHIPS: Table = UploadBatchPartnership.__table__  # type: ignore[attr-defined]
CHANGES: Table = UploadChange.__table__  # type: ignore[attr-defined]

# What a file may change in each table; the rest of a row is its natural key.
OUTCOME_VALUES = REPORTED_VALUES
MEMBERSHIP_VALUES = ("joined_on", "left_on", "role")
ORGANISATION_VALUES = ("org_type", "size_class", "nuts_code", "listed")
CHANGEABLE: dict[str, tuple[str, ...]] = {
    "outcome_report": OUTCOME_VALUES,
    "membership": MEMBERSHIP_VALUES,
    "organisation": ORGANISATION_VALUES,
}
TABLES: dict[str, Table] = {
    "outcome_report": OUTCOMES,
    "membership": MEMBERSHIPS,
    "organisation": ORGANISATIONS,
}
DATE_COLUMNS = frozenset({"joined_on", "left_on"})
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "outcome_report": ("partnership_id", "organisation_id", "year", "quarter", "skill_area"),
    "membership": ("partnership_id", "organisation_id", "joined_on"),
    "organisation": ("name", "country_code"),
}
# What an undo digest covers: every column but the id and the record key (set once when an
# organisation is added, never changed), in table order.
DIGESTED: dict[str, tuple[str, ...]] = {
    name: tuple(c.name for c in table.columns if c.name not in ("id", "record_key"))
    for name, table in TABLES.items()
}
LABELS = {
    "investment_eur": "investment (EUR)",
    "joined_on": "joined",
    "left_on": "left",
    "org_type": "type",
    "size_class": "size",
    "nuts_code": "NUTS region",
    "listed": "listed publicly",
}

PREVIEW_LINES = 200
"""At most this many changing lines are described in a preview."""

CHUNK = 5_000  # rows per executemany
COPY_FROM = 500  # rows from which PostgreSQL gets them by COPY rather than INSERT
IN_CHUNK = 900  # values per IN list (well under SQLite's bound-parameter limit)
# Any fixed number, other than the migration lock's: loads and undos take it in turn.
PG_UPLOAD_LOCK = 0x5041_4354_0006


class LineStatus(StrEnum):
    """What loading a line does."""

    NEW = "new"
    REPLACES = "replaces"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class PreviewLine:
    """One line of a file that would change the store, and how."""

    line: int
    status: LineStatus
    changes: str


@dataclass(frozen=True)
class UploadPreview:
    """What loading a checked file would do, counted by line, before anything is written.

    lines describes the first PREVIEW_LINES lines that change something (in file order);
    more_lines counts the changing lines left out.
    """

    kind: UploadKind
    file_name: str
    rows: int
    new: int
    replacing: int
    unchanged: int
    organisations_new: int
    partnerships: tuple[str, ...]  # slugs of the partnerships whose data would change
    lines: tuple[PreviewLine, ...]
    more_lines: int = 0
    notes: tuple[str, ...] = ()  # what the file asks for that loading it leaves as stored

    @property
    def changes_anything(self) -> bool:
        """False when loading the file would leave the store as it is."""
        return bool(self.new or self.replacing)

    def frame(self) -> pd.DataFrame:
        """The described lines as a table: line, status, what changes."""
        return pd.DataFrame(
            {
                "line": [p.line for p in self.lines],
                "status": [p.status.value for p in self.lines],
                "what changes": [p.changes for p in self.lines],
            }
        )


@dataclass(frozen=True)
class UploadBatchInfo:
    """A loaded file: who loaded it and when (UTC), what it was and changed, and its undo."""

    id: int
    kind: UploadKind
    file_name: str
    sha256: str
    uploaded_by: str
    uploaded_at: datetime
    rows_new: int
    rows_replaced: int
    rows_unchanged: int
    organisations_added: int
    partnerships: tuple[str, ...]  # slugs of the partnerships whose data it changed
    undone_by: str | None = None
    undone_at: datetime | None = None
    superseded_at: datetime | None = None  # the whole dataset was loaded again after it

    @property
    def undone(self) -> bool:
        """True once the batch has been undone."""
        return self.undone_at is not None

    @property
    def undoable(self) -> bool:
        """Neither undone nor superseded by a whole-dataset load (whose rows replaced it)."""
        return self.undone_at is None and self.superseded_at is None

    @property
    def status(self) -> str:
        """Loaded, undone (when, by whom) or superseded (when), in words."""
        if self.undone_at is not None:
            return f"undone {self.undone_at:%Y-%m-%d %H:%M} by {self.undone_by}"
        if self.superseded_at is not None:
            return f"superseded by the whole dataset loaded {self.superseded_at:%Y-%m-%d %H:%M}"
        return "loaded"

    @property
    def rows(self) -> int:
        """Lines the file held."""
        return self.rows_new + self.rows_replaced + self.rows_unchanged


# --- the catalogue ingest checks rows against ------------------------------------------------


def catalogue(*, session: Session, caller: Caller) -> Catalogue:
    """What the store knows, as lookups for checking the caller's upload; memberships and
    stored reporting periods only of the partnerships the caller may change."""
    connection = session.connection()
    partnerships: dict[str, str] = {}
    slugs_by_id: dict[int, str] = {}
    for pid, slug, name, short_name in connection.execute(
        select(
            PARTNERSHIPS.c.id, PARTNERSHIPS.c.slug, PARTNERSHIPS.c.name, PARTNERSHIPS.c.short_name
        )
    ):
        slugs_by_id[pid] = slug
        for label in (short_name, name, slug):  # the slug wins a clash
            partnerships[lookup_key(label)] = slug
    changeable = frozenset(s for s in slugs_by_id.values() if caller.can_change(s))
    changeable_ids = [pid for pid, slug in slugs_by_id.items() if slug in changeable]

    organisations: dict[tuple[str, str], str] = {}
    organisation_types: dict[tuple[str, str], str] = {}
    org_keys: dict[int, tuple[str, str]] = {}
    org = ORGANISATIONS.c
    for oid, name, country, org_type in connection.execute(
        select(org.id, org.name, org.country_code, org.org_type)
    ):
        key = (lookup_key(name), country)
        org_keys[oid] = key
        organisations[key] = name
        organisation_types[key] = org_type

    memberships: set[tuple[str, str, str]] = set()
    stored_periods: dict[tuple[str, str, str, int, str], frozenset[int]] = {}
    m = MEMBERSHIPS.c
    r = OUTCOMES.c
    # The quarters of each (member, year, skill area), rebuilt from their count, smallest,
    # largest and sum (quarters are 0-4, so these four fix the set): one row per key, not
    # per stored row, and the grouping done by the database.
    grouped = select(
        r.partnership_id,
        r.organisation_id,
        r.year,
        r.skill_area,
        func.count(),
        func.min(r.quarter),
        func.max(r.quarter),
        func.sum(r.quarter),
    ).group_by(r.partnership_id, r.organisation_id, r.year, r.skill_area)
    sets: dict[tuple[int, int, int, int], frozenset[int]] = {}
    for chunk in _chunks(changeable_ids, IN_CHUNK):
        for pid, oid in connection.execute(
            select(m.partnership_id, m.organisation_id)
            .distinct()
            .where(m.partnership_id.in_(chunk))
        ):
            memberships.add((slugs_by_id[pid], *org_keys[oid]))
        for pid, oid, year, skill, n, low, high, total in connection.execute(
            grouped.where(r.partnership_id.in_(chunk))
        ):
            shape = (n, low, high, total)
            quarters = sets.get(shape)
            if quarters is None:
                quarters = sets[shape] = _quarters(n, low, high, total)
            stored_periods[(slugs_by_id[pid], *org_keys[oid], year, skill)] = quarters

    return Catalogue(
        partnerships=partnerships,
        changeable=changeable,
        organisations=organisations,
        organisation_types=organisation_types,
        memberships=frozenset(memberships),
        skill_areas=_code_lookup(connection, SKILLS),
        countries=_country_lookup(connection),
        org_types=_code_lookup(connection, ORG_TYPES),
        stored_periods=stored_periods,
    )


def _quarters(count: int, low: int, high: int, total: int) -> frozenset[int]:
    """The set of distinct quarters (0-4) with this count, minimum, maximum and sum."""
    if count == 1:
        return frozenset({low})
    if count == 2:
        return frozenset({low, high})
    if count == 3:
        return frozenset({low, int(total) - low - high, high})
    if count == 4:
        return frozenset(range(5)) - {10 - int(total)}
    return frozenset(range(5))


def _code_lookup(connection: Connection, table: Table) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, label in connection.execute(select(table.c.code, table.c.label)):
        found[lookup_key(label)] = code
        found[lookup_key(code)] = code
    return found


def _country_lookup(connection: Connection) -> dict[str, str]:
    found: dict[str, str] = {}
    c = COUNTRIES.c
    for code, iso3, name in connection.execute(select(c.code, c.iso3, c.name)):
        for label in (name, iso3, code):
            found[lookup_key(label)] = code
    return found


# --- planning: what a file changes -----------------------------------------------------------


Description = str | Callable[[], str]  # made only for the lines a preview shows


@dataclass
class _Replacement:
    row_id: int
    values: dict[str, Any]  # the changeable columns, as the file gives them
    previous: dict[str, Any]  # the changeable columns, as stored
    written: dict[str, Any]  # the whole row after the change (for the undo digest)


@dataclass
class _Plan:
    """Everything a load writes, worked out from the stored rows before writing any."""

    kind: UploadKind
    rows: int
    statuses: list[tuple[int, LineStatus, Description]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    partnerships: set[str] = field(default_factory=set)
    organisations_added: list[dict[str, Any]] = field(default_factory=list)
    organisations_replaced: list[_Replacement] = field(default_factory=list)
    # each with organisation_id, or "_org": (name, country) of an organisation the load adds
    memberships_added: list[dict[str, Any]] = field(default_factory=list)
    memberships_replaced: list[_Replacement] = field(default_factory=list)
    outcomes_added: list[dict[str, Any]] = field(default_factory=list)
    outcomes_replaced: list[_Replacement] = field(default_factory=list)

    def count(self, status: LineStatus) -> int:
        """Lines with this status."""
        return sum(1 for _, s, _ in self.statuses if s is status)

    @property
    def changes_anything(self) -> bool:
        """True when the load writes at least one row."""
        return any(s is not LineStatus.UNCHANGED for _, s, _ in self.statuses)


def _require_loadable(upload: CheckedUpload) -> None:
    if upload.problems:
        raise ValueError(
            f"{upload.file_name!r} has {len(upload.problems)} problem(s); "
            "fix them and check the file again"
        )
    if not upload.rows:
        raise ValueError(f"{upload.file_name!r} holds no rows to load")
    wanted = MemberRow if upload.kind is UploadKind.MEMBERS else OutcomeRow
    if not all(isinstance(row, wanted) for row in upload.rows):
        raise ValueError(f"a {upload.kind.value} file must hold only {wanted.__name__}s")


def _require_scope(caller: Caller, upload: CheckedUpload) -> None:
    for slug in sorted({row.partnership for row in upload.rows}):
        caller.require_change(slug)


def _plan(connection: Connection, caller: Caller, upload: CheckedUpload) -> _Plan:
    _require_loadable(upload)
    _require_scope(caller, upload)
    partnership_ids: dict[str, int] = {
        slug: pid
        for slug, pid in connection.execute(select(PARTNERSHIPS.c.slug, PARTNERSHIPS.c.id))
    }
    unknown = sorted({r.partnership for r in upload.rows} - partnership_ids.keys())
    if unknown:
        raise ValueError(f"no partnership {unknown[0]!r} in the store")
    if upload.kind is UploadKind.MEMBERS:
        members = [r for r in upload.rows if isinstance(r, MemberRow)]
        return _plan_members(connection, caller, members, partnership_ids)
    outcomes = [r for r in upload.rows if isinstance(r, OutcomeRow)]
    return _plan_outcomes(connection, outcomes, partnership_ids)


def _organisations(
    connection: Connection, names: Iterable[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Stored organisations with these names, by (name, country code)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in _chunks(sorted(set(names)), IN_CHUNK):
        for row in connection.execute(
            select(ORGANISATIONS).where(ORGANISATIONS.c.name.in_(chunk))
        ).mappings():
            found[(row["name"], row["country_code"])] = dict(row)
    return found


def _plan_outcomes(
    connection: Connection, rows: list[OutcomeRow], partnership_ids: dict[str, int]
) -> _Plan:
    plan = _Plan(kind=UploadKind.OUTCOMES, rows=len(rows))
    stored_orgs = _organisations(connection, (r.organisation for r in rows))
    org_ids: dict[tuple[str, str], int] = {k: v["id"] for k, v in stored_orgs.items()}
    for row in rows:
        if (row.organisation, row.country_code) not in org_ids:
            raise ValueError(
                f"line {row.line}: no organisation {row.organisation!r} ({row.country_code}) "
                "in the store; load it in a members file first"
            )

    # The stored rows these lines may meet: their partnerships and years (and organisations,
    # when there are few, so a small file on a big store reads little).
    r = OUTCOMES.c
    pids = sorted({partnership_ids[row.partnership] for row in rows})
    years = sorted({row.year for row in rows})
    oids = sorted({org_ids[(row.organisation, row.country_code)] for row in rows})
    query = select(OUTCOMES).where(r.partnership_id.in_(pids), r.year.in_(years))
    if len(oids) <= IN_CHUNK:
        query = query.where(r.organisation_id.in_(oids))
    stored: dict[tuple[int, int, int, int, str], dict[str, Any]] = {}
    quarters: dict[tuple[int, int, int, str], set[int]] = defaultdict(set)
    for found in connection.execute(query).mappings():
        key = (
            found["partnership_id"],
            found["organisation_id"],
            found["year"],
            found["quarter"],
            found["skill_area"],
        )
        stored[key] = dict(found)
        quarters[(key[0], key[1], key[2], key[4])].add(found["quarter"])

    seen: dict[tuple[int, int, int, int, str], int] = {}
    for row in rows:
        pid = partnership_ids[row.partnership]
        oid = org_ids[(row.organisation, row.country_code)]
        key = (pid, oid, row.year, row.quarter, row.skill_area)
        if key in seen:
            raise ValueError(f"lines {seen[key]} and {row.line} report the same period twice")
        seen[key] = row.line
        quarters[(pid, oid, row.year, row.skill_area)].add(row.quarter)
        values = _outcome_values(row)
        before = stored.get(key)
        if before is None:
            plan.outcomes_added.append(
                {
                    "partnership_id": pid,
                    "organisation_id": oid,
                    "year": row.year,
                    "quarter": row.quarter,
                    "skill_area": row.skill_area,
                    **values,
                }
            )
            plan.statuses.append((row.line, LineStatus.NEW, partial(_describe_new, values)))
            plan.partnerships.add(row.partnership)
            continue
        previous = _pick(before, OUTCOME_VALUES)
        if _same(previous, values):
            plan.statuses.append((row.line, LineStatus.UNCHANGED, ""))
            continue
        plan.outcomes_replaced.append(
            _Replacement(
                row_id=before["id"],
                values=values,
                previous=previous,
                written={**before, **values},
            )
        )
        what = partial(_describe_change, previous, values)
        plan.statuses.append((row.line, LineStatus.REPLACES, what))
        plan.partnerships.add(row.partnership)

    # A year is reported whole (quarter 0) or by quarters, never both: it would count twice.
    for row in rows:
        pid = partnership_ids[row.partnership]
        oid = org_ids[(row.organisation, row.country_code)]
        held = quarters[(pid, oid, row.year, row.skill_area)]
        if 0 in held and len(held) > 1:
            raise ValueError(
                f"line {row.line}: {row.organisation} would hold both whole-year and quarterly "
                f"figures for {row.year} ({row.skill_area}); a year is reported one way"
            )
    return plan


def _outcome_values(row: OutcomeRow) -> dict[str, Any]:
    return {
        "women": int(row.women),
        "men": int(row.men),
        "other_gender": int(row.other_gender),
        "not_recorded": int(row.not_recorded),
        "programmes": int(row.programmes),
        "investment_eur": float(row.investment_eur),
        "people_reached": int(row.people_reached),
    }


def _plan_members(
    connection: Connection, caller: Caller, rows: list[MemberRow], partnership_ids: dict[str, int]
) -> _Plan:
    plan = _Plan(kind=UploadKind.MEMBERS, rows=len(rows))
    stored_orgs = _organisations(connection, (r.organisation for r in rows))

    # The details each organisation gets: per column, from the lines that give one (an empty
    # cell gives none: a file never erases a stored detail).
    details: dict[tuple[str, str], dict[str, Any]] = {}
    first_line: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for row in rows:
        key = (row.organisation, row.country_code)
        known = details.setdefault(key, {})
        for column, value in (
            ("org_type", row.org_type),
            ("size_class", row.size_class),
            ("nuts_code", row.nuts_code),
            ("listed", row.listed),
        ):
            if value is None:
                continue
            if column in known and known[column] != value:
                raise ValueError(
                    f"lines {first_line[key][column]} and {row.line} give {row.organisation} "
                    f"({row.country_code}) different values of {column}"
                )
            known[column] = value
            first_line[key].setdefault(column, row.line)

    # Stored organisations whose details the file changes: only when every partnership the
    # organisation belongs to is one the caller may change; otherwise the stored ones stay.
    differing = {
        key: {**_pick(stored_orgs[key], ORGANISATION_VALUES), **given}
        for key, given in details.items()
        if key in stored_orgs and not _same(stored_orgs[key], given)
    }
    belongs: dict[int, set[str]] = defaultdict(set)
    ids = [stored_orgs[k]["id"] for k in differing]
    for chunk in _chunks(ids, IN_CHUNK):
        m = MEMBERSHIPS.c
        for oid, slug in connection.execute(
            select(m.organisation_id, PARTNERSHIPS.c.slug)
            .join_from(MEMBERSHIPS, PARTNERSHIPS, m.partnership_id == PARTNERSHIPS.c.id)
            .where(m.organisation_id.in_(chunk))
            .distinct()
        ):
            belongs[oid].add(slug)
    org_notes: dict[tuple[str, str], str] = {}
    for key, given in differing.items():
        stored_org = stored_orgs[key]
        previous = _pick(stored_org, ORGANISATION_VALUES)
        if all(caller.can_change(slug) for slug in belongs[stored_org["id"]]):
            plan.organisations_replaced.append(
                _Replacement(
                    row_id=stored_org["id"],
                    values=given,
                    previous=previous,
                    written={**stored_org, **given},
                )
            )
            org_notes[key] = "organisation " + _describe_change(previous, given)
        else:  # shared with partnerships the caller may not change: the stored ones stay
            org_notes[key] = ""
            plan.notes.append(
                f"line {min(first_line[key].values())}: the stored details of {key[0]} "
                f"({key[1]}) stay as they are: it is also a member of partnerships you may not "
                "change"
            )
    for key, given in details.items():
        if key not in stored_orgs:
            blank = {"org_type": None, "size_class": None, "nuts_code": None, "listed": True}
            plan.organisations_added.append(
                {"name": key[0], "country_code": key[1], **blank, **given}
            )

    # Memberships: the stored one with the same start, else one whose period overlaps the
    # line's (a corrected start); with none, the line is a new membership (or a rejoin).
    stored_memberships: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    known_ids = sorted({v["id"] for v in stored_orgs.values()})
    pids = sorted({partnership_ids[r.partnership] for r in rows})
    m = MEMBERSHIPS.c
    for chunk in _chunks(known_ids, IN_CHUNK):
        for found in connection.execute(
            select(MEMBERSHIPS).where(m.organisation_id.in_(chunk), m.partnership_id.in_(pids))
        ).mappings():
            stored_memberships[(found["partnership_id"], found["organisation_id"])].append(
                dict(found)
            )
    matched: dict[int, dict[str, Any]] = {}  # line -> stored membership
    claimed: set[int] = set()
    for exact in (True, False):
        for row in rows:
            org = stored_orgs.get((row.organisation, row.country_code))
            if row.line in matched or org is None:
                continue
            for candidate in stored_memberships[(partnership_ids[row.partnership], org["id"])]:
                if candidate["id"] in claimed:
                    continue
                if (exact and candidate["joined_on"] == row.joined_on) or (
                    not exact and _overlap(candidate, row)
                ):
                    matched[row.line] = candidate
                    claimed.add(candidate["id"])
                    break

    for row in rows:
        key = (row.organisation, row.country_code)
        values = {"joined_on": row.joined_on, "left_on": row.left_on, "role": row.role}
        org_note = org_notes.get(key, "")
        before = matched.get(row.line)
        if before is None:
            new_org = key not in stored_orgs
            org_ref = {"_org": key} if new_org else {"organisation_id": stored_orgs[key]["id"]}
            plan.memberships_added.append(
                {"partnership_id": partnership_ids[row.partnership], **org_ref, **values}
            )
            what = "; ".join(t for t in (_describe_join(row, new_org), org_note) if t)
            plan.statuses.append((row.line, LineStatus.NEW, what))
            plan.partnerships.add(row.partnership)
            org_notes[key] = ""
            continue
        previous = _pick(before, MEMBERSHIP_VALUES)
        same = _same(previous, values)
        if not same:
            plan.memberships_replaced.append(
                _Replacement(
                    row_id=before["id"],
                    values=values,
                    previous=previous,
                    written={**before, **values},
                )
            )
        if same and not org_note:
            plan.statuses.append((row.line, LineStatus.UNCHANGED, ""))
            continue
        change = "" if same else "membership " + _describe_change(previous, values)
        plan.statuses.append(
            (row.line, LineStatus.REPLACES, "; ".join(t for t in (change, org_note) if t))
        )
        plan.partnerships.add(row.partnership)
        org_notes[key] = ""  # an organisation changes once, on the first line naming it
    return plan


def _overlap(stored: dict[str, Any], row: MemberRow) -> bool:
    far = date.max
    return bool(
        stored["joined_on"] < (row.left_on or far) and row.joined_on < (stored["left_on"] or far)
    )


def _pick(row: Mapping[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    return {c: row[c] for c in columns}


def _same(stored: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    for column, value in given.items():
        old = stored[column]
        if isinstance(value, float) or isinstance(old, float):
            if old is None or value is None or not math.isclose(old, value, rel_tol=1e-12):
                return False
        elif old != value:
            return False
    return True


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _label(column: str) -> str:
    return LABELS.get(column, column.replace("_", " "))


def _describe_new(values: Mapping[str, Any]) -> str:
    return ", ".join(f"{_label(c)} {_show(v)}" for c, v in values.items())


def _describe_change(previous: Mapping[str, Any], values: Mapping[str, Any]) -> str:
    return ", ".join(
        f"{_label(c)} {_show(previous[c])} → {_show(v)}"
        for c, v in values.items()
        if not _same({c: previous[c]}, {c: v})
    )


def _describe_join(row: MemberRow, new_org: bool) -> str:
    text_ = f"joins {row.joined_on.isoformat()} as {row.role}"
    if row.left_on is not None:
        text_ += f", left {row.left_on.isoformat()}"
    if new_org:
        listing = ", not listed publicly" if row.listed is False else ""
        text_ += f"; new organisation ({row.org_type}, {row.country_code}{listing})"
    return text_


# --- preview and commit ----------------------------------------------------------------------


def preview_upload(*, session: Session, caller: Caller, upload: CheckedUpload) -> UploadPreview:
    """What loading the checked file would do: lines new, replacing and unchanged.

    Raises AccessDenied when a line belongs to a partnership the caller may not change, and
    ValueError when the file has problems or no rows.
    """
    plan = _plan(session.connection(), caller, upload)
    return _preview(plan, upload)


def _preview(plan: _Plan, upload: CheckedUpload) -> UploadPreview:
    changing = [(line, s, what) for line, s, what in plan.statuses if s is not LineStatus.UNCHANGED]
    changing.sort(key=lambda item: item[0])
    return UploadPreview(
        kind=upload.kind,
        file_name=upload.file_name,
        rows=plan.rows,
        new=plan.count(LineStatus.NEW),
        replacing=plan.count(LineStatus.REPLACES),
        unchanged=plan.count(LineStatus.UNCHANGED),
        organisations_new=len(plan.organisations_added),
        partnerships=tuple(sorted(plan.partnerships)),
        lines=tuple(
            PreviewLine(line, status, what if isinstance(what, str) else what())
            for line, status, what in changing[:PREVIEW_LINES]
        ),
        more_lines=max(0, len(changing) - PREVIEW_LINES),
        notes=tuple(plan.notes),
    )


def commit_upload(
    *, engine: Engine, caller: Caller, upload: CheckedUpload
) -> UploadBatchInfo | None:
    """Load a checked file in one transaction; None (and nothing written) when it would
    change nothing.

    New rows are added, changed rows replaced (their previous values kept for undo), equal
    rows left alone; a members file adds the organisations it names that the store lacks.
    The batch is recorded and the data version goes up. AccessDenied when a line is outside
    the caller's partnerships; ValueError when the file has problems or no rows. On any
    error the store stays exactly as it was.
    """
    _require_loadable(upload)
    _require_scope(caller, upload)
    if caller.email is None:
        raise AccessDenied("loading a file needs a signed-in address")
    with Session(engine) as session:
        try:
            connection = session.connection()
            _take_turn(connection)
            plan = _plan(connection, caller, upload)
            if not plan.changes_anything:
                session.rollback()
                return None
            info = _write(connection, caller.email, upload, plan)
            _record(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return info


def _take_turn(connection: Connection) -> None:
    """Wait for any other load or undo to finish; hold the turn until this transaction ends.

    On SQLite the first statement of the transaction is a write, which takes the database's
    write lock (waiting up to the busy timeout); the update changes no value.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_UPLOAD_LOCK})
    else:
        connection.execute(text("UPDATE dataset_info SET value = value WHERE key = 'version'"))


def _write(
    connection: Connection, email: str, upload: CheckedUpload, plan: _Plan
) -> UploadBatchInfo:
    now = datetime.now(UTC)
    batch: dict[str, Any] = {
        "kind": upload.kind.value,
        "file_name": upload.file_name[:255],
        "sha256": upload.sha256,
        "uploaded_by": email,
        "uploaded_at": now,
        "rows_new": plan.count(LineStatus.NEW),
        "rows_replaced": plan.count(LineStatus.REPLACES),
        "rows_unchanged": plan.count(LineStatus.UNCHANGED),
        "organisations_added": len(plan.organisations_added),
    }
    batch_id = connection.execute(
        insert(BATCHES).values(**batch).returning(BATCHES.c.id)
    ).scalar_one()
    slugs = sorted(plan.partnerships)
    connection.execute(
        insert(BATCH_PARTNERSHIPS), [{"batch_id": batch_id, "partnership": s} for s in slugs]
    )
    changes: list[dict[str, Any]] = []

    org_ids: dict[tuple[str, str], int] = {}
    if plan.organisations_added:
        rows = plan.organisations_added
        for row, row_id in zip(rows, _insert(connection, "organisation", rows), strict=True):
            org_ids[(row["name"], row["country_code"])] = row_id
            changes.append(_added(batch_id, "organisation", row_id, row))
    _replace(connection, batch_id, "organisation", plan.organisations_replaced, changes)

    if plan.memberships_added:
        rows = []
        for membership in plan.memberships_added:
            row = {k: v for k, v in membership.items() if k != "_org"}
            if "_org" in membership:
                row["organisation_id"] = org_ids[membership["_org"]]
            rows.append(row)
        for row, row_id in zip(rows, _insert(connection, "membership", rows), strict=True):
            changes.append(_added(batch_id, "membership", row_id, row))
    _replace(connection, batch_id, "membership", plan.memberships_replaced, changes)

    if plan.outcomes_added:
        rows = plan.outcomes_added
        for row, row_id in zip(rows, _insert_outcomes(connection, rows), strict=True):
            changes.append(_added(batch_id, "outcome_report", row_id, row))
    _replace(connection, batch_id, "outcome_report", plan.outcomes_replaced, changes)

    _bulk_insert(connection, CHANGES, changes)
    return UploadBatchInfo(
        id=batch_id,
        kind=upload.kind,
        file_name=batch["file_name"],
        sha256=upload.sha256,
        uploaded_by=email,
        uploaded_at=now,
        rows_new=batch["rows_new"],
        rows_replaced=batch["rows_replaced"],
        rows_unchanged=batch["rows_unchanged"],
        organisations_added=batch["organisations_added"],
        partnerships=tuple(slugs),
    )


def _insert(connection: Connection, table_name: str, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows in chunks; their new ids, in the rows' order (matched by natural key, so
    the database may return them in any order and insert many rows per statement)."""
    table = TABLES[table_name]
    key = NATURAL_KEYS[table_name]
    returned = insert(table).returning(table.c.id, *(table.c[c] for c in key))
    ids: dict[tuple[Any, ...], int] = {}
    for chunk in _chunks(rows, CHUNK):
        for row_id, *natural in connection.execute(returned, chunk):
            ids[tuple(natural)] = row_id
    return [ids[tuple(row[c] for c in key)] for row in rows]


def _insert_outcomes(connection: Connection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert outcome rows; their new ids in the rows' order. On PostgreSQL many rows go in
    by COPY and their ids are read back by natural key (nothing else writes these keys while
    this transaction holds the turn, and they were not stored before)."""
    if not _copies(connection) or len(rows) < COPY_FROM:
        return _insert(connection, "outcome_report", rows)
    _bulk_insert(connection, OUTCOMES, rows)
    r = OUTCOMES.c
    key = NATURAL_KEYS["outcome_report"]
    query = select(r.id, *(r[c] for c in key)).where(
        r.partnership_id.in_(sorted({row["partnership_id"] for row in rows})),
        r.year.in_(sorted({row["year"] for row in rows})),
    )
    ids = {tuple(natural): row_id for row_id, *natural in connection.execute(query)}
    return [ids[tuple(row[c] for c in key)] for row in rows]


def _copies(connection: Connection) -> bool:
    """True when rows can go in by COPY (PostgreSQL through psycopg)."""
    return connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg"


def _bulk_insert(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert many rows (all with the same keys): COPY on PostgreSQL, executemany elsewhere."""
    if not rows:
        return
    if not _copies(connection) or len(rows) < COPY_FROM:
        for chunk in _chunks(rows, CHUNK):
            connection.execute(insert(table), chunk)
        return
    columns = list(rows[0])
    quote = connection.dialect.identifier_preparer.quote
    listed = ", ".join(quote(c) for c in columns)
    raw = connection.connection.driver_connection  # the psycopg connection of this transaction
    assert raw is not None
    with (
        raw.cursor() as cursor,
        cursor.copy(f"COPY {quote(table.name)} ({listed}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[c] for c in columns])


def _replace(
    connection: Connection,
    batch_id: int,
    table_name: str,
    replacements: list[_Replacement],
    changes: list[dict[str, Any]],
) -> None:
    if not replacements:
        return
    table = TABLES[table_name]
    columns = CHANGEABLE[table_name]
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({c: bindparam(f"new_{c}") for c in columns})
    )
    params = [
        {"row_id": r.row_id, **{f"new_{c}": r.values[c] for c in columns}} for r in replacements
    ]
    for chunk in _chunks(params, CHUNK):
        connection.execute(statement, chunk)
    for r in replacements:
        changes.append(
            {
                "batch_id": batch_id,
                "table_name": table_name,
                "row_id": r.row_id,
                "action": "replaced",
                "previous": json.dumps(
                    {c: _json_value(r.previous[c]) for c in columns}, separators=(",", ":")
                ),
                "written": _digest(table_name, r.written),
            }
        )


def _added(batch_id: int, table_name: str, row_id: int, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "table_name": table_name,
        "row_id": row_id,
        "action": "added",
        "previous": None,
        "written": _digest(table_name, row),
    }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _from_json(column: str, value: Any) -> Any:
    if column in DATE_COLUMNS and value is not None:
        return date.fromisoformat(value)
    return value


def _digest(table_name: str, row: Mapping[str, Any]) -> str:
    """A short digest of a row's stored columns (all but its id), to notice later changes.

    Values are typed as the database returns them (int, float, str, date, None): rows built
    for writing are typed the same way (see _outcome_values)."""
    values = repr(tuple(row[c] for c in DIGESTED[table_name]))
    return hashlib.blake2b(values.encode(), digest_size=12).hexdigest()


def _record(session: Session) -> None:
    """Bump the data version; a store holding synthetic data (demo or stress-test) keeps
    saying so."""
    state = dataset_state(session=session)
    source = state.source if state.is_demo else SOURCE_REPORTS
    record_change(session=session, source=source, as_of=_as_of(session.connection(), state.as_of))


def _as_of(connection: Connection, current: str) -> str:
    """The end of the latest reporting period held; without outcome rows, the current as-of
    date (or today's)."""
    r = OUTCOMES.c
    latest = connection.execute(select(func.max(r.year))).scalar()
    if latest is None:
        return current or datetime.now(UTC).date().isoformat()
    first, last = connection.execute(
        select(func.min(r.quarter), func.max(r.quarter)).where(r.year == latest)
    ).one()
    month = 12 if first == 0 else 3 * int(last)  # quarter 0 is the whole year
    last_day = {3: 31, 6: 30, 9: 30, 12: 31}[month]
    return date(int(latest), month, last_day).isoformat()


# --- undo ------------------------------------------------------------------------------------


def undo_batch(*, engine: Engine, caller: Caller, batch_id: int) -> UploadBatchInfo:
    """Take a loaded file out again, in one transaction: remove the rows it added, restore
    the rows it replaced, and remove the organisations and memberships it added unless
    other rows use them. Only its uploader or an admin may (AccessDenied otherwise).

    ValueError when the batch is unknown, already undone, or when a later batch, not undone,
    changed rows it wrote (undo that one first), or its rows were changed otherwise since.
    """
    if caller.email is None:
        raise AccessDenied("undoing a file needs a signed-in address")
    with Session(engine) as session:
        try:
            connection = session.connection()
            _take_turn(connection)
            info = _batch(session, batch_id)
            if info is None:
                raise ValueError(f"no loaded file with batch number {batch_id}")
            if not caller.can_undo(info.uploaded_by):
                raise AccessDenied(
                    f"batch {batch_id} was loaded by {info.uploaded_by}; only they or an "
                    "admin may undo it"
                )
            if info.undone:
                raise ValueError(
                    f"batch {batch_id} was already undone by {info.undone_by} "
                    f"on {_when(info.undone_at)}"
                )
            if info.superseded_at is not None:
                raise ValueError(
                    f"batch {batch_id} was superseded when the whole dataset was loaded again "
                    f"on {_when(info.superseded_at)}: its rows are no longer held, so there is "
                    "nothing to undo"
                )
            later = _later_batches(connection, batch_id)
            if later:
                raise ValueError(
                    f"later loads changed rows of batch {batch_id}: undo "
                    + ", then ".join(f"batch {b}" for b in later)
                    + " first"
                )
            for table_name in ("outcome_report", "membership", "organisation"):
                _undo_table(connection, batch_id, table_name)
            connection.execute(delete(CHANGES).where(CHANGES.c.batch_id == batch_id))
            undone = replace(info, undone_by=caller.email, undone_at=datetime.now(UTC))
            connection.execute(
                update(BATCHES)
                .where(BATCHES.c.id == batch_id)
                .values(undone_by=undone.undone_by, undone_at=undone.undone_at)
            )
            _record(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return undone


def _later_batches(connection: Connection, batch_id: int) -> list[int]:
    """Batches after this one, not undone, that changed rows this one wrote (latest first)."""
    mine = CHANGES.alias("mine")
    theirs = CHANGES.alias("theirs")
    rows = connection.execute(
        select(theirs.c.batch_id)
        .distinct()
        .join_from(
            mine,
            theirs,
            (theirs.c.table_name == mine.c.table_name) & (theirs.c.row_id == mine.c.row_id),
        )
        .join(BATCHES, BATCHES.c.id == theirs.c.batch_id)
        .where(
            mine.c.batch_id == batch_id,
            theirs.c.batch_id > batch_id,
            BATCHES.c.undone_at.is_(None),
        )
    )
    return sorted((b for (b,) in rows), reverse=True)


def _undo_table(connection: Connection, batch_id: int, table_name: str) -> None:
    table = TABLES[table_name]
    c = CHANGES.c
    recorded = connection.execute(
        select(c.row_id, c.action, c.previous, c.written).where(
            c.batch_id == batch_id, c.table_name == table_name
        )
    ).all()
    if not recorded:
        return
    current: dict[int, dict[str, Any]] = {}
    for row in connection.execute(
        select(table)
        .join_from(table, CHANGES, (c.row_id == table.c.id) & (c.table_name == table_name))
        .where(c.batch_id == batch_id)
    ).mappings():
        current[row["id"]] = dict(row)
    changed = [
        row_id
        for row_id, _, _, written in recorded
        if row_id not in current or _digest(table_name, current[row_id]) != written
    ]
    if changed:
        raise ValueError(
            f"{len(changed)} {table_name.replace('_', ' ')} row(s) batch {batch_id} wrote were "
            "changed or removed since, other than by a load (for example by reloading the "
            "store); it can no longer be undone"
        )

    added = [row_id for row_id, action, _, _ in recorded if action == "added"]
    if table_name == "membership":  # kept while reports of the member remain
        reported = _reported_pairs(connection, [current[i]["organisation_id"] for i in added])
        added = [
            i
            for i in added
            if (current[i]["partnership_id"], current[i]["organisation_id"]) not in reported
        ]
    if table_name == "organisation":  # kept while memberships or reports name it
        in_use = _organisations_in_use(connection, added)
        added = [i for i in added if i not in in_use]
    for chunk in _chunks(added, IN_CHUNK):
        connection.execute(delete(table).where(table.c.id.in_(chunk)))

    columns = CHANGEABLE[table_name]
    statement = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({col: bindparam(f"old_{col}") for col in columns})
    )
    restores = []
    for row_id, action, previous, _ in recorded:
        if action != "replaced":
            continue
        values = json.loads(previous)
        # A column a file could not change when the batch was loaded was not recorded: it
        # keeps its current value (listed, for batches loaded before it became changeable).
        kept = current.get(row_id, {})
        restores.append(
            {
                "row_id": row_id,
                **{
                    f"old_{col}": _from_json(col, values[col]) if col in values else kept[col]
                    for col in columns
                },
            }
        )
    for chunk in _chunks(restores, CHUNK):
        connection.execute(statement, chunk)


def _reported_pairs(connection: Connection, organisation_ids: list[int]) -> set[tuple[int, int]]:
    """(partnership id, organisation id) of the outcome rows of these organisations."""
    r = OUTCOMES.c
    pairs: set[tuple[int, int]] = set()
    for chunk in _chunks(sorted(set(organisation_ids)), IN_CHUNK):
        query = select(r.partnership_id, r.organisation_id).distinct()
        for pid, oid in connection.execute(query.where(r.organisation_id.in_(chunk))):
            pairs.add((pid, oid))
    return pairs


def _organisations_in_use(connection: Connection, organisation_ids: list[int]) -> set[int]:
    """Those of these organisations that memberships or outcome rows name."""
    used: set[int] = set()
    for chunk in _chunks(organisation_ids, IN_CHUNK):
        for table in (MEMBERSHIPS, OUTCOMES):
            query = select(table.c.organisation_id).distinct()
            used.update(
                oid
                for (oid,) in connection.execute(query.where(table.c.organisation_id.in_(chunk)))
            )
    return used


# --- the list of loaded files ----------------------------------------------------------------


def list_batches(*, session: Session, caller: Caller, limit: int = 100) -> list[UploadBatchInfo]:
    """The latest loaded files, newest first: all of them for officers and admins; for
    coordinators those about their partnerships or loaded by them; none for the public."""
    if caller.role is Role.PUBLIC:
        return []
    b = BATCHES.c
    query = select(BATCHES).order_by(b.id.desc()).limit(max(0, limit))
    if not caller.reads_everything:
        about_theirs = select(BATCH_PARTNERSHIPS.c.batch_id).where(
            BATCH_PARTNERSHIPS.c.partnership.in_(sorted(caller.partnerships))
        )
        query = query.where(or_(b.id.in_(about_theirs), b.uploaded_by == (caller.email or "")))
    connection = session.connection()
    rows = [dict(row) for row in connection.execute(query).mappings()]
    partnerships = _batch_partnerships(connection, [r["id"] for r in rows])
    reload = last_reload(session=session)
    return [_info(row, partnerships, reload) for row in rows]


def _batch(session: Session, batch_id: int) -> UploadBatchInfo | None:
    connection = session.connection()
    row = connection.execute(select(BATCHES).where(BATCHES.c.id == batch_id)).mappings().first()
    if row is None:
        return None
    partnerships = _batch_partnerships(connection, [batch_id])
    return _info(dict(row), partnerships, last_reload(session=session))


def _batch_partnerships(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    bp = BATCH_PARTNERSHIPS.c
    for chunk in _chunks(ids, IN_CHUNK):
        for batch_id, slug in connection.execute(
            select(bp.batch_id, bp.partnership)
            .where(bp.batch_id.in_(chunk))
            .order_by(bp.partnership)
        ):
            found[batch_id].append(slug)
    return found


def _info(
    row: Mapping[str, Any], partnerships: Mapping[int, list[str]], reload: Reload | None
) -> UploadBatchInfo:
    superseded = (
        _utc(reload.at)
        if reload is not None and row["undone_at"] is None and row["id"] <= reload.after_batch
        else None
    )
    return UploadBatchInfo(
        id=row["id"],
        kind=UploadKind(row["kind"]),
        file_name=row["file_name"],
        sha256=row["sha256"],
        uploaded_by=row["uploaded_by"],
        uploaded_at=_utc(row["uploaded_at"]),
        rows_new=row["rows_new"],
        rows_replaced=row["rows_replaced"],
        rows_unchanged=row["rows_unchanged"],
        organisations_added=row["organisations_added"],
        partnerships=tuple(partnerships.get(row["id"], ())),
        undone_by=row["undone_by"],
        undone_at=_utc(row["undone_at"]) if row["undone_at"] is not None else None,
        superseded_at=superseded,
    )


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "an unknown date"


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
