"""Short links (/s/<code>) to the audience view, and their QR codes drawn by segno as SVG.

A code is derived from the audience query, so the same deck always gets the same code, on
every replica. Codes live in the store (data_access.short_links): the replica that draws the
deck stores its code, and any replica resolves it, before or after a restart. Each process
remembers the codes it has stored or resolved, so a busy link costs the store one query.
A phone that was redirected keeps the full /live?... URL and never needs the code again.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable

import segno
from sqlalchemy.engine import Engine

from data_access.short_links import claim_short_code, short_link_query
from store import open_store

CODE_LENGTH = 6
MAX_CODE_LENGTH = 19  # the longest code tried when shorter ones stand for other queries
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/i/l: nothing to misread or mistype
MAX_REMEMBERED = 10_000  # codes a process keeps per store before it starts over (links are many)


# Where short links are kept when a caller names no engine: the dashboard's store.
STORE: Callable[[], Engine] = open_store

# Per store, what this process knows for sure: query -> code and code -> query. A stored code
# never changes its query, so neither map needs invalidating.
_known: weakref.WeakKeyDictionary[Engine, tuple[dict[str, str], dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()


def _code(query: str, length: int) -> str:
    number = int.from_bytes(hashlib.sha256(query.encode("utf-8")).digest(), "big")
    letters = []
    for _ in range(length):
        number, digit = divmod(number, len(ALPHABET))
        letters.append(ALPHABET[digit])
    return "".join(letters)


def candidate_codes(query: str) -> list[str]:
    """The codes a query may get, shortest first (a longer one only after a collision)."""
    return [_code(query, length) for length in range(CODE_LENGTH, MAX_CODE_LENGTH + 1)]


def _maps(engine: Engine) -> tuple[dict[str, str], dict[str, str]]:
    with _lock:
        codes, queries = _known.setdefault(engine, ({}, {}))
        if len(codes) > MAX_REMEMBERED or len(queries) > MAX_REMEMBERED:
            codes.clear()  # the store still has them all
            queries.clear()
        return codes, queries


def short_code(query: str, *, engine: Engine | None = None) -> str:
    """The short code of an audience query string, stored so /s/<code> resolves everywhere."""
    store = engine if engine is not None else STORE()
    codes, queries = _maps(store)
    code = codes.get(query)
    if code is None:
        code = claim_short_code(engine=store, candidates=candidate_codes(query), query=query)
        with _lock:
            codes[query] = code
            queries[code] = query
    return code


def stored_code(query: str, *, engine: Engine | None = None) -> str | None:
    """The short code of a query if some replica has stored it (the Present page does), else
    None. Stores nothing: a public request for a deck nobody presents adds no row."""
    store = engine if engine is not None else STORE()
    codes, queries = _maps(store)
    code = codes.get(query)
    if code is not None:
        return code
    for candidate in candidate_codes(query):
        found = short_link_query(engine=store, code=candidate)
        if found is None:
            return None  # the first free candidate: the query was never stored
        if found == query:
            with _lock:
                codes[query] = candidate
                queries[candidate] = query
            return candidate
    return None


def resolve(code: str, *, engine: Engine | None = None) -> str | None:
    """The audience query string of a code, or None when no replica has stored it."""
    code = code.lower()
    if not CODE_LENGTH <= len(code) <= MAX_CODE_LENGTH or not set(code) <= set(ALPHABET):
        return None  # not a code we hand out: no need to ask the store
    store = engine if engine is not None else STORE()
    codes, queries = _maps(store)
    query = queries.get(code)
    if query is None:
        query = short_link_query(engine=store, code=code)
        if query is not None:
            with _lock:
                queries[code] = query
                codes[query] = code
    return query


def qr_svg(url: str) -> str:
    """A QR code of the URL as inline SVG, dark on white with the quiet zone scanners need."""
    qr = segno.make(url, error="m")
    svg: str = qr.svg_inline(dark="#000000", light="#ffffff", omitsize=True, title=url)
    return svg
