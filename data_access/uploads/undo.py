"""Undoing a load: in one transaction, the rows a batch added are removed and the rows it
replaced restored, provided no later load and nothing else changed them since."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.access import AccessDenied, Caller
from data_access.round_locks import require_undo_unlocked
from data_access.uploads.batches import UploadBatchInfo, read_batch
from data_access.uploads.commit import bump_version, row_digest, take_turn
from data_access.uploads.tables import (
    BATCHES,
    CHANGEABLE,
    CHANGES,
    CHUNK,
    IN_CHUNK,
    MEMBERSHIPS,
    OUTCOMES,
    TABLES,
    chunks,
)

DATE_COLUMNS = frozenset({"joined_on", "left_on"})  # kept as ISO text in the previous values


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
            take_turn(connection)
            info = read_batch(session, batch_id)
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
            require_undo_unlocked(connection, batch_id)
            for table_name in ("outcome_report", "membership", "organisation"):
                _undo_table(connection, batch_id, table_name)
            connection.execute(delete(CHANGES).where(CHANGES.c.batch_id == batch_id))
            undone = replace(info, undone_by=caller.email, undone_at=datetime.now(UTC))
            connection.execute(
                update(BATCHES)
                .where(BATCHES.c.id == batch_id)
                .values(undone_by=undone.undone_by, undone_at=undone.undone_at)
            )
            bump_version(session)
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
        if row_id not in current or row_digest(table_name, current[row_id]) != written
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
    for chunk in chunks(added, IN_CHUNK):
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
    for chunk in chunks(restores, CHUNK):
        connection.execute(statement, chunk)


def _reported_pairs(connection: Connection, organisation_ids: list[int]) -> set[tuple[int, int]]:
    """(partnership id, organisation id) of the outcome rows of these organisations."""
    r = OUTCOMES.c
    pairs: set[tuple[int, int]] = set()
    for chunk in chunks(sorted(set(organisation_ids)), IN_CHUNK):
        query = select(r.partnership_id, r.organisation_id).distinct()
        for pid, oid in connection.execute(query.where(r.organisation_id.in_(chunk))):
            pairs.add((pid, oid))
    return pairs


def _organisations_in_use(connection: Connection, organisation_ids: list[int]) -> set[int]:
    """Those of these organisations that memberships or outcome rows name."""
    used: set[int] = set()
    for chunk in chunks(organisation_ids, IN_CHUNK):
        for table in (MEMBERSHIPS, OUTCOMES):
            query = select(table.c.organisation_id).distinct()
            used.update(
                oid
                for (oid,) in connection.execute(query.where(table.c.organisation_id.in_(chunk)))
            )
    return used


def _from_json(column: str, value: Any) -> Any:
    if column in DATE_COLUMNS and value is not None:
        return date.fromisoformat(value)
    return value


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value is not None else "an unknown date"
