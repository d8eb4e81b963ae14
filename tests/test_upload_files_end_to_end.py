"""Query tier, uploads end to end: files made here the way people make them, checked against a
real store's catalogue and loaded; every refused file leaves every table exactly as it was.

The reader and the checks have their own detailed tests (test_ingest_*.py) against a
catalogue built by hand; these go through the store: catalogue, check, commit.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import Caller, make_engine
from data_access.models import Organisation, OutcomeReport
from data_access.upload_rows import CheckedUpload, UploadKind
from data_access.uploads import catalogue, commit_upload, undo_batch
from fixtures.demo import DemoPact, build_demo_pact
from fixtures.load_demo import load_demo
from ingest import MAX_UPLOAD_BYTES, check_upload
from tests.callers import OFFICER, coordinator
from tests.store_fingerprint import store_fingerprint
from tests.upload_files import (
    binary_file,
    european_csv,
    one_long_line,
    xlsx_with_formatting,
    zip_but_not_workbook,
)

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
YEAR = 2025  # after every demo report, and begun: every line of the good files is new


@pytest.fixture(scope="module")
def pact() -> DemoPact:
    """The demo rows the store is seeded with."""
    return build_demo_pact()


@pytest.fixture(scope="module")
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A demo store of its own (SQLite file or PostgreSQL database), shared by this module:
    refused files change nothing, and loaded ones are undone by their test."""
    if ON_POSTGRES:
        url = request.getfixturevalue("postgres_databases").new("e2e")
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'pact.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine)
    yield engine
    engine.dispose()


def members_of(pact: DemoPact, slug: str, count: int) -> list[Any]:
    """The first `count` member organisations of a partnership."""
    by_key = {o.key: o for o in pact.organisations}
    keys = sorted({m.organisation for m in pact.memberships if m.partnership == slug})
    return [by_key[k] for k in keys[:count]]


def outcome_lines(pact: DemoPact, slug: str, count: int = 3) -> list[dict[str, Any]]:
    """Good outcome lines for members of a partnership."""
    return [
        {
            "partnership": slug,
            "organisation": org.name,
            "country": org.country_code,
            "year": YEAR,
            "quarter": "",
            "skill_area": "green",
            "women": 1200 + i,
            "men": 30 * i,
            "other_gender": 0,
            "not_recorded": 2,
            "programmes": i,
            "investment_eur": 12345.75 * (i + 1),
            "people_reached": 40 * i,
        }
        for i, org in enumerate(members_of(pact, slug, count))
    ]


def check(engine: Engine, caller: Caller, data: bytes, name: str) -> CheckedUpload:
    """Check a file against the store as the caller."""
    with Session(engine) as session:
        known = catalogue(session=session, caller=caller)
    return check_upload(data, name, UploadKind.OUTCOMES, known)


def refused(engine: Engine, caller: Caller, data: bytes, name: str) -> list[tuple[int, str, str]]:
    """Check a file that must be refused and try to load it anyway: the problems found,
    with the store asserted unchanged."""
    before = store_fingerprint(engine)
    upload = check(engine, caller, data, name)
    assert not upload.ok and upload.problems and not upload.rows
    with pytest.raises(ValueError):
        commit_upload(engine=engine, caller=caller, upload=upload)
    assert store_fingerprint(engine) == before
    return [(p.line, p.column, p.reason) for p in upload.problems]


def stored_lines(engine: Engine) -> list[tuple[str, int, int, float]]:
    """(organisation, women, men, investment) of the reports of YEAR, by organisation."""
    with Session(engine) as session:
        rows = session.execute(
            select(
                Organisation.name,
                OutcomeReport.women,
                OutcomeReport.men,
                OutcomeReport.investment_eur,
            )
            .join(Organisation, Organisation.id == OutcomeReport.organisation_id)  # type: ignore[arg-type]
            .where(OutcomeReport.year == YEAR)
            .order_by(Organisation.name)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def expected_lines(lines: list[dict[str, Any]]) -> list[tuple[str, int, int, float]]:
    """What the store should hold after loading these lines."""
    return sorted(
        (line["organisation"], line["women"], line["men"], line["investment_eur"]) for line in lines
    )


# --- files that load ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_european_csv_loads_exactly_what_it_says(
    store: Engine, pact: DemoPact, encoding: str
) -> None:
    slug = "automotive"
    lines = [
        line
        for line in outcome_lines(pact, slug, 6)
        if encoding != "cp1252"
        or line["organisation"].encode("cp1252", "ignore").decode("cp1252") == line["organisation"]
    ][:3]
    assert lines, "the demo has members whose names Windows-1252 can write"
    data = european_csv(lines, encoding=encoding, thousands=".", trailing_empty_rows=3)
    upload = check(store, coordinator(slug), data, "rapport.csv")
    assert upload.ok, upload.problems
    batch = commit_upload(engine=store, caller=coordinator(slug), upload=upload)
    assert batch is not None and batch.rows_new == len(lines)
    assert stored_lines(store) == expected_lines(lines)
    # the same file again changes nothing at all
    before = store_fingerprint(store)
    again = check(store, coordinator(slug), data, "rapport.csv")
    assert commit_upload(engine=store, caller=coordinator(slug), upload=again) is None
    assert store_fingerprint(store) == before
    undo_batch(engine=store, caller=coordinator(slug), batch_id=batch.id)
    assert stored_lines(store) == []


