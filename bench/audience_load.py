"""Benchmark: N phones open the presenter's shared link at once, while the presenter keeps
changing slides.

Starts the dashboard (`streamlit run dashboard.py`) on loopback with a fresh SQLite store
seeded with the demo data, and a temporary one-line Streamlit page as the framework's floor.
Then, in one run:

1. Audience: a presenter (Chromium via Playwright) opens the Present page and shows the share
   slide; N phones open its short link at once as a browser does (the redirect, the page,
   every asset the page names), then poll the live feed at the page's interval for a minute.
   The phones ask for different languages (Accept-Language, `--languages`, five by default,
   shared out in turn), and each checks that its page came in its language.
   Meanwhile the presenter presses Next every few seconds and times each slide change.
   Records time until each phone has the whole view (p50, p95, max), failures, feed polls,
   and the server's peak memory (VmRSS/VmHWM of the server and its children, from /proc).
2. Physical floor: the same N phones make the same requests to a trivial route of the same
   server (/_stcore/health), so the load generator's own cost is measured too.
3. Framework floor: N websocket sessions at once on the one-line page (Streamlit's protocol:
   connect to /_stcore/stream, send a rerun_script BackMsg, wait for script_finished).
4. Analysts: 30 full sessions at once on the dashboard's Overview, against 30 sessions on
   the one-line page.

Prints a table and one JSON line; --record writes bench/results/audience_load.json.

    .venv/bin/python bench/audience_load.py [--phones 300] [--poll-seconds 60]
        [--languages en,de,fr,pl,el] [--record]
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import math
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.harness import (  # noqa: E402  (after the path is set)
    CHROMIUM,
    CHROMIUM_ARGS,
    MemorySampler,
    demo_store_and_floor,
    free_port,
    machine,
    memory_kb,
    percentile,
    start_server,
    summary,
)

DECK = "slides=numbers,growth,gender,skills,map,spotlight,share"
TARGETS = {
    "p95_s": 2.0,
    "ratio_to_floor": 0.1,
    "memory_mb": 1024.0,
    "slide_change_s": 1.0,
    "analyst_ratio": 2.0,
}
PRESENTER_EVERY_S = 3.0
WATCH_SLIDES = """() => {
  window.__changes = [];
  const now = () => document.querySelector('.pact-now')?.dataset.slide;
  let last = now(), pressed = null;
  document.addEventListener('keydown', e => {
    if (e.key === 'ArrowRight') { pressed = performance.now(); }
  }, true);
  new MutationObserver(() => {
    const slide = now();
    if (slide !== last) {
      last = slide;
      if (pressed !== null) { window.__changes.push(performance.now() - pressed); pressed = null; }
    }
  }).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


# -- a lean HTTP/1.1 client: one connection per phone, like a browser's first one -----------
class Connection:
    """A keep-alive HTTP/1.1 connection (Content-Length and chunked bodies)."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        """GET a path; a kept-alive connection the server closed is reopened once, as
        browsers do."""
        reused = self.writer is not None
        try:
            return await self._get(path, headers)
        except (asyncio.IncompleteReadError, ConnectionError):
            if not reused:
                raise
            self.close()
            self.writer = None
            return await self._get(path, headers)

    async def _get(
        self, path: str, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.writer.write(
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Accept-Encoding: gzip\r\nUser-Agent: bench-phone\r\n{extra}\r\n".encode()
        )
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        response_headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                response_headers[name.strip().lower()] = value.strip()
        if "content-length" in response_headers:
            body = await self.reader.readexactly(int(response_headers["content-length"]))
        elif response_headers.get("transfer-encoding") == "chunked":
            parts = []
            while True:
                size = int((await self.reader.readline()).strip(), 16)
                parts.append(await self.reader.readexactly(size + 2))
                if size == 0:
                    break
            body = b"".join(p[:-2] for p in parts)
        else:
            body = b""
        if response_headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return status, response_headers, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


ASSET = re.compile(rb'(?:src|href)="(/[^"]+\.(?:css|js|png))"')


@dataclass
class Phone:
    """What one phone saw."""

    language: str = "en"
    view_s: float = math.nan
    requests: int = 0
    error: str | None = None
    polls: int = 0
    poll_times: list[float] = field(default_factory=list)
    poll_errors: int = 0


async def open_view(
    phone: Phone, port: int, link: str, start: asyncio.Event, poll_for: float
) -> None:
    """Open the link as a browser does, then poll the feed at the page's interval."""
    await start.wait()
    began = time.perf_counter()
    main = Connection("127.0.0.1", port)
    asks = {"Accept-Language": f"{phone.language},en;q=0.5"}  # as the phone's browser sends
    try:
        status, headers, _ = await main.get(link, asks)
        phone.requests += 1
        if status in (301, 302, 303, 307, 308):
            link = headers["location"]
            status, headers, _ = await main.get(link, asks)
            phone.requests += 1
        status, headers, html = status, headers, _
        if status != 200 or b'id="deck"' not in html:
            raise RuntimeError(f"page status {status}")
        if f'<html lang="{phone.language}"'.encode() not in html:
            raise RuntimeError(f"page not in {phone.language}")
        assets = [m.decode() for m in ASSET.findall(html)]

        async def fetch(path: str) -> None:
            connection = Connection("127.0.0.1", port)
            try:
                code, _, _ = await connection.get(path)
                if code != 200:
                    raise RuntimeError(f"{path}: {code}")
            finally:
                connection.close()

        await asyncio.gather(*(fetch(a) for a in assets))
        phone.requests += len(assets)
        phone.view_s = time.perf_counter() - began
        feed = html.split(b'data-feed="', 1)[1].split(b'"', 1)[0].decode().replace("&amp;", "&")
        poll = int(html.split(b'data-poll="', 1)[1].split(b'"', 1)[0])
    except Exception as error:  # a phone that fails is counted, not fatal
        phone.error = f"{type(error).__name__}: {error}"[:200]
        main.close()
        return
    etag = ""
    ends = time.perf_counter() + poll_for
    while time.perf_counter() + poll < ends:
        await asyncio.sleep(poll * random.uniform(0.8, 1.2))  # as the page's script does
        asked = time.perf_counter()
        try:
            asked_for = {**asks, **({"If-None-Match": etag} if etag else {})}
            code, headers, _ = await main.get(feed, asked_for)
            if code not in (200, 304):
                raise RuntimeError(str(code))
            etag = headers.get("etag", etag)
            phone.poll_times.append(time.perf_counter() - asked)
        except Exception:
            phone.poll_errors += 1
            main.close()
            main = Connection("127.0.0.1", port)  # a venue network drops; the phone reconnects
        phone.polls += 1
    main.close()


async def trivial_requests(port: int, count: int, start: asyncio.Event) -> float:
    """The same number of requests to /_stcore/health, the assets on new connections."""
    await start.wait()
    began = time.perf_counter()
    main = Connection("127.0.0.1", port)
    for _ in range(2):
        await main.get("/_stcore/health")

    async def one() -> None:
        connection = Connection("127.0.0.1", port)
        await connection.get("/_stcore/health")
        connection.close()

    await asyncio.gather(*(one() for _ in range(count - 2)))
    main.close()
    return time.perf_counter() - began


async def audience(
    port: int, link: str, phones: int, poll_for: float, languages: list[str]
) -> list[Phone]:
    start = asyncio.Event()
    seen = [Phone(language=languages[i % len(languages)]) for i in range(phones)]
    tasks = [asyncio.create_task(open_view(p, port, link, start, poll_for)) for p in seen]
    await asyncio.sleep(0.5)
    start.set()
    await asyncio.gather(*tasks)
    return seen


async def physical_floor(port: int, phones: int, requests: int) -> tuple[list[float], int]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(trivial_requests(port, requests, start)) for _ in range(phones)]
    await asyncio.sleep(0.5)
    start.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    times = [r for r in results if isinstance(r, float)]
    return times, len(results) - len(times)


