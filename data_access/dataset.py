"""What the store says about its own data: source (demo, stress-test or loaded reports), as-of
date, version.

The data version goes up on every write, so caches can key on it instead of being turned off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Integer, String, cast, func, inspect, update
from sqlmodel import Session, select

from data_access.models import DatasetInfo, UploadBatch
from i18n import N_

SOURCE_DEMO = "demo"
SOURCE_STRESS = "stress"  # fixtures.stress: the demo's shape at production scale
SOURCE_REPORTS = "reports"
SYNTHETIC_SOURCES = frozenset({SOURCE_DEMO, SOURCE_STRESS})
RELOADED_AT = "reloaded_at"  # dataset_info keys of the last whole-dataset load
RELOADED_AFTER_BATCH = "reloaded_after_batch"


@dataclass(frozen=True)
class DatasetState:
    """Source, as-of date, last change and version of the data held."""

    source: str
    as_of: str
    last_changed: str
    version: int

    @property
    def is_demo(self) -> bool:
        """True when the figures are synthetic (the demo data, or the stress-test data made
        from it at scale): every view then says it is demo data."""
        return self.source in SYNTHETIC_SOURCES

    @property
    def source_label(self) -> str:
        """How a caption names the source (in English: translate it where shown)."""
        if self.source == SOURCE_DEMO:
            return N_("Demo data (synthetic, calibrated to public Pact figures)")
        if self.source == SOURCE_STRESS:
            return N_("Stress-test data (synthetic, the demo data's shape at scale)")
        if self.source == SOURCE_REPORTS:
            return N_("Loaded outcome reports")
        return N_("No data loaded")


def dataset_state(*, session: Session) -> DatasetState:
    """Read the dataset facts; an empty store reports version 0 and no source."""
    rows: dict[str, str] = dict(session.exec(select(DatasetInfo.key, DatasetInfo.value)).all())
    return DatasetState(
        source=rows.get("source", "none"),
        as_of=rows.get("as_of", ""),
        last_changed=rows.get("last_changed", ""),
        version=int(rows.get("version", "0")),
    )


def record_change(*, session: Session, source: str, as_of: str) -> None:
    """Bump the data version and record source, as-of date and time of change (no commit).

    The bump is one UPDATE computed by the database, so two writers committing at the same
    time both count (the second waits on the row and adds one to the first one's value).
    """
    table = DatasetInfo.__table__  # type: ignore[attr-defined]
    info = table.c
    bumped = session.execute(
        update(table)
        .where(info.key == "version")
        .values(value=cast(cast(info.value, Integer) + 1, String))
    )
    if not bumped.rowcount:  # type: ignore[attr-defined]
        session.add(DatasetInfo(key="version", value="1"))
    values = {
        "source": source,
        "as_of": as_of,
        "last_changed": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    _put(session, values)


def _put(session: Session, values: dict[str, str]) -> None:
    """Write dataset_info keys, adding those not there yet (no commit)."""
    for key, value in values.items():
        row = session.get(DatasetInfo, key)
        if row is None:
            session.add(DatasetInfo(key=key, value=value))
        else:
            row.value = value
            session.add(row)
    session.flush()


@dataclass(frozen=True)
class Reload:
    """The last time the whole dataset was written at once (demo, stress or a full load):
    every loaded file up to and including batch after_batch was superseded then."""

    at: datetime
    after_batch: int


def record_reload(*, session: Session) -> None:
    """Note a whole-dataset load (no commit): the time, and the last batch it supersedes
    (none in a store whose schema predates loaded files)."""
    has_batches = inspect(session.connection()).has_table(UploadBatch.__tablename__)
    last = (session.scalar(select(func.max(UploadBatch.id))) or 0) if has_batches else 0
    values = {RELOADED_AT: datetime.now(UTC).isoformat(), RELOADED_AFTER_BATCH: str(last)}
    _put(session, values)


def last_reload(*, session: Session) -> Reload | None:
    """The last whole-dataset load, if one was noted."""
    rows: dict[str, str] = dict(
        session.exec(
            select(DatasetInfo.key, DatasetInfo.value).where(
                DatasetInfo.key.in_((RELOADED_AT, RELOADED_AFTER_BATCH))  # type: ignore[attr-defined]
            )
        ).all()
    )
    if RELOADED_AT not in rows or RELOADED_AFTER_BATCH not in rows:
        return None
    return Reload(
        at=datetime.fromisoformat(rows[RELOADED_AT]), after_batch=int(rows[RELOADED_AFTER_BATCH])
    )
