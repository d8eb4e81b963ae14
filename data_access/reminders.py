"""Reminders in the store: the rounds reminders are sent for, each delivery claimed before it
is sent and its result recorded after, and the language each address reads its mail in.

A delivery is one reminder (round, partnership, kind) to one coordinator's address. A run
claims it (status `sending`, in a transaction of its own, so two runs never both send it),
sends it, then records `sent` or `failed`; a failed delivery, or one a run left unfinished
for longer than the time given, is claimed again by the next run. Officers and admins only
(the reminder command acts as an officer); what the reminders say is in reporting/.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Table, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from data_access.access import Caller
from data_access.reminder_models import MailLanguage, Reminder, ReminderDelivery
from data_access.roles import normalise_email
from data_access.rounds import Round, read_rounds, require_round_officer
from data_access.uploads.commit import take_turn
from i18n import LANGUAGES

REMINDERS: Table = Reminder.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = ReminderDelivery.__table__  # type: ignore[attr-defined]
MAIL_LANGUAGES: Table = MailLanguage.__table__  # type: ignore[attr-defined]
MAX_ERROR = 2000


@dataclass(frozen=True)
class DeliveryKey:
    """Which delivery: one reminder (round, partnership slug, kind) to one address."""

    round_id: int
    partnership: str
    kind: str
    email: str


@dataclass(frozen=True)
class Delivery:
    """One reminder to one address, as recorded. Times are UTC."""

    round_id: int
    partnership: str  # slug
    kind: str  # "before-7", "after-1"
    deadline: date  # the deadline the reminder named
    email: str
    language: str
    status: str  # sending, sent or failed
    attempts: int
    attempted_at: datetime
    sent_at: datetime | None
    error: str | None


def open_rounds(*, session: Session, caller: Caller, today: date) -> list[Round]:
    """The rounds open on `today` (opened, not closed): those reminders are sent for."""
    require_round_officer(caller)
    return [r for r in read_rounds(session.connection()) if r.accepts_submissions(today)]


def recorded_deliveries(
    *, session: Session, caller: Caller, round_id: int | None = None
) -> list[Delivery]:
    """Every recorded delivery (of one round when given), oldest reminder first."""
    require_round_officer(caller)
    r, d = REMINDERS.c, DELIVERIES.c
    query = (
        select(r.round_id, r.partnership, r.kind, r.deadline, DELIVERIES)
        .join(DELIVERIES, d.reminder_id == r.id)
        .order_by(r.id, d.email)
    )
    if round_id is not None:
        query = query.where(r.round_id == round_id)
    return [
        Delivery(
            round_id=row["round_id"],
            partnership=row["partnership"],
            kind=row["kind"],
            deadline=row["deadline"],
            email=row["email"],
            language=row["language"],
            status=row["status"],
            attempts=row["attempts"],
            attempted_at=_utc(row["attempted_at"]),
            sent_at=None if row["sent_at"] is None else _utc(row["sent_at"]),
            error=row["error"],
        )
        for row in session.connection().execute(query).mappings()
    ]


def mail_languages(*, session: Session, caller: Caller, emails: Iterable[str]) -> dict[str, str]:
    """The language of each of these addresses that has one (the others read English)."""
    require_round_officer(caller)
    wanted = sorted({email.lower() for email in emails})
    if not wanted:
        return {}
    m = MAIL_LANGUAGES.c
    rows = session.connection().execute(select(m.email, m.language).where(m.email.in_(wanted)))
    return {email: language for email, language in rows}


def set_mail_language(
    *, session: Session, caller: Caller, email: str, language: str, now: datetime
) -> str:
    """Set the language an address reads its mail in (admins only); the address as stored.
    ValueError for an address or a language the dashboard does not know. No commit."""
    caller.require_admin()
    address = normalise_email(email)
    code = language.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"{language[:20]!r} is not a language of the dashboard")
    m = MAIL_LANGUAGES.c
    connection = session.connection()
    values = {"language": code, "set_by": caller.email or "admin", "set_at": now}
    changed = connection.execute(update(MAIL_LANGUAGES).where(m.email == address).values(values))
    if not changed.rowcount:
        connection.execute(insert(MAIL_LANGUAGES).values(email=address, **values))
    return address


def claim_delivery(
    *,
    engine: Engine,
    caller: Caller,
    key: DeliveryKey,
    deadline: date,
    language: str,
    now: datetime,
    stale_after: timedelta,
) -> int | None:
    """Record that this run sends a reminder to an address; the attempt's number, or None
    when it was sent already or another run is sending it (for less than `stale_after`)."""
    require_round_officer(caller)
    with engine.begin() as connection:
        take_turn(connection)  # runs claim one at a time
        reminder_id = _reminder_id(connection, key, deadline, now)
        d = DELIVERIES.c
        found = connection.execute(
            select(d.status, d.attempts, d.attempted_at).where(
                d.reminder_id == reminder_id, d.email == key.email
            )
        ).first()
        if found is None:
            connection.execute(
                insert(DELIVERIES).values(
                    reminder_id=reminder_id,
                    email=key.email,
                    language=language,
                    status="sending",
                    attempts=1,
                    attempted_at=now,
                )
            )
            return 1
        status, attempts, attempted_at = found
        if status == "sent" or (status == "sending" and _utc(attempted_at) > now - stale_after):
            return None
        connection.execute(
            update(DELIVERIES)
            .where(d.reminder_id == reminder_id, d.email == key.email)
            .values(
                status="sending",
                attempts=attempts + 1,
                attempted_at=now,
                language=language,
                error=None,
            )
        )
        return int(attempts) + 1


def record_delivery(
    *,
    engine: Engine,
    caller: Caller,
    key: DeliveryKey,
    now: datetime,
    error: str | None,
) -> None:
    """Record the result of a claimed delivery: sent (no error) or failed with its error."""
    require_round_officer(caller)
    r, d = REMINDERS.c, DELIVERIES.c
    reminder = (
        select(r.id)
        .where(r.round_id == key.round_id, r.partnership == key.partnership, r.kind == key.kind)
        .scalar_subquery()
    )
    if error is None:
        result = {"status": "sent", "sent_at": now, "error": None}
    else:
        result = {"status": "failed", "sent_at": None, "error": error[:MAX_ERROR] or "failed"}
    with engine.begin() as connection:
        done = connection.execute(
            update(DELIVERIES)
            .where(d.reminder_id == reminder, d.email == key.email, d.status == "sending")
            .values(result)
        )
        if done.rowcount != 1:
            raise RuntimeError(f"no delivery of {key.kind} to {key.email} is being sent")


def _reminder_id(connection: Connection, key: DeliveryKey, deadline: date, now: datetime) -> int:
    r = REMINDERS.c
    found = connection.execute(
        select(r.id).where(
            r.round_id == key.round_id, r.partnership == key.partnership, r.kind == key.kind
        )
    ).scalar()
    if found is not None:
        return int(found)
    made = connection.execute(
        insert(REMINDERS)
        .values(
            round_id=key.round_id,
            partnership=key.partnership,
            kind=key.kind,
            deadline=deadline,
            created_at=now,
        )
        .returning(r.id)
    ).scalar_one()
    return int(made)


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.utcoffset() is None else value.astimezone(UTC)
