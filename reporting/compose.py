"""The words of a reminder: a plain-text e-mail to one coordinator, in their language (English
when it is not known), naming the round, its deadline, the members who have not reported and
the link to the Data page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from i18n import DEFAULT_LANGUAGE, _, ngettext, using
from i18n.numbers import date as written_date
from i18n.numbers import number
from reporting.schedule import Kind

DATA_PAGE = "/data"
"""Where coordinators load reports and submit them, under the public base URL."""
MAX_LISTED_MEMBERS = 50
"""Members named in one reminder; the rest are counted (the Data page lists them all)."""


@dataclass(frozen=True)
class ReminderFacts:
    """What one reminder says: the round, the partnership, where it stands, who is missing."""

    round_name: str
    year: int
    quarter: int  # 0: the whole year
    deadline: date
    partnership: str  # its name, as stored
    sent_back: bool  # its figures were returned for correction, or reopened
    missing: tuple[str, ...]  # the members who have not reported, as stored ("name (country)")


def period_label(year: int, quarter: int) -> str:
    """The period a round covers, in the current language: "2025", "Q2 2025"."""
    if quarter == 0:
        return str(year)
    # Translators: a quarter of a year, e.g. "Q2 2025".
    return _("Q{quarter} {year}").format(quarter=quarter, year=year)


def subject(facts: ReminderFacts, kind: Kind) -> str:
    """The e-mail's subject line."""
    deadline = written_date(facts.deadline, "long")
    if kind.side == "before":
        return _("Reminder: {round} is due on {deadline}").format(
            round=facts.round_name, deadline=deadline
        )
    return _("Overdue: {round} was due on {deadline}").format(
        round=facts.round_name, deadline=deadline
    )


def body(facts: ReminderFacts, *, today: date, data_url: str) -> str:
    """The e-mail's text: one paragraph per point, plain text."""
    deadline = written_date(facts.deadline, "long")
    days = (facts.deadline - today).days
    if days > 0:
        when = ngettext(
            "The reporting round {round} closes on {deadline}, in {count} day.",
            "The reporting round {round} closes on {deadline}, in {count} days.",
            days,
        )
    elif days == 0:
        when = _("The reporting round {round} closes today, {deadline}.")
    else:
        when = ngettext(
            "The deadline of the reporting round {round} was {deadline}, {count} day ago.",
            "The deadline of the reporting round {round} was {deadline}, {count} days ago.",
            -days,
        )
    paragraphs = [
        _("Dear coordinator of {partnership},").format(partnership=facts.partnership),
        when.format(round=facts.round_name, deadline=deadline, count=number(abs(days)))
        + " "
        + _("{partnership} has not submitted its figures for review yet.").format(
            partnership=facts.partnership
        ),
    ]
    if facts.sent_back:
        paragraphs.append(
            _("The figures were sent back to you for correction; the reason is on the Data page.")
        )
    paragraphs.append(_missing(facts))
    paragraphs.append(
        _(
            "Load the missing reports and submit the figures for review on the Data page: {url}"
        ).format(url=data_url)
    )
    paragraphs.append(
        _(
            "You receive this e-mail because you are a coordinator of {partnership} on the Pact "
            "for Skills dashboard. It was sent automatically."
        ).format(partnership=facts.partnership)
    )
    return "\n\n".join(paragraphs) + "\n"


def _missing(facts: ReminderFacts) -> str:
    period = period_label(facts.year, facts.quarter)
    count = len(facts.missing)
    if count == 0:
        return _("Every member has reported for {period}.").format(period=period)
    lead = ngettext(
        "{count} member has not reported for {period}:",
        "{count} members have not reported for {period}:",
        count,
    ).format(count=number(count), period=period)
    listed = [f"- {name}" for name in facts.missing[:MAX_LISTED_MEMBERS]]
    rest = count - len(listed)
    if rest:
        listed.append(
            ngettext(
                "- and {count} more (the Data page lists them all)",
                "- and {count} more (the Data page lists them all)",
                rest,
            ).format(count=number(rest))
        )
    return "\n".join([lead, *listed])


def data_page_url(base_url: str) -> str:
    """The Data page under the public base URL."""
    return base_url.rstrip("/") + DATA_PAGE


def reminder_message(
    facts: ReminderFacts,
    *,
    kind: Kind,
    sender: str,
    recipient: str,
    language: str | None,
    today: date,
    now: datetime,
    base_url: str,
) -> EmailMessage:
    """One reminder to one coordinator, in their language (English when not known)."""
    with using(language or DEFAULT_LANGUAGE):
        title = subject(facts, kind)
        text = body(facts, today=today, data_url=data_page_url(base_url))
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = title
    message["Date"] = format_datetime(now)
    _, address = parseaddr(sender)
    message["Message-ID"] = make_msgid(domain=address.rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no automatic replies
    message.set_content(text)
    return message
