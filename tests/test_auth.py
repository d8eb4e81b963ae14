"""Who is asking, through the pages: sign-in, local mode, the test seam, the account box and
the admin page (tiers 1 and 3).

Page tests run dashboard.py with AppTest on a store of their own (grants are written here).
A signed-in user is simulated with AppTest's `secrets` (an [auth] section) and `user`
(the identity claims Streamlit would read from its cookie); local requests by replacing the
connection ui.auth reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit as st
from sqlalchemy import delete
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from streamlit import config
from streamlit.testing.v1 import AppTest

from data_access import make_engine
from data_access.access import PUBLIC, Caller, Role
from data_access.models import Membership, Organisation, Partnership, RoleGrant
from tests.markdown_text import as_read
from tests.test_roles import isolated_store
from ui import auth

REPO = Path(__file__).resolve().parent.parent
OWN, OTHER = "automotive", "tourism"
ADMIN = Caller(role=Role.ADMIN, email="admin@example.org")
OFFICER = Caller(role=Role.OFFICER, email="officer@example.org")
COORDINATOR = Caller(
    role=Role.COORDINATOR, email="coordinator@example.org", partnerships=frozenset({OWN})
)
AUTH_SECRETS = {
    "auth": {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "a-test-cookie-secret-of-some-length",
        "client_id": "dashboard",
        "client_secret": "secret",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
    }
}
RESTRICTED = "Member-level detail is available to the partnership's coordinators"


# Pure parts ---------------------------------------------------------------------------------


SERVER = auth.Listener(address="127.0.0.1", port=8501)
HOST = {"Host": ["localhost:8501"]}


@pytest.mark.parametrize(
    ("remote_ip", "headers", "local"),
    [
        ("127.0.0.1", {"Host": ["localhost:8501"]}, True),
        ("127.0.0.1", {"host": ["127.0.0.1:8501"]}, True),
        ("127.0.0.1", {"Host": ["LOCALHOST:8501"]}, True),
        ("::1", {"Host": ["[::1]:8501"]}, True),
        ("::ffff:127.0.0.1", {"Host": ["localhost:8501"]}, True),
        ("127.0.0.2", {"Host": ["127.0.0.2:8501"]}, True),
        # not from this machine
        ("10.0.0.7", {"Host": ["localhost:8501"]}, False),
        ("192.168.1.20", {"Host": ["192.168.1.5:8501"]}, False),
        ("2001:db8::1", {"Host": ["[::1]:8501"]}, False),
        # unknown peer
        (None, {"Host": ["localhost:8501"]}, False),
        ("", {"Host": ["localhost:8501"]}, False),
        ("not-an-ip", {"Host": ["localhost:8501"]}, False),
        # through a proxy on this machine: it says so in a header
        ("127.0.0.1", {**HOST, "X-Forwarded-For": ["203.0.113.9"]}, False),
        ("127.0.0.1", {**HOST, "Forwarded": ["for=203.0.113.9"]}, False),
        ("127.0.0.1", {**HOST, "X-Real-IP": ["203.0.113.9"]}, False),
        ("127.0.0.1", {**HOST, "Via": ["1.1 proxy"]}, False),
        ("127.0.0.1", {**HOST, "X-Forwarded-Prefix": ["/pact"]}, False),
        ("127.0.0.1", {**HOST, "X-Envoy-External-Address": ["203.0.113.9"]}, False),
        ("127.0.0.1", {**HOST, "Client-IP": ["203.0.113.9"]}, False),
        ("127.0.0.1", {**HOST, "X-ProxyUser-Ip": ["203.0.113.9"]}, False),
        ("127.0.0.1", {**HOST, "X-Original-URL": ["/admin"]}, False),
        # ... or by the public name it was reached at (also stops DNS rebinding)
        ("127.0.0.1", {"Host": ["pact.example.eu"]}, False),
        ("127.0.0.1", {"Host": ["localhost.example.eu"]}, False),
        ("127.0.0.1", {}, False),
        ("127.0.0.1", {"Host": ["localhost", "pact.example.eu"]}, False),
        # a Host that is not exactly a loopback name with this server's port
        ("127.0.0.1", {"Host": ["localhost:8501@evil.example"]}, False),
        ("127.0.0.1", {"Host": ["localhost:8501@127.0.0.1:8501"]}, False),
        ("127.0.0.1", {"Host": ["localhost"]}, False),
        ("127.0.0.1", {"Host": ["localhost:8502"]}, False),
        ("127.0.0.1", {"Host": ["localhost:"]}, False),
        ("127.0.0.1", {"Host": ["localhost:08501"]}, False),
        ("127.0.0.1", {"Host": ["localhost:8501/admin"]}, False),
        ("127.0.0.1", {"Host": ["localhost.:8501"]}, False),
        ("127.0.0.1", {"Host": ["app.localhost:8501"]}, False),
        ("127.0.0.1", {"Host": ["[::1]"]}, False),
        # the page's origin: only this server's own
        ("127.0.0.1", {**HOST, "Origin": ["http://localhost:8501"]}, True),
        ("127.0.0.1", {**HOST, "Origin": ["http://localhost:1"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["http://localhost"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["http://127.0.0.1:8501"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["http://192.168.1.5:8501"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["http://192.168.1.5:9000"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["https://localhost:8501"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["http://evil.example"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["null"]}, False),
        ("127.0.0.1", {**HOST, "Origin": ["http://localhost:8501", "http://localhost:1"]}, False),
    ],
)
def test_request_is_local(
    remote_ip: str | None, headers: dict[str, list[str]], local: bool
) -> None:
    assert auth.request_is_local(remote_ip, headers, server=SERVER) is local


def test_a_server_on_port_80_or_over_https_takes_the_host_without_a_port() -> None:
    plain = auth.Listener(address="127.0.0.1", port=80)
    assert auth.request_is_local("127.0.0.1", {"Host": ["localhost"]}, server=plain)
    assert auth.request_is_local(
        "127.0.0.1", {"Host": ["localhost"], "Origin": ["http://localhost"]}, server=plain
    )
    secure = auth.Listener(address="127.0.0.1", port=443, tls=True)
    assert auth.request_is_local(
        "127.0.0.1", {"Host": ["localhost"], "Origin": ["https://localhost"]}, server=secure
    )
    assert not auth.request_is_local(
        "127.0.0.1", {"Host": ["localhost"], "Origin": ["http://localhost"]}, server=secure
    )
    assert not auth.request_is_local("127.0.0.1", {"Host": ["localhost"]}, server=SERVER)


@pytest.mark.parametrize(
    "name",
    [
        "Forwarded",
        "Via",
        "X-Forwarded-For",
        "x-forwarded-host",
        "X-Forwarded-Prefix",
        "X-Forwarded-Anything",
        "X-Original-Forwarded-For",
        "X-Real-IP",
        "X-Envoy-External-Address",
        "X-Envoy-Original-Path",
        "Client-IP",
        "True-Client-IP",
        "CF-Connecting-IP",
        "Fastly-Client-IP",
        "X-Client-IP",
        "X-Cluster-Client-IP",
        "X-ProxyUser-Ip",
        "Proxy-Authorization",
        "X-Original-URL",
        "X-Rewrite-URL",
        "X-Host",
        "X-Remote-Addr",
        "X-Originating-IP",
        "X-MS-Forwarded-Client-IP",
        "X-Amzn-Trace-Id",
        "CDN-Loop",
    ],
)
def test_proxy_headers_are_recognised_by_rule(name: str) -> None:
    assert auth.is_proxy_header(name)
    assert not auth.request_is_local("127.0.0.1", {**HOST, name: ["x"]}, server=SERVER)


# What Chromium sends when a page of this server opens its websocket.
BROWSER_HANDSHAKE = {
    "Host": ["localhost:8501"],
    "Connection": ["Upgrade"],
    "Pragma": ["no-cache"],
    "Cache-Control": ["no-cache"],
    "User-Agent": ["Mozilla/5.0"],
    "Upgrade": ["websocket"],
    "Origin": ["http://localhost:8501"],
    "Sec-WebSocket-Version": ["13"],
    "Accept-Encoding": ["gzip, deflate, br, zstd"],
    "Accept-Language": ["en-GB,en;q=0.9"],
    "Cookie": ["_streamlit_xsrf=x"],
    "Sec-WebSocket-Key": ["dGhlIHNhbXBsZSBub25jZQ=="],
    "Sec-WebSocket-Extensions": ["permessage-deflate; client_max_window_bits"],
    "Sec-WebSocket-Protocol": ["streamlit, x"],
}


def test_a_browser_handshake_of_this_server_is_local() -> None:
    assert not any(auth.is_proxy_header(name) for name in BROWSER_HANDSHAKE)
    assert auth.request_is_local("127.0.0.1", BROWSER_HANDSHAKE, server=SERVER)


@pytest.mark.parametrize(
    ("address", "loopback_only"),
    [
        ("127.0.0.1", True),
        ("127.0.0.5", True),
        ("::1", True),
        ("localhost", True),
        (" LOCALHOST ", True),
        (None, False),
        ("", False),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("pact.example.eu", False),
        ("app.localhost", False),
    ],
)
def test_listens_on_loopback_only(address: str | None, loopback_only: bool) -> None:
    assert auth.listens_on_loopback_only(address) is loopback_only


@pytest.mark.parametrize(
    ("claims", "verified"),
    [
        ({"email": "a@example.org"}, True),
        ({"email": "a@example.org", "email_verified": True}, True),
        ({"email": "a@example.org", "email_verified": "true"}, True),
        ({"email": "a@example.org", "email_verified": False}, False),
        ({"email": "a@example.org", "email_verified": "false"}, False),
        ({"email": "a@example.org", "email_verified": None}, False),
        ({"email": "a@example.org", "email_verified": 1}, False),
    ],
)
def test_email_is_verified(claims: dict[str, Any], verified: bool) -> None:
    assert auth.email_is_verified(claims) is verified


def test_sign_in_providers() -> None:
    assert auth.sign_in_providers(AUTH_SECRETS["auth"]) == (None,)
    named = {
        "redirect_uri": "x",
        "cookie_secret": "y",
        "eulogin": {"client_id": "a", "server_metadata_url": "u"},
        "entra": {"client_id": "b", "server_metadata_url": "v"},
        "client_kwargs": {"prompt": "login"},
    }
    assert auth.sign_in_providers(named) == ("eulogin", "entra")


@pytest.mark.parametrize(
    ("value", "enabled"),
    [
        (None, True),
        ("on", True),
        ("1", True),
        (" Yes ", True),
        ("TRUE", True),
        ("off", False),
        ("OFF", False),
        ("0", False),
        (" no\n", False),
        ("False", False),
    ],
)
def test_local_mode_switch(
    monkeypatch: pytest.MonkeyPatch, value: str | None, enabled: bool
) -> None:
    if value is None:
        monkeypatch.delenv(auth.LOCAL_MODE_ENV, raising=False)
    else:
        monkeypatch.setenv(auth.LOCAL_MODE_ENV, value)
    assert auth.local_mode_enabled() is enabled
    auth.check_local_mode_setting()  # a known value starts the app


@pytest.mark.parametrize("value", ["disabled", "", " ", "auto", "of", "enable", "2", "none"])
def test_an_unknown_local_mode_value_is_refused(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(auth.LOCAL_MODE_ENV, value)
    with pytest.raises(auth.LocalModeSettingError, match="PACT_LOCAL_MODE"):
        auth.local_mode_enabled()
    with pytest.raises(SystemExit) as stopped:
        auth.check_local_mode_setting()
    message = str(stopped.value.code)
    assert message.startswith(f"Cannot start: PACT_LOCAL_MODE={value!r} is not understood")
    assert "on (or 1, true, yes) or off (or 0, false, no)" in message


# Pages --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def auth_store_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo store of this module's own."""
    with isolated_store(tmp_path_factory.mktemp("auth")) as url:
        yield url


