"""Filter conditions shared by the query modules: which memberships and outcome rows a view uses."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import ColumnElement, and_, or_, true
from sqlalchemy.sql import Select

from data_access.filters import Filters
from data_access.models import (
    Country,
    Ecosystem,
    Membership,
    Organisation,
    OrganisationType,
    OutcomeReport,
    Partnership,
    SkillArea,
)

SelectT = TypeVar("SelectT")

M = Membership.__table__.c  # type: ignore[attr-defined]
O = Organisation.__table__.c  # type: ignore[attr-defined]  # noqa: E741
P = Partnership.__table__.c  # type: ignore[attr-defined]
E = Ecosystem.__table__.c  # type: ignore[attr-defined]
C = Country.__table__.c  # type: ignore[attr-defined]
T = OrganisationType.__table__.c  # type: ignore[attr-defined]
S = SkillArea.__table__.c  # type: ignore[attr-defined]
R = OutcomeReport.__table__.c  # type: ignore[attr-defined]

M_TABLE = Membership.__table__  # type: ignore[attr-defined]
O_TABLE = Organisation.__table__  # type: ignore[attr-defined]
P_TABLE = Partnership.__table__  # type: ignore[attr-defined]
E_TABLE = Ecosystem.__table__  # type: ignore[attr-defined]
C_TABLE = Country.__table__  # type: ignore[attr-defined]
T_TABLE = OrganisationType.__table__  # type: ignore[attr-defined]
S_TABLE = SkillArea.__table__  # type: ignore[attr-defined]
R_TABLE = OutcomeReport.__table__  # type: ignore[attr-defined]


ALL_TABLES = frozenset({"partnership", "ecosystem", "organisation", "country", "type", "skill"})
# A table needs the one it hangs from.
_VIA = {"ecosystem": "partnership", "country": "organisation", "type": "organisation"}


def tables_for(filters: Filters, *tables: str) -> frozenset[str]:
    """The tables a query must join: those named plus those the filters need."""
    needed = set(tables)
    if filters.ecosystems:
        needed.add("ecosystem")
    if filters.partnerships:
        needed.add("partnership")
    if filters.countries or filters.org_types:
        needed.add("organisation")
    needed.update({_VIA[t] for t in list(needed) if t in _VIA})
    return frozenset(needed)


def _join_dimensions(
    base: Any, partnership_id: Any, organisation_id: Any, needed: frozenset[str]
) -> Any:
    joined = base
    if "partnership" in needed:
        joined = joined.join(P_TABLE, partnership_id == P.id)
    if "ecosystem" in needed:
        joined = joined.join(E_TABLE, P.ecosystem_id == E.id)
    if "organisation" in needed:
        joined = joined.join(O_TABLE, organisation_id == O.id)
    if "country" in needed:
        joined = joined.join(C_TABLE, O.country_code == C.code)
    if "type" in needed:
        joined = joined.join(T_TABLE, O.org_type == T.code)
    return joined


def membership_join(needed: frozenset[str] = ALL_TABLES) -> Any:
    """membership joined to the partnership, ecosystem, organisation, country and type tables
    a query needs (only those: each join costs a lookup per row)."""
    return _join_dimensions(M_TABLE, M.partnership_id, M.organisation_id, needed)


def outcome_join(needed: frozenset[str] = ALL_TABLES) -> Any:
    """outcome_report joined to the dimension tables a query needs, skill area included."""
    joined = _join_dimensions(R_TABLE, R.partnership_id, R.organisation_id, needed)
    if "skill" in needed:
        joined = joined.join(S_TABLE, R.skill_area == S.code)
    return joined


def dimension_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Conditions on partnership, ecosystem, country and organisation type."""
    conditions: list[ColumnElement[bool]] = []
    if filters.ecosystems:
        conditions.append(E.slug.in_(filters.ecosystems))
    if filters.partnerships:
        conditions.append(P.slug.in_(filters.partnerships))
    if filters.countries:
        conditions.append(O.country_code.in_(filters.countries))
    if filters.org_types:
        conditions.append(O.org_type.in_(filters.org_types))
    return conditions


def outcome_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    """Dimension conditions plus the reporting period range and skill areas."""
    conditions = dimension_conditions(filters)
    if filters.year_from is not None:
        conditions.append(R.year >= filters.year_from)
    if filters.year_to is not None:
        conditions.append(R.year <= filters.year_to)
    if filters.skill_areas:
        conditions.append(R.skill_area.in_(filters.skill_areas))
    return conditions


def active_on(day: Any) -> ColumnElement[bool]:
    """A membership is active on a day when it has started and has not ended by then."""
    return and_(M.joined_on <= day, or_(M.left_on.is_(None), M.left_on > day))


def where_all(stmt: SelectT, conditions: list[ColumnElement[bool]]) -> SelectT:
    """Apply a list of conditions (none means no restriction)."""
    return cast(SelectT, cast(Select[Any], stmt).where(and_(true(), *conditions)))
