"""Tier 3, the Reporting rounds page and the coordinators' checklist on the Data page (AppTest),
on a store of their own holding the demo and a round; the figures shown are checked against
the demo rows."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import PUBLIC, Caller, make_engine
from data_access.rounds import Stage, round_history
from fixtures.demo import DemoPact
from fixtures.demo_round import (
    APPROVED,
    CYCLE,
    LATE,
    RETURN_REASON,
    RETURNED,
    SUBMITTED,
    seed_demo_round,
)
from fixtures.load_demo import load_demo
from tests.callers import ADMIN, OFFICER, coordinator
from tests.conftest import ON_POSTGRES, REPO
from tests.expected import Expected, public_cells, record_keys
from tests.plotly_spec import chart_titled, numbers, values

TODAY = date.today()


@pytest.fixture()
def round_store(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, int]]:
    """A store of its own with the demo and the demo's round; the app points at it."""
    if ON_POSTGRES:
        url = request.getfixturevalue("postgres_databases").new("rounds_page")
        engine = make_engine(url)
        load_demo(engine)
    else:
        path = tmp_path / "rounds.sqlite3"
        shutil.copyfile(request.getfixturevalue("demo_file"), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
    found = seed_demo_round(engine, today=TODAY)
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("PACT_TEST_IDENTITY_SEAM", "1")
    monkeypatch.chdir(REPO)
    yield url, found.id


def run(page: str, caller: Caller) -> AppTest:
    """Run dashboard.py on a page as the caller."""
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
    at.session_state["pact_test_identity"] = caller
    at.switch_page(page)
    at.run()
    return at


def engine_of(url: str) -> Engine:
    return make_engine(url)


def test_officers_see_every_partnership_where_it_stands(
    round_store: tuple[str, int], demo_pact: DemoPact
) -> None:
    at = run("pages/rounds.py", OFFICER)
    assert not at.exception
    frames = [d.value for d in at.dataframe if "partnership" in d.value.columns]
    table = frames[0]
    slugs = sorted(p.slug for p in demo_pact.partnerships)
    names = {p.slug: p.short_name for p in demo_pact.partnerships}
    assert sorted(table["partnership"]) == sorted(names.values())
    late = {slugs[i] for i in range(len(slugs)) if CYCLE[i % len(CYCLE)] in (RETURNED, LATE)}
    end = date(2024, 12, 31)
    for slug in slugs:
        row = table[table["partnership"] == names[slug]].iloc[0]
        members = {
            m.organisation
            for m in demo_pact.memberships
            if m.partnership == slug
            and m.joined_on <= end
            and (m.left_on is None or m.left_on > end)
        }
        reported = {
            r.organisation for r in demo_pact.reports if r.partnership == slug and r.year == 2024
        }
        assert row["members"] == len(members)
        assert row["reported"] == len(members & reported)
        assert (row["overdue"] != "") is (slug in late)
        assert row["days_left"] == -3
    summary = " ".join(m.value for m in at.markdown)
    assert "approved" in summary


@pytest.mark.parametrize(
    "caller", [PUBLIC, coordinator("automotive")], ids=["public", "coordinator"]
)
def test_others_are_refused_the_rounds_page(round_store: tuple[str, int], caller: Caller) -> None:
    at = run("pages/rounds.py", caller)
    assert not at.exception
    assert any("Only Commission officers" in e.value for e in at.error)
    assert not at.dataframe


def test_a_coordinator_reads_the_reason_and_submits_again(
    round_store: tuple[str, int], demo_pact: DemoPact
) -> None:
    url, round_id = round_store
    slugs = sorted(p.slug for p in demo_pact.partnerships)
    returned = next(s for i, s in enumerate(slugs) if CYCLE[i % len(CYCLE)] == RETURNED)
    caller = Caller(
        role=coordinator(returned).role, email="c@example.org", partnerships=frozenset({returned})
    )
    at = run("pages/data.py", caller)
    assert not at.exception
    warnings = [w.value for w in at.warning] + [i.value for i in at.info]
    assert any(RETURN_REASON in w.replace("\\", "") for w in warnings), warnings
    button = at.button(key=f"rounds_submit_{returned}")
    assert not button.disabled
    button.click().run()
    assert not at.exception
    engine = engine_of(url)
    with Session(engine) as session:
        last = round_history(
            session=session, caller=ADMIN, round_id=round_id, partnership=returned
        )[-1]
    engine.dispose()
    assert (last.action, last.from_state, last.to_state) == (
        "submit",
        Stage.RETURNED.value,
        "submitted",
    )


def test_an_officer_approves_from_the_page(
    round_store: tuple[str, int], demo_pact: DemoPact
) -> None:
    url, round_id = round_store
    slugs = sorted(p.slug for p in demo_pact.partnerships)
    submitted = next(s for i, s in enumerate(slugs) if CYCLE[i % len(CYCLE)] == SUBMITTED)
    at = run("pages/rounds.py", OFFICER)
    at.selectbox(key="rounds_decide_partnership").set_value(submitted).run()
    assert not at.exception
    at.button(key="rounds_approve").click().run()
    assert not at.exception
    engine = engine_of(url)
    with Session(engine) as session:
        last = round_history(
            session=session, caller=ADMIN, round_id=round_id, partnership=submitted
        )[-1]
    engine.dispose()
    assert (last.action, last.moved_by) == ("approve", OFFICER.email)
    assert any("Approved" in s.value for s in at.success)
    assert timedelta(0) <= TODAY - last.moved_at.date() <= timedelta(days=1)


def test_officers_see_provisional_figures_marked_and_the_public_approved_ones_only(
    round_store: tuple[str, int], demo_pact: DemoPact
) -> None:
    slugs = sorted(p.slug for p in demo_pact.partnerships)
    approved = {s for i, s in enumerate(slugs) if CYCLE[i % len(CYCLE)] == APPROVED}

    officer = run("pages/overview.py", OFFICER)
    assert not officer.exception
    labels = [m.label for m in officer.metric]
    assert any(
        label.startswith("People up/re-skilled") and "(provisional)" in label for label in labels
    )
    assert not any(
        label.startswith("Member organisations") and "provisional" in label for label in labels
    )
    people = chart_titled(officer, "People up/re-skilled each year")
    years = [int(y) for y in values(people["data"][0]["x"])]
    every_row = [sum(r.people for r in demo_pact.reports if r.year == y) for y in years]
    assert numbers(people["data"][0]["y"]) == every_row  # exact: figures under review included
    marked = [a for a in people["layout"].get("annotations", []) if "provisional" in a["text"]]
    # The years are categories here, and Plotly places an annotation by the category's number.
    assert [years[int(a["x"])] for a in marked] == [2024]
    members = chart_titled(officer, "Member organisations at the end of each year")
    assert not [a for a in members["layout"].get("annotations", []) if "provisional" in a["text"]]

    public = run("pages/overview.py", PUBLIC)
    assert not public.exception
    assert not any("provisional" in m.label for m in public.metric)
    shown = chart_titled(public, "People up/re-skilled each year")
    assert not [a for a in shown["layout"].get("annotations", []) if "provisional" in a["text"]]
    engine = make_engine(round_store[0])
    keys = record_keys(engine)
    engine.dispose()
    kept = [r for r in demo_pact.reports if r.year != 2024 or r.partnership in approved]
    reduced = Expected(replace(demo_pact, reports=kept))
    cells = public_cells(reduced, keys, reduced.filters(), "year")
    public_years = [str(y) for y in values(shown["data"][0]["x"])]
    want = [cells[y].values["people_trained"] if y in cells else 0.0 for y in public_years]
    assert "2024" in public_years and want[public_years.index("2024")]
    assert numbers(shown["data"][0]["y"]) == want
