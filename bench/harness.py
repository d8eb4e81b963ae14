"""What the benchmarks share: percentiles, the machine they ran on, and a Streamlit server on
loopback whose memory can be sampled."""

from __future__ import annotations

import math
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]
FLOOR_SCRIPT = "import streamlit as st\n\nst.write('floor')\n"
"""The framework's floor: a one-line Streamlit page, measured the same way as the dashboard."""
CHART_FLOOR_SCRIPT = (
    "import plotly.graph_objects as go\nimport streamlit as st\n\nst.write('floor')\n"
    "st.plotly_chart(go.Figure(go.Scatter(x=[1, 2, 3, 4, 5], y=[2, 4, 3, 5, 6])))\n"
)
"""Streamlit's floor for a page with a chart: the one-line page and one Plotly chart of five
points (`st.plotly_chart`, as Streamlit serves it), measured beside the floor."""


def page_script(tmp: Path, name: str, text: str) -> Path:
    """A one-file Streamlit page written as tmp/<name>/<name>.py, in a folder of its own so
    that Streamlit finds no pages/ next to it; its path."""
    (tmp / name).mkdir()
    script = tmp / name / f"{name}.py"
    script.write_text(text)
    return script


def demo_store_and_floor(tmp: Path) -> tuple[dict[str, str], Path]:
    """A fresh SQLite store with the demo data in `tmp`, and the one-line page beside it
    (page_script): the environment that serves that store, and the page's script."""
    from data_access import make_engine
    from fixtures.load_demo import load_demo

    url = f"sqlite:///{tmp}/pact.sqlite3"
    engine = make_engine(url)
    load_demo(engine)
    engine.dispose()
    floor_script = page_script(tmp, "floor", FLOOR_SCRIPT)
    return {**os.environ, "DATABASE_URL": url, "PACT_SEED_DEMO": "0"}, floor_script


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (nan for no values)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, math.ceil(q * len(ordered)) - 1))]


def summary(times: list[float]) -> dict[str, float]:
    """p50, p95 and max in seconds."""
    return {
        "p50_s": round(percentile(times, 0.5), 3),
        "p95_s": round(percentile(times, 0.95), 3),
        "max_s": round(max(times), 3) if times else math.nan,
    }


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    import streamlit

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "platform": platform.platform(),
    }


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    script: Path, port: int, env: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    """`streamlit run script` on loopback; returns once /_stcore/health answers."""
    out = log.open("wb")
    server = subprocess.Popen(
        # No file watcher, as in production: an edit elsewhere in the tree must not reload
        # the app's modules in the middle of a measurement.
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(script),
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--server.fileWatcherType=none",
        ],
        cwd=script.parent,
        env=env,
        stdout=out,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return server
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"streamlit did not start; see {log}") from None
            time.sleep(0.3)


def process_tree(pid: int) -> list[int]:
    """The process and its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [pid], [pid]
    while frontier:
        children = [p for p, parent in parents.items() if parent in frontier]
        tree += children
        frontier = children
    return tree


def memory_kb(pid: int, field_name: str) -> int:
    """Sum of a /proc/<pid>/status field (VmRSS, VmHWM) over the process tree, in kB."""
    total = 0
    for member in process_tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith(field_name + ":"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


class MemorySampler(threading.Thread):
    """Samples the server tree's resident memory every 0.2 s; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self._stop_flag = pid, 0, threading.Event()

    def run(self) -> None:
        while not self._stop_flag.is_set():
            self.peak_kb = max(self.peak_kb, memory_kb(self.pid, "VmRSS"))
            self._stop_flag.wait(0.2)

    def stop(self) -> int:
        self._stop_flag.set()
        self.join()
        return self.peak_kb
