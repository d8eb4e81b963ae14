"""Reminder e-mail against a real SMTP server (aiosmtpd on a free port): who gets which
reminder and nobody else, once per kind, failures recorded and retried with nothing lost, the
command's dry run and exit statuses, and every TLS mode with a login.

Expectations come from the demo rows and the grants written here, never from data_access.
"""

from __future__ import annotations

import itertools
import os
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from babel.dates import format_date
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access import make_engine
from data_access.reminders import recorded_deliveries, set_mail_language
from data_access.roles import grant_role
from data_access.round_admin import close_round, open_round
from data_access.rounds import Round, read_rounds
from fixtures.demo import DemoPact
from fixtures.load_demo import load_demo
from i18n import _, using
from reporting.__main__ import main
from reporting.mailer import Mailer, MailServer
from reporting.remind import REMINDER_SENDER, ReminderConfig, send_due
from reporting.schedule import Kind
from tests.callers import ADMIN, OFFICER
from tests.smtp import SmtpServer, self_signed_certificate
from tests.store_fingerprint import store_fingerprint

ON_POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
TODAY = date.today()
BASE_URL = "https://pact.example.eu"
SENDER = "Pact for Skills <pact@example.eu>"
REMINDER_TABLES = ("reminder", "reminder_delivery", "mail_language")
# The partnerships of the test round and where each stands; who coordinates which.
WAITING, SUBMITTED, APPROVED, RETURNED, NOBODY, OUTSIDE = (
    "rsp-styria",
    "tourism",
    "digital",
    "automotive",
    "rsp-south-moravia",
    "retail",
)
STATES = {SUBMITTED: "submitted", APPROVED: "approved", RETURNED: "returned"}
COORDINATORS = {
    WAITING: ("anna@example.org", "bernd@example.org"),
    SUBMITTED: ("sara@example.org",),
    APPROVED: ("dora@example.org",),
    RETURNED: ("rita@example.org",),
    OUTSIDE: ("otto@example.org",),
}
GERMAN = "bernd@example.org"  # reads mail in German
OWED = {WAITING: COORDINATORS[WAITING], RETURNED: COORDINATORS[RETURNED]}
"""Who is owed a reminder: the coordinators of the partnerships that have not submitted."""
YEARS = itertools.count(2031)  # each test's round covers a year of its own


def store_url(request: pytest.FixtureRequest, folder: Path) -> str:
    if ON_POSTGRES:
        return str(request.getfixturevalue("postgres_databases").new("reminders"))
    return f"sqlite:///{folder / 'pact.sqlite3'}"


@pytest.fixture(scope="module")
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The demo store with the grants above: an officer, and coordinators of six partnerships
    (one of them reads German)."""
    engine = make_engine(store_url(request, tmp_path_factory.mktemp("reminders")))
    load_demo(engine)
    with Session(engine) as session:
        grant_role(
            session=session,
            caller=ADMIN,
            email="officer@example.org",
            role="officer",
            partnership=None,
            today=TODAY,
        )
        for slug, addresses in COORDINATORS.items():
            for address in addresses:
                grant_role(
                    session=session,
                    caller=ADMIN,
                    email=address,
                    role="coordinator",
                    partnership=slug,
                    today=TODAY,
                )
        set_mail_language(
            session=session, caller=ADMIN, email=GERMAN, language="de", now=datetime.now(UTC)
        )
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture()
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@dataclass(frozen=True)
class Cycle:
    """The round of one test: opened 30 days ago, its deadline tomorrow."""

    engine: Engine
    round: Round


@pytest.fixture()
def cycle(store: Engine) -> Cycle:
    """A new round (every other one closed) covering five partnerships: one waiting, one
    submitted, one approved, one returned and one without a coordinator."""
    with store.connect() as connection:
        earlier_rounds = read_rounds(connection)
    for earlier in earlier_rounds:
        if not earlier.closed:
            close_round(engine=store, caller=OFFICER, round_id=earlier.id)
    year = next(YEARS)
    opened = open_round(
        engine=store,
        caller=OFFICER,
        name=f"Annual survey {year}",
        year=year,
        opens_on=TODAY - timedelta(days=30),
        deadline=TODAY + timedelta(days=1),
        partnerships=[WAITING, SUBMITTED, APPROVED, RETURNED, NOBODY],
    )
    with store.begin() as connection:
        for slug, state in STATES.items():
            connection.execute(
                text(
                    "UPDATE round_partnership SET state = :state WHERE round_id = :round AND "
                    "partnership_id = (SELECT id FROM partnership WHERE slug = :slug)"
                ),
                {"state": state, "round": opened.id, "slug": slug},
            )
    return Cycle(store, opened)


def config(before: tuple[int, ...] = (7, 1), after: tuple[int, ...] = (1, 7)) -> ReminderConfig:
    kinds = tuple(Kind("before", n) for n in before) + tuple(Kind("after", n) for n in after)
    return ReminderConfig(kinds=kinds, base_url=BASE_URL)


def run(cycle: Cycle, smtp: SmtpServer, today: date = TODAY) -> list[tuple[str, str, str]]:
    """One run of the reminders through the test server: (status, partnership, address)."""
    server = MailServer(host="127.0.0.1", port=smtp.port, tls="none", sender=SENDER)
    with Mailer(server) as mailer:
        _, results = send_due(
            engine=cycle.engine,
            caller=REMINDER_SENDER,
            config=config(),
            sender=SENDER,
            send=mailer.send,
            today=today,
            now=lambda: datetime.now(UTC),
        )
    return sorted((r.status, r.due.awaiting.partnership, r.due.email) for r in results)


def recorded(cycle: Cycle) -> dict[tuple[str, str, str], tuple[str, int]]:
    """(partnership, kind, address) -> (status, attempts) of the test round's deliveries."""
    with Session(cycle.engine) as session:
        found = recorded_deliveries(session=session, caller=OFFICER, round_id=cycle.round.id)
    return {(d.partnership, d.kind, d.email): (d.status, d.attempts) for d in found}


