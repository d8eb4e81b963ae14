"""A whole store's fingerprint: per table, its row count and a SHA-256 over its rows, so a test
can show that an operation changed nothing, or that undoing it put every row back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from sqlalchemy import inspect
from sqlalchemy.engine import Engine

BOOKKEEPING = frozenset(
    {"alembic_version", "dataset_info", "upload_batch", "upload_batch_partnership", "upload_change"}
)
"""Tables that record the store's own history (version, loaded files) rather than its data."""


def store_fingerprint(engine: Engine, *, exclude: Iterable[str] = ()) -> dict[str, tuple[int, str]]:
    """Per table (all of them but `exclude`): (row count, SHA-256 over the sorted rows)."""
    skipped = set(exclude)
    fingerprint: dict[str, tuple[int, str]] = {}
    with engine.connect() as connection:
        quote = connection.dialect.identifier_preparer.quote
        inspector = inspect(connection)
        for table in sorted(inspector.get_table_names()):
            if table in skipped:
                continue
            columns = sorted(column["name"] for column in inspector.get_columns(table))
            listed = ", ".join(quote(c) for c in columns)
            rows = connection.exec_driver_sql(f"SELECT {listed} FROM {quote(table)}").all()
            digest = hashlib.sha256()
            for line in sorted(repr(tuple(row)) for row in rows):
                digest.update(line.encode())
                digest.update(b"\n")
            fingerprint[table] = (len(rows), digest.hexdigest())
    return fingerprint


def data_fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """The fingerprint of the data tables only (not the version or the record of loads)."""
    return store_fingerprint(engine, exclude=BOOKKEEPING)
