"""Shaping the frames a view plots and reading their disclosure flag: the plotted columns,
with the flag kept; which rows it marks; the reference names they hold in the reader's
language."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from i18n import DEFAULT_LANGUAGE, N_, _, language
from i18n.names import country_name, ecosystem_name, org_type_name, skill_area_name
from views.labels import FLAG_COLUMN


def with_flags(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The given columns, plus the disclosure flag when data_access set one (so a chart's
    table, download and legend show what was hidden)."""
    flags = [FLAG_COLUMN] if FLAG_COLUMN in frame.columns else []
    return frame[[*columns, *flags]]


def present_columns(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The given columns the frame has, in that order, plus the disclosure flag."""
    return frame[[c for c in (*columns, FLAG_COLUMN) if c in frame.columns]]


def is_protected(frame: pd.DataFrame) -> bool:
    """Whether the frame holds public figures of what members reported: data_access set the
    disclosure flag on its rows."""
    return FLAG_COLUMN in frame.columns


def flagged(frame: pd.DataFrame) -> pd.Series:
    """Which rows hold values disclosure control hid."""
    if FLAG_COLUMN not in frame.columns:
        return pd.Series(False, index=frame.index)
    return frame[FLAG_COLUMN].fillna(False).astype(bool)


# Words data_access stores in English in some columns, as the reader's language says them.
KINDS = {"large-scale": N_("large-scale"), "regional": N_("regional")}
ROLES = {"coordinator": N_("coordinator"), "co-leader": N_("co-leader"), "member": N_("member")}


def kind_name(kind: str) -> str:
    """A partnership's kind ("large-scale", "regional") in the reader's language."""
    return _(KINDS.get(kind, kind))


def role_name(role: str) -> str:
    """A member's role in its partnership ("coordinator") in the reader's language."""
    return _(ROLES.get(role, role))


NAMED_BY: dict[str, Callable[[str], str]] = {
    "ecosystem": ecosystem_name,
    "skill_area": skill_area_name,
    "org_type": org_type_name,
    "country": country_name,
    "kind": kind_name,
    "role": role_name,
}


# The columns translated by default (kinds and roles also steer how a chart draws a row, so
# they are translated only where asked: `with_names(frame, kind="kind")`).
REFERENCE_NAMES = ("ecosystem", "skill_area", "org_type", "country")


def name_of(column: str, value: object) -> object:
    """One stored value of a reference column (ecosystem, skill_area, org_type, country,
    kind, role) in the reader's language; other values as they are."""
    name = NAMED_BY.get(column)
    return name(value) if name is not None and isinstance(value, str) else value


def with_names(frame: pd.DataFrame, **renamed: str) -> pd.DataFrame:
    """The frame with the reference names it shows in the reader's language: the columns
    named as REFERENCE_NAMES, and any other column named as holding one of NAMED_BY's kinds
    (`group="country"`, `kind="kind"`). In English the frame itself."""
    columns = {column: column for column in REFERENCE_NAMES if column in frame.columns}
    columns.update({column: kind for column, kind in renamed.items() if column in frame.columns})
    if language() == DEFAULT_LANGUAGE or not columns or frame.empty:
        return frame
    if "country" in columns and "country_code" in frame.columns:
        codes = frame["country_code"].astype("string")
        named = {"country": [country_name(str(c)) if pd.notna(c) else c for c in codes]}
        columns.pop("country")
        frame = frame.assign(**named)
    return frame.assign(
        **{
            column: frame[column].map(lambda value, kind=kind: name_of(kind, value))
            for column, kind in columns.items()
        }
    )
