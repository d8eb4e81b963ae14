"""The view layer in the reader's language: numbers, shares and dates written as Babel writes
them for each language, and every word a page's view gives a reader marked for translation
(rendered in the pseudo-locale, no English is left outside its ⟦ ⟧ brackets)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access as store_api
from data_access import DatasetState, Filters
from data_access.roles import Grant
from data_access.upload_rows import UploadKind
from i18n import PSEUDO, catalogs, using
from i18n.tools import extract, save
from tests.callers import OFFICER
from views import (
    admin,
    data,
    gender,
    growth,
    map,
    members,
    overview,
    partnerships,
    profile,
    report,
    skills,
)
from views import format as fmt
from views.labels import column_label
from views.models import Chart, Notice, Table, Tile

# Each language's Babel locale, named here rather than taken from i18n.numbers.
LOCALES = {"en": "en_IE", "fr": "fr", "de": "de", "pl": "pl", "bg": "bg"}


@pytest.mark.parametrize("code", sorted(LOCALES))
def test_numbers_shares_and_dates_are_babels_own(code: str) -> None:
    locale = Locale.parse(LOCALES[code])
    with using(code):
        assert fmt.exact(1_234_567) == format_decimal(1_234_567, locale=locale)
        assert fmt.share(0.453, 0) == format_percent(0.453, locale=locale)
        assert fmt.date(date(2026, 12, 4)) == format_date(date(2026, 12, 4), locale=locale)
        assert fmt.cell(1_234_567) == format_decimal(1_234_567, locale=locale)
    if code != "en":  # the language is followed, not English everywhere
        with using("en"):
            assert fmt.exact(1_234_567) != format_decimal(1_234_567, locale=locale)


# ------------------------------------------------------------------ the pseudo-locale


@pytest.fixture(scope="module")
def pseudo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The pseudo-locale built from the messages the source marks now (not the committed
    template, which is regenerated after merging)."""
    template = tmp_path_factory.mktemp("locale") / "messages.pot"
    save(extract(), template)
    patch = pytest.MonkeyPatch()
    patch.setattr(catalogs, "TEMPLATE", Path(template))
    catalogs.translations.cache_clear()
    yield
    patch.undo()
    catalogs.translations.cache_clear()


STATE = DatasetState(source="demo", as_of="2025-03-31", last_changed="", version=3)
NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
SLUG = "automotive"


def _grant() -> Grant:
    return Grant(1, "c@example.org", store_api.Role.COORDINATOR, SLUG, "Automotive", None, None)


def build_views(engine: Engine) -> dict[str, object]:
    """Every page's view of the demo store, as the pages build them, for an officer."""
    with Session(engine) as session:
        years = store_api.resolve_years(session=session, filters=Filters())
        f = Filters().with_years(*years)
        kw = {"session": session, "caller": OFFICER}
        options = store_api.filter_options(session=session, caller=OFFICER)
        cube = store_api.outcome_cube(**kw, filters=f)

        def outcomes(*by: str) -> pd.DataFrame:
            return store_api.rollup(cube, by)  # type: ignore[arg-type]

        table = store_api.partnerships_table(session=session, caller=OFFICER)
        info = table.set_index("slug").loc[SLUG]
        scoped = f.only_partnership(SLUG)
        comparison = store_api.partnership_comparison(**kw, filters=f)
        people = store_api.partnership_members(**kw, filters=f, partnership=SLUG)
        indicators = store_api.pact_indicators_by_year(**kw, filters=f)
        views: dict[str, object] = {
            "overview": overview.overview(indicators, f),
            "growth": growth.growth(
                store_api.members_over_time(**kw, filters=f, by="ecosystem"),
                store_api.members_over_time(**kw, filters=f, by="country"),
                store_api.members_over_time(**kw, filters=f, by="org_type"),
                store_api.partnership_launches(**kw, filters=f),
                f,
                by="ecosystem",
                granularity="year",
            ),
            "members": members.members(
                store_api.member_directory(**kw, filters=f),
                year=f.year_to,
                searched=True,
                former=True,
            ),
            "nobody": members.members(
                store_api.member_directory(**kw, filters=f).iloc[0:0],
                year=f.year_to,
                searched=False,
                former=False,
            ),
            "gender": gender.gender(
                outcomes(),
                outcomes("year"),
                outcomes("ecosystem", "partnership"),
                table,
                outcomes("ecosystem"),
                outcomes("skill_area"),
                f,
            ),
            "skills": skills.skills(
                outcomes(),
                outcomes("year"),
                outcomes("skill_area"),
                outcomes("year", "skill_area"),
                outcomes("ecosystem"),
                outcomes("ecosystem", "partnership"),
                outcomes("ecosystem", "partnership", "skill_area"),
                f,
            ),
            "partnerships": partnerships.partnerships(comparison, f, options),
            "profile": profile.profile(
                info,
                partnership=SLUG,
                comparison=store_api.partnership_comparison(**kw, filters=scoped),
                everyone=comparison,
                growth=store_api.members_over_time(**kw, filters=scoped),
                outcomes=store_api.outcome_totals(**kw, filters=scoped, by=("year",)),
                filters=f,
            ),
            "member_lists": profile.member_lists(people, year=f.year_to or 0),
            "pact_report": report.pact_report(
                indicators=indicators,
                filters=f,
                options=options,
                caller=OFFICER,
                state=STATE,
                generated_at=NOW,
            ),
            "partnership_report": report.partnership_report(
                partnership=SLUG,
                info=info,
                comparison=store_api.partnership_comparison(**kw, filters=scoped),
                everyone=comparison,
                growth=store_api.members_over_time(**kw, filters=scoped),
                outcomes=store_api.outcome_totals(**kw, filters=scoped, by=("year",)),
                skills=store_api.outcome_totals(**kw, filters=scoped, by=("skill_area",)),
                members=people,
                filters=f,
                options=options,
                caller=OFFICER,
                state=STATE,
                generated_at=NOW,
            ),
            "roles": admin.roles([_grant()], role_cache_seconds=30),
        }
        countries = store_api.country_summary(**kw, filters=f)
        for shown in ("members", "people"):
            views[f"map_{shown}"] = map.country_map(countries, f, shown=shown)  # type: ignore[arg-type]
    return views


