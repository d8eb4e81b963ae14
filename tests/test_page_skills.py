"""Tier 3, Skills delivered: plotted numbers equal values computed from the fixture rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data_access import Filters
from figures.skills import (
    ECOSYSTEM_TITLE,
    EFFORT_TITLE,
    PARTNERSHIP_TITLE,
    SKILL_AREA_TITLE,
    TREEMAP_SEPARATOR,
    TREEMAP_TITLE,
)
from tests.expected import ECOSYSTEM_NAME, SKILL_LABEL, Expected
from tests.markdown_text import as_read
from tests.plotly_spec import every_chart
from tests.plotly_spec import numbers as _array
from views.skills import SECTIONS

CASES = [
    pytest.param({"eco": "construction,digital", "from": "2023"},
                 Filters(year_from=2023, year_to=2024, ecosystems=("construction", "digital")),
                 id="ecosystems-from"),
    pytest.param({"country": "IT,ES", "skill": "green,technical"},
                 Filters(year_from=2020, year_to=2024, countries=("IT", "ES"),
                         skill_areas=("green", "technical")),
                 id="countries-skills"),
    pytest.param({"to": "2023", "type": "sme,large_company", "lsp": "automotive,tourism,tclf"},
                 Filters(year_from=2020, year_to=2023, org_types=("sme", "large_company"),
                         partnerships=("automotive", "tourism", "tclf")),
                 id="types-partnerships-to"),
]  # fmt: skip


def _compact(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:.2f}M".replace(".00M", "M")
    if value >= 100_000:
        return f"{value / 1_000:.0f}k"
    return f"{value:,.0f}"


def _charts(at: AppTest) -> dict[str, dict[str, Any]]:
    """The page's figures by title, from each of its tabs in turn."""
    return {spec["layout"]["title"]["text"]: spec for spec in every_chart(at, SECTIONS)}


def _sum_by(expected: Expected, f: Filters, key: Callable[..., tuple[str, ...]], measure: str
            ) -> dict[tuple[str, ...], float]:  # fmt: skip
    """A measure of the in-scope fixture rows summed per key(report, partnership)."""
    out: dict[tuple[str, ...], float] = defaultdict(float)
    for r in expected.reports(f):
        value = r.people if measure == "people" else getattr(r, measure)
        out[key(r, expected.partnership[r.partnership])] += value
    return {k: v for k, v in out.items() if v}


@pytest.mark.parametrize(("params", "filters"), CASES)
def test_skills_page_numbers(
    run_page: Callable[..., AppTest], expected: Expected, params: dict[str, str], filters: Filters
) -> None:
    at = run_page("pages/skills.py", **params)
    assert not at.exception, at.exception
    summary = next(m.value for m in at.markdown if "people up/re-skilled in" in m.value)
    charts = _charts(at)
    assert set(charts) == {SKILL_AREA_TITLE, ECOSYSTEM_TITLE, EFFORT_TITLE, PARTNERSHIP_TITLE,
                           TREEMAP_TITLE}  # fmt: skip

    # people by skill area and year
    want = _sum_by(expected, filters, lambda r, p: (str(r.year), SKILL_LABEL[r.skill_area]),
                   "people")  # fmt: skip
    got = {
        (year, trace["name"]): value
        for trace in charts[SKILL_AREA_TITLE]["data"]
        for year, value in zip(trace["x"], _array(trace["y"]), strict=True)
    }
    assert got == want

    # the summary sentence: total and largest skill area
    total = expected.people(expected.reports(filters))
    by_area = expected.people_by(filters, "skill_area")
    largest = max(by_area, key=by_area.__getitem__)
    assert summary.startswith(f"**{_compact(total)} people up/re-skilled in ")
    assert f"{largest.lower()} skills were the largest area" in as_read(summary)
    assert f"({by_area[largest] / total:.0%})" in summary

    # people by ecosystem
    (bar,) = charts[ECOSYSTEM_TITLE]["data"]
    assert dict(zip(bar["y"], _array(bar["x"]), strict=True)) == expected.people_by(
        filters, "ecosystem"
    )

    # programmes, investment (EUR million) and people reached per year
    programmes, investment, reached = charts[EFFORT_TITLE]["data"]
    for trace, measure, scale in ((programmes, "programmes", 1), (investment, "investment_eur", 1e6),
                                  (reached, "people_reached", 1)):  # fmt: skip
        per_year = _sum_by(expected, filters, lambda r, p: (str(r.year),), measure)
        got_year = dict(zip(trace["x"], _array(trace["y"]), strict=True))
        assert got_year.keys() == {y for (y,) in per_year}
        for (year,), value in per_year.items():
            assert got_year[year] == pytest.approx(value / scale)

    # partnerships: the top 20 by people, with their values
    by_partnership = expected.people_by(filters, "partnership")
    plotted = {
        name: value
        for trace in charts[PARTNERSHIP_TITLE]["data"]
        for name, value in zip(trace["y"], _array(trace["x"]), strict=True)
    }
    assert len(plotted) == min(20, len(by_partnership))
    assert all(by_partnership[name] == value for name, value in plotted.items())
    left_out = [v for name, v in by_partnership.items() if name not in plotted]
    assert all(v <= min(plotted.values()) for v in left_out)

    # treemap leaves: ecosystem | partnership | skill area
    (tree,) = charts[TREEMAP_TITLE]["data"]
    values = dict(zip(tree["ids"], _array(tree["values"]), strict=True))
    leaves = {tuple(i.split(TREEMAP_SEPARATOR)): v for i, v in values.items() if i.count(
        TREEMAP_SEPARATOR) == 2}  # fmt: skip
    want_leaves = _sum_by(
        expected,
        filters,
        lambda r, p: (ECOSYSTEM_NAME[p.ecosystem], p.short_name, SKILL_LABEL[r.skill_area]),
        "people",
    )
    assert leaves == want_leaves
    tops = [v for i, v in values.items() if TREEMAP_SEPARATOR not in i]
    assert sum(tops) == total
