"""Benchmark: loading a 100,000-line outcome report file, from bytes to committed, per backend.

Generates a CSV of quarterly outcome lines for the demo Pact's members (2025 and 2026, not
in the demo, so every line is new: members x skill areas x quarters give the distinct
natural keys), then times, as an officer on a fresh demo store:

- catalogue: data_access.uploads.catalogue (what the file is checked against);
- read+check: ingest.check_upload (reading the CSV and checking every line);
- preview: data_access.uploads.preview_upload;
- commit: data_access.uploads.commit_upload (one transaction, with the undo records);
- total: the four together; the target is under 30 s.

In the same run, the same rows (ids already resolved) go into outcome_report through one plain
executemany INSERT, rolled back afterwards: the floor, what writing these rows costs without
looking anything up or recording anything; the JSON line gives commit / floor and total /
floor. On PostgreSQL a COPY of the rows is timed as well (the fastest way in, which the
commit uses for large files), and the undo of the batch on both. --catalogue-url times the
catalogue on an existing large store (e.g. the 1M-row stress store of bench/interactions.py),
only reading it. --format xlsx (or both) loads the same lines as an Excel workbook, as
coordinators often send them. --record writes bench/results/uploads.json with the machine and
versions.

    .venv/bin/python bench/uploads.py [--backend sqlite|postgresql|both] [--rows N]
        [--format csv|xlsx|both] [--catalogue-url URL] [--record]

The SQLite store is var/bench/uploads.sqlite3, the PostgreSQL one the database
pact_bench_uploads on the local server; both are made afresh on every run. Exit status 0
when every backend met the target.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import sqlite3
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import interactions  # noqa: E402  (memory_gib)
import page_rerun  # noqa: E402  (machine)

TARGET_TOTAL_S = 30.0
DEFAULT_URLS = {
    "sqlite": f"sqlite:///{REPO / 'var' / 'bench' / 'uploads.sqlite3'}",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/pact_bench_uploads",
}
YEARS = (2025, 2026)
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
    "total_people",
    "programmes",
    "investment_eur",
    "people_reached",
)


def fresh_store(url: str) -> Any:
    """An engine on a new store holding the demo Pact (an existing one is replaced)."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from data_access import make_engine
    from fixtures.load_demo import load_demo

    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    else:
        target = make_url(url)
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
        admin.dispose()
    engine = make_engine(url)
    load_demo(engine)
    return engine


def members(engine: Any) -> list[tuple[str, str, str, int, int]]:
    """Every (partnership slug, organisation, country, partnership id, organisation id) pair
    with a membership, in a fixed order."""
    from sqlalchemy import text

    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT DISTINCT p.slug, o.name, o.country_code, p.id, o.id FROM membership m"
                " JOIN partnership p ON p.id = m.partnership_id"
                " JOIN organisation o ON o.id = m.organisation_id ORDER BY p.id, o.id"
            )
        ).all()
    return [tuple(r) for r in rows]


def generate(engine: Any, count: int, seed: int = 2025) -> tuple[bytes, list[dict[str, Any]]]:
    """The CSV file and, for the floor, the same lines as outcome_report rows."""
    from data_access.reference import SKILL_AREAS

    pairs = members(engine)
    skills = [code for code, _ in SKILL_AREAS]
    capacity = len(pairs) * len(skills) * 4 * len(YEARS)
    if count > capacity:
        raise SystemExit(f"the demo store gives at most {capacity} distinct lines")
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    rows: list[dict[str, Any]] = []
    periods = [(year, quarter) for year in YEARS for quarter in (1, 2, 3, 4)]
    done = 0
    for year, quarter in periods:
        for slug, name, country, pid, oid in pairs:
            for skill in skills:
                if done == count:
                    break
                women, men = rng.randint(0, 400), rng.randint(0, 400)
                other, unknown = rng.randint(0, 3), rng.randint(0, 10)
                programmes = rng.randint(0, 20)
                investment = round(rng.uniform(0, 50_000), 2)
                reached = rng.randint(0, 5_000)
                writer.writerow(
                    (
                        slug,
                        name,
                        country,
                        year,
                        f"Q{quarter}",
                        skill,
                        women,
                        men,
                        other,
                        unknown,
                        women + men + other + unknown,
                        programmes,
                        f"{investment:.2f}",
                        reached,
                    )
                )
                rows.append(
                    {
                        "partnership_id": pid,
                        "organisation_id": oid,
                        "year": year,
                        "quarter": quarter,
                        "skill_area": skill,
                        "women": women,
                        "men": men,
                        "other_gender": other,
                        "not_recorded": unknown,
                        "programmes": programmes,
                        "investment_eur": investment,
                        "people_reached": reached,
                    }
                )
                done += 1
    return buffer.getvalue().encode("utf-8"), rows


