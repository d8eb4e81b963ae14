"""The live deck service: the data version, and renders shared by every viewer.

Everything a viewer gets is computed once per (link, language, data version) and then served
from memory to all of them: the slide content (also used by the Present page), the audience
page and its small JSON feed, each with an ETag and a gzip copy. The data version is read
from the store at most once a second, so polling phones cost no query.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar
from urllib.parse import parse_qs

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from data_access import FilterOptions
from i18n import language, parse_language, using
from presenter import data as deck_data
from presenter.content import DeckContent, deck_content
from presenter.deck import LANGUAGE_PARAM, Deck, audience_query, parse_deck
from presenter.html import PageAssets, ShareLink, audience_page
from presenter.links import qr_svg, short_code, stored_code
from store import open_store
from views.format import exact_number
from views.url_state import to_query_params

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

POLL_SECONDS = 5  # how often a phone asks whether the numbers changed
VERSION_TTL = 1.0  # seconds a read data version is trusted
STATIC = Path(__file__).resolve().parent.parent / "static"
# Bodies from this size on are kept gzipped too. At or below the smallest size the server's
# own gzip middleware compresses (Starlette's default, 500 bytes), so that it never compresses
# (and adds a second "Vary: Accept-Encoding" to) a body these routes send.
GZIP_MINIMUM = 500


class SharedCache(Generic[K, V]):
    """A bounded LRU whose values are computed once per key, however many ask at once.

    Threads (Streamlit script runs) call get(); the event loop awaits aget(), which never
    blocks: a cached value returns at once, a missing one is computed by one worker thread
    while every other request for it awaits the same result.
    """

    def __init__(self, max_entries: int) -> None:
        self._max = max_entries
        self._entries: OrderedDict[K, Future[V]] = OrderedDict()
        self._lock = threading.Lock()

    def _future(self, key: K) -> tuple[Future[V], bool]:
        with self._lock:
            future = self._entries.get(key)
            if future is not None:
                self._entries.move_to_end(key)
                return future, False
            future = Future()
            self._entries[key] = future
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
            return future, True

    def _fill(self, key: K, future: Future[V], build: Callable[[], V]) -> None:
        try:
            future.set_result(build())
        except BaseException as error:
            future.set_exception(error)
            with self._lock:
                if self._entries.get(key) is future:
                    del self._entries[key]  # the next request tries again

    def get(self, key: K, build: Callable[[], V]) -> V:
        """The value for key, computed by build() if no one has yet."""
        future, owner = self._future(key)
        if owner:
            self._fill(key, future, build)
        return future.result()

    async def aget(self, key: K, build: Callable[[], V]) -> V:
        """The same from the event loop, computing in a worker thread."""
        future, owner = self._future(key)
        if future.done():
            return future.result()
        if owner:
            await run_in_threadpool(self._fill, key, future, build)
            return future.result()
        return await asyncio.wrap_future(future)

    def has(self, key: K) -> bool:
        """True when the key is computed or being computed."""
        with self._lock:
            return key in self._entries

    def clear(self) -> None:
        """Forget every value (tests)."""
        with self._lock:
            self._entries.clear()


@dataclass(frozen=True)
class Rendered:
    """A response body computed once: plain and gzip bytes, its ETag and media type."""

    body: bytes
    gzipped: bytes | None
    etag: str
    media_type: str

    @classmethod
    def of(cls, body: bytes, media_type: str, tag: str = "") -> Rendered:
        """Wrap bytes: gzip copy for anything worth compressing, ETag from the content."""
        digest = hashlib.blake2b(body, digest_size=8).hexdigest()
        worth = len(body) >= GZIP_MINIMUM
        packed = gzip.compress(body, compresslevel=6, mtime=0) if worth else None
        return cls(body=body, gzipped=packed, etag=f'"{tag}{digest}"', media_type=media_type)


@dataclass(frozen=True)
class AudienceView:
    """The audience page and feed of one link in one language at one data version."""

    page: Rendered
    feed: Rendered
    query: str  # the canonical audience query the link stands for
    deck: Deck
    notices: tuple[str, ...]


def feed_json(content: DeckContent, page_etag: str) -> bytes:
    """The live feed: data version, when it changed, every headline number."""
    tiles = {
        t.key: {"value": t.value, "raw": exact_number(t.raw), "delta": t.delta}
        for t in content.tiles
    }
    payload = {
        "version": content.version,
        "last_changed": content.last_changed,
        "as_of": content.as_of,
        "page": page_etag,
        "tiles": tiles,
    }
    return json.dumps(payload, separators=(",", ":")).encode("utf-8")


def load_assets() -> PageAssets:
    """The audience view's stylesheet, script and icon (a data: URI: no favicon request)."""
    icon = base64.b64encode((STATIC / "favicon.png").read_bytes()).decode("ascii")
    return PageAssets(
        css=(STATIC / "present" / "deck.css").read_text(encoding="utf-8"),
        js=(STATIC / "present" / "live.js").read_text(encoding="utf-8"),
        icon=f"data:image/png;base64,{icon}",
    )


