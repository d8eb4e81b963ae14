"""Short links of the audience view in the store: claim a code for a query, resolve a code.

Every replica reads and writes the same table, so a link made on one resolves on all. Claiming
is idempotent and safe when two replicas claim the same code at once (an insert that yields to
an existing row, then a re-read).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Insert, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from data_access.models import ShortLink

_TABLE = ShortLink.__table__  # type: ignore[attr-defined]


def _insert_if_free(connection: Connection, *, code: str, query: str) -> None:
    """Insert the code and commit, unless a row holds it already (then leave that row alone)."""
    values = {"code": code, "query": query, "created_at": datetime.now(UTC)}
    dialect = connection.dialect.name
    statement: Insert
    if dialect == "postgresql":
        statement = postgresql.insert(_TABLE).values(values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        statement = sqlite.insert(_TABLE).values(values).on_conflict_do_nothing()
    else:  # pragma: no cover - the store runs on SQLite or PostgreSQL
        statement = insert(_TABLE).values(values)
    try:
        with connection.begin():
            connection.execute(statement)
    except IntegrityError:  # pragma: no cover - only where ON CONFLICT is missing
        pass


def _query_of(connection: Connection, code: str) -> str | None:
    found: str | None = connection.execute(
        select(_TABLE.c.query).where(_TABLE.c.code == code)
    ).scalar_one_or_none()
    return found


def claim_short_code(*, engine: Engine, candidates: Sequence[str], query: str) -> str:
    """The first candidate code that is free or already stands for this query, now stored.

    Raises LookupError when every candidate stands for another query.
    """
    for code in candidates:
        with engine.connect() as connection:
            known = _query_of(connection, code)
            connection.rollback()  # end the read, so the insert runs in its own transaction
            if known is None:
                _insert_if_free(connection, code=code, query=query)
                known = _query_of(connection, code)  # ours, or another replica's that won
        if known == query:
            return code
    raise LookupError(f"every candidate short code is taken: {list(candidates)}")


def short_link_query(*, engine: Engine, code: str) -> str | None:
    """The query string a code stands for, or None when no replica has stored it."""
    with engine.connect() as connection:
        return _query_of(connection, code)
