"""Tier 2, Growth and Gender figures: traces, plotted values, colours, reference lines, texts."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from figures.gender import (
    COMPOSITION_PARTS,
    SHARE_AXIS,
    TARGET_NAME,
    build_gender_composition_figure,
    build_share_by_ecosystem_figure,
    build_share_by_partnership_figure,
    build_share_by_skill_area_figure,
    build_share_over_time_figure,
    not_recorded_note,
    share_frame,
    women_share_summary,
)
from figures.growth import (
    KIND_SYMBOLS,
    OTHER,
    build_launches_figure,
    build_members_by_country_figure,
    build_members_by_org_type_figure,
    build_members_over_time_figure,
    build_new_members_figure,
    fold_small_groups,
    grouping_note,
    members_at_period_end,
)
from figures.layout import period_label
from figures.palette import (
    ECOSYSTEM_COLOURS,
    GENDER_COLOURS,
    GROUP_COLOURS,
    OTHER_COLOUR,
    PRIMARY,
    SKILL_AREA_COLOURS,
)

HEALTH, DIGITAL, TOURISM = "Health", "Digital", "Tourism"


def _values(values: object) -> list[float]:
    return [float(v) for v in np.asarray(values, dtype=float)]


def _members_frame(groups: dict[str, list[tuple[int, int]]]) -> pd.DataFrame:
    """members_over_time-like frame: {group: [(members, new_members) per year 2022..]}."""
    rows = []
    for group, per_year in groups.items():
        for offset, (members, new) in enumerate(per_year):
            year = 2022 + offset
            rows.append((str(year), date(year, 12, 31), group, members, new))
    return pd.DataFrame(rows, columns=["period", "period_end", "group", "members", "new_members"])


def _share_row(label: str, women: int, men: int, other: int, not_recorded: int) -> dict:
    recorded = women + men + other
    return {
        "women": women,
        "men": men,
        "other_gender": other,
        "not_recorded": not_recorded,
        "recorded": recorded,
        "people_trained": recorded + not_recorded,
        "women_share_recorded": women / recorded if recorded else float("nan"),
        "label": label,
    }


def _shares(label_column: str, rows: list[tuple[str, int, int, int, int]]) -> pd.DataFrame:
    df = pd.DataFrame([_share_row(*row) for row in rows])
    return df.rename(columns={"label": label_column})


def _parity_shapes(fig: go.Figure, axis: str) -> list[object]:
    return [
        s
        for s in fig.layout.shapes
        if getattr(s, f"{axis}0") == 0.5 and getattr(s, f"{axis}1") == 0.5
    ]


def _is_empty(fig: go.Figure, title_start: str) -> bool:
    return len(fig.data) == 0 and fig.layout.title.text.startswith(title_start)


# -- Growth: members over time and new members ---------------------------------------------


def test_members_over_time_plots_one_line_per_group_with_input_values() -> None:
    df = _members_frame({HEALTH: [(10, 10), (25, 15)], DIGITAL: [(5, 5), (8, 4)]})
    fig = build_members_over_time_figure(
        df, by="ecosystem", by_label="Ecosystem", granularity="year"
    )
    assert [t.type for t in fig.data] == ["scatter", "scatter"]
    assert [t.name for t in fig.data] == [HEALTH, DIGITAL]
    assert list(fig.data[0].x) == ["2022", "2023"]
    assert _values(fig.data[0].y) == [10, 25]
    assert _values(fig.data[1].y) == [5, 8]
    assert fig.data[0].line.color == ECOSYSTEM_COLOURS[HEALTH]
    assert fig.data[1].line.color == ECOSYSTEM_COLOURS[DIGITAL]
    assert fig.layout.yaxis.title.text == "Member organisations"
    assert fig.layout.xaxis.title.text == "Year (31 December)"
    assert fig.layout.title.text == "Member organisations at the end of each year, by ecosystem"
    assert fig.layout.showlegend is True


def test_members_over_time_pact_total_is_one_primary_line_without_legend() -> None:
    df = _members_frame({"Pact": [(100, 100), (180, 90)]})
    fig = build_members_over_time_figure(df, by="pact", by_label=None, granularity="quarter")
    assert len(fig.data) == 1
    assert fig.data[0].line.color == PRIMARY
    assert fig.layout.showlegend is False
    assert fig.layout.xaxis.title.text == "Quarter (last day)"
    assert fig.layout.title.text == "Member organisations at the end of each quarter"


def test_new_members_are_stacked_bars_of_the_input_values() -> None:
    df = _members_frame({"Automotive": [(10, 10), (25, 15)], "Tourism": [(5, 5), (8, 4)]})
    fig = build_new_members_figure(df, by="partnership", by_label="Partnership", granularity="year")
    assert [t.type for t in fig.data] == ["bar", "bar"]
    assert fig.layout.barmode == "stack"
    assert _values(fig.data[0].y) == [10, 15]
    assert _values(fig.data[1].y) == [5, 4]
    assert [t.marker.color for t in fig.data] == list(GROUP_COLOURS[:2])
    assert fig.layout.yaxis.title.text == "New member organisations"
    assert fig.layout.title.text == "New member organisations per year, by partnership"


@pytest.mark.parametrize(
    "builder", [build_members_over_time_figure, build_new_members_figure], ids=["members", "new"]
)
def test_growth_time_figures_empty(builder: object) -> None:
    empty = _members_frame({})
    fig = builder(empty, by="pact", by_label=None, granularity="year")  # type: ignore[operator]
    assert len(fig.data) == 0
    assert fig.layout.title.text


def test_fold_small_groups_keeps_the_largest_and_sums_the_rest() -> None:
    groups = {f"G{i:02d}": [(i, 1), (i * 10, i)] for i in range(1, 16)}
    df = _members_frame(groups)
    folded, n = fold_small_groups(df, top=12)
    assert n == 3
    order = list(dict.fromkeys(folded["group"]))
    assert order == [f"G{i:02d}" for i in range(15, 3, -1)] + [OTHER]
    other = folded[folded["group"] == OTHER].sort_values("period")
    assert list(other["members"]) == [1 + 2 + 3, 10 + 20 + 30]
    assert list(other["new_members"]) == [3, 1 + 2 + 3]
    # the kept groups are untouched
    g15 = folded[folded["group"] == "G15"]
    assert list(g15["members"]) == [15, 150]
    fig = build_members_over_time_figure(
        folded, by="partnership", by_label="Partnership", granularity="year"
    )
    assert fig.data[-1].name == OTHER and fig.data[-1].line.color == OTHER_COLOUR


def test_fold_small_groups_without_top_only_orders() -> None:
    df = _members_frame({"A": [(1, 1)], "B": [(5, 5)]})
    folded, n = fold_small_groups(df, top=None)
    assert n == 0
    assert list(folded["group"]) == ["B", "A"]


def test_grouping_note() -> None:
    assert grouping_note("pact", 0, 12) is None
    assert grouping_note("country", 0, 12) is None
    assert "other 4 are summed as Other" in (grouping_note("country", 4, 12) or "")
    assert "counts in both" in (grouping_note("ecosystem", 0, 12) or "")


def test_members_at_period_end_takes_the_last_period_largest_first() -> None:
    df = _members_frame(
        {"Spain": [(3, 3), (7, 4)], "France": [(5, 5), (9, 4)], "Malta": [(1, 1), (0, 0)]}
    )
    out = members_at_period_end(df, label="country")
    assert list(out.columns) == ["country", "members"]
    assert list(out["country"]) == ["France", "Spain"]  # Malta has none left
    assert list(out["members"]) == [9, 7]
    assert list(members_at_period_end(df, label="country", top=1)["country"]) == ["France"]


# -- Growth: members by country / type ---------------------------------------------------------


def test_members_by_country_horizontal_bars_largest_on_top() -> None:
    df = pd.DataFrame({"country": ["Germany", "France", "Italy"], "members": [50, 30, 10]})
    fig = build_members_by_country_figure(df, period="2024")
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    # plotly draws the first category at the bottom: the input is reversed
    assert list(bar.y) == ["Italy", "France", "Germany"]
    assert _values(bar.x) == [10, 30, 50]
    assert fig.layout.xaxis.title.text == "Member organisations"
    assert fig.layout.title.text == "Member organisations by country, end of 2024"


def test_members_by_org_type_bars() -> None:
    df = pd.DataFrame({"org_type": ["SME", "Cluster"], "members": [40, 4]})
    fig = build_members_by_org_type_figure(df, period="2023")
    bar = fig.data[0]
    assert dict(zip(bar.y, _values(bar.x), strict=True)) == {"SME": 40, "Cluster": 4}
    assert fig.layout.xaxis.title.text == "Member organisations"
    assert "2023" in fig.layout.title.text


@pytest.mark.parametrize(
    ("builder", "label"),
    [(build_members_by_country_figure, "country"), (build_members_by_org_type_figure, "org_type")],
)
def test_members_at_end_empty(builder: object, label: str) -> None:
    fig = builder(pd.DataFrame(columns=[label, "members"]), period="2024")  # type: ignore[operator]
    assert _is_empty(fig, "Member organisations by")


# -- Growth: launches ----------------------------------------------------------------------------


def _launches() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "short_name": ["Automotive", "Health Workforce", "RSP Styria", "Long-term Care"],
            "name": ["A", "B", "C", "D"],
            "kind": ["large-scale", "large-scale", "regional", "large-scale"],
            "ecosystem": [
                "Mobility-transport-automotive",
                HEALTH,
                "Mobility-transport-automotive",
                HEALTH,
            ],
            "launch_date": [
                date(2020, 11, 10),
                date(2022, 12, 6),
                date(2021, 6, 8),
                date(2023, 4, 20),
            ],
        }
    )


def test_launches_markers_on_dates_coloured_by_ecosystem_symbol_by_kind() -> None:
    fig = build_launches_figure(_launches())
    data_traces = [t for t in fig.data if t.showlegend is False]
    legend_keys = [t for t in fig.data if t.showlegend is not False]
    assert len(data_traces) == 2 and len(legend_keys) == 2
    assert all(t.type == "scatter" for t in fig.data)
    points = {}
    for trace in data_traces:
        assert (
            trace.marker.symbol
            == KIND_SYMBOLS[
                {"Large-scale partnership": "large-scale", "Regional partnership": "regional"}[
                    trace.name
                ]
            ]
        )
        for name, x, y, colour in zip(
            trace.text, trace.x, trace.y, trace.marker.color, strict=True
        ):
            points[name] = (pd.Timestamp(x).date(), y, colour, trace.marker.symbol)
    expected = _launches().set_index("short_name")
    assert set(points) == set(expected.index)
    for name, (day, ecosystem, colour, symbol) in points.items():
        assert day == expected.loc[name, "launch_date"]
        assert ecosystem == expected.loc[name, "ecosystem"]
        assert colour == ECOSYSTEM_COLOURS[ecosystem]
        assert symbol == KIND_SYMBOLS[expected.loc[name, "kind"]]
    assert fig.layout.xaxis.title.text == "Launch date"
    assert fig.layout.yaxis.title.text == "Ecosystem"
    # earliest ecosystem on top (category array is bottom-up)
    assert list(fig.layout.yaxis.categoryarray) == [HEALTH, "Mobility-transport-automotive"]


def test_launches_empty() -> None:
    assert _is_empty(build_launches_figure(_launches().iloc[0:0]), "Partnership launches")


# -- Gender: share bars ------------------------------------------------------------------------


def test_share_by_ecosystem_bars_sorted_coloured_with_parity_and_not_recorded_in_hover() -> None:
    df = _shares(
        "ecosystem", [(HEALTH, 75, 25, 0, 10), (DIGITAL, 20, 79, 1, 50), (TOURISM, 55, 45, 0, 0)]
    )
    fig = build_share_by_ecosystem_figure(share_frame(df, ["ecosystem"]), period="2021–2024")
    assert len(fig.data) == 1
    bar = fig.data[0]
    assert bar.type == "bar" and bar.orientation == "h"
    assert list(bar.y) == [DIGITAL, TOURISM, HEALTH]  # largest share drawn on top
    assert _values(bar.x) == pytest.approx([0.20, 0.55, 0.75])
    assert list(bar.marker.color) == [ECOSYSTEM_COLOURS[e] for e in bar.y]
    assert list(bar.text) == ["20.0%", "55.0%", "75.0%"]
    not_recorded = [row[2] for row in np.asarray(bar.customdata)]
    assert not_recorded == [50, 0, 10]
    assert "No gender recorded" in bar.hovertemplate and "customdata[2]" in bar.hovertemplate
    assert len(_parity_shapes(fig, "x")) == 1
    assert fig.layout.xaxis.title.text == SHARE_AXIS
    assert fig.layout.title.text.endswith("by ecosystem, 2021–2024")


def test_share_by_skill_area_uses_skill_area_colours() -> None:
    areas = list(SKILL_AREA_COLOURS)
    df = _shares("skill_area", [(areas[0], 30, 70, 0, 5), (areas[2], 40, 60, 0, 0)])
    fig = build_share_by_skill_area_figure(share_frame(df, ["skill_area"]), period="2024")
    bar = fig.data[0]
    assert list(bar.marker.color) == [SKILL_AREA_COLOURS[a] for a in bar.y]
    assert dict(zip(bar.y, _values(bar.x), strict=True)) == pytest.approx(
        {areas[0]: 0.3, areas[2]: 0.4}
    )
    assert len(_parity_shapes(fig, "x")) == 1
    assert fig.layout.xaxis.title.text == SHARE_AXIS


def _partnerships() -> pd.DataFrame:
    df = _shares(
        "partnership",
        [("Automotive", 15, 85, 0, 30), ("Digital", 25, 75, 0, 0), ("Tourism", 60, 40, 0, 5)],
    )
    df["ecosystem"] = ["Mobility-transport-automotive", DIGITAL, TOURISM]
    df["target_women_share"] = [0.20, 0.30, float("nan")]
    return share_frame(df, ["partnership", "ecosystem"], ["target_women_share"])


def test_share_by_partnership_bars_per_ecosystem_targets_only_where_set() -> None:
    df = _partnerships()
    fig = build_share_by_partnership_figure(df, period="2021–2024")
    bars = [t for t in fig.data if t.type == "bar"]
    targets = [t for t in fig.data if t.type == "scatter"]
    assert len(bars) == 3 and len(targets) == 1
    for bar in bars:
        assert bar.marker.color == ECOSYSTEM_COLOURS[bar.name]
        assert bar.orientation == "h"
        assert "No gender recorded" in bar.hovertemplate
    plotted = {y: x for bar in bars for y, x in zip(bar.y, _values(bar.x), strict=True)}
    assert plotted == pytest.approx(
        dict(zip(df["partnership"], df["women_share_recorded"], strict=True))
    )
    not_recorded = {
        y: row[2] for bar in bars for y, row in zip(bar.y, np.asarray(bar.customdata), strict=True)
    }
    assert not_recorded == {"Automotive": 30, "Digital": 0, "Tourism": 5}
    target = targets[0]
    assert target.name == TARGET_NAME
    assert dict(zip(target.y, _values(target.x), strict=True)) == pytest.approx(
        {"Automotive": 0.2, "Digital": 0.3}
    )
    assert list(fig.layout.yaxis.categoryarray) == ["Automotive", "Digital", "Tourism"]
    assert len(_parity_shapes(fig, "x")) == 1
    assert fig.layout.xaxis.title.text == SHARE_AXIS


def test_share_by_partnership_without_targets_has_no_target_trace() -> None:
    df = _partnerships().assign(target_women_share=float("nan"))
    fig = build_share_by_partnership_figure(df, period="2024")
    assert all(t.type == "bar" for t in fig.data)


def test_share_frame_drops_groups_with_nothing_recorded() -> None:
    df = _shares("ecosystem", [(HEALTH, 0, 0, 0, 40), (DIGITAL, 1, 3, 0, 0)])
    out = share_frame(df, ["ecosystem"])
    assert list(out["ecosystem"]) == [DIGITAL]
    assert list(out.columns) == [
        "ecosystem",
        "women",
        "recorded",
        "not_recorded",
        "women_share_recorded",
    ]


@pytest.mark.parametrize(
    ("builder", "label", "title"),
    [
        (build_share_by_ecosystem_figure, "ecosystem", "by ecosystem"),
        (build_share_by_skill_area_figure, "skill_area", "by skill area"),
        (build_share_by_partnership_figure, "partnership", "by partnership"),
        (build_gender_composition_figure, "ecosystem", "Gender of all trainees"),
    ],
)
def test_gender_bars_empty(builder: object, label: str, title: str) -> None:
    df = pd.DataFrame(columns=[label, "women", "recorded"])
    fig = builder(df, period="2024")  # type: ignore[operator]
    assert len(fig.data) == 0
    assert title in fig.layout.title.text


# -- Gender: over time -------------------------------------------------------------------------


def _trend(groups: dict[str, list[tuple[int, int, int]]]) -> pd.DataFrame:
    rows = []
    for group, per_year in groups.items():
        for offset, (women, men, not_recorded) in enumerate(per_year):
            row = _share_row(group, women, men, 0, not_recorded)
            row["year"] = 2022 + offset
            rows.append(row)
    return share_frame(pd.DataFrame(rows).rename(columns={"label": "group"}), ["year", "group"])


def test_share_over_time_by_ecosystem_lines_with_colours_and_parity() -> None:
    df = _trend({HEALTH: [(70, 30, 5), (76, 24, 0)], DIGITAL: [(20, 80, 9), (22, 78, 1)]})
    fig = build_share_over_time_figure(df, by_ecosystem=True)
    assert [t.type for t in fig.data] == ["scatter", "scatter"]
    assert [t.line.color for t in fig.data] == [
        ECOSYSTEM_COLOURS[HEALTH],
        ECOSYSTEM_COLOURS[DIGITAL],
    ]
    assert _values(fig.data[0].y) == pytest.approx([0.70, 0.76])
    assert list(fig.data[1].x) == ["2022", "2023"]
    assert [row[2] for row in np.asarray(fig.data[1].customdata)] == [9, 1]
    assert len(_parity_shapes(fig, "y")) == 1
    assert fig.layout.yaxis.title.text == SHARE_AXIS
    assert fig.layout.xaxis.title.text == "Reporting year"
    assert fig.layout.showlegend is True


def test_share_over_time_pact_total_is_one_line() -> None:
    fig = build_share_over_time_figure(_trend({"Pact": [(40, 60, 3)]}), by_ecosystem=False)
    assert len(fig.data) == 1 and fig.data[0].line.color == PRIMARY
    assert fig.layout.showlegend is False


def test_share_over_time_empty() -> None:
    fig = build_share_over_time_figure(pd.DataFrame(), by_ecosystem=False)
    assert _is_empty(fig, "Women among trainees")


# -- Gender: composition -----------------------------------------------------------------------


def test_composition_is_100_percent_stacked_with_gender_colours() -> None:
    df = _shares("ecosystem", [(HEALTH, 60, 20, 1, 19), (DIGITAL, 10, 40, 0, 50)])
    plotted = df[["ecosystem", "women", "men", "other_gender", "not_recorded", "people_trained"]]
    fig = build_gender_composition_figure(plotted, period="2024")
    assert [t.name for t in fig.data] == [label for _, label in COMPOSITION_PARTS]
    assert all(t.type == "bar" and t.orientation == "h" for t in fig.data)
    assert fig.layout.barmode == "stack"
    assert [t.marker.color for t in fig.data] == [GENDER_COLOURS[t.name] for t in fig.data]
    by_part = {t.name: dict(zip(t.y, _values(t.x), strict=True)) for t in fig.data}
    assert by_part["Not recorded"] == pytest.approx({HEALTH: 0.19, DIGITAL: 0.50})
    assert by_part["Women"] == pytest.approx({HEALTH: 0.60, DIGITAL: 0.10})
    for ecosystem in (HEALTH, DIGITAL):
        assert sum(part[ecosystem] for part in by_part.values()) == pytest.approx(1.0)
    counts = {
        y: row[0] for y, row in zip(fig.data[3].y, np.asarray(fig.data[3].customdata), strict=True)
    }
    assert counts == {HEALTH: 19, DIGITAL: 50}
    assert fig.layout.xaxis.title.text == "% of all trainees"


# -- Gender: texts -------------------------------------------------------------------------------


def test_women_share_summary_up_down_same_and_missing() -> None:
    def frame(shares: dict[int, float]) -> pd.DataFrame:
        return pd.DataFrame({"year": list(shares), "women_share_recorded": list(shares.values())})

    assert women_share_summary(frame({2023: 0.381, 2024: 0.397})) == (
        "Women were 39.7% of trainees with recorded gender in 2024, up from 38.1% in 2023."
    )
    assert "down from 40.0% in 2023" in women_share_summary(frame({2023: 0.40, 2024: 0.39}))
    assert "the same as 40.0%" in women_share_summary(frame({2023: 0.40001, 2024: 0.39999}))
    assert women_share_summary(frame({2024: 0.5})) == (
        "Women were 50.0% of trainees with recorded gender in 2024."
    )
    assert women_share_summary(frame({2023: 0.3, 2024: float("nan")})).endswith("in 2023.")
    assert women_share_summary(frame({})).startswith("No trainee")


def test_not_recorded_note_and_period_label() -> None:
    note = not_recorded_note(2_600_000, 236_604, "2021–2024")
    assert "9.1% of trainees (236,604 people) had no gender recorded" in note
    assert "not in the denominator" in note
    assert period_label(2021, 2024) == "2021–2024"
    assert period_label(2024, 2024) == "2024"


def test_quarter_axis_is_in_order_and_labelled_once_a_year() -> None:
    rows = [
        (f"{year}-Q{q}", date(year, 3 * q, 28), group, members, 1)
        for group, start in (("Late", 2022), ("Early", 2021))
        for year in range(start, 2023)
        for q, members in zip(range(1, 5), (1, 2, 3, 4), strict=True)
    ]
    df = pd.DataFrame(rows, columns=["period", "period_end", "group", "members", "new_members"])
    fig = build_members_over_time_figure(
        df, by="country", by_label="Country", granularity="quarter"
    )
    assert list(fig.layout.xaxis.categoryarray) == sorted(set(df["period"]))
    assert list(fig.layout.xaxis.tickvals) == ["2021-Q1", "2022-Q1"]


def test_launch_labels_of_close_launches_take_different_sides() -> None:
    df = pd.DataFrame(
        {
            "short_name": ["First partnership", "Second partnership", "Much later"],
            "name": ["A", "B", "C"],
            "kind": ["large-scale"] * 3,
            "ecosystem": [HEALTH] * 3,
            "launch_date": [date(2022, 1, 10), date(2022, 2, 10), date(2024, 6, 1)],
        }
    )
    positions = list(build_launches_figure(df).data[0].textposition)
    assert positions[0].split()[0] != positions[1].split()[0]
    assert positions[2].startswith("top")


def test_share_over_time_years_in_order_whatever_the_first_line() -> None:
    df = _trend({HEALTH: [(70, 30, 5)], DIGITAL: [(20, 80, 9), (22, 78, 1)]})
    df.loc[df["group"] == HEALTH, "year"] = 2023  # the first line starts later
    fig = build_share_over_time_figure(df, by_ecosystem=True)
    assert fig.layout.xaxis.categoryorder == "category ascending"
