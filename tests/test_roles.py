"""Tier 1, roles: who acts as which caller, and how admins grant and revoke roles.

Runs against in-memory SQLite and, when TEST_DATABASE_URL names PostgreSQL, against a schema
of its own there too (PostgreSQL treats NULL partnership ids as distinct in the unique
constraint, so the duplicate checks must hold in code).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from uuid import uuid4

import pytest
from sqlalchemy import create_engine, delete, make_url, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from data_access import make_engine
from data_access.access import PUBLIC, AccessDenied, Caller, Role
from data_access.engine import engine_for
from data_access.models import Partnership, RoleGrant
from data_access.roles import (
    InvalidGrant,
    caller_for_email,
    count_admins,
    grant_role,
    list_grants,
    main,
    normalise_email,
    revoke_grant,
)
from fixtures.load_demo import load_demo

TODAY = date(2026, 11, 26)
ADMIN = Caller(role=Role.ADMIN, email="admin@example.org")
OFFICER = Caller(role=Role.OFFICER, email="officer@example.org")
COORDINATOR = Caller(
    role=Role.COORDINATOR, email="coordinator@example.org", partnerships=frozenset({"tourism"})
)
NON_ADMINS = [PUBLIC, OFFICER, COORDINATOR]


@contextmanager
def isolated_store(directory: Path) -> Iterator[str]:
    """The URL of a store of its own seeded with the demo Pact: a SQLite file in directory or,
    when TEST_DATABASE_URL names PostgreSQL, a schema of its own there (dropped afterwards),
    so grants written by a test never reach the shared test database."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        url = f"sqlite:///{directory / f'roles-{uuid4().hex[:8]}.sqlite3'}"
        load_demo(make_engine(url))
        yield url
        return
    schema = f"roles_{uuid4().hex[:12]}"
    owner = create_engine(base)
    with owner.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        load_demo(make_engine(url))
        yield url
    finally:
        engine_for(url).dispose()
        with owner.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        owner.dispose()


def _backends() -> list[str]:
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"):
        return ["sqlite", "postgresql"]
    return ["sqlite"]


@pytest.fixture(scope="module", params=_backends())
def roles_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A demo store for this module: in-memory SQLite, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        engine = make_engine("sqlite://")
        load_demo(engine)
        yield engine
        return
    with isolated_store(tmp_path_factory.mktemp("roles")) as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture()
def store(roles_engine: Engine) -> Iterator[Session]:
    """A session on the module's store, with no grant in it at the start of each test."""
    with Session(roles_engine) as session:
        session.execute(delete(RoleGrant))
        session.commit()
        yield session
        session.rollback()


def partnership_id(session: Session, slug: str) -> int:
    found = session.exec(select(Partnership.id).where(Partnership.slug == slug)).one()
    assert found is not None
    return found


def put(session: Session, email: str, role: str, slug: str | None = None) -> None:
    """Write a grant directly (not through grant_role), then commit."""
    pid = partnership_id(session, slug) if slug else None
    session.add(RoleGrant(email=email, role=role, partnership_id=pid))
    session.commit()


def rows(session: Session) -> set[tuple[str, str, int | None]]:
    session.expire_all()
    return {(g.email, g.role, g.partnership_id) for g in session.exec(select(RoleGrant)).all()}


# caller_for_email ---------------------------------------------------------------------------


def test_unknown_address_is_public(store: Session) -> None:
    put(store, "officer@example.org", "officer")
    assert caller_for_email(session=store, email="stranger@example.org", verified=True) == PUBLIC


@pytest.mark.parametrize("email", [None, "", "not an address", "officer@example.org"])
def test_missing_malformed_or_unverified_address_is_public(
    store: Session, email: str | None
) -> None:
    put(store, "officer@example.org", "officer")
    assert caller_for_email(session=store, email=email, verified=False) == PUBLIC
    if email != "officer@example.org":
        assert caller_for_email(session=store, email=email, verified=True) == PUBLIC


def test_address_matches_whatever_its_case(store: Session) -> None:
    put(store, "officer@example.org", "officer")
    caller = caller_for_email(session=store, email="  Officer@Example.ORG ", verified=True)
    assert caller.role is Role.OFFICER
    assert caller.email == "officer@example.org"
    assert caller.partnerships == frozenset()


def test_coordinator_gets_the_slugs_of_each_grant(store: Session) -> None:
    put(store, "c@example.org", "coordinator", "automotive")
    put(store, "c@example.org", "coordinator", "tourism")
    put(store, "other@example.org", "coordinator", "digital")
    caller = caller_for_email(session=store, email="c@example.org", verified=True)
    assert caller.role is Role.COORDINATOR
    assert caller.partnerships == frozenset({"automotive", "tourism"})
    assert caller.sees_members_of("tourism") and not caller.sees_members_of("digital")


