"""The store: table models, engine, filters and the typed query functions pages call.

All SQL of the project lives in this package.
"""

from data_access.access import PUBLIC, AccessDenied, Caller, DisclosureRules, Role
from data_access.dataset import DatasetState, dataset_state, record_change
from data_access.directory import member_directory
from data_access.engine import create_schema, database_url, engine_for, make_engine, session_scope
from data_access.filters import Filters
from data_access.membership import (
    members_over_time,
    members_without_report,
    partnership_launches,
    partnership_members,
    resolve_years,
)
from data_access.options import FilterOptions, filter_options, partnerships_table
from data_access.outcomes import (
    country_summary,
    outcome_cube,
    outcome_totals,
    pact_indicators_by_year,
    partnership_comparison,
    peer_comparison,
    peer_table,
    rollup,
)

__all__ = [
    "PUBLIC",
    "AccessDenied",
    "Caller",
    "DatasetState",
    "DisclosureRules",
    "FilterOptions",
    "Filters",
    "Role",
    "country_summary",
    "create_schema",
    "database_url",
    "dataset_state",
    "engine_for",
    "filter_options",
    "make_engine",
    "member_directory",
    "members_over_time",
    "members_without_report",
    "outcome_cube",
    "outcome_totals",
    "pact_indicators_by_year",
    "partnership_comparison",
    "partnership_launches",
    "partnership_members",
    "partnerships_table",
    "peer_comparison",
    "peer_table",
    "record_change",
    "resolve_years",
    "rollup",
    "session_scope",
]
