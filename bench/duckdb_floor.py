"""The floor of bench/interactions.py: the aggregations a page's rerun asked the store for,
computed directly in DuckDB over the same rows, loaded into memory once."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

# The store's tables copied into DuckDB.
TABLES = (
    "outcome_report",
    "membership",
    "organisation",
    "partnership",
    "ecosystem",
    "country",
    "organisation_type",
    "skill_area",
)


def load_duckdb(url: str) -> Any:
    """The store's rows copied once into an in-memory DuckDB database, every dimension joined
    in beforehand (wide `outcomes` and `members` tables), so that what is timed per
    interaction is the aggregation alone."""
    import duckdb
    import pandas as pd
    from sqlalchemy import create_engine

    engine = create_engine(url)
    db = duckdb.connect()
    with engine.connect() as connection:
        for table in TABLES:
            frame = pd.read_sql_table(table, connection)
            db.register("incoming", frame)
            db.execute(f"CREATE TABLE {table} AS SELECT * FROM incoming")
            db.unregister("incoming")
    engine.dispose()
    dimensions = """
        JOIN partnership p ON x.partnership_id = p.id JOIN ecosystem e ON p.ecosystem_id = e.id
        JOIN organisation o ON x.organisation_id = o.id JOIN country c ON o.country_code = c.code
        JOIN organisation_type t ON o.org_type = t.code"""
    labels = """p.slug AS p_slug, p.short_name AS p_name, e.slug AS eco_slug, e.name AS eco_name,
        o.id AS org, o.country_code, c.name AS country_name, c.iso3, o.org_type AS type_code,
        t.label AS type_label"""
    db.execute(f"""CREATE TABLE outcomes AS SELECT x.year, x.skill_area AS skill_code,
        s.label AS skill_label, {labels}, x.women, x.men, x.other_gender, x.not_recorded,
        x.programmes, x.investment_eur, x.people_reached
        FROM outcome_report x {dimensions} JOIN skill_area s ON x.skill_area = s.code""")
    db.execute(f"""CREATE TABLE members AS SELECT x.partnership_id AS p_id,
        p.ecosystem_id AS eco_id, {labels}, o.name AS org_name, o.nuts_code, o.size_class,
        x.role, CAST(x.joined_on AS DATE) AS joined_on, CAST(x.left_on AS DATE) AS left_on
        FROM membership x {dimensions}""")
    return db


GROUPS = {
    "pact": "'Pact'",
    "partnership": "p_name",
    "ecosystem": "eco_name",
    "country": "country_name",
    "org_type": "type_label",
}
DIMENSION_COLUMNS = {
    "year": ["year"],
    "ecosystem": ["eco_name", "eco_slug"],
    "partnership": ["p_name", "p_slug"],
    "skill_area": ["skill_label", "skill_code"],
    "country": ["country_name", "country_code", "iso3"],
    "org_type": ["type_label", "type_code"],
}


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


def _where(conditions: list[str]) -> str:
    return "WHERE " + " AND ".join(conditions) if conditions else ""


@dataclass
class Floor:
    """DuckDB versions of the store queries the pages call (same aggregations, same rows)."""

    db: Any

    def years(self, filters: Any) -> tuple[int, int]:
        """The filter's years with open ends closed by the data (as resolve_years)."""
        if not hasattr(self, "_span"):
            lo_out, hi_out = self.db.execute("SELECT min(year), max(year) FROM outcomes").fetchone()
            (lo_mem,) = self.db.execute("SELECT year(min(joined_on)) FROM members").fetchone()
            self._span = (min(lo_out, lo_mem), hi_out)
        lo = filters.year_from if filters.year_from is not None else self._span[0]
        hi = filters.year_to if filters.year_to is not None else self._span[1]
        return lo, max(lo, hi)

    @staticmethod
    def _dims(filters: Any) -> list[str]:
        conditions = []
        if filters.ecosystems:
            conditions.append(_in("eco_slug", filters.ecosystems))
        if filters.partnerships:
            conditions.append(_in("p_slug", filters.partnerships))
        if filters.countries:
            conditions.append(_in("country_code", filters.countries))
        if filters.org_types:
            conditions.append(_in("type_code", filters.org_types))
        return conditions

    def outcome_totals(self, filters: Any, by: tuple[str, ...] = (), distinct: bool = True) -> Any:
        dims = [c for d in by for c in DIMENSION_COLUMNS[d]]
        conditions = self._dims(filters)
        if filters.year_from is not None:
            conditions.append(f"year >= {int(filters.year_from)}")
        if filters.year_to is not None:
            conditions.append(f"year <= {int(filters.year_to)}")
        if filters.skill_areas:
            conditions.append(_in("skill_code", filters.skill_areas))
        measures = (
            "sum(women + men + other_gender + not_recorded), sum(women), sum(men),"
            " sum(other_gender), sum(not_recorded), sum(programmes), sum(investment_eur),"
            " sum(people_reached)"
        )
        if distinct:
            measures += ", count(DISTINCT org)"
        group = f"GROUP BY {', '.join(dims)}" if dims else ""
        sql = f"SELECT {', '.join([*dims, measures])} FROM outcomes {_where(conditions)} {group}"
        return self.db.execute(sql).df()

    def _active(self, filters: Any, group: str, days: list[tuple[str, date]]) -> Any:
        values = ", ".join(f"('{label}', DATE '{day}')" for label, day in days)
        sql = f"""
            WITH periods(period, day) AS (VALUES {values})
            SELECT periods.period, {group} AS grp, count(DISTINCT org) FROM members
            JOIN periods ON joined_on <= periods.day AND (left_on IS NULL OR left_on > periods.day)
            {_where(self._dims(filters))} GROUP BY 1, 2"""
        return self.db.execute(sql).df()

    def members_over_time(self, filters: Any, by: str = "pact", granularity: str = "year") -> Any:
        from data_access.periods import period_ends, period_starts

        lo, hi = self.years(filters)
        days = period_ends(lo, hi, granularity)  # type: ignore[arg-type]
        active = self._active(filters, GROUPS[by], days)
        starts = period_starts(days)
        values = ", ".join(
            f"('{label}', DATE '{day}', DATE '{start}')"
            for (label, day), start in zip(days, starts, strict=True)
        )
        sql = f"""
            WITH periods(period, day, start) AS (VALUES {values}),
            first_join AS (
                SELECT {GROUPS[by]} AS grp, org, min(joined_on) AS first_joined FROM members
                {_where(self._dims(filters))} GROUP BY 1, 2)
            SELECT periods.period, grp, count(*) FROM first_join JOIN periods
                ON first_joined > periods.start AND first_joined <= periods.day GROUP BY 1, 2"""
        return active, self.db.execute(sql).df()

    def pact_indicators_by_year(self, filters: Any) -> Any:
        lo, hi = self.years(filters)
        values = ", ".join(f"('{y}', DATE '{y}-12-31')" for y in range(lo - 1, hi + 1))
        sql = f"""
            WITH periods(period, day) AS (VALUES {values})
            SELECT periods.period, count(DISTINCT p_id), count(DISTINCT eco_id),
                count(DISTINCT org), count(DISTINCT country_code) FROM members
            JOIN periods ON joined_on <= periods.day AND (left_on IS NULL OR left_on > periods.day)
            {_where(self._dims(filters))} GROUP BY 1"""
        counts = self.db.execute(sql).df()
        return counts, self.outcome_totals(filters.with_years(lo - 1, hi), ("year",))

    def partnership_comparison(self, filters: Any) -> Any:
        lo, hi = self.years(filters)
        days = [("now", date(hi, 12, 31)), ("prev", date(hi - 1, 12, 31))]
        return (
            self._active(filters, "p_name", days),
            self.outcome_totals(filters.with_years(lo, hi), ("partnership",)),
            self.outcome_totals(filters.with_years(hi, hi), ("partnership",)),
        )

    def country_summary(self, filters: Any) -> Any:
        _, hi = self.years(filters)
        members = self._active(filters, "country_name", [("end", date(hi, 12, 31))])
        return members, self.outcome_totals(filters, ("country",))

    def outcome_cube(self, filters: Any) -> Any:
        dims = ("year", "ecosystem", "partnership", "skill_area")
        return self.outcome_totals(filters, dims, distinct=False)

    def partnership_launches(self, filters: Any) -> Any:
        conditions = []
        if filters.ecosystems:
            conditions.append(_in("e.slug", filters.ecosystems))
        if filters.partnerships:
            conditions.append(_in("p.slug", filters.partnerships))
        sql = f"""SELECT p.slug, p.short_name, p.name, p.kind, e.name, p.launch_date
            FROM partnership p JOIN ecosystem e ON p.ecosystem_id = e.id
            {_where(conditions)} ORDER BY p.launch_date, p.short_name"""
        return self.db.execute(sql).df()

    def partnership_members(self, filters: Any, partnership: str) -> Any:
        _, hi = self.years(filters)
        conditions = [
            *self._dims(filters.only_partnership(partnership)),
            f"joined_on <= DATE '{hi}-12-31'",
        ]
        sql = f"""
            WITH last_report AS (
                SELECT org AS reporter, max(year) AS last_year FROM outcomes
                WHERE p_slug = '{partnership}' AND year <= {hi} GROUP BY 1)
            SELECT org_name, type_label, country_code, country_name, nuts_code, size_class, role,
                joined_on, left_on, last_report.last_year FROM members
            LEFT JOIN last_report ON last_report.reporter = org
            {_where(conditions)} ORDER BY role, org_name"""
        return self.db.execute(sql).df()

    def run(self, name: str, filters: Any, kwargs: dict[str, Any]) -> float:
        """Seconds DuckDB takes for the aggregations of one store query."""
        start = time.perf_counter()
        if name == "outcome_totals":
            self.outcome_totals(filters, tuple(kwargs.get("by", ())))
        else:
            getattr(self, name)(filters, **kwargs)
        return time.perf_counter() - start
