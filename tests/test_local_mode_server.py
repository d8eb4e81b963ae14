"""Local mode against a real `streamlit run dashboard.py` on loopback, asked with raw requests.

Each session is a websocket handshake written by hand (websockets' sans-I/O client on a plain
socket), so the Host, Origin and proxy headers are exactly what the test says; the role is
read from what the first script run sends back: the local-mode banner (admin) or the account
box's public line. The server listens on 127.0.0.1 only (as the README's run command, with
`--server.address=localhost`, starts it), with no sign-in configured and PACT_LOCAL_MODE unset.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.client import ClientProtocol
from websockets.frames import Frame, Opcode
from websockets.http11 import Response
from websockets.typing import Subprotocol
from websockets.uri import parse_uri

from ui.account import LOCAL_BANNER, PUBLIC_LINE
from ui.auth import LOCAL_MODE_ENV, SEAM_ENV

REPO = Path(__file__).resolve().parent.parent
ADMIN_MARK = LOCAL_BANNER.split("**")[1].encode()  # "Local mode: you have full rights"
PUBLIC_MARK = PUBLIC_LINE.encode()
START_SECONDS = 90


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server(port: int, work: Path, local_mode: str | None) -> subprocess.Popen[bytes]:
    """`streamlit run dashboard.py` on 127.0.0.1:port, an empty store of its own, no secrets."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'pact.sqlite3'}",
        "PACT_SEED_DEMO": "0",
    }
    env.pop(SEAM_ENV, None)
    env.pop(LOCAL_MODE_ENV, None)
    if local_mode is not None:
        env[LOCAL_MODE_ENV] = local_mode
    command = [sys.executable, "-m", "streamlit", "run", "dashboard.py", "--server.headless=true",
               f"--server.port={port}", "--server.address=127.0.0.1",
               f"--secrets.files={work / 'no-secrets.toml'}"]  # fmt: skip
    log = (work / "streamlit.log").open("wb")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


@contextmanager
def _serving(work: Path) -> Iterator[int]:
    port = _free_port()
    server = _server(port, work, local_mode=None)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not _answers(f"http://127.0.0.1:{port}/_stcore/health"):
            if time.monotonic() > deadline or server.poll() is not None:
                log = (work / "streamlit.log").read_text(errors="replace")
                raise RuntimeError(f"streamlit did not start:\n{log[-3000:]}")
            time.sleep(0.5)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=20)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """The port of a dashboard listening on 127.0.0.1 alone, local mode left at its default."""
    with _serving(tmp_path_factory.mktemp("local_mode_server")) as served:
        yield served


def role(port: int, host: str | None = None, headers: Sequence[tuple[str, str]] = ()) -> str:
    """Open a session as a browser would (Host 127.0.0.1:port unless given, plus headers),
    run the app once and say what it made of the request: admin, public or refused."""
    protocol = ClientProtocol(
        parse_uri(f"ws://127.0.0.1:{port}/_stcore/stream"), subprotocols=[Subprotocol("streamlit")]
    )
    request = protocol.connect()
    if host is not None:
        del request.headers["Host"]
        request.headers["Host"] = host
    for name, value in headers:
        request.headers[name] = value
    protocol.send_request(request)
    rerun = BackMsg()
    rerun.rerun_script.query_string = ""
    rerun.rerun_script.page_script_hash = ""
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(b"".join(protocol.data_to_send()))
        while chunk := sock.recv(65536):
            protocol.receive_data(chunk)
            for event in protocol.events_received():
                if isinstance(event, Response):
                    if protocol.handshake_exc is not None:
                        return "refused"
                    protocol.send_binary(rerun.SerializeToString())
                elif isinstance(event, Frame) and event.opcode is Opcode.BINARY:
                    received += event.data
                    message = ForwardMsg()
                    message.ParseFromString(event.data)
                    if message.WhichOneof("type") == "script_finished" and (
                        message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
                    ):
                        return _role_in(received)
                elif isinstance(event, Frame) and event.opcode is Opcode.CLOSE:
                    return "refused"
            sock.sendall(b"".join(protocol.data_to_send()))
    return "refused"


def _role_in(received: bytes) -> str:
    admin, public = ADMIN_MARK in received, PUBLIC_MARK in received
    assert admin != public, "the run showed neither or both of the banner and the public line"
    return "admin" if admin else "public"


# Each case: the crafted part of a handshake that is otherwise exactly a local one.
# Origins name only localhost and 127.0.0.1, which Streamlit's own origin check accepts
# without looking anything up.
CRAFTED = {
    "host-with-user-info": ("localhost:{port}@evil.example", ()),
    "host-with-another-port": ("localhost:1", ()),
    "x-forwarded-prefix": (None, (("X-Forwarded-Prefix", "/pact"),)),
    "x-envoy-external-address": (None, (("X-Envoy-External-Address", "203.0.113.9"),)),
    "client-ip": (None, (("Client-IP", "203.0.113.9"),)),
    "x-proxyuser-ip": (None, (("X-ProxyUser-Ip", "203.0.113.9"),)),
    "x-original-url": (None, (("X-Original-URL", "/admin"),)),
    "origin-localhost-another-port": (None, (("Origin", "http://localhost:1"),)),
    "origin-machine-address-another-port": (None, (("Origin", "http://127.0.0.1:1"),)),
    "origin-another-name-same-port": (None, (("Origin", "http://localhost:{port}"),)),
}


@pytest.mark.parametrize("case", list(CRAFTED))
def test_a_crafted_handshake_from_this_machine_gets_the_public_role(port: int, case: str) -> None:
    host, headers = CRAFTED[case]
    same_origin = (("Origin", f"http://127.0.0.1:{port}"),)
    assert role(port) == "admin"  # the same handshake, uncrafted, is local
    assert role(port, headers=same_origin) == "admin"
    crafted_host = host.format(port=port) if host is not None else None
    crafted = tuple((name, value.format(port=port)) for name, value in headers)
    assert role(port, host=crafted_host, headers=crafted) == "public"


def test_an_unknown_local_mode_value_stops_the_app(tmp_path: Path) -> None:
    port = _free_port()
    server = _server(port, tmp_path, local_mode="disabled")
    try:
        code = server.wait(timeout=START_SECONDS)
    except subprocess.TimeoutExpired:
        code = None
        server.terminate()
        server.wait(timeout=20)
    log = (tmp_path / "streamlit.log").read_text(errors="replace")
    assert code not in (None, 0), f"the app ran with {LOCAL_MODE_ENV}=disabled:\n{log[-2000:]}"
    assert f"Cannot start: {LOCAL_MODE_ENV}='disabled' is not understood" in log
