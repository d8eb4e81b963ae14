"""Sending e-mail through the configured SMTP server (smtplib), one message at a time, each
with its own result: delivered, or the error that stopped it."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType

from settings import Settings

TIMEOUT_SECONDS = 30.0
MAX_ERROR_LENGTH = 500


class MailNotConfigured(RuntimeError):
    """Settings needed to send mail are missing; the message names them."""


@dataclass(frozen=True)
class MailServer:
    """Where and how mail is sent, from the settings (docs/configuration.md)."""

    host: str
    port: int
    tls: str  # starttls, ssl or none (settings.SMTP_TLS_PORTS)
    sender: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = TIMEOUT_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> MailServer:
        """The server of these settings; MailNotConfigured naming what is unset."""
        unset = [
            name
            for name, value in (
                ("PACT_SMTP_HOST", settings.smtp_host),
                ("PACT_MAIL_FROM", settings.mail_from),
            )
            if value is None
        ]
        if unset or settings.smtp_host is None or settings.mail_from is None:
            raise MailNotConfigured(f"no mail is sent without {' and '.join(unset)}")
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            tls=settings.smtp_tls,
            sender=settings.mail_from,
            username=settings.smtp_username,
            password=settings.smtp_password,
        )


class Mailer:
    """One connection to the SMTP server for a run of sends, opened at the first message.

    `send` never raises for a failed delivery: it returns the error, so the caller records
    it. After the server could not be reached, the rest of the run's messages fail with the
    same error without trying again (the next run retries them).
    """

    def __init__(self, server: MailServer, *, context: ssl.SSLContext | None = None) -> None:
        self.server = server
        self.context = context or ssl.create_default_context()
        self._smtp: smtplib.SMTP | None = None
        self._unreachable: str | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def send(self, message: EmailMessage) -> str | None:
        """Deliver one message; None when the server accepted it, else why not."""
        if self._unreachable is not None:
            return self._unreachable
        try:
            smtp = self._connection()
        except (OSError, smtplib.SMTPException) as exc:
            self._unreachable = _describe("cannot connect to or log in at the SMTP server", exc)
            return self._unreachable
        try:
            refused = smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            return _describe("the SMTP server refused the recipient", exc)
        except smtplib.SMTPResponseException as exc:
            return _describe("the SMTP server refused the message", exc)
        except (OSError, smtplib.SMTPException) as exc:
            self.close()  # the connection is in an unknown state: the next message reopens it
            return _describe("sending failed", exc)
        if refused:  # one recipient per message: a refusal of some is a refusal of all
            return _describe("the SMTP server refused the recipient", refused)
        return None

    def close(self) -> None:
        """End the session with the server (quietly when it is already gone)."""
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _connection(self) -> smtplib.SMTP:
        if self._smtp is not None:
            return self._smtp
        server = self.server
        smtp: smtplib.SMTP
        if server.tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                server.host, server.port, timeout=server.timeout, context=self.context
            )
        else:
            smtp = smtplib.SMTP(server.host, server.port, timeout=server.timeout)
        try:
            if server.tls == "starttls":
                smtp.starttls(context=self.context)
            if server.username is not None and server.password is not None:
                smtp.login(server.username, server.password)
        except BaseException:
            smtp.close()
            raise
        self._smtp = smtp
        return smtp


def _describe(what: str, detail: object) -> str:
    """A delivery error for the record: what failed and the server's reply (which never
    holds the password)."""
    if isinstance(detail, smtplib.SMTPRecipientsRefused):
        detail = detail.recipients
    if isinstance(detail, smtplib.SMTPResponseException):
        detail = _reply(detail.smtp_code, detail.smtp_error)
    elif isinstance(detail, dict):
        detail = "; ".join(
            f"{address}: {_reply(code, reply)}" for address, (code, reply) in detail.items()
        )
    elif isinstance(detail, BaseException):
        detail = f"{type(detail).__name__}: {detail}"
    return f"{what}: {detail}"[:MAX_ERROR_LENGTH]


def _reply(code: int, text: bytes | str) -> str:
    return f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
