"""What each slide says: headline tiles, bar series and the country map, from public data.

Pure functions (no Streamlit, no SQL): the same content feeds the projector and the phones.
A suppressed number (NaN from the public queries) is written as the dashboard writes it, and
never plotted.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from figures.gender import not_recorded_note, women_share_summary
from figures.layout import period_label
from figures.palette import NEUTRAL, PRIMARY, SECONDARY, SKILL_AREA_COLOURS, ecosystem_colour
from presenter.data import DeckData
from presenter.deck import SLIDES, Deck
from views.format import compact

HIDDEN = compact(float("nan"))  # how the dashboard shows a suppressed number
HIDDEN_NOTE = "hidden: too few to publish"


@dataclass(frozen=True)
class Tile:
    """One headline number; key names it in the live feed (slide.measure)."""

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
    tiles: tuple[Tile, ...] = ()
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
    tiles: tuple[Tile, ...] = field(default_factory=tuple)  # every tile, for the live feed

    def slide(self, key: str) -> Slide | None:
        """The slide with this key, if the deck has it."""
        return next((s for s in self.slides if s.key == key), None)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def _raw(value: object) -> float | None:
    return None if _missing(value) else float(value)  # type: ignore[arg-type]


def exact_number(raw: float | None) -> int | float | None:
    """A tile's raw number as machines read it (feed, data attributes): a whole number as an
    int, else the value to six decimals; never cut to a few significant digits."""
    if raw is None or not math.isfinite(raw):
        return None
    return int(raw) if float(raw).is_integer() else round(float(raw), 6)


def exact_text(raw: float | None) -> str:
    """The same as text, without exponent ("6100023", "0.4567"; "" when there is none)."""
    number = exact_number(raw)
    if number is None:
        return ""
    if isinstance(number, int):
        return str(number)
    return f"{number:.6f}".rstrip("0").rstrip(".")


def _count(value: object) -> str:
    return HIDDEN if _missing(value) else compact(float(value))  # type: ignore[arg-type]


def _change(now: object, before: object, year: int) -> str | None:
    if _missing(now) or _missing(before):
        return None
    return f"{int(now) - int(before):+,} on {year - 1}"  # type: ignore[call-overload]


def _row(frame: pd.DataFrame, year: int) -> pd.Series | None:
    rows = frame[frame["year"] == year]
    return rows.iloc[0] if not rows.empty else None


def headline_tiles(indicators: pd.DataFrame, filters_year_from: int | None) -> tuple[Tile, ...]:
    """Partnerships, ecosystems, member organisations, people up/re-skilled and the share of
    women, worded and rounded as on the Overview, with the change on the year before."""
    if indicators.empty:
        return ()
    year = int(indicators["year"].max())
    now = indicators[indicators["year"] == year].iloc[0]
    prev = _row(indicators, year - 1)
    first = filters_year_from if filters_year_from is not None else int(indicators["year"].min())
    tiles = []
    for column, label in (
        ("partnerships", "Partnerships"),
        ("ecosystems", "Ecosystems covered"),
        ("members", "Member organisations"),
    ):
        tiles.append(
            Tile(
                key=f"numbers.{column}",
                label=f"{label}, end {year}",
                value=_count(now[column]),
                raw=_raw(now[column]),
                delta=None if prev is None else _change(now[column], prev[column], year),
                note=HIDDEN_NOTE if _missing(now[column]) else None,
            )
        )
    people = now["people_trained_cumulative"]
    tiles.append(
        Tile(
            key="numbers.people",
            label=f"People up/re-skilled, {first}–{year}",
            value=HIDDEN if _missing(people) else compact(float(people)),
            raw=_raw(people),
            delta=None
            if _missing(now["people_trained"])
            else f"+{compact(float(now['people_trained']))} in {year}",
            note=HIDDEN_NOTE if _missing(people) else None,
        )
    )
    share = now["women_share_recorded"]
    prev_share = None if prev is None else prev["women_share_recorded"]
    tiles.append(
        Tile(
            key="numbers.women",
            label=f"Women among trainees, {year}",
            value="–" if _missing(share) else f"{share:.1%}",
            raw=None if _missing(share) else round(float(share), 4),
            delta=None
            if _missing(share) or _missing(prev_share)
            else f"{(float(share) - float(prev_share)) * 100:+.1f} pp on {year - 1}",  # type: ignore[arg-type]
            note="among trainees whose gender is recorded",
        )
    )
    return tuple(tiles)


def _in_period(indicators: pd.DataFrame, year_from: int | None) -> pd.DataFrame:
    return indicators[indicators["year"] >= (year_from or 0)]


def _vertical_bars(title: str, years: pd.Series, values: pd.Series, fmt: str, colour: str) -> Bars:
    pairs = list(zip(years, values, strict=True))
    while pairs and not _missing(pairs[0][1]) and float(pairs[0][1]) == 0:
        pairs.pop(0)  # years before anything happened say nothing
    kept = [(str(int(y)), float(v)) for y, v in pairs if not _missing(v)]
    hidden = len(pairs) - len(kept)
    texts = tuple(compact(v) if fmt == "compact" else f"{v:,.0f}" for _, v in kept)
    return Bars(
        title=title,
        labels=tuple(label for label, _ in kept),
        values=tuple(v for _, v in kept),
        texts=texts,
        colours=(colour,) * len(kept),
        note=f"{hidden} year(s) {HIDDEN_NOTE}" if hidden else None,
    )


def growth_slide(data: DeckData) -> Slide:
    """Members at each year end and people up/re-skilled each year."""
    rows = _in_period(data.indicators, data.filters.year_from)
    members = _vertical_bars(
        "Member organisations at the end of each year", rows["year"], rows["members"],
        "count", PRIMARY,
    )  # fmt: skip
    people = _vertical_bars(
        "People up/re-skilled each year", rows["year"], rows["people_trained"], "compact",
        SECONDARY,
    )  # fmt: skip
    lead = None
    if len(members.values) >= 2:
        first, last = members.values[0], members.values[-1]
        lead = (
            f"From {first:,.0f} member organisations at the end of {members.labels[0]} "
            f"to {last:,.0f} at the end of {members.labels[-1]}."
        )
    return Slide(key="growth", title=SLIDES["growth"], lead=lead, charts=(members, people))


def _share_bars(frame: pd.DataFrame, label: str, title: str) -> Bars:
    shown = frame.dropna(subset=["women_share_recorded"])
    hidden = len(frame) - len(shown)
    shown = shown.sort_values(["women_share_recorded", label], ascending=[False, True])
    return Bars(
        title=title,
        labels=tuple(str(v) for v in shown[label]),
        values=tuple(float(v) for v in shown["women_share_recorded"]),
        texts=tuple(f"{v:.1%}" for v in shown["women_share_recorded"]),
        colours=tuple(ecosystem_colour(str(v)) for v in shown[label]),
        horizontal=True,
        share=True,
        note=f"{hidden} {HIDDEN_NOTE}" if hidden else None,
    )


def gender_slide(data: DeckData, period: str) -> Slide:
    """Women's share in the last year against the year before, and by ecosystem."""
    rows = _in_period(data.indicators, data.filters.year_from)
    lead = women_share_summary(rows[["year", "women_share_recorded"]])
    notes: list[str] = []
    people, not_recorded = rows["people_trained"], rows["not_recorded"]
    if not people.isna().any() and not not_recorded.isna().any():
        notes.append(not_recorded_note(int(people.sum()), int(not_recorded.sum()), period))
    charts: tuple[Bars | CountryMap, ...] = ()
    if data.by_ecosystem is not None:
        charts = (
            _share_bars(
                data.by_ecosystem, "ecosystem",
                f"Women among trainees with recorded gender, by ecosystem, {period}",
            ),
        )  # fmt: skip
        notes.append("Dashed line: parity (50%).")
    return Slide(key="gender", title=SLIDES["gender"], lead=lead, charts=charts, notes=tuple(notes))


