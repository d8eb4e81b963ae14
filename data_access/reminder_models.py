"""SQLModel tables of reminder e-mail: each reminder due to a partnership in a round, each
delivery of it to one coordinator's address with its result, and the language each address
reads its mail in. Imported with the other tables by data_access.schema."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import CheckConstraint, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

DELIVERY_STATES = ("sending", "sent", "failed")
"""A delivery is being sent (claimed by a run), was accepted by the SMTP server, or failed
(the next run retries it)."""


class Reminder(SQLModel, table=True):
    """One reminder of one kind ("before-7", "after-1") to one partnership in one round: at
    most one of each kind per partnership per round. The partnership is kept by slug, so
    that the record survives reloading the partnerships; it goes with its round."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("round_id", "partnership", "kind", name="uq_reminder_kind"),
        CheckConstraint("kind LIKE 'before-%' OR kind LIKE 'after-%'", name="ck_reminder_kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("reporting_round.id", ondelete="CASCADE"), nullable=False
        )
    )
    partnership: str = Field(max_length=60)
    kind: str = Field(max_length=12)
    deadline: date  # the deadline the reminder named
    created_at: datetime  # UTC


class ReminderDelivery(SQLModel, table=True):
    """A reminder sent to one coordinator's address: its state, how many times it was tried,
    when it was last tried and sent (UTC), and why the last try failed."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (
        CheckConstraint(
            "status IN ('sending', 'sent', 'failed')", name="ck_reminder_delivery_status"
        ),
        CheckConstraint("attempts >= 1", name="ck_reminder_delivery_attempts"),
        CheckConstraint(
            "(status = 'sent') = (sent_at IS NOT NULL)", name="ck_reminder_delivery_sent"
        ),
        CheckConstraint(
            "(status = 'failed') = (error IS NOT NULL)", name="ck_reminder_delivery_error"
        ),
    )

    reminder_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("reminder.id", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        )
    )
    email: str = Field(primary_key=True, max_length=254)
    language: str = Field(max_length=8)
    status: str = Field(max_length=10)
    attempts: int = 1
    attempted_at: datetime
    sent_at: datetime | None = None
    error: str | None = Field(default=None, sa_type=Text)


class MailLanguage(SQLModel, table=True):
    """The language an address reads the dashboard's e-mail in (English when it has none)."""

    __tablename__ = "mail_language"
    __table_args__ = (CheckConstraint("email = lower(email)", name="ck_mail_language_email"),)

    email: str = Field(primary_key=True, max_length=254)
    language: str = Field(max_length=8)
    set_by: str = Field(max_length=254)
    set_at: datetime  # UTC
