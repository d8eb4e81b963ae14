"""The Reporting rounds page's widgets, and the coordinators' round checklist with its Submit
for review button (on the Data page). data_access.rounds and round_moves decide who may do
what; the words come from views.rounds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import streamlit as st
from sqlmodel import Session

from data_access.access import AccessDenied, Caller, Role
from data_access.round_admin import close_round, extend_round, open_round
from data_access.round_moves import Action, move, moves_open_to
from data_access.rounds import (
    Progress,
    Round,
    RoundError,
    Stage,
    current_round,
    list_rounds,
    round_history,
    round_progress,
)
from i18n import _
from ui import data, render
from ui.auth import Identity, current_caller
from views import rounds as words

NOTICE_KEY = "rounds_notice"
ROUNDS_TITLE = words.TITLE


def rounds_page(identity: Identity) -> st.Page:
    """The Reporting rounds page: in the menu for officers and admins; anyone else reaching
    its URL is refused (and the data layer refuses them anyway)."""
    return st.Page(
        "pages/rounds.py",
        title=_(ROUNDS_TITLE),
        icon=":material/fact_check:",
        url_path="rounds",
        visibility="visible" if identity.caller.role in (Role.OFFICER, Role.ADMIN) else "hidden",
    )


def runs_rounds(caller: Caller) -> bool:
    """Whether the caller may use the Rounds page (officers and admins)."""
    return caller.role in (Role.OFFICER, Role.ADMIN)


def rounds(caller: Caller) -> list[Round]:
    """The rounds the caller may see, read afresh on each run."""
    with Session(data.store()) as session:
        return list_rounds(session=session, caller=caller)


def progress(caller: Caller, found: Round) -> list[Progress]:
    """Where each partnership the caller may see stands in the round today."""
    with Session(data.store()) as session:
        return round_progress(session=session, caller=caller, round_id=found.id, today=date.today())


def _done(text: str) -> None:
    data.data_changed()
    st.session_state[NOTICE_KEY] = ("success", text)


def _failed(exc: Exception) -> None:
    st.session_state[NOTICE_KEY] = ("error", words.refused(exc))


def _open() -> None:
    """Button callback: open the round described in the form."""
    state = st.session_state
    chosen = state.get("rounds_new_partnerships") or None
    try:
        found = open_round(
            engine=data.store(),
            caller=current_caller(),
            name=state.get("rounds_new_name", ""),
            year=int(state["rounds_new_year"]),
            quarter=int(state.get("rounds_new_quarter") or 0),
            opens_on=state["rounds_new_opens"],
            deadline=state["rounds_new_deadline"],
            partnerships=chosen,
        )
    except (RoundError, AccessDenied) as exc:
        _failed(exc)
        return
    state["rounds_choice"] = found.id
    _done(_("Round opened: {name}.").format(name=found.name))


def open_form(partnerships: dict[str, str]) -> None:
    """Name, period, dates and partnerships of a new round, and the button that opens it."""
    today = date.today()
    with st.expander(_("Open a round"), icon=":material/add:"):
        st.text_input(_("Name"), key="rounds_new_name", placeholder=_("Annual survey 2025"))
        left, right = st.columns(2)
        left.number_input(
            _("Year"), min_value=2020, max_value=2100, value=today.year - 1, key="rounds_new_year"
        )
        right.selectbox(
            _("Period"),
            [0, 1, 2, 3, 4],
            format_func=lambda q: (
                _("The whole year") if q == 0 else _("Q{quarter}").format(quarter=q)
            ),
            key="rounds_new_quarter",
        )
        left.date_input(_("Opens on"), value=today, key="rounds_new_opens")
        right.date_input(_("Deadline"), value=today + timedelta(days=60), key="rounds_new_deadline")
        st.multiselect(
            _("Partnerships (all when none is chosen)"),
            list(partnerships),
            format_func=partnerships.__getitem__,
            key="rounds_new_partnerships",
        )
        st.button(_("Open round"), key="rounds_open", on_click=_open, icon=":material/add:")


def _extend(round_id: int) -> None:
    state = st.session_state
    try:
        found = extend_round(
            engine=data.store(),
            caller=current_caller(),
            round_id=round_id,
            deadline=state["rounds_extend_deadline"],
            reason=state.get("rounds_extend_reason"),
        )
    except (RoundError, AccessDenied) as exc:
        _failed(exc)
        return
    _done(_("Deadline of {name} extended.").format(name=found.name))


def _close(round_id: int) -> None:
    try:
        found = close_round(engine=data.store(), caller=current_caller(), round_id=round_id)
    except (RoundError, AccessDenied) as exc:
        _failed(exc)
        return
    _done(_("Round closed: {name}.").format(name=found.name))


def round_controls(found: Round) -> None:
    """Extend the deadline (with an optional reason), or close the round."""
    with st.expander(_("Extend or close this round"), icon=":material/event:"):
        st.date_input(
            _("New deadline"),
            value=found.deadline + timedelta(days=14),
            key="rounds_extend_deadline",
        )
        st.text_input(_("Reason (optional)"), key="rounds_extend_reason")
        left, right = st.columns(2)
        left.button(_("Extend deadline"), key="rounds_extend", on_click=_extend, args=(found.id,))
        right.button(
            _("Close round"),
            key="rounds_close",
            on_click=_close,
            args=(found.id,),
            disabled=found.closed,
        )


def filtered(items: Sequence[Progress]) -> list[Progress]:
    """The filters over the table: stages, overdue only, a search of the names."""
    left, middle, right = st.columns([2, 1, 2])
    stages = left.multiselect(
        _("Status"), list(Stage), format_func=words.stage_label, key="rounds_stages"
    )
    overdue_only = middle.checkbox(_("Overdue only"), key="rounds_overdue")
    search = right.text_input(_("Search partnerships"), key="rounds_search")
    return words.filter_progress(items, stages=stages, overdue_only=overdue_only, search=search)


def _decide(round_id: int, action: Action) -> None:
    state = st.session_state
    slug = state.get("rounds_decide_partnership")
    if slug is None:
        return
    try:
        move(
            engine=data.store(),
            caller=current_caller(),
            round_id=round_id,
            partnership=slug,
            action=action,
            today=date.today(),
            reason=state.get("rounds_decide_reason"),
        )
    except (RoundError, AccessDenied) as exc:
        _failed(exc)
        return
    state["rounds_decide_reason"] = ""
    _done(words.moved(action.value, slug))


def decide_form(caller: Caller, found: Round, items: Sequence[Progress]) -> None:
    """Pick a partnership; return it (with a reason), approve it or reopen it (with a reason):
    the moves its stage allows."""
    by_slug = {p.partnership: p for p in items}
    slug = st.selectbox(
        _("Partnership"),
        list(by_slug),
        format_func=lambda s: _("{name}: {status}").format(
            name=by_slug[s].name, status=words.stage_label(by_slug[s].stage)
        ),
        index=None,
        placeholder=_("Choose a partnership"),
        key="rounds_decide_partnership",
    )
    if slug is None:
        return
    chosen = by_slug[slug]
    possible = [a for a in moves_open_to(caller, chosen.stage, slug) if a in words.DECISION_LABELS]
    if not possible:
        st.caption(_("No decision is possible at this status."))
    else:
        st.text_area(_("Reason (required to return or reopen)"), key="rounds_decide_reason")
        for column, action in zip(st.columns(len(possible)), possible, strict=True):
            column.button(
                _(words.DECISION_LABELS[action]),
                key=f"rounds_{action.value}",
                on_click=_decide,
                args=(found.id, action),
            )
    with Session(data.store()) as session:
        history = round_history(session=session, caller=caller, round_id=found.id, partnership=slug)
    render.table(words.history_table(history, {p.partnership: p.name for p in items}))


def _submit(round_id: int, slug: str) -> None:
    try:
        move(
            engine=data.store(),
            caller=current_caller(),
            round_id=round_id,
            partnership=slug,
            action=Action.SUBMIT,
            today=date.today(),
        )
    except (RoundError, AccessDenied) as exc:
        _failed(exc)
        return
    _done(words.moved(Action.SUBMIT.value, slug))


def coordinator_checklist(caller: Caller) -> None:
    """For a coordinator: each of their partnerships' current round, its status, the officer's
    reason, who has not reported, and Submit for review."""
    if caller.role is not Role.COORDINATOR:
        return
    render.pending_notice(NOTICE_KEY)
    for slug in sorted(caller.partnerships):
        with Session(data.store()) as session:
            found = current_round(session=session, caller=caller, partnership=slug)
            if found is None:
                continue
            mine = round_progress(
                session=session, caller=caller, round_id=found.id, today=date.today()
            )
        own = next((p for p in mine if p.partnership == slug), None)
        if own is None:
            continue
        may = Action.SUBMIT in moves_open_to(caller, own.stage, slug)
        shown = words.checklist(found, own, date.today(), may)
        st.subheader(shown.heading)
        render.notice(shown.status)
        if shown.reason is not None:
            render.notice(shown.reason)
        st.markdown(shown.completeness)
        if shown.missing:
            with st.expander(_("Members that have not reported yet")):
                st.dataframe({_("Organisation"): list(shown.missing)}, hide_index=True)
        st.button(
            _("Submit for review"),
            key=f"rounds_submit_{slug}",
            on_click=_submit,
            args=(found.id, slug),
            disabled=not shown.may_submit,
            type="primary",
            icon=":material/send:",
        )
