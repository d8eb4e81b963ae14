"""Committing a load: the planned rows are written in one transaction, with what undo needs
(the previous values of replaced rows, a digest of every row written), the batch recorded
and the data version raised. Loads and undos take turns (an advisory lock on PostgreSQL,
the write lock on SQLite), so two at once lose no row and count the data version right."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.access import AccessDenied, Caller
from data_access.dataset import SOURCE_REPORTS, dataset_state, record_change
from data_access.upload_rows import CheckedUpload
from data_access.uploads.batches import UploadBatchInfo
from data_access.uploads.plan import (
    Plan,
    Replacement,
    plan_upload,
    require_loadable,
    require_scope,
)
from data_access.uploads.preview import LineStatus
from data_access.uploads.tables import (
    BATCH_PARTNERSHIPS,
    BATCHES,
    CHANGEABLE,
    CHANGES,
    CHUNK,
    OUTCOMES,
    TABLES,
    chunks,
)
from i18n import _

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

COPY_FROM = 500  # rows from which PostgreSQL gets them by COPY rather than INSERT
# Any fixed number, other than the migration lock's: loads and undos take it in turn.
PG_UPLOAD_LOCK = 0x5041_4354_0006


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
    require_loadable(upload)
    require_scope(caller, upload)
    if caller.email is None:
        raise AccessDenied(_("loading a file needs a signed-in address"))
    with Session(engine) as session:
        try:
            connection = session.connection()
            take_turn(connection)
            plan = plan_upload(connection, caller, upload)
            if not plan.changes_anything:
                session.rollback()
                return None
            info = _write(connection, caller.email, upload, plan)
            bump_version(session)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return info


def take_turn(connection: Connection) -> None:
    """Wait for any other load or undo to finish; hold the turn until this transaction ends.

    On SQLite the first statement of the transaction is a write, which takes the database's
    write lock (waiting up to the busy timeout); the update changes no value.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_UPLOAD_LOCK})
    else:
        connection.execute(text("UPDATE dataset_info SET value = value WHERE key = 'version'"))


def _write(
    connection: Connection, email: str, upload: CheckedUpload, plan: Plan
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
    for chunk in chunks(rows, CHUNK):
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
        for chunk in chunks(rows, CHUNK):
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
    replacements: list[Replacement],
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
    for chunk in chunks(params, CHUNK):
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
                "written": row_digest(table_name, r.written),
            }
        )


def _added(batch_id: int, table_name: str, row_id: int, row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "batch_id": batch_id,
        "table_name": table_name,
        "row_id": row_id,
        "action": "added",
        "previous": None,
        "written": row_digest(table_name, row),
    }


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def row_digest(table_name: str, row: Mapping[str, Any]) -> str:
    """A short digest of a row's stored columns (all but its id), to notice later changes.

    Values are typed as the database returns them (int, float, str, date, None): rows built
    for writing are typed the same way (see the plan's _outcome_values)."""
    values = repr(tuple(row[c] for c in DIGESTED[table_name]))
    return hashlib.blake2b(values.encode(), digest_size=12).hexdigest()


def bump_version(session: Session) -> None:
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
