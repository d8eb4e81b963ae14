"""The shared figure cache (ui.figure_cache): its keys hold the data itself, so a view whose
numbers changed (a new data version, another caller's scope) never gets another view's
figure; identical views share one build; and the cached JSON is the validated figure's."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import pytest
import streamlit as st
from sqlalchemy import text, update
from streamlit.testing.v1 import AppTest

import ui.data
from data_access import PUBLIC, Caller, make_engine, session_scope
from data_access.dataset import record_change
from data_access.models import OutcomeReport
from figures.layout import FigureSpec, figure_builder
from figures.overview import PEOPLE_TITLE, build_pact_members_figure
from fixtures.load_demo import load_demo
from i18n import language, using
from tests.callers import OFFICER, coordinator
from tests.plotly_spec import (
    TABS,
    chart_specs,
    chart_titled,
    every_chart,
    numbers,
    open_data_tables,
)
from ui.figure_cache import cached_figure, fingerprint

REPO = Path(__file__).resolve().parent.parent

MEMBERS = pd.DataFrame(
    {
        "year": [2022, 2023, 2024],
        "members": [1000.0, 2500.0, np.nan],
        "suppressed": [False, False, True],
    }
)

builds: list[pd.DataFrame] = []  # what the counting builder was asked to draw


@figure_builder
def counting_members_figure(df: pd.DataFrame, *, title: str = "Members") -> FigureSpec:
    """A figure builder that notes every build."""
    builds.append(df)
    measure = "members" if "members" in df.columns else "new_members"
    traces = [{"type": "bar", "x": df["year"].astype(str), "y": df[measure]}]
    return FigureSpec(traces, {"title": {"text": title}})


@figure_builder
def speaking_members_figure(df: pd.DataFrame) -> FigureSpec:
    """A figure builder whose title is in the language of the build (as every builder's
    words are), noting every build."""
    builds.append(df)
    traces = [{"type": "bar", "x": df["year"].astype(str), "y": df["members"]}]
    return FigureSpec(traces, {"title": {"text": f"Members [{language()}]"}})


@pytest.fixture(autouse=True)
def fresh_caches() -> Iterator[None]:
    st.cache_data.clear()
    builds.clear()
    yield
    st.cache_data.clear()


def _variants() -> dict[str, pd.DataFrame]:
    base = MEMBERS
    return {
        "a value": base.assign(members=[1000.0, 2501.0, np.nan]),
        "a hidden cell shown": base.assign(members=[1000.0, 2500.0, 3200.0]),
        "a shown cell hidden": base.assign(members=[1000.0, np.nan, np.nan]),
        "a suppression flag": base.assign(suppressed=[False, True, True]),
        "a dtype": base.assign(year=base["year"].astype(float)),
        "a column name": base.rename(columns={"members": "new_members"}),
        "the column order": base[["members", "year", "suppressed"]],
        "the row order": base.iloc[::-1],
        "the index": base.set_axis([1, 2, 3]),
        "one row less": base.iloc[:2],
    }


def test_fingerprint_is_the_same_for_equal_frames() -> None:
    rebuilt = pd.DataFrame({column: MEMBERS[column].tolist() for column in MEMBERS.columns})
    assert fingerprint(MEMBERS.copy()) == fingerprint(MEMBERS) == fingerprint(rebuilt)


def test_each_language_gets_its_own_figure() -> None:
    with using("de"):
        german = cached_figure(speaking_members_figure, MEMBERS)
    with using("el"):
        greek = cached_figure(speaking_members_figure, MEMBERS)
    with using("de"):
        assert cached_figure(speaking_members_figure, MEMBERS) == german
    assert (german.title, greek.title) == ("Members [de]", "Members [el]")
    assert len(builds) == 2


@pytest.mark.parametrize("changed", list(_variants()))
def test_fingerprint_changes_with_any_change_of_the_frame(changed: str) -> None:
    assert fingerprint(_variants()[changed]) != fingerprint(MEMBERS)


def test_identical_views_share_one_build() -> None:
    first = cached_figure(counting_members_figure, MEMBERS)
    again = cached_figure(counting_members_figure, MEMBERS.copy())
    assert first == again
    assert len(builds) == 1


@pytest.mark.parametrize("changed", list(_variants()))
def test_changed_data_gets_its_own_figure(changed: str) -> None:
    frame = _variants()[changed]
    before = cached_figure(counting_members_figure, MEMBERS)
    after = cached_figure(counting_members_figure, frame)
    assert len(builds) == 2
    if "members" in frame.columns:
        assert numbers(json.loads(after.spec)["data"][0]["y"]) == pytest.approx(
            frame["members"].tolist(), nan_ok=True
        )
    assert cached_figure(counting_members_figure, MEMBERS) == before  # the first still served
    assert len(builds) == 2


def test_options_are_part_of_the_key() -> None:
    members = cached_figure(counting_members_figure, MEMBERS, title="Members")
    other = cached_figure(counting_members_figure, MEMBERS, title="Member organisations")
    assert (members.title, other.title) == ("Members", "Member organisations")
    assert len(builds) == 2


def test_keys_that_cannot_tell_views_apart_are_refused() -> None:
    with pytest.raises(TypeError):
        cached_figure(lambda df: build_pact_members_figure(df), MEMBERS)
    with pytest.raises(TypeError):
        cached_figure(counting_members_figure, MEMBERS, title=MEMBERS)


def test_a_shown_cached_figure_sends_what_the_figure_itself_sends() -> None:
    def script() -> None:
        import pandas as pd
        import streamlit as st

        from figures.overview import build_people_trained_figure
        from ui.figure_cache import cached_figure

        df = pd.DataFrame(
            {
                "year": [2023, 2024],
                "people_trained": [10, 20],
                "people_trained_cumulative": [10, 30],
            }
        )
        st.plotly_chart(build_people_trained_figure(df), key="figure", theme=None)
        shown = cached_figure(build_people_trained_figure, df).figure()
        st.plotly_chart(shown, key="cached", theme=None)

    at = AppTest.from_function(script).run()
    assert not at.exception, at.exception
    direct, cached = chart_specs(at)
    assert cached == direct
    assert cached["layout"]["title"]["text"] == PEOPLE_TITLE


# --------------------------------------------------------------------------- on the pages

PAGES = [
    ("pages/overview.py", {}),
    ("pages/growth.py", {"by": "ecosystem", "period": "quarter"}),
    ("pages/growth.py", {"by": "partnership", "country": "MT,LU,CY"}),
    ("pages/gender.py", {"lines": "ecosystem"}),
    ("pages/skills.py", {"eco": "health,digital"}),
    ("pages/partnerships.py", {}),
    ("pages/profile.py", {"p": "automotive"}),
    ("pages/map.py", {"view": "people"}),
    ("pages/map.py", {"country": "MT", "lsp": "tclf"}),
]


def _run(page: str, caller: Caller, params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.session_state["pact_test_identity"] = caller
    for name, value in params.items():
        at.query_params[name] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.fixture()
def on_the_app(app_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", app_database_url)
    monkeypatch.setenv("PACT_TEST_IDENTITY_SEAM", "1")
    monkeypatch.chdir(REPO)
    st.cache_resource.clear()


@pytest.mark.parametrize("caller", [OFFICER, PUBLIC], ids=["officer", "public"])
def test_cached_json_is_the_validated_figure_on_every_page(
    on_the_app: None, caller: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every figure the pages draw: the JSON made without validation (what the cache holds)
    parses to the same figure as Plotly's JSON of the validated go.Figure."""
    checked: list[str] = []
    unchecked = FigureSpec.to_json

    def checking(spec: FigureSpec) -> str:
        fast = unchecked(spec)
        assert json.loads(fast) == json.loads(pio.to_json(spec.figure(), validate=False))
        checked.append(spec.title or "")
        return fast

    monkeypatch.setattr(FigureSpec, "to_json", checking)
    for page, params in PAGES:
        st.cache_data.clear()
        every_chart(_run(page, caller, params), TABS.get(page, {}))
    assert len(checked) >= 20, checked


