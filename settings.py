"""Every setting the app takes from the environment, in one frozen, typed object.

`get_settings()` gives the settings of this process's environment; nothing else in the
project reads `os.environ`. A value the app would have to guess at is refused with a message
naming the variable, never read as one thing or another. docs/configuration.md describes
each setting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from types import MappingProxyType

VARIABLES: dict[str, str] = {
    "DATABASE_URL": "database_url",
    "PACT_LOCAL_MODE": "local_mode",
    "PACT_SEED_DEMO": "seed_demo",
    "PACT_COLUMNAR": "columnar",
    "PACT_MIN_ORGANISATIONS": "min_organisations",
    "PACT_PUBLIC_URL": "public_url",
    "PACT_SMTP_HOST": "smtp_host",
    "PACT_SMTP_TLS": "smtp_tls",
    "PACT_SMTP_PORT": "smtp_port",
    "PACT_SMTP_USERNAME": "smtp_username",
    "PACT_SMTP_PASSWORD": "smtp_password",
    "PACT_MAIL_FROM": "mail_from",
    "PACT_REMIND_BEFORE_DAYS": "remind_before_days",
    "PACT_REMIND_AFTER_DAYS": "remind_after_days",
    "PACT_TEST_IDENTITY_SEAM": "test_identity_seam",
}
"""Every environment variable the app reads -> the Settings property that reads it, in the
order Settings.check checks them."""
SWITCHES: dict[str, bool] = {
    "PACT_LOCAL_MODE": True,
    "PACT_SEED_DEMO": True,
    "PACT_COLUMNAR": True,
}
"""Every on/off setting and its default (when unset)."""
SWITCH_NOTES = {"PACT_LOCAL_MODE": "The app does not guess who gets rights."}
"""What a refused on/off value of these settings adds to its message."""
ON_WORDS = frozenset({"on", "1", "true", "yes"})
OFF_WORDS = frozenset({"off", "0", "false", "no"})
DEFAULT_MIN_ORGANISATIONS = 3
SMTP_TLS_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
"""Every way of securing the connection to the SMTP server, and its usual port (the
default of PACT_SMTP_PORT); the first is the default."""
DEFAULT_REMIND_DAYS = {"PACT_REMIND_BEFORE_DAYS": (7, 1), "PACT_REMIND_AFTER_DAYS": (1, 7)}
"""When reminders go out by default: days before the deadline, and days after it."""
NO_DAYS = "none"
"""The value of a PACT_REMIND_*_DAYS setting that sends no reminder of its kind."""
MAX_REMIND_DAYS = 365


class SettingError(ValueError):
    """A setting holds a value the app does not understand."""


class SwitchError(SettingError):
    """An on/off setting holds a value that means neither on nor off."""


@dataclass(frozen=True)
class Settings:
    """The settings of one environment, one typed property per variable (VARIABLES).

    Reading a setting whose value is not understood raises its SettingError (SwitchError
    for an on/off setting): it stops what uses that setting and nothing else, and check()
    raises the first one, which the app calls at start, so a served app never runs with one.
    Tests build their own with `Settings.from_environ({...})`.
    """

    environ: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    """The app's variables as set (the rest of the environment is not kept; not in the
    object's repr, which would show the SMTP password)."""

    @classmethod
    def from_environ(cls, env: Mapping[str, str]) -> Settings:
        """The settings of `env` (a mapping such as os.environ)."""
        return cls(MappingProxyType({name: env[name] for name in VARIABLES if name in env}))

    @property
    def database_url(self) -> str | None:
        """SQLAlchemy URL of the store; None for the embedded SQLite file."""
        return _text(self.environ.get("DATABASE_URL"))

    @property
    def local_mode(self) -> bool:
        """Whether a direct request from this machine may get full rights without sign-in."""
        return switch_value("PACT_LOCAL_MODE", self.environ.get("PACT_LOCAL_MODE"))

    @property
    def seed_demo(self) -> bool:
        """Whether an empty store gets the demo data on first start."""
        return switch_value("PACT_SEED_DEMO", self.environ.get("PACT_SEED_DEMO"))

    @property
    def columnar(self) -> bool:
        """Whether aggregates come from the columnar cache (else from SQL)."""
        return switch_value("PACT_COLUMNAR", self.environ.get("PACT_COLUMNAR"))

    @property
    def min_organisations(self) -> int:
        """Fewest organisations behind a published cell of reported figures."""
        raw = self.environ.get("PACT_MIN_ORGANISATIONS", "").strip()
        if not raw:
            return DEFAULT_MIN_ORGANISATIONS
        try:
            number = int(raw)
        except ValueError:
            number = 0
        if number < 1:
            raise SettingError(
                f"PACT_MIN_ORGANISATIONS must be a whole number of at least 1, got {raw!r}"
            )
        return number

    @property
    def public_url(self) -> str | None:
        """Where phones reach this server (no trailing slash); None for the presenter's."""
        return _text(self.environ.get("PACT_PUBLIC_URL"), strip="/")

    @property
    def smtp_host(self) -> str | None:
        """The SMTP server reminders are sent through; None: no mail is sent."""
        return _text(self.environ.get("PACT_SMTP_HOST"))

    @property
    def smtp_tls(self) -> str:
        """How the connection to the SMTP server is secured: starttls, ssl or none."""
        raw = self.environ.get("PACT_SMTP_TLS")
        if raw is None:
            return next(iter(SMTP_TLS_PORTS))
        mode = raw.strip().lower()
        if mode not in SMTP_TLS_PORTS:
            choices = ", ".join(SMTP_TLS_PORTS)
            raise SettingError(f"PACT_SMTP_TLS={raw!r} is not understood: use one of {choices}")
        return mode

    @property
    def smtp_port(self) -> int:
        """The SMTP server's port (by default the usual one of the TLS mode)."""
        raw = self.environ.get("PACT_SMTP_PORT", "").strip()
        if not raw:
            return SMTP_TLS_PORTS[self.smtp_tls]
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
        if not 1 <= number <= 65535:
            raise SettingError(f"PACT_SMTP_PORT must be a port number (1-65535), got {raw!r}")
        return number

    @property
    def smtp_username(self) -> str | None:
        """The user name the SMTP server is logged in with; None: no login."""
        name = _text(self.environ.get("PACT_SMTP_USERNAME"))
        if name is not None and not self.environ.get("PACT_SMTP_PASSWORD"):
            raise SettingError("PACT_SMTP_USERNAME is set without PACT_SMTP_PASSWORD")
        return name

    @property
    def smtp_password(self) -> str | None:
        """The password of PACT_SMTP_USERNAME (kept as given: spaces may belong to it)."""
        password = self.environ.get("PACT_SMTP_PASSWORD") or None
        if password is not None and _text(self.environ.get("PACT_SMTP_USERNAME")) is None:
            raise SettingError("PACT_SMTP_PASSWORD is set without PACT_SMTP_USERNAME")
        return password

    @property
    def mail_from(self) -> str | None:
        """The sender of reminders, e.g. `Pact for Skills <pact@example.eu>`; None: unset."""
        raw = _text(self.environ.get("PACT_MAIL_FROM"))
        if raw is None:
            return None
        _, address = parseaddr(raw)
        local, at, domain = address.rpartition("@")
        if not (at and local and "." in domain) or any(c.isspace() for c in address):
            raise SettingError(f"PACT_MAIL_FROM={raw!r} is not an e-mail address")
        return raw

    @property
    def remind_before_days(self) -> tuple[int, ...]:
        """How many days before a round's deadline reminders go out (0: on the day)."""
        return _days("PACT_REMIND_BEFORE_DAYS", self.environ.get("PACT_REMIND_BEFORE_DAYS"), 0)

    @property
    def remind_after_days(self) -> tuple[int, ...]:
        """How many days after a round's deadline reminders go out (1: the day after)."""
        return _days("PACT_REMIND_AFTER_DAYS", self.environ.get("PACT_REMIND_AFTER_DAYS"), 1)

    @property
    def test_identity_seam(self) -> bool:
        """Tests only: an AppTest run may inject its caller (exactly "1" switches it on)."""
        return self.environ.get("PACT_TEST_IDENTITY_SEAM") == "1"

    def check(self) -> None:
        """Raise the SettingError of the first setting whose value is not understood."""
        for name in VARIABLES.values():
            getattr(self, name)


