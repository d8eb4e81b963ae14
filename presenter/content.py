"""What each slide says: headline tiles, bar series and the country map, from public data.

Pure functions (no Streamlit, no SQL): the same content feeds the projector and the phones.
The headline and spotlight tiles are the Overview's and the Profile's (views.overview,
views.profile), drawn compact. A suppressed number (NaN from the public queries) is written
as the dashboard writes it, and never plotted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from figures.gender import not_recorded_note, women_share_summary
from figures.layout import period_label
from figures.palette import PRIMARY, SECONDARY, ecosystem_colour, skill_area_colour
from i18n import N_, _, ngettext
from i18n.numbers import date as date_text
from i18n.numbers import number
from presenter.data import DeckData
from presenter.deck import SLIDES, Deck
from views import format as fmt
from views.models import Tile
from views.overview import headline_tiles, in_period
from views.profile import PAGE_TILES, partnership_tiles

HIDDEN_NOTE = N_("hidden: too few to publish")
# The Overview's tiles on the headline slide, by their name in the live feed.
HEADLINE_KEYS = {
    "partnerships": "numbers.partnerships",
    "ecosystems": "numbers.ecosystems",
    "members": "numbers.members",
    "people_trained": "numbers.people",
    "women_share": "numbers.women",
}
TILE_NOTES = {"women_share": N_("among trainees whose gender is recorded")}
# What a partnership is, by its kind as stored.
KIND_PHRASES = {
    "large-scale": N_("large-scale partnership"),
    "regional": N_("regional partnership"),
}


@dataclass(frozen=True)
class SlideTile:
    """One headline number as a slide draws it; key names it in the live feed
    (slide.measure)."""

    key: str
    label: str
    value: str
    raw: float | None
    delta: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Bars:
    """A bar chart: one bar per label; None values are suppressed and left out."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]
    texts: tuple[str, ...]
    colours: tuple[str, ...]
    horizontal: bool = False
    share: bool = False  # values are shares 0-1: a parity line is drawn at 50%
    note: str | None = None


@dataclass(frozen=True)
class CountryMap:
    """Values per country code; None is suppressed, absent codes are outside the selection."""

    title: str
    values: dict[str, float | None]
    unit: str
    note: str | None = None


