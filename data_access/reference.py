"""Reference lists the store is seeded with: ecosystems, countries, organisation types, skill areas.

These are facts of the domain (see DOMAIN.md), not demo data: every database gets them.
"""

from __future__ import annotations

from dataclasses import dataclass

from i18n import N_


@dataclass(frozen=True)
class EcosystemRef:
    """One of the 14 industrial ecosystems of the EU industrial strategy."""

    slug: str
    name: str
    workforce: int  # approximate EU-27 employment, used to turn "X% of the workforce" into people


ECOSYSTEMS: tuple[EcosystemRef, ...] = (
    EcosystemRef("aerospace-defence", N_("Aerospace & defence"), 880_000),
    EcosystemRef("agri-food", N_("Agri-food"), 29_100_000),
    EcosystemRef("construction", N_("Construction"), 24_900_000),
    EcosystemRef("cultural-creative", N_("Cultural and creative industries"), 8_000_000),
    EcosystemRef("digital", N_("Digital"), 13_300_000),
    EcosystemRef("electronics", N_("Electronics"), 1_600_000),
    EcosystemRef("energy-intensive", N_("Energy-intensive industries"), 7_800_000),
    EcosystemRef("renewable-energy", N_("Renewable energy"), 1_400_000),
    EcosystemRef("health", N_("Health"), 20_100_000),
    EcosystemRef("mobility-automotive", N_("Mobility-transport-automotive"), 14_600_000),
    EcosystemRef(
        "proximity-social", N_("Proximity, social economy and civil security"), 24_800_000
    ),
    EcosystemRef("retail", N_("Retail"), 29_000_000),
    EcosystemRef("textiles", N_("Textiles"), 2_300_000),
    EcosystemRef("tourism", N_("Tourism"), 22_600_000),
)


@dataclass(frozen=True)
class CountryRef:
    """A country members may be based in (ISO 3166-1 alpha-2 and alpha-3)."""

    code: str
    iso3: str
    name: str
    group: str  # "EU", "EEA" or "candidate"


COUNTRIES: tuple[CountryRef, ...] = (
    CountryRef("AT", "AUT", "Austria", "EU"),
    CountryRef("BE", "BEL", "Belgium", "EU"),
    CountryRef("BG", "BGR", "Bulgaria", "EU"),
    CountryRef("HR", "HRV", "Croatia", "EU"),
    CountryRef("CY", "CYP", "Cyprus", "EU"),
    CountryRef("CZ", "CZE", "Czechia", "EU"),
    CountryRef("DK", "DNK", "Denmark", "EU"),
    CountryRef("EE", "EST", "Estonia", "EU"),
    CountryRef("FI", "FIN", "Finland", "EU"),
    CountryRef("FR", "FRA", "France", "EU"),
    CountryRef("DE", "DEU", "Germany", "EU"),
    CountryRef("GR", "GRC", "Greece", "EU"),
    CountryRef("HU", "HUN", "Hungary", "EU"),
    CountryRef("IE", "IRL", "Ireland", "EU"),
    CountryRef("IT", "ITA", "Italy", "EU"),
    CountryRef("LV", "LVA", "Latvia", "EU"),
    CountryRef("LT", "LTU", "Lithuania", "EU"),
    CountryRef("LU", "LUX", "Luxembourg", "EU"),
    CountryRef("MT", "MLT", "Malta", "EU"),
    CountryRef("NL", "NLD", "Netherlands", "EU"),
    CountryRef("PL", "POL", "Poland", "EU"),
    CountryRef("PT", "PRT", "Portugal", "EU"),
    CountryRef("RO", "ROU", "Romania", "EU"),
    CountryRef("SK", "SVK", "Slovakia", "EU"),
    CountryRef("SI", "SVN", "Slovenia", "EU"),
    CountryRef("ES", "ESP", "Spain", "EU"),
    CountryRef("SE", "SWE", "Sweden", "EU"),
    CountryRef("IS", "ISL", "Iceland", "EEA"),
    CountryRef("LI", "LIE", "Liechtenstein", "EEA"),
    CountryRef("NO", "NOR", "Norway", "EEA"),
    CountryRef("AL", "ALB", "Albania", "candidate"),
    CountryRef("BA", "BIH", "Bosnia and Herzegovina", "candidate"),
    CountryRef("MD", "MDA", "Moldova", "candidate"),
    CountryRef("ME", "MNE", "Montenegro", "candidate"),
    CountryRef("MK", "MKD", "North Macedonia", "candidate"),
    CountryRef("RS", "SRB", "Serbia", "candidate"),
    CountryRef("TR", "TUR", "Türkiye", "candidate"),
    CountryRef("UA", "UKR", "Ukraine", "candidate"),
)

ORGANISATION_TYPES: tuple[tuple[str, str], ...] = (
    ("large_company", N_("Large company")),
    ("sme", N_("SME")),
    ("vet_provider", N_("Education and training provider (VET)")),
    ("higher_education", N_("Education and training provider (higher education)")),
    ("public_authority", N_("Public authority")),
    ("public_employment_service", N_("Public employment service")),
    ("social_partner", N_("Social partner")),
    ("chamber_of_commerce", N_("Chamber of commerce")),
    ("association", N_("Sectoral or cross-industry association")),
    ("cluster", N_("Cluster")),
    ("ngo", N_("NGO / civil society")),
)

SIZE_CLASSES: tuple[str, ...] = ("micro", "small", "medium", "large")

SKILL_AREAS: tuple[tuple[str, str], ...] = (
    ("basic_digital", N_("Basic digital")),
    ("advanced_digital", N_("Advanced digital")),
    ("green", N_("Green")),
    ("technical", N_("Technical / sector-specific")),
    ("transversal", N_("Transversal")),
)

MEMBERSHIP_ROLES: tuple[str, ...] = ("coordinator", "co-leader", "member")