@pytest.mark.parametrize(
    ("held", "wins"),
    [
        (["coordinator", "officer"], Role.OFFICER),
        (["coordinator", "admin"], Role.ADMIN),
        (["officer", "admin"], Role.ADMIN),
        (["admin", "officer", "coordinator"], Role.ADMIN),
    ],
)
def test_highest_role_wins(store: Session, held: list[str], wins: Role) -> None:
    for role in held:
        put(store, "x@example.org", role, "automotive" if role == "coordinator" else None)
    caller = caller_for_email(session=store, email="x@example.org", verified=True)
    assert caller.role is wins
    assert caller.partnerships == frozenset()


# grant_role ---------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", NON_ADMINS, ids=lambda c: c.role.value)
def test_only_admins_grant_list_or_revoke(store: Session, caller: Caller) -> None:
    put(store, "admin@example.org", "admin")
    before = rows(store)
    with pytest.raises(AccessDenied):
        grant_role(
            session=store,
            caller=caller,
            email="new@example.org",
            role="officer",
            partnership=None,
            today=TODAY,
        )
    with pytest.raises(AccessDenied):
        list_grants(session=store, caller=caller)
    grant_id = store.exec(select(RoleGrant.id)).one()
    assert grant_id is not None
    with pytest.raises(AccessDenied):
        revoke_grant(session=store, caller=caller, grant_id=grant_id)
    store.rollback()
    assert rows(store) == before


def test_admin_grants_each_role(store: Session) -> None:
    done = grant_role(
        session=store,
        caller=ADMIN,
        email=" New.Officer@Example.org",
        role=Role.OFFICER,
        partnership=None,
        today=TODAY,
    )
    coordinator = grant_role(
        session=store,
        caller=ADMIN,
        email="c@example.org",
        role="coordinator",
        partnership="automotive",
        today=TODAY,
    )
    grant_role(
        session=store,
        caller=ADMIN,
        email="a@example.org",
        role="admin",
        partnership="",
        today=TODAY,
    )
    store.commit()
    assert done.email == "new.officer@example.org" and done.role is Role.OFFICER
    assert done.partnership is None and done.granted_by == "admin@example.org"
    assert done.granted_on == TODAY
    assert coordinator.partnership == "automotive"
    assert rows(store) == {
        ("new.officer@example.org", "officer", None),
        ("c@example.org", "coordinator", partnership_id(store, "automotive")),
        ("a@example.org", "admin", None),
    }
    listed = list_grants(session=store, caller=ADMIN)
    assert [(g.email, g.role.value, g.partnership) for g in listed] == [
        ("a@example.org", "admin", None),
        ("c@example.org", "coordinator", "automotive"),
        ("new.officer@example.org", "officer", None),
    ]
    assert caller_for_email(session=store, email="c@example.org", verified=True).partnerships == {
        "automotive"
    }


@pytest.mark.parametrize(
    ("email", "role", "partnership", "message"),
    [
        ("no-at-sign.example.org", "officer", None, "not an e-mail address"),
        ("two@@example.org", "officer", None, "not an e-mail address"),
        ("spaces in@example.org", "officer", None, "not an e-mail address"),
        ("nodot@localhost", "officer", None, "not an e-mail address"),
        ("x" * 250 + "@example.org", "officer", None, "not an e-mail address"),
        ("x@example.org", "public", None, "not a role one can grant"),
        ("x@example.org", "superuser", None, "not a role one can grant"),
        ("x@example.org", "coordinator", None, "needs the partnership"),
        ("x@example.org", "coordinator", "  ", "needs the partnership"),
        ("x@example.org", "coordinator", "no-such-partnership", "no partnership"),
        ("x@example.org", "officer", "automotive", "name none"),
        ("x@example.org", "admin", "automotive", "name none"),
    ],
)
def test_invalid_grants_are_refused_and_change_nothing(
    store: Session, email: str, role: str, partnership: str | None, message: str
) -> None:
    put(store, "admin@example.org", "admin")
    before = rows(store)
    with pytest.raises(InvalidGrant, match=message):
        grant_role(
            session=store,
            caller=ADMIN,
            email=email,
            role=role,
            partnership=partnership,
            today=TODAY,
        )
    store.commit()  # even committing after the refusal writes nothing
    assert rows(store) == before


