"""The loaded files (upload batches): who loaded each and when, what it was and changed, and
whether it can still be undone; listed as the caller may see them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from data_access.access import Caller, Role
from data_access.dataset import Reload, last_reload
from data_access.upload_rows import UploadKind
from data_access.uploads.tables import BATCH_PARTNERSHIPS, BATCHES, IN_CHUNK, chunks
from i18n import _


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
            return _("undone {when} by {address}").format(
                when=f"{self.undone_at:%Y-%m-%d %H:%M}", address=self.undone_by
            )
        if self.superseded_at is not None:
            return _("superseded by the whole dataset loaded {when}").format(
                when=f"{self.superseded_at:%Y-%m-%d %H:%M}"
            )
        # Translators: the state of a loaded file in the list of loads.
        return _("loaded")

    @property
    def rows(self) -> int:
        """Lines the file held."""
        return self.rows_new + self.rows_replaced + self.rows_unchanged


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


def read_batch(session: Session, batch_id: int) -> UploadBatchInfo | None:
    """The loaded file with this batch number; None when there is none."""
    connection = session.connection()
    row = connection.execute(select(BATCHES).where(BATCHES.c.id == batch_id)).mappings().first()
    if row is None:
        return None
    partnerships = _batch_partnerships(connection, [batch_id])
    return _info(dict(row), partnerships, last_reload(session=session))


def _batch_partnerships(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    bp = BATCH_PARTNERSHIPS.c
    for chunk in chunks(ids, IN_CHUNK):
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
