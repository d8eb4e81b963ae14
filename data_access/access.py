"""Who is asking: the caller's role and partnerships, and the disclosure rules that apply.

Every query and write in `data_access` takes a `Caller`. What a caller may read or change is
decided here and applied where the SQL is built, so no page, URL parameter or session state
can widen it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from data_access.filters import Filters
from settings import get_settings


class Role(StrEnum):
    """The four roles. Public is whoever is not signed in (or has no role)."""

    PUBLIC = "public"
    OFFICER = "officer"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class AccessDenied(PermissionError):
    """The caller may not read or change what was asked for."""


@dataclass(frozen=True)
class DisclosureRules:
    """The minimum-contributor rule of public views: a cell of reported figures is shown
    only when at least `min_organisations` organisations contributed to it (the figures are
    perturbed as well: data_access.perturbation)."""

    min_organisations: int = 3

    @classmethod
    def from_env(cls) -> DisclosureRules:
        """The threshold from PACT_MIN_ORGANISATIONS (default 3)."""
        return cls(min_organisations=get_settings().min_organisations)


@dataclass(frozen=True)
class Caller:
    """The identity a query runs for. Hashable, so result caches can key on it.

    partnerships: slugs of the partnerships a coordinator coordinates (empty otherwise).
    """

    role: Role = Role.PUBLIC
    email: str | None = None
    partnerships: frozenset[str] = frozenset()
    rules: DisclosureRules = field(default_factory=DisclosureRules.from_env)

    @property
    def reads_everything(self) -> bool:
        """Officers and admins read all data, unsuppressed."""
        return self.role in (Role.OFFICER, Role.ADMIN)

    def sees_members_of(self, partnership: str) -> bool:
        """May see member-level (single organisation) data of this partnership."""
        if self.reads_everything:
            return True
        return self.role is Role.COORDINATOR and partnership in self.partnerships

    def can_change(self, partnership: str) -> bool:
        """May load data of this partnership: admins and officers (who load the report files
        they receive) for every partnership, coordinators for their own."""
        if self.role in (Role.ADMIN, Role.OFFICER):
            return True
        return self.role is Role.COORDINATOR and partnership in self.partnerships

    def can_undo(self, uploader: str) -> bool:
        """May undo a loaded file: the address that loaded it, or an admin."""
        if self.role is Role.ADMIN:
            return True
        return (
            self.role is not Role.PUBLIC
            and self.email is not None
            and self.email.casefold() == uploader.casefold()
        )

    def unsuppressed_for(self, filters: Filters) -> bool:
        """Sees exact small numbers in a view with these filters: officers and admins always,
        coordinators when the view is narrowed to partnerships they coordinate."""
        if self.reads_everything:
            return True
        return (
            self.role is Role.COORDINATOR
            and bool(filters.partnerships)
            and set(filters.partnerships) <= self.partnerships
        )

    def require_members_of(self, partnership: str) -> None:
        """Raise AccessDenied unless member-level data of the partnership may be seen."""
        if not self.sees_members_of(partnership):
            raise AccessDenied(f"member-level data of {partnership!r} is not available to you")

    def require_change(self, partnership: str) -> None:
        """Raise AccessDenied unless the caller may change this partnership's data."""
        if not self.can_change(partnership):
            raise AccessDenied(f"you may not change data of {partnership!r}")

    def require_admin(self) -> None:
        """Raise AccessDenied unless the caller is an admin."""
        if self.role is not Role.ADMIN:
            raise AccessDenied("only an admin may do this")

    def as_public(self) -> Caller:
        """The public view of the same deployment (presenter and audience views)."""
        return replace(self, role=Role.PUBLIC, email=None, partnerships=frozenset())


PUBLIC = Caller()
