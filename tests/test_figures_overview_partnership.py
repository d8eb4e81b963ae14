"""Tier 2: the Overview and partnership figure builders plot exactly their input."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from figures.layout import panel_grid
from figures.overview import build_pact_members_figure, build_people_trained_figure
from figures.palette import ECOSYSTEM_COLOURS
from figures.partnership import (
    build_partnership_scatter_figure,
    build_peer_figure,
    build_pledge_progress_figure,
    build_profile_members_figure,
    build_profile_pledge_figure,
)
from tests.plotly_spec import numbers


def test_members_figure_plots_members_per_year() -> None:
    df = pd.DataFrame({"year": [2022, 2023, 2024], "members": [1000, 2500, 3200]})
    fig = build_pact_members_figure(df)
    bar = fig.data[0]
    assert list(bar.x) == ["2022", "2023", "2024"]
    assert list(bar.y) == [1000, 2500, 3200]
    assert fig.layout.yaxis.title.text == "Member organisations"
    assert fig.layout.title.text


def test_people_figure_has_bars_and_cumulative_line() -> None:
    df = pd.DataFrame(
        {"year": [2023, 2024], "people_trained": [10, 20], "people_trained_cumulative": [10, 30]}
    )
    fig = build_people_trained_figure(df)
    assert [t.type for t in fig.data] == ["bar", "scatter"]
    assert list(fig.data[0].y) == [10, 20]
    assert list(fig.data[1].y) == [10, 30]
    assert "people" in fig.layout.yaxis.title.text.lower()


@pytest.mark.parametrize(
    "builder",
    [
        build_pact_members_figure,
        build_people_trained_figure,
        build_profile_members_figure,
        lambda df: build_partnership_scatter_figure(df, year=2024),
        lambda df: build_pledge_progress_figure(df, year=2024),
        lambda df: build_profile_pledge_figure(df, annual_pledge=None),
        lambda df: build_peer_figure(df, partnership="X"),
    ],
)
def test_empty_input_gives_titled_empty_figure(builder: object) -> None:
    fig = builder(pd.DataFrame())  # type: ignore[operator]
    assert fig.layout.title.text
    assert not fig.data
    assert "No data" in fig.layout.annotations[0].text


def test_scatter_colours_each_ecosystem_and_marks_regional() -> None:
    df = pd.DataFrame(
        {
            "short_name": ["Digital", "RSP X", "Tourism"],
            "ecosystem": ["Digital", "Digital", "Tourism"],
            "kind": ["large-scale", "regional", "large-scale"],
            "members": [300, 40, 200],
            "people_trained_last_year": [250_000, 30_000, 180_000],
        }
    )
    fig = build_partnership_scatter_figure(df, year=2024)
    by_name = {t.name: t for t in fig.data}
    assert by_name["Digital"].marker.color == ECOSYSTEM_COLOURS["Digital"]
    assert list(by_name["Digital"].marker.symbol) == ["circle", "diamond"]
    assert list(by_name["Digital"].x) == [300, 40]
    assert list(by_name["Tourism"].y) == [180_000]


def test_pledge_progress_sorted_in_percent_with_pledge_line() -> None:
    df = pd.DataFrame({"short_name": ["A", "B"], "pledge_progress": [0.9, 0.25]})
    fig = build_pledge_progress_figure(df, year=2024)
    assert list(fig.data[0].y) == ["B", "A"]
    assert list(fig.data[0].x) == pytest.approx([25.0, 90.0])
    assert fig.layout.shapes[0].x0 == 100
    assert fig.layout.xaxis.title.text == "% of the annual pledge"


def test_profile_figures_plot_their_columns() -> None:
    growth = pd.DataFrame(
        {"period": ["2023", "2024"], "period_end": [date(2023, 12, 31), date(2024, 12, 31)],
         "members": [5, 9], "new_members": [5, 4]}
    )  # fmt: skip
    fig = build_profile_members_figure(growth)
    assert numbers(fig.data[0].y) == [5, 4]
    assert numbers(fig.data[1].y) == [5, 9]
    pledge = build_profile_pledge_figure(
        pd.DataFrame({"year": [2023, 2024], "people_trained": [100, 200]}), annual_pledge=150.0
    )
    assert list(pledge.data[0].y) == [100, 200]
    assert pledge.layout.shapes[0].y0 == 150.0
    no_pledge = build_profile_pledge_figure(
        pd.DataFrame({"year": [2024], "people_trained": [1]}), annual_pledge=None
    )
    assert not no_pledge.layout.shapes


def test_peer_figure_one_panel_per_metric_with_percent_scaling() -> None:
    df = pd.DataFrame(
        {
            "metric": ["members", "women_share_recorded"],
            "label": ["Members", "Share of women"],
            "unit": ["organisations", "%"],
            "partnership": [120, 0.4],
            "ecosystem_median": [100, 0.5],
            "pact_median": [90, float("nan")],
        }
    )
    fig = build_peer_figure(df, partnership="Digital")
    assert len(fig.data) == 2
    assert list(fig.data[0].y) == [120, 100, 90]
    assert list(fig.data[1].y)[:2] == pytest.approx([40.0, 50.0])
    assert list(fig.data[1].y)[2] is None
    assert list(fig.data[1].text)[2] == "n/a"


@pytest.mark.parametrize(("rows", "cols"), [(1, 3), (2, 3), (3, 2)])
def test_panel_grid_lays_out_titled_panels_inside_the_figure(rows: int, cols: int) -> None:
    fig = go.Figure()
    titles = [f"panel {i}" for i in range(rows * cols)]
    refs = panel_grid(fig, rows=rows, cols=cols, titles=titles)
    assert refs[0] == ("x", "y") and refs[-1] == (f"x{rows * cols}", f"y{rows * cols}")
    for index in range(rows * cols):
        suffix = "" if index == 0 else str(index + 1)
        x_domain = fig.layout[f"xaxis{suffix}"].domain
        y_domain = fig.layout[f"yaxis{suffix}"].domain
        assert 0 <= x_domain[0] < x_domain[1] <= 1 and 0 <= y_domain[0] < y_domain[1] <= 1
        assert fig.layout[f"xaxis{suffix}"].anchor == f"y{suffix}"
    assert [a.text for a in fig.layout.annotations] == titles
