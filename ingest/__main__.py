"""Command line for report files: check one, load one, list loaded files, undo one.

    python -m ingest check FILE --kind members|outcomes --as EMAIL [--problems-csv OUT]
    python -m ingest load FILE --kind members|outcomes --as EMAIL [--yes]
    python -m ingest batches --as EMAIL [--limit N]
    python -m ingest undo BATCH_ID --as EMAIL

The store is DATABASE_URL (or --database-url), as for the app, and is migrated first. The
command acts as the role the address holds in the store (see python -m data_access.roles):
whoever can reach the database can act as any address, as with the roles command.

Exit status: 0 done (or nothing to change), 1 the file has problems on its lines, 2 wrong
arguments or a file that cannot be read as an upload at all (missing, empty, too large, not a
spreadsheet, no rows, a required column missing), 3 the address may not do this, 4 the store
refused (the message says why), 5 not loaded because not confirmed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access import AccessDenied, Caller, Role
from data_access.engine import create_schema, database_url, make_engine
from data_access.roles import caller_for_email
from data_access.upload_rows import CheckedUpload, UploadKind
from data_access.uploads import (
    UploadBatchInfo,
    UploadPreview,
    catalogue,
    commit_upload,
    list_batches,
    preview_upload,
    undo_batch,
)
from ingest import MAX_UPLOAD_BYTES, check_upload, problems_csv
from ingest.reader import too_large

OK, PROBLEMS, USAGE, DENIED, REFUSED, NOT_CONFIRMED = 0, 1, 2, 3, 4, 5
SHOWN_LINES = 20  # changing lines a load lists before asking


def main(argv: list[str] | None = None) -> int:
    """Run one command; returns the exit status."""
    args = _parser().parse_args(argv)
    data = b""
    if args.command in ("check", "load"):
        path = Path(args.file)
        try:
            if path.stat().st_size > MAX_UPLOAD_BYTES:  # refused before it is read
                print(f"error: {too_large(path.name)}", file=sys.stderr)
                return USAGE
            data = path.read_bytes()
        except OSError as error:
            print(f"error: cannot read {path}: {error.strerror or error}", file=sys.stderr)
            return USAGE
    engine = make_engine(args.database_url or database_url())
    try:
        create_schema(engine)
        caller = _caller(engine, args.email)
        if caller is None:
            print(
                f"error: {args.email} holds no role in this store; an admin grants one with "
                "python -m data_access.roles grant",
                file=sys.stderr,
            )
            return DENIED
        if args.command == "batches":
            return _batches(engine, caller, args.limit)
        if args.command == "undo":
            return _undo(engine, caller, args.batch_id)
        upload = _check(engine, caller, data, path.name, UploadKind(args.kind))
        if _unreadable(upload):
            if args.command == "check" and args.problems_csv:
                Path(args.problems_csv).write_bytes(problems_csv(upload.problems))
            for problem in upload.problems:
                print(f"error: {problem.reason}", file=sys.stderr)
            print(f"{upload.file_name}: not read; nothing loaded", file=sys.stderr)
            return USAGE
        if args.command == "check":
            return _report_check(engine, caller, upload, args.problems_csv)
        return _load(engine, caller, upload, confirmed=args.yes)
    except AccessDenied as error:
        print(f"not allowed: {error}", file=sys.stderr)
        return DENIED
    except ValueError as error:
        print(f"refused: {error}", file=sys.stderr)
        return REFUSED
    finally:
        engine.dispose()


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--as", dest="email", required=True, metavar="EMAIL", help="act as")
    common.add_argument("--database-url", default=None, help="defaults to DATABASE_URL")
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Check, load and undo members and outcome report files.",
        epilog="Exit status: 0 done, 1 problems on the file's lines, 2 wrong arguments or a "
        "file that cannot be read as an upload, 3 not allowed, 4 refused by the store, 5 not "
        "confirmed.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    kinds = [k.value for k in UploadKind]
    check = commands.add_parser("check", parents=[common], help="list every problem of a file")
    check.add_argument("file")
    check.add_argument("--kind", required=True, choices=kinds)
    check.add_argument("--problems-csv", default=None, metavar="OUT", help="write them here")
    load = commands.add_parser("load", parents=[common], help="check a file, then load it")
    load.add_argument("file")
    load.add_argument("--kind", required=True, choices=kinds)
    load.add_argument("--yes", action="store_true", help="load without asking")
    batches = commands.add_parser("batches", parents=[common], help="list loaded files")
    batches.add_argument("--limit", type=int, default=100)
    undo = commands.add_parser("undo", parents=[common], help="take a loaded file out again")
    undo.add_argument("batch_id", type=int)
    return parser


def _caller(engine: Engine, email: str) -> Caller | None:
    with Session(engine) as session:
        caller = caller_for_email(session=session, email=email, verified=True)
    return None if caller.role is Role.PUBLIC else caller


def _unreadable(upload: CheckedUpload) -> bool:
    """Whether the file was refused as a whole (empty, not a spreadsheet, too large, no rows,
    a required column missing): it could not be read as an upload at all."""
    return upload.lines == 0 and bool(upload.problems)


def _check(
    engine: Engine, caller: Caller, data: bytes, file_name: str, kind: UploadKind
) -> CheckedUpload:
    with Session(engine) as session:
        known = catalogue(session=session, caller=caller)
    return check_upload(data, file_name, kind, known)


def _print_problems(upload: CheckedUpload, out: TextIO) -> None:
    for problem in upload.problems:
        where = f"line {problem.line}" if problem.line else "file"
        column = f", column {problem.column}" if problem.column else ""
        value = f", value {problem.value!r}" if problem.value else ""
        print(f"{where}{column}{value}: {problem.reason}", file=out)
    print(f"{upload.file_name}: {len(upload.problems)} problem(s); nothing loaded", file=out)


def _report_check(
    engine: Engine, caller: Caller, upload: CheckedUpload, problems_out: str | None
) -> int:
    if problems_out:
        Path(problems_out).write_bytes(problems_csv(upload.problems))
    if upload.problems:
        _print_problems(upload, sys.stdout)
        return PROBLEMS
    with Session(engine) as session:
        preview = preview_upload(session=session, caller=caller, upload=upload)
    print(f"{upload.file_name}: {upload.lines} line(s), no problems")
    _print_preview(preview, shown=0)
    return OK


def _print_preview(preview: UploadPreview, shown: int) -> None:
    print(
        f"loading it would add {preview.new}, replace {preview.replacing} and leave "
        f"{preview.unchanged} line(s) as stored"
        + (
            f"; {preview.organisations_new} new organisation(s)"
            if preview.organisations_new
            else ""
        )
        + (f"; partnerships: {', '.join(preview.partnerships)}" if preview.partnerships else "")
    )
    for line in preview.lines[:shown]:
        print(f"  line {line.line}: {line.status.value}: {line.changes}")
    more = max(0, len(preview.lines) - shown) + preview.more_lines
    if shown and more:
        print(f"  … and {more} more changing line(s)")
    for note in preview.notes:
        print(f"  note: {note}")


def _load(engine: Engine, caller: Caller, upload: CheckedUpload, confirmed: bool) -> int:
    if upload.problems:
        _print_problems(upload, sys.stdout)
        return PROBLEMS
    with Session(engine) as session:
        preview = preview_upload(session=session, caller=caller, upload=upload)
    _print_preview(preview, shown=SHOWN_LINES)
    if not preview.changes_anything:
        print("nothing to load: every line is already stored as it is")
        return OK
    if not confirmed and not _ask("load it?"):
        print("not loaded (add --yes to load without asking)")
        return NOT_CONFIRMED
    info = commit_upload(engine=engine, caller=caller, upload=upload)
    if info is None:
        print("nothing to load: the store already holds every line (loaded meanwhile)")
        return OK
    print(
        f"loaded as batch {info.id}: {info.rows_new} new, {info.rows_replaced} replaced, "
        f"{info.rows_unchanged} unchanged (undo: python -m ingest undo {info.id} --as "
        f"{caller.email})"
    )
    return OK


def _ask(question: str) -> bool:
    if not sys.stdin.isatty():
        return False
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _batches(engine: Engine, caller: Caller, limit: int) -> int:
    with Session(engine) as session:
        batches = list_batches(session=session, caller=caller, limit=limit)
    print("batch\tloaded (UTC)\tby\tkind\tfile\tnew\treplaced\tunchanged\tpartnerships\tstatus")
    for batch in batches:
        print(_describe(batch))
    return OK


def _describe(batch: UploadBatchInfo) -> str:
    return "\t".join(
        str(part)
        for part in (
            batch.id,
            f"{batch.uploaded_at:%Y-%m-%d %H:%M}",
            batch.uploaded_by,
            batch.kind.value,
            batch.file_name,
            batch.rows_new,
            batch.rows_replaced,
            batch.rows_unchanged,
            ",".join(batch.partnerships),
            batch.status,
        )
    )


def _undo(engine: Engine, caller: Caller, batch_id: int) -> int:
    info = undo_batch(engine=engine, caller=caller, batch_id=batch_id)
    print(
        f"undone batch {info.id} ({info.file_name}, loaded {info.uploaded_at:%Y-%m-%d %H:%M} "
        f"UTC by {info.uploaded_by}): {info.rows_new} added line(s) removed, "
        f"{info.rows_replaced} replaced line(s) restored"
    )
    return OK


if __name__ == "__main__":
    raise SystemExit(main())
