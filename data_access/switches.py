"""On/off settings by their environment variable's name, read from the one settings object
(settings.py), strictly: a value that means neither is refused with a clear message, never
read as one or the other."""

from __future__ import annotations

from settings import SWITCHES, VARIABLES, SwitchError, get_settings, switch_value

__all__ = ["SWITCHES", "SwitchError", "check_switches", "switch", "switch_value"]


def switch(name: str) -> bool:
    """The on/off setting `name` of this environment (SwitchError for an unknown value)."""
    value: bool = getattr(get_settings(), VARIABLES[name])
    return value


def check_switches() -> None:
    """Raise SwitchError naming the first on/off setting whose value is not understood."""
    for name in SWITCHES:
        switch(name)