def test_callers_with_different_data_never_share_a_figure(on_the_app: None) -> None:
    """A public view (perturbed, with withheld cells) and an officer's exact view of the same filters,
    served from one shared cache in turn, each get exactly what they get alone."""
    views: list[tuple[str, Caller, dict[str, str]]] = [
        ("pages/growth.py", PUBLIC, {"country": "MT,LU,CY", "by": "ecosystem"}),
        ("pages/growth.py", OFFICER, {"country": "MT,LU,CY", "by": "ecosystem"}),
        ("pages/gender.py", PUBLIC, {"country": "MT,LU,CY"}),
        ("pages/gender.py", OFFICER, {"country": "MT,LU,CY"}),
        ("pages/profile.py", coordinator("automotive"), {"p": "automotive"}),
        ("pages/profile.py", PUBLIC, {"p": "automotive"}),
    ]
    alone = []
    for page, caller, params in views:
        st.cache_data.clear()
        alone.append(every_chart(_run(page, caller, params), TABS.get(page, {})))
    st.cache_data.clear()
    shared = [
        every_chart(_run(page, caller, params), TABS.get(page, {}))
        for page, caller, params in views
    ]
    shared_again = [
        every_chart(_run(page, caller, params), TABS.get(page, {}))
        for page, caller, params in views
    ]
    assert shared == alone
    assert shared_again == alone
    public_gender, officer_gender = alone[2], alone[3]
    assert public_gender != officer_gender, "the case needs data that differs between callers"


