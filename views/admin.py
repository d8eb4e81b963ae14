"""Roles and access: who holds which role, the words of the form that grants and removes roles,
and the notices it leaves, from data_access.roles' grants."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from data_access.access import Role
from data_access.roles import Grant
from i18n import N_, _
from i18n.numbers import number
from views.models import Column, Notice, Table

# The words are English, marked for extraction: ui.admin_panel shows them through `_`.
TITLE = N_("Roles and access")
REFUSED = Notice(
    N_("Only admins can see and change who holds which role."),
    kind="error",
    icon=":material/lock:",
)
ROLE_LABELS = {
    Role.COORDINATOR.value: N_(
        "Coordinator (member-level detail and data changes, one partnership)"
    ),
    Role.OFFICER.value: N_("Commission officer (all data; loads and undoes report files)"),
    Role.ADMIN.value: N_("Admin (all data, and managing roles)"),
}
# A role's short name, as a grant names it.
ROLE_NAMES = {
    Role.COORDINATOR.value: N_("coordinator"),
    Role.OFFICER.value: N_("officer"),
    Role.ADMIN.value: N_("admin"),
    Role.PUBLIC.value: N_("public"),
}
GRANT_HEADER = N_("Grant a role")
REVOKE_HEADER = N_("Remove a grant")
# The form's words (ui.admin_panel draws it).
EMAIL_LABEL = N_("E-mail address")
EMAIL_PLACEHOLDER = "name@example.org"
ROLE_LABEL = N_("Role")
PARTNERSHIP_LABEL = N_("Partnership (coordinators only)")
PARTNERSHIP_PLACEHOLDER = N_("Choose the partnership they coordinate")
GRANT_BUTTON = N_("Grant role")
REVOKE_LABEL = N_("Grant")
REVOKE_PLACEHOLDER = N_("Choose a grant to remove")
REVOKE_BUTTON = N_("Remove grant")
GRANT_COLUMNS = ("id", "email", "role", "partnership", "granted_by", "granted_on")


@dataclass(frozen=True)
class Roles:
    """What the page says to an admin: how roles apply, and the grants."""

    caption: str
    grants: Table


def describe(grant: Grant) -> str:
    """One grant in words, for the removal picker and notices."""
    role = role_name(grant.role.value)
    if grant.partnership:
        return _("{email}: {role} of {partnership}").format(
            email=grant.email, role=role, partnership=grant.partnership_name or grant.partnership
        )
    return _("{email}: {role}").format(email=grant.email, role=role)


def role_name(role: str) -> str:
    """A role's short name in the reader's language ("coordinator")."""
    return _(ROLE_NAMES.get(role, role))


def granted(grant: Grant) -> str:
    """The notice after a grant."""
    return _("Granted {grant}.").format(grant=describe(grant))


def not_granted(reason: Exception) -> str:
    """The notice after a refused grant."""
    return _("Not granted: {reason}.").format(reason=reason)


def removed(grant: Grant) -> str:
    """The notice after a removal."""
    return _("Removed {grant}.").format(grant=describe(grant))


def not_removed(reason: Exception) -> str:
    """The notice after a refused removal."""
    return _("Not removed: {reason}.").format(reason=reason)


def grants_table(grants: Sequence[Grant]) -> Table:
    """Every grant: address, role, partnership, who granted it and when (ids kept, not shown)."""
    frame = pd.DataFrame(
        [
            {
                "id": g.id,
                "email": g.email,
                "role": role_name(g.role.value),
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
        title=_("Who holds which role ({count})").format(count=number(len(grants))),
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
        caption=_(
            "Roles are keyed by the e-mail address the identity provider verified at sign-in. "
            "A change applies at the person's next click (within {seconds} s on other servers "
            "of the same deployment)."
        ).format(seconds=number(role_cache_seconds)),
        grants=grants_table(grants),
    )
