"""Benchmark: what a person waits for, each page drawn in the browser, against Streamlit's floor.

Starts the dashboard (`streamlit run dashboard.py`) on loopback with a fresh SQLite demo store
(or, with --store stress, the million-row stress store in PostgreSQL), and a one-line
Streamlit page as the floor, both measured the same way in the same run, in Debian's Chromium
(headless, driven by Playwright). Beside the floor, the chart floor: the same page with one
five-point Plotly chart (`st.plotly_chart`), the least a page with a chart costs in Streamlit;
every page's time is also given as a multiple of it. Per page:

- cold load: a first-time visitor (a new browser context: no HTTP cache) on the first visit
  to the page after a server restart (each restart is followed by one visit to the method
  page, so the process has imported its modules and cached the sidebar's options; the
  page's own queries and figures are not cached, apart from what an earlier page of the
  same round shared). Pages are visited in a rotated order per round;
- warm load: a returning reader, with every cache warm: a new tab in a browser context that
  has opened the page before (its HTTP cache and compiled code hold Streamlit's and the
  page's scripts), on a server whose caches hold the page;
- first visit: a new browser context (no HTTP cache) on a server whose caches hold the page
  (warm loads and first visits go round every page and the floor in turn, once per repeat);
- filter changes in one session: an ecosystem added in the sidebar's multiselect (one not
  chosen before), removed again, and where the page has them, its choice control flipped and
  another tab of its charts opened (not on the phone viewport, where the opened sidebar covers
  the page). On the floors, which have
  no widget, a rerun from Streamlit's main menu.

A load is timed from navigation, a change from its input event, until the page is complete:
the script run is over (stApp's data-test-script-state), nothing is stale (data-stale), every
Plotly chart is drawn, and it stays so for 150 ms (not counted). The first screen is the
last change to what the first viewport holds, up to completion. The aims are judged on the
warm loads and the changes; the other loads are reported beside them. Also: websocket bytes
per load and per change, and main-thread time of one traced warm load per page (self time by
kind, and the V8 profile's time in Plotly's bundle).

Prints a table and one JSON line; --record writes bench/results/browser.json (under the
viewport's key) with the machine it ran on.

    .venv/bin/python bench/browser.py [--pages overview,map] [--repeats 8]
        [--colds 3] [--viewport desktop|phone] [--store demo|stress] [--record]

--record keeps the result under the viewport's name (with "-stress" for the stress store).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Error as PlaywrightError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser_probe import (
    DONE_JS,
    PROBE_JS,
    READ_JS,
    TRACE_CATEGORIES,
    main_thread_times,
)
from bench.harness import (
    CHART_FLOOR_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    demo_store_and_floor,
    free_port,
    machine,
    page_script,
    percentile,
    start_server,
)

PAGES = ["overview", "growth", "gender", "skills", "partnerships", "profile", "map", "members"]
VIEWPORTS = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
AIMS = {"first_screen_x_floor": 2.0, "complete_x_floor": 3.0, "filter_change_p50_ms": 300.0}
WARM_UP_PAGE = "method"
# The one-line page (the aims' measure) and the same page with one Plotly chart.
FLOORS = ("floor", "chart_floor")
TIMEOUT_MS = 20_000
RESULTS = REPO / "bench" / "results" / "browser.json"
nan = float("nan")
MISSING = {"p50": nan, "p95": nan, "x_floor_p50": nan}  # a measure that failed every time

Page = Any  # playwright.sync_api.Page: typed loosely, Playwright is a test dependency


class Bytes:
    """Websocket payload bytes a page received and sent since the last reset."""

    def __init__(self) -> None:
        self.received = self.sent = 0

    def watch(self, page: Page) -> None:
        def on_socket(socket: Any) -> None:
            socket.on("framereceived", lambda payload: self._add(payload, True))
            socket.on("framesent", lambda payload: self._add(payload, False))

        page.on("websocket", on_socket)

    def _add(self, payload: str | bytes, received: bool) -> None:
        size = len(payload.encode() if isinstance(payload, str) else payload)
        if received:
            self.received += size
        else:
            self.sent += size

    def take(self) -> tuple[int, int]:
        """(received, sent) since the last take."""
        counts = self.received, self.sent
        self.received = self.sent = 0
        return counts


class Run:
    """One browser, the servers, and the samples collected."""

    def __init__(self, browser: Any, viewport: dict[str, int]) -> None:
        self.browser, self.viewport = browser, viewport
        self.samples: dict[tuple[str, str], list[float]] = {}
        self.failures: dict[str, int] = {}
        self.returning: dict[str, Any] = {}  # URL -> the context of a reader who came before

    def fail(self, page: str, kind: str, error: Exception) -> None:
        """Count a measurement that did not complete (and say so on stderr)."""
        self.failures[f"{page} {kind}"] = self.failures.get(f"{page} {kind}", 0) + 1
        lines = str(error).splitlines()
        waiting = [line.strip() for line in lines if "waiting for" in line][:1]
        print(f"{page} {kind} failed: {' '.join(lines[:1] + waiting)}", file=sys.stderr)

    def add(self, page: str, kind: str, value: float) -> None:
        self.samples.setdefault((page, kind), []).append(value)

    def context(self) -> Any:
        """A new browser context (empty caches) with the probe."""
        context = self.browser.new_context(viewport=self.viewport)
        context.set_default_timeout(10_000)
        context.add_init_script(PROBE_JS)
        return context

    def returning_context(self, url: str) -> Any:
        """The context of a reader who has opened url before (opened once when first asked
        for, untimed), kept for the run."""
        if url not in self.returning:
            context = self.returning[url] = self.context()
            page = context.new_page()
            page.goto(url, wait_until="commit")
            finish(page)
            page.close()
        return self.returning[url]

    @contextmanager
    def session(self, url: str, *, returning: bool = False) -> Iterator[tuple[Page, Bytes]]:
        """A new tab at this URL, in a new context or (returning) in that of a reader who
        came before; closed afterwards."""
        context = self.returning_context(url) if returning else self.context()
        try:
            page = context.new_page()
            counter = Bytes()
            counter.watch(page)
            page.goto(url, wait_until="commit")
            yield page, counter
        finally:
            (page.close if returning else context.close)()

    def close(self) -> None:
        """Close the returning readers' contexts."""
        for context in self.returning.values():
            context.close()
        self.returning.clear()

    def load(self, url: str, name: str, kind: str) -> None:
        """Open url in a new tab, as a returning reader for a warm load and in a new context
        otherwise; record its complete and first-screen times and bytes."""
        with self.session(url, returning=kind == "warm") as (page, counter):
            try:
                state = finish(page)
            except PlaywrightError as error:
                self.fail(name, kind, error)
                return
            self.add(name, kind, state["doneAt"])
            self.add(name, f"{kind}_first_screen", state["screenAt"])
            self.add(name, f"{kind}_ws_kb", sum(counter.take()) / 1024)

    def changes(self, url: str, name: str, count: int, *, floor: bool = False) -> None:
        """In one session, make count in-session changes; record each one's time and bytes
        (on the floor, which has no widget, each is a rerun from Streamlit's main menu)."""
        with self.session(url, returning=True) as (page, counter):
            finish(page)
            actions = [lambda _: rerun_from_menu(page)] if floor else change_actions(page)
            counter.take()
            for step in range(count):
                page.evaluate("() => window.__benchArm()")
                try:
                    actions[step % len(actions)](step)
                    state = finish(page)
                except PlaywrightError as error:
                    self.fail(name, "change", error)
                    if not reopened(page):  # the next change starts from the page drawn
                        return
                    counter.take()
                    continue
                self.add(name, "change", state["doneAt"] - state["input"])
                self.add(name, "change_ws_kb", sum(counter.take()) / 1024)

    def trace(self, url: str) -> dict[str, Any]:
        """Main-thread time of one warm load (a returning reader) under Chrome's tracing."""
        page = self.returning_context(url).new_page()
        try:
            self.browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
            page.goto(url, wait_until="commit")
            finish(page)
            return main_thread_times(self.browser.stop_tracing())
        finally:
            page.close()


