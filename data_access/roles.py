"""Who holds which role: the role_grant table, read at sign-in and managed by admins.

Also a small command line, so a deployment can create its first admin before anyone can sign
in as one: `python -m data_access.roles grant --email someone@example.org --role admin`.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from data_access.access import PUBLIC, AccessDenied, Caller, Role
from data_access.engine import create_schema, database_url, make_engine, session_scope
from data_access.models import Partnership, RoleGrant

GRANTABLE = (Role.ADMIN, Role.OFFICER, Role.COORDINATOR)
"""Roles a grant can give, highest first: the highest one an address holds wins."""

# One "@", nothing blank, a dot in the domain: the form check, not proof the address exists
# (the identity provider verifies it at sign-in).
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_EMAIL_MAX = 254


class InvalidGrant(ValueError):
    """A grant or revocation that would break the rules; the message says which rule."""


@dataclass(frozen=True)
class Grant:
    """One role held by one address (coordinators: for one partnership)."""

    id: int
    email: str
    role: Role
    partnership: str | None  # slug, coordinators only
    partnership_name: str | None
    granted_by: str | None
    granted_on: date | None


def normalise_email(email: str) -> str:
    """The address trimmed and lower-cased; InvalidGrant when it is not name@domain.tld."""
    address = email.strip().lower()
    if len(address) > _EMAIL_MAX or not _EMAIL.fullmatch(address):
        raise InvalidGrant(f"{email.strip()[:80]!r} is not an e-mail address")
    return address


def caller_for_email(*, session: Session, email: str | None, verified: bool) -> Caller:
    """The caller a signed-in address acts as: its highest role (admin > officer >
    coordinator); coordinators get the slugs of their partnerships. An unknown or unverified
    address is the public."""
    if not verified or not email:
        return PUBLIC
    try:
        address = normalise_email(email)
    except InvalidGrant:
        return PUBLIC
    rows = session.exec(
        select(RoleGrant.role, Partnership.slug)
        .join(Partnership, col(RoleGrant.partnership_id) == Partnership.id, isouter=True)
        .where(RoleGrant.email == address)
    ).all()
    held = {Role(role) for role, _ in rows}
    for role in GRANTABLE:
        if role not in held:
            continue
        if role is Role.COORDINATOR:
            slugs = frozenset(slug for r, slug in rows if r == role and slug is not None)
            return Caller(role=role, email=address, partnerships=slugs)
        return Caller(role=role, email=address)
    return PUBLIC


def list_grants(*, session: Session, caller: Caller) -> list[Grant]:
    """Every grant, by address, role and partnership (admins only)."""
    caller.require_admin()
    rows = session.exec(
        select(RoleGrant, Partnership.slug, Partnership.short_name)
        .join(Partnership, col(RoleGrant.partnership_id) == Partnership.id, isouter=True)
        .order_by(col(RoleGrant.email), col(RoleGrant.role), col(Partnership.slug))
    ).all()
    return [_grant(row, slug, name) for row, slug, name in rows]


def grant_role(
    *,
    session: Session,
    caller: Caller,
    email: str,
    role: Role | str,
    partnership: str | None,
    today: date,
) -> Grant:
    """Give an address a role (coordinators: for one existing partnership; others: none).

    Admins only. Refuses duplicates. No commit: the caller's transaction decides; a refused
    or failed write leaves the store unchanged (the session is rolled back).
    """
    caller.require_admin()
    address = normalise_email(email)
    wanted = _grantable(role)
    partnership_id: int | None = None
    name: str | None = None
    slug = (partnership or "").strip() or None
    if wanted is Role.COORDINATOR:
        if slug is None:
            raise InvalidGrant("a coordinator needs the partnership they coordinate")
        found = session.exec(select(Partnership).where(Partnership.slug == slug)).first()
        if found is None or found.id is None:
            raise InvalidGrant(f"no partnership {slug[:60]!r}")
        partnership_id, name = found.id, found.short_name
    elif slug is not None:
        raise InvalidGrant(f"{wanted.value}s hold their role for all partnerships; name none")
    # In code as well as in the schema: PostgreSQL's unique constraint treats NULL
    # partnership ids as distinct, so it would accept a second identical officer grant.
    duplicate = session.exec(
        select(RoleGrant.id).where(
            RoleGrant.email == address,
            RoleGrant.role == wanted.value,
            col(RoleGrant.partnership_id).is_(None)
            if partnership_id is None
            else RoleGrant.partnership_id == partnership_id,
        )
    ).first()
    if duplicate is not None:
        where = f" of {slug}" if slug else ""
        raise InvalidGrant(f"{address} is already {wanted.value}{where}")
    row = RoleGrant(
        email=address,
        role=wanted.value,
        partnership_id=partnership_id,
        granted_by=caller.email,
        granted_on=today,
    )
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent identical grant, or a schema rule
        session.rollback()
        raise InvalidGrant(f"the store refused the grant for {address}") from exc
    return _grant(row, slug, name)


def revoke_grant(*, session: Session, caller: Caller, grant_id: int) -> Grant:
    """Remove one grant (admins only); the last admin grant stays, so someone can still
    manage roles. No commit: the caller's transaction decides."""
    caller.require_admin()
    found = session.exec(
        select(RoleGrant, Partnership.slug, Partnership.short_name)
        .join(Partnership, col(RoleGrant.partnership_id) == Partnership.id, isouter=True)
        .where(RoleGrant.id == grant_id)
    ).first()
    if found is None:
        raise InvalidGrant(f"no grant {grant_id}")
    row, slug, name = found
    if row.role == Role.ADMIN.value:
        # Lock the admin rows (PostgreSQL), so two admins removing each other at the same
        # moment cannot leave none.
        admins = session.exec(
            select(RoleGrant.id).where(RoleGrant.role == Role.ADMIN.value).with_for_update()
        ).all()
        if len(set(admins) - {row.id}) == 0:
            raise InvalidGrant("this is the last admin grant; grant another admin first")
    removed = _grant(row, slug, name)
    session.delete(row)
    session.flush()
    return removed