def owed(status: str = "sent") -> list[tuple[str, str, str]]:
    return sorted(
        (status, slug, address) for slug, addresses in OWED.items() for address in addresses
    )


def missing_members(demo: DemoPact, slug: str, year: int) -> list[str]:
    """Members of a partnership at the end of the year with no report for it, by name."""
    end = date(year, 12, 31)
    names = {o.key: o.name for o in demo.organisations}
    members = {
        m.organisation
        for m in demo.memberships
        if m.partnership == slug and m.joined_on <= end and (m.left_on is None or m.left_on > end)
    }
    reported = {r.organisation for r in demo.reports if r.partnership == slug and r.year == year}
    return sorted(names[key] for key in members - reported)


def test_the_coordinators_who_owe_a_submission_get_one_reminder_each_and_nobody_else(
    cycle: Cycle, smtp: SmtpServer, demo_pact: DemoPact
) -> None:
    before = store_fingerprint(cycle.engine, exclude=REMINDER_TABLES)

    assert run(cycle, smtp) == owed()

    # One message per address, in its envelope and its header; nobody else got mail.
    assert sorted(m.rcpt_tos[0] for m in smtp.received) == sorted(
        a for addresses in OWED.values() for a in addresses
    )
    assert all(len(m.rcpt_tos) == 1 and m.message["To"] == m.rcpt_tos[0] for m in smtp.received)
    assert {m.mail_from for m in smtp.received} == {"pact@example.eu"}
    kind = "before-1"  # the deadline is tomorrow: the latest day reached is one before it
    assert recorded(cycle) == {(slug, kind, address): ("sent", 1) for _, slug, address in owed()}
    # The round's data is untouched by reminders.
    assert store_fingerprint(cycle.engine, exclude=REMINDER_TABLES) == before

    mail = {m.rcpt_tos[0]: m for m in smtp.received}
    english = mail["anna@example.org"]
    deadline = cycle.round.deadline
    assert english.message["Subject"] == (
        f"Reminder: {cycle.round.name} is due on {format_date(deadline, 'long', locale='en_IE')}"
    )
    body = english.text
    assert cycle.round.name in body and "in 1 day." in body
    assert f"{BASE_URL}/data" in body
    expected_missing = missing_members(demo_pact, WAITING, cycle.round.year)
    assert expected_missing, "the round's year has no reports: every member is missing"
    assert f"{len(expected_missing)} members have not reported for {cycle.round.year}:" in body
    assert [line[2:] for line in body.splitlines() if line.startswith("- ")] == expected_missing
    assert "sent back to you" not in body
    # German: the coordinator's language, dates as German writes them.
    german = mail[GERMAN].text
    assert format_date(deadline, "long", locale="de") in german
    assert format_date(deadline, "long", locale="en_IE") not in german
    # Returned figures: said so; a long list is cut, the rest counted.
    returned = mail["rita@example.org"].text
    assert "sent back to you for correction" in returned
    missing = missing_members(demo_pact, RETURNED, cycle.round.year)
    listed = [line for line in returned.splitlines() if line.startswith("- ")]
    assert len(missing) > 50 and listed[:50] == [f"- {name}" for name in missing[:50]]
    assert listed[50] == f"- and {len(missing) - 50} more (the Data page lists them all)"


