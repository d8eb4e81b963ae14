"""The tables a load writes and an undo restores, what a file may change in each, and the
sizes in which rows and ids are sent to the database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Table

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

CHUNK = 5_000  # rows per executemany
IN_CHUNK = 900  # values per IN list (well under SQLite's bound-parameter limit)


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """The items in consecutive slices of at most size."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
