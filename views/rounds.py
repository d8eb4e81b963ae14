"""Reporting rounds: what the Rounds page and the coordinators' checklist say, from
data_access.rounds' rounds, progress and moves (pure: ui.rounds_panel draws it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd

from data_access.round_moves import Action
from data_access.rounds import Move, Progress, Round, Stage
from i18n import N_, _, ngettext
from i18n.numbers import date as written_date
from i18n.numbers import number, percent
from views.models import Column, Download, Notice, Table

TITLE = N_("Reporting rounds")
INTRO = N_(
    "Open a reporting round, follow each partnership's submission and completeness, and "
    "return, approve or reopen its figures. Approved figures are locked and published; the "
    "others are provisional."
)
REFUSED = N_("Only Commission officers and admins run reporting rounds.")
NO_ROUNDS = N_("No reporting round has been opened yet.")
STAGE_LABELS: dict[Stage, str] = {
    Stage.NOT_STARTED: N_("Not started"),
    Stage.IN_PROGRESS: N_("In progress"),
    Stage.SUBMITTED: N_("Submitted"),
    Stage.RETURNED: N_("Returned for correction"),
    Stage.APPROVED: N_("Approved"),
    Stage.REOPENED: N_("Reopened"),
}
MOVE_LABELS: dict[str, str] = {
    "open": N_("Round opened"),
    "extend": N_("Deadline extended"),
    "close": N_("Round closed"),
    "submit": N_("Submitted for review"),
    "return": N_("Returned for correction"),
    "approve": N_("Approved"),
    "reopen": N_("Reopened"),
}
DECISION_LABELS: dict[Action, str] = {
    Action.RETURN: N_("Return for correction"),
    Action.APPROVE: N_("Approve"),
    Action.REOPEN: N_("Reopen"),
}
OVERDUE = N_("Overdue")
PROGRESS_KEYS = (
    "partnership",
    "stage",
    "completeness",
    "reported",
    "members",
    "not_reported",
    "deadline",
    "days_left",
    "overdue",
)


def stage_label(stage: Stage) -> str:
    """A stage in words."""
    return _(STAGE_LABELS[stage])


def period_words(found: Round) -> str:
    """The period a round covers, in words."""
    if found.quarter == 0:
        return str(found.year)
    return _("Q{quarter} {year}").format(quarter=found.quarter, year=found.year)


def quarter_choice(quarter: int) -> str:
    """A period's choice in the form that opens a round: the whole year or a quarter."""
    return _("The whole year") if quarter == 0 else _("Q{quarter}").format(quarter=quarter)


def round_choice(found: Round) -> str:
    """A round in a picker: its name and period, and whether it is closed."""
    if found.closed:
        return _("{name} ({period}, closed)").format(name=found.name, period=period_words(found))
    return _("{name} ({period})").format(name=found.name, period=period_words(found))


def round_summary(found: Round, progress: Sequence[Progress], today: date) -> str:
    """One paragraph on a round: its period, dates, state and how many partnerships are where."""
    approved = sum(1 for p in progress if p.stage is Stage.APPROVED)
    overdue = sum(1 for p in progress if p.overdue)
    dates = _("Covers {period}; opened on {opened}, deadline {deadline}.").format(
        period=period_words(found),
        opened=written_date(found.opens_on),
        deadline=written_date(found.deadline),
    )
    state = (
        _("Closed on {day}.").format(day=written_date(found.closed_at.date()))
        if found.closed_at is not None
        else deadline_words((found.deadline - today).days)
    )
    counts = ngettext(
        "{approved} of {count} partnership approved, {overdue} overdue.",
        "{approved} of {count} partnerships approved, {overdue} overdue.",
        len(progress),
    ).format(approved=number(approved), count=number(len(progress)), overdue=number(overdue))
    return f"{dates} {state} {counts}"


def deadline_words(days_left: int) -> str:
    """How far the deadline is: days left, today, or days past."""
    if days_left == 0:
        return _("The deadline is today.")
    if days_left > 0:
        return ngettext(
            "{count} day left before the deadline.",
            "{count} days left before the deadline.",
            days_left,
        ).format(count=number(days_left))
    return ngettext(
        "The deadline passed {count} day ago.",
        "The deadline passed {count} days ago.",
        -days_left,
    ).format(count=number(-days_left))


def progress_frame(progress: Sequence[Progress]) -> pd.DataFrame:
    """One row per partnership: its stage (in words), completeness, deadline and overdue mark."""
    return pd.DataFrame(
        {
            "partnership": [p.name for p in progress],
            "partnership_slug": [p.partnership for p in progress],
            "stage": [stage_label(p.stage) for p in progress],
            "completeness": [None if p.share is None else 100 * p.share for p in progress],
            "reported": [p.reported for p in progress],
            "members": [p.members for p in progress],
            "not_reported": [len(p.missing) for p in progress],
            "deadline": [p.deadline for p in progress],
            "days_left": [p.days_left for p in progress],
            "overdue": [_(OVERDUE) if p.overdue else "" for p in progress],
        }
    )


def filter_progress(
    progress: Sequence[Progress], *, stages: Sequence[Stage], overdue_only: bool, search: str
) -> list[Progress]:
    """The partnerships at the chosen stages (all when none is chosen), overdue ones only if
    asked, whose name or slug holds the search text."""
    wanted = " ".join(search.split()).casefold()
    return [
        p
        for p in progress
        if (not stages or p.stage in stages)
        and (p.overdue or not overdue_only)
        and (not wanted or wanted in p.name.casefold() or wanted in p.partnership)
    ]


