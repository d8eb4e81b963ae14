"""Streamlit side of the Present page: the deck in the URL and the session, the chrome-less
stage, the slide fragment that advances and refreshes itself, and the deck settings.

Slides come from presenter.live (public data, shared with the audience view), so the
projector shows exactly what the phones show, whoever is signed in on the laptop.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import streamlit as st

from data_access import FilterOptions, Filters
from i18n import N_, _, language
from presenter.deck import (
    DECK_PARAMS,
    DEFAULT_SLIDES,
    DEFAULT_THEME,
    MAX_INTERVAL,
    SLIDES,
    THEMES,
    Deck,
    deck_params,
    deck_query,
    parse_deck,
)
from presenter.html import position_html, stage_html
from presenter.live import LiveService, service
from settings import get_settings
from ui.page_errors import reported
from views.format import short_points, signed

LIVE_SECONDS = 2.0  # how often the slides check the data version
TIMER_SECONDS = 1.0  # how often an advancing deck checks its timer
MARK_SECONDS = 180  # how long a changed number stays marked
PUBLIC_URL_ENV = "PACT_PUBLIC_URL"
K_SLIDES, K_EVERY = "present_slides", "present_every"
K_THEME, K_SPOT = "present_theme", "present_spot"
K_INDEX, K_PAUSED, K_SINCE = "present_index", "present_paused", "present_since"
K_SEEN, K_MARKS, K_APPLIED = "present_seen", "present_marks", "present_url_applied"
K_SIDEBAR, K_NOTICES, K_MARKUP = "present_show_sidebar", "present_notices", "present_markup"
LARGEST = N_("(the largest in the filters)")  # the spotlight's default, as a choice

CHROME_CSS = """
<style>
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], [data-testid="stMain"] [data-testid="stAlert"] {display: none;}
[data-testid="stMainBlockContainer"] {padding: 0; max-width: 100%;}
[data-testid="stMain"] {padding: 0;}
.pact-deck.stage {position: fixed; inset: 0; overflow: auto; z-index: 100;}
.pact-deck.stage h2, .pact-deck.stage h3 {padding: 0; scroll-margin: 0;}
.pact-deck.stage p {margin: 0 0 .8em;}
.st-key-present_nav {position: fixed; bottom: 1.2vh; left: 50%; transform: translateX(-50%);
  z-index: 999; width: auto;}
.st-key-present_settings {position: fixed; bottom: 1.2vh; right: 1.5vw; z-index: 999;
  width: auto;}
</style>
"""
HIDE_SIDEBAR_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"] {display: none;}
</style>
"""
WITH_SIDEBAR_CSS = "<style>.pact-deck.stage {position: static; min-height: 92vh;}</style>"
# The page behind the stage and the slide number next to the buttons, in the deck's theme.
THEME_CSS = {
    "dark": "[data-testid='stApp'] {background: #0f1720;} .pact-now {color: #f5f7fa;}",
    "light": "[data-testid='stApp'] {background: #ffffff;} .pact-now {color: #1f1f1f;}",
    "contrast": "[data-testid='stApp'] {background: #000000;} .pact-now {color: #ffffff;}",
}


def html_block(markup: str) -> str:
    """Our markup for st.markdown(unsafe_allow_html=True), kept one HTML block.

    Markdown reads a block that opens with a tag as HTML only up to the first blank line; a
    blank line in a value (a stored name, say) would let what follows be read as Markdown,
    links and images included. Values are HTML-escaped; no line of the block is left blank.
    """
    return re.sub(r"\n\s*\n", "\n", markup)


def _deck_param_values() -> dict[str, str]:
    return {name: st.query_params[name] for name in DECK_PARAMS if name in st.query_params}


def _apply_url(options: FilterOptions, filters: Filters) -> None:
    """Put the URL's deck (slides, every, theme, spot) into the settings once per new URL."""
    values = _deck_param_values()
    if K_SLIDES in st.session_state and values == st.session_state.get(K_APPLIED):
        return
    parsed = parse_deck(values, options)  # the filters come from the sidebar (ctx.filters)
    deck = parsed.deck
    st.session_state[K_SLIDES] = list(deck.slides)
    st.session_state[K_EVERY] = deck.interval
    st.session_state[K_THEME] = deck.theme
    st.session_state[K_SPOT] = deck.spotlight or LARGEST
    st.session_state[K_APPLIED] = values
    st.session_state[K_NOTICES] = list(parsed.notices)
    st.session_state.setdefault(K_INDEX, 0)
    st.session_state.setdefault(K_PAUSED, False)
    st.session_state[K_SINCE] = time.monotonic()


