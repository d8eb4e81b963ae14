"""Browser tier: crafted links put nothing on any page.

Every page, the audience view included, is opened with links whose known parameters and
unknown parameter names carry Markdown links and images, HTML and `javascript:`. In
Chromium, no page may then hold an anchor or image pointing off the site, nor request
anything from another host (such requests are refused and recorded, never sent).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode, urlparse

import pytest

from fixtures.pact import PARTNERSHIPS
from tests.browser.conftest import SCREENSHOTS, server_log_tail
from tests.browser.settle import settle

pytestmark = pytest.mark.browser

LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
LINK = "[Click here to log in](https://evil.example/login)"
IMAGE = "![t](http://evil.example/p.png)"
HTML = "<img src=http://evil.example/h.png><a href=https://evil.example/a>a</a><script>alert(1)</script>"
SCRIPT_LINK = "[x](javascript:alert(1))"
# Addresses the store holds on purpose: the profile links its partnership's website.
STORED_WEBSITES = {p.website for p in PARTNERSHIPS if p.website}

# Per page: (path, the page's own parameters); each page is opened twice, once with the
# Markdown payloads and once with the HTML and javascript: ones.
PAGES: list[tuple[str, tuple[str, ...]]] = [
    ("", ()),
    ("growth", ("by", "period", "chart")),
    ("gender", ("lines", "chart")),
    ("skills", ("chart",)),
    ("partnerships", ("chart",)),
    ("profile", ("p", "chart")),
    ("map", ("view",)),
    ("present", ("slides", "theme", "spot", "every")),
    ("data", ()),
]
# Every anchor, image and other fetched element, resolved by the browser.
OFF_SITE_SCRIPT = """() => {
  const found = [];
  for (const el of document.querySelectorAll('a[href], area[href]')) found.push(['a', el.href, el.textContent]);
  for (const el of document.querySelectorAll('img, image, source, iframe, video, audio, embed, object')) {
    for (const name of ['src', 'href', 'xlink:href', 'data', 'srcset', 'poster']) {
      const value = el.getAttribute(name);
      if (value) found.push([el.tagName.toLowerCase(), new URL(value.split(' ')[0], document.baseURI).href, '']);
    }
  }
  return found;
}"""


def crafted_query(own: tuple[str, ...], markdown: bool) -> str:
    """A query string that carries the payloads in the global filters, in the page's own
    parameters and in an unknown parameter's name."""
    first, second = (LINK, IMAGE) if markdown else (HTML, SCRIPT_LINK)
    params = {"eco": first, "lsp": second, "type": second, "country": first}
    for i, name in enumerate(own):
        params[name] = first if i % 2 == 0 else second
    params[first] = "1"  # an unknown parameter named by the payload
    return urlencode(params, quote_via=quote)


def is_local(url: str) -> bool:
    """Whether a URL stays on the site (data: and blob: URLs load nothing from anywhere)."""
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return True
    host = parsed.hostname or ""
    return host in LOCAL_HOSTS or host.startswith("127.")


def off_site(page: Any) -> list[str]:
    """Anchors and images of the page that point off the site or run script."""
    wrong = []
    for tag, url, text in page.evaluate(OFF_SITE_SCRIPT):
        if url.startswith("javascript:") or not is_local(url):
            if tag == "a" and text == "Website" and url in STORED_WEBSITES:
                continue
            wrong.append(f"<{tag}> {url} {text!r}")
    return wrong


def settle_notices(page: Any) -> None:
    """Wait until the Streamlit script has run and drawn its notices."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=60_000)
    page.wait_for_selector('[data-testid="stAlert"]', state="attached", timeout=60_000)
    settle(page)


def quotes(page: Any, text: str) -> bool:
    """Whether the page's text (hidden parts included, word joiners left out) comes to
    quote `text`, in any case, within a minute."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """(wanted) => document.body.textContent.replaceAll('\\u2060', '')
                .toLowerCase().includes(wanted)""",
            arg=text.lower(),
            timeout=60_000,
        )
    except PlaywrightTimeout:
        return False
    return True


def test_crafted_links_put_nothing_on_any_page(app_url: str, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    refused: list[str] = []

    def guard(route: Any) -> None:
        if is_local(route.request.url):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    problems: list[str] = []
    try:
        for path, own in PAGES:
            for markdown in (True, False):
                url = f"{app_url}/{path}?{crafted_query(own, markdown)}"
                page.goto(url, wait_until="domcontentloaded")
                where = f"/{path} ({'Markdown' if markdown else 'HTML'})"
                # the notices quote the payload as text
                payload = LINK if markdown else HTML
                if not quotes(page, payload[:30]):
                    problems.append(f"{where}: the notice does not quote {payload[:30]!r}")
                settle_notices(page)
                problems += [f"{where}: {item}" for item in off_site(page)]
                if markdown and path in ("profile", ""):
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    shot = SCREENSHOTS / f"crafted-link-{path or 'overview'}.png"
                    page.screenshot(path=str(shot), full_page=True)
        for markdown in (True, False):
            query = crafted_query(("slides", "theme", "spot", "every"), markdown)
            page.goto(f"{app_url}/live?{query}", wait_until="load")
            page.wait_for_timeout(1_000)
            problems += [f"/live: {item}" for item in off_site(page)]
    finally:
        context.close()
    assert not problems, "\n".join(problems) + "\n" + server_log_tail(app_url, 10)
    assert not refused, f"requests to other hosts: {sorted(set(refused))}"
