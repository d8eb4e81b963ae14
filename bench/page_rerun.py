"""Benchmark: time from a filter change to the page's script finished, for every page.

Runs dashboard.py with Streamlit's AppTest on the demo data in a fresh SQLite file, applies a
fixed sequence of 20 realistic filter changes, each making a filter combination not seen
before (so every rerun queries the store, as a real filter change does), and records the
rerun times. Then a second session replays the same changes: its reruns find the queries and
figures the first session made in the process-wide caches (what a colleague opening the same
views, or a presenter's audience, gets). In the same run it times a one-line Streamlit page
through the same harness: the framework's floor. Each page is timed in each language asked
for (`--languages en,de`, the default), one language after the other on the same page, and the
run compares each language's medians with English's (the aim: within 10%). `--rounds`
(3) repeats the pairing on each page; the figures pool every round's reruns. Prints a table and a
JSON line; --record writes bench/results/page_rerun.json with the machine it ran on.

    .venv/bin/python bench/page_rerun.py [--languages en,de] [--record]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.harness import FLOOR_SCRIPT, machine, percentile  # noqa: E402  (after the path is set)

PAGES = [
    "pages/overview.py",
    "pages/growth.py",
    "pages/gender.py",
    "pages/skills.py",
    "pages/partnerships.py",
    "pages/profile.py",
    "pages/map.py",
]

# (widget key, new value) applied one after the other: what an officer does while exploring.
# Every step makes a filter combination not seen before, so each rerun misses the caches of
# query results (as a real filter change does) and queries the store.
FILTER_CHANGES: list[tuple[str, object]] = [
    ("f_eco", ["health"]),
    ("f_eco", ["health", "digital"]),
    ("f_years", (2022, 2024)),
    ("f_country", ["DE", "FR", "IT"]),
    ("f_type", ["sme"]),
    ("f_eco", []),
    ("f_skill", ["green"]),
    ("f_years", (2021, 2023)),
    ("f_country", []),
    ("f_type", []),
    ("f_skill", []),
    ("f_lsp", ["automotive", "tclf", "digital"]),
    ("f_years", (2023, 2024)),
    ("f_lsp", []),
    ("f_eco", ["construction", "tourism", "retail"]),
    ("f_country", ["ES", "PT"]),
    ("f_years", (2020, 2024)),
    ("f_type", ["large_company", "vet_provider"]),
    ("f_eco", []),
    ("f_country", ["PL"]),
]
TARGET_MS = 300.0


def set_widget(at: object, key: str, value: object) -> None:
    """Set a sidebar widget by key, whatever its kind."""
    for kind in ("multiselect", "slider"):
        widgets = [w for w in getattr(at, kind) if w.key == key]
        if widgets and isinstance(value, tuple):
            widgets[0].set_range(*value)
            return
        if widgets:
            widgets[0].set_value(value)
            return
    raise KeyError(key)


def time_page(page: str, language: str = "en") -> tuple[list[float], list[float]]:
    """Rerun times (ms) of one page over the filter-change sequence, in one language: in a
    first session (every rerun queries the store and builds its figures), then in a second
    session replaying the same changes (served by the shared caches)."""
    import streamlit as st

    st.cache_data.clear()
    return _replay(page, language, first=True), _replay(page, language, first=False)


def _replay(page: str, language: str, *, first: bool) -> list[float]:
    from streamlit.testing.v1 import AppTest

    from i18n import using

    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=120)
    if language != "en":
        at.query_params["lang"] = language  # as a shared link names it
    # AppTest formats a widget's chosen value in this thread: it must speak the page's language.
    with using(language):
        return _changes(at, page, first=first)


def _changes(at: Any, page: str, *, first: bool) -> list[float]:
    """Open the page, then apply every filter change and time each rerun."""
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    times = []
    seen: set[str] = set()
    for key, value in FILTER_CHANGES:
        set_widget(at, key, value)
        state = repr(sorted((k, repr(at.session_state[k])) for k, _ in FILTER_CHANGES))
        assert not first or state not in seen, "each change must make a new filter combination"
        seen.add(state)
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        assert not at.exception, at.exception
    return times


def time_floor() -> list[float]:
    """Rerun times (ms) of a one-line page through the same harness."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_string(FLOOR_SCRIPT)
    at.run()
    times = []
    for _ in FILTER_CHANGES:
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def language_comparison(
    by_language: dict[str, list[dict[str, Any]]], languages: list[str]
) -> list[dict[str, Any]]:
    """Each further language's first-session times against the first language's, per page:
    the change of the median, and of the sum of the medians of both sessions."""
    base = {row["page"]: row for row in by_language[languages[0]]}
    rows: list[dict[str, Any]] = []
    for code in languages[1:]:
        for row in by_language[code]:
            english = base[row["page"]]
            total = row["p50_ms"] + row["second_session_p50_ms"]
            english_total = english["p50_ms"] + english["second_session_p50_ms"]
            rows.append(
                {
                    "page": row["page"],
                    "language": code,
                    "change_p50_percent": round((row["p50_ms"] / english["p50_ms"] - 1) * 100, 1),
                    "change_total_percent": round((total / english_total - 1) * 100, 1),
                }
            )
    return rows


