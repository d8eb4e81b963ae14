"""What a reminder says and when it is due: pure functions, no store and no server."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reporting.compose import ReminderFacts, reminder_message
from reporting.schedule import Kind, due_kind, kinds

DEADLINE = date(2025, 3, 31)
CONFIGURED = kinds(before_days=(7, 1), after_days=(1, 7))
FACTS = ReminderFacts(
    round_name="Annual survey 2025",
    year=2025,
    quarter=2,
    deadline=DEADLINE,
    partnership="Automotive",
    sent_back=True,
    missing=("Acme GmbH", "Beta SRL"),
)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2025, 3, 23), None),
        (date(2025, 3, 24), "before-7"),
        (date(2025, 3, 30), "before-1"),
        (date(2025, 3, 31), "before-1"),
        (date(2025, 4, 1), "after-1"),
        (date(2025, 4, 6), "after-1"),
        (date(2025, 4, 7), "after-7"),
        (date(2026, 1, 1), "after-7"),
    ],
)
def test_the_kind_due_is_the_latest_whose_day_has_come(today: date, due: str | None) -> None:
    found = due_kind(
        configured=CONFIGURED, opens_on=date(2025, 1, 1), deadline=DEADLINE, today=today
    )
    assert (found.code if found else None) == due


def test_days_before_the_round_opened_send_nothing() -> None:
    opens = date(2025, 3, 27)  # after the day of before-7
    days = [date(2025, 3, d) for d in (27, 29)]
    found = [
        due_kind(configured=CONFIGURED, opens_on=opens, deadline=DEADLINE, today=d) for d in days
    ]
    assert found == [None, None]


def test_kinds_are_stored_and_read_back() -> None:
    assert [k.code for k in CONFIGURED] == ["before-7", "before-1", "after-1", "after-7"]
    assert all(Kind.parse(k.code) == k for k in CONFIGURED)
    with pytest.raises(ValueError):
        Kind.parse("soon")


def message(language: str | None, today: date = date(2025, 3, 24)) -> tuple[str, str]:
    built = reminder_message(
        FACTS,
        kind=Kind("before", 7),
        sender="Pact <pact@example.eu>",
        recipient="anna@example.org",
        language=language,
        today=today,
        now=datetime(2025, 3, 24, 6, tzinfo=UTC),
        base_url="https://pact.example.eu/",
    )
    body = built.get_body(("plain",))
    assert body is not None
    return str(built["Subject"]), str(body.get_content())


def test_the_english_reminder_names_the_round_deadline_missing_members_and_link() -> None:
    subject, body = message(None)
    assert subject == "Reminder: Annual survey 2025 is due on 31 March 2025"
    assert body.splitlines()[0] == "Dear coordinator of Automotive,"
    assert "closes on 31 March 2025, in 7 days." in body
    assert "2 members have not reported for Q2 2025:\n- Acme GmbH\n- Beta SRL" in body
    assert "https://pact.example.eu/data" in body
    assert "sent back to you for correction" in body
    _, on_the_day = message(None, today=DEADLINE)
    assert "closes today, 31 March 2025." in on_the_day


def test_every_sentence_of_a_reminder_is_translated() -> None:
    """In the pseudo-locale, no sentence a reader sees stays English."""
    subject, body = message("qps")
    english = ["Reminder", "Dear", "closes", "members have", "Load the", "You receive", "sent back"]
    assert [word for word in english if word in subject + body] == []
    assert subject.startswith("⟦") and body.startswith("⟦")
    # Names, the link and the members stay as stored.
    assert "Annual survey 2025" in body and "https://pact.example.eu/data" in body
    assert "- Acme GmbH" in body