def test_running_twice_sends_nothing_new(cycle: Cycle, smtp: SmtpServer) -> None:
    assert run(cycle, smtp) == owed()
    first = store_fingerprint(cycle.engine)
    count = len(smtp.received)

    assert run(cycle, smtp) == []

    assert len(smtp.received) == count
    assert store_fingerprint(cycle.engine) == first


def test_each_kind_goes_once_and_the_next_when_its_day_comes(
    cycle: Cycle, smtp: SmtpServer
) -> None:
    assert run(cycle, smtp) == owed()  # before-1
    day_after = cycle.round.deadline + timedelta(days=1)
    assert run(cycle, smtp, today=day_after) == owed()  # after-1
    assert run(cycle, smtp, today=day_after + timedelta(days=2)) == []  # after-7 not yet
    week_after = cycle.round.deadline + timedelta(days=8)
    assert run(cycle, smtp, today=week_after) == owed()  # after-7 (its day has passed)
    assert run(cycle, smtp, today=week_after) == []
    kinds = {kind for _, kind, _ in recorded(cycle)}
    assert kinds == {"before-1", "after-1", "after-7"}  # before-7 never: a run missed its day
    with using("de"):  # the German coordinator's mail is in German
        german_overdue = _("Overdue: {round} was due on {deadline}").split("{round}")[0]
    overdue = [
        m
        for m in smtp.received
        if m.message["Subject"].startswith(("Overdue:", german_overdue.strip()))
    ]
    assert len(overdue) == 2 * len(owed())
    assert any("8 days ago" in m.text for m in overdue)  # the English ones; German says it its way


def test_a_refused_recipient_is_recorded_and_retried_with_nothing_lost(
    cycle: Cycle, smtp: SmtpServer
) -> None:
    before = store_fingerprint(cycle.engine, exclude=REMINDER_TABLES)
    smtp.refuse("rita@example.org")

    results = run(cycle, smtp)

    assert ("failed", RETURNED, "rita@example.org") in results
    assert [r for r in results if r[0] == "sent"] == [
        r for r in owed() if r[2] != "rita@example.org"
    ]
    with Session(cycle.engine) as session:
        failed = [
            d
            for d in recorded_deliveries(session=session, caller=OFFICER, round_id=cycle.round.id)
            if d.status == "failed"
        ]
    assert [(d.email, d.sent_at) for d in failed] == [("rita@example.org", None)]
    assert failed[0].error is not None and "550" in failed[0].error
    assert "rita@example.org" not in {m.rcpt_tos[0] for m in smtp.received}

    smtp.refuse()  # the mailbox is back
    assert run(cycle, smtp) == [("sent", RETURNED, "rita@example.org")]

    assert recorded(cycle)[(RETURNED, "before-1", "rita@example.org")] == ("sent", 2)
    assert sorted(m.rcpt_tos[0] for m in smtp.received).count("rita@example.org") == 1
    assert store_fingerprint(cycle.engine, exclude=REMINDER_TABLES) == before


def test_a_server_down_fails_every_reminder_and_the_next_run_sends_them_all(
    cycle: Cycle, smtp: SmtpServer
) -> None:
    smtp.stop()
    before = store_fingerprint(cycle.engine, exclude=REMINDER_TABLES)

    assert run(cycle, smtp) == owed("failed")

    assert set(recorded(cycle).values()) == {("failed", 1)}
    smtp.start()
    assert run(cycle, smtp) == owed()
    assert set(recorded(cycle).values()) == {("sent", 2)}
    assert len(smtp.received) == len(owed())
    assert store_fingerprint(cycle.engine, exclude=REMINDER_TABLES) == before


def test_a_delivery_another_run_is_sending_is_left_to_it(cycle: Cycle, smtp: SmtpServer) -> None:
    attempts: list[str] = []
    second_run: list[tuple[str, str, str]] = []

    def send_while_another_run_starts(message: EmailMessage) -> str | None:
        attempts.append(str(message["To"]))
        if len(attempts) == 1:  # a second run starts while the first is sending
            second_run.extend(run(cycle, smtp))
        return None

    send_due(
        engine=cycle.engine,
        caller=REMINDER_SENDER,
        config=config(),
        sender=SENDER,
        send=send_while_another_run_starts,
        today=TODAY,
        now=lambda: datetime.now(UTC),
    )
    first = attempts[0]
    # The second run leaves alone what the first is sending, and sends the rest.
    assert second_run == [r for r in owed() if r[2] != first]
    assert attempts == [first]  # the first run left the others to the second
    assert sorted(m.rcpt_tos[0] for m in smtp.received) == sorted(
        address for _, _, address in owed() if address != first
    )
    assert set(recorded(cycle).values()) == {("sent", 1)}


