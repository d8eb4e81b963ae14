"""Tier 1, the stress-data generator: deterministic, exactly the sizes asked for, demo-shaped,
and accepted by the schema's constraints on the backend under test; pages on stress data say
that it is synthetic."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import dataset_state, make_engine
from data_access.models import Membership, Organisation, OutcomeReport, Partnership
from data_access.reference import SKILL_AREAS
from fixtures.pact import PARTNERSHIPS
from fixtures.stress import build_stress_pact, load_stress
from tests.markdown_text import as_read

ORGANISATIONS, OUTCOMES = 400, 4_000


def test_same_arguments_give_the_same_rows() -> None:
    first = build_stress_pact(ORGANISATIONS, OUTCOMES, seed=7)
    second = build_stress_pact(ORGANISATIONS, OUTCOMES, seed=7)
    other = build_stress_pact(ORGANISATIONS, OUTCOMES, seed=8)
    assert first.rows == second.rows
    for column, values in first.reports.items():
        assert np.array_equal(values, second.reports[column]), column
    assert not np.array_equal(first.reports["women"], other.reports["women"])


def test_the_dataset_has_the_sizes_asked_for_and_the_demo_shape() -> None:
    pact = build_stress_pact(ORGANISATIONS, OUTCOMES)
    assert len(pact.rows.organisations) == ORGANISATIONS
    assert pact.report_count == OUTCOMES
    assert [p["slug"] for p in pact.rows.partnerships] == [p.slug for p in PARTNERSHIPS]
    reports = pact.reports
    members = {(m["partnership"], m["organisation"]) for m in pact.rows.memberships}
    pairs = set(zip(reports["partnership"].tolist(), reports["organisation"].tolist(), strict=True))
    assert pairs <= members  # only members report
    assert set(reports["skill_area"].tolist()) <= {code for code, _ in SKILL_AREAS}
    assert set(reports["quarter"].tolist()) <= {0, 1, 2, 3, 4}
    assert reports["year"].min() >= 2021 and reports["year"].max() <= 2024
    for column in ("women", "men", "other_gender", "not_recorded", "programmes"):
        assert (reports[column] >= 0).all(), column
    people = reports["women"] + reports["men"] + reports["other_gender"] + reports["not_recorded"]
    assert (people >= 1).all()
    women_share = reports["women"].sum() / (reports["women"] + reports["men"]).sum()
    assert 0.2 < women_share < 0.6  # the demo's ecosystems mix


def test_the_load_command_writes_everything_into_the_store(empty_engine: Engine) -> None:
    lines: list[str] = []
    timings = load_stress(
        empty_engine, organisations=ORGANISATIONS, outcomes=OUTCOMES, report=lines.append
    )
    assert timings["total"] >= 0 and any("outcome reports" in line for line in lines)
    with Session(empty_engine) as session:
        count = {
            model.__name__: session.scalar(select(func.count()).select_from(model))
            for model in (Partnership, Organisation, Membership, OutcomeReport)
        }
        assert count["Partnership"] == len(PARTNERSHIPS)
        assert count["Organisation"] == ORGANISATIONS
        assert count["OutcomeReport"] == OUTCOMES
        state = dataset_state(session=session)
        assert state.source == "stress" and state.is_demo  # synthetic: labelled as demo data
        assert state.source_label.startswith("Stress-test data (synthetic")
        orphans = session.execute(
            text(
                "SELECT count(*) FROM outcome_report r LEFT JOIN membership m"
                " ON m.partnership_id = r.partnership_id AND m.organisation_id = r.organisation_id"
                " WHERE m.id IS NULL"
            )
        ).scalar()
        assert orphans == 0
    with pytest.raises(ValueError, match="already holds data"):
        load_stress(empty_engine, organisations=ORGANISATIONS, outcomes=10, report=lines.append)


@pytest.fixture(scope="module")
def app_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The page tests of this module run on a small stress-test store (run_page uses it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('stress') / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_stress(engine, organisations=ORGANISATIONS, outcomes=OUTCOMES, report=lambda _: None)
    engine.dispose()
    return url


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/data.py"])
def test_pages_on_stress_data_say_it_is_synthetic(
    run_page: Callable[..., AppTest], page: str
) -> None:
    at = run_page(page)
    assert not at.exception, [e.value for e in at.exception]
    assert any(box.value.startswith("**Demo data.**") for box in at.info)
    shown = [as_read(c.value) for c in at.caption] + [as_read(m.value) for m in at.markdown]
    assert any("Stress-test data (synthetic" in text for text in shown), shown
