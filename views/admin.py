"""Roles and access: who holds which role, the words of the form that grants and removes roles,
and the notices it leaves, from data_access.roles' grants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data_access.access import Role
from data_access.roles import Grant
from views.models import Column, Notice, Table

TITLE = "Roles and access"
REFUSED = Notice(
    "Only admins can see and change who holds which role.", kind="error", icon=":material/lock:"
)
ROLE_LABELS = {
    Role.COORDINATOR.value: "Coordinator (member-level detail and data changes, one partnership)",
    Role.OFFICER.value: "Commission officer (all data; loads and undoes report files)",
    Role.ADMIN.value: "Admin (all data, and managing roles)",
}
GRANT_HEADER = "Grant a role"
REVOKE_HEADER = "Remove a grant"
# The form's words (ui.admin_panel draws it).
EMAIL_LABEL = "E-mail address"
EMAIL_PLACEHOLDER = "name@example.org"
ROLE_LABEL = "Role"
PARTNERSHIP_LABEL = "Partnership (coordinators only)"
PARTNERSHIP_PLACEHOLDER = "Choose the partnership they coordinate"
GRANT_BUTTON = "Grant role"
REVOKE_LABEL = "Grant"
REVOKE_PLACEHOLDER = "Choose a grant to remove"
REVOKE_BUTTON = "Remove grant"
GRANT_COLUMNS = ("id", "email", "role", "partnership", "granted_by", "granted_on")


@dataclass(frozen=True)
class Roles:
    """What the page says to an admin: how roles apply, and the grants."""

    caption: str
    grants: Table


def describe(grant: Grant) -> str:
    """One grant in words, for the removal picker and notices."""
    scope = f" of {grant.partnership_name or grant.partnership}" if grant.partnership else ""
    return f"{grant.email}: {grant.role.value}{scope}"


def granted(grant: Grant) -> str:
    """The notice after a grant."""
    return f"Granted {describe(grant)}."


def not_granted(reason: Exception) -> str:
    """The notice after a refused grant."""
    return f"Not granted: {reason}."


def removed(grant: Grant) -> str:
    """The notice after a removal."""
    return f"Removed {describe(grant)}."


def not_removed(reason: Exception) -> str:
    """The notice after a refused removal."""
    return f"Not removed: {reason}."


def grants_table(grants: Sequence[Grant]) -> Table:
    """Every grant: address, role, partnership, who granted it and when (ids kept, not shown)."""
    frame = pd.DataFrame(
        [
            {
                "id": g.id,
                "email": g.email,
                "role": g.role.value,
                "partnership": g.partnership_name or "",
                "granted_by": g.granted_by or "",
                "granted_on": g.granted_on,
            }
            for g in grants
        ],
        columns=list(GRANT_COLUMNS),
    )
    return Table(
        key="admin_grants",
        title=f"Who holds which role ({len(grants)})",
        data=frame,
        columns=(
            Column("email"),
            Column("role"),
            Column("partnership"),
            Column("granted_by"),
            Column("granted_on", kind="date"),
        ),
    )


def roles(grants: Sequence[Grant], *, role_cache_seconds: int) -> Roles:
    """The roles page for an admin; a change applies within `role_cache_seconds` elsewhere."""
    return Roles(
        caption=(
            "Roles are keyed by the e-mail address the identity provider verified at sign-in. "
            f"A change applies at the person's next click (within {role_cache_seconds} s on "
            "other servers of the same deployment)."
        ),
        grants=grants_table(grants),
    )
