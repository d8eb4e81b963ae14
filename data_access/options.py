"""What the filters can offer: ecosystems, partnerships, countries, types, skill areas, years."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from data_access.access import Caller
from data_access.scope import C_TABLE, E_TABLE, P_TABLE, S_TABLE, T_TABLE, C, E, M, P, R, S, T


@dataclass(frozen=True)
class FilterOptions:
    """Choices for each global filter as (key, label) pairs, and the reporting years held."""

    ecosystems: tuple[tuple[str, str], ...]
    partnerships: tuple[tuple[str, str], ...]
    countries: tuple[tuple[str, str], ...]
    org_types: tuple[tuple[str, str], ...]
    skill_areas: tuple[tuple[str, str], ...]
    first_year: int
    last_year: int

    def keys(self, name: str) -> set[str]:
        """The valid keys of one filter."""
        pairs: tuple[tuple[str, str], ...] = getattr(self, name)
        return {key for key, _ in pairs}


def reporting_years(*, session: Session) -> tuple[int, int]:
    """First and last year the data covers (memberships and outcome reports)."""
    out_lo, out_hi = session.execute(select(func.min(R.year), func.max(R.year))).one()
    mem_lo = session.execute(select(func.min(M.joined_on))).scalar()
    candidates_lo = [y for y in (out_lo, _year_of(mem_lo)) if y is not None]
    lo = min(candidates_lo) if candidates_lo else 2021
    hi = out_hi if out_hi is not None else max(lo, 2024)
    return int(lo), int(max(hi, lo))


def _year_of(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, str):
        return int(value[:4])
    return int(value.year)


def filter_options(*, session: Session, caller: Caller) -> FilterOptions:
    """All choices the global filters offer, read from the store (public facts: the same
    for every caller)."""

    def pairs(stmt: Any) -> tuple[tuple[str, str], ...]:
        return tuple((str(k), str(v)) for k, v in session.execute(stmt).all())

    first, last = reporting_years(session=session)
    return FilterOptions(
        ecosystems=pairs(select(E.slug, E.name).select_from(E_TABLE).order_by(E.name)),
        partnerships=pairs(
            select(P.slug, P.short_name).select_from(P_TABLE).order_by(P.kind, P.short_name)
        ),
        countries=pairs(select(C.code, C.name).select_from(C_TABLE).order_by(C.name)),
        org_types=pairs(select(T.code, T.label).select_from(T_TABLE).order_by(T.label)),
        skill_areas=pairs(select(S.code, S.label).select_from(S_TABLE).order_by(S.label)),
        first_year=first,
        last_year=last,
    )


def partnerships_table(*, session: Session, caller: Caller) -> pd.DataFrame:
    """Every partnership with its ecosystem and pledge, one row each (public facts: the same
    for every caller)."""
    stmt = (
        select(
            P.slug,
            P.name,
            P.short_name,
            P.kind,
            E.slug.label("ecosystem_slug"),
            E.name.label("ecosystem"),
            E.workforce.label("ecosystem_workforce"),
            P.launch_date,
            P.pledge_text,
            P.pledge_people_per_year,
            P.pledge_people_total,
            P.pledge_target_year,
            P.pledge_workforce_share,
            P.target_women_share,
            P.website,
        )
        .select_from(P_TABLE.join(E_TABLE, P.ecosystem_id == E.id))
        .order_by(P.launch_date, P.short_name)
    )
    df = pd.read_sql(stmt, session.connection())
    df["launch_date"] = pd.to_datetime(df["launch_date"]).dt.date
    df["annual_pledge"] = [annual_pledge(row) for _, row in df.iterrows()]
    return df


def annual_pledge(row: pd.Series) -> float | None:
    """People a year the pledge stands for: absolute, share of workforce, or total spread."""
    if pd.notna(row["pledge_people_per_year"]):
        return float(row["pledge_people_per_year"])
    if pd.notna(row["pledge_workforce_share"]) and pd.notna(row["ecosystem_workforce"]):
        return float(row["pledge_workforce_share"]) * float(row["ecosystem_workforce"])
    if pd.notna(row["pledge_people_total"]) and pd.notna(row["pledge_target_year"]):
        launch_year = pd.Timestamp(row["launch_date"]).year
        years = max(1, int(row["pledge_target_year"]) - launch_year + 1)
        return float(row["pledge_people_total"]) / years
    return None
