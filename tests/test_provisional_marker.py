"""The provisional marker over a chart's year sits on that year, on a category axis too,
without stretching the axis (Plotly places an annotation there by the category's number)."""

from __future__ import annotations

import json

from ui.figure_cache import ChartFigure
from ui.render import _marked


def spec(x: list[object], categories: list[str] | None = None) -> ChartFigure:
    axis = {"type": "category", "categoryarray": categories} if categories else {}
    layout = {"xaxis": axis, "annotations": [{"text": "kept"}]}
    return ChartFigure(title="t", spec=json.dumps({"data": [{"x": x}], "layout": layout}))


def marked_x(figure: ChartFigure, years: list[int]) -> list[object]:
    notes = json.loads(_marked(figure, json.dumps(years), "provisional").spec)["layout"]
    return [note["x"] for note in notes["annotations"] if note.get("text") != "kept"]


def test_a_year_plotted_as_text_is_marked_at_its_category() -> None:
    years = ["2022", "2023", "2024"]
    assert marked_x(spec(years), [2024]) == [2]
    assert marked_x(spec(years, ["2021", *years]), [2024, 2023]) == [3, 2]
    assert marked_x(spec(years), [2019]) == []  # a year the chart does not plot


def test_a_year_plotted_as_a_number_is_marked_at_that_number() -> None:
    assert marked_x(spec([2022, 2023, 2024]), [2024]) == [2024]
