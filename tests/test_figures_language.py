"""Every figure builder and every chart summary in the pseudo-locale: each word a reader reads
(titles, axis and legend titles, trace names, hover and text templates, annotations, the
one-sentence summaries) is translated, and figures write numbers with the language's signs."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest
from babel import Locale

from data_access.reference import ECOSYSTEMS, SKILL_AREAS
from figures import summaries as s
from figures.gender import (
    build_gender_composition_figure,
    build_share_by_ecosystem_figure,
    build_share_by_partnership_figure,
    build_share_by_skill_area_figure,
    build_share_over_time_figure,
    not_recorded_note,
    women_share_summary,
)
from figures.geometry import country_names
from figures.growth import (
    OTHER,
    build_launches_figure,
    build_members_by_country_figure,
    build_members_by_org_type_figure,
    build_members_over_time_figure,
    build_new_members_figure,
    grouping_note,
)
from figures.layout import FigureBuilder
from figures.map import build_country_map_figure
from figures.overview import build_pact_members_figure, build_people_trained_figure
from figures.partnership import (
    build_partnership_scatter_figure,
    build_peer_figure,
    build_pledge_progress_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from figures.skills import (
    build_people_by_ecosystem_figure,
    build_people_by_partnership_figure,
    build_people_by_skill_area_figure,
    build_programmes_investment_figure,
    build_skills_treemap_figure,
)
from i18n import PSEUDO, using
from i18n.catalogs import pseudo_text
from tests.languages import english_left, figure_texts, test_catalogs

__all__ = ["test_catalogs"]  # the fixture, used by name

HEALTH, DIGITAL = "Health", "Digital"
SKILL = [label for _key, label in SKILL_AREAS]
# What the figures show as data: reference names, the test frames' names, country names;
# and what Babel writes in the pseudo-locale as English does (month names, "and" of lists).
DATA = [
    *Locale.parse("en").months["format"]["wide"].values(),
    "and",
    *(eco.name for eco in ECOSYSTEMS),
    *SKILL,
    *country_names().values(),
    "Automotive",
    "Health Workforce",
    "RSP Styria",
    "Partnership A",
    "SME",
    "NGO",
]


def _members() -> pd.DataFrame:
    rows = [
        (str(year), date(year, 12, 31), group, members, new)
        for group, base in ((HEALTH, 100), (DIGITAL, 80), (OTHER, 20))
        for year, members, new in ((2023, base, base), (2024, base * 2, base))
    ]
    return pd.DataFrame(rows, columns=["period", "period_end", "group", "members", "new_members"])


def _shares(label: str, names: list[str]) -> pd.DataFrame:
    rows = [
        {label: name, "women": 40 + i, "men": 50, "other_gender": 1, "not_recorded": 9}
        for i, name in enumerate(names)
    ]
    df = pd.DataFrame(rows)
    df["recorded"] = df["women"] + df["men"] + df["other_gender"]
    df["people_trained"] = df["recorded"] + df["not_recorded"]
    df["women_share_recorded"] = df["women"] / df["recorded"]
    return df


def _figures() -> dict[str, tuple[FigureBuilder[Any], pd.DataFrame, dict[str, Any]]]:
    years = pd.DataFrame(
        {"year": [2023, 2024], "members": [1200, 2400], "people_trained": [1e6, 3e6]}
    )
    years["people_trained_cumulative"] = years["people_trained"].cumsum()
    partnerships = _shares("partnership", ["Automotive", "Health Workforce"])
    partnerships["ecosystem"] = ["Mobility-transport-automotive", HEALTH]
    partnerships["target_women_share"] = [0.3, float("nan")]
    trend = _shares("group", [HEALTH, DIGITAL, HEALTH, DIGITAL])
    trend["year"] = [2023, 2023, 2024, 2024]
    leaves = pd.DataFrame(
        {
            "ecosystem": [HEALTH, HEALTH, DIGITAL],
            "partnership": ["Health Workforce", "Health Workforce", "Partnership A"],
            "skill_area": SKILL[:3],
            "people_trained": [500, 3000, 1_200_000],
        }
    )
    return {
        "members": (build_pact_members_figure, years, {}),
        "people": (build_people_trained_figure, years, {}),
        "over_time": (
            build_members_over_time_figure,
            _members(),
            {"by": "ecosystem", "by_label": pseudo_text("Ecosystem"), "granularity": "quarter"},
        ),
        "new": (
            build_new_members_figure,
            _members(),
            {"by": "org_type", "by_label": pseudo_text("Type"), "granularity": "year"},
        ),
        "country": (
            build_members_by_country_figure,
            pd.DataFrame({"country": ["Malta", "Italy"], "members": [1500, 3]}),
            {"period": "2024"},
        ),
        "org_type": (
            build_members_by_org_type_figure,
            pd.DataFrame({"org_type": ["SME", "NGO"], "members": [5, 3]}),
            {"period": "2024"},
        ),
        "launches": (
            build_launches_figure,
            pd.DataFrame(
                {
                    "short_name": ["Automotive", "RSP Styria"],
                    "kind": ["large-scale", "regional"],
                    "ecosystem": ["Mobility-transport-automotive"] * 2,
                    "launch_date": [date(2020, 11, 10), date(2021, 6, 8)],
                }
            ),
            {},
        ),
        "share_eco": (
            build_share_by_ecosystem_figure,
            _shares("ecosystem", [HEALTH]),
            {"period": "2024"},
        ),
        "share_area": (
            build_share_by_skill_area_figure,
            _shares("skill_area", SKILL[:2]),
            {"period": "2024"},
        ),
        "share_lsp": (build_share_by_partnership_figure, partnerships, {"period": "2024"}),
        "share_time": (build_share_over_time_figure, trend, {"by_ecosystem": True}),
        "composition": (
            build_gender_composition_figure,
            _shares("ecosystem", [HEALTH, DIGITAL]),
            {"period": "2024"},
        ),
        "skill_area": (
            build_people_by_skill_area_figure,
            leaves.assign(year=[2023, 2024, 2024]),
            {},
        ),
        "ecosystem": (
            build_people_by_ecosystem_figure,
            pd.DataFrame({"ecosystem": [HEALTH, DIGITAL], "people_trained": [1_500_000, 2500]}),
            {},
        ),
        "partnership": (build_people_by_partnership_figure, leaves, {}),
        "effort": (
            build_programmes_investment_figure,
            pd.DataFrame(
                {
                    "year": [2023, 2024],
                    "programmes": [1500, 4800],
                    "investment_eur_million": [16.0, 31.5],
                    "people_reached": [19_000, 25_000],
                }
            ),
            {},
        ),
        "treemap": (build_skills_treemap_figure, leaves, {}),
        "map": (
            build_country_map_figure,
            pd.DataFrame(
                {
                    "country_code": ["MT", "IT", "DE"],
                    "country": ["Malta", "Italy", "Germany"],
                    "members": [3, 0, 1250],
                }
            ),
            {"value": "members", "title": pseudo_text("Members"), "unit": pseudo_text("members")},
        ),
        "scatter": (
            build_partnership_scatter_figure,
            pd.DataFrame(
                {
                    "short_name": ["Automotive", "RSP Styria"],
                    "ecosystem": [HEALTH, DIGITAL],
                    "kind": ["large-scale", "regional"],
                    "members": [3000, 40],
                    "people_trained_last_year": [250_000, 30_000],
                }
            ),
            {"year": 2024},
        ),
        "pledge": (
            build_pledge_progress_figure,
            pd.DataFrame({"short_name": ["Automotive"], "pledge_progress": [0.9]}),
            {"year": 2024},
        ),
        "profile_members": (
            build_profile_members_figure,
            pd.DataFrame({"period": ["2023", "2024"], "members": [5, 9], "new_members": [5, 4]}),
            {},
        ),
        "profile_pledge": (
            build_profile_pledge_figure,
            pd.DataFrame({"year": [2023, 2024], "people_trained": [100, 2000]}),
            {"annual_pledge": 1500.0},
        ),
        "peers": (
            build_peer_figure,
            pd.DataFrame(
                {
                    "label": [pseudo_text("Members"), pseudo_text("Women")],
                    "unit": [pseudo_text("organisations"), "%"],
                    "partnership": [1200, 0.4],
                    "ecosystem_median": [100, None],
                    "pact_median": [90, 0.5],
                }
            ),
            {"partnership": "Automotive"},
        ),
    }


FIGURES = _figures()


@pytest.mark.usefixtures("test_catalogs")
@pytest.mark.parametrize("name", list(FIGURES))
def test_every_figure_is_translated(name: str) -> None:
    builder, frame, options = FIGURES[name]
    with using(PSEUDO):
        figure = json.loads(builder.spec(frame, **options).to_json())
        empty = json.loads(builder.spec(frame.iloc[0:0], **options).to_json())
    texts = " ".join(figure_texts(figure))
    assert "⟦" in texts
    assert english_left(texts, DATA) == set()
    assert english_left(" ".join(figure_texts(empty)), DATA) == set()


@pytest.mark.usefixtures("test_catalogs")
@pytest.mark.parametrize("name", ["members", "composition", "effort"])
def test_figures_write_numbers_with_the_languages_signs(name: str) -> None:
    builder, frame, options = FIGURES[name]
    with using("en"):
        english = builder.spec(frame, **options).figure()
    with using("de"):
        german = builder.spec(frame, **options).figure()
    with using("fr"):
        french = builder.spec(frame, **options).figure()
    assert english.layout.separators is None  # the template's ".," as before
    assert german.layout.separators == ",."
    assert french.layout.separators == ",\u202f"
    if name == "members":
        assert list(english.data[0].text) == ["1,200", "2,400"]
        assert list(german.data[0].text) == ["1.200", "2.400"]


def _summaries() -> dict[str, Callable[[], str]]:
    noun, items = pseudo_text("member organisations"), pseudo_text("countries")
    when = pseudo_text("in 2024")
    hidden = float("nan")
    years = pd.DataFrame({"year": [2022, 2023, 2024], "members": [1034, 2459, 3210]})
    groups = _members()
    ranked = pd.DataFrame({"country": ["Malta", "Italy", "Germany"], "members": [5, 0, hidden]})
    shares = _shares("ecosystem", [HEALTH, DIGITAL])
    shares["target"] = [0.1, 0.9]
    trend = _shares("group", [HEALTH, DIGITAL, HEALTH, DIGITAL]).assign(
        year=[2023, 2023, 2024, 2024]
    )
    one = trend[trend["group"] == HEALTH]
    launches = pd.DataFrame(
        {
            "short_name": ["Automotive", "RSP Styria", "Health Workforce"],
            "kind": ["large-scale", "regional", "large-scale"],
            "launch_date": [date(2020, 11, 10), date(2021, 6, 8), date(2023, 4, 20)],
        }
    )
    peers = pd.DataFrame(
        {
            "label": ["a", "b", "c"],
            "partnership": [5, 0.4, hidden],
            "ecosystem_median": [3, 0.5, 1],
            "pact_median": [4, 0.3, 1],
        }
    )
    effort = pd.DataFrame(
        {
            "year": [2023, 2024],
            "programmes": [1500, hidden],
            "investment_eur_million": [16.0, 31.5],
            "people_reached": [19_000, 2_500_000],
        }
    )
    return {
        "trend": lambda: s.trend_summary(years, x="year", y="members", noun=noun),
        "trend_hidden": lambda: s.trend_summary(
            years.assign(members=[1, hidden, 3]), x="year", y="members", noun=noun
        ),
        "people": lambda: s.people_trained_summary(
            pd.DataFrame({"year": [2023, 2024], "people_trained": [1_500_000, 900]})
        ),
        "grouped": lambda: s.grouped_trend_summary(
            groups, x="period", group="group", y="members", noun=noun
        ),
        "stacked": lambda: s.stacked_summary(
            groups, x="period", part="group", y="new_members", noun=noun
        ),
        "ranking": lambda: s.ranking_summary(
            ranked, label="country", value="members", noun=noun, items=items, when=when
        ),
        "ranking_none": lambda: s.ranking_summary(
            ranked.assign(members=0), label="country", value="members", noun=noun, items=items
        ),
        "share_range": lambda: s.share_range_summary(
            shares, label="ecosystem", items=items, target="target"
        ),
        "share_trend": lambda: s.women_share_trend_summary(trend),
        "share_trend_one": lambda: s.women_share_trend_summary(one),
        "composition": lambda: s.gender_composition_summary(shares),
        "effort": lambda: s.programmes_investment_summary(effort),
        "treemap": lambda: s.treemap_summary(
            pd.DataFrame(
                {
                    "ecosystem": [HEALTH, DIGITAL],
                    "partnership": ["Automotive", "RSP Styria"],
                    "skill_area": SKILL[:2],
                    "people_trained": [5, 0.0004],
                }
            )
        ),
        "scatter": lambda: s.scatter_summary(
            pd.DataFrame({"n": ["Automotive", "RSP Styria"], "x": [1, 2], "y": [3, hidden]}),
            label="n",
            x="x",
            y="y",
            x_noun=noun,
            y_noun=noun,
            items=items,
        ),
        "pledge": lambda: s.pledge_progress_summary(
            pd.DataFrame(
                {"short_name": ["Automotive", "RSP Styria"], "pledge_progress": [1.2, 0.3]}
            ),
            year=2024,
        ),
        "pledge_trend": lambda: s.pledge_trend_summary(
            pd.DataFrame(
                {"year": [2023, 2024], "people_trained": [5, 9], "annual_pledge": [10, 10]}
            )
        ),
        "peers": lambda: s.peers_summary(peers, partnership="Automotive"),
        "launches": lambda: s.launches_summary(launches),
        "women_share": lambda: women_share_summary(
            pd.DataFrame({"year": [2023, 2024], "women_share_recorded": [0.4, 0.45]})
        ),
        "not_recorded": lambda: not_recorded_note(1000, 120, "2024"),
        "grouping": lambda: grouping_note("ecosystem", 3, 12) or "",
        "empty": lambda: s.trend_summary(years.iloc[0:0], x="year", y="members", noun=noun),
    }


SUMMARIES = _summaries()


@pytest.mark.usefixtures("test_catalogs")
@pytest.mark.parametrize("name", list(SUMMARIES))
def test_every_summary_is_translated(name: str) -> None:
    with using(PSEUDO):
        text = SUMMARIES[name]()
    assert "⟦" in text
    assert english_left(text, DATA) == set(), text


def test_a_long_translated_title_is_drawn_on_two_lines() -> None:
    """Plotly never wraps a title: a translation longer than a half-width chart holds is
    broken at the space nearest its middle; English titles and short ones stay as written."""
    from figures.layout import TITLE_LINE, title_lines
    from i18n import using

    german = "Weitergebildete/umgeschulte Personen pro Jahr und kumuliert"
    with using("de"):
        first, second = title_lines(german).split("<br>")
        assert f"{first} {second}" == german
        assert max(len(first), len(second)) <= TITLE_LINE
        assert title_lines("Mitglieder") == "Mitglieder"
    with using("en"):
        assert title_lines(german) == german


def test_long_translated_labels_and_axis_titles_fit_a_half_width_chart() -> None:
    """In Polish the longest ecosystem and the skills chart's axis title are broken onto two
    lines (the values plotted unchanged), the chart grows by a line per two-line label, and
    the axis leaves room for the longer value labels ("1,32 mln"); English is drawn as written."""
    from figures.layout import LABEL_LINE, LABEL_LINE_HEIGHT, TEMPLATE_TOP, TWO_LINE_TITLE_TOP

    long_name = "Gospodarka bliskości, gospodarka społeczna i bezpieczeństwo cywilne"
    df = pd.DataFrame(
        {"ecosystem": [long_name, "Zdrowie", "Turystyka"], "people_trained": [1_320_000, 9, 8]}
    )
    with using("en"):
        english = build_people_by_ecosystem_figure(df).to_plotly_json()["layout"]
    with using("pl"):
        polish = build_people_by_ecosystem_figure(df).to_plotly_json()["layout"]
        shares = build_people_by_skill_area_figure(
            pd.DataFrame(
                {
                    "year": [2024],
                    "skill_area": ["Podstawowe umiejętności cyfrowe"],
                    "people_trained": [10],
                }
            )
        ).to_plotly_json()["layout"]
    ticks = polish["yaxis"]
    assert list(ticks["tickvals"]) == list(df.sort_values("people_trained")["ecosystem"])
    wrapped = [t for t in ticks["ticktext"] if "<br>" in t]
    assert [t.replace("<br>", " ") for t in wrapped] == [long_name]
    assert all(len(line) <= LABEL_LINE for line in wrapped[0].split("<br>"))
    assert "ticktext" not in english.get("yaxis", {})
    assert "<br>" in polish["title"]["text"]  # and its title on two lines, as below
    title_line = TWO_LINE_TITLE_TOP - TEMPLATE_TOP
    assert polish["height"] == english["height"] + LABEL_LINE_HEIGHT + title_line
    # room for "1,32 mln" beyond the longest bar: more than for "1.3M"
    assert polish["xaxis"]["range"][1] > english["xaxis"]["range"][1] > 1_320_000 * 1.1
    # the skill-area chart's title and its y-axis title each on two lines, the plot as high
    assert "<br>" in shares["title"]["text"] and "<br>" in shares["yaxis"]["title"]["text"]
    assert shares["margin"]["t"] == TWO_LINE_TITLE_TOP
    assert shares["height"] == 460 + TWO_LINE_TITLE_TOP - TEMPLATE_TOP
