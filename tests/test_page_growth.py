"""Tier 3, Growth: members and new members per period, by group, equal independent counts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data_access import Filters
from figures.palette import ECOSYSTEM_COLOURS
from tests.expected import ECOSYSTEM_NAME, Expected
from tests.markdown_text import as_read
from tests.plotly_spec import chart_titled as _chart
from tests.plotly_spec import values as _array

PAGE = "pages/growth.py"
CASES = [
    pytest.param({"eco": "health,digital", "from": "2023"},
                 {"year_from": 2023, "ecosystems": ("health", "digital")}, id="ecosystems"),
    pytest.param({"country": "DE,FR", "type": "sme", "to": "2023"},
                 {"year_to": 2023, "countries": ("DE", "FR"), "org_types": ("sme",)}, id="countries-type"),
]  # fmt: skip


# -- reading the page ----------------------------------------------------------------------------
def _series(spec: dict[str, Any]) -> dict[str, dict[str, int]]:
    """{trace name: {x: y}} of every trace of a chart."""
    return {
        trace["name"]: dict(
            zip(_array(trace["x"]), (int(v) for v in _array(trace["y"])), strict=True)
        )
        for trace in spec["data"]
    }


# -- independent expectations ------------------------------------------------------------------
def _periods(f: Filters, granularity: str) -> list[tuple[str, date]]:
    assert f.year_from is not None and f.year_to is not None
    out: list[tuple[str, date]] = []
    for year in range(f.year_from, f.year_to + 1):
        if granularity == "year":
            out.append((str(year), date(year, 12, 31)))
        else:
            ends = [date(year, 3, 31), date(year, 6, 30), date(year, 9, 30), date(year, 12, 31)]
            out += [(f"{year}-Q{q}", end) for q, end in enumerate(ends, start=1)]
    return out


def _members(
    expected: Expected, f: Filters, key: str, granularity: str
) -> dict[str, dict[str, int]]:
    """{group: {period: members active on the period's last day}} for every group in scope."""
    groups = {expected._group(m, key) for m in expected.memberships(f)}
    out: dict[str, dict[str, int]] = {group: {} for group in groups}
    for label, end in _periods(f, granularity):
        counts = expected.members_by(f, end, key)
        for group in groups:
            out[group][label] = counts.get(group, 0)
    return out


def _new_members(
    expected: Expected, f: Filters, key: str, granularity: str
) -> dict[str, dict[str, int]]:
    """{group: {period: organisations whose first join in the group falls in the period}}."""
    first_join: dict[tuple[str, int], date] = {}
    for m in expected.memberships(f):
        group = expected._group(m, key)
        known = first_join.get((group, m.organisation))
        if known is None or m.joined_on < known:
            first_join[(group, m.organisation)] = m.joined_on
    periods = _periods(f, granularity)
    starts = [periods[0][1].replace(month=1, day=1) - timedelta(days=1)] + [
        e for _, e in periods[:-1]
    ]
    out: dict[str, dict[str, int]] = {}
    for (group, _), joined in first_join.items():
        counts = out.setdefault(group, {label: 0 for label, _ in periods})
        for (label, end), start in zip(periods, starts, strict=True):
            if start < joined <= end:
                counts[label] += 1
    return out


# -- tests -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("params", "fields"), CASES)
def test_growth_pact_totals_by_year(
    run_page: Callable[..., AppTest],
    expected: Expected,
    params: dict[str, str],
    fields: dict[str, Any],
) -> None:
    at = run_page(PAGE, **params)
    assert not at.exception, at.exception
    f = expected.filters(**fields)

    members = _series(_chart(at, "Member organisations at the end of each year"))
    assert members == {
        "Pact": {
            str(y): expected.members_at(f, date(y, 12, 31))
            for y in range(f.year_from, f.year_to + 1)
        }
    }  # type: ignore[operator,arg-type]
    new = _series(_chart(at, "New member organisations per year", section="new_members"))
    assert new == {"Pact": _new_members(expected, f, "pact", "year")["Pact"]}

    end = date(f.year_to, 12, 31)  # type: ignore[arg-type]
    by_country = expected.members_by(f, end, "country")
    top20 = sorted(by_country.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    country = _chart(
        at, f"Member organisations by country, end of {f.year_to}", section="by_country"
    )["data"][0]
    plotted = list(zip(_array(country["customdata"]), _array(country["x"]), strict=True))
    assert [(row[0], int(x)) for row, x in plotted][::-1] == top20

    org_type = _chart(
        at, f"Member organisations by type, end of {f.year_to}", section="by_org_type"
    )["data"][0]
    plotted_types = {
        row[0]: int(x)
        for row, x in zip(_array(org_type["customdata"]), _array(org_type["x"]), strict=True)
    }
    assert plotted_types == expected.members_by(f, end, "org_type")


@pytest.mark.parametrize(("params", "fields"), CASES)
def test_growth_launches_in_scope(
    run_page: Callable[..., AppTest],
    expected: Expected,
    params: dict[str, str],
    fields: dict[str, Any],
) -> None:
    at = run_page(PAGE, **params)
    f = expected.filters(**fields)
    want = {
        p.short_name: (p.launch_date.isoformat(), ECOSYSTEM_NAME[p.ecosystem], p.kind)
        for p in expected.pact.partnerships
        if (not f.ecosystems or p.ecosystem in f.ecosystems)
        and p.launch_date <= date(f.year_to, 12, 31)  # type: ignore[arg-type]
    }
    symbol_kind = {"circle": "large-scale", "diamond": "regional"}
    got = {}
    for trace in _chart(at, "Partnership launches", section="launches")["data"]:
        if trace.get("showlegend") is False:
            for name, x, y, colour in zip(
                trace["text"], trace["x"], trace["y"], trace["marker"]["color"], strict=True
            ):
                got[name] = (str(x)[:10], y, symbol_kind[trace["marker"]["symbol"]])
                assert colour == ECOSYSTEM_COLOURS[y]
    assert got == want


def test_growth_by_ecosystem_per_quarter(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    params, fields = CASES[1].values
    at = run_page(PAGE, **params)
    f = expected.filters(**fields)
    assert list(_series(_chart(at, "Member organisations at the end of each year"))) == ["Pact"]

    at.segmented_control(key="growth_by").set_value("ecosystem")
    at.segmented_control(key="growth_granularity").set_value("quarter")
    at.run()
    assert not at.exception, at.exception

    spec = _chart(at, "Member organisations at the end of each quarter, by ecosystem")
    assert _series(spec) == _members(expected, f, "ecosystem", "quarter")
    for trace in spec["data"]:
        assert trace["line"]["color"] == ECOSYSTEM_COLOURS[trace["name"]]
    new = _chart(at, "New member organisations per quarter, by ecosystem", section="new_members")
    assert new["layout"]["barmode"] == "stack"
    assert _series(new) == _new_members(expected, f, "ecosystem", "quarter")


def test_growth_by_partnership_folds_the_smaller_ones_into_other(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    at = run_page(PAGE, **{"from": "2022"})
    at.segmented_control(key="growth_by").set_value("partnership").run()
    assert not at.exception, at.exception
    f = expected.filters(year_from=2022)

    members = _members(expected, f, "partnership", "year")
    last = str(f.year_to)
    ranked = sorted(members, key=lambda g: (-members[g][last], g))
    top, rest = ranked[:12], ranked[12:]
    assert len(rest) > 0
    want = {g: members[g] for g in top}
    want["Other"] = {p: sum(members[g][p] for g in rest) for p in members[top[0]]}
    spec = _chart(at, "Member organisations at the end of each year, by partnership")
    assert _series(spec) == want
    assert [t["name"] for t in spec["data"]] == [*top, "Other"]

    new = _new_members(expected, f, "partnership", "year")
    want_new = {g: new[g] for g in top}
    want_new["Other"] = {p: sum(new[g][p] for g in rest) for p in new[top[0]]}
    assert (
        _series(
            _chart(at, "New member organisations per year, by partnership", section="new_members")
        )
        == want_new
    )
    assert any(f"the other {len(rest)} are summed as Other" in c.value for c in at.caption)


def test_grouping_and_periods_are_kept_in_the_url(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/growth.py", by="country", period="quarter")
    assert not at.exception
    assert at.segmented_control(key="growth_by").value == "country"
    assert at.segmented_control(key="growth_granularity").value == "quarter"
    at.segmented_control(key="growth_by").set_value("org_type").run()
    assert at.query_params["by"] == "org_type"
    assert at.query_params["period"] == "quarter"
    at.segmented_control(key="growth_granularity").set_value("year").run()
    assert "period" not in at.query_params  # the default is left out of the link


def test_unknown_grouping_in_the_url_gives_a_notice(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/growth.py", by="planet")
    assert not at.exception
    assert any("Unknown value 'planet' for 'by'" in as_read(w.value) for w in at.warning)
    assert at.segmented_control(key="growth_by").value == "pact"
