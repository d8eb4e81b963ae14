"""The Roles and access page's widgets: the grants as stored, the form that grants a role and
the picker that removes one (data_access.roles enforces that only admins may)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import streamlit as st
from sqlmodel import Session

from data_access.access import AccessDenied, Caller, Role
from data_access.engine import session_scope
from data_access.roles import Grant, InvalidGrant, grant_role, list_grants, revoke_grant
from i18n import _
from ui import auth, data
from ui.language import in_session_language
from views import admin as words

NOTICE_KEY = "admin_notice"


def grants(caller: Caller) -> list[Grant]:
    """Every grant, read afresh on each run (admins only; data_access refuses others)."""
    with Session(data.store()) as session:
        return list_grants(session=session, caller=caller)


@in_session_language
def _add_grant() -> None:
    """Button callback: grant the role typed in the form."""
    role = Role(st.session_state["admin_role"])
    chosen = st.session_state.get("admin_partnership")
    try:
        with session_scope(data.store()) as session:
            done = grant_role(
                session=session,
                caller=auth.current_caller(),
                email=st.session_state.get("admin_email", ""),
                role=role,
                partnership=chosen if role is Role.COORDINATOR else None,
                today=date.today(),
            )
    except (InvalidGrant, AccessDenied) as exc:
        st.session_state[NOTICE_KEY] = ("error", words.not_granted(exc))
        return
    auth.forget_roles()
    st.session_state["admin_email"] = ""
    st.session_state[NOTICE_KEY] = ("success", words.granted(done))


@in_session_language
def _remove_grant() -> None:
    """Button callback: remove the grant picked in the list."""
    grant_id = st.session_state.get("admin_revoke_choice")
    if grant_id is None:
        return
    try:
        with session_scope(data.store()) as session:
            done = revoke_grant(session=session, caller=auth.current_caller(), grant_id=grant_id)
    except (InvalidGrant, AccessDenied) as exc:
        st.session_state[NOTICE_KEY] = ("error", words.not_removed(exc))
        return
    auth.forget_roles()
    st.session_state["admin_revoke_choice"] = None
    st.session_state[NOTICE_KEY] = ("success", words.removed(done))


def grant_form(partnerships: Mapping[str, str]) -> None:
    """Address, role and (coordinators) partnership, and the button that grants the role;
    partnerships maps slugs to the names to show."""
    st.text_input(_(words.EMAIL_LABEL), key="admin_email", placeholder=_(words.EMAIL_PLACEHOLDER))
    role = st.selectbox(
        _(words.ROLE_LABEL),
        list(words.ROLE_LABELS),
        format_func=lambda value: _(words.ROLE_LABELS[value]),
        key="admin_role",
    )
    st.selectbox(
        _(words.PARTNERSHIP_LABEL),
        list(partnerships),
        format_func=partnerships.__getitem__,
        index=None,
        placeholder=_(words.PARTNERSHIP_PLACEHOLDER),
        key="admin_partnership",
        disabled=role != Role.COORDINATOR.value,
    )
    st.button(
        _(words.GRANT_BUTTON),
        key="admin_grant",
        on_click=_add_grant,
        icon=":material/person_add:",
    )


def revoke_form(held: Sequence[Grant]) -> None:
    """The picker of a grant to remove, and the button that removes it."""
    by_id = {g.id: g for g in held}
    st.selectbox(
        _(words.REVOKE_LABEL),
        list(by_id),
        format_func=lambda i: words.describe(by_id[i]),
        index=None,
        placeholder=_(words.REVOKE_PLACEHOLDER),
        key="admin_revoke_choice",
    )
    st.button(
        _(words.REVOKE_BUTTON),
        key="admin_revoke",
        on_click=_remove_grant,
        icon=":material/delete:",
    )
