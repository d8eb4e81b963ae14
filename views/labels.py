"""The words for every column a chart plots or a table shows, written once.

Pages' data tables, CSV headers of reports and the workbook's sheets all take their column
headers from here; a column without an entry reads as its name with spaces. The labels are
English (marked for extraction); `column_label` gives them in the reader's language.
"""

from __future__ import annotations

import pandas as pd

from data_access.disclosure import SUPPRESSED
from i18n import N_, _

FLAG_COLUMN = SUPPRESSED  # the flag data_access sets on rows with hidden values

COLUMN_LABELS: dict[str, str] = {
    "year": N_("Year"),
    "period": N_("Period"),
    "period_end": N_("Period ends"),
    "group": N_("Group"),
    "members": N_("Member organisations"),
    "new_members": N_("New member organisations"),
    "partnerships": N_("Partnerships"),
    "ecosystems": N_("Ecosystems"),
    "countries": N_("Countries"),
    "people_trained": N_("People up/re-skilled"),
    "people_trained_cumulative": N_("People up/re-skilled, cumulated"),
    "people_trained_last_year": N_("People up/re-skilled in the year"),
    "country": N_("Country"),
    "country_code": N_("Country code"),
    "org_type": N_("Organisation type"),
    "short_name": N_("Partnership"),
    "name": N_("Full name"),
    "kind": N_("Kind"),
    "ecosystem": N_("Ecosystem"),
    "partnership": N_("Partnership"),
    "this_partnership": N_("This partnership"),
    "skill_area": N_("Skill area"),
    "launch_date": N_("Launched"),
    "women": N_("Women"),
    "men": N_("Men"),
    "other_gender": N_("Another gender"),
    "not_recorded": N_("Gender not recorded"),
    "recorded": N_("Gender recorded"),
    "women_share_recorded": N_("Women (% of recorded)"),
    "target_women_share": N_("Own target for women"),
    "not_recorded_share": N_("Gender not recorded (%)"),
    "programmes": N_("Training programmes"),
    "investment_eur": N_("Investment (EUR)"),
    "investment_eur_million": N_("Investment (EUR million)"),
    "people_reached": N_("People reached by promotion"),
    "reporting_organisations": N_("Organisations reporting"),
    "pledge_progress": N_("Progress against the annual pledge"),
    "annual_pledge": N_("Annual pledge (people)"),
    "metric": N_("Measure (code)"),
    "label": N_("Measure"),
    "unit": N_("Unit"),
    "ecosystem_median": N_("Ecosystem median"),
    "pact_median": N_("Pact median"),
    "member_growth_pct": N_("Member growth (%)"),
    "organisation": N_("Organisation"),
    "nuts_code": N_("NUTS region"),
    "size_class": N_("Size"),
    "role": N_("Role"),
    "joined_on": N_("Joined"),
    "left_on": N_("Left"),
    "active": N_("Active at period end"),
    "reported_in_year": N_("Reported for the last year"),
    "last_reported_year": N_("Last report"),
    "listed": N_("Listed publicly"),
    FLAG_COLUMN: N_("Suppressed values in row"),
    "listing": N_("Public directory"),
    "member_growth": N_("Growth (members)"),
    "growth_pct": N_("Growth (%)"),
    "women_pct": N_("Women (%)"),
    "target_pct": N_("Women target (%)"),
    "pledge_pct": N_("Pledge progress (%)"),
    "profile": N_("Profile"),
    "email": N_("E-mail address"),
    "granted_by": N_("Granted by"),
    "granted_on": N_("Granted on"),
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
    """A column's header in the dashboard's words, in the reader's language (a column without
    a label reads as its name with spaces, untranslated)."""
    label = COLUMN_LABELS.get(column)
    return _(label) if label is not None else column.replace("_", " ").capitalize()


def csv_header(key: str) -> str:
    """A CSV download's header cell: the column's label in the reader's language and its
    stable English key ("Year [year]", "Année [year]"), so a file reads well and still
    joins on the key whatever the language it was downloaded in."""
    return f"{column_label(key)} [{key}]"


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame as a CSV download holds it: every header through `csv_header`, values as
    they are (machine-readable)."""
    return frame.rename(columns={column: csv_header(str(column)) for column in frame.columns})


def is_year_column(column: str) -> bool:
    """Whether a column holds years, written without thousands separators."""
    return column in ("year", "period") or column.endswith("_year")
