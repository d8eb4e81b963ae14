"""Independent expectations: plain Python over the demo fixture rows, never the store's queries.

Tests compare what data_access and the pages show with these numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

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
