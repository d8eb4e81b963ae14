"""The dashboard's store, opened once per process for the page server and the audience view.

The engine for the configured database; an empty store gets the demo data on first start
(PACT_SEED_DEMO), otherwise only the schema, and its aggregates are chosen (PACT_COLUMNAR,
data_access.serving). Both the Streamlit pages (ui.data) and the routes served without
Streamlit (presenter/) open the store here, so there is one owner.
"""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine

from data_access import create_schema, database_url, engine_for
from data_access.serving import aggregates_for
from fixtures.load_demo import seed_if_empty
from settings import get_settings

_ready: set[str] = set()
_lock = threading.Lock()


def open_store() -> Engine:
    """The engine of the configured database, its schema made (and demo data seeded) once
    per process and database."""
    url = database_url()
    engine = engine_for(url)
    if url in _ready:
        return engine
    with _lock:
        if url not in _ready:
            if get_settings().seed_demo:
                seed_if_empty(engine)
            else:
                create_schema(engine)
            aggregates_for(engine)  # SQL or the columnar cache, kept with the engine
            _ready.add(url)
    return engine


def forget() -> None:
    """Open (and check) the store again on next use: for tests that empty a database."""
    with _lock:
        _ready.clear()