@pytest.fixture()
def auth_engine(auth_store_url: str) -> Iterator[Engine]:
    """The module's store with one admin grant and one coordinator grant (of OWN)."""
    engine = make_engine(auth_store_url)
    with Session(engine) as session:
        session.execute(delete(RoleGrant))
        own = session.exec(select(Partnership.id).where(Partnership.slug == OWN)).one()
        session.add(RoleGrant(email="admin@example.org", role="admin"))
        session.add(
            RoleGrant(email="coordinator@example.org", role="coordinator", partnership_id=own)
        )
        session.commit()
    yield engine
    engine.dispose()


def grants(engine: Engine) -> set[tuple[str, str]]:
    with Session(engine) as session:
        return {(g.email, g.role) for g in session.exec(select(RoleGrant)).all()}


@pytest.fixture()
def open_page(
    auth_store_url: str, auth_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., AppTest]:
    """Run dashboard.py on a page as the given identity and return the AppTest.

    caller: injected through the test seam; user/secrets: a simulated sign-in; neither: an
    anonymous request (from an unknown address, so not local).
    """
    monkeypatch.setenv("DATABASE_URL", auth_store_url)
    monkeypatch.setenv(auth.SEAM_ENV, "1")
    monkeypatch.delenv(auth.LOCAL_MODE_ENV, raising=False)
    monkeypatch.chdir(REPO)

    def run(
        page: str = "pages/overview.py",
        *,
        caller: Caller | None = None,
        user: dict[str, Any] | None = None,
        secrets: dict[str, Any] | None = None,
        **params: str,
    ) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        if caller is not None:
            at.session_state[auth.SEAM_KEY] = caller
        # Without secrets of its own AppTest would read the developer's .streamlit/secrets.toml.
        at.secrets = secrets if secrets is not None else {"not_auth": "1"}
        if user is not None:
            at.user = user
        for name, value in params.items():
            at.query_params[name] = value
        at.switch_page(page)
        return at.run()

    return run


