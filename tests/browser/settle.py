"""Waiting for a Streamlit page to be drawn and still, instead of sleeping a fixed time.

A page is settled when its script run is over (stApp's data-test-script-state), no status
widget shows, nothing is stale or a placeholder, the main area holds an element, every Plotly
chart has its svg, and all of that has held for `hold_ms` (a run that asks for another one
right away is not over). The same idea as bench/browser_probe.py, for tests: it returns as
soon as the page is ready rather than after the longest wait a slow machine might need.
"""

from __future__ import annotations

from typing import Any

SETTLED_JS = """(hold) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const done = !!app && app.getAttribute('data-test-script-state') === 'notRunning' &&
    !!document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]') &&
    !document.querySelector('[data-testid="stStatusWidget"]') &&
    !document.querySelector('[data-stale="true"], [data-testid="stSkeleton"]') &&
    [...document.querySelectorAll('.js-plotly-plot')].every(p => !!p.querySelector('.main-svg'));
  if (!done) { window.__settledFrom = null; return false; }
  const now = performance.now();
  if (window.__settledFrom == null) window.__settledFrom = now;
  return now - window.__settledFrom >= hold;
}"""


def settle(page: Any, *, hold_ms: int = 300, timeout_ms: int = 60_000) -> None:
    """Until the page is drawn and has stayed so for `hold_ms`."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.evaluate("window.__settledFrom = null")
    page.wait_for_function(SETTLED_JS, arg=hold_ms, timeout=timeout_ms, polling=50)
