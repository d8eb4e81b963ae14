"""The settings of reminder e-mail: the SMTP server, the sender and the days reminders go out,
read strictly (a value the app would guess at is refused, naming the variable)."""

from __future__ import annotations

import pytest

from settings import SettingError, Settings


def settings(**env: str) -> Settings:
    return Settings.from_environ(env)


def test_unset_means_no_server_starttls_and_the_default_days() -> None:
    unset = settings()
    assert unset.smtp_host is None
    assert unset.mail_from is None
    assert (unset.smtp_tls, unset.smtp_port) == ("starttls", 587)
    assert (unset.smtp_username, unset.smtp_password) == (None, None)
    assert unset.remind_before_days == (7, 1)
    assert unset.remind_after_days == (1, 7)
    unset.check()


@pytest.mark.parametrize(
    ("tls", "port"), [("starttls", 587), ("SSL", 465), (" none ", 25), ("ssl", 2465)]
)
def test_each_tls_mode_has_its_usual_port_unless_one_is_given(tls: str, port: int) -> None:
    given = {"PACT_SMTP_PORT": str(port)} if port == 2465 else {}
    read = settings(PACT_SMTP_TLS=tls, **given)
    assert read.smtp_tls == tls.strip().lower()
    assert read.smtp_port == port


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PACT_SMTP_TLS", "tls"),
        ("PACT_SMTP_TLS", ""),
        ("PACT_SMTP_PORT", "0"),
        ("PACT_SMTP_PORT", "70000"),
        ("PACT_SMTP_PORT", "smtp"),
        ("PACT_SMTP_PORT", "²"),
        ("PACT_MAIL_FROM", "pact"),
        ("PACT_MAIL_FROM", "Pact <pact@localhost>"),
        ("PACT_REMIND_BEFORE_DAYS", "7;1"),
        ("PACT_REMIND_BEFORE_DAYS", ""),
        ("PACT_REMIND_BEFORE_DAYS", "-1"),
        ("PACT_REMIND_BEFORE_DAYS", "366"),
        ("PACT_REMIND_AFTER_DAYS", "0"),
        ("PACT_REMIND_AFTER_DAYS", "1,,7"),
    ],
)
def test_values_not_understood_are_refused_naming_the_variable(name: str, value: str) -> None:
    read = settings(**{name: value})
    with pytest.raises(SettingError, match=name):
        read.check()


def test_days_are_read_without_repeats_largest_first_and_none_sends_none() -> None:
    read = settings(PACT_REMIND_BEFORE_DAYS=" 1, 14,7,1 ", PACT_REMIND_AFTER_DAYS="NONE")
    assert read.remind_before_days == (14, 7, 1)
    assert read.remind_after_days == ()
    assert settings(PACT_REMIND_BEFORE_DAYS="0").remind_before_days == (0,)


def test_the_sender_may_carry_a_name() -> None:
    read = settings(PACT_MAIL_FROM="  Pact for Skills <pact@example.eu> ")
    assert read.mail_from == "Pact for Skills <pact@example.eu>"


def test_a_login_needs_both_user_name_and_password() -> None:
    both = settings(PACT_SMTP_USERNAME="mailer", PACT_SMTP_PASSWORD=" secret ")
    assert (both.smtp_username, both.smtp_password) == ("mailer", " secret ")
    with pytest.raises(SettingError, match="PACT_SMTP_PASSWORD"):
        settings(PACT_SMTP_USERNAME="mailer").check()
    with pytest.raises(SettingError, match="PACT_SMTP_USERNAME"):
        settings(PACT_SMTP_PASSWORD="secret").check()


def test_the_password_is_not_in_the_settings_repr() -> None:
    read = settings(PACT_SMTP_USERNAME="mailer", PACT_SMTP_PASSWORD="hunter2-secret")
    assert "hunter2-secret" not in repr(read)
