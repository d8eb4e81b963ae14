"""Sending the reminders that are due: for every open round, each partnership that owes its
submission gets the kind of reminder due today, once, at the addresses of its coordinators
(from the role grants; nobody else gets mail), each in that coordinator's language.

`plan` says what is due and touches nothing; `send_due` claims each delivery, sends it and
records the result, so running twice sends nothing new and a failed delivery is tried again
by the next run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from sqlalchemy.engine import Engine
from sqlmodel import Session

from data_access.access import Caller, Role
from data_access.reminders import (
    DeliveryKey,
    claim_delivery,
    mail_languages,
    open_rounds,
    record_delivery,
    recorded_deliveries,
)
from data_access.rounds import Awaiting, Round, Stage, awaiting_submission
from i18n import DEFAULT_LANGUAGE
from reporting.compose import ReminderFacts, reminder_message
from reporting.mailer import MailNotConfigured
from reporting.schedule import Kind, due_kind, kinds
from settings import Settings

REMINDER_SENDER = Caller(role=Role.OFFICER, email="reminders")
"""Who the reminder command acts as in the store: it reads rounds and role grants as an
officer does, and writes only the record of reminders."""
STALE_AFTER = timedelta(minutes=30)
"""A delivery a run claimed but never finished (the run stopped mid-send) is tried again
after this long: better a reminder twice than none."""
SENT_BACK = frozenset({Stage.RETURNED, Stage.REOPENED})


@dataclass(frozen=True)
class ReminderConfig:
    """What reminders need from the settings: the kinds due, and the Data page's address."""

    kinds: tuple[Kind, ...]
    base_url: str

    @classmethod
    def from_settings(cls, settings: Settings) -> ReminderConfig:
        """The settings' reminder days and public URL; MailNotConfigured without the URL."""
        if settings.public_url is None:
            raise MailNotConfigured("reminders link to the Data page: set PACT_PUBLIC_URL")
        return cls(
            kinds=kinds(
                before_days=settings.remind_before_days, after_days=settings.remind_after_days
            ),
            base_url=settings.public_url,
        )


@dataclass(frozen=True)
class Due:
    """One reminder due to one coordinator: its round, partnership, kind and address."""

    round: Round
    awaiting: Awaiting
    kind: Kind
    email: str
    language: str
    tried: int  # earlier attempts that did not deliver it (0: first time)

    @property
    def key(self) -> DeliveryKey:
        """The delivery in the store's record."""
        return DeliveryKey(self.round.id, self.awaiting.partnership, self.kind.code, self.email)


@dataclass(frozen=True)
class Plan:
    """What a run would send, and the partnerships a reminder is due to that have no
    coordinator to send it to (reported, so someone grants one)."""

    due: tuple[Due, ...]
    without_coordinators: tuple[tuple[Round, Awaiting, Kind], ...]


@dataclass(frozen=True)
class Result:
    """What became of one due reminder: sent, failed (with the error), or left to another
    run that claimed it meanwhile."""

    due: Due
    status: str  # sent, failed or skipped
    error: str | None = None


def plan(
    *, engine: Engine, caller: Caller, config: ReminderConfig, today: date, now: datetime
) -> Plan:
    """The reminders due on `today` and not delivered yet (reads only)."""
    due: list[Due] = []
    nobody: list[tuple[Round, Awaiting, Kind]] = []
    with Session(engine) as session:
        for found in open_rounds(session=session, caller=caller, today=today):
            kind = due_kind(
                configured=config.kinds,
                opens_on=found.opens_on,
                deadline=found.deadline,
                today=today,
            )
            if kind is None:
                continue
            waiting = awaiting_submission(
                session=session, caller=caller, round_id=found.id, today=today
            )
            recorded = {
                (d.partnership, d.email): d
                for d in recorded_deliveries(session=session, caller=caller, round_id=found.id)
                if d.kind == kind.code
            }
            addresses = [email for w in waiting for email in w.coordinators]
            languages = mail_languages(session=session, caller=caller, emails=addresses)
            for awaiting in waiting:
                if not awaiting.coordinators:
                    nobody.append((found, awaiting, kind))
                for email in awaiting.coordinators:
                    before = recorded.get((awaiting.partnership, email))
                    if before is not None and not _open(before.status, before.attempted_at, now):
                        continue
                    due.append(
                        Due(
                            round=found,
                            awaiting=awaiting,
                            kind=kind,
                            email=email,
                            language=languages.get(email, DEFAULT_LANGUAGE),
                            tried=0 if before is None else before.attempts,
                        )
                    )
    return Plan(due=tuple(due), without_coordinators=tuple(nobody))


def send_due(
    *,
    engine: Engine,
    caller: Caller,
    config: ReminderConfig,
    sender: str,
    send: Callable[[EmailMessage], str | None],
    today: date,
    now: Callable[[], datetime],
) -> tuple[Plan, list[Result]]:
    """Send every reminder due on `today`: claim it, send it with `send` (None: delivered,
    else the error), record the result. What another run claimed meanwhile is skipped."""
    found = plan(engine=engine, caller=caller, config=config, today=today, now=now())
    results: list[Result] = []
    for due in found.due:
        claimed = claim_delivery(
            engine=engine,
            caller=caller,
            key=due.key,
            deadline=due.round.deadline,
            language=due.language,
            now=now(),
            stale_after=STALE_AFTER,
        )
        if claimed is None:
            results.append(Result(due, "skipped"))
            continue
        try:
            error = send(message_of(due, sender=sender, config=config, today=today, now=now()))
        except Exception as exc:  # recorded, never lost: the next run tries again
            error = f"{type(exc).__name__}: {exc}"
        record_delivery(engine=engine, caller=caller, key=due.key, now=now(), error=error)
        results.append(Result(due, "sent" if error is None else "failed", error))
    return found, results


def message_of(
    due: Due, *, sender: str, config: ReminderConfig, today: date, now: datetime
) -> EmailMessage:
    """The e-mail of one due reminder."""
    facts = ReminderFacts(
        round_name=due.round.name,
        year=due.round.year,
        quarter=due.round.quarter,
        deadline=due.round.deadline,
        partnership=due.awaiting.name,
        sent_back=due.awaiting.stage in SENT_BACK,
        missing=due.awaiting.missing,
    )
    return reminder_message(
        facts,
        kind=due.kind,
        sender=sender,
        recipient=due.email,
        language=due.language,
        today=today,
        now=now,
        base_url=config.base_url,
    )


def _open(status: str, attempted_at: datetime, now: datetime) -> bool:
    """Whether a recorded delivery is still to be sent: it failed, or a run left it unfinished."""
    return status == "failed" or (status == "sending" and attempted_at <= now - STALE_AFTER)
