"""The identities tests run queries and pages as: one of each role, and coordinators."""

from __future__ import annotations

from data_access import PUBLIC, Caller, Role

OFFICER = Caller(role=Role.OFFICER, email="officer@example.org")
ADMIN = Caller(role=Role.ADMIN, email="admin@example.org")


def coordinator(*slugs: str) -> Caller:
    """A coordinator of the given partnerships."""
    return Caller(
        role=Role.COORDINATOR, email="coordinator@example.org", partnerships=frozenset(slugs)
    )


ALL_ROLES = {"public": PUBLIC, "officer": OFFICER, "admin": ADMIN}
