"""Benchmark: what Streamlit itself costs in the browser, part by part, against its one-line page.

bench/browser.py measures the dashboard against two floors (a one-line page, and the same
page with one Plotly chart). This measures the parts a dashboard page is made of, each on a
page of plain Streamlit with nothing of the dashboard's: the one-line page; the same with a
sidebar of filters like the dashboard's (a language select box, a range slider, five
multiselects of 25 options); with one five-point Plotly chart (the chart floor); with both;
with a 30-row table as `st.dataframe` (Streamlit's data grid); and with the same table as
HTML (`st.html`). Each is served by its own `streamlit run`, and the warm loads (a returning
reader's new tab, timed as bench/browser.py times them) go round all of them in turn.

Prints p50 / p95 ms per page and p50 as a multiple of the one-line page's; --record writes
bench/results/streamlit_floors.json with the machine it ran on.

    .venv/bin/python bench/streamlit_floors.py [--repeats 8] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.browser import VIEWPORTS, Run, run_facts
from bench.harness import (
    CHART_FLOOR_SCRIPT,
    CHROMIUM,
    CHROMIUM_ARGS,
    FLOOR_SCRIPT,
    REPO,
    free_port,
    page_script,
    percentile,
    start_server,
)

RESULTS = REPO / "bench" / "results" / "streamlit_floors.json"
SIDEBAR = (
    "with st.sidebar:\n"
    "    st.selectbox('Language', ['English', 'Deutsch', 'Français'])\n"
    "    st.slider('Reporting period', 2020, 2024, (2020, 2024))\n"
    "    for name in ('Ecosystems', 'Partnerships', 'Countries', 'Types', 'Skill areas'):\n"
    "        st.multiselect(name, [f'{name} {k}' for k in range(25)])\n"
)
TABLE = (
    "import pandas as pd\n"
    "table = pd.DataFrame({'Country': [f'Country {i}' for i in range(30)],\n"
    "                      'Members': range(30), 'People': range(0, 3000, 100)})\n"
)
PAGES = {
    "one line": FLOOR_SCRIPT,
    "sidebar of filters": FLOOR_SCRIPT + SIDEBAR,
    "one chart (chart floor)": CHART_FLOOR_SCRIPT,
    "sidebar and one chart": CHART_FLOOR_SCRIPT + SIDEBAR,
    "30-row st.dataframe": FLOOR_SCRIPT + TABLE + "st.dataframe(table, hide_index=True)\n",
    "30-row HTML table": FLOOR_SCRIPT + TABLE + "st.html(table.to_html(index=False))\n",
}


def main() -> int:
    """Serve every page, load them in turn, print (and optionally record) the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=8, help="warm loads per page")
    parser.add_argument("--record", action="store_true", help=f"write {RESULTS.name}")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    load_before = [round(x, 2) for x in os.getloadavg()]
    started = time.monotonic()
    servers = []
    with tempfile.TemporaryDirectory(prefix="pact-floors-") as tmp:
        urls = {}
        for number, (name, script) in enumerate(PAGES.items()):
            app = page_script(Path(tmp), f"page{number}", script)
            port = free_port()
            servers.append(start_server(app, port, dict(os.environ), app.with_suffix(".log")))
            urls[name] = f"http://127.0.0.1:{port}/"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
                )
                run = Run(browser, VIEWPORTS["desktop"])
                for _ in range(args.repeats):
                    for name, url in urls.items():
                        run.load(url, name, "warm")
                run.close()
                chromium = browser.version
                browser.close()
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=30)
    pages: dict[str, dict[str, float]] = {}
    for name in PAGES:
        for kind in ("warm", "warm_first_screen"):
            values = run.samples.get((name, kind), [])
            pages.setdefault(name, {})[f"{kind}_p50"] = round(percentile(values, 0.5), 1)
            pages[name][f"{kind}_p95"] = round(percentile(values, 0.95), 1)
    floor = pages["one line"]
    print(f"{'page':<26}{'warm p50/p95 ms':>18}{'x':>6}{'first screen':>16}{'x':>6}")
    for name, row in pages.items():
        row["x_floor_p50"] = round(row["warm_p50"] / floor["warm_p50"], 2)
        row["first_screen_x_floor_p50"] = round(
            row["warm_first_screen_p50"] / floor["warm_first_screen_p50"], 2
        )
        print(
            f"{name:<26}{row['warm_p50']:>11.0f}/{row['warm_p95']:<6.0f}{row['x_floor_p50']:>6.2f}"
            f"{row['warm_first_screen_p50']:>9.0f}/{row['warm_first_screen_p95']:<6.0f}"
            f"{row['first_screen_x_floor_p50']:>6.2f}"
        )
    result = {
        "benchmark": "streamlit_floors",
        "repeats": args.repeats,
        "pages": pages,
        **run_facts(run, started, chromium, load_before),
    }
    print(json.dumps(result))
    if args.record:
        RESULTS.write_text(json.dumps(result, indent=2) + "\n")
        print(f"recorded in {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
