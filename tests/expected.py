"""Independent expectations: plain Python over the demo fixture rows, never the store's queries.

Tests compare what data_access and the pages show with these numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Engine

from data_access.filters import Filters
from data_access.reference import COUNTRIES, ECOSYSTEMS, ORGANISATION_TYPES, SKILL_AREAS
from fixtures.demo import DemoMembership, DemoPact, DemoReport

ECOSYSTEM_NAME = {e.slug: e.name for e in ECOSYSTEMS}
COUNTRY_NAME = {c.code: c.name for c in COUNTRIES}
TYPE_LABEL = dict(ORGANISATION_TYPES)
SKILL_LABEL = dict(SKILL_AREAS)


@dataclass
class Expected:
    """Recomputes indicators from a DemoPact for a given filter."""

    pact: DemoPact

    def __post_init__(self) -> None:
        self.orgs = {o.key: o for o in self.pact.organisations}
        self.partnership = {p.slug: p for p in self.pact.partnerships}

    def filters(self, **fields: object) -> Filters:
        """Filters as the dashboard resolves them: open year bounds closed by the data."""
        first = min(m.joined_on.year for m in self.pact.memberships)
        first = min(first, min(r.year for r in self.pact.reports))
        last = max(r.year for r in self.pact.reports)
        return Filters(**{"year_from": first, "year_to": last, **fields})  # type: ignore[arg-type]

    # -- scope -------------------------------------------------------------------------
    def _dims_ok(self, partnership: str, organisation: int, f: Filters) -> bool:
        p = self.partnership[partnership]
        o = self.orgs[organisation]
        return (
            (not f.ecosystems or p.ecosystem in f.ecosystems)
            and (not f.partnerships or partnership in f.partnerships)
            and (not f.countries or o.country_code in f.countries)
            and (not f.org_types or o.org_type in f.org_types)
        )

    def memberships(self, f: Filters) -> list[DemoMembership]:
        """Memberships within the dimension filters."""
        return [m for m in self.pact.memberships if self._dims_ok(m.partnership, m.organisation, f)]

    def reports(self, f: Filters) -> list[DemoReport]:
        """Outcome rows within all filters (years and skill areas included)."""
        return [
            r
            for r in self.pact.reports
            if self._dims_ok(r.partnership, r.organisation, f)
            and (f.year_from is None or r.year >= f.year_from)
            and (f.year_to is None or r.year <= f.year_to)
            and (not f.skill_areas or r.skill_area in f.skill_areas)
        ]

    # -- memberships ---------------------------------------------------------------------
    @staticmethod
    def _active(m: DemoMembership, day: date) -> bool:
        return m.joined_on <= day and (m.left_on is None or m.left_on > day)

    def members_at(self, f: Filters, day: date) -> int:
        """Distinct organisations with an active membership on a day."""
        return len({m.organisation for m in self.memberships(f) if self._active(m, day)})

    def partnerships_at(self, f: Filters, day: date) -> int:
        """Partnerships with at least one active member in scope on a day."""
        return len({m.partnership for m in self.memberships(f) if self._active(m, day)})

    def ecosystems_at(self, f: Filters, day: date) -> int:
        """Ecosystems with at least one active member in scope on a day."""
        return len(
            {
                self.partnership[m.partnership].ecosystem
                for m in self.memberships(f)
                if self._active(m, day)
            }
        )

    def countries_at(self, f: Filters, day: date) -> int:
        """Countries of the organisations active in scope on a day."""
        return len(
            {
                self.orgs[m.organisation].country_code
                for m in self.memberships(f)
                if self._active(m, day)
            }
        )

    def members_by(self, f: Filters, day: date, key: str) -> dict[str, int]:
        """Distinct active organisations per partnership short name / ecosystem / country."""
        groups: dict[str, set[int]] = {}
        for m in self.memberships(f):
            if not self._active(m, day):
                continue
            groups.setdefault(self._group(m, key), set()).add(m.organisation)
        return {k: len(v) for k, v in groups.items()}

    def _group(self, m: DemoMembership, key: str) -> str:
        p = self.partnership[m.partnership]
        o = self.orgs[m.organisation]
        return {
            "partnership": p.short_name,
            "ecosystem": ECOSYSTEM_NAME[p.ecosystem],
            "country": COUNTRY_NAME[o.country_code],
            "org_type": TYPE_LABEL[o.org_type],
            "pact": "Pact",
        }[key]

    # -- outcomes ------------------------------------------------------------------------
    @staticmethod
    def people(rows: Iterable[DemoReport]) -> int:
        """People up/re-skilled in the rows."""
        return sum(r.people for r in rows)

    @staticmethod
    def women_share(rows: Iterable[DemoReport]) -> float:
        """Women among trainees whose gender is recorded."""
        rows = list(rows)
        recorded = sum(r.women + r.men + r.other_gender for r in rows)
        return sum(r.women for r in rows) / recorded

    def people_by(self, f: Filters, key: str) -> dict[str, int]:
        """People up/re-skilled per year / skill area label / ecosystem / partnership / country."""
        out: dict[str, int] = {}
        for r in self.reports(f):
            p = self.partnership[r.partnership]
            label = {
                "year": str(r.year),
                "skill_area": SKILL_LABEL[r.skill_area],
                "ecosystem": ECOSYSTEM_NAME[p.ecosystem],
                "partnership": p.short_name,
                "country": COUNTRY_NAME[self.orgs[r.organisation].country_code],
            }[key]
            out[label] = out.get(label, 0) + r.people
        return out

    def _outcome_label(self, r: DemoReport, key: str) -> str:
        p = self.partnership[r.partnership]
        return {
            "year": str(r.year),
            "skill_area": SKILL_LABEL[r.skill_area],
            "ecosystem": ECOSYSTEM_NAME[p.ecosystem],
            "partnership": p.short_name,
            "country": COUNTRY_NAME[self.orgs[r.organisation].country_code],
            "org_type": TYPE_LABEL[self.orgs[r.organisation].org_type],
        }[key]

    def outcome_cells(self, f: Filters, key: str) -> dict[str, dict[str, int]]:
        """Per group: people, women, men, other_gender, not_recorded and the number of
        distinct organisations that reported (what disclosure control decides on)."""
        cells: dict[str, dict[str, int]] = {}
        reporters: dict[str, set[int]] = {}
        for r in self.reports(f):
            label = self._outcome_label(r, key)
            cell = cells.setdefault(
                label, {"people": 0, "women": 0, "men": 0, "other_gender": 0, "not_recorded": 0}
            )
            cell["people"] += r.people
            cell["women"] += r.women
            cell["men"] += r.men
            cell["other_gender"] += r.other_gender
            cell["not_recorded"] += r.not_recorded
            reporters.setdefault(label, set()).add(r.organisation)
        for label, cell in cells.items():
            cell["organisations"] = len(reporters[label])
        return cells


# -- public figures (an independent reading of docs/disclosure.md) --------------------------

PUBLIC_MEASURES = (
    "women",
    "men",
    "other_gender",
    "not_recorded",
    "programmes",
    "investment_eur",
    "people_reached",
)
_MASK = (1 << 64) - 1


def public_factor(record_key: float, measure: int) -> float:
    """The documented perturbation table, in plain integer arithmetic: direction from the
    key's first bit, size 10-30% from the SplitMix64 mix of its 53 bits plus (measure + 1)
    golden-ratio increments."""
    bits = math.floor(record_key * (1 << 53))
    z = (bits + (measure + 1) * 0x9E3779B97F4A7C15) & _MASK
    z ^= z >> 30
    z = (z * 0xBF58476D1CE4E5B9) & _MASK
    z ^= z >> 27
    z = (z * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    size = 0.10 + 0.20 * ((z >> 11) / float(1 << 53))
    return 1.0 + size if bits >> 52 else 1.0 - size


def record_keys(engine: Engine) -> dict[tuple[str, str], float]:
    """Each demo organisation's record key, read from the store's rows by natural key."""
    with engine.connect() as connection:
        stored = {
            (name, country): key
            for name, country, key in connection.execute(
                text("SELECT name, country_code, record_key FROM organisation")
            )
        }
    return stored


@dataclass
class PublicCell:
    """A public cell computed from the rows: values as published (None when withheld)."""

    values: dict[str, float | None]
    organisations: int
    withheld: bool


def public_cells(
    expected: Expected,
    keys: dict[tuple[str, str], float],
    f: Filters,
    key: str | None,
    *,
    min_organisations: int = 3,
) -> dict[str, PublicCell]:
    """Per group label ("" without grouping): the public figures of outcome_totals."""
    contributions: dict[str, dict[int, list[float]]] = {}
    for r in expected.reports(f):
        label = expected._outcome_label(r, key) if key else ""
        row = [float(getattr(r, m)) for m in PUBLIC_MEASURES]
        found = contributions.setdefault(label, {}).setdefault(r.organisation, [0.0] * 7)
        for k, value in enumerate(row):
            found[k] += value
    pact_wide = key in (None, "year") and not (
        f.ecosystems or f.partnerships or f.countries or f.org_types or f.skill_areas
    )
    cells: dict[str, PublicCell] = {}
    for label, by_org in contributions.items():
        people = {o: sum(v[:4]) for o, v in by_org.items()}
        investment = {o: v[5] for o, v in by_org.items()}
        withheld = len(by_org) < min_organisations
        for measure in (people, investment):
            total = sum(measure.values())
            if total > 0 and max(measure.values()) > 0.85 * total:
                withheld = True
        exact = pact_wide and len(by_org) >= 10
        for measure in (people, investment):
            ranked = [*sorted(measure.values(), reverse=True), 0.0, 0.0]
            exact = exact and sum(measure.values()) - ranked[0] - ranked[1] >= 0.1 * ranked[0]
        values: dict[str, float | None] = {}
        for k, name in enumerate(PUBLIC_MEASURES):
            total = 0.0
            for organisation, v in by_org.items():
                o = expected.orgs[organisation]
                factor = 1.0 if exact else public_factor(keys[(o.name, o.country_code)], k)
                total += v[k] * factor
            values[name] = None if withheld else float(round(total))
        parts = [values[m] for m in PUBLIC_MEASURES[:4]]
        values["people_trained"] = None if withheld else float(sum(p or 0 for p in parts))
        cells[label] = PublicCell(values=values, organisations=len(by_org), withheld=withheld)
    return cells