def skills_slide(data: DeckData, period: str) -> Slide:
    """People up/re-skilled per skill area over the period."""
    frame = data.by_skill_area if data.by_skill_area is not None else pd.DataFrame()
    if frame.empty:
        return Slide(key="skills", title=SLIDES["skills"], notes=("No outcomes reported.",))
    shown = frame.dropna(subset=["people_trained"])
    hidden = len(frame) - len(shown)
    shown = shown.sort_values(["people_trained", "skill_area"], ascending=[False, True])
    bars = Bars(
        title=f"People up/re-skilled by skill area, {period}",
        labels=tuple(str(v) for v in shown["skill_area"]),
        values=tuple(float(v) for v in shown["people_trained"]),
        texts=tuple(compact(float(v)) for v in shown["people_trained"]),
        colours=tuple(SKILL_AREA_COLOURS.get(str(v), NEUTRAL) for v in shown["skill_area"]),
        horizontal=True,
        note=f"{hidden} {HIDDEN_NOTE}" if hidden else None,
    )
    lead = None
    if len(shown):
        total = float(shown["people_trained"].sum())
        top = shown.iloc[0]
        lead = (
            f"{top['skill_area']} skills led with {compact(float(top['people_trained']))} "
            f"people, {float(top['people_trained']) / total:.0%} of those shown."
        )
    return Slide(key="skills", title=SLIDES["skills"], lead=lead, charts=(bars,))


