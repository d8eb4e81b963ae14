"""Roles and access: admins see and change who holds which role; everyone else is refused."""

import streamlit as st

from data_access.access import Role
from i18n import _
from ui import admin_panel, auth, render
from ui.context import current
from views.admin import GRANT_HEADER, REFUSED, REVOKE_HEADER, TITLE, roles

ctx = current()
st.title(_(TITLE))
if ctx.caller.role is not Role.ADMIN:
    render.notice(REFUSED)
    st.stop()

render.pending_notice(admin_panel.NOTICE_KEY)
grants = admin_panel.grants(ctx.caller)
view = roles(grants, role_cache_seconds=auth.ROLE_CACHE_SECONDS)
st.caption(view.caption)
st.header(view.grants.title)
render.table(view.grants)

st.header(_(GRANT_HEADER))
admin_panel.grant_form(dict(ctx.options.partnerships))

st.header(_(REVOKE_HEADER))
admin_panel.revoke_form(grants)