# Words of the figures/ layer a view passes on (besides every chart's title and summary):
# the growth charts' note on grouping, and the gender page's lead and note on shares.
FIGURE_NOTES = {"growth_members", "growth_new_members"}
FIGURE_FIELDS = {("Gender", "lead"), ("Gender", "shares_note")}
# What a report holds for machines, not readers: its kind, file name, link and data state.
MACHINE_FIELDS = {
    ("Report", name) for name in ("kind", "file_stem", "link", "state", "rules", "about")
}


def words(view: object, *, figures: bool = False) -> Iterator[str]:
    """Every text a reader reads in a view: of its tiles, charts, tables and notices, and
    the plain strings it holds (its intro and count lines); `figures`: those of figures/."""
    if isinstance(view, Tile):
        if not figures:
            yield from (t for t in (view.label, view.help, view.delta, view.value) if t)
        return
    if isinstance(view, Chart):
        from_figures = view.key in FIGURE_NOTES
        if figures:
            yield from (t for t in (view.summary, view.title) if t)
            yield from (view.note or "",) if from_figures else ()
        else:
            yield from (t for t in (view.alt, view.note if not from_figures else None) if t)
        return
    if isinstance(view, Table):
        if not figures:
            yield from (t for t in (view.title, view.note) if t)
            shown = [column for column in view.columns if column.kind != "flag"]
            if not view.columns:  # every column of the frame, under its label
                yield from (column_label(str(c)) for c in view.data.columns)
            yield from (column.header for column in shown)
            yield from (column.help or "" for column in shown)
            yield from (column.link_text or "" for column in shown)
            if view.csv is not None:
                yield view.csv.label
        return
    if isinstance(view, Notice):
        if not figures:
            yield view.written()
        return
    if isinstance(view, str):
        if not figures:
            yield view
        return
    if isinstance(view, tuple | list):
        for item in view:
            yield from words(item, figures=figures)
        return
    if isinstance(view, report.Report) and not figures:
        yield view.source_caption()
        yield from (label for label, _ in view.metadata())
        yield from (label for label, _ in view.about)  # its values are the partnership's
    if hasattr(view, "__dataclass_fields__"):
        kind = type(view).__name__
        for name in view.__dataclass_fields__:
            if (kind, name) in MACHINE_FIELDS:
                continue
            if (kind, name) in FIGURE_FIELDS:
                if figures:
                    yield getattr(view, name).written()
                continue
            yield from words(getattr(view, name), figures=figures)


def data_values(engine: Engine) -> set[str]:
    """Names a view quotes from the store (partnerships, organisations, countries as
    stored), which stay as they are in every language."""
    with Session(engine) as session:
        kw = {"session": session, "caller": OFFICER, "filters": Filters()}
        frames = [
            store_api.partnerships_table(session=session, caller=OFFICER),
            store_api.member_directory(**kw, former=True),
            store_api.country_summary(**kw),
        ]
    values: set[str] = set()
    for frame in frames:
        for column in ("short_name", "name", "organisation", "partnership", "country"):
            if column in frame.columns:
                values.update(str(v) for v in frame[column].dropna())
    return values


BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
LINK = re.compile(r"\]\([^)]*\)|https?://\S+|\S+@\S+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def english_left(text: str, values: set[str]) -> list[str]:
    """The plain English words of a text outside its pseudo-locale brackets, data values
    and link targets aside."""
    rest = text
    while BRACKETED.search(rest):  # messages inside messages: innermost first
        rest = BRACKETED.sub(" ", rest)
    rest = LINK.sub(" ", rest)
    for value in sorted(values, key=len, reverse=True):
        if value in rest:
            rest = rest.replace(value, " ")
    rest = re.sub(r"\d[\d.,]*[Mk]?\b", " ", rest)  # numbers, 6.10M, 480k
    return ENGLISH_WORD.findall(rest)


@pytest.fixture(scope="module")
def pseudo_views(pseudo: None, demo_engine: Engine) -> dict[str, object]:
    with using(PSEUDO):
        return build_views(demo_engine)


def test_every_word_of_every_view_is_marked(
    pseudo_views: dict[str, object], demo_engine: Engine
) -> None:
    values = data_values(demo_engine)
    with using(PSEUDO):
        left = {
            (name, text): english_left(text, values)
            for name, view in pseudo_views.items()
            for text in words(view)
        }
        texts = [text for (_, text) in left]
        assert any("⟦" in text for text in texts)  # the pseudo-locale is on
        assert {key: found for key, found in left.items() if found} == {}


def test_the_words_of_the_page_constants_are_marked(pseudo: None) -> None:
    from i18n import _

    constants = [
        overview.TITLE,
        growth.TITLE,
        growth.INTRO,
        *growth.GROUPINGS.values(),
        *growth.PERIODS.values(),
        members.INTRO,
        members.SEARCH_LABEL,
        *members.SHOW_CHOICES.values(),
        gender.LINES_LABEL,
        *gender.TREND_LINES.values(),
        map.TITLE,
        *map.VIEW_LABELS.values(),
        partnerships.TITLE,
        profile.MEMBERS_HEADER,
        skills.TITLE,
        admin.TITLE,
        *admin.ROLE_LABELS.values(),
        data.TITLE,
        data.INTRO,
        *data.KIND_LABELS.values(),
        report.EMPTY_TEXT,
        report.REPORT_DEMO_NOTICE,
    ]
    with using(PSEUDO):
        assert [c for c in constants if english_left(_(c), set())] == []
        assert english_left(profile.MEMBERS_RESTRICTED.written(), set()) == []
        assert english_left(data.LOAD_REFUSED.written(), set()) == []
        for frame in (
            data.column_dictionary(UploadKind.OUTCOMES).iloc[0:0],
            data.problems_table([]),
        ):
            assert [c for c in frame.columns if english_left(str(c), set())] == []
        assert english_left(data.dataset_line(STATE), set()) == []


def test_the_words_of_figures_in_views_are_marked(
    pseudo_views: dict[str, object], demo_engine: Engine
) -> None:
    values = data_values(demo_engine)
    with using(PSEUDO):
        left = [
            text
            for view in pseudo_views.values()
            for text in words(view, figures=True)
            if english_left(text, values)
        ]
    assert left == []


def test_the_english_of_a_view_is_unchanged_by_the_pseudo_locale(
    pseudo: None, demo_engine: Engine
) -> None:
    """The same view in English has no brackets: translation follows the run's language."""
    with using("en"):
        english = build_views(demo_engine)
    assert not any("⟦" in text for view in english.values() for text in words(view))


def test_the_peer_measures_are_in_the_reader_s_language(pseudo_views: dict[str, object]) -> None:
    """The profile's peer panels are titled by their measures and their axes by their units:
    the dashboard's own words, shown in the reader's language, not in English."""
    peers = pseudo_views["profile"].peers  # type: ignore[attr-defined]
    labels = [str(label) for label in peers.data["label"]]
    with using(PSEUDO):
        assert len(labels) == 6 and [t for t in labels if english_left(t, set())] == []
        figure = peers.builder(peers.drawn, **peers.options)  # a go.Figure
    titles = [a.text for a in figure.layout.annotations]
    assert [label for label in labels if label not in titles] == []
    axis_titles = {
        figure.layout[name].title.text for name in figure.layout if name.startswith("yaxis")
    }
    with using(PSEUDO):
        assert axis_titles and [t for t in axis_titles if english_left(t, set())] == []
