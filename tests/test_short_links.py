"""Short links in the store: a code made by one replica resolves on another (a separate
process), claiming is idempotent and safe when replicas claim at once, and a code taken by
another query makes the next candidate the code."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from data_access import create_schema, make_engine
from data_access.models import ShortLink
from data_access.short_links import claim_short_code, short_link_query
from presenter import links
from tests.conftest import ON_POSTGRES, REPO

QUERY = "eco=health,digital&slides=numbers,map"


@pytest.fixture()
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store with the schema that several engines (replicas) can open."""
    if ON_POSTGRES:
        url: str = request.getfixturevalue("postgres_url")
    else:
        url = f"sqlite:///{tmp_path / 'links.sqlite3'}"
    engine = make_engine(url)
    create_schema(engine)
    engine.dispose()
    return url


@pytest.fixture()
def replicas(store_url: str) -> Iterator[tuple[Engine, Engine]]:
    """Two engines on one store, as two replicas hold them."""
    engines = (make_engine(store_url), make_engine(store_url))
    yield engines
    for engine in engines:
        engine.dispose()


def _rows(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(ShortLink)).one()


def test_a_code_made_on_one_replica_resolves_in_another_process(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        code = links.short_code(QUERY, engine=engine)
    finally:
        engine.dispose()
    other = subprocess.run(
        [sys.executable, "-c",
         "import sys; from data_access import make_engine; from presenter.links import resolve;"
         " print(resolve(sys.argv[2], engine=make_engine(sys.argv[1])))",
         store_url, code.upper()],
        cwd=REPO, capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert other.stdout.strip() == QUERY


def test_claiming_is_idempotent_and_unknown_codes_resolve_to_nothing(
    replicas: tuple[Engine, Engine],
) -> None:
    a, b = replicas
    code = links.short_code(QUERY, engine=a)
    assert links.short_code(QUERY, engine=b) == code  # the other replica finds the same row
    assert claim_short_code(engine=b, candidates=[code], query=QUERY) == code
    assert _rows(a) == 1
    assert short_link_query(engine=b, code=code) == QUERY
    assert links.resolve(code, engine=b) == QUERY
    assert links.resolve("zzzzzz", engine=b) is None
    assert links.resolve("not a code!", engine=b) is None
    assert links.resolve("", engine=b) is None


def test_a_taken_code_moves_the_query_to_the_next_candidate(
    replicas: tuple[Engine, Engine],
) -> None:
    a, b = replicas
    first, second = links.candidate_codes(QUERY)[:2]
    with Session(a) as session:  # another deck's link already holds the six-letter code
        session.add(ShortLink(code=first, query="eco=other", created_at=datetime.now(UTC)))
        session.commit()
    code = links.short_code(QUERY, engine=b)
    assert code == second and len(code) == links.CODE_LENGTH + 1
    assert links.resolve(first, engine=a) == "eco=other"
    assert links.resolve(second, engine=a) == QUERY
    with pytest.raises(LookupError):
        claim_short_code(engine=a, candidates=[first], query=QUERY)


def test_replicas_claiming_at_once_agree_without_an_error(
    replicas: tuple[Engine, Engine],
) -> None:
    queries = [f"eco=health&from={2000 + i}" for i in range(6)]
    jobs = [(engine, query) for query in queries for engine in replicas for _ in range(3)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(
            pool.map(
                lambda job: claim_short_code(
                    engine=job[0], candidates=links.candidate_codes(job[1]), query=job[1]
                ),
                jobs,
            )
        )
    by_query: dict[str, set[str]] = {}
    for (_, query), code in zip(jobs, codes, strict=True):
        by_query.setdefault(query, set()).add(code)
    assert all(len(found) == 1 for found in by_query.values())
    assert _rows(replicas[0]) == len(queries)


def test_what_a_process_remembers_is_bounded(
    replicas: tuple[Engine, Engine], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, _ = replicas
    monkeypatch.setattr(links, "MAX_REMEMBERED", 5)
    made = {links.short_code(f"eco=health&from={2000 + i}", engine=a): i for i in range(12)}
    codes, queries = links._maps(a)
    assert len(codes) <= 6 and len(queries) <= 6
    assert all(links.resolve(code, engine=a) == f"eco=health&from={2000 + i}"
               for code, i in made.items())  # fmt: skip
