"""The account box in the sidebar (sign in, who you are, sign out) and the local-mode banner
(or, on a server that listens beyond loopback, the notice that local mode grants nothing)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from data_access.access import Caller, Role
from i18n import N_, _
from ui.auth import LOCAL_MODE_ENV, LOOPBACK_RUN_COMMAND, Identity, Source, forget_identity
from views.admin import TITLE as ADMIN_TITLE

PUBLIC_LINE = N_("Public view: aggregate figures only")
# Translated where shown: `_(LOCAL_BANNER).format(variable=LOCAL_MODE_ENV)`.
LOCAL_BANNER = N_(
    "**Local mode: you have full rights** (admin), because this request comes from this "
    "machine and no sign-in is configured. Anyone reaching the app from another machine or "
    "through a proxy gets the public view. Before sharing the app, configure sign-in or set "
    "`{variable}=off` (see docs/access.md)."
)
LOCAL_WITHHELD_NOTICE = N_(
    "**Local mode gives no rights here:** this server does not listen on loopback alone, so "
    "other machines may reach it, and you get the public view like them. To try the app "
    "with full rights on this machine, start it with `{command}`; to share it, "
    "configure sign-in (see docs/access.md)."
)
# Characters that would turn part of an address into markup.
_MARKDOWN_SPECIALS = str.maketrans({c: f"\\{c}" for c in "\\`*_[]<>|~$"})


def account_box(identity: Identity, partnerships: Mapping[str, str]) -> None:
    """Draw the sidebar's account box; partnerships maps slugs to the names to show."""
    with st.sidebar:
        st.markdown("### " + _("Account"))
        if identity.source is Source.LOCAL:
            st.caption(_("Local mode: full rights on this machine."))
        elif identity.source is Source.SIGN_IN or (
            identity.source is Source.TEST and identity.caller.role is not Role.PUBLIC
        ):
            _signed_in(identity, partnerships)
        else:
            _sign_in_buttons(identity)
            st.caption(_(PUBLIC_LINE))


def local_mode_banner(identity: Identity) -> None:
    """Above every page in local mode: say that rights come from being on this machine; or,
    to a request from this machine that local mode could not make admin, why and what to do."""
    if identity.source is Source.LOCAL:
        st.warning(_(LOCAL_BANNER).format(variable=LOCAL_MODE_ENV), icon=":material/computer:")
    elif identity.local_mode_withheld:
        notice = _(LOCAL_WITHHELD_NOTICE).format(command=LOOPBACK_RUN_COMMAND)
        st.info(notice, icon=":material/lock:")


def role_description(caller: Caller, partnerships: Mapping[str, str]) -> str:
    """What the caller may see, in a line."""
    if caller.role is Role.ADMIN:
        return _("Admin: all data, and who holds which role")
    if caller.role is Role.OFFICER:
        return _("Commission officer: all data; loads report files")
    if caller.role is Role.COORDINATOR:
        names = ", ".join(sorted(partnerships.get(s, s) for s in caller.partnerships))
        return _("Coordinator of {names}: member-level detail there, aggregates elsewhere").format(
            names=names
        )
    return _(PUBLIC_LINE)


def _sign_in_buttons(identity: Identity) -> None:
    if not identity.sign_in_configured:
        return
    providers = identity.providers or (None,)
    for provider in providers:
        label = (
            _("Sign in")
            if len(providers) == 1
            else _("Sign in with {provider}").format(provider=provider or "default")
        )
        key = f"account_sign_in_{provider or 'default'}"
        # Callbacks, as Streamlit's own examples do: they run before the next script run.
        st.button(label, key=key, icon=":material/login:", on_click=st.login, args=(provider,))


def _signed_in(identity: Identity, partnerships: Mapping[str, str]) -> None:
    address = identity.email or identity.caller.email or _("unknown address")
    shown = address.translate(_MARKDOWN_SPECIALS)
    st.markdown(_("Signed in as **{address}**").format(address=shown))
    if not identity.email_verified:
        st.caption(
            _(
                "Your identity provider has not confirmed this address, so you get the public "
                "view: aggregate figures only."
            )
        )
    elif identity.caller.role is Role.PUBLIC:
        st.caption(
            _(
                "This address holds no role: public view, aggregate figures only. "
                "Ask an admin for access."
            )
        )
    else:
        st.caption(role_description(identity.caller, partnerships))
    st.button(_("Sign out"), key="account_sign_out", icon=":material/logout:", on_click=_sign_out)


def _sign_out() -> None:
    forget_identity()
    st.logout()


def admin_page(identity: Identity) -> st.Page:
    """The roles page: in the menu for admins only; anyone else reaching its URL is refused."""
    return st.Page(
        "pages/admin.py",
        title=_(ADMIN_TITLE),
        icon=":material/admin_panel_settings:",
        url_path="admin",
        visibility="visible" if identity.caller.role is Role.ADMIN else "hidden",
    )