def switch_value(name: str, value: str | None) -> bool:
    """Read an on/off value: on/1/true/yes or off/0/false/no (any case, spaces around
    ignored); unset gives the setting's default; SwitchError for anything else."""
    if value is None:
        return SWITCHES[name]
    word = value.strip().lower()
    if word in ON_WORDS:
        return True
    if word in OFF_WORDS:
        return False
    default = "on" if SWITCHES[name] else "off"
    note = f" {SWITCH_NOTES[name]}" if name in SWITCH_NOTES else ""
    raise SwitchError(
        f"{name}={value!r} is not understood: use on (or 1, true, yes) or off (or 0, false, "
        f"no), or leave it unset for {default}.{note}"
    )


def _days(name: str, value: str | None, least: int) -> tuple[int, ...]:
    """A list of days such as "7,1" (or `none`), without repeats, largest first."""
    if value is None:
        return DEFAULT_REMIND_DAYS[name]
    if value.strip().lower() == NO_DAYS:
        return ()
    parts = [part.strip() for part in value.split(",")]
    if not all(p.isascii() and p.isdigit() and least <= int(p) <= MAX_REMIND_DAYS for p in parts):
        raise SettingError(
            f"{name}={value!r} is not understood: use whole numbers of days from {least} to "
            f"{MAX_REMIND_DAYS} separated by commas (e.g. 7,1), or {NO_DAYS}"
        )
    return tuple(sorted({int(p) for p in parts}, reverse=True))


def _text(value: str | None, *, strip: str = "") -> str | None:
    text = (value or "").strip().rstrip(strip)
    return text or None


def get_settings() -> Settings:
    """The settings of this process's environment, as it is now (tests and benchmarks change
    it within one process; a served app's does not change)."""
    return Settings.from_environ(os.environ)
