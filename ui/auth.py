"""Who is asking: the session's Caller, resolved once per run by dashboard.py.

In order: an identity injected by a test (only when tests switch the seam on); sign-in with
OpenID Connect (`st.login`, when secrets.toml has an `[auth]` section), the role coming from
the role_grant table by verified e-mail; without `[auth]`, the local try-out mode (full rights
for a request from this machine, announced by a banner); everyone else is the public.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

import streamlit as st
from sqlmodel import Session
from streamlit import config

from data_access.access import PUBLIC, Caller, Role
from data_access.roles import caller_for_email

SEAM_ENV = "PACT_TEST_IDENTITY_SEAM"
"""Set to 1 by tests only: then an AppTest run may inject its Caller (SEAM_KEY)."""
SEAM_KEY = "pact_test_identity"
LOCAL_MODE_ENV = "PACT_LOCAL_MODE"
"""`off` switches the local try-out mode off (any other value, or none, leaves it on)."""
ROLE_CACHE_SECONDS = 30
"""A grant or revocation made in another process applies within this many seconds."""

LOCAL_CALLER = Caller(role=Role.ADMIN, email="local")
_IDENTITY_KEY = "_pact_identity"
_OFF = frozenset({"off", "0", "false", "no"})
# Headers a reverse proxy (or a CDN, load balancer, tunnel) adds: their presence means the
# loopback peer is a proxy relaying someone else's request.
FORWARDING_HEADERS = frozenset(
    {
        "forwarded",
        "via",
        "x-forwarded-for",
        "x-forwarded-host",
        "x-forwarded-proto",
        "x-forwarded-port",
        "x-forwarded-server",
        "x-original-forwarded-for",
        "x-real-ip",
        "x-client-ip",
        "x-cluster-client-ip",
        "true-client-ip",
        "cf-connecting-ip",
        "fastly-client-ip",
    }
)
_PROVIDER_KEYS = frozenset({"client_id", "server_metadata_url"})
_log = logging.getLogger(__name__)


class Source(StrEnum):
    """Where the session's identity came from."""

    TEST = "test"  # injected by a test through the seam
    SIGN_IN = "sign-in"  # signed in with the identity provider
    LOCAL = "local"  # local try-out mode: a request from this machine, no sign-in configured
    PUBLIC = "public"  # not signed in


@dataclass(frozen=True)
class Identity:
    """The session's caller and what the account box needs to describe it."""

    caller: Caller
    source: Source
    sign_in_configured: bool = False
    providers: tuple[str | None, ...] = ()  # None: the unnamed provider of [auth]
    email: str | None = None  # the signed-in address, also when it holds no role
    email_verified: bool = False


def resolve() -> Identity:
    """Work out who is asking for this run (dashboard.py calls it first thing)."""
    section = _auth_section()
    configured = section is not None
    providers = sign_in_providers(section) if section is not None else ()
    injected = _injected_caller()
    if injected is not None:
        identity = Identity(
            injected, Source.TEST, configured, providers, injected.email, email_verified=True
        )
    elif configured:
        identity = _signed_in(providers)
    elif local_mode_enabled() and request_is_local(*_connection()):
        _warn_local_mode_once()
        identity = Identity(LOCAL_CALLER, Source.LOCAL)
    else:
        identity = Identity(PUBLIC, Source.PUBLIC)
    st.session_state[_IDENTITY_KEY] = identity
    return identity


def current_identity() -> Identity:
    """The identity resolved for this run (resolved now if dashboard.py did not)."""
    identity = st.session_state.get(_IDENTITY_KEY)
    if isinstance(identity, Identity):
        return identity
    return resolve()


def current_caller() -> Caller:
    """The caller every query of this run acts for."""
    return current_identity().caller


def forget_identity() -> None:
    """Drop the session's resolved identity (on sign-out), so nothing reuses it."""
    st.session_state.pop(_IDENTITY_KEY, None)


def forget_roles() -> None:
    """Drop cached role look-ups (after an admin changed grants), so they apply at once."""
    _caller_for_verified_email.clear()


def local_mode_enabled() -> bool:
    """False when PACT_LOCAL_MODE is `off` (or 0/false/no)."""
    return os.environ.get(LOCAL_MODE_ENV, "").strip().lower() not in _OFF


