"""What bench/browser.py runs inside the page, and how it reads a Chrome performance trace.

The probe is an init script: from navigation (or from the input that starts a rerun) it
checks every animation frame whether the page is complete, and notes when the first
viewport last changed. The trace reader sums the renderer's main-thread time by kind.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

# How long the page must stay complete before its completion counts: a script run that
# asks for another one right away is not finished.
HOLD_MS = 150

# Complete = a script run was seen and has ended (stApp's data-test-script-state is
# "notRunning", no status widget), no element is marked stale (data-stale="true") or still a
# placeholder while its component's code loads (stSkeleton), and every
# Plotly chart has its main svg with its traces drawn (a chart with no traces: the svg).
# First screen = the time of the last change, up to completion, of what the first viewport
# holds: each element container inside it, its position and height, staleness, and whether
# its charts are drawn.
PROBE_JS = """
(() => {
  const HOLD = @HOLD_MS@;
  const S = {input: null, sawRun: false, stableFrom: null, doneAt: null, screenAt: null,
             sig: '', sigAt: 0, frames: 0};
  window.__bench = S;
  const state = () =>
    document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state');
  const drawn = gd => !!gd.querySelector('.main-svg') && (
    !Array.isArray(gd.data) || gd.data.length === 0 ||
    !!gd.querySelector('.main-svg .trace, .main-svg .choroplethlocation'));
  const complete = () => S.sawRun && state() === 'notRunning' &&
    !document.querySelector('[data-testid="stStatusWidget"]') &&
    !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]') &&
    [...document.querySelectorAll('.js-plotly-plot')].every(drawn);
  const viewport = () => {
    const parts = [];
    for (const el of document.querySelectorAll('[data-testid="stElementContainer"]')) {
      const r = el.getBoundingClientRect();
      if (r.height <= 0 || r.bottom <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
      const plots = [...el.querySelectorAll('.js-plotly-plot')];
      parts.push([Math.round(r.top), Math.round(r.left), Math.round(r.height),
                  el.getAttribute('data-stale'), !!el.querySelector('[data-testid="stSkeleton"]'),
                  plots.map(drawn).join()].join(':'));
    }
    return parts.join('|');
  };
  const tick = () => {
    if (S.doneAt !== null) return;
    const now = performance.now();
    S.frames += 1;
    if (state() === 'running') S.sawRun = true;
    const sig = viewport();
    if (sig !== S.sig) { S.sig = sig; S.sigAt = now; }
    if (complete()) {
      if (S.stableFrom === null) S.stableFrom = now;
      if (now - S.stableFrom >= HOLD) {
        S.doneAt = S.stableFrom;
        S.screenAt = Math.min(S.sigAt, S.stableFrom);
        return;
      }
    } else {
      S.stableFrom = null;
    }
    requestAnimationFrame(tick);
  };
  // A run is seen when the state is or was "running"; a rerun quick enough for the frontend
  // to batch "running" away goes straight from "rerunRequested" to "notRunning".
  new MutationObserver(records => {
    for (const r of records) {
      const now = r.target.getAttribute('data-test-script-state');
      if (r.oldValue === 'running' || (r.oldValue === 'rerunRequested' && now === 'notRunning')) {
        S.sawRun = true;
      }
    }
    if (state() === 'running') S.sawRun = true;
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
  for (const type of ['pointerdown', 'keydown']) {
    addEventListener(type, () => { if (S.input === null) S.input = performance.now(); }, true);
  }
  // Before an in-session change: forget the last run, time from the next input.
  window.__benchArm = () => {
    Object.assign(S, {input: null, sawRun: false, stableFrom: null, doneAt: null,
                      screenAt: null, sigAt: performance.now()});
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();
""".replace("@HOLD_MS@", str(HOLD_MS))

DONE_JS = "() => window.__bench && window.__bench.doneAt !== null"
READ_JS = "() => ({...window.__bench, sig: undefined})"

TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "v8",
    "disabled-by-default-v8.cpu_profiler",
]

# Trace event names on the renderer's main thread, by kind (as Chrome's DevTools groups them).
SCRIPTING = {
    "EvaluateScript",
    "v8.compile",
    "v8.compileModule",
    "v8.evaluateModule",
    "FunctionCall",
    "TimerFire",
    "EventDispatch",
    "FireAnimationFrame",
    "FireIdleCallback",
    "RunMicrotasks",
    "V8.Execute",
    "v8.run",
    "XHRReadyStateChange",
    "XHRLoad",
    "MajorGC",
    "MinorGC",
    "V8.GCScavenger",
    "V8.GCCompactor",
    "V8.GCFinalizeMC",
    "V8.GC_MC_BACKGROUND_MARKING",
    "BlinkGC.AtomicPhase",
    "CpuProfiler::StartProfiling",
    "v8.parseOnBackground",
    "ParseAuthorStyleSheet",
    "WebSocketReceiveHandshakeResponse",
    "ResourceReceivedData",
}
RENDERING = {
    "UpdateLayoutTree",
    "Layout",
    "RecalculateStyles",
    "ScheduleStyleRecalculation",
    "HitTest",
    "PrePaint",
    "UpdateLayerTree",
    "Layerize",
    "ComputeIntersections",
    "LayoutShift",
    "IntersectionObserverController::computeIntersections",
}
PAINTING = {"Paint", "PaintImage", "CompositeLayers", "Commit", "Decode Image", "ImageDecodeTask"}


def _main_thread(events: list[dict[str, Any]]) -> tuple[int, int] | None:
    """(pid, tid) of the renderer main thread with the most timed events."""
    mains = {
        (e["pid"], e["tid"])
        for e in events
        if e.get("ph") == "M"
        and e.get("name") == "thread_name"
        and e.get("args", {}).get("name") == "CrRendererMain"
    }
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for e in events:
        key = (e.get("pid"), e.get("tid"))
        if key in mains and e.get("ph") == "X":
            counts[key] += 1
    return max(counts, key=counts.__getitem__) if counts else None


def _self_times(timed: list[dict[str, Any]]) -> dict[str, float]:
    """Self time (ms) of each event name: nested events are taken from their parent."""
    totals: dict[str, float] = defaultdict(float)
    stack: list[tuple[float, str]] = []  # (end, name) of the open events
    for event in sorted(timed, key=lambda e: (e["ts"], -e.get("dur", 0))):
        start, ms = float(event["ts"]), float(event.get("dur", 0)) / 1000
        while stack and stack[-1][0] <= start:
            stack.pop()
        if stack:
            totals[stack[-1][1]] -= ms
        totals[event["name"]] += ms
        stack.append((start + ms * 1000, event["name"]))
    return totals


def _profile_ms(events: list[dict[str, Any]], pid: int, plotly_marker: str) -> dict[str, Any]:
    """Time in the V8 CPU profile samples of the main thread: by script file (the leaf frame's
    URL) and the part with a Plotly frame anywhere on the stack."""
    parents: dict[int, int | None] = {}
    urls: dict[int, str] = {}
    by_file: dict[str, float] = defaultdict(float)
    plotly_inclusive = 0.0
    for e in events:
        if e.get("pid") != pid or e.get("name") != "ProfileChunk":
            continue
        data = e.get("args", {}).get("data", {})
        profile = data.get("cpuProfile", {})
        for node in profile.get("nodes", []):
            parents[node["id"]] = node.get("parent")
            urls[node["id"]] = node.get("callFrame", {}).get("url", "")
        deltas = data.get("timeDeltas", [])
        for sample, delta in zip(profile.get("samples", []), deltas, strict=False):
            ms = max(float(delta), 0.0) / 1000
            leaf = urls.get(sample, "")
            by_file[leaf.rsplit("/", 1)[-1] or "(native or idle)"] += ms
            frame: int | None = sample
            while frame is not None:
                if plotly_marker in urls.get(frame, ""):
                    plotly_inclusive += ms
                    break
                frame = parents.get(frame)
    files = sorted(
        ((n, t) for n, t in by_file.items() if n != "(native or idle)"), key=lambda x: -x[1]
    )
    return {
        "plotly_self_ms": round(sum(t for n, t in by_file.items() if plotly_marker in n), 1),
        "plotly_inclusive_ms": round(plotly_inclusive, 1),
        "top_script_files_self_ms": {n: round(t, 1) for n, t in files[:4]},
    }


def main_thread_times(trace: bytes, plotly_marker: str = "PlotlyChart") -> dict[str, Any]:
    """Busy time of the page's main thread (ms) by kind, and the part spent in Plotly."""
    events: list[dict[str, Any]] = json.loads(trace)["traceEvents"]
    main = _main_thread(events)
    if main is None:
        return {}
    timed = [
        e
        for e in events
        if (e.get("pid"), e.get("tid")) == main and e.get("ph") == "X" and "dur" in e
    ]
    tasks = [e for e in timed if e["name"] in ("RunTask", "ThreadControllerImpl::RunTask")]
    selfs = _self_times(timed)
    kinds = {"scripting": SCRIPTING, "rendering": RENDERING, "painting": PAINTING}
    result: dict[str, Any] = {"busy_ms": round(sum(e["dur"] for e in tasks) / 1000, 1)}
    for kind, names in kinds.items():
        result[f"{kind}_ms"] = round(sum(t for n, t in selfs.items() if n in names), 1)
    counted = sum(result[f"{k}_ms"] for k in kinds)
    result["other_ms"] = round(max(result["busy_ms"] - counted, 0.0), 1)
    result.update(_profile_ms(events, main[0], plotly_marker))
    return result