def sidebar_text(at: AppTest) -> str:
    """The sidebar's markdown and captions."""
    kinds = ("markdown", "caption")
    return "\n".join(str(getattr(e, "value", "")) for k in kinds for e in at.sidebar.get(k))


def page_text(at: AppTest) -> str:
    """The main area's text, notices and tables."""
    kinds = ("markdown", "caption", "info", "error", "warning", "success")
    parts = [str(getattr(e, "value", "")) for k in kinds for e in at.main.get(k)]
    parts += [frame.value.to_csv(index=False) for frame in at.dataframe]
    return "\n".join(parts)


def member_names(engine: Engine, slug: str) -> set[str]:
    with Session(engine) as session:
        return set(
            session.exec(
                select(Organisation.name)
                .join(Membership, Membership.organisation_id == Organisation.id)  # type: ignore[arg-type]
                .join(Partnership, Partnership.id == Membership.partnership_id)  # type: ignore[arg-type]
                .where(Partnership.slug == slug)
            ).all()
        )


@pytest.mark.parametrize(
    ("caller", "shown"),
    [
        (ADMIN, "Admin: all data, and who holds which role"),
        (OFFICER, "Commission officer: all data; loads report files"),
        (COORDINATOR, "Coordinator of Automotive: member-level detail there"),
        (PUBLIC, "Public view: aggregate figures only"),
    ],
    ids=["admin", "officer", "coordinator", "public"],
)
def test_account_box_says_who_and_what(
    open_page: Callable[..., AppTest], caller: Caller, shown: str
) -> None:
    at = open_page(caller=caller)
    assert not at.exception, at.exception
    text = sidebar_text(at)
    assert shown in text
    if caller.email:
        assert f"Signed in as **{caller.email}**" in text
    assert "Local mode" not in page_text(at)