def map_slide(data: DeckData, year: int) -> Slide:
    """Member organisations per country at the period's end, and the largest five."""
    frame = data.countries if data.countries is not None else pd.DataFrame()
    values: dict[str, float | None] = {}
    if not frame.empty:
        values = {
            str(code): _raw(v)
            for code, v in zip(frame["country_code"], frame["members"], strict=True)
        }
    hidden = sum(1 for v in values.values() if v is None)
    chart = CountryMap(
        title=f"Member organisations per country, 31 December {year}",
        values=values,
        unit="member organisations",
        note=f"{hidden} countries {HIDDEN_NOTE}" if hidden else None,
    )
    lead = None
    shown = frame.dropna(subset=["members"]) if not frame.empty else frame
    shown = shown[shown["members"] > 0] if not shown.empty else shown
    if not shown.empty:
        top = shown.sort_values(["members", "country"], ascending=[False, True]).head(5)
        listed = ", ".join(
            f"{country} {int(members):,}"
            for country, members in zip(top["country"], top["members"], strict=True)
        )
        lead = f"Members in {len(shown)} countries. Most: {listed}."
    return Slide(key="map", title=SLIDES["map"], lead=lead, charts=(chart,))


def _text(value: object) -> str:
    return "" if _missing(value) or value is pd.NaT else str(value).strip()


def spotlight_lead(row: pd.Series) -> str:
    """What the partnership is, when it was launched and its pledge; a part the store does
    not hold (no pledge text, no launch date) is left out, never written as "nan"."""
    launched = row["launch_date"]
    if isinstance(launched, date) and launched is not pd.NaT:
        launched_text = f", launched {launched:%B %Y}"
    else:
        launched_text = f", launched {_text(launched)}" if _text(launched) else ""
    kind, ecosystem = _text(row["kind"]), _text(row["ecosystem"])
    what = " ".join(part for part in (kind, "partnership") if part)
    where = f" in {ecosystem}" if ecosystem else ""
    lead = f"{_text(row['name'])}: {what}{where}{launched_text}."
    pledge = _text(row["pledge_text"])
    if not pledge:
        return lead
    return f"{lead} Pledge: {pledge}" + ("" if pledge.endswith((".", "!", "?")) else ".")


def spotlight_slide(data: DeckData, year: int, period: str) -> Slide:
    """One partnership: what it is, its numbers and its members over the years."""
    comparison = data.comparison if data.comparison is not None else pd.DataFrame()
    if data.spotlight is None or comparison.empty:
        return Slide(
            key="spotlight", title=SLIDES["spotlight"],
            notes=("No partnership matches the current filters.",),
        )  # fmt: skip
    row = comparison[comparison["slug"] == data.spotlight].iloc[0]
    lead = spotlight_lead(row)
    women, progress = row["women_share_recorded"], row["pledge_progress"]
    slug = "spotlight"
    tiles = (
        Tile(
            key=f"{slug}.members",
            label=f"Members, end {year}",
            value=_count(row["members"]),
            raw=_raw(row["members"]),
            delta=None
            if _missing(row["member_growth"])
            else f"{int(row['member_growth']):+,} on {year - 1}",
            note=HIDDEN_NOTE if _missing(row["members"]) else None,
        ),
        Tile(
            key=f"{slug}.people",
            label=f"People up/re-skilled in {year}",
            value=HIDDEN
            if _missing(row["people_trained_last_year"])
            else compact(float(row["people_trained_last_year"])),
            raw=_raw(row["people_trained_last_year"]),
        ),
        Tile(
            key=f"{slug}.women",
            label=f"Women among trainees, {period}",
            value="–" if _missing(women) else f"{women:.1%}",
            raw=None if _missing(women) else round(float(women), 4),
        ),
        Tile(
            key=f"{slug}.pledge",
            label=f"Pledge progress, {year}",
            value="–" if _missing(progress) else f"{progress:.0%}",
            raw=None if _missing(progress) else round(float(progress), 4),
            note=None if not _missing(progress) else "no numeric pledge or hidden",
        ),
    )
    charts: tuple[Bars | CountryMap, ...] = ()
    if data.spotlight_indicators is not None:
        rows = _in_period(data.spotlight_indicators, data.filters.year_from)
        charts = (
            _vertical_bars(
                f"{row['short_name']}: member organisations at the end of each year",
                rows["year"], rows["members"], "count", ecosystem_colour(str(row["ecosystem"])),
            ),
        )  # fmt: skip
    return Slide(
        key="spotlight", title=f"Spotlight: {row['short_name']}", lead=lead, tiles=tiles,
        charts=charts,
    )  # fmt: skip


def deck_content(data: DeckData, deck: Deck) -> DeckContent:
    """The content of every slide of the deck, in the deck's order."""
    year = int(data.filters.year_to or data.indicators["year"].max())
    period = period_label(data.filters.year_from, year)
    headline = headline_tiles(data.indicators, data.filters.year_from)
    slides: list[Slide] = []
    for key in deck.slides:
        if key == "numbers":
            lead = f"Pact for Skills, {period}."
            slides.append(Slide(key="numbers", title=SLIDES["numbers"], lead=lead, tiles=headline))
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
            slides.append(Slide(key="share", title=SLIDES["share"]))
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
