"""Which implementation of the aggregates serves each store: the columnar cache
(data_access.columnar) unless PACT_COLUMNAR is off, then SQL (data_access.sql_aggregates).

The switch is read once per engine, on the store's first query, and the choice kept with the
engine for as long as it lives; the query functions of membership.py and outcomes.py ask for
the aggregates of their session's engine and never look at the switch.
"""

from __future__ import annotations

import weakref

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.aggregates import Aggregates
from data_access.columnar import COLUMNAR
from data_access.sql_aggregates import SQL
from data_access.switches import switch

_SERVED: weakref.WeakKeyDictionary[Engine, Aggregates] = weakref.WeakKeyDictionary()


def columnar_enabled() -> bool:
    """Whether stores are served from the columnar cache (PACT_COLUMNAR=off serves them from
    SQL; an unknown value is refused rather than guessed)."""
    return switch("PACT_COLUMNAR")


def aggregates_for(engine: Engine) -> Aggregates:
    """The aggregates serving a store: chosen on its first call, then kept."""
    served = _SERVED.get(engine)
    if served is None:
        served = _SERVED.setdefault(engine, COLUMNAR if columnar_enabled() else SQL)
    return served


def aggregates_of(session: Session) -> Aggregates:
    """The aggregates serving the session's store."""
    return aggregates_for(session.get_bind().engine)


def serve(engine: Engine, aggregates: Aggregates) -> Aggregates:
    """Serve a store from `aggregates` from now on (benchmarks and tests compare the two);
    returns the implementation it replaces."""
    previous = aggregates_for(engine)
    _SERVED[engine] = aggregates
    return previous
