"""Command line of the reporting cycle's e-mail (docs/reporting.md):

    python -m reporting remind [--dry-run] [--database-url URL]
    python -m reporting language --email ADDRESS --language CODE

`remind` sends the reminders due today and prints one line for each; run it once a day (a
cron entry or a systemd timer). Exit status: 0 when every reminder due was sent (or none was
due), 1 when some could not be sent (they are recorded and the next run tries them again),
2 when the settings do not allow sending (nothing is sent or recorded).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy.engine import Engine

from data_access.engine import create_schema, database_url, make_engine, session_scope
from data_access.reminders import set_mail_language
from data_access.roles import COMMAND_LINE, InvalidGrant
from reporting.mailer import Mailer, MailNotConfigured, MailServer
from reporting.remind import REMINDER_SENDER, Due, Plan, ReminderConfig, Result, plan, send_due
from settings import SettingError, get_settings

OK, FAILED, NOT_CONFIGURED = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; its exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m reporting", description="Reminder e-mail of the reporting cycle."
    )
    parser.add_argument("--database-url", default=None, help="defaults to DATABASE_URL")
    commands = parser.add_subparsers(dest="command", required=True)
    remind = commands.add_parser("remind", help="send the reminders due today")
    remind.add_argument(
        "--dry-run", action="store_true", help="print what would be sent; send and record nothing"
    )
    language = commands.add_parser("language", help="set the language an address reads mail in")
    language.add_argument("--email", required=True)
    language.add_argument("--language", required=True, help="e.g. de, fr, en")
    args = parser.parse_args(argv)

    try:
        engine = make_engine(args.database_url or database_url())
    except SettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return NOT_CONFIGURED
    try:
        create_schema(engine)
        if args.command == "language":
            return _set_language(engine, args.email, args.language)
        return _remind(engine, dry_run=args.dry_run)
    finally:
        engine.dispose()


def _remind(engine: Engine, *, dry_run: bool) -> int:
    settings = get_settings()
    try:
        config = ReminderConfig.from_settings(settings)
        server = None if dry_run else MailServer.from_settings(settings)
    except (SettingError, MailNotConfigured) as exc:
        print(f"error: {exc}; nothing was sent", file=sys.stderr)
        return NOT_CONFIGURED
    today = date.today()
    if server is None:
        found = plan(engine=engine, caller=REMINDER_SENDER, config=config, today=today, now=_now())
        for due in found.due:
            print(_line("would send", due))
        _report_without_coordinators(found)
        print(f"dry run: {len(found.due)} reminder(s) due; nothing was sent or recorded")
        return OK
    with Mailer(server) as mailer:
        found, results = send_due(
            engine=engine,
            caller=REMINDER_SENDER,
            config=config,
            sender=server.sender,
            send=mailer.send,
            today=today,
            now=_now,
        )
    for result in results:
        print(_result_line(result))
    _report_without_coordinators(found)
    counts = {status: sum(r.status == status for r in results) for status in ("sent", "failed")}
    skipped = len(results) - counts["sent"] - counts["failed"]
    print(
        f"reminders: {counts['sent']} sent, {counts['failed']} failed"
        + (" (recorded; the next run tries them again)" if counts["failed"] else "")
        + (f", {skipped} being sent by another run" if skipped else "")
    )
    return FAILED if counts["failed"] else OK


def _set_language(engine: Engine, email: str, language: str) -> int:
    try:
        with session_scope(engine) as session:
            address = set_mail_language(
                session=session, caller=COMMAND_LINE, email=email, language=language, now=_now()
            )
    except (InvalidGrant, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return FAILED
    print(f"{address} reads reminders in {language.strip().lower()}")
    return OK


def _line(what: str, due: Due) -> str:
    """One reminder, tab-separated: what, kind, round, partnership, address, language."""
    return "\t".join(
        [
            what,
            due.kind.code,
            due.round.name,
            due.awaiting.partnership,
            due.email,
            due.language,
            *([f"attempt {due.tried + 1}"] if due.tried else []),
        ]
    )


def _result_line(result: Result) -> str:
    verb = {"sent": "sent", "failed": "FAILED", "skipped": "skipped"}[result.status]
    line = _line(verb, result.due)
    return f"{line}\t{result.error}" if result.error else line


def _report_without_coordinators(found: Plan) -> None:
    for due_round, awaiting, kind in found.without_coordinators:
        print(
            f"no coordinator\t{kind.code}\t{due_round.name}\t{awaiting.partnership}\t"
            "(grant one: nobody else gets mail)"
        )


def _now() -> datetime:
    return datetime.now(UTC)


if __name__ == "__main__":
    raise SystemExit(main())