def test_a_write_shows_on_the_next_rerun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a write (which bumps the data version), the next rerun draws the new numbers:
    the cached figure of the old data is not served again."""
    url = f"sqlite:///{tmp_path / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PACT_TEST_IDENTITY_SEAM", "1")
    monkeypatch.chdir(REPO)
    st.cache_resource.clear()
    at = _run("pages/overview.py", OFFICER, {})
    before = chart_titled(at, PEOPLE_TITLE)
    people_before = numbers(before["data"][0]["y"])

    with session_scope(engine) as session:
        rows_2024 = session.execute(
            text("SELECT count(*) FROM outcome_report WHERE year = 2024")
        ).scalar_one()
        session.execute(
            update(OutcomeReport)
            .where(OutcomeReport.year == 2024)  # type: ignore[arg-type]
            .values(women=OutcomeReport.women + 10)
        )
        record_change(session=session, source="demo", as_of="2025-01-31")
    engine.dispose()
    ui.data.dataset.clear()  # the version is re-read every two seconds: now, not in two
    at.run()
    assert not at.exception, at.exception
    after = chart_titled(at, PEOPLE_TITLE)
    people_after = numbers(after["data"][0]["y"])
    assert rows_2024
    assert people_after[:-1] == people_before[:-1]
    assert people_after[-1] == people_before[-1] + 10 * rows_2024
    assert after != before


def test_the_chart_frame_is_the_same_for_a_cached_figure(
    run_page: Callable[..., AppTest],
) -> None:
    """A page drawn from the cache (the second session) shows the same charts, captions and
    data tables as the first."""
    first = open_data_tables(run_page("pages/skills.py", eco="health"))
    second = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    second.session_state["pact_test_identity"] = OFFICER
    second.query_params["eco"] = "health"
    second.switch_page("pages/skills.py")
    second = open_data_tables(second.run())
    assert not second.exception, second.exception
    assert second.table
    assert chart_specs(second) == chart_specs(first)
    assert [t.value.to_dict() for t in second.table] == [t.value.to_dict() for t in first.table]
    assert [c.value for c in second.caption] == [c.value for c in first.caption]