def test_admin_page_lists_and_manages_grants(
    open_page: Callable[..., AppTest], auth_engine: Engine
) -> None:
    at = open_page("pages/admin.py", caller=ADMIN)
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert set(zip(table["email"], table["role"], strict=True)) == grants(auth_engine)
    assert "Automotive" in set(table["partnership"])

    # grant an officer
    at.text_input(key="admin_email").input("New.Officer@Example.org")
    at.selectbox(key="admin_role").select("officer")
    at.button(key="admin_grant").click().run()
    assert not at.exception, at.exception
    assert [as_read(s.value) for s in at.success] == ["Granted new.officer@example.org: officer."]
    assert ("new.officer@example.org", "officer") in grants(auth_engine)
    assert "new.officer@example.org" in set(at.dataframe[0].value["email"])
    assert at.text_input(key="admin_email").value == ""

    # a coordinator without a partnership is refused, and nothing is written
    before = grants(auth_engine)
    at.text_input(key="admin_email").input("c2@example.org")
    at.selectbox(key="admin_role").select("coordinator")
    at.button(key="admin_grant").click().run()
    assert any("needs the partnership" in e.value for e in at.error)
    assert grants(auth_engine) == before

    # ... and granted once it names one
    at.selectbox(key="admin_partnership").select(OTHER)
    at.button(key="admin_grant").click().run()
    assert ("c2@example.org", "coordinator") in grants(auth_engine)

    # remove the officer again
    with Session(auth_engine) as session:
        officer_id = session.exec(
            select(RoleGrant.id).where(RoleGrant.email == "new.officer@example.org")
        ).one()
    at.selectbox(key="admin_revoke_choice").select(officer_id)
    at.button(key="admin_revoke").click().run()
    assert not at.exception, at.exception
    assert ("new.officer@example.org", "officer") not in grants(auth_engine)

    # the last admin grant stays
    with Session(auth_engine) as session:
        admin_id = session.exec(select(RoleGrant.id).where(RoleGrant.role == "admin")).one()
    at.selectbox(key="admin_revoke_choice").select(admin_id)
    at.button(key="admin_revoke").click().run()
    assert any("last admin grant" in e.value for e in at.error)
    assert ("admin@example.org", "admin") in grants(auth_engine)


