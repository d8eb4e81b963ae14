"""Planning a load: a checked file is validated (no problems, rows in the caller's
partnerships, its organisations and periods consistent with the store) and matched with the
stored rows by natural key, giving everything the load would write. A preview is the plan
counted and described; nothing is written here."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from data_access.access import Caller
from data_access.round_locks import require_unlocked
from data_access.upload_rows import CheckedUpload, MemberRow, OutcomeRow, UploadKind
from data_access.uploads.preview import (
    PREVIEW_LINES,
    Description,
    LineStatus,
    PreviewLine,
    UploadPreview,
    describe_change,
    describe_join,
    describe_new,
    same,
)
from data_access.uploads.tables import (
    IN_CHUNK,
    MEMBERSHIP_VALUES,
    MEMBERSHIPS,
    ORGANISATION_VALUES,
    ORGANISATIONS,
    OUTCOME_VALUES,
    OUTCOMES,
    PARTNERSHIPS,
    chunks,
)


@dataclass
class Replacement:
    """A stored row a load changes: its new values, its previous ones and the row after."""

    row_id: int
    values: dict[str, Any]  # the changeable columns, as the file gives them
    previous: dict[str, Any]  # the changeable columns, as stored
    written: dict[str, Any]  # the whole row after the change (for the undo digest)


@dataclass
class Plan:
    """Everything a load writes, worked out from the stored rows before writing any."""

    kind: UploadKind
    rows: int
    statuses: list[tuple[int, LineStatus, Description]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    partnerships: set[str] = field(default_factory=set)
    organisations_added: list[dict[str, Any]] = field(default_factory=list)
    organisations_replaced: list[Replacement] = field(default_factory=list)
    # each with organisation_id, or "_org": (name, country) of an organisation the load adds
    memberships_added: list[dict[str, Any]] = field(default_factory=list)
    memberships_replaced: list[Replacement] = field(default_factory=list)
    outcomes_added: list[dict[str, Any]] = field(default_factory=list)
    outcomes_replaced: list[Replacement] = field(default_factory=list)

    def count(self, status: LineStatus) -> int:
        """Lines with this status."""
        return sum(1 for _, s, _ in self.statuses if s is status)

    @property
    def changes_anything(self) -> bool:
        """True when the load writes at least one row."""
        return any(s is not LineStatus.UNCHANGED for _, s, _ in self.statuses)


def require_loadable(upload: CheckedUpload) -> None:
    """ValueError unless the file has no problems and holds rows of its kind."""
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


def require_scope(caller: Caller, upload: CheckedUpload) -> None:
    """AccessDenied unless the caller may change every partnership the file names."""
    for slug in sorted({row.partnership for row in upload.rows}):
        caller.require_change(slug)


def plan_upload(connection: Connection, caller: Caller, upload: CheckedUpload) -> Plan:
    """What loading the checked file writes, matched with the stored rows; ValueError or
    AccessDenied when it may not be loaded."""
    require_loadable(upload)
    require_scope(caller, upload)
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
    plan = _plan_outcomes(connection, outcomes, partnership_ids)
    require_unlocked(  # figures an approval locked stay as they are
        connection, [*plan.outcomes_added, *(r.written for r in plan.outcomes_replaced)]
    )
    return plan


def _organisations(
    connection: Connection, names: Iterable[str]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Stored organisations with these names, by (name, country code)."""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for chunk in chunks(sorted(set(names)), IN_CHUNK):
        for row in connection.execute(
            select(ORGANISATIONS).where(ORGANISATIONS.c.name.in_(chunk))
        ).mappings():
            found[(row["name"], row["country_code"])] = dict(row)
    return found


def _plan_outcomes(
    connection: Connection, rows: list[OutcomeRow], partnership_ids: dict[str, int]
) -> Plan:
    plan = Plan(kind=UploadKind.OUTCOMES, rows=len(rows))
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
            plan.statuses.append((row.line, LineStatus.NEW, partial(describe_new, values)))
            plan.partnerships.add(row.partnership)
            continue
        previous = _pick(before, OUTCOME_VALUES)
        if same(previous, values):
            plan.statuses.append((row.line, LineStatus.UNCHANGED, ""))
            continue
        plan.outcomes_replaced.append(
            Replacement(
                row_id=before["id"],
                values=values,
                previous=previous,
                written={**before, **values},
            )
        )
        what = partial(describe_change, previous, values)
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
) -> Plan:
    plan = Plan(kind=UploadKind.MEMBERS, rows=len(rows))
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
        if key in stored_orgs and not same(stored_orgs[key], given)
    }
    belongs: dict[int, set[str]] = defaultdict(set)
    ids = [stored_orgs[k]["id"] for k in differing]
    for chunk in chunks(ids, IN_CHUNK):
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
                Replacement(
                    row_id=stored_org["id"],
                    values=given,
                    previous=previous,
                    written={**stored_org, **given},
                )
            )
            org_notes[key] = "organisation " + describe_change(previous, given)
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
    for chunk in chunks(known_ids, IN_CHUNK):
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
            what = "; ".join(t for t in (describe_join(row, new_org), org_note) if t)
            plan.statuses.append((row.line, LineStatus.NEW, what))
            plan.partnerships.add(row.partnership)
            org_notes[key] = ""
            continue
        previous = _pick(before, MEMBERSHIP_VALUES)
        unchanged = same(previous, values)
        if not unchanged:
            plan.memberships_replaced.append(
                Replacement(
                    row_id=before["id"],
                    values=values,
                    previous=previous,
                    written={**before, **values},
                )
            )
        if unchanged and not org_note:
            plan.statuses.append((row.line, LineStatus.UNCHANGED, ""))
            continue
        change = "" if unchanged else "membership " + describe_change(previous, values)
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


def preview_upload(*, session: Session, caller: Caller, upload: CheckedUpload) -> UploadPreview:
    """What loading the checked file would do: lines new, replacing and unchanged.

    Raises AccessDenied when a line belongs to a partnership the caller may not change, and
    ValueError when the file has problems or no rows.
    """
    plan = plan_upload(session.connection(), caller, upload)
    return _preview(plan, upload)


def _preview(plan: Plan, upload: CheckedUpload) -> UploadPreview:
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