def floor_insert(engine: Any, rows: list[dict[str, Any]]) -> float:
    """Seconds for one plain executemany INSERT of the rows into outcome_report, rolled back."""
    from sqlalchemy import insert

    from data_access.models import OutcomeReport

    table = OutcomeReport.__table__  # type: ignore[attr-defined]
    with engine.connect() as connection:
        transaction = connection.begin()
        started = time.perf_counter()
        connection.execute(insert(table), rows)
        seconds = time.perf_counter() - started
        transaction.rollback()
    return seconds


def floor_copy(engine: Any, rows: list[dict[str, Any]]) -> float | None:
    """PostgreSQL only: seconds for COPY of the same rows into outcome_report, rolled back
    (the fastest way in; the commit uses it too)."""
    if engine.dialect.name != "postgresql":
        return None
    columns = list(rows[0])
    with engine.connect() as connection:
        transaction = connection.begin()
        raw = connection.connection.driver_connection
        started = time.perf_counter()
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY outcome_report ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row([row[c] for c in columns])
        seconds = time.perf_counter() - started
        transaction.rollback()
    return seconds


def catalogue_at_scale(url: str) -> dict[str, Any]:
    """Seconds for the catalogue of an existing (large) store, as an officer (every
    partnership) and as a coordinator of one partnership; the store is only read."""
    from sqlalchemy import text
    from sqlmodel import Session

    from data_access import Caller, Role, make_engine
    from data_access.uploads import catalogue

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            outcomes, organisations, slug = connection.execute(
                text(
                    "SELECT (SELECT count(*) FROM outcome_report),"
                    " (SELECT count(*) FROM organisation),"
                    " (SELECT slug FROM partnership ORDER BY id LIMIT 1)"
                )
            ).one()
        timings: dict[str, Any] = {"outcome_rows": outcomes, "organisations": organisations}
        for name, caller in (
            ("officer_s", Caller(role=Role.OFFICER, email="bench@example.eu")),
            (
                "coordinator_s",
                Caller(role=Role.COORDINATOR, email="c@example.eu", partnerships=frozenset({slug})),
            ),
        ):
            started = time.perf_counter()
            with Session(engine) as session:
                catalogue(session=session, caller=caller)
            timings[name] = round(time.perf_counter() - started, 2)
    finally:
        engine.dispose()
    return timings