class LiveService:
    """Data version, slide content and audience views of one store, shared by all viewers."""

    def __init__(self, engine: Callable[[], Engine], *, poll_seconds: int = POLL_SECONDS) -> None:
        self._engine_factory = engine
        self._engine_seen: tuple[int, Engine] | None = None
        self.poll_seconds = poll_seconds
        self.assets = load_assets()
        # Keys carry the engine too: a test (or a changed DATABASE_URL) gets another store.
        self._versions: SharedCache[tuple[Engine, int], int] = SharedCache(4)
        self._options: SharedCache[tuple[Engine, int], FilterOptions] = SharedCache(4)
        # Slide content and views hold words: their keys carry the language.
        self._content: SharedCache[tuple[Engine, Deck, int, str], DeckContent] = SharedCache(64)
        self._views: SharedCache[tuple[Engine, str, str, int, str], AudienceView] = SharedCache(256)
        self._shares: SharedCache[tuple[Engine, Deck, str, int, str | None], ShareLink] = (
            SharedCache(64)
        )

    def _engine(self) -> Engine:
        """The store's engine, asked of the factory at most once a second: the dashboard's
        factory is a Streamlit cached function, too slow to call for every request."""
        bucket = int(time.monotonic() / VERSION_TTL)
        seen = self._engine_seen
        if seen is None or seen[0] != bucket:
            seen = self._engine_seen = (bucket, self._engine_factory())
        return seen[1]

    def _version_key(self) -> tuple[Engine, int]:
        return self._engine(), int(time.monotonic() / VERSION_TTL)

    def version(self) -> int:
        """The data version, read from the store at most once a second."""
        engine, bucket = self._version_key()
        return self._versions.get((engine, bucket), lambda: deck_data.dataset_state(engine).version)

    async def aversion(self) -> int:
        """The data version, from the event loop."""
        engine, bucket = self._version_key()
        return await self._versions.aget(
            (engine, bucket), lambda: deck_data.dataset_state(engine).version
        )

    def options(self, version: int) -> FilterOptions:
        """The filter choices at a data version."""
        engine = self._engine()
        return self._options.get((engine, version), lambda: deck_data.filter_options(engine))

    def content(self, deck: Deck, version: int) -> DeckContent:
        """The content of every slide of a deck at a data version, in the current language
        (shared by all views in it)."""
        audience = deck.for_audience()
        engine = self._engine()
        code = language()

        def build() -> DeckContent:
            with using(code):
                return deck_content(deck_data.deck_data(engine, audience), audience)

        return self._content.get((engine, audience, version, code), build)

    def share_link(
        self, deck: Deck, base_url: str, version: int, *, register: bool = True
    ) -> ShareLink:
        """The audience URL of a deck, its short link and its QR code.

        register: store the short code (the Present page, so that every replica resolves
        it); the audience view only looks it up, so a request for a deck nobody presents
        writes nothing, and its QR code then carries the full URL.
        """
        audience = deck.for_audience()
        query = audience_query(audience, self.options(version))
        # registered on every call of the Present page: a restarted server learns it again
        code = short_code(query) if register else stored_code(query)

        def build() -> ShareLink:
            base = base_url.rstrip("/")
            url = f"{base}/live" + (f"?{query}" if query else "")
            short = f"{base}/s/{code}" if code is not None else url
            return ShareLink(url=url, short_url=short, qr_svg=qr_svg(short))

        return self._shares.get((self._engine(), audience, base_url, version, code), build)

    def _build_view(self, raw_query: str, base_url: str, version: int, code: str) -> AudienceView:
        with using(code):
            return self._build_view_here(raw_query, base_url, version)

    def _build_view_here(self, raw_query: str, base_url: str, version: int) -> AudienceView:
        """The view in the current language."""
        options = self.options(version)
        params: dict[str, str | list[str]] = {
            k: v for k, v in parse_qs(raw_query, keep_blank_values=True).items()
        }
        parsed = parse_deck(params, options)
        deck = parsed.deck.for_audience()
        query = audience_query(deck, options)
        content = self.content(deck, version)
        # A language the link names stays in the page's own links (the feed, the reload);
        # the share link leaves it out: each phone gets its own.
        named = parse_language(_last_value(params.get(LANGUAGE_PARAM)))
        own = [query] if query else []
        if named:
            own.append(f"{LANGUAGE_PARAM}={named}")
        suffix = "?" + "&".join(own) if own else ""
        filters_query = "&".join(
            f"{k}={v}" for k, v in to_query_params(deck.filters, options).items()
        )
        html = audience_page(
            content,
            theme=deck.theme,
            page_url=f"/live{suffix}",
            feed_url=f"/live/feed.json{suffix}",
            dashboard_url="/" + (f"?{filters_query}" if filters_query else ""),
            share=self.share_link(deck, base_url, version, register=False),
            notices=parsed.notices,
            assets=self.assets,
            poll_seconds=self.poll_seconds,
        )
        page = Rendered.of(html.encode("utf-8"), "text/html; charset=utf-8", f"{version}-")
        feed = Rendered.of(feed_json(content, page.etag), "application/json", f"{version}-")
        return AudienceView(page=page, feed=feed, query=query, deck=deck, notices=parsed.notices)

    def prepare_view(self, query: str, base_url: str, code: str | None = None) -> None:
        """Build the audience view of a link in the background if it is not ready yet
        (in `code`, by default the current language)."""
        code = code or language()
        version = self.version()
        key = (self._engine(), query, base_url, version, code)
        if not self._views.has(key):
            threading.Thread(
                target=self._views.get,
                args=(key, lambda: self._build_view(query, base_url, version, code)),
                daemon=True,
            ).start()

    def view(self, raw_query: str, base_url: str, code: str | None = None) -> AudienceView:
        """The audience view of a link in `code`, by default the current language (built
        once per link, language and data version)."""
        code = code or language()
        version = self.version()
        return self._views.get(
            (self._engine(), raw_query, base_url, version, code),
            lambda: self._build_view(raw_query, base_url, version, code),
        )

    async def aview(self, raw_query: str, base_url: str, code: str) -> AudienceView:
        """The same from the event loop, in the language `code`."""
        version = await self.aversion()
        return await self._views.aget(
            (self._engine(), raw_query, base_url, version, code),
            lambda: self._build_view(raw_query, base_url, version, code),
        )

    def clear(self) -> None:
        """Forget every cached value (tests)."""
        for cache in (self._versions, self._options, self._content, self._views, self._shares):
            cache.clear()


def _last_value(value: str | list[str] | None) -> str | None:
    """The last of a query parameter's values (None when it is absent)."""
    if isinstance(value, list):
        return value[-1] if value else None
    return value


def _store() -> Engine:
    return open_store()  # the dashboard's engine: seeded with demo data when empty


_service: LiveService | None = None
_service_lock = threading.Lock()


def service() -> LiveService:
    """The process-wide live service on the dashboard's store."""
    global _service
    with _service_lock:
        if _service is None:
            _service = LiveService(_store)
        return _service