def main() -> int:
    """Run the benchmark and print (and optionally record) its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--record", action="store_true", help="write bench/results/")
    parser.add_argument("--languages", default="en,de", help="comma-separated, English first")
    parser.add_argument(
        "--rounds", type=int, default=3, help="times each page runs in each language, in turn"
    )
    parser.add_argument(
        "--no-round",
        action="store_true",
        help="leave out the demo's reporting round (fixtures.demo_round), as before rounds",
    )
    args = parser.parse_args()
    languages = [code.strip() for code in args.languages.split(",") if code.strip()]

    from data_access import make_engine
    from fixtures.demo_round import seed_demo_round
    from fixtures.load_demo import load_demo

    tmp = tempfile.mkdtemp(prefix="pact-bench-")
    url = f"sqlite:///{tmp}/pact.sqlite3"
    engine = make_engine(url)
    load_demo(engine)
    if not args.no_round:  # the store a first start makes: the demo and its round in progress
        seed_demo_round(engine)
    engine.dispose()
    os.environ["DATABASE_URL"] = url
    os.chdir(REPO)

    floor = time_floor()
    floor_p50 = statistics.median(floor)
    by_language: dict[str, list[dict[str, Any]]] = {code: [] for code in languages}
    print(
        f"{'page':<24}{'lang':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'x floor':>9}"
        f"{'2nd p50':>9}{'2nd p95':>9}"
    )
    for page in PAGES:
        samples: dict[str, tuple[list[float], list[float]]] = {c: ([], []) for c in languages}
        for _round in range(args.rounds):
            for code in languages:  # the languages in turn on one page: a fair pairing
                first_times, second_times = time_page(page, code)
                samples[code][0].extend(first_times)
                samples[code][1].extend(second_times)
        for code in languages:
            times, second = samples[code]
            p50, p95 = statistics.median(times), percentile(times, 0.95)
            again_p50, again_p95 = statistics.median(second), percentile(second, 0.95)
            by_language[code].append(
                {
                    "page": page,
                    "p50_ms": round(p50, 1),
                    "p95_ms": round(p95, 1),
                    "max_ms": round(max(times), 1),
                    "ratio_p50_to_floor": round(p50 / floor_p50, 1),
                    "second_session_p50_ms": round(again_p50, 1),
                    "second_session_p95_ms": round(again_p95, 1),
                }
            )
            print(
                f"{page:<24}{code:>5}{p50:>9.1f}{p95:>9.1f}{max(times):>9.1f}"
                f"{p50 / floor_p50:>9.1f}{again_p50:>9.1f}{again_p95:>9.1f}"
            )
    results = by_language[languages[0]]
    comparison = language_comparison(by_language, languages)
    for row in comparison:
        print(
            f"{row['page']:<24}{row['language']:>5} vs {languages[0]}: "
            f"{row['change_p50_percent']:+.1f}% (p50), {row['change_total_percent']:+.1f}% (sum)"
        )
    print(f"{'floor (one-line page)':<24}{floor_p50:>9.1f}{percentile(floor, 0.95):>9.1f}")
    worst = max(float(r["p95_ms"]) for r in results)
    summary = {
        "benchmark": "page_rerun",
        "target_ms": TARGET_MS,
        "worst_p95_ms": worst,
        "floor_p50_ms": round(floor_p50, 1),
        "reruns_per_page": len(FILTER_CHANGES) * args.rounds,
        "rounds": args.rounds,
        "pages": results,
        "languages": by_language,
        "language_comparison": comparison,
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
    }
    print(json.dumps(summary))
    if args.record:
        out = REPO / "bench" / "results" / "page_rerun.json"
        out.write_text(json.dumps(summary, indent=2) + "\n")
        print(f"recorded in {out.relative_to(REPO)}")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
