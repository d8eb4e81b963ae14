"""The command line for report files (python -m ingest): check, load, batches, undo, and the
exit status of each, against a store of its own holding the demo data.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import make_engine
from data_access.roles import COMMAND_LINE, grant_role
from fixtures.demo import DemoPact
from fixtures.load_demo import load_demo
from ingest import MAX_UPLOAD_BYTES
from ingest.__main__ import DENIED, NOT_CONFIRMED, OK, PROBLEMS, REFUSED, USAGE, main
from tests import pg
from tests.store_fingerprint import store_fingerprint

REPO = Path(__file__).resolve().parent.parent
ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
OFFICER = "officer@example.eu"
COORDINATOR = "coordinator@example.eu"  # of automotive
OTHER = "other@example.eu"  # coordinator of tourism
HEADER = (
    "partnership",
    "organisation",
    "country",
    "year",
    "quarter",
    "skill_area",
    "women",
    "men",
    "other_gender",
    "not_recorded",
    "programmes",
    "investment_eur",
    "people_reached",
)


@pytest.fixture()
def store_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """DATABASE_URL of a store holding the demo data and three role grants."""
    if ON_POSTGRES:
        databases: pg.Databases = request.getfixturevalue("postgres_databases")
        url = databases.new("cli")
    else:
        url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engine = make_engine(url)
    load_demo(engine)
    with Session(engine) as session:
        for email, role, partnership in (
            (OFFICER, "officer", None),
            (COORDINATOR, "coordinator", "automotive"),
            (OTHER, "coordinator", "tourism"),
        ):
            grant_role(
                session=session,
                caller=COMMAND_LINE,
                email=email,
                role=role,
                partnership=partnership,
                today=date(2026, 1, 5),
            )
        session.commit()
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


@pytest.fixture()
def engine(store_url: str) -> Iterator[Engine]:
    """An engine on the same store, for looking at it."""
    found = make_engine(store_url)
    yield found
    found.dispose()


def outcome_csv(rows: list[dict[str, object]]) -> bytes:
    """A plain CSV outcome file with these lines."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def good_rows(pact: DemoPact, count: int = 4) -> list[dict[str, object]]:
    """Lines for 2025 (not stored yet) of automotive members, as a coordinator writes them."""
    orgs = {o.key: o for o in pact.organisations}
    reports = [r for r in pact.reports if r.partnership == "automotive"][:count]
    return [
        {
            "partnership": "Automotive",
            "organisation": orgs[r.organisation].name,
            "country": orgs[r.organisation].country_code,
            "year": 2025,
            "quarter": "",
            "skill_area": r.skill_area,
            "women": 10 + i,
            "men": 20,
            "other_gender": 0,
            "not_recorded": 1,
            "programmes": 2,
            "investment_eur": "1500.50",
            "people_reached": 300,
        }
        for i, r in enumerate(reports)
    ]


def write(tmp_path: Path, name: str, data: bytes) -> str:
    """Save a file; its path."""
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def count_2025(engine: Engine) -> int:
    """Outcome rows for 2025."""
    with engine.connect() as connection:
        return int(
            connection.execute(text("SELECT count(*) FROM outcome_report WHERE year = 2025")).one()[
                0
            ]
        )