def finish(page: Page) -> dict[str, Any]:
    """Wait until the probe saw the page complete; its timings (ms from navigation)."""
    page.wait_for_function(DONE_JS, timeout=TIMEOUT_MS, polling=50)
    state: dict[str, Any] = page.evaluate(READ_JS)
    return state


def reopened(page: Page) -> bool:
    """Load the page again in its tab after a change that did not complete; whether it did."""
    try:
        page.keyboard.press("Escape")  # a menu or dropdown left open
        page.reload(wait_until="commit")
        finish(page)
    except PlaywrightError:
        return False
    return True


def rerun_from_menu(page: Page) -> None:
    """Open Streamlit's main menu (not timed) and choose Rerun."""
    page.locator('[data-testid="stMainMenu"]').click()
    item = page.get_by_test_id("stMainMenuItem-rerun")
    item.wait_for()
    page.evaluate("() => window.__benchArm()")
    item.click()


def change_actions(page: Page) -> list[Callable[[int], None]]:
    """The in-session changes this page offers: the ecosystem filter, and its own choice."""
    sidebar = page.locator('[data-testid="stSidebar"]')
    expand = page.locator('[data-testid="stExpandSidebarButton"]')
    phone = expand.is_visible()
    if phone:  # a phone: the sidebar starts collapsed (opening it is not timed)
        expand.click()
        page.wait_for_timeout(1_000)  # its slide-in animation
    ecosystems = sidebar.locator('[data-testid="stMultiSelect"]').filter(has_text="Ecosystems")

    def add_ecosystem(step: int) -> None:
        close_dropdown()
        field = ecosystems.locator("input")
        # A dropdown closes on a scroll: with the sidebar scrolled to the filter in the same
        # step as the click (a long navigation above it), it closed as it opened.
        field.scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # not timed: the clock starts once the dropdown is open
        field.click()
        options = page.locator('[role="option"]').filter(has_not_text="Select all")
        options.first.wait_for()
        page.evaluate("() => window.__benchArm()")  # the dropdown's opening is not timed
        options.nth((step // 2) % options.count()).click()

    def remove_ecosystem(step: int) -> None:
        ecosystems.locator('button[aria-label^="Remove"]').first.click()

    def close_dropdown() -> None:
        # the open dropdown makes the rest of the page inert; Escape closes it (no rerun)
        if page.locator('[role="option"]').count():
            page.keyboard.press("Escape")
            page.locator('[role="option"]').first.wait_for(state="detached")

    def then_closed(action: Callable[[int], None]) -> Callable[[int], None]:
        def act(step: int) -> None:
            close_dropdown()
            page.evaluate("() => window.__benchArm()")
            action(step)

        return act

    actions = [add_ecosystem, then_closed(remove_ecosystem)]
    choice = page.locator(
        '[data-testid="stMain"] [data-testid="stButtonGroup"] [role="radio"][aria-checked="false"],'
        ' [data-testid="stMain"] [data-testid="stRadio"] label:has(input:not(:checked))'
    )
    tabs = page.locator('[data-testid="stMain"] [role="tab"][aria-selected="false"]')

    def switch_tab(step: int) -> None:  # another tab of the page's charts, in turn
        tabs.nth((step // 2) % tabs.count()).click()

    def flip_choice(step: int) -> None:  # the page's choice where its tab shows one
        if choice.count():
            choice.first.click()
        else:
            switch_tab(step)

    if phone:  # on a phone the open sidebar covers the page's own controls
        return actions
    if tabs.count():
        return [add_ecosystem, then_closed(flip_choice), actions[1], then_closed(switch_tab)]
    if choice.count():
        flip = then_closed(flip_choice)
        return [add_ecosystem, flip, actions[1], flip]
    return actions


def summary(values: list[float]) -> dict[str, float]:
    """p50 and p95 (nearest rank)."""
    return {"p50": round(statistics.median(values), 1), "p95": round(percentile(values, 0.95), 1)}


def measure(
    run: Run, urls: dict[str, str], restart: Callable[[], list[str]], repeats: int, colds: int
) -> dict[str, dict[str, Any]]:
    """Every measurement for every page (the floors under the names in FLOORS); returns the
    traces."""
    names = list(urls)
    for round_ in range(colds):
        for warm_up in restart():
            run.load(warm_up, "warm-up", "load")
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            run.load(urls[name], name, "cold")
        print(f"cold round {round_ + 1}/{colds} done", file=sys.stderr)
    # Round after round over every page and the floor, so that a machine slowing down or
    # speeding up during the run weighs on the pages and the floor alike.
    for _ in range(repeats):
        for name in names:
            run.load(urls[name], name, "warm")
            run.load(urls[name], name, "first_visit")
    for name in names:
        if name in FLOORS:  # the floors have no filters: a rerun from the menu instead
            run.changes(urls[name], name, repeats, floor=True)
        else:
            run.changes(urls[name], name, repeats)
    traces = {name: run.trace(urls[name]) for name in names}
    print("loads, changes and traces done", file=sys.stderr)
    return traces


@contextmanager
def servers(
    tmp: Path, store: str = "demo"
) -> Iterator[tuple[dict[str, str], Callable[[], list[str]]]]:
    """The dashboard on a fresh demo store (or the stress store), the one-line page and the
    chart floor; yields their base URLs and a restart function (which returns the URLs to
    visit once after a restart)."""
    env, floor_script = demo_store_and_floor(tmp)
    if store == "stress":
        env = {**env, "DATABASE_URL": stress_store()}
    scripts = {
        "dashboard": REPO / "dashboard.py",
        "floor": floor_script,
        "chart_floor": page_script(tmp, "chart_floor", CHART_FLOOR_SCRIPT),
    }
    ports = {name: free_port() for name in scripts}
    running: dict[str, subprocess.Popen[bytes]] = {}

    def stop() -> None:
        for process in running.values():
            process.terminate()
            process.wait(timeout=30)

    def restart() -> list[str]:
        stop()
        for name, script in scripts.items():
            running[name] = start_server(script, ports[name], env, tmp / f"{name}.log")
        return [f"{bases['dashboard']}/{WARM_UP_PAGE}", bases["floor"], bases["chart_floor"]]

    bases = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    try:
        restart()
        yield bases, restart
    finally:
        stop()


def stress_store() -> str:
    """The million-row stress store in PostgreSQL (made by bench/interactions.py's helper,
    about 45 s the first time, then reused): its URL."""
    from bench.interactions import (
        DEFAULT_URLS,
        STRESS_ORGANISATIONS,
        STRESS_OUTCOMES,
        ensure_stress_store,
    )

    url = DEFAULT_URLS["postgresql"]
    ensure_stress_store(url, organisations=STRESS_ORGANISATIONS, outcomes=STRESS_OUTCOMES)
    return url


def report(run: Run, traces: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The summaries per page and kind, with the ratios to the floors' same measure."""
    kinds = [
        "cold",
        "cold_first_screen",
        "warm",
        "warm_first_screen",
        "first_visit",
        "first_visit_first_screen",
        "change",
    ]
    # a floor measure that failed every time leaves that kind without a ratio
    floor = {k: summary(v) for k in kinds if (v := run.samples.get(("floor", k)))}
    chart_floor = {k: summary(v) for k in kinds if (v := run.samples.get(("chart_floor", k)))}
    pages: dict[str, Any] = {}
    for name in traces:
        row: dict[str, Any] = {}
        for kind in kinds:
            values = run.samples.get((name, kind))
            if not values:
                continue
            row[kind] = summary(values)
            if kind in floor:
                row[kind]["x_floor_p50"] = round(row[kind]["p50"] / floor[kind]["p50"], 2)
                row[kind]["x_floor_p95"] = round(row[kind]["p95"] / floor[kind]["p95"], 2)
            if kind in chart_floor:
                ratio = row[kind]["p50"] / chart_floor[kind]["p50"]
                row[kind]["x_chart_floor_p50"] = round(ratio, 2)
        for kind in ("cold_ws_kb", "warm_ws_kb", "first_visit_ws_kb", "change_ws_kb"):
            if run.samples.get((name, kind)):
                row[kind] = round(statistics.median(run.samples[(name, kind)]), 1)
        row["main_thread_warm_load"] = traces[name]
        if name not in FLOORS:
            p50 = {kind: row.get(kind, MISSING).get("x_floor_p50", math.inf) for kind in kinds}
            row["meets"] = {  # a measure that failed every time does not meet its aim
                "first_screen_2x": p50["warm_first_screen"] <= AIMS["first_screen_x_floor"],
                "complete_3x": p50["warm"] <= AIMS["complete_x_floor"],
                "change_300ms": row.get("change", MISSING)["p50"] <= AIMS["filter_change_p50_ms"],
            }
        pages[name] = row
    return pages


def print_table(pages: dict[str, Any]) -> None:
    """One line per page: p50/p95 of each measure, the ratio of p50s to the floor (and of
    the warm load to the chart floor), bytes, main-thread time."""
    head = (
        f"{'page':<13}{'cold':>11}{'x':>5}{'warm':>11}{'x':>5}{'xchrt':>6}{'1st scr':>11}{'x':>5}"
        f"{'1st visit':>11}{'x':>5}{'change':>11}{'x':>5}{'ws kB ld/chg':>13}{'main ms':>9}"
        f"{'script':>7}{'render':>7}{'paint':>6}{'plotly':>7}"
    )
    print(
        "p50/p95 ms; x = p50 / floor p50; xchrt = warm p50 / chart floor p50; "
        "main-thread time of one warm load"
    )
    print(head)
    for name, row in pages.items():
        cells = ""
        for kind in ("cold", "warm", "warm_first_screen", "first_visit", "change"):
            figures = row.get(kind, MISSING)
            ratio = figures.get("x_floor_p50", nan)
            cells += f"{figures['p50']:>6.0f}/{figures['p95']:<4.0f}{ratio:>5.1f}"
            if kind == "warm":
                cells += f"{figures.get('x_chart_floor_p50', nan):>6.1f}"
        trace = row["main_thread_warm_load"]
        print(
            f"{name:<13}{cells}{row.get('warm_ws_kb', nan):>7.0f}/"
            f"{row.get('change_ws_kb', nan):<5.0f}"
            f"{trace.get('busy_ms', 0):>9.0f}{trace.get('scripting_ms', 0):>7.0f}"
            f"{trace.get('rendering_ms', 0):>7.0f}{trace.get('painting_ms', 0):>6.0f}"
            f"{trace.get('plotly_inclusive_ms', 0):>7.0f}"
        )


def run_facts(run: Run, started: float, chromium: str, load_before: list[float]) -> dict[str, Any]:
    """What a recorded browser run says beside its figures: the measures that failed, how
    long it took, the machine (with the browser's version and how busy the machine was before
    and after) and the date."""
    return {
        "failures": run.failures,
        "seconds": round(time.monotonic() - started),
        "machine": {
            **machine(),
            "chromium": chromium,
            "load_average_before_run": load_before,
            "load_average_after_run": [round(x, 2) for x in os.getloadavg()],
        },
        "date": time.strftime("%Y-%m-%d"),
    }


def main() -> int:
    """Run the benchmark and print (and optionally record) its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated URL paths")
    parser.add_argument("--repeats", type=int, default=8, help="warm loads and changes per page")
    parser.add_argument("--colds", type=int, default=3, help="cold loads per page (restarts)")
    parser.add_argument("--viewport", choices=sorted(VIEWPORTS), default="desktop")
    parser.add_argument(
        "--store",
        choices=("demo", "stress"),
        default="demo",
        help="the demo store in SQLite, or a million outcome rows in PostgreSQL",
    )
    parser.add_argument("--record", action="store_true", help="write bench/results/browser.json")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    # Other work on the machine slows every figure: say how busy it was.
    load_before = [round(x, 2) for x in os.getloadavg()]
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="pact-browser-") as tmp,
        servers(Path(tmp), args.store) as (bases, restart),
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        # the Overview is the default page, served at the root
        urls = {
            name: f"{bases['dashboard']}/{'' if name == 'overview' else name}"
            for name in args.pages.split(",")
        }
        urls.update({name: bases[name] for name in FLOORS})
        run = Run(browser, VIEWPORTS[args.viewport])
        traces = measure(run, urls, restart, args.repeats, args.colds)
        run.close()
        chromium = browser.version
        browser.close()
    pages = report(run, traces)
    print_table(pages)
    result = {
        "benchmark": "browser",
        "viewport": {"name": args.viewport, **VIEWPORTS[args.viewport]},
        "store": args.store,
        "repeats": {"cold": args.colds, "warm": args.repeats, "change": args.repeats},
        "aims": AIMS,
        "pages": pages,
        **run_facts(run, started, chromium, load_before),
    }
    print(json.dumps(result))
    if args.record:
        recorded = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
        key = args.viewport + ("-stress" if args.store == "stress" else "")
        recorded[key] = result
        RESULTS.write_text(json.dumps(recorded, indent=2) + "\n")
        print(f"recorded in {RESULTS.relative_to(REPO)} under {key!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
