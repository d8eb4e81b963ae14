"""Roles and access: admins see and change who holds which role; everyone else is refused."""

from datetime import date

import pandas as pd
import streamlit as st
from sqlmodel import Session

from data_access.access import AccessDenied, Role
from data_access.engine import session_scope
from data_access.roles import Grant, InvalidGrant, grant_role, list_grants, revoke_grant
from ui import auth, data
from ui.context import current
from ui.plain import notice

ROLE_LABELS = {
    Role.COORDINATOR.value: "Coordinator (member-level detail and data changes, one partnership)",
    Role.OFFICER.value: "Commission officer (all data; loads and undoes report files)",
    Role.ADMIN.value: "Admin (all data, and managing roles)",
}
NOTICE_KEY = "admin_notice"

ctx = current()
st.title("Roles and access")
if ctx.caller.role is not Role.ADMIN:
    st.error("Only admins can see and change who holds which role.", icon=":material/lock:")
    st.stop()

labels = dict(ctx.options.partnerships)


def describe(grant: Grant) -> str:
    """One grant in words, for the removal picker and notices."""
    scope = f" of {grant.partnership_name or grant.partnership}" if grant.partnership else ""
    return f"{grant.email}: {grant.role.value}{scope}"


def add_grant() -> None:
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
        st.session_state[NOTICE_KEY] = ("error", f"Not granted: {exc}.")
        return
    auth.forget_roles()
    st.session_state["admin_email"] = ""
    st.session_state[NOTICE_KEY] = ("success", f"Granted {describe(done)}.")


def remove_grant() -> None:
    """Button callback: remove the grant picked in the list."""
    grant_id = st.session_state.get("admin_revoke_choice")
    if grant_id is None:
        return
    try:
        with session_scope(data.store()) as session:
            done = revoke_grant(session=session, caller=auth.current_caller(), grant_id=grant_id)
    except (InvalidGrant, AccessDenied) as exc:
        st.session_state[NOTICE_KEY] = ("error", f"Not removed: {exc}.")
        return
    auth.forget_roles()
    st.session_state["admin_revoke_choice"] = None
    st.session_state[NOTICE_KEY] = ("success", f"Removed {describe(done)}.")


shown = st.session_state.pop(NOTICE_KEY, None)
if shown is not None:
    kind, text = shown
    notice("success" if kind == "success" else "error", text)

st.caption(
    "Roles are keyed by the e-mail address the identity provider verified at sign-in. "
    f"A change applies at the person's next click (within {auth.ROLE_CACHE_SECONDS} s on "
    "other servers of the same deployment)."
)
with Session(data.store()) as session:
    grants = list_grants(session=session, caller=ctx.caller)

st.header(f"Who holds which role ({len(grants)})")
st.dataframe(
    pd.DataFrame(
        [
            {
                "id": g.id,
                "email": g.email,
                "role": g.role.value,
                "partnership": g.partnership_name or "",
                "granted_by": g.granted_by or "",
                "granted_on": g.granted_on,
            }
            for g in grants
        ],
        columns=["id", "email", "role", "partnership", "granted_by", "granted_on"],
    ),
    key="admin_grants",
    hide_index=True,
    column_config={
        "id": None,
        "email": "E-mail address",
        "role": "Role",
        "partnership": "Partnership",
        "granted_by": "Granted by",
        "granted_on": st.column_config.DateColumn("Granted on", format="YYYY-MM-DD"),
    },
)

st.header("Grant a role")
st.text_input("E-mail address", key="admin_email", placeholder="name@example.org")
role = st.selectbox(
    "Role", list(ROLE_LABELS), format_func=ROLE_LABELS.__getitem__, key="admin_role"
)
st.selectbox(
    "Partnership (coordinators only)",
    list(labels),
    format_func=labels.__getitem__,
    index=None,
    placeholder="Choose the partnership they coordinate",
    key="admin_partnership",
    disabled=role != Role.COORDINATOR.value,
)
st.button("Grant role", key="admin_grant", on_click=add_grant, icon=":material/person_add:")

st.header("Remove a grant")
by_id = {g.id: g for g in grants}
st.selectbox(
    "Grant",
    list(by_id),
    format_func=lambda i: describe(by_id[i]),
    index=None,
    placeholder="Choose a grant to remove",
    key="admin_revoke_choice",
)
st.button("Remove grant", key="admin_revoke", on_click=remove_grant, icon=":material/delete:")
