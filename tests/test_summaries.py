"""Tier 2, chart summaries: the one sentence under each chart, from exactly the plotted frame;
the data table behind each chart; and (tier 3) every chart on every page carrying both.

Expected sentences are written out from the small input frames, never copied from output.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from data_access import PUBLIC
from data_access.access import DisclosureRules
from figures import summaries as s
from tests.markdown_text import as_read
from tests.plotly_spec import open_data_tables
from tests.test_pages_common import PAGES
from ui.charts import table_frame
from views.notes import chart_legend

NAN = math.nan


def frame(**columns: list[Any]) -> pd.DataFrame:
    return pd.DataFrame(columns)


# --- wording helpers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [(3210, "3,210"), (48_500.4, "48,500"), (6_100_011, "6.1 million"), (NAN, "not published"),
     (None, "not published")],
)  # fmt: skip
def test_number(value: Any, text: str) -> None:
    assert s.number(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.38, "38%"), (0.004, "0.4%"), (0.0004, "under 0.1%"), (0.0, "0%"), (NAN, "not published")],
)
def test_percent_never_rounds_a_small_share_to_zero(value: float, text: str) -> None:
    assert s.percent(value) == text


# --- one builder per kind of chart ---------------------------------------------------------


def test_trend_states_last_value_and_change() -> None:
    df = frame(year=[2022, 2023, 2024], members=[1034, 2459, 3210])
    assert s.trend_summary(df, x="year", y="members", noun="member organisations") == (
        "3,210 member organisations at the end of 2024, up from 2,459 at the end of 2023."
    )
    falling = frame(year=[2024, 2023], members=[90, 120])  # unsorted input
    assert "down from 120 at the end of 2023" in s.trend_summary(
        falling, x="year", y="members", noun="members"
    )


def test_trend_with_a_hidden_value_says_not_published() -> None:
    hidden_last = frame(year=[2023, 2024], members=[12.0, NAN], suppressed=[False, True])
    assert s.trend_summary(hidden_last, x="year", y="members", noun="member organisations") == (
        "The number of member organisations at the end of 2024 is not published."
    )
    hidden_before = frame(year=[2023, 2024], members=[NAN, 12.0], suppressed=[True, False])
    text = s.trend_summary(hidden_before, x="year", y="members", noun="member organisations")
    assert text == (
        "12 member organisations at the end of 2024; the figure for 2023 is not published."
    )


def test_people_trained_gives_total_last_year_and_change() -> None:
    df = frame(
        year=[2022, 2023, 2024],
        people_trained=[1_000_000, 1_500_000, 2_600_000],
        people_trained_cumulative=[1_000_000, 2_500_000, 5_100_000],
    )
    assert s.people_trained_summary(df) == (
        "5.1 million people up/re-skilled in 2022–2024; 2.6 million in 2024, up from "
        "1.5 million in 2023."
    )
    df.loc[0, "people_trained"] = NAN
    assert s.people_trained_summary(df).startswith("At least 4.1 million people")


def test_grouped_trend_names_the_leaders_never_other() -> None:
    df = frame(
        period=["2023", "2023", "2023", "2024", "2024", "2024"],
        group=["Digital", "Health", "Other", "Digital", "Health", "Other"],
        members=[300, 310, 900, 812, 640, 1000],
    )
    assert s.grouped_trend_summary(
        df, x="period", group="group", y="members", noun="member organisations"
    ) == (
        "At the end of 2024, Digital had the most member organisations (812), followed by "
        "Health (640); 3 groups are shown."
    )
    one_group = df[df["group"] == "Health"]
    assert s.grouped_trend_summary(
        one_group, x="period", group="group", y="members", noun="members"
    ) == ("640 members at the end of 2024, up from 310 at the end of 2023.")


def test_stacked_gives_total_peak_and_largest_part() -> None:
    df = frame(
        year=[2023, 2023, 2024, 2024],
        skill_area=["Green", "Transversal", "Green", "Transversal"],
        people_trained=[100, 300, 200, 400],
    )
    assert s.stacked_summary(
        df, x="year", part="skill_area", y="people_trained", noun="people up/re-skilled"
    ) == (
        "1,000 people up/re-skilled in 2023–2024, most in 2024 (600); Transversal was the "
        "largest part (700, 70%)."
    )
    df.loc[0, "people_trained"] = NAN
    hidden = s.stacked_summary(df, x="year", part="skill_area", y="people_trained", noun="people")
    assert hidden.startswith("At least 900 people in 2023–2024")
    assert "%" not in hidden, "no share of a total that is partly hidden"


def test_ranking_names_the_two_largest_and_how_many_have_any() -> None:
    df = frame(country=["France", "Germany", "Malta", "Spain"], members=[380, 412, 0, NAN])
    assert s.ranking_summary(
        df, label="country", value="members", noun="member organisations", items="countries",
        when="at the end of 2024",
    ) == (
        "Germany had the most member organisations at the end of 2024 (412), followed by "
        "France (380); 2 of 4 countries had any; 1 value is not published."
    )  # fmt: skip
    nothing = frame(country=["Malta"], members=[0])
    assert s.ranking_summary(
        nothing, label="country", value="members", noun="members", items="countries"
    ) == ("No members in any of the 1 countries.")


def test_share_range_with_parity_and_own_targets() -> None:
    df = frame(
        partnership=["A", "B", "C", "D"],
        women_share_recorded=[0.12, 0.71, 0.5, NAN],
        target_women_share=[0.3, 0.6, NAN, 0.5],
    )
    assert s.share_range_summary(
        df, label="partnership", items="partnerships", target="target_women_share"
    ) == (
        "Women's share of trainees with recorded gender ranged from 12% (A) to 71% (B) across "
        "4 partnerships; 2 were at or above parity; 1 of the 2 with their own target met it; "
        "1 value is not published."
    )


def test_women_share_trend_as_in_the_issue() -> None:
    df = frame(
        year=[2023, 2024],
        group=["Pact", "Pact"],
        women_share_recorded=[0.34, 0.38],
    )
    assert s.women_share_trend_summary(df) == (
        "Women were 38% of trainees with recorded gender in 2024, up from 34% in 2023."
    )
    close = df.assign(women_share_recorded=[0.381, 0.384])
    assert "38.4% of trainees" in s.women_share_trend_summary(close)
    assert "up from 38.1%" in s.women_share_trend_summary(close)


def test_women_share_trend_per_ecosystem_names_highest_and_lowest() -> None:
    df = frame(
        year=[2024, 2024, 2024, 2023],
        group=["Health", "Construction", "Digital", "Health"],
        women_share_recorded=[0.78, 0.14, NAN, 0.1],
    )
    assert s.women_share_trend_summary(df) == (
        "In 2024, women's share of trainees with recorded gender was highest in Health (78%) "
        "and lowest in Construction (14%); 1 value is not published."
    )


def test_gender_composition_in_shares_or_counts_when_some_are_hidden() -> None:
    df = frame(
        ecosystem=["Health", "Digital"],
        women=[300, 100],
        men=[100, 450],
        other_gender=[2, 8],
        not_recorded=[48, 42],
        people_trained=[450, 600],
    )
    assert s.gender_composition_summary(df) == (
        "Of 1,050 trainees, 38% were women, 52% men, 1% another gender and 9% had no "
        "gender recorded."
    )
    df.loc[0, ["women", "people_trained"]] = NAN
    assert s.gender_composition_summary(df) == (
        "Of at least 600 trainees, at least 100 were women, 550 men, 10 another gender and "
        "90 had no gender recorded."
    )


def test_programmes_investment() -> None:
    df = frame(
        year=[2023, 2024],
        programmes=[1000, 309],
        investment_eur_million=[30.0, 28.42],
        people_reached=[4_000_000, 3_738_692],
    )
    assert s.programmes_investment_summary(df) == (
        "In 2023–2024, 1,309 training programmes were developed or updated, EUR 58.4 million "
        "was invested and 7.7 million people were reached by promotion."
    )


def test_treemap_names_largest_ecosystem_partnership_and_skill_area() -> None:
    df = frame(
        ecosystem=["Health", "Health", "Digital"],
        partnership=["Health LSP", "Care LSP", "Digital LSP"],
        skill_area=["Green", "Transversal", "Transversal"],
        people_trained=[500, 100, 400],
    )
    assert s.treemap_summary(df) == (
        "Of 1,000 people up/re-skilled, Health (60%) delivered the most among ecosystems and "
        "Health LSP (50%) among partnerships; the largest skill area was Green (50%)."
    )


def test_scatter_names_the_leader_of_each_axis() -> None:
    df = frame(
        short_name=["A", "B", "C"],
        members=[520, 100, NAN],
        people=[1000, 300_000, 5],
    )
    kwargs = dict(label="short_name", x="members", y="people", x_noun="members",
                  y_noun="people up/re-skilled in 2024", items="partnerships")  # fmt: skip
    assert s.scatter_summary(df, **kwargs) == (
        "Of 3 partnerships, A had the most members (520) and B the most people up/re-skilled "
        "in 2024 (300,000); 1 partnership is not published."
    )
    assert "and also the most" in s.scatter_summary(df.assign(people=[9, 1, 2]), **kwargs)


def test_pledge_progress() -> None:
    df = frame(short_name=["A", "B", "C"], pledge_progress=[0.12, 1.4, 1.0])
    assert s.pledge_progress_summary(df, year=2024) == (
        "2 of 3 partnerships with a numeric pledge met it in 2024; progress ranged from 12% "
        "(A) to 140% (B)."
    )


def test_pledge_trend_against_the_annual_pledge() -> None:
    df = frame(year=[2023, 2024], people_trained=[1900, 2300], annual_pledge=[2875.0, 2875.0])
    assert s.pledge_trend_summary(df) == (
        "2,300 people up/re-skilled in 2024, up from 1,900 in 2023; that is 80% of the annual "
        "pledge of 2,875."
    )
    no_pledge = df.assign(annual_pledge=None)
    assert s.pledge_trend_summary(no_pledge).endswith(
        "the partnership has no numeric annual pledge."
    )


def test_peers_counts_measures_above_the_medians() -> None:
    df = frame(
        label=["Members", "Growth", "Women"],
        partnership=[120.0, 0.1, NAN],
        ecosystem_median=[100.0, 0.2, 0.4],
        pact_median=[110.0, 0.05, 0.3],
    )
    assert s.peers_summary(df, partnership="Health LSP") == (
        "Health LSP is above the Pact median on 2 of 2 measures and above its ecosystem's "
        "median on 1; 1 measure without a value (not applicable or not published)."
    )


def test_launches() -> None:
    df = frame(
        short_name=["A", "B", "C"],
        kind=["large-scale", "regional", "large-scale"],
        launch_date=[date(2020, 11, 10), date(2023, 3, 1), date(2021, 6, 1)],
    )
    assert s.launches_summary(df) == (
        "3 partnerships launched between November 2020 and March 2023 (2 large-scale and 1 "
        "regional); the latest was B in March 2023."
    )


BUILDERS: dict[str, Callable[[pd.DataFrame], str]] = {
    "trend": lambda df: s.trend_summary(df, x="year", y="v", noun="things"),
    "people": lambda df: s.people_trained_summary(df, y="v"),
    "grouped": lambda df: s.grouped_trend_summary(df, x="year", group="g", y="v", noun="n"),
    "stacked": lambda df: s.stacked_summary(df, x="year", part="g", y="v", noun="n"),
    "ranking": lambda df: s.ranking_summary(df, label="g", value="v", noun="n", items="items"),
    "shares": lambda df: s.share_range_summary(df, label="g", items="items", share="v"),
    "women": lambda df: s.women_share_trend_summary(df, group="g", share="v"),
    "treemap": lambda df: s.treemap_summary(df, top="g", middle="g", leaf="g", value="v"),
    "scatter": lambda df: s.scatter_summary(
        df, label="g", x="v", y="v", x_noun="a", y_noun="b", items="items"
    ),
    "pledges": lambda df: s.pledge_progress_summary(df, label="g", progress="v", year=2024),
}


@pytest.mark.parametrize("kind", BUILDERS)
@pytest.mark.parametrize(
    "values", [[NAN, NAN, NAN, NAN], [1.0, NAN, 3.0, NAN], [0.0, 0.0, 0.0, 0.0]],
    ids=["all hidden", "some hidden", "zeros"],
)  # fmt: skip
def test_every_builder_gives_one_clean_sentence(kind: str, values: list[float]) -> None:
    df = frame(year=[2023, 2024, 2023, 2024], g=["a", "a", "b", "b"], v=values)
    df["suppressed"] = df["v"].isna()
    for data in (df, df.iloc[0:0], df.iloc[1:2]):
        text = BUILDERS[kind](data)
        assert s.is_sentence(text), text
        assert text.count(". ") == 0, f"more than one sentence: {text}"


def test_is_sentence_rejects_leftovers() -> None:
    assert s.is_sentence("Women were 38% of trainees.")
    assert not s.is_sentence("Women were nan% of trainees.".replace("nan%", "nan"))
    assert not s.is_sentence("Women were 38% of trainees")


# --- the data table ------------------------------------------------------------------------


def test_table_frame_reads_like_the_chart() -> None:
    df = frame(
        year=[2023.0, 2024.0],
        members=[1034, NAN],
        women_share_recorded=[0.3817, NAN],
        target_women_share=[NAN, NAN],
        suppressed=[False, True],
    )
    table = table_frame(df)
    assert list(table.columns) == [
        "Year", "Member organisations", "Women (% of recorded)", "Own target for women",
    ]  # fmt: skip
    assert table.iloc[0].tolist() == ["2023", "1,034", "38.2%", "–"]
    assert table.iloc[1].tolist() == ["2024", "suppressed", "suppressed", "suppressed"]


def test_table_frame_shows_percent_rows_of_the_peer_table() -> None:
    df = frame(label=["Members", "Women"], unit=["organisations", "%"], pact_median=[110.0, 0.23])
    assert table_frame(df)["Pact median"].tolist() == ["110", "23.0%"]


def test_perturbation_legend_says_so_names_the_rules_and_links_the_method() -> None:
    assert chart_legend(DisclosureRules(min_organisations=3)) == (
        "Public figures of what members reported are slightly perturbed to protect members' "
        "confidentiality. Values marked as suppressed rest on fewer than 3 organisations, or "
        "one organisation holds more than 85% of them. [How figures are protected](/method)."
    )


# --- every chart on every page -------------------------------------------------------------


def _charts_with_their_frame(at: AppTest) -> list[dict[str, Any]]:
    """Each chart in page order, with the elements shown after it up to the next chart."""
    charts: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        for child in getattr(node, "children", {}).values():
            if getattr(child, "type", None) == "plotly_chart":
                spec = json.loads(child.proto.spec)
                charts.append({"title": spec["layout"]["title"]["text"], "after": []})
            elif charts and type(child).__name__ != "Block":
                charts[-1]["after"].append(child)
            if type(child).__name__ in ("Expander",) and charts:
                charts[-1]["after"].extend(child.children.values())
            elif type(child).__name__ != "Expander":
                walk(child)

    walk(at.main)
    return charts


@pytest.mark.parametrize("page", PAGES)
def test_every_chart_has_a_summary_and_a_data_table(
    run_page: Callable[..., AppTest], page: str
) -> None:
    at = run_page(page)
    assert not at.exception, at.exception
    assert not at.table  # each data table is made when opened
    at = open_data_tables(at)
    assert not at.exception, at.exception
    charts = _charts_with_their_frame(at)
    assert charts
    for chart in charts:
        after = chart["after"]
        summary = after[0]
        assert type(summary).__name__ == "Markdown", chart["title"]
        assert s.is_sentence(as_read(summary.value)), summary.value
        expanders = [
            e
            for e in after
            if type(e).__name__ == "Expander" and as_read(e.label).startswith("Data table")
        ]
        assert [as_read(e.label) for e in expanders] == [f"Data table: {chart['title']}"]
        tables = [e for e in expanders[0].children.values() if type(e).__name__ == "Table"]
        assert len(tables) == 1 and len(tables[0].value) > 0, chart["title"]
        assert not any("_" in str(c) for c in tables[0].value.columns), tables[0].value.columns


def test_suppressed_values_show_as_such_with_the_legend(run_page: Callable[..., AppTest]) -> None:
    """The public view of a small slice: hidden cells read "suppressed" in the data tables,
    the legend names the thresholds and no summary prints nan."""
    at = open_data_tables(run_page("pages/skills.py", caller=PUBLIC, country="MT,LU,CY"))
    assert not at.exception, at.exception
    tables = [t.value for t in at.table]
    hidden = [t for t in tables if (t == "suppressed").any().any()]
    assert hidden, "the case needs suppressed cells"
    legends = [c.value for c in at.markdown if "Values marked as suppressed" in c.value]
    assert legends and legends[0] == f":small[{chart_legend(PUBLIC.rules)}]"
    for chart in _charts_with_their_frame(at):
        assert s.is_sentence(as_read(chart["after"][0].value)), chart["after"][0].value