def count_admins(*, session: Session) -> int:
    """How many admin grants exist (0 means nobody can manage roles yet)."""
    return int(
        session.scalar(
            select(func.count()).select_from(RoleGrant).where(RoleGrant.role == Role.ADMIN.value)
        )
        or 0
    )


def _grantable(role: Role | str) -> Role:
    try:
        wanted = Role(str(role).strip().lower())
    except ValueError:
        wanted = Role.PUBLIC
    if wanted not in GRANTABLE:
        choices = ", ".join(r.value for r in GRANTABLE)
        raise InvalidGrant(f"{str(role)[:40]!r} is not a role one can grant ({choices})")
    return wanted


def _grant(row: RoleGrant, slug: str | None, name: str | None) -> Grant:
    assert row.id is not None
    return Grant(
        id=row.id,
        email=row.email,
        role=Role(row.role),
        partnership=slug,
        partnership_name=name,
        granted_by=row.granted_by,
        granted_on=row.granted_on,
    )


COMMAND_LINE = Caller(role=Role.ADMIN, email="command line")
"""Who the command line acts as: whoever may reach the database may manage roles."""


def main(argv: list[str] | None = None) -> int:
    """Command line: list, grant and revoke roles in the store named by DATABASE_URL."""
    parser = argparse.ArgumentParser(
        prog="python -m data_access.roles",
        description="List, grant and revoke dashboard roles (e.g. to create the first admin).",
    )
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="show every grant")
    grant = commands.add_parser("grant", help="give an e-mail address a role")
    grant.add_argument("--email", required=True)
    grant.add_argument("--role", required=True, choices=[r.value for r in GRANTABLE])
    grant.add_argument("--partnership", default=None, help="partnership slug (coordinators)")
    revoke = commands.add_parser("revoke", help="remove a grant by its id (see list)")
    revoke.add_argument("--id", type=int, required=True, dest="grant_id")
    args = parser.parse_args(argv)

    engine = make_engine(args.database_url or database_url())
    create_schema(engine)
    try:
        with session_scope(engine) as session:
            if args.command == "grant":
                done = grant_role(
                    session=session,
                    caller=COMMAND_LINE,
                    email=args.email,
                    role=args.role,
                    partnership=args.partnership,
                    today=date.today(),
                )
                print(f"granted: {_describe(done)}")
            elif args.command == "revoke":
                done = revoke_grant(session=session, caller=COMMAND_LINE, grant_id=args.grant_id)
                print(f"revoked: {_describe(done)}")
            else:
                for item in list_grants(session=session, caller=COMMAND_LINE):
                    print(_describe(item))
    except (InvalidGrant, AccessDenied) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    return 0


def _describe(grant: Grant) -> str:
    scope = f" of {grant.partnership}" if grant.partnership else ""
    return f"{grant.id}\t{grant.email}\t{grant.role.value}{scope}"


if __name__ == "__main__":
    raise SystemExit(main())
