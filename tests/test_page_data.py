"""Page tier, the Data page: who may load, templates and column dictionary, the batch list
and undo offered only to whoever may undo (the store refuses others anyway)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import Caller, make_engine
from data_access.upload_rows import UploadKind
from data_access.uploads import UploadBatchInfo, catalogue, commit_upload
from fixtures.demo import build_demo_pact
from fixtures.load_demo import load_demo
from ingest import COLUMNS, check_upload
from tests.callers import ADMIN, OFFICER, coordinator
from tests.markdown_text import as_read
from tests.upload_files import plain_csv

REPO = Path(__file__).resolve().parent.parent
PAGE = "pages/data.py"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Engine]]:
    """A file store of its own (loads here must not change other tests' numbers)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('data-page') / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine)
    yield url, engine
    engine.dispose()


@pytest.fixture()
def open_page(
    store: tuple[str, Engine], monkeypatch: pytest.MonkeyPatch
) -> Callable[[Caller | None], AppTest]:
    """Run the Data page as a caller (None: the public)."""
    monkeypatch.setenv("DATABASE_URL", store[0])
    monkeypatch.setenv("PACT_TEST_IDENTITY_SEAM", "1")
    monkeypatch.chdir(REPO)

    def run(caller: Caller | None) -> AppTest:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(REPO / "dashboard.py"), default_timeout=60)
        if caller is not None:
            at.session_state["pact_test_identity"] = caller
        at.switch_page(PAGE)
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def texts(at: AppTest) -> str:
    """All the text the page shows in notices and markdown."""
    parts = [e.value for e in (*at.info, *at.error, *at.success, *at.warning, *at.markdown)]
    return "\n".join(str(p) for p in parts)


def test_public_gets_templates_but_no_uploader(open_page: Callable[..., AppTest]) -> None:
    at = open_page(None)
    assert "Loading reports is open to partnership coordinators" in texts(at)
    assert len(at.get("file_uploader")) == 0
    # four templates: CSV and Excel for each kind of file
    assert len(at.get("download_button")) == 4
    # the column dictionary of each kind lists every column
    tables = [t for t in at.table]
    shown = {as_read(str(name)) for table in tables for name in table.value["column"]}
    assert {spec.name for kind in UploadKind for spec in COLUMNS[kind]} <= shown


@pytest.mark.parametrize("caller", [OFFICER, ADMIN, coordinator("automotive")])
def test_callers_who_may_load_get_the_uploader(
    open_page: Callable[..., AppTest], caller: Caller
) -> None:
    at = open_page(caller)
    assert len(at.get("file_uploader")) == 1
    assert "Loading reports is open" not in texts(at)


def load_one_line(
    engine: Engine, caller: Caller, slug: str, year: int, file_name: str
) -> UploadBatchInfo:
    """Load a one-line outcomes file for a member of the partnership, as the caller."""
    pact = build_demo_pact()
    names = {o.key: o for o in pact.organisations}
    member = names[min(m.organisation for m in pact.memberships if m.partnership == slug)]
    row = {
        "partnership": slug, "organisation": member.name, "country": member.country_code,
        "year": year, "skill_area": "green", "women": 7, "men": 5, "other_gender": 0,
        "not_recorded": 0, "programmes": 1, "investment_eur": 10.0, "people_reached": 3,
    }  # fmt: skip
    with Session(engine) as session:
        known = catalogue(session=session, caller=caller)
    checked = check_upload(plain_csv([row]), file_name, UploadKind.OUTCOMES, known)
    assert checked.ok, checked.problems
    batch = commit_upload(engine=engine, caller=caller, upload=checked)
    assert batch is not None
    return batch


def test_batch_list_and_undo_only_for_its_uploader(
    open_page: Callable[..., AppTest], store: tuple[str, Engine]
) -> None:
    slug = build_demo_pact().partnerships[0].slug
    uploader = coordinator(slug)
    batch = load_one_line(store[1], uploader, slug, 2025, "one-row.csv")

    at = open_page(uploader)
    listed = at.dataframe[-1].value
    assert batch.id in set(listed["batch"])
    assert "one-row.csv" in set(listed["file"])
    assert any(b.key == "data_undo" for b in at.button)

    other = Caller(
        role=uploader.role, email="someone-else@example.org", partnerships=frozenset({slug})
    )
    at = open_page(other)
    assert batch.id in set(at.dataframe[-1].value["batch"])
    assert not any(b.key == "data_undo" for b in at.button)

    at = open_page(uploader)
    at.button(key="data_undo").click().run()
    assert any(f"Batch {batch.id}" in str(s.value) for s in at.success)
    status = at.dataframe[-1].value.set_index("batch").loc[batch.id, "status"]
    assert str(status).startswith("undone")


def test_files_superseded_by_a_whole_dataset_load_are_not_offered_for_undo(
    open_page: Callable[..., AppTest], store: tuple[str, Engine]
) -> None:
    engine = store[1]
    slug = build_demo_pact().partnerships[1].slug
    batch = load_one_line(engine, OFFICER, slug, 2025, "before-reload.csv")
    assert any(b.key == "data_undo" for b in open_page(OFFICER).button)

    load_demo(engine, replace=True)

    at = open_page(OFFICER)
    status = at.dataframe[-1].value.set_index("batch").loc[batch.id, "status"]
    assert str(status).startswith("superseded by the whole dataset loaded")
    assert not any(b.key == "data_undo" for b in at.button)