def current_deck(filters: Filters) -> Deck:
    """The deck the settings hold, following the global filters."""
    slides = tuple(s for s in st.session_state.get(K_SLIDES, DEFAULT_SLIDES) if s in SLIDES)
    spot = st.session_state.get(K_SPOT)
    return Deck(
        filters=filters,
        slides=slides or DEFAULT_SLIDES,
        interval=int(st.session_state.get(K_EVERY, 0) or 0),
        theme=str(st.session_state.get(K_THEME, DEFAULT_THEME)),
        spotlight=None if spot in (None, LARGEST) else str(spot),
    )


def _write_url(deck: Deck, options: FilterOptions) -> None:
    wanted = {k: v for k, v in deck_params(deck, options).items() if k in DECK_PARAMS}
    for name in DECK_PARAMS:
        if name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and name in st.query_params:
            del st.query_params[name]
    st.session_state[K_APPLIED] = _deck_param_values()


def read_deck(options: FilterOptions, filters: Filters) -> Deck:
    """The deck of this run: from the URL on arrival, then from the settings; mirrored back
    into the URL so the address bar always reproduces the deck."""
    _apply_url(options, filters)
    deck = current_deck(filters)
    _write_url(deck, options)
    return deck


def public_base_url() -> str:
    """Where phones reach this server: PACT_PUBLIC_URL, else the presenter's own address."""
    configured = get_settings().public_url
    if configured:
        return configured
    url = st.context.url or "http://localhost:8501"
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def stage_css(theme: str, show_sidebar: bool) -> None:
    """Hide Streamlit's chrome (and the sidebar unless asked for); load the deck's styles."""
    live = service()
    css = live.assets.css
    sidebar = WITH_SIDEBAR_CSS if show_sidebar else HIDE_SIDEBAR_CSS
    themed = THEME_CSS.get(theme, THEME_CSS[DEFAULT_THEME])
    st.html(f"<style>{css}</style>{CHROME_CSS}{sidebar}<style>{themed}</style>")


def settings(deck: Deck, options: FilterOptions, partnerships: dict[str, str]) -> None:
    """The deck's settings in a small popover at the bottom right."""
    with st.container(key="present_settings"), st.popover(_("Deck"), icon=":material/tune:"):
        st.multiselect(
            _("Slides, in the order picked"),
            list(SLIDES),
            format_func=lambda slide: _(SLIDES[slide]),
            key=K_SLIDES,
            help=_("Remove a slide and add it again to move it to the end."),
        )
        st.number_input(
            _("Advance every (seconds, 0 = by hand)"),
            min_value=0,
            max_value=MAX_INTERVAL,
            step=5,
            key=K_EVERY,
        )
        st.segmented_control(
            _("Theme"),
            list(THEMES),
            format_func=lambda theme: _(THEMES[theme]),
            key=K_THEME,
            required=True,
        )
        in_scope = [
            s
            for s in partnerships
            if not deck.filters.partnerships or s in deck.filters.partnerships
        ]
        st.selectbox(
            _("Spotlight"),
            [LARGEST, *in_scope],
            format_func=lambda s: _(LARGEST) if s == LARGEST else partnerships.get(s, s),
            key=K_SPOT,
        )
        st.toggle(
            _("Show the filters"),
            key=K_SIDEBAR,
            help=_("The deck follows the global filters."),
        )
        query = deck_query(deck, options)
        st.caption(_("This link reproduces the deck (slides, order, timing, theme and filters):"))
        st.code(f"{public_base_url()}/present" + (f"?{query}" if query else ""), language=None)
        st.caption(
            _(
                "Phones open the audience view at the address above. If the audience reaches "
                "this server under another name, set {variable}."
            ).format(variable=PUBLIC_URL_ENV)
        )


def _marks(live_tiles: dict[str, float | None], deck_key: str) -> dict[str, str]:
    """Marks on the numbers that changed since this presenter last saw them."""
    seen: dict[str, dict[str, float | None]] = st.session_state.setdefault(K_SEEN, {})
    marks: dict[str, tuple[str, float]] = st.session_state.setdefault(K_MARKS, {})
    before = seen.get(deck_key)
    now = time.monotonic()
    if before is not None:
        for key, value in live_tiles.items():
            old = before.get(key)
            if value is None or old is None or value == old:
                continue
            diff = value - old
            arrow = "▲" if diff > 0 else "▼"
            change = short_points(diff) if key.endswith((".women", ".pledge")) else signed(diff)
            # Translators: a changed number on a slide, e.g. "▲ +12 at 14:05".
            text = _("{arrow} {change} at {time}").format(
                arrow=arrow, change=change, time=time.strftime("%H:%M")
            )
            marks[f"{deck_key}|{key}"] = (text, now + MARK_SECONDS)
    seen[deck_key] = live_tiles
    for key in [k for k, (_text, until) in marks.items() if until < now]:
        del marks[key]
    prefix = f"{deck_key}|"
    return {k[len(prefix) :]: text for k, (text, _until) in marks.items() if k.startswith(prefix)}