def test_check_lists_every_problem_and_loads_nothing(
    store_url: str,
    engine: Engine,
    demo_pact: DemoPact,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rows = good_rows(demo_pact)
    rows[1]["women"] = -5  # line 3
    rows[2]["skill_area"] = "juggling"  # line 4
    rows[3]["partnership"] = "Tourism"  # line 5: not the coordinator's
    path = write(tmp_path, "reports.csv", outcome_csv(rows))
    out_csv = tmp_path / "problems.csv"
    before = store_fingerprint(engine)

    status = main(
        ["check", path, "--kind", "outcomes", "--as", COORDINATOR, "--problems-csv", str(out_csv)]
    )

    printed = capsys.readouterr().out
    assert status == PROBLEMS
    assert "line 3, column women, value '-5'" in printed
    assert "line 4, column skill_area, value 'juggling'" in printed
    assert "line 5, column partnership, value 'Tourism'" in printed
    assert "line 2" not in printed
    listed = list(csv.reader(io.StringIO(out_csv.read_bytes().decode("utf-8-sig"))))
    assert listed[0] == ["line", "column", "value", "reason"]
    assert sorted({int(r[0]) for r in listed[1:]}) == [3, 4, 5]
    assert printed.count("\nline ") + printed.startswith("line ") == len(listed) - 1
    assert store_fingerprint(engine) == before


def test_load_asks_first_then_loads_once(
    store_url: str,
    engine: Engine,
    demo_pact: DemoPact,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, "reports.csv", outcome_csv(good_rows(demo_pact)))
    before = store_fingerprint(engine)

    assert main(["check", path, "--kind", "outcomes", "--as", COORDINATOR]) == OK
    assert "would add 4, replace 0" in capsys.readouterr().out
    assert main(["load", path, "--kind", "outcomes", "--as", COORDINATOR]) == NOT_CONFIRMED
    assert store_fingerprint(engine) == before  # not confirmed: nothing written

    assert main(["load", path, "--kind", "outcomes", "--as", COORDINATOR, "--yes"]) == OK
    assert "loaded as batch 1: 4 new, 0 replaced, 0 unchanged" in capsys.readouterr().out
    assert count_2025(engine) == 4
    loaded = store_fingerprint(engine)

    assert main(["load", path, "--kind", "outcomes", "--as", COORDINATOR, "--yes"]) == OK
    assert "nothing to load" in capsys.readouterr().out
    assert store_fingerprint(engine) == loaded


def test_batches_and_undo(
    store_url: str,
    engine: Engine,
    demo_pact: DemoPact,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = write(tmp_path, "reports.csv", outcome_csv(good_rows(demo_pact)))
    assert main(["load", path, "--kind", "outcomes", "--as", COORDINATOR, "--yes"]) == OK
    capsys.readouterr()

    assert main(["batches", "--as", OFFICER]) == OK
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 2 and listed[1].split("\t")[:3][0] == "1"
    assert f"\t{COORDINATOR}\toutcomes\treports.csv\t4\t0\t0\tautomotive\t" in listed[1] + "\t"
    assert main(["batches", "--as", OTHER]) == OK
    assert len(capsys.readouterr().out.splitlines()) == 1  # the header only

    assert main(["undo", "1", "--as", OTHER]) == DENIED
    assert main(["undo", "1", "--as", OFFICER]) == DENIED  # not the uploader, not an admin
    assert count_2025(engine) == 4
    assert main(["undo", "1", "--as", COORDINATOR]) == OK
    assert count_2025(engine) == 0
    assert main(["undo", "1", "--as", COORDINATOR]) == REFUSED
    assert "already undone" in capsys.readouterr().err


def test_unknown_addresses_and_unreadable_files_are_refused(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["batches", "--as", "stranger@example.eu"]) == DENIED
    assert "holds no role" in capsys.readouterr().err
    missing = str(tmp_path / "missing.csv")
    assert main(["check", missing, "--kind", "outcomes", "--as", OFFICER]) == USAGE
    with pytest.raises(SystemExit) as usage:
        main(["load", missing, "--as", OFFICER])  # no --kind
    assert usage.value.code == USAGE


def test_runs_as_a_module(store_url: str, demo_pact: DemoPact, tmp_path: Path) -> None:
    path = write(tmp_path, "reports.csv", outcome_csv(good_rows(demo_pact, 2)))
    done = subprocess.run(
        [sys.executable, "-m", "ingest", "check", path, "--kind", "outcomes", "--as", OFFICER],
        cwd=REPO,
        env={**os.environ, "DATABASE_URL": store_url},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == OK, done.stderr
    assert "2 line(s), no problems" in done.stdout


UNREADABLE = {
    "empty": b"",
    "blank": b" \r\n\r\n",
    "binary": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8,
    "pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
    "header only": ",".join(HEADER).encode() + b"\n",
    "no organisation column": b"partnership,country,year\nAutomotive,DE,2025\n",
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_a_file_that_cannot_be_read_exits_with_2(
    store_url: str,
    engine: Engine,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    path = write(tmp_path, "reports.csv", UNREADABLE[case])
    before = store_fingerprint(engine)
    for extra in ([], ["--yes"]):
        command = "load" if extra else "check"
        status = main([command, path, "--kind", "outcomes", "--as", OFFICER, *extra])
        assert status == USAGE == 2, command
        assert "error: " in capsys.readouterr().err
    assert store_fingerprint(engine) == before


def test_a_file_too_large_exits_with_2_before_it_is_read(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(MAX_UPLOAD_BYTES + 1)  # sparse: no 20 MB written
    status = main(["check", str(path), "--kind", "outcomes", "--as", OFFICER])
    assert status == USAGE
    assert "huge.csv is larger than 20 MB" in capsys.readouterr().err


def test_the_documented_exit_statuses_are_the_codes() -> None:
    text = (REPO / "docs" / "uploads.md").read_text("utf-8")
    for code, meaning in (
        (OK, "done"),
        (PROBLEMS, "the file has problems on its lines"),
        (USAGE, "wrong arguments, or the file cannot be read"),
        (DENIED, "not allowed"),
        (REFUSED, "refused by the store"),
        (NOT_CONFIRMED, "not loaded because not confirmed"),
    ):
        assert f"\n| {code} | {meaning}" in text, (code, meaning)
