"""The words for every column a chart plots or a table shows, written once.

Pages' data tables, CSV headers of reports and the workbook's sheets all take their column
headers from here; a column without an entry reads as its name with spaces.
"""

from __future__ import annotations

from data_access.disclosure import SUPPRESSED

FLAG_COLUMN = SUPPRESSED  # the flag data_access sets on rows with hidden values

COLUMN_LABELS: dict[str, str] = {
    "year": "Year",
    "period": "Period",
    "period_end": "Period ends",
    "group": "Group",
    "members": "Member organisations",
    "new_members": "New member organisations",
    "partnerships": "Partnerships",
    "ecosystems": "Ecosystems",
    "countries": "Countries",
    "people_trained": "People up/re-skilled",
    "people_trained_cumulative": "People up/re-skilled, cumulated",
    "people_trained_last_year": "People up/re-skilled in the year",
    "country": "Country",
    "country_code": "Country code",
    "org_type": "Organisation type",
    "short_name": "Partnership",
    "name": "Full name",
    "kind": "Kind",
    "ecosystem": "Ecosystem",
    "partnership": "Partnership",
    "this_partnership": "This partnership",
    "skill_area": "Skill area",
    "launch_date": "Launched",
    "women": "Women",
    "men": "Men",
    "other_gender": "Another gender",
    "not_recorded": "Gender not recorded",
    "recorded": "Gender recorded",
    "women_share_recorded": "Women (% of recorded)",
    "target_women_share": "Own target for women",
    "not_recorded_share": "Gender not recorded (%)",
    "programmes": "Training programmes",
    "investment_eur": "Investment (EUR)",
    "investment_eur_million": "Investment (EUR million)",
    "people_reached": "People reached by promotion",
    "reporting_organisations": "Organisations reporting",
    "pledge_progress": "Progress against the annual pledge",
    "annual_pledge": "Annual pledge (people)",
    "metric": "Measure (code)",
    "label": "Measure",
    "unit": "Unit",
    "ecosystem_median": "Ecosystem median",
    "pact_median": "Pact median",
    "member_growth_pct": "Member growth (%)",
    "organisation": "Organisation",
    "nuts_code": "NUTS region",
    "size_class": "Size",
    "role": "Role",
    "joined_on": "Joined",
    "left_on": "Left",
    "active": "Active at period end",
    "reported_in_year": "Reported for the last year",
    "last_reported_year": "Last report",
    "listed": "Listed publicly",
    FLAG_COLUMN: "Suppressed values in row",
    "listing": "Public directory",
    "member_growth": "Growth (members)",
    "growth_pct": "Growth (%)",
    "women_pct": "Women (%)",
    "target_pct": "Women target (%)",
    "pledge_pct": "Pledge progress (%)",
    "profile": "Profile",
    "email": "E-mail address",
    "granted_by": "Granted by",
    "granted_on": "Granted on",
}

# Columns holding shares (0-1), shown as percentages.
SHARE_COLUMNS = frozenset(
    {
        "women_share_recorded",
        "target_women_share",
        "not_recorded_share",
        "pledge_progress",
        "member_growth_pct",
    }
)


def column_label(column: str) -> str:
    """A column's header in the dashboard's words."""
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def is_year_column(column: str) -> bool:
    """Whether a column holds years, written without thousands separators."""
    return column in ("year", "period") or column.endswith("_year")
