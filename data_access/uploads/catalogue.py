"""The catalogue an upload is checked against: what the store knows (partnerships,
organisations, memberships, codes, stored reporting periods), as lookups for `ingest`."""

from __future__ import annotations

from sqlalchemy import Table, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session

from data_access.access import Caller
from data_access.upload_rows import Catalogue, lookup_key
from data_access.uploads.tables import (
    COUNTRIES,
    IN_CHUNK,
    MEMBERSHIPS,
    ORG_TYPES,
    ORGANISATIONS,
    OUTCOMES,
    PARTNERSHIPS,
    SKILLS,
    chunks,
)


def catalogue(*, session: Session, caller: Caller) -> Catalogue:
    """What the store knows, as lookups for checking the caller's upload; memberships and
    stored reporting periods only of the partnerships the caller may change."""
    connection = session.connection()
    partnerships: dict[str, str] = {}
    slugs_by_id: dict[int, str] = {}
    for pid, slug, name, short_name in connection.execute(
        select(
            PARTNERSHIPS.c.id, PARTNERSHIPS.c.slug, PARTNERSHIPS.c.name, PARTNERSHIPS.c.short_name
        )
    ):
        slugs_by_id[pid] = slug
        for label in (short_name, name, slug):  # the slug wins a clash
            partnerships[lookup_key(label)] = slug
    changeable = frozenset(s for s in slugs_by_id.values() if caller.can_change(s))
    changeable_ids = [pid for pid, slug in slugs_by_id.items() if slug in changeable]

    organisations: dict[tuple[str, str], str] = {}
    organisation_types: dict[tuple[str, str], str] = {}
    org_keys: dict[int, tuple[str, str]] = {}
    org = ORGANISATIONS.c
    for oid, name, country, org_type in connection.execute(
        select(org.id, org.name, org.country_code, org.org_type)
    ):
        key = (lookup_key(name), country)
        org_keys[oid] = key
        organisations[key] = name
        organisation_types[key] = org_type

    memberships: set[tuple[str, str, str]] = set()
    stored_periods: dict[tuple[str, str, str, int, str], frozenset[int]] = {}
    m = MEMBERSHIPS.c
    r = OUTCOMES.c
    # The quarters of each (member, year, skill area), rebuilt from their count, smallest,
    # largest and sum (quarters are 0-4, so these four fix the set): one row per key, not
    # per stored row, and the grouping done by the database.
    grouped = select(
        r.partnership_id,
        r.organisation_id,
        r.year,
        r.skill_area,
        func.count(),
        func.min(r.quarter),
        func.max(r.quarter),
        func.sum(r.quarter),
    ).group_by(r.partnership_id, r.organisation_id, r.year, r.skill_area)
    sets: dict[tuple[int, int, int, int], frozenset[int]] = {}
    for chunk in chunks(changeable_ids, IN_CHUNK):
        for pid, oid in connection.execute(
            select(m.partnership_id, m.organisation_id)
            .distinct()
            .where(m.partnership_id.in_(chunk))
        ):
            memberships.add((slugs_by_id[pid], *org_keys[oid]))
        for pid, oid, year, skill, n, low, high, total in connection.execute(
            grouped.where(r.partnership_id.in_(chunk))
        ):
            shape = (n, low, high, total)
            quarters = sets.get(shape)
            if quarters is None:
                quarters = sets[shape] = _quarters(n, low, high, total)
            stored_periods[(slugs_by_id[pid], *org_keys[oid], year, skill)] = quarters

    return Catalogue(
        partnerships=partnerships,
        changeable=changeable,
        organisations=organisations,
        organisation_types=organisation_types,
        memberships=frozenset(memberships),
        skill_areas=_code_lookup(connection, SKILLS),
        countries=_country_lookup(connection),
        org_types=_code_lookup(connection, ORG_TYPES),
        stored_periods=stored_periods,
    )


def _quarters(count: int, low: int, high: int, total: int) -> frozenset[int]:
    """The set of distinct quarters (0-4) with this count, minimum, maximum and sum."""
    if count == 1:
        return frozenset({low})
    if count == 2:
        return frozenset({low, high})
    if count == 3:
        return frozenset({low, int(total) - low - high, high})
    if count == 4:
        return frozenset(range(5)) - {10 - int(total)}
    return frozenset(range(5))


def _code_lookup(connection: Connection, table: Table) -> dict[str, str]:
    found: dict[str, str] = {}
    for code, label in connection.execute(select(table.c.code, table.c.label)):
        found[lookup_key(label)] = code
        found[lookup_key(code)] = code
    return found


def _country_lookup(connection: Connection) -> dict[str, str]:
    found: dict[str, str] = {}
    c = COUNTRIES.c
    for code, iso3, name in connection.execute(select(c.code, c.iso3, c.name)):
        for label in (name, iso3, code):
            found[lookup_key(label)] = code
    return found
