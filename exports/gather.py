"""Fetch a report's frames through data_access for one caller, as the pages fetch them.

The same query functions, with the same filters and `caller=`, as pages/overview.py and
pages/profile.py (through ui/data.py), so a report is scoped and protected exactly as the
page it comes from. Every frame of a report is read in one session, with the dataset state
it names.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from sqlmodel import Session

from data_access import (
    Caller,
    Filters,
    dataset_state,
    filter_options,
    members_over_time,
    outcome_totals,
    pact_indicators_by_year,
    partnership_comparison,
    partnership_members,
    partnerships_table,
    resolve_years,
)
from data_access.round_locks import Provisional, provisional_figures
from views import provisional as marks
from views.report import Report, pact_report, partnership_report


def _closed(session: Session, filters: Filters) -> Filters:
    """The filters with open year bounds closed by the data, as the sidebar always gives them."""
    year_from, year_to = resolve_years(session=session, filters=filters)
    return filters.with_years(year_from, year_to)


def gather_pact_report(
    *, session: Session, caller: Caller, filters: Filters, now: datetime | None = None
) -> Report:
    """The Pact-wide report of the filtered view (the Overview) for this caller."""
    filters = _closed(session, filters)
    report = pact_report(
        indicators=pact_indicators_by_year(session=session, caller=caller, filters=filters),
        filters=filters,
        options=filter_options(session=session, caller=caller),
        caller=caller,
        state=dataset_state(session=session),
        generated_at=now or datetime.now(UTC),
    )
    return marked(report, provisional_figures(session=session, caller=caller, filters=filters))


def gather_partnership_report(
    *,
    session: Session,
    caller: Caller,
    filters: Filters,
    partnership: str,
    now: datetime | None = None,
) -> Report:
    """One partnership's report (its Profile with members) for this caller.

    Raises data_access.AccessDenied, before reading anything, unless the caller may see the
    partnership's members (its coordinators, officers, admins); KeyError for an unknown slug.
    """
    caller.require_members_of(partnership)
    partnerships = partnerships_table(session=session, caller=caller)
    rows = partnerships[partnerships["slug"] == partnership]
    if rows.empty:
        raise KeyError(f"no partnership {partnership!r}")
    filters = _closed(session, filters)
    scoped = filters.only_partnership(partnership)
    report = partnership_report(
        partnership=partnership,
        info=rows.iloc[0],
        comparison=partnership_comparison(session=session, caller=caller, filters=scoped),
        everyone=partnership_comparison(
            session=session, caller=caller, filters=filters.without_partnerships()
        ),
        growth=members_over_time(session=session, caller=caller, filters=scoped),
        outcomes=outcome_totals(session=session, caller=caller, filters=scoped, by=("year",)),
        skills=outcome_totals(session=session, caller=caller, filters=scoped, by=("skill_area",)),
        members=partnership_members(
            session=session, caller=caller, filters=filters, partnership=partnership
        ),
        filters=filters,
        options=filter_options(session=session, caller=caller),
        caller=caller,
        state=dataset_state(session=session),
        generated_at=now or datetime.now(UTC),
    )
    return marked(report, provisional_figures(session=session, caller=caller, filters=scoped))


def marked(report: Report, provisional: Provisional) -> Report:
    """The report saying which of its figures are provisional (still under review in a
    reporting round): a note naming them, the word on its tiles, a column in its tables."""
    notice = marks.report_notice(provisional)
    if notice is None:
        return report
    return replace(
        report,
        headlines=tuple(marks.marked_tile(t, provisional) for t in report.headlines),
        tables=tuple(replace(t, data=marks.mark_frame(t.data, provisional)) for t in report.tables),
        notes=(notice.written(), *report.notes),
    )