# -- Streamlit's websocket protocol -------------------------------------------------------------
async def websocket_session(
    port: int, start: asyncio.Event, done: asyncio.Event, measured: list[float]
) -> float:
    """Connect, ask for a run of the app, wait for the script to finish; seconds taken."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    await start.wait()
    began = time.perf_counter()
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/_stcore/stream",
        subprotocols=["streamlit"],  # type: ignore[list-item]
        max_size=None,
        open_timeout=300,
        ping_interval=None,
        close_timeout=5,
    ) as ws:
        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_script_hash = ""
        await ws.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=300))
            kind = message.WhichOneof("type")
            if kind == "script_finished" and message.script_finished == 0:
                break  # FINISHED_SUCCESSFULLY; a rerun's early finish (2) is followed by more
            if kind == "script_finished" and message.script_finished == 1:
                raise RuntimeError("compile error")
        taken = time.perf_counter() - began
        measured.append(taken)
        await done.wait()  # stay connected while the others load, as real sessions do
        return taken


async def websocket_sessions(port: int, count: int) -> tuple[list[float], int]:
    """`count` sessions at once; their times, and how many failed."""
    start, done = asyncio.Event(), asyncio.Event()
    measured: list[float] = []
    tasks = [
        asyncio.create_task(websocket_session(port, start, done, measured)) for _ in range(count)
    ]
    await asyncio.sleep(0.5)
    start.set()
    while len(measured) + sum(1 for t in tasks if t.done()) < count:
        await asyncio.sleep(0.1)
    done.set()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    times = [r for r in results if isinstance(r, float)]
    return times, len(results) - len(times)


# -- the presenter: a real browser on the Present page --------------------------------------
def presenter_main(url: str) -> int:
    """Subprocess: open the Present page, print the short link, then on 'go' press Next every
    few seconds until 'stop', printing how long each slide change took."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector(".pact-now", timeout=120_000, state="attached")
        for _ in range(30):  # the key's handler comes with the buttons: press until it took
            page.keyboard.press("s")
            try:
                page.wait_for_selector(
                    '.pact-now[data-slide="share"]', timeout=2_000, state="attached"
                )
                break
            except Exception:
                continue
        short = page.get_attribute("#slide-share .short a", "href")
        print(json.dumps({"short": short}), flush=True)
        assert sys.stdin.readline().strip() == "go"
        # Timed in the page: from the key press to the marker naming the next slide (what
        # the room sees), so Playwright's own round trips are not counted.
        page.evaluate(WATCH_SLIDES)
        stop = threading.Event()

        def wait_for_stop() -> None:
            sys.stdin.readline()
            stop.set()

        threading.Thread(target=wait_for_stop, daemon=True).start()
        presses = 0
        while not stop.is_set():
            page.keyboard.press("ArrowRight")
            presses += 1
            stop.wait(PRESENTER_EVERY_S)
        page.wait_for_timeout(int(PRESENTER_EVERY_S * 1000))
        changes = [ms / 1000 for ms in page.evaluate("window.__changes")]
        # a press whose change came after the next press is counted as lost
        print(json.dumps({"changes": changes, "lost": presses - len(changes)}), flush=True)
        browser.close()
    return 0


