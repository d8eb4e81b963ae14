"""Who is asking: the session's Caller, resolved once per run by dashboard.py.

In order: an identity injected by a test (only when tests switch the seam on); sign-in with
OpenID Connect (`st.login`, when secrets.toml has an `[auth]` section), the role coming from
the role_grant table by verified e-mail; without `[auth]`, the local try-out mode (full rights
for a direct request from this machine to a server that listens on loopback alone, announced by
a banner; docs/access.md states the rule); everyone else is the public.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import streamlit as st
from sqlmodel import Session
from streamlit import config

from data_access.access import PUBLIC, Caller, Role
from data_access.roles import caller_for_email
from settings import SettingError, SwitchError, get_settings
from store import open_store

SEAM_ENV = "PACT_TEST_IDENTITY_SEAM"
"""Set to 1 by tests only: then an AppTest run may inject its Caller (SEAM_KEY)."""
SEAM_KEY = "pact_test_identity"
LOCAL_MODE_ENV = "PACT_LOCAL_MODE"
"""on/1/true/yes (or unset) leaves the local try-out mode on, off/0/false/no switches it off;
any other value stops the app at start (check_local_mode_setting)."""
ROLE_CACHE_SECONDS = 30
"""A grant or revocation made in another process applies within this many seconds."""

LOCAL_CALLER = Caller(role=Role.ADMIN, email="local")
LOOPBACK_RUN_COMMAND = "streamlit run dashboard.py --server.address=localhost"
"""How to start the app so that local mode can grant rights (it listens on loopback alone)."""
_IDENTITY_KEY = "_pact_identity"
# Headers that proxies, load balancers, CDNs and tunnels add or read: a request carrying one
# came through (or pretends to come through) an intermediary, so the loopback peer is not the
# person asking. A rule, not a list of known names: the exact names, then name prefixes,
# then words anywhere in the name.
PROXY_HEADER_NAMES = frozenset(
    {"forwarded", "via", "client-ip", "true-client-ip", "cdn-loop", "x-host", "x-rewrite-url"}
)
PROXY_HEADER_PREFIXES = (
    "x-forwarded-",
    "x-real-",
    "x-original-",
    "x-envoy-",
    "x-proxyuser",
    "x-proxy-",
    "proxy-",
    "x-client-",
    "x-cluster-client-",
    "true-client-",
    "x-true-client-",
    "x-remote-",
    "x-originating-",
    "x-host-",
    "x-rewrite-",
    "cf-",
    "fastly-",
    "akamai-",
    "x-akamai-",
    "x-amzn-",
    "x-azure-",
    "x-arr-",
    "x-ms-",
    "x-appengine-",
    "x-cloud-",
    "x-vercel-",
    "x-nf-",
    "x-edge-",
    "x-cdn-",
    "x-lb-",
    "x-varnish",
)
PROXY_HEADER_WORDS = (
    "forwarded",
    "proxy",
    "client-ip",
    "real-ip",
    "remote-ip",
    "remote-addr",
    "original-",
    "originating",
    "envoy",
)
_HOST_NAME = re.compile(r"[a-z0-9.-]+|[0-9a-f:.]+")  # a name or address, as urlsplit reads it
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
    # A direct request from this machine that local mode would have made admin, but the
    # server listens on more than loopback: it stays public and is told how to get rights.
    local_mode_withheld: bool = False


@dataclass(frozen=True)
class Listener:
    """Where this server listens (Streamlit's server.* options): what a local request names."""

    address: str | None  # server.address; None or "": every network interface
    port: int
    tls: bool = False  # served over HTTPS (server.sslCertFile)

    @property
    def scheme(self) -> str:
        """The scheme of the pages this server serves."""
        return "https" if self.tls else "http"


LocalModeSettingError = SwitchError
"""PACT_LOCAL_MODE holds a value that means neither on nor off."""


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
    elif _local_mode_on() and request_is_local(*_connection(), server=this_server()):
        if listens_on_loopback_only(this_server().address):
            _warn_local_mode_once()
            identity = Identity(LOCAL_CALLER, Source.LOCAL)
        else:
            identity = Identity(PUBLIC, Source.PUBLIC, local_mode_withheld=True)
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
    """Whether PACT_LOCAL_MODE leaves local mode on: on/1/true/yes or unset is on,
    off/0/false/no is off (any case, spaces around ignored); LocalModeSettingError for an
    unknown value."""
    return get_settings().local_mode


def check_local_mode_setting() -> None:
    """At start (dashboard.py): stop the app, saying why, when PACT_LOCAL_MODE (or another
    setting, settings.py) holds an unknown value; log when local mode is on but can grant
    nothing on this server."""
    try:
        enabled = local_mode_enabled()
        get_settings().check()  # the other settings fail closed the same way
    except SettingError as error:
        raise SystemExit(f"Cannot start: {error}") from None
    if enabled and not listens_on_loopback_only(this_server().address):
        # Secrets are not read here: Streamlit loads them once the app is running.
        _log.warning(
            "Local mode grants no rights: this server does not listen on loopback alone. "
            "Without sign-in, to try the app with full rights on this machine run `%s`.",
            LOOPBACK_RUN_COMMAND,
        )


def this_server() -> Listener:
    """Where this process's Streamlit server listens (its port once bound)."""
    address = config.get_option("server.address")
    return Listener(
        address=address if isinstance(address, str) else None,
        port=int(config.get_option("server.port")),
        tls=bool(config.get_option("server.sslCertFile")),
    )


def listens_on_loopback_only(address: str | None) -> bool:
    """True when a server.address keeps the server on loopback alone: a loopback address
    (127.0.0.0/8, ::1) or `localhost` when every address it resolves to is loopback. Unset
    (every interface) or anything else is False."""
    if not address:
        return False
    name = address.strip().lower()
    literal = _ip_address(name)
    if literal is not None:
        return literal.is_loopback
    return name == "localhost" and _resolves_to_loopback_only(name)


def request_is_local(
    remote_ip: str | None, headers: Mapping[str, Sequence[str]], *, server: Listener
) -> bool:
    """True only for a direct request from this machine to this server: a loopback peer,
    no header a proxy adds (is_proxy_header), exactly one Host header naming a loopback host
    with this server's port, and at most one Origin header, equal to the page origin that
    Host names. Anything unknown or unparsable means not local."""
    if not _is_loopback_peer(remote_ip):
        return False
    names: dict[str, list[str]] = {}
    for name, values in headers.items():
        names.setdefault(name.strip().lower(), []).extend(values)
    if any(is_proxy_header(name) for name in names):
        return False
    hosts = names.get("host", [])
    if len(hosts) != 1:
        return False
    authority = parse_authority(hosts[0])
    if authority is None or not host_is_loopback(authority[0]):
        return False
    host, port = authority
    if _effective_port(port, server.scheme) != server.port:
        return False
    origins = names.get("origin")
    if origins is None:  # browsers always send one; a program on this machine may not
        return True
    return len(origins) == 1 and _origin_of(origins[0], server.scheme) == (host, server.port)


def is_proxy_header(name: str) -> bool:
    """True for a header that proxies, load balancers, CDNs or tunnels add: an exact name of
    PROXY_HEADER_NAMES, a name starting with one of PROXY_HEADER_PREFIXES, or one containing
    one of PROXY_HEADER_WORDS (any case)."""
    lowered = name.strip().lower()
    return (
        lowered in PROXY_HEADER_NAMES
        or lowered.startswith(PROXY_HEADER_PREFIXES)
        or any(word in lowered for word in PROXY_HEADER_WORDS)
    )


def parse_authority(value: str) -> tuple[str, int | None] | None:
    """The host (lower case, IPv6 without brackets) and port of a Host header value, or None
    unless the value is exactly `host` or `host:port`: no user info, path, stray characters,
    empty or out-of-range port."""
    try:
        parts = urlsplit(f"//{value}")
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if host is None or parts.username is not None or parts.password is not None:
        return None
    if parts.path or parts.query or parts.fragment or not _HOST_NAME.fullmatch(host):
        return None
    # What the parser read must be the whole value, written the one usual way.
    if _authority_text(host, port) != value.lower():
        return None
    return host, port


def host_is_loopback(host: str) -> bool:
    """True for a host (as parse_authority returns it) naming this machine: `localhost`, an
    address in 127.0.0.0/8, or ::1."""
    if host == "localhost":
        return True
    address = _ip_address(host)
    return address is not None and address.is_loopback


def _local_mode_on() -> bool:
    """Local mode is on; an unknown PACT_LOCAL_MODE counts as off (fail closed: a served app
    has already refused to start with it, in check_local_mode_setting)."""
    try:
        return local_mode_enabled()
    except LocalModeSettingError:
        return False


def _is_loopback_peer(remote_ip: str | None) -> bool:
    if not isinstance(remote_ip, str) or not remote_ip:
        return False
    address = _ip_address(remote_ip.split("%", 1)[0])
    if address is None:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def _ip_address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@cache
def _resolves_to_loopback_only(name: str) -> bool:
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    addresses = [_ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    return bool(addresses) and all(a is not None and a.is_loopback for a in addresses)


def _authority_text(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return shown if port is None else f"{shown}:{port}"


def _effective_port(port: int | None, scheme: str) -> int:
    if port is not None:
        return port
    return 443 if scheme == "https" else 80


def _origin_of(value: str, scheme: str) -> tuple[str, int] | None:
    """The host and port of an Origin header value served with this scheme, or None unless
    it is exactly `scheme://host[:port]` (`null`, paths and user info are None)."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname
    if parts.scheme != scheme or host is None or parts.username is not None:
        return None
    if parts.password is not None or parts.path or parts.query or parts.fragment:
        return None
    if f"{scheme}://{_authority_text(host, port)}" != value.lower():
        return None
    return host, _effective_port(port, scheme)


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
    with Session(open_store()) as session:
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
    if not get_settings().test_identity_seam or not config.get_option("global.appTest"):
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
