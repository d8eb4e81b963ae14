"""A presentation deck and its URL: slides in order, auto-advance interval, theme, spotlight
partnership and the global filters. Pure functions: a prepared link reproduces the deck.

Unknown or malformed parameters never raise: they give a notice and the default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from data_access.filters import Filters
from data_access.options import FilterOptions
from i18n import N_, _
from views.url_state import MAX_PARAM_LENGTH, parse_query_params, to_query_params

SLIDES: dict[str, str] = {
    "numbers": N_("Headline numbers"),
    "growth": N_("Growth"),
    "gender": N_("Gender balance"),
    "skills": N_("Skills delivered"),
    "map": N_("Map"),
    "spotlight": N_("Partnership spotlight"),
    "share": N_("Follow on your phone"),
}
DEFAULT_SLIDES: tuple[str, ...] = tuple(SLIDES)
THEMES: dict[str, str] = {"dark": N_("Dark"), "light": N_("Light"), "contrast": N_("High contrast")}
DEFAULT_THEME = "dark"
MIN_INTERVAL, MAX_INTERVAL = 5, 600  # seconds between automatic advances; 0 = by hand
# URL parameters of the deck (the global filters use theirs: from, to, eco, lsp, ...).
DECK_PARAMS = ("slides", "every", "theme", "spot")
LANGUAGE_PARAM = "lang"  # the reader's language: read by the audience route, not part of a deck


@dataclass(frozen=True)
class Deck:
    """What a presentation shows, in which order and how; hashable, so caches key on it."""

    filters: Filters
    slides: tuple[str, ...] = DEFAULT_SLIDES
    interval: int = 0
    theme: str = DEFAULT_THEME
    spotlight: str | None = None

    def for_audience(self) -> Deck:
        """The audience's view of this deck: the same slides and filters, no timing."""
        return replace(self, interval=0)


@dataclass(frozen=True)
class ParsedDeck:
    """A deck read from a URL and the notices about what was ignored."""

    deck: Deck
    notices: tuple[str, ...] = field(default_factory=tuple)


def _last(value: str | list[str]) -> str:
    if isinstance(value, list):
        return value[-1] if value else ""
    return value


def parse_deck(params: Mapping[str, str | list[str]], options: FilterOptions) -> ParsedDeck:
    """Read a deck from query parameters: the filters as every page reads them, plus
    slides, every (seconds), theme and spot (a partnership slug)."""
    filter_params = {
        k: v for k, v in params.items() if k not in DECK_PARAMS and k != LANGUAGE_PARAM
    }
    parsed = parse_query_params(filter_params, options)
    notices = list(parsed.notices)
    raw = {name: _last(params[name]).strip() for name in DECK_PARAMS if name in params}
    for name, value in list(raw.items()):
        if len(value) > MAX_PARAM_LENGTH:
            notices.append(_("Parameter '{name}' is too long and was ignored.").format(name=name))
            del raw[name]

    slides = DEFAULT_SLIDES
    if "slides" in raw:
        wanted = [part.strip().lower() for part in raw["slides"].split(",") if part.strip()]
        unknown = [s for s in wanted if s not in SLIDES]
        if unknown:
            shown = ", ".join(repr(u[:30]) for u in unknown[:5])
            notices.append(
                _("Unknown slide(s) {names} ignored; slides are {slides}.").format(
                    names=shown, slides=", ".join(SLIDES)
                )
            )
        known = tuple(dict.fromkeys(s for s in wanted if s in SLIDES))
        if known:
            slides = known
        else:
            notices.append(_("No known slide in 'slides'; showing all slides."))

    interval = 0
    if "every" in raw:
        text = raw["every"]
        if not text.isdigit() or len(text) > 6:
            notices.append(
                _("'every' must be seconds such as 30; {value} ignored.").format(
                    value=repr(text[:20])
                )
            )
        elif int(text) != 0:
            interval = min(MAX_INTERVAL, max(MIN_INTERVAL, int(text)))
            if interval != int(text):
                notices.append(
                    _(
                        "'every' must be 0 or between {low} and {high} seconds; using {seconds}."
                    ).format(low=MIN_INTERVAL, high=MAX_INTERVAL, seconds=interval)
                )

    theme = DEFAULT_THEME
    if "theme" in raw:
        if raw["theme"].lower() in THEMES:
            theme = raw["theme"].lower()
        else:
            notices.append(
                _("Unknown theme {value}; use one of {themes}.").format(
                    value=repr(raw["theme"][:30]), themes=", ".join(THEMES)
                )
            )

    spotlight = None
    if raw.get("spot"):
        lookup = {key.lower(): key for key in options.keys("partnerships")}
        spotlight = lookup.get(raw["spot"].lower())
        if spotlight is None:
            notices.append(
                _("Unknown partnership {value} for 'spot' ignored.").format(
                    value=repr(raw["spot"][:40])
                )
            )

    deck = Deck(
        filters=parsed.filters, slides=slides, interval=interval, theme=theme, spotlight=spotlight
    )
    return ParsedDeck(deck=deck, notices=tuple(notices))


def deck_params(deck: Deck, options: FilterOptions) -> dict[str, str]:
    """The query parameters that reproduce the deck (defaults are left out)."""
    params = to_query_params(deck.filters, options)
    if deck.slides != DEFAULT_SLIDES:
        params["slides"] = ",".join(deck.slides)
    if deck.interval:
        params["every"] = str(deck.interval)
    if deck.theme != DEFAULT_THEME:
        params["theme"] = deck.theme
    if deck.spotlight:
        params["spot"] = deck.spotlight
    return params


def deck_query(deck: Deck, options: FilterOptions) -> str:
    """The query string of the deck, commas kept readable ('' for the default deck)."""
    return urlencode(deck_params(deck, options), safe=",")


def audience_query(deck: Deck, options: FilterOptions) -> str:
    """The query string of the audience view of the deck (no interval)."""
    return deck_query(deck.for_audience(), options)
