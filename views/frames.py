"""Shaping the frames a view plots and reading their disclosure flag: the plotted columns,
with the flag kept; which rows it marks."""

from __future__ import annotations

import pandas as pd

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