def environment(monkeypatch: pytest.MonkeyPatch, engine: Engine, smtp: SmtpServer) -> None:
    monkeypatch.setenv("DATABASE_URL", engine.url.render_as_string(hide_password=False))
    for name, value in {
        "PACT_SMTP_HOST": "127.0.0.1",
        "PACT_SMTP_PORT": str(smtp.port),
        "PACT_SMTP_TLS": "none",
        "PACT_MAIL_FROM": SENDER,
        "PACT_PUBLIC_URL": BASE_URL,
    }.items():
        monkeypatch.setenv(name, value)


def test_the_dry_run_prints_what_is_due_and_sends_and_records_nothing(
    cycle: Cycle,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    environment(monkeypatch, cycle.engine, smtp)
    monkeypatch.delenv("PACT_SMTP_HOST")  # a dry run needs no server
    before = store_fingerprint(cycle.engine)

    assert main(["remind", "--dry-run"]) == 0

    lines = capsys.readouterr().out.splitlines()
    would = sorted(line.split("\t") for line in lines if line.startswith("would send"))
    assert [(w[3], w[4]) for w in would] == [(slug, a) for _, slug, a in owed()]
    assert {w[1] for w in would} == {"before-1"}
    assert any(line.startswith("no coordinator\tbefore-1") and NOBODY in line for line in lines)
    assert smtp.received == []
    assert store_fingerprint(cycle.engine) == before


def test_the_command_sends_and_says_so_in_its_exit_status(
    cycle: Cycle,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    environment(monkeypatch, cycle.engine, smtp)
    smtp.refuse("anna@example.org")

    assert main(["remind"]) == 1  # one failed: recorded, retried next time
    out = capsys.readouterr().out
    assert "FAILED\tbefore-1" in out and "2 sent, 1 failed" in out

    smtp.refuse()
    assert main(["remind"]) == 0
    assert "1 sent, 0 failed" in capsys.readouterr().out
    assert main(["remind"]) == 0
    assert "0 sent, 0 failed" in capsys.readouterr().out
    assert len(smtp.received) == len(owed())


@pytest.mark.parametrize("unset", ["PACT_SMTP_HOST", "PACT_MAIL_FROM", "PACT_PUBLIC_URL"])
def test_the_command_refuses_to_run_without_its_settings(
    cycle: Cycle,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    unset: str,
) -> None:
    environment(monkeypatch, cycle.engine, smtp)
    monkeypatch.delenv(unset)
    before = store_fingerprint(cycle.engine)

    assert main(["remind"]) == 2

    assert unset in capsys.readouterr().err
    assert smtp.received == []
    assert store_fingerprint(cycle.engine) == before


def test_a_bad_setting_is_refused_before_anything_is_sent(
    cycle: Cycle,
    smtp: SmtpServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    environment(monkeypatch, cycle.engine, smtp)
    monkeypatch.setenv("PACT_REMIND_AFTER_DAYS", "1;7")
    assert main(["remind"]) == 2
    assert "PACT_REMIND_AFTER_DAYS" in capsys.readouterr().err
    assert smtp.received == []


# aiosmtpd counts only STARTTLS as TLS; its warning about a login without TLS is wrong for
# implicit TLS (ssl).
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
@pytest.mark.parametrize("tls", ["starttls", "ssl"])
def test_mail_goes_over_tls_with_a_login(tmp_path: Path, tls: str) -> None:
    certificate = self_signed_certificate(tmp_path)
    server = SmtpServer(tls=tls, certificate=certificate, login=("mailer", "s3cret")).start()
    try:
        trusted = ssl.create_default_context(cafile=str(certificate[0]))
        mail = MailServer(
            host="127.0.0.1",
            port=server.port,
            tls=tls,
            sender=SENDER,
            username="mailer",
            password="s3cret",
        )
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = SENDER, "anna@example.org", "x"
        message.set_content("y")
        with Mailer(mail, context=trusted) as mailer:
            assert mailer.send(message) is None
        wrong = MailServer(**{**mail.__dict__, "password": "wrong"})
        with Mailer(wrong, context=trusted) as mailer:
            error = mailer.send(message)
        assert error is not None and "535" in error and "wrong" not in error
        # An untrusted certificate is refused: no mail goes to a server that is not the one.
        with Mailer(mail) as mailer:
            error = mailer.send(message)
        assert error is not None and "CERTIFICATE_VERIFY_FAILED" in error
    finally:
        server.stop()
    assert [(m.login, m.rcpt_tos) for m in server.received] == [("mailer", ["anna@example.org"])]