def request_is_local(remote_ip: str | None, headers: Mapping[str, Sequence[str]]) -> bool:
    """True only for a direct request from this machine: a loopback peer address, one Host
    header naming a loopback host, and no header a proxy adds. Unknown means not local."""
    if not isinstance(remote_ip, str) or not remote_ip:
        return False
    try:
        address = ipaddress.ip_address(remote_ip.split("%", 1)[0])
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    if not (address.is_loopback or (mapped is not None and mapped.is_loopback)):
        return False
    names = {name.lower(): values for name, values in headers.items()}
    if names.keys() & FORWARDING_HEADERS:
        return False
    hosts = list(names.get("host", ()))
    return len(hosts) == 1 and host_is_loopback(hosts[0])


def host_is_loopback(host: str) -> bool:
    """True for a Host header value naming this machine: localhost, 127.x.x.x, [::1]."""
    value = host.strip().lower()
    if value.startswith("["):
        name = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:
        name = value.split(":", 1)[0]
    else:
        name = value
    name = name.rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def email_is_verified(claims: Mapping[str, Any]) -> bool:
    """The provider vouches for the address: email_verified is true, or the claim is absent
    (providers that send only addresses they verified). A false or unreadable claim is not."""
    if "email_verified" not in claims:
        return True
    value = claims["email_verified"]
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"


def sign_in_providers(section: Mapping[str, Any]) -> tuple[str | None, ...]:
    """The providers [auth] configures: None for the unnamed one, then the named ones."""
    found: list[str | None] = []
    if _PROVIDER_KEYS & set(section):
        found.append(None)
    for name, value in section.items():
        if isinstance(value, Mapping) and _PROVIDER_KEYS & set(value):
            found.append(str(name))
    return tuple(found)


def _signed_in(providers: tuple[str | None, ...]) -> Identity:
    claims = _claims()
    if claims.get("is_logged_in") is not True:
        return Identity(PUBLIC, Source.PUBLIC, True, providers)
    email = claims.get("email")
    address = email.strip().lower() if isinstance(email, str) and email.strip() else None
    verified = address is not None and email_is_verified(claims)
    caller = _caller_for_verified_email(address) if verified and address else PUBLIC
    return Identity(caller, Source.SIGN_IN, True, providers, address, verified)


@st.cache_data(ttl=ROLE_CACHE_SECONDS, max_entries=1024, show_spinner=False)
def _caller_for_verified_email(email: str) -> Caller:
    from ui.data import store  # here, not at the top: ui.data imports this module

    with Session(store()) as session:
        return caller_for_email(session=session, email=email, verified=True)


def _auth_section() -> Mapping[str, Any] | None:
    """The [auth] section of the secrets, or None. A present but incomplete section still
    counts: a deployment that meant to configure sign-in never falls back to local mode."""
    try:
        section = st.secrets.get("auth")
    except Exception:  # no secrets file, or one that does not parse
        return None
    if isinstance(section, Mapping) and len(section) > 0:
        return section
    return None


def _claims() -> dict[str, Any]:
    try:
        return dict(st.user.to_dict())
    except Exception:
        return {}


def _injected_caller() -> Caller | None:
    """The test seam: needs PACT_TEST_IDENTITY_SEAM=1 and an AppTest run, so a server can
    never be opened through it, whatever its environment says."""
    if os.environ.get(SEAM_ENV) != "1" or not config.get_option("global.appTest"):
        return None
    value = st.session_state.get(SEAM_KEY)
    return value if isinstance(value, Caller) else None


def _connection() -> tuple[str | None, dict[str, list[str]]]:
    """The TCP peer address of this session's connection and its request headers.

    st.context.ip_address reports loopback as None (the same as unknown), so the peer is
    read from the session's client; anything unexpected reads as unknown, i.e. not local.
    """
    try:
        from streamlit import runtime
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None or not runtime.exists():
            return None, {}
        client = runtime.get_instance().get_client(ctx.session_id)
        remote_ip = getattr(getattr(client, "client_context", None), "remote_ip", None)
        request_headers = st.context.headers
        headers = {str(name): list(request_headers.get_all(name)) for name in request_headers}
    except Exception:
        return None, {}
    return (remote_ip if isinstance(remote_ip, str) else None), headers


@cache
def _warn_local_mode_once() -> None:
    _log.warning(
        "Local mode: a request from this machine gets full rights because no sign-in is "
        "configured ([auth] in secrets.toml). Set %s=off on any shared deployment.",
        LOCAL_MODE_ENV,
    )