# -- the run -------------------------------------------------------------------------------------
def main() -> int:
    """Run the benchmark and print (and optionally record) its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--languages", default="en,de,fr,pl,el", help="the phones' languages")
    parser.add_argument("--poll-seconds", type=float, default=60.0, help="feed polling per phone")
    parser.add_argument("--analysts", type=int, default=30)
    parser.add_argument("--record", action="store_true", help="write bench/results/")
    parser.add_argument("--presenter", help=argparse.SUPPRESS)  # internal: the browser process
    args = parser.parse_args()
    if args.presenter:
        return presenter_main(args.presenter)
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]

    # Other work on the machine slows every figure: say how busy it was when we started.
    load_before = [float(v) for v in Path("/proc/loadavg").read_text().split()[:3]]
    tmp = Path(tempfile.mkdtemp(prefix="pact-audience-"))
    env, floor_script = demo_store_and_floor(tmp)

    port, floor_port = free_port(), free_port()
    server = start_server(REPO / "dashboard.py", port, env, tmp / "dashboard.log")
    floor = start_server(floor_script, floor_port, env, tmp / "floor.log")
    presenter: subprocess.Popen[str] | None = None
    try:
        base = f"http://127.0.0.1:{port}"
        presenter = subprocess.Popen(
            [sys.executable, __file__, "--presenter", f"{base}/present?{DECK}"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        assert presenter.stdin is not None and presenter.stdout is not None
        short = json.loads(presenter.stdout.readline())["short"]
        link = "/" + short.split("://", 1)[1].split("/", 1)[1]
        print(f"shared link: {short}; {args.phones} phones open it at once")

        sampler = MemorySampler(server.pid)
        sampler.start()
        presenter.stdin.write("go\n")
        presenter.stdin.flush()
        phones = asyncio.run(audience(port, link, args.phones, args.poll_seconds, languages))
        presenter.stdin.write("stop\n")
        presenter.stdin.flush()
        presses = json.loads(presenter.stdout.readline())
        changes, lost = presses["changes"], presses["lost"]
        peak_rss_mb = sampler.stop() / 1024
        presenter.wait(timeout=60)

        views = [p.view_s for p in phones if p.error is None]
        failures = [p.error for p in phones if p.error is not None]
        requests = max((p.requests for p in phones if p.error is None), default=4)
        polls = sum(p.polls for p in phones)
        poll_times = [t for p in phones for t in p.poll_times]
        poll_errors = sum(p.poll_errors for p in phones)
        print(f"audience: {summary(views)}, failures {len(failures)}, polls {polls}")
        per_language = {
            code: summary([p.view_s for p in phones if p.error is None and p.language == code])
            for code in languages
        }
        for code, figures in per_language.items():
            print(f"  phones asking for {code}: {figures}")

        trivial, trivial_failures = asyncio.run(physical_floor(port, args.phones, requests))
        print(f"physical floor ({requests} trivial requests a phone): {summary(trivial)}")
        ws_floor, ws_failures = asyncio.run(websocket_sessions(floor_port, args.phones))
        print(f"framework floor ({args.phones} websocket sessions): {summary(ws_floor)}")
        analysts, analyst_failures = asyncio.run(websocket_sessions(port, args.analysts))
        analyst_floor, _ = asyncio.run(websocket_sessions(floor_port, args.analysts))
        print(
            f"analysts ({args.analysts} Overview sessions): {summary(analysts)}; "
            f"one-line page: {summary(analyst_floor)}"
        )
        hwm_mb = memory_kb(server.pid, "VmHWM") / 1024
    finally:
        if presenter is not None and presenter.poll() is None:
            presenter.kill()
        for process in (server, floor):
            process.terminate()
            process.wait(timeout=30)

    audience_p95 = percentile(views, 0.95)
    ratio = audience_p95 / percentile(ws_floor, 0.95)
    analyst_ratio = percentile(analysts, 0.95) / percentile(analyst_floor, 0.95)
    result = {
        "benchmark": "audience_load",
        "phones": args.phones,
        "link": link,
        "requests_per_phone": requests,
        "languages": per_language,
        "audience": {**summary(views), "failures": len(failures), "errors": failures[:5]},
        "feed": {
            "polls": polls,
            "poll_seconds": args.poll_seconds,
            "errors": poll_errors,
            **summary(poll_times),
        },
        "physical_floor": {
            **summary(trivial),
            "failures": trivial_failures,
            "route": "/_stcore/health",
        },
        "framework_floor": {
            **summary(ws_floor),
            "failures": ws_failures,
            "sessions": args.phones,
        },
        "ratio_to_framework_floor_p95": round(ratio, 4),
        "ratio_to_physical_floor_p95": round(audience_p95 / percentile(trivial, 0.95), 2),
        "presenter_slide_change": {**summary(changes), "changes": len(changes), "lost": lost},
        "server_memory_mb": {
            "peak_rss_sampled": round(peak_rss_mb, 1),
            "vm_hwm_end_of_run": round(hwm_mb, 1),
        },
        "analysts": {
            "sessions": args.analysts,
            "overview": summary(analysts),
            "failures": analyst_failures,
            "one_line_page": summary(analyst_floor),
            "ratio_p95": round(analyst_ratio, 2),
        },
        "targets": TARGETS,
        "machine": {**machine(), "load_average_before_run": load_before},
        "date": time.strftime("%Y-%m-%d"),
    }
    met = {
        "no_failures": not failures and not trivial_failures,
        "p95": audience_p95 <= TARGETS["p95_s"],
        "ratio": ratio <= TARGETS["ratio_to_floor"],
        "memory": max(peak_rss_mb, hwm_mb) <= TARGETS["memory_mb"],
        "slide_change": bool(changes) and not lost and max(changes) <= TARGETS["slide_change_s"],
        "analysts": analyst_ratio <= TARGETS["analyst_ratio"],
    }
    result["met"] = met
    print(json.dumps(result))
    if args.record:
        out = REPO / "bench" / "results" / "audience_load.json"
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(f"recorded in {out.relative_to(REPO)}")
    return 0 if all(met.values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