@dataclass(frozen=True)
class Slide:
    """One slide: a title, optional lead sentence, tiles, charts and notes."""

    key: str
    title: str
    lead: str | None = None
    tiles: tuple[SlideTile, ...] = ()
    charts: tuple[Bars | CountryMap, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DeckContent:
    """Every slide of a deck plus the facts every view prints (period, source, version)."""

    slides: tuple[Slide, ...]
    period: str
    as_of: str
    source_label: str
    last_changed: str
    version: int
    is_demo: bool
    tiles: tuple[SlideTile, ...] = field(default_factory=tuple)  # every tile, for the live feed

    def slide(self, key: str) -> Slide | None:
        """The slide with this key, if the deck has it."""
        return next((s for s in self.slides if s.key == key), None)


def slide_tile(
    tile: Tile, key: str, *, label: str | None = None, note: str | None = None
) -> SlideTile:
    """A view's tile as a slide draws it: compact, a share's change in "pp" and its raw value
    to four decimals (a change the tile cannot show marks nothing)."""
    raw = tile.raw
    if tile.unit == "share" and raw is not None:
        raw = round(raw, 4)
    return SlideTile(
        key=key,
        label=label or tile.label,
        value=tile.value,
        raw=raw,
        delta=tile.short_delta,
        note=note,
    )


def headline_slide_tiles(data: DeckData) -> tuple[SlideTile, ...]:
    """The Overview's tiles but the countries: partnerships, ecosystems, member organisations,
    people up/re-skilled and the share of women, with the change on the year before."""
    if data.indicators.empty:
        return ()
    return tuple(
        slide_tile(
            tile,
            HEADLINE_KEYS[tile.key],
            note=_(HIDDEN_NOTE) if tile.suppressed else _(TILE_NOTES.get(tile.key, "")) or None,
        )
        for tile in headline_tiles(data.indicators, data.filters)
        if tile.key in HEADLINE_KEYS
    )


def _vertical_bars(
    title: str, years: pd.Series, values: pd.Series, colour: str, *, compact: bool = False
) -> Bars:
    pairs = list(zip(years, values, strict=True))
    while pairs and not fmt.is_missing(pairs[0][1]) and float(pairs[0][1]) == 0:
        pairs.pop(0)  # years before anything happened say nothing
    kept = [(str(int(y)), float(v)) for y, v in pairs if not fmt.is_missing(v)]
    hidden = len(pairs) - len(kept)
    texts = tuple(fmt.compact(v) if compact else fmt.exact(v) for _, v in kept)
    return Bars(
        title=title,
        labels=tuple(label for label, _ in kept),
        values=tuple(v for _, v in kept),
        texts=texts,
        colours=(colour,) * len(kept),
        note=ngettext(
            "{count} year hidden: too few to publish",
            "{count} years hidden: too few to publish",
            hidden,
        ).format(count=number(hidden))
        if hidden
        else None,
    )


def growth_slide(data: DeckData) -> Slide:
    """Members at each year end and people up/re-skilled each year."""
    rows = in_period(data.indicators, data.filters)
    members = _vertical_bars(
        _("Member organisations at the end of each year"), rows["year"], rows["members"], PRIMARY
    )
    people = _vertical_bars(
        _("People up/re-skilled each year"),
        rows["year"],
        rows["people_trained"],
        SECONDARY,
        compact=True,
    )
    lead = None
    if len(members.values) >= 2:
        first, last = members.values[0], members.values[-1]
        lead = _(
            "From {first} member organisations at the end of {first_year} "
            "to {last} at the end of {last_year}."
        ).format(
            first=fmt.exact(first),
            first_year=members.labels[0],
            last=fmt.exact(last),
            last_year=members.labels[-1],
        )
    return Slide(key="growth", title=_(SLIDES["growth"]), lead=lead, charts=(members, people))


def _share_bars(frame: pd.DataFrame, label: str, title: str) -> Bars:
    shown = frame.dropna(subset=["women_share_recorded"])
    hidden = len(frame) - len(shown)
    shown = shown.sort_values(["women_share_recorded", label], ascending=[False, True])
    return Bars(
        title=title,
        labels=tuple(str(v) for v in shown[label]),
        values=tuple(float(v) for v in shown["women_share_recorded"]),
        texts=tuple(fmt.share(v) for v in shown["women_share_recorded"]),
        colours=tuple(ecosystem_colour(str(v)) for v in shown[label]),
        horizontal=True,
        share=True,
        note=_hidden_note(hidden),
    )


def _hidden_note(hidden: int) -> str | None:
    """How many bars are hidden by disclosure control (None when none is)."""
    if not hidden:
        return None
    return ngettext(
        "{count} hidden: too few to publish", "{count} hidden: too few to publish", hidden
    ).format(count=number(hidden))


def gender_slide(data: DeckData, period: str) -> Slide:
    """Women's share in the last year against the year before, and by ecosystem."""
    rows = in_period(data.indicators, data.filters)
    lead = women_share_summary(rows[["year", "women_share_recorded"]])
    notes: list[str] = []
    people, not_recorded = rows["people_trained"], rows["not_recorded"]
    if not people.isna().any() and not not_recorded.isna().any():
        notes.append(not_recorded_note(int(people.sum()), int(not_recorded.sum()), period))
    charts: tuple[Bars | CountryMap, ...] = ()
    if data.by_ecosystem is not None:
        charts = (
            _share_bars(
                data.by_ecosystem,
                "ecosystem",
                _("Women among trainees with recorded gender, by ecosystem, {period}").format(
                    period=period
                ),
            ),
        )
        notes.append(_("Dashed line: parity ({share}).").format(share=fmt.share(0.5, 0)))
    return Slide(
        key="gender", title=_(SLIDES["gender"]), lead=lead, charts=charts, notes=tuple(notes)
    )


def skills_slide(data: DeckData, period: str) -> Slide:
    """People up/re-skilled per skill area over the period."""
    frame = data.by_skill_area if data.by_skill_area is not None else pd.DataFrame()
    if frame.empty:
        return Slide(key="skills", title=_(SLIDES["skills"]), notes=(_("No outcomes reported."),))
    shown = frame.dropna(subset=["people_trained"])
    hidden = len(frame) - len(shown)
    shown = shown.sort_values(["people_trained", "skill_area"], ascending=[False, True])
    bars = Bars(
        title=_("People up/re-skilled by skill area, {period}").format(period=period),
        labels=tuple(str(v) for v in shown["skill_area"]),
        values=tuple(float(v) for v in shown["people_trained"]),
        texts=tuple(fmt.compact(float(v)) for v in shown["people_trained"]),
        colours=tuple(skill_area_colour(str(v)) for v in shown["skill_area"]),
        horizontal=True,
        note=_hidden_note(hidden),
    )
    lead = None
    if len(shown):
        total = float(shown["people_trained"].sum())
        top = shown.iloc[0]
        lead = _("{skill_area} skills led with {count} people, {share} of those shown.").format(
            skill_area=top["skill_area"],
            count=fmt.compact(float(top["people_trained"])),
            share=fmt.share(float(top["people_trained"]) / total, 0),
        )
    return Slide(key="skills", title=_(SLIDES["skills"]), lead=lead, charts=(bars,))


def map_slide(data: DeckData, year: int) -> Slide:
    """Member organisations per country at the period's end, and the largest five."""
    frame = data.countries if data.countries is not None else pd.DataFrame()
    values: dict[str, float | None] = {}
    if not frame.empty:
        values = {
            str(code): fmt.number_or_none(v)
            for code, v in zip(frame["country_code"], frame["members"], strict=True)
        }
    hidden = sum(1 for v in values.values() if v is None)
    chart = CountryMap(
        title=_("Member organisations per country, 31 December {year}").format(year=year),
        values=values,
        unit=_("member organisations"),
        note=ngettext(
            "{count} country hidden: too few to publish",
            "{count} countries hidden: too few to publish",
            hidden,
        ).format(count=number(hidden))
        if hidden
        else None,
    )
    lead = None
    shown = frame.dropna(subset=["members"]) if not frame.empty else frame
    shown = shown[shown["members"] > 0] if not shown.empty else shown
    if not shown.empty:
        top = shown.sort_values(["members", "country"], ascending=[False, True]).head(5)
        listed = ", ".join(
            # Translators: a country and its member organisations in a list, "Spain 412"
            _("{country} {count}").format(country=country, count=fmt.exact(members))
            for country, members in zip(top["country"], top["members"], strict=True)
        )
        lead = ngettext(
            "Members in {count} country. Most: {listed}.",
            "Members in {count} countries. Most: {listed}.",
            len(shown),
        ).format(count=number(len(shown)), listed=listed)
    return Slide(key="map", title=_(SLIDES["map"]), lead=lead, charts=(chart,))


def _text(value: object) -> str:
    return "" if fmt.is_missing(value) else str(value).strip()


def spotlight_lead(row: pd.Series) -> str:
    """What the partnership is, when it was launched and its pledge; a part the store does
    not hold (no pledge text, no launch date) is left out, never written as "nan"."""
    launched = row["launch_date"]
    if isinstance(launched, date) and not fmt.is_missing(launched):
        when = date_text(launched, "LLLL y")
    else:
        when = _text(launched)
    kind, ecosystem = _text(row["kind"]), _text(row["ecosystem"])
    what = _(KIND_PHRASES[kind]) if kind in KIND_PHRASES else _("partnership")
    values = {"name": _text(row["name"]), "what": what, "ecosystem": ecosystem, "date": when}
    if ecosystem and when:
        # Translators: {what} is "large-scale partnership", "regional partnership" or "partnership"
        lead = _("{name}: {what} in {ecosystem}, launched {date}.")
    elif ecosystem:
        lead = _("{name}: {what} in {ecosystem}.")
    elif when:
        lead = _("{name}: {what}, launched {date}.")
    else:
        lead = _("{name}: {what}.")
    lead = lead.format(**values)
    pledge = _text(row["pledge_text"])
    if not pledge:
        return lead
    ended = pledge.endswith((".", "!", "?"))
    return (_("{lead} Pledge: {pledge}") if ended else _("{lead} Pledge: {pledge}.")).format(
        lead=lead, pledge=pledge
    )


def spotlight_slide(data: DeckData, year: int, period: str) -> Slide:
    """One partnership: what it is, its numbers and its members over the years."""
    comparison = data.comparison if data.comparison is not None else pd.DataFrame()
    if data.spotlight is None or comparison.empty:
        return Slide(
            key="spotlight",
            title=_(SLIDES["spotlight"]),
            notes=(_("No partnership matches the current filters."),),
        )
    own = comparison[comparison["slug"] == data.spotlight]
    row = own.iloc[0]
    lead = spotlight_lead(row)
    shown = {
        t.key: t for t in partnership_tiles(own, year=year, first=data.filters.year_from or year)
    }
    members, people, women, pledge = (shown[key] for key in PAGE_TILES)  # the profile's
    tiles = (
        slide_tile(
            members, "spotlight.members", note=_(HIDDEN_NOTE) if members.suppressed else None
        ),
        slide_tile(people, "spotlight.people"),
        slide_tile(
            women,
            "spotlight.women",
            label=_("Women among trainees, {period}").format(period=period),
        ),
        slide_tile(
            pledge,
            "spotlight.pledge",
            note=None if pledge.raw is not None else _("no numeric pledge or hidden"),
        ),
    )
    charts: tuple[Bars | CountryMap, ...] = ()
    if data.spotlight_indicators is not None:
        rows = in_period(data.spotlight_indicators, data.filters)
        charts = (
            _vertical_bars(
                _("{partnership}: member organisations at the end of each year").format(
                    partnership=row["short_name"]
                ),
                rows["year"],
                rows["members"],
                ecosystem_colour(str(row["ecosystem"])),
            ),
        )
    title = _("Spotlight: {partnership}").format(partnership=row["short_name"])
    return Slide(key="spotlight", title=title, lead=lead, tiles=tiles, charts=charts)


def deck_content(data: DeckData, deck: Deck) -> DeckContent:
    """The content of every slide of the deck, in the deck's order."""
    year = int(data.filters.year_to or data.indicators["year"].max())
    period = period_label(data.filters.year_from, year)
    headline = headline_slide_tiles(data)
    slides: list[Slide] = []
    for key in deck.slides:
        if key == "numbers":
            lead = _("Pact for Skills, {period}.").format(period=period)
            slides.append(
                Slide(key="numbers", title=_(SLIDES["numbers"]), lead=lead, tiles=headline)
            )
        elif key == "growth":
            slides.append(growth_slide(data))
        elif key == "gender":
            slides.append(gender_slide(data, period))
        elif key == "skills":
            slides.append(skills_slide(data, period))
        elif key == "map":
            slides.append(map_slide(data, year))
        elif key == "spotlight":
            slides.append(spotlight_slide(data, year, period))
        elif key == "share":
            slides.append(Slide(key="share", title=_(SLIDES["share"])))
    every_tile = headline + tuple(t for s in slides if s.key != "numbers" for t in s.tiles)
    state = data.state
    return DeckContent(
        slides=tuple(slides),
        period=period,
        as_of=state.as_of,
        source_label=state.source_label,
        last_changed=state.last_changed,
        version=state.version,
        is_demo=state.is_demo,
        tiles=every_tile,
    )