def test_formatted_workbook_with_several_sheets_loads(store: Engine, pact: DemoPact) -> None:
    lines = outcome_lines(pact, "tourism")
    data = xlsx_with_formatting(
        lines, sheet="outcomes", extra_sheets=["Instructions", "Notes"], title=f"Report {YEAR}"
    )
    upload = check(store, OFFICER, data, "report.xlsx")
    assert upload.ok, upload.problems
    batch = commit_upload(engine=store, caller=OFFICER, upload=upload)
    assert batch is not None and batch.rows_new == len(lines)
    assert stored_lines(store) == expected_lines(lines)
    undo_batch(engine=store, caller=OFFICER, batch_id=batch.id)
    assert stored_lines(store) == []


# --- files that are refused, store unchanged ---------------------------------------------


def test_formula_injection_and_html_are_refused(store: Engine, pact: DemoPact) -> None:
    lines = outcome_lines(pact, "automotive")
    lines[0]["organisation"] = '=HYPERLINK("http://example.invalid","x")'
    lines[1]["organisation"] = "<script>alert(1)</script> GmbH"
    lines[2]["skill_area"] = "@SUM(A1:A9)"
    problems = refused(store, OFFICER, european_csv(lines, encoding="utf-8"), "hostile.csv")
    reasons = {(line, column): reason for line, column, reason in problems}
    assert "formula" in reasons[(2, "organisation")]
    assert "HTML" in reasons[(3, "organisation")] or "markup" in reasons[(3, "organisation")]
    assert "formula" in reasons[(4, "skill_area")]


def test_a_line_outside_the_coordinators_partnership_is_refused(
    store: Engine, pact: DemoPact
) -> None:
    lines = outcome_lines(pact, "automotive", 2) + outcome_lines(pact, "tourism", 1)
    problems = refused(store, coordinator("automotive"), european_csv(lines, encoding="utf-8"),
                       "mixed.csv")  # fmt: skip
    assert [(line, column) for line, column, _ in problems] == [(4, "partnership")]
    assert "may not load data for" in problems[0][2]


def test_impossible_numbers_are_refused_with_line_and_column(store: Engine, pact: DemoPact) -> None:
    lines = outcome_lines(pact, "automotive", 4)
    lines[0]["women"] = -4
    lines[1]["investment_eur"] = "lots"
    lines[2]["year"] = 1999
    lines[3]["year"] = date.today().year + 1  # a year that has not begun
    problems = refused(store, OFFICER, european_csv(lines, encoding="utf-8"), "numbers.csv")
    assert {(line, column) for line, column, _ in problems} == {
        (2, "women"),
        (3, "investment_eur"),
        (4, "year"),
        (5, "year"),
    }
    assert "has not begun yet" in next(r for line, _, r in problems if line == 5)


def test_an_unknown_organisation_or_a_non_member_is_refused(store: Engine, pact: DemoPact) -> None:
    lines = outcome_lines(pact, "automotive", 2)
    lines[0]["organisation"] = "Nobody Known AG"
    outsider = next(
        o
        for o in pact.organisations
        if not any(
            m.organisation == o.key and m.partnership == "automotive" for m in pact.memberships
        )
    )
    lines[1]["organisation"], lines[1]["country"] = outsider.name, outsider.country_code
    problems = refused(store, OFFICER, european_csv(lines, encoding="utf-8"), "who.csv")
    assert {(line, column) for line, column, _ in problems} == {
        (2, "organisation"),
        (3, "organisation"),
    }


def test_duplicate_lines_are_refused(store: Engine, pact: DemoPact) -> None:
    lines = outcome_lines(pact, "automotive", 2)
    lines.append(dict(lines[0]))
    problems = refused(store, OFFICER, european_csv(lines, encoding="utf-8"), "twice.csv")
    assert [(line, column) for line, column, _ in problems] == [(4, "")]
    assert "repeats line 2" in problems[0][2]


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"\r\n\r\n  \r\n", "empty"),
        ("photo.csv", binary_file(), "not"),
        ("report.xlsx", zip_but_not_workbook(), "not"),
        ("report.xlsx", b"partnership;organisation\nautomotive;x\n", "not"),
        ("long.csv", one_long_line(), "longer than"),
        ("huge.csv", b"a" * (MAX_UPLOAD_BYTES + 1), "large"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "binary",
        "zip-not-workbook",
        "csv-named-xlsx",
        "1mb-line",
        "too-large",
    ],
)
def test_malformed_files_get_one_clear_message(
    store: Engine, name: str, data: bytes, says: str
) -> None:
    problems = refused(store, OFFICER, data, name)
    assert problems[0][0] == 0  # a file-level problem, not a traceback
    assert says in problems[0][2].lower()
    assert "Traceback" not in " ".join(reason for _, _, reason in problems)


def test_a_workbook_without_the_sheet_names_the_sheets_found(store: Engine) -> None:
    data = xlsx_with_formatting(
        [{"Name": "x", "Notes": "y"}], sheet="Sheet1", extra_sheets=["Instructions"]
    )
    problems = refused(store, OFFICER, data, "wrong.xlsx")
    assert problems[0][0] == 0
    assert "Sheet1" in problems[0][2] and "Instructions" in problems[0][2]


def test_undone_partial_file_is_not_possible(store: Engine, pact: DemoPact) -> None:
    """One bad line among good ones: nothing at all is loaded, not the good lines."""
    lines = outcome_lines(pact, "automotive", 3)
    lines[2]["men"] = "12,5"  # a fraction of a person
    problems = refused(store, OFFICER, european_csv(lines, encoding="utf-8"), "partly.csv")
    assert [(line, column) for line, column, _ in problems] == [(4, "men")]
    assert stored_lines(store) == []
