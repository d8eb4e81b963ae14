"""The one filter object every query function takes: period range and the dimension selections."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Filters:
    """Global filters; an empty tuple means "all", a None year means "no bound".

    Selections are natural keys: ecosystem and partnership slugs, ISO alpha-2 country codes,
    organisation type codes and skill area codes.
    """

    year_from: int | None = None
    year_to: int | None = None
    ecosystems: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    skill_areas: tuple[str, ...] = ()

    @property
    def pact_wide(self) -> bool:
        """Whether the filters select no part of the Pact (at most a period range)."""
        return (
            not (self.ecosystems or self.partnerships or self.countries or self.org_types)
            and not self.skill_areas
        )

    def with_years(self, year_from: int | None, year_to: int | None) -> Filters:
        """Return a copy with another reporting period range."""
        return replace(self, year_from=year_from, year_to=year_to)

    def only_partnership(self, slug: str) -> Filters:
        """Return a copy narrowed to one partnership (other selections kept)."""
        return replace(self, partnerships=(slug,))

    def without_partnerships(self) -> Filters:
        """Return a copy that no longer narrows partnerships or ecosystems (for peer views)."""
        return replace(self, partnerships=(), ecosystems=())