def progress_table(found: Round, progress: Sequence[Progress]) -> Table:
    """The Rounds page's table of partnerships, sortable by any column, with its CSV."""
    labels = column_words()
    frame = progress_frame(progress)
    columns = (
        Column("partnership", label=labels["partnership"], pinned=True),
        Column("stage", label=labels["stage"]),
        Column("completeness", "percent", label=labels["completeness"]),
        Column("reported", "count", label=labels["reported"]),
        Column("members", "count", label=labels["members"]),
        Column("not_reported", "count", label=labels["not_reported"]),
        Column("deadline", "date", label=labels["deadline"]),
        Column("days_left", "signed_count", label=labels["days_left"]),
        Column("overdue", label=labels["overdue"]),
    )
    return Table(
        key="rounds_progress",
        title=_("Partnerships in the round '{name}'").format(name=found.name),
        data=frame,
        columns=columns,
        note=_("Completeness: the share of the members at the end of the period that reported."),
        csv=Download(
            key="rounds_progress_csv",
            label=_("Download CSV"),
            file_name=f"round-{found.period}-progress.csv",
            data=progress_csv(progress),
        ),
    )


def column_words() -> dict[str, str]:
    """The progress table's headers."""
    return {
        "partnership": _("Partnership"),
        "stage": _("Status"),
        "completeness": _("Members reported (%)"),
        "reported": _("Members reported"),
        "members": _("Members"),
        "not_reported": _("Not reported yet"),
        "deadline": _("Deadline"),
        "days_left": _("Days left"),
        "overdue": _("Overdue"),
    }


def progress_csv(progress: Sequence[Progress]) -> pd.DataFrame:
    """The CSV of the table: headers "label [key]", cells machine-readable (stage keys, shares
    0-1, ISO dates, true/false, the names of the members that have not reported)."""
    labels = column_words() | {"partnership_slug": _("Partnership key")}
    frame = pd.DataFrame(
        {
            "partnership": [p.name for p in progress],
            "partnership_slug": [p.partnership for p in progress],
            "stage": [p.stage.value for p in progress],
            "completeness": [p.share for p in progress],
            "reported": [p.reported for p in progress],
            "members": [p.members for p in progress],
            "not_reported": ["; ".join(p.missing) for p in progress],
            "deadline": [p.deadline.isoformat() for p in progress],
            "days_left": [p.days_left for p in progress],
            "overdue": [p.overdue for p in progress],
        }
    )
    return frame.rename(columns={key: f"{labels[key]} [{key}]" for key in frame.columns})


def history_table(moves: Sequence[Move], names: dict[str, str]) -> Table:
    """A partnership's (and its round's) moves, oldest first: when, who, what and why."""
    frame = pd.DataFrame(
        {
            "when": [m.moved_at.strftime("%Y-%m-%d %H:%M") for m in moves],
            "move": [_(MOVE_LABELS[m.action]) for m in moves],
            "partnership": [names.get(m.partnership or "", "") for m in moves],
            "from": [_move_state(m, m.from_state) for m in moves],
            "to": [_move_state(m, m.to_state) for m in moves],
            "by": [m.moved_by for m in moves],
            "reason": [m.reason or "" for m in moves],
        }
    )
    columns = (
        Column("when", label=_("When (UTC)")),
        Column("move", label=_("Move")),
        Column("partnership", label=_("Partnership")),
        Column("from", label=_("From")),
        Column("to", label=_("To")),
        Column("by", label=_("By")),
        Column("reason", label=_("Reason"), width="large"),
    )
    return Table(key="rounds_history", title=_("History"), data=frame, columns=columns)


def _move_state(found: Move, state: str) -> str:
    """A recorded state in words: a stage, the round's open/closed, or a deadline's date."""
    if found.action == "extend":
        return written_date(date.fromisoformat(state))
    if state in {s.value for s in Stage}:
        return stage_label(Stage(state))
    return {"open": _("open"), "closed": _("closed"), "": ""}.get(state, state)


@dataclass(frozen=True)
class Checklist:
    """What a coordinator reads about their partnership in the current round."""

    heading: str
    status: Notice
    reason: Notice | None
    completeness: str
    missing: tuple[str, ...]
    may_submit: bool


def checklist(found: Round, mine: Progress, today: date, may_submit: bool) -> Checklist:
    """A coordinator's view of the round: status, the officer's reason, completeness and who
    has not reported."""
    status = _("Status: **{stage}**. Deadline {deadline}: {left}").format(
        stage=stage_label(mine.stage),
        deadline=written_date(found.deadline),
        left=deadline_words(mine.days_left),
    )
    reason = None
    if mine.reason is not None and mine.stage in (Stage.RETURNED, Stage.REOPENED):
        reason = Notice(
            _("The officer's reason: {reason}"),
            kind="warning",
            quoted={"reason": mine.reason},
        )
    share = "–" if mine.share is None else percent(mine.share)
    return Checklist(
        heading=_("{name}: {round}").format(name=mine.name, round=round_choice(found)),
        status=Notice(status, kind="warning" if mine.overdue else "info"),
        reason=reason,
        completeness=_("{reported} of {members} members reported ({share}).").format(
            reported=number(mine.reported), members=number(mine.members), share=share
        ),
        missing=mine.missing,
        may_submit=may_submit and found.accepts_submissions(today),
    )


def moved(action: str, name: str) -> str:
    """The notice after a move."""
    return _("{move}: {partnership}.").format(move=_(MOVE_LABELS[action]), partnership=name)


def refused(reason: Exception) -> str:
    """The notice after a refused move or round change."""
    return _("Not done: {reason}").format(reason=reason)