def as_workbook(data: bytes) -> bytes:
    """The same lines as an Excel workbook (numbers stored as numbers), as a sheet "outcomes"."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("outcomes")
    lines = csv.reader(io.StringIO(data.decode("utf-8")))
    sheet.append(next(lines))
    for line in lines:
        sheet.append([_cell(value) for value in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value: str) -> int | float | str:
    """A CSV field as Excel would hold it."""
    try:
        return int(value)
    except ValueError:
        try:
            return float(value)
        except ValueError:
            return value


def run_backend(backend: str, url: str, count: int, file_format: str = "csv") -> dict[str, Any]:
    """Generate, check, preview, commit and undo on one backend; the timings."""
    from sqlmodel import Session

    from data_access import Caller, Role
    from data_access.upload_rows import UploadKind
    from data_access.uploads import catalogue, commit_upload, preview_upload, undo_batch
    from ingest import check_upload

    officer = Caller(role=Role.OFFICER, email="bench@example.eu")
    engine = fresh_store(url)
    try:
        data, rows = generate(engine, count)
        if file_format == "xlsx":
            data = as_workbook(data)
        floor_s = floor_insert(engine, rows)
        copy_s = floor_copy(engine, rows)

        started = time.perf_counter()
        with Session(engine) as session:
            known = catalogue(session=session, caller=officer)
        catalogue_s = time.perf_counter() - started

        started = time.perf_counter()
        name = f"outcomes_{count // 1000}k.{file_format}"
        upload = check_upload(data, name, UploadKind.OUTCOMES, known)
        check_s = time.perf_counter() - started
        if upload.problems:
            first = upload.problems[0]
            raise SystemExit(f"the generated file has problems, e.g. line {first.line}: {first}")

        started = time.perf_counter()
        with Session(engine) as session:
            preview = preview_upload(session=session, caller=officer, upload=upload)
        preview_s = time.perf_counter() - started

        started = time.perf_counter()
        batch = commit_upload(engine=engine, caller=officer, upload=upload)
        commit_s = time.perf_counter() - started
        if batch is None or batch.rows_new != count or preview.new != count:
            raise SystemExit(f"expected {count} new lines, got {batch} / {preview.new}")

        started = time.perf_counter()
        undo_batch(engine=engine, caller=officer, batch_id=batch.id)
        undo_s = time.perf_counter() - started
    finally:
        engine.dispose()
    total_s = catalogue_s + check_s + preview_s + commit_s
    return {
        "benchmark": "uploads",
        "backend": backend,
        "format": file_format,
        "rows": count,
        "file_mb": round(len(data) / 1e6, 1),
        "catalogue_s": round(catalogue_s, 2),
        "read_check_s": round(check_s, 2),
        "preview_s": round(preview_s, 2),
        "commit_s": round(commit_s, 2),
        "total_s": round(total_s, 2),
        "undo_s": round(undo_s, 2),
        "floor_insert_s": round(floor_s, 2),
        "ratio_commit_to_floor": round(commit_s / floor_s, 1),
        "ratio_total_to_floor": round(total_s / floor_s, 1),
        "floor_copy_s": None if copy_s is None else round(copy_s, 2),
        "ratio_commit_to_copy": None if copy_s is None else round(commit_s / copy_s, 1),
        "load_average": [round(x, 1) for x in os.getloadavg()[:2]],
        "target_total_s": TARGET_TOTAL_S,
        "met": total_s < TARGET_TOTAL_S,
    }


def versions() -> dict[str, str]:
    """Versions of what the figures depend on."""
    found = {n: metadata.version(n) for n in ("SQLAlchemy", "sqlmodel", "psycopg", "openpyxl")}
    from sqlalchemy import create_engine

    engine = create_engine(DEFAULT_URLS["postgresql"].rsplit("/", 1)[0] + "/postgres")
    try:
        with engine.connect() as connection:
            found["postgresql"] = str(connection.exec_driver_sql("SHOW server_version").scalar())
    except Exception:  # no server: the SQLite figures stand alone
        pass
    engine.dispose()
    found["sqlite"] = sqlite3.sqlite_version
    return found


def main() -> int:
    """Run the benchmark, print a JSON line per backend, optionally record them."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="sqlite")
    parser.add_argument("--sqlite-url", default=DEFAULT_URLS["sqlite"])
    parser.add_argument("--postgresql-url", default=DEFAULT_URLS["postgresql"])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="csv")
    parser.add_argument("--record", action="store_true", help="write bench/results/uploads.json")
    parser.add_argument(
        "--catalogue-url",
        default=None,
        help="also time the catalogue on this existing store (e.g. the 1M-row stress store)",
    )
    args = parser.parse_args()

    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    urls = {"sqlite": args.sqlite_url, "postgresql": args.postgresql_url}
    formats = ["csv", "xlsx"] if args.format == "both" else [args.format]
    results = []
    for backend in backends:
        for file_format in formats:
            result = run_backend(backend, urls[backend], args.rows, file_format)
            results.append(result)
            print(json.dumps(result))
    scale = None
    if args.catalogue_url:
        scale = {
            "store": args.catalogue_url.rsplit("/", 1)[-1],
            **catalogue_at_scale(args.catalogue_url),
        }
        print(json.dumps({"benchmark": "uploads-catalogue", **scale}))
    if args.record:
        out = REPO / "bench" / "results" / "uploads.json"
        fresh = {(r["backend"], r["format"]) for r in results}
        kept = []  # runs of other backends and formats recorded before stay
        if out.exists():
            kept = [
                r
                for r in json.loads(out.read_text()).get("runs", [])
                if (r["backend"], r.get("format", "csv")) not in fresh
            ]
        recorded = {
            "benchmark": "uploads",
            "date": time.strftime("%Y-%m-%d"),
            "command": "python " + " ".join(sys.argv),
            "machine": {**page_rerun.machine(), "ram_gib": interactions.memory_gib()},
            "versions": versions(),
            "targets": {"total_s": TARGET_TOTAL_S},
            "runs": kept + results,
        }
        if scale is not None:
            recorded["catalogue_at_scale"] = scale
        elif out.exists() and "catalogue_at_scale" in json.loads(out.read_text()):
            recorded["catalogue_at_scale"] = json.loads(out.read_text())["catalogue_at_scale"]
        out.write_text(json.dumps(recorded, indent=2) + "\n")
        print(f"recorded in {out.relative_to(REPO)}")
    return 0 if all(r["met"] for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
