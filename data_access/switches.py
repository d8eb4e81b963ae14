"""On/off settings read from the environment, strictly: a value that means neither is refused
with a clear message, never read as one or the other."""

from __future__ import annotations

import os

ON_WORDS = frozenset({"on", "1", "true", "yes"})
OFF_WORDS = frozenset({"off", "0", "false", "no"})
SWITCHES: dict[str, bool] = {
    "PACT_LOCAL_MODE": True,
    "PACT_SEED_DEMO": True,
    "PACT_COLUMNAR": True,
}
"""Every on/off setting and its default (when unset)."""


class SwitchError(ValueError):
    """An on/off setting holds a value that means neither on nor off."""


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
    raise SwitchError(
        f"{name}={value!r} is not understood: use on (or 1, true, yes) or off (or 0, false, "
        f"no), or leave it unset for {default}."
    )


def switch(name: str) -> bool:
    """The on/off setting `name` from the environment (SwitchError for an unknown value)."""
    return switch_value(name, os.environ.get(name))


def check_switches() -> None:
    """Raise SwitchError naming the first on/off setting whose value is not understood."""
    for name in SWITCHES:
        switch(name)
