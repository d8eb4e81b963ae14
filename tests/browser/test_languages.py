"""Browser tier, languages: the URL's `lang=`, the browser's Accept-Language and the sidebar's
picker choose the language; the page declares it (`<html lang>`); in the pseudo-locale no
English is left in the navigation, the widget labels or the headings.

What the words are in German or Greek is what the catalogs say (tests compare with them, so
a translation added later keeps the tests true); the names of countries come from Babel.
Screenshots in German and Greek, on a desktop and a phone, land in artifacts/screenshots/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from i18n import _, using
from i18n.catalogs import TEMPLATE
from tests.browser.conftest import SCREENSHOTS
from tests.browser.settle import settle
from tests.browser.test_accessibility import DECLARING

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 1000}
PHONE = {"width": 390, "height": 844}
NAVIGATION = [
    "Overview",
    "Growth",
    "Gender balance",
    "Skills delivered",
    "Partnerships",
    "Members",
    "Partnership profile",
    "Map",
    "Present",
    "Data",
    "How figures are protected",
]
NAV_LABELS = '[data-testid="stSidebarNav"] [data-testid="stSidebarNavLink"]'
PSEUDO_TEXT = re.compile(r"⟦.*⟧", re.DOTALL)


def open_page(browser: Any, url: str, **context: Any) -> tuple[Any, Any]:
    """A new browser context on `url`, once its script has finished; (context, page)."""
    opened = browser.new_context(**{"viewport": DESKTOP, **context})
    page = opened.new_page()
    page.goto(url, wait_until="domcontentloaded")
    wait_until_idle(page)
    return opened, page


def wait_until_idle(page: Any) -> None:
    """Wait until the script has finished and the charts are drawn."""
    page.wait_for_selector('[data-testid="stSidebarNav"]', state="attached", timeout=90_000)
    page.wait_for_selector(DECLARING, state="attached", timeout=60_000)
    page.wait_for_selector('[data-testid="stMain"] h1', timeout=60_000)
    page.wait_for_selector(
        '[data-testid="stSidebar"] [data-testid="stWidgetLabel"]', timeout=60_000
    )
    settle(page)


def html_lang(page: Any) -> str:
    return str(page.evaluate("document.documentElement.lang"))


def nav_labels(page: Any) -> list[str]:
    """The navigation's labels (without the icons' ligature names), the menu opened in full
    (Streamlit folds a long one behind "View more")."""
    more = page.get_by_test_id("stSidebarNavViewButton")
    if more.count() and "more" in more.inner_text():
        more.click()
        page.wait_for_function(
            "document.querySelector('[data-testid=stSidebarNavViewButton]')"
            ".innerText.includes('less')"
        )
    texts = page.locator(NAV_LABELS).all_inner_texts()
    return [text.strip().splitlines()[-1].strip() for text in texts]


def in_language(code: str, *messages: str) -> list[str]:
    with using(code):
        return [_(message) for message in messages]


def chosen_countries(page: Any) -> list[str]:
    """The names of the countries the Countries filter holds (its tags in the sidebar)."""
    tags = page.locator(
        '[data-testid="stSidebar"] [data-testid="stMultiSelectTagsContainer"] > span'
    )
    tags.first.wait_for(timeout=30_000)
    return [text.strip() for text in tags.all_inner_texts() if text.strip()]


def language_of(page: Any) -> str:
    tag = html_lang(page)
    return "qps" if tag == "en-XA" else tag


@pytest.mark.parametrize(
    ("path", "code", "country"),
    [("growth?lang=de&country=DE", "de", "Deutschland"), ("?lang=el&country=GR", "el", "Ελλάδα")],
)
def test_the_url_names_the_language(
    app_url: str, browser: Any, path: str, code: str, country: str
) -> None:
    context, page = open_page(browser, f"{app_url}/{path}")
    try:
        assert html_lang(page) == code
        holder = "document.querySelector('.st-key-page_language').parentElement"
        assert page.evaluate(f"getComputedStyle({holder}).display") == "none", "it takes room"
        assert page.title() == in_language(code, "Pact for Skills dashboard")[0]
        shown = nav_labels(page)
        assert shown[: len(NAVIGATION)] == in_language(code, *NAVIGATION)
        assert country in chosen_countries(page)  # Babel's name of the country in the language
        assert f"lang={code}" in page.url, "the language stays in the URL"
    finally:
        context.close()


def test_no_english_is_left_in_the_pseudo_locale(app_url: str, browser: Any) -> None:
    """Every navigation label, widget label and heading is a translated message: in the
    pseudo-locale each is accented and bracketed (⟦…⟧)."""
    template = TEMPLATE.read_text(encoding="utf-8") if TEMPLATE.exists() else ""
    assert 'msgid "Language"' in template, "the template is stale: run python -m i18n update"
    for path in ("?lang=qps", "growth?lang=qps"):
        context, page = open_page(browser, f"{app_url}/{path}")
        try:
            assert html_lang(page) == "en-XA"  # qps is no BCP 47 tag (docs/url-parameters.md)
            labels = page.locator('[data-testid="stWidgetLabel"]').all_inner_texts()
            headings = page.locator(
                '[data-testid="stMain"] :is(h1, h2, h3), [data-testid="stSidebar"] :is(h1, h2, h3)'
            ).all_inner_texts()
            texts = {
                "navigation": nav_labels(page),
                "widget labels": [text.strip() for text in labels if text.strip()],
                "headings": [text.strip() for text in headings if text.strip()],
                "title": [page.title()],
            }
            assert all(texts.values()), texts
            english = {
                kind: [text for text in shown if not PSEUDO_TEXT.search(text)]
                for kind, shown in texts.items()
            }
            assert not any(english.values()), f"English left on /{path}: {english}"
        finally:
            context.close()


def test_the_picker_switches_language_and_keeps_it_in_the_url(app_url: str, browser: Any) -> None:
    context, page = open_page(browser, f"{app_url}/growth?eco=health")
    try:
        assert html_lang(page) == "en"
        page.locator('[data-testid="stSidebar"] input[aria-label="Language"]').click()
        page.locator('[role="option"]', has_text="Deutsch").click()
        page.wait_for_function("document.documentElement.lang === 'de'", timeout=30_000)
        page.wait_for_url(re.compile(r"lang=de"), timeout=30_000)
        wait_until_idle(page)
        assert "eco=health" in page.url, "the filters stay in the URL"
        assert nav_labels(page)[: len(NAVIGATION)] == in_language("de", *NAVIGATION)
        # Another page of the same session keeps the language, and the URL says so.
        (members,) = in_language("de", "Members")
        page.locator(NAV_LABELS, has_text=members).first.click()
        page.wait_for_url(re.compile(r"/members\?"), timeout=30_000)
        wait_until_idle(page)
        page.wait_for_url(re.compile(r"lang=de"), timeout=30_000)
        assert html_lang(page) == "de"
    finally:
        context.close()


def test_the_browser_language_is_spoken_when_the_url_names_none(app_url: str, browser: Any) -> None:
    context, page = open_page(browser, f"{app_url}/", locale="el-GR")
    try:
        assert html_lang(page) == "el"
        assert nav_labels(page)[: len(NAVIGATION)] == in_language("el", *NAVIGATION)
        assert "lang=" not in page.url, "a language only preferred is not written in the URL"
    finally:
        context.close()
    context, page = open_page(browser, f"{app_url}/?lang=de", locale="el-GR")
    try:
        assert html_lang(page) == "de", "the URL's language comes before the browser's"
    finally:
        context.close()


def test_an_unknown_language_gives_a_notice_and_english(app_url: str, browser: Any) -> None:
    context, page = open_page(browser, f"{app_url}/?lang=klingon&eco=health")
    try:
        assert html_lang(page) == "en"
        page.get_by_text("Unknown language 'klingon' for 'lang' ignored").wait_for(timeout=10_000)
        assert "lang=" not in page.url and "eco=health" in page.url
    finally:
        context.close()


@pytest.mark.parametrize(
    ("code", "width"),
    [("de", "desktop"), ("el", "phone"), ("qps", "desktop"), ("qps", "phone")],
)
def test_pages_fit_the_screen_in_long_languages(
    app_url: str, browser: Any, code: str, width: str
) -> None:
    """German and Greek (longer words than English) and the pseudo-locale (every message
    40% longer, longer than either) on a desktop and a phone: nothing is wider than the
    window."""
    viewport = DESKTOP if width == "desktop" else PHONE
    for path in ("", "growth", "data"):
        context, page = open_page(browser, f"{app_url}/{path}?lang={code}", viewport=viewport)
        try:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            name = f"lang-{code}-{width}-{path or 'overview'}.png"
            page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
            overflow = page.evaluate(
                "() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth"
                " - document.querySelector('[data-testid=\"stMain\"]').clientWidth"
            )
            assert overflow <= 1, f"/{path} in {code} on a {width} is {overflow}px too wide"
            cut = page.evaluate(
                "() => [...document.querySelectorAll('[data-testid=\"stMetricLabel\"] p')]"
                ".filter(p => p.getBoundingClientRect().width > p.parentElement.clientWidth + 1)"
                ".map(p => p.textContent)"
            )
            assert cut == [], f"tile labels cut short on /{path} in {code} on a {width}: {cut}"
        finally:
            context.close()


@pytest.mark.parametrize("path", ["gender?chart=trend&lang=el", "skills?chart=treemap&lang=qps"])
def test_every_tab_of_charts_is_in_view_on_a_phone(app_url: str, browser: Any, path: str) -> None:
    """On a phone, in a long language, the tab bar of a page's charts shows every tab (the
    row wraps) rather than scrolling some out of view: the open tab, named by the link, among
    them."""
    context, page = open_page(browser, f"{app_url}/{path}", viewport=PHONE)
    try:
        tabs = page.evaluate(
            """() => {
              const list = document.querySelector('[data-testid="stTabs"] [role="tablist"]');
              const box = list.getBoundingClientRect();
              return [...list.querySelectorAll('[role="tab"]')].map(tab => {
                const r = tab.getBoundingClientRect();
                return {text: tab.textContent, open: tab.getAttribute('aria-selected') === 'true',
                        inside: r.left >= box.left - 1 && r.right <= box.left + list.clientWidth + 1
                                && r.right <= innerWidth};
              });
            }"""
        )
        assert len(tabs) == 5, tabs
        assert [t["text"] for t in tabs if not t["inside"]] == [], tabs
        assert [i for i, t in enumerate(tabs) if t["open"]] == [3 if "trend" in path else 4], tabs
    finally:
        context.close()