@pytest.mark.parametrize(
    "caller", [OFFICER, COORDINATOR, PUBLIC], ids=["officer", "coordinator", "public"]
)
def test_admin_page_refuses_everyone_else(
    open_page: Callable[..., AppTest], caller: Caller
) -> None:
    at = open_page("pages/admin.py", caller=caller)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == ["Only admins can see and change who holds which role."]
    assert len(at.dataframe) == 0
    assert "admin@example.org" not in page_text(at)
    assert not [b for b in at.button if b.key in ("admin_grant", "admin_revoke")]


def test_the_seam_needs_its_switch(
    open_page: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(auth.SEAM_ENV)
    at = open_page("pages/admin.py", caller=ADMIN)
    assert [e.value for e in at.error] == ["Only admins can see and change who holds which role."]
    assert "Public view: aggregate figures only" in sidebar_text(at)


def signed_in(email: str, **claims: Any) -> dict[str, Any]:
    return {"is_logged_in": True, "email": email, "name": "Someone", **claims}


def test_signed_in_coordinator_sees_own_members_only(
    open_page: Callable[..., AppTest], auth_engine: Engine
) -> None:
    user = signed_in("Coordinator@Example.org", email_verified=True)
    own = open_page("pages/profile.py", user=user, secrets=AUTH_SECRETS, p=OWN)
    assert not own.exception, own.exception
    assert "Coordinator of Automotive" in sidebar_text(own)
    assert [b.label for b in own.sidebar.button] == ["Sign out"]
    assert any(e.label.startswith("All members") for e in own.expander)
    assert any(name in page_text(own) for name in member_names(auth_engine, OWN))

    other = open_page("pages/profile.py", user=user, secrets=AUTH_SECRETS, p=OTHER)
    assert not other.exception, other.exception
    text = page_text(other)
    assert RESTRICTED in text
    assert not any(e.label.startswith("All members") for e in other.expander)
    only_other = member_names(auth_engine, OTHER) - member_names(auth_engine, OWN)
    assert not [name for name in only_other if name in text]


@pytest.mark.parametrize(
    ("user", "says"),
    [
        (signed_in("coordinator@example.org", email_verified=False), "has not confirmed"),
        (signed_in("stranger@example.org"), "holds no role"),
    ],
    ids=["unverified", "no-role"],
)
def test_signed_in_without_a_usable_role_is_public(
    open_page: Callable[..., AppTest], user: dict[str, Any], says: str
) -> None:
    at = open_page("pages/profile.py", user=user, secrets=AUTH_SECRETS, p=OWN)
    assert not at.exception, at.exception
    assert says in sidebar_text(at)
    assert RESTRICTED in page_text(at)
    assert not any(e.label.startswith("All members") for e in at.expander)


def test_not_signed_in_is_offered_sign_in(open_page: Callable[..., AppTest]) -> None:
    at = open_page(user={"is_logged_in": False}, secrets=AUTH_SECRETS)
    assert not at.exception, at.exception
    assert [b.label for b in at.sidebar.button] == ["Sign in"]
    assert "Public view: aggregate figures only" in sidebar_text(at)


def test_sign_out_returns_to_the_public_view(open_page: Callable[..., AppTest]) -> None:
    at = open_page(user=signed_in("admin@example.org"), secrets=AUTH_SECRETS)
    assert "Admin: all data" in sidebar_text(at)
    at.sidebar.button(key="account_sign_out").click().run()
    assert at.user.get("is_logged_in") is False
    at.run()
    assert not at.exception, at.exception
    assert "Public view: aggregate figures only" in sidebar_text(at)
    assert [b.label for b in at.sidebar.button] == ["Sign in"]


def test_role_changes_apply_after_forget_roles(
    open_page: Callable[..., AppTest], auth_engine: Engine
) -> None:
    user = signed_in("coordinator@example.org", email_verified=True)
    at = open_page(user=user, secrets=AUTH_SECRETS)
    assert "Coordinator of Automotive" in sidebar_text(at)
    with Session(auth_engine) as session:
        session.add(RoleGrant(email="coordinator@example.org", role="officer"))
        session.commit()
    auth.forget_roles()
    at.run()
    assert "Commission officer" in sidebar_text(at)


# Local mode ---------------------------------------------------------------------------------


@pytest.fixture()
def listening_on() -> Iterator[Callable[[str | None], None]]:
    """Set where the server listens (Streamlit's server.address) for one test."""
    before = config.get_option("server.address")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


def from_connection(
    monkeypatch: pytest.MonkeyPatch, remote_ip: str, headers: dict[str, list[str]]
) -> None:
    """Make ui.auth read this peer address and these headers for the session."""
    monkeypatch.setattr(auth, "_connection", lambda: (remote_ip, headers))


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1"])
def test_local_request_gets_full_rights_and_a_banner(
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    listening_on: Callable[[str | None], None],
    address: str,
) -> None:
    listening_on(address)
    from_connection(monkeypatch, "127.0.0.1", {"Host": ["localhost:8501"]})
    at = open_page("pages/profile.py", p=OTHER)
    assert not at.exception, at.exception
    assert any("Local mode: you have full rights" in w.value for w in at.warning)
    assert "Local mode: full rights on this machine." in sidebar_text(at)
    assert any(e.label.startswith("All members") for e in at.expander)
    admin = open_page("pages/admin.py")
    assert not admin.exception, admin.exception
    assert len(admin.dataframe[0].value) == 2


LOCAL = {"Host": ["localhost:8501"]}


@pytest.mark.parametrize(
    ("remote_ip", "headers", "env", "secrets"),
    [
        ("127.0.0.1", LOCAL, "off", None),
        ("127.0.0.1", {**LOCAL, "X-Forwarded-For": ["203.0.113.9"]}, None, None),
        ("127.0.0.1", {"Host": ["pact.example.eu"]}, None, None),
        ("203.0.113.9", LOCAL, None, None),
        ("127.0.0.1", LOCAL, None, AUTH_SECRETS),
        ("127.0.0.1", {"Host": ["localhost:8501@evil.example"]}, None, None),
        ("127.0.0.1", {"Host": ["localhost:9999"]}, None, None),
        ("127.0.0.1", {**LOCAL, "X-Forwarded-Prefix": ["/pact"]}, None, None),
        ("127.0.0.1", {**LOCAL, "X-Envoy-External-Address": ["203.0.113.9"]}, None, None),
        ("127.0.0.1", {**LOCAL, "Client-IP": ["203.0.113.9"]}, None, None),
        ("127.0.0.1", {**LOCAL, "X-ProxyUser-Ip": ["203.0.113.9"]}, None, None),
        ("127.0.0.1", {**LOCAL, "X-Original-URL": ["/admin"]}, None, None),
        ("127.0.0.1", {**LOCAL, "Origin": ["http://localhost:1"]}, None, None),
        ("127.0.0.1", {**LOCAL, "Origin": ["http://192.168.1.5:8501"]}, None, None),
        ("127.0.0.1", LOCAL, "disabled", None),
        ("127.0.0.1", LOCAL, "", None),
    ],
    ids=[
        "switched-off",
        "proxied",
        "public-name",
        "remote",
        "sign-in-configured",
        "host-with-user-info",
        "host-with-another-port",
        "x-forwarded-prefix",
        "x-envoy-external-address",
        "client-ip",
        "x-proxyuser-ip",
        "x-original-url",
        "origin-another-port",
        "origin-machine-address",
        "unknown-setting",
        "empty-setting",
    ],
)
def test_everyone_else_gets_the_public_view(
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    listening_on: Callable[[str | None], None],
    remote_ip: str,
    headers: dict[str, list[str]],
    env: str | None,
    secrets: dict[str, Any] | None,
) -> None:
    listening_on("127.0.0.1")
    from_connection(monkeypatch, remote_ip, headers)
    if env is not None:
        monkeypatch.setenv(auth.LOCAL_MODE_ENV, env)
    at = open_page("pages/profile.py", secrets=secrets, p=OTHER)
    assert not at.exception, at.exception
    assert not any("Local mode" in w.value for w in at.warning)
    assert not any("Local mode" in i.value for i in at.info)  # nor how to get local rights
    assert "Public view: aggregate figures only" in sidebar_text(at)
    assert RESTRICTED in page_text(at)
    admin = open_page("pages/admin.py", secrets=secrets)
    assert [e.value for e in admin.error] == [
        "Only admins can see and change who holds which role."
    ]


@pytest.mark.parametrize("address", [None, "0.0.0.0", "::", "192.168.1.5"])
def test_a_server_listening_beyond_loopback_gives_local_requests_no_rights(
    open_page: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
    listening_on: Callable[[str | None], None],
    address: str | None,
) -> None:
    listening_on(address)
    from_connection(monkeypatch, "127.0.0.1", {"Host": ["localhost:8501"]})
    at = open_page("pages/profile.py", p=OTHER)
    assert not at.exception, at.exception
    assert not any("Local mode: you have full rights" in w.value for w in at.warning)
    notices = [i.value for i in at.info]
    assert any(
        "Local mode gives no rights here" in n and auth.LOOPBACK_RUN_COMMAND in n for n in notices
    ), notices
    assert "Public view: aggregate figures only" in sidebar_text(at)
    assert RESTRICTED in page_text(at)
    admin = open_page("pages/admin.py")
    assert [e.value for e in admin.error] == [
        "Only admins can see and change who holds which role."
    ]


def test_an_anonymous_apptest_request_is_not_local(open_page: Callable[..., AppTest]) -> None:
    at = open_page("pages/profile.py", p=OWN)
    assert "Public view: aggregate figures only" in sidebar_text(at)
    assert RESTRICTED in page_text(at)


# Documentation ------------------------------------------------------------------------------


def test_the_documented_rule_names_every_proxy_header_shape_and_the_run_command() -> None:
    """docs/access.md states the rule the code enforces; the README starts the app so that
    local mode can grant rights."""
    access = (REPO / "docs" / "access.md").read_text().lower()
    shapes = [*auth.PROXY_HEADER_NAMES, *auth.PROXY_HEADER_PREFIXES, *auth.PROXY_HEADER_WORDS]
    missing = [shape for shape in shapes if f"`{shape}`" not in access]
    assert not missing, missing
    assert auth.LOOPBACK_RUN_COMMAND in (REPO / "docs" / "access.md").read_text()
    readme = (REPO / "README.md").read_text()
    assert ".venv/bin/streamlit run dashboard.py --server.address=localhost" in readme
    assert auth.listens_on_loopback_only(auth.LOOPBACK_RUN_COMMAND.split("=")[-1])
