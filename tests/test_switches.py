"""On/off settings fail closed: a value that means neither on nor off stops the app at start
with a message naming the setting, instead of being read as one or the other."""

from __future__ import annotations

import pytest

from data_access import make_engine
from data_access.columnar import COLUMNAR
from data_access.serving import aggregates_for, columnar_enabled, serve
from data_access.sql_aggregates import SQL
from data_access.switches import SWITCHES, SwitchError, check_switches, switch, switch_value
from ui.auth import check_local_mode_setting


@pytest.mark.parametrize("name", sorted(SWITCHES))
@pytest.mark.parametrize(
    ("value", "expected"),
    [("on", True), (" TRUE ", True), ("1", True), ("yes", True), ("Off", False), ("0", False),
     ("false", False), ("no", False)],
)  # fmt: skip
def test_on_and_off_words_are_read(name: str, value: str, expected: bool) -> None:
    assert switch_value(name, value) is expected


@pytest.mark.parametrize("name", sorted(SWITCHES))
@pytest.mark.parametrize("value", ["disabled", "", "2", "of", "none", "enable"])
def test_other_values_are_refused_with_the_setting_named(name: str, value: str) -> None:
    with pytest.raises(SwitchError, match=name):
        switch_value(name, value)


def test_unset_gives_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, default in SWITCHES.items():
        monkeypatch.delenv(name, raising=False)
        assert switch(name) is default


@pytest.mark.parametrize("name", ["PACT_SEED_DEMO", "PACT_COLUMNAR"])
def test_the_app_does_not_start_on_an_unknown_value(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv(name, "disabled")
    with pytest.raises(SwitchError):
        check_switches()
    with pytest.raises(SystemExit, match=f"Cannot start: {name}='disabled'"):
        check_local_mode_setting()


def test_the_columnar_switch_is_read_strictly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_COLUMNAR", "off")
    assert columnar_enabled() is False
    monkeypatch.setenv("PACT_COLUMNAR", "disabled")  # once read as on
    with pytest.raises(SwitchError):
        columnar_enabled()


def test_the_columnar_switch_is_read_once_per_store(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PACT_COLUMNAR", "off")
    engine = make_engine("sqlite://")
    assert aggregates_for(engine) is SQL
    monkeypatch.setenv("PACT_COLUMNAR", "on")
    assert aggregates_for(engine) is SQL  # chosen when the store served its first query
    assert aggregates_for(make_engine("sqlite://")) is COLUMNAR
    assert serve(engine, COLUMNAR) is SQL
    assert aggregates_for(engine) is COLUMNAR
    engine.dispose()