def _go(step: int, total: int) -> None:
    st.session_state[K_INDEX] = (int(st.session_state.get(K_INDEX, 0)) + step) % total
    st.session_state[K_SINCE] = time.monotonic()


def _jump(index: int) -> None:
    st.session_state[K_INDEX] = index
    st.session_state[K_SINCE] = time.monotonic()


@st.fragment(run_every=LIVE_SECONDS)
@reported("present")
def deck_view(filters: Filters, options: FilterOptions) -> None:
    """Every slide of the deck; reruns alone every tick and redraws only when data changed.

    An unchanged tick sends the same markup, which the browser leaves as it is.
    """
    live: LiveService = service()
    deck = current_deck(filters)
    version = live.version()
    content = live.content(deck, version)
    deck_key = deck_query(deck.for_audience(), options)
    marks = _marks({t.key: t.raw for t in content.tiles}, deck_key)
    share = live.share_link(deck, public_base_url(), version)
    live.prepare_view(deck_key, public_base_url())  # the first phone finds its page ready
    notices = st.session_state.get(K_NOTICES) or []
    status = " · ".join([_("live: figures update by themselves"), *notices])
    # Built again only when something shown changed; an unchanged tick sends the same text.
    marked = tuple(sorted(marks.items()))
    inputs = (deck_key, version, deck.theme, share.short_url, marked, status, language())
    cached = st.session_state.get(K_MARKUP)
    if cached is None or cached[0] != inputs:
        markup = stage_html(content, theme=deck.theme, share=share, marks=marks, status=status)
        st.session_state[K_MARKUP] = cached = (inputs, markup)
    # st.markdown keeps inline SVG (st.html's sanitiser drops it); the markup is ours, with
    # every data value escaped.
    st.markdown(html_block(cached[1]), unsafe_allow_html=True)


def slide_nav(filters: Filters) -> None:
    """Which slide shows and the buttons; ticks only while the deck advances by itself."""
    nav = reported("present")(_slide_nav)
    st.fragment(nav, run_every=TIMER_SECONDS if _ticking() else None)(filters, _ticking())


def _ticking() -> bool:
    return bool(st.session_state.get(K_EVERY)) and not st.session_state.get(K_PAUSED)


def _toggle_pause() -> None:
    st.session_state[K_PAUSED] = not st.session_state.get(K_PAUSED, False)
    st.session_state[K_SINCE] = time.monotonic()


def _slide_nav(filters: Filters, ticking: bool) -> None:
    """The fragment of slide_nav: a click reruns only this, never the slides."""
    if ticking != _ticking():
        st.rerun(scope="app")  # paused or resumed: the timer starts or stops
    deck = current_deck(filters)
    total = len(deck.slides)
    index = int(st.session_state.get(K_INDEX, 0)) % total
    paused = bool(st.session_state.get(K_PAUSED, False))
    since = float(st.session_state.get(K_SINCE, time.monotonic()))
    if deck.interval and not paused and time.monotonic() - since >= deck.interval:
        _go(1, total)
        index = int(st.session_state[K_INDEX])
    if not deck.interval:
        timing = "← →"
    elif paused:
        timing = _("paused")
    else:
        timing = _("every {seconds} s").format(seconds=deck.interval)
    with st.container(key="present_nav", horizontal=True, gap="small"):
        st.button(
            _("Previous"),
            icon=":material/chevron_left:",
            key="present_prev",
            shortcut="Left",
            on_click=_go,
            args=(-1, total),
        )
        st.markdown(
            html_block(position_html(deck.slides[index], (index, total), timing)),
            unsafe_allow_html=True,
        )
        st.button(
            _("Next"),
            icon=":material/chevron_right:",
            key="present_next",
            shortcut="Right",
            on_click=_go,
            args=(1, total),
        )
        if deck.interval:
            st.button(
                _("Resume") if paused else _("Pause"),
                key="present_pause",
                shortcut="P",
                icon=":material/play_arrow:" if paused else ":material/pause:",
                on_click=_toggle_pause,
            )
        if "share" in deck.slides:
            st.button(
                _("Share"),
                icon=":material/qr_code_2:",
                key="present_share",
                shortcut="S",
                on_click=_jump,
                args=(deck.slides.index("share"),),
            )
