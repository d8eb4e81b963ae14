"""Tier 3, Gender balance: women's shares and not-recorded counts equal independent sums."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data_access import Filters
from figures.palette import ECOSYSTEM_COLOURS
from fixtures.demo import DemoReport
from tests.expected import ECOSYSTEM_NAME, SKILL_LABEL, Expected
from tests.plotly_spec import chart_titled as _chart
from tests.plotly_spec import values as _array

PAGE = "pages/gender.py"
CASES = [
    pytest.param({"eco": "health,digital", "from": "2023"},
                 {"year_from": 2023, "ecosystems": ("health", "digital")}, id="ecosystems"),
    pytest.param({"country": "DE,FR", "type": "sme", "to": "2023"},
                 {"year_to": 2023, "countries": ("DE", "FR"), "org_types": ("sme",)}, id="countries-type"),
]  # fmt: skip


# -- reading the page ----------------------------------------------------------------------------
def _bars(spec: dict[str, Any]) -> dict[str, tuple[float, int]]:
    """{category: (women's share, trainees without recorded gender)} over every bar trace."""
    out = {}
    for trace in spec["data"]:
        if trace["type"] != "bar":
            continue
        rows = _array(trace["customdata"])
        for y, x, row in zip(trace["y"], _array(trace["x"]), rows, strict=True):
            out[y] = (float(x), int(row[2]))
    return out


# -- independent expectations ------------------------------------------------------------------
def _by(
    rows: Iterable[DemoReport], key: Callable[[DemoReport], Any]
) -> dict[Any, list[DemoReport]]:
    out: dict[Any, list[DemoReport]] = {}
    for row in rows:
        out.setdefault(key(row), []).append(row)
    return out


def _recorded(rows: list[DemoReport]) -> int:
    return sum(r.women + r.men + r.other_gender for r in rows)


def _shares(groups: dict[Any, list[DemoReport]]) -> dict[Any, tuple[float, int]]:
    """{group: (women / recorded, not recorded)} for groups with any recorded gender."""
    return {
        group: (Expected.women_share(rows), sum(r.not_recorded for r in rows))
        for group, rows in groups.items()
        if _recorded(rows) > 0
    }


def _close(got: dict[Any, tuple[float, int]], want: dict[Any, tuple[float, int]]) -> None:
    assert set(got) == set(want)
    for key, (share, not_recorded) in want.items():
        assert got[key][0] == pytest.approx(share), key
        assert got[key][1] == not_recorded, key


def _summary(expected: Expected, f: Filters) -> str:
    years = {
        y: rows for y, rows in _by(expected.reports(f), lambda r: r.year).items() if _recorded(rows)
    }
    last = max(years)
    share = Expected.women_share(years[last])
    text = f"Women were {share:.1%} of trainees with recorded gender in {last}"
    if last - 1 not in years:
        return text + "."
    prev = Expected.women_share(years[last - 1])
    word = (
        "the same as"
        if f"{share:.1%}" == f"{prev:.1%}"
        else ("up from" if share > prev else "down from")
    )
    return f"{text}, {word} {prev:.1%} in {last - 1}."


# -- tests -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("params", "fields"), CASES)
def test_gender_shares_and_not_recorded(
    run_page: Callable[..., AppTest],
    expected: Expected,
    params: dict[str, str],
    fields: dict[str, Any],
) -> None:
    at = run_page(PAGE, **params)
    assert not at.exception, at.exception
    f = expected.filters(**fields)
    reports = expected.reports(f)
    seeds = expected.partnership

    by_partnership = _by(reports, lambda r: seeds[r.partnership].short_name)
    spec = _chart(at, "Women among trainees with recorded gender, by partnership")
    _close(_bars(spec), _shares(by_partnership))
    for trace in spec["data"]:
        if trace["type"] == "bar":
            assert trace["marker"]["color"] == ECOSYSTEM_COLOURS[trace["name"]]
    targets = [t for t in spec["data"] if t["type"] == "scatter"]
    want_targets = {
        p.short_name: p.target_women_share
        for p in expected.pact.partnerships
        if p.target_women_share is not None and p.short_name in _shares(by_partnership)
    }
    got_targets = {y: x for t in targets for y, x in zip(t["y"], _array(t["x"]), strict=True)}
    assert got_targets == pytest.approx(want_targets)
    assert any(s["x0"] == 0.5 and s["x1"] == 0.5 for s in spec["layout"]["shapes"])

    by_ecosystem = _by(reports, lambda r: ECOSYSTEM_NAME[seeds[r.partnership].ecosystem])
    _close(
        _bars(
            _chart(
                at, "Women among trainees with recorded gender, by ecosystem", section="ecosystems"
            )
        ),
        _shares(by_ecosystem),
    )
    by_skill = _by(reports, lambda r: SKILL_LABEL[r.skill_area])
    _close(
        _bars(
            _chart(
                at,
                "Women among trainees with recorded gender, by skill area",
                section="skill_areas",
            )
        ),
        _shares(by_skill),
    )

    composition = {
        t["name"]: t
        for t in _chart(at, "Gender of all trainees as recorded", section="composition")["data"]
    }
    not_recorded = composition["Not recorded"]
    got = {
        y: (float(x), int(row[0]))
        for y, x, row in zip(
            not_recorded["y"],
            _array(not_recorded["x"]),
            _array(not_recorded["customdata"]),
            strict=True,
        )
    }
    want = {
        eco: (
            sum(r.not_recorded for r in rows) / Expected.people(rows),
            sum(r.not_recorded for r in rows),
        )
        for eco, rows in by_ecosystem.items()
    }
    assert set(got) == set(want)
    for eco, (share, count) in want.items():
        assert got[eco][0] == pytest.approx(share) and got[eco][1] == count

    texts = " ".join(m.value for m in at.markdown)
    assert _summary(expected, f) in texts
    total_not_recorded = sum(r.not_recorded for r in reports)
    share_not_recorded = total_not_recorded / Expected.people(reports)
    assert (
        f"{share_not_recorded:.1%} of trainees ({total_not_recorded:,} people) had no gender recorded"
        in texts
    )


@pytest.mark.parametrize(("params", "fields"), CASES)
def test_gender_trend_toggle(
    run_page: Callable[..., AppTest],
    expected: Expected,
    params: dict[str, str],
    fields: dict[str, Any],
) -> None:
    at = run_page(PAGE, **params)
    f = expected.filters(**fields)
    reports = expected.reports(f)

    pact = _chart(at, "Women among trainees with recorded gender, by year", section="trend")["data"]
    assert [t["name"] for t in pact] == ["Pact"]
    want_pact = {str(y): share for y, (share, _) in _shares(_by(reports, lambda r: r.year)).items()}
    assert dict(zip(pact[0]["x"], _array(pact[0]["y"]), strict=True)) == pytest.approx(want_pact)

    at.segmented_control(key="gender_trend_by").set_value("ecosystem").run()
    assert not at.exception, at.exception
    lines = _chart(at, "Women among trainees with recorded gender, by year and ecosystem")["data"]
    seeds = expected.partnership
    per_ecosystem = _by(reports, lambda r: ECOSYSTEM_NAME[seeds[r.partnership].ecosystem])
    want = {
        eco: {str(y): share for y, (share, _) in _shares(_by(rows, lambda r: r.year)).items()}
        for eco, rows in per_ecosystem.items()
    }
    got = {t["name"]: dict(zip(t["x"], _array(t["y"]), strict=True)) for t in lines}
    assert set(got) == set(want)
    for eco, shares in want.items():
        assert got[eco] == pytest.approx(shares), eco
    assert all(t["line"]["color"] == ECOSYSTEM_COLOURS[t["name"]] for t in lines)


def test_trend_lines_choice_is_kept_in_the_url(run_page: Callable[..., AppTest]) -> None:
    at = run_page(PAGE, chart="trend", lines="ecosystem")
    assert not at.exception
    assert at.segmented_control(key="gender_trend_by").value == "ecosystem"
    at.segmented_control(key="gender_trend_by").set_value("pact").run()
    assert "lines" not in at.query_params