@pytest.mark.parametrize(
    ("role", "partnership"), [("officer", None), ("admin", None), ("coordinator", "automotive")]
)
def test_duplicates_are_refused(store: Session, role: str, partnership: str | None) -> None:
    put(store, "dup@example.org", role, partnership)
    before = rows(store)
    with pytest.raises(InvalidGrant, match="already"):
        grant_role(
            session=store,
            caller=ADMIN,
            email="DUP@example.org",
            role=role,
            partnership=partnership,
            today=TODAY,
        )
    store.commit()
    assert rows(store) == before


def test_coordinator_of_a_second_partnership_is_not_a_duplicate(store: Session) -> None:
    put(store, "c@example.org", "coordinator", "automotive")
    grant_role(
        session=store,
        caller=ADMIN,
        email="c@example.org",
        role="coordinator",
        partnership="tourism",
        today=TODAY,
    )
    store.commit()
    assert caller_for_email(
        session=store, email="c@example.org", verified=True
    ).partnerships == frozenset({"automotive", "tourism"})


# revoke_grant -------------------------------------------------------------------------------


def grant_id_of(session: Session, email: str, role: str) -> int:
    found = session.exec(
        select(RoleGrant.id).where(RoleGrant.email == email, RoleGrant.role == role)
    ).first()
    assert found is not None
    return found


def test_revoking_takes_the_role_away(store: Session) -> None:
    put(store, "admin@example.org", "admin")
    put(store, "c@example.org", "coordinator", "automotive")
    put(store, "c@example.org", "coordinator", "tourism")
    removed = revoke_grant(
        session=store, caller=ADMIN, grant_id=grant_id_of(store, "c@example.org", "coordinator")
    )
    store.commit()
    left = caller_for_email(session=store, email="c@example.org", verified=True)
    assert left.partnerships == frozenset({"automotive", "tourism"}) - {removed.partnership}
    assert len(left.partnerships) == 1


def test_the_last_admin_grant_stays(store: Session) -> None:
    put(store, "admin@example.org", "admin")
    put(store, "officer@example.org", "officer")
    before = rows(store)
    with pytest.raises(InvalidGrant, match="last admin"):
        revoke_grant(
            session=store, caller=ADMIN, grant_id=grant_id_of(store, "admin@example.org", "admin")
        )
    store.commit()
    assert rows(store) == before
    assert count_admins(session=store) == 1


def test_an_admin_goes_when_another_remains(store: Session) -> None:
    put(store, "admin@example.org", "admin")
    put(store, "second@example.org", "admin")
    revoke_grant(
        session=store, caller=ADMIN, grant_id=grant_id_of(store, "admin@example.org", "admin")
    )
    store.commit()
    assert rows(store) == {("second@example.org", "admin", None)}
    assert caller_for_email(session=store, email="admin@example.org", verified=True) == PUBLIC


def test_unknown_grant_is_refused(store: Session) -> None:
    with pytest.raises(InvalidGrant, match="no grant"):
        revoke_grant(session=store, caller=ADMIN, grant_id=987_654)


def test_normalise_email() -> None:
    assert normalise_email("  Ada.Lovelace@Example.EU ") == "ada.lovelace@example.eu"
    with pytest.raises(InvalidGrant):
        normalise_email("ada@")


# the command line ---------------------------------------------------------------------------


def test_command_line_bootstraps_the_first_admin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with isolated_store(tmp_path) as url:
        assert main(["--database-url", url, "grant", "--email", "Boss@Example.org",
                     "--role", "admin"]) == 0  # fmt: skip
        assert "granted" in capsys.readouterr().out
        engine = make_engine(url)
        with Session(engine) as session:
            assert caller_for_email(
                session=session, email="boss@example.org", verified=True
            ).role is (Role.ADMIN)
            boss = grant_id_of(session, "boss@example.org", "admin")
        assert main(["--database-url", url, "grant", "--email", "c@example.org",
                     "--role", "coordinator", "--partnership", "automotive"]) == 0  # fmt: skip
        assert main(["--database-url", url, "list"]) == 0
        listed = capsys.readouterr().out
        assert "boss@example.org\tadmin" in listed
        assert "c@example.org\tcoordinator of automotive" in listed
        # Refusals exit with 1 and say why; the store keeps its grants.
        assert main(["--database-url", url, "revoke", "--id", str(boss)]) == 1
        assert "last admin" in capsys.readouterr().err
        assert main(["--database-url", url, "grant", "--email", "x@example.org",
                     "--role", "coordinator"]) == 1  # fmt: skip
        with Session(engine) as session:
            assert count_admins(session=session) == 1
            assert len(session.exec(select(RoleGrant)).all()) == 2
        engine.dispose()
