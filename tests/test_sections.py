"""Tier 3, a page's charts as tabs (ui/sections.py): one chart drawn per run, the open tab
kept in ?chart=, a tab the reader opens wins, an unknown value gives a notice and the first
tab, and a change of language keeps the tab open."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from figures.skills import TREEMAP_TITLE
from tests.markdown_text import as_read
from tests.plotly_spec import TABS, chart_specs
from ui.language import PICKER_KEY
from views import gender, growth, partnerships, profile, skills
from views.models import Chart

# Each page of tabs with its tabs' session key.
PAGES = [
    (page, f"{page.split('/')[1].removesuffix('.py')}_chart", tabs) for page, tabs in TABS.items()
]


def _titles(at: AppTest) -> list[str]:
    return [spec["layout"]["title"]["text"] for spec in chart_specs(at)]


def _tabs(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


@pytest.mark.parametrize(("page", "key", "sections"), PAGES, ids=lambda v: str(v)[:12])
def test_each_tab_draws_its_own_chart_alone(
    run_page: Callable[..., AppTest], page: str, key: str, sections: dict[str, str]
) -> None:
    """Every tab is listed, in the page's order; a run draws one chart, and each tab a
    different one."""
    at = run_page(page)
    assert not at.exception, at.exception
    assert _tabs(at) == list(sections.values())
    seen = []
    for name, label in sections.items():
        at.query_params["chart"] = name
        at.run()
        assert not at.exception, at.exception
        assert at.session_state[key] == label
        (title,) = _titles(at)
        seen.append(title)
    assert len(set(seen)) == len(sections)


def test_the_url_opens_a_tab_and_follows_the_reader(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/skills.py", chart="treemap", eco="health")
    assert not at.exception, at.exception
    assert _titles(at)[0].startswith(TREEMAP_TITLE[:20])
    # the reader opens another tab: the URL names it, the filters stay
    at.session_state["skills_chart"] = skills.SECTIONS["by_ecosystem"]
    at.run()
    assert at.query_params.get("chart") in ("by_ecosystem", ["by_ecosystem"])
    assert at.query_params.get("eco") in ("health", ["health"])
    # back on the first tab, the URL no longer names one
    at.session_state["skills_chart"] = skills.SECTIONS["by_skill_area"]
    at.run()
    assert "chart" not in at.query_params


def test_an_unknown_tab_gives_a_notice_and_the_first(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/gender.py", chart="<b>pie</b>")
    assert not at.exception, at.exception
    notices = " ".join(as_read(w.value) for w in at.warning)
    assert "Unknown value '<b>pie</b>' for 'chart' ignored" in notices
    assert "Unknown parameter 'chart'" not in notices
    assert _titles(at)[0].startswith("Women among trainees with recorded gender, by partnership")
    assert "chart" not in at.query_params


def test_a_change_of_language_keeps_the_tab_open(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/gender.py", chart="composition")
    english = _titles(at)
    at.selectbox(key=PICKER_KEY).select("de").run()
    assert not at.exception, at.exception
    assert at.query_params.get("chart") in ("composition", ["composition"])
    assert _tabs(at)[4] != gender.SECTIONS["composition"]  # the labels are in German
    assert at.session_state["gender_chart"] == _tabs(at)[4]
    (title,) = _titles(at)
    assert title != english[0]  # the same chart, its title in German


@pytest.mark.parametrize(
    ("view", "sections"),
    [
        (gender.Gender, gender.SECTIONS),
        (growth.Growth, growth.SECTIONS),
        (skills.Skills, skills.SECTIONS),
        (partnerships.Partnerships, partnerships.SECTIONS),
        (profile.Profile, profile.SECTIONS),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_every_tab_names_a_chart_of_its_view(view: type, sections: dict[str, str]) -> None:
    """Each tab's key is the view's field holding its chart (views.models.Sectioned), bar
    the gender trend, which the page draws from its own choice of lines."""
    charts = {f.name for f in dataclasses.fields(view) if f.type == "Chart"}
    assert set(sections) - {"trend"} <= charts
    assert len(set(sections.values())) == len(sections)  # tab labels differ


def test_a_section_that_is_no_chart_is_refused() -> None:
    chart = Chart(key="k", builder=lambda data: None, data=pd.DataFrame(), alt="a")
    view = partnerships.Partnerships(intro="x", table=None, scatter=chart, pledge=chart)  # type: ignore[arg-type]
    assert view.section("pledge") is chart
    for name in ("intro", "table", "nope"):
        with pytest.raises(KeyError):
            view.section(name)
