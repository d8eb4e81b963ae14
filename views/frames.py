"""Shaping the frames a view plots: the plotted columns, with the disclosure flag kept."""

from __future__ import annotations

import pandas as pd

from views.labels import FLAG_COLUMN


def with_flags(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """The given columns, plus the disclosure flag when data_access set one (so a chart's
    table, download and legend show what was hidden)."""
    flags = [FLAG_COLUMN] if FLAG_COLUMN in frame.columns else []
    return frame[[*columns, *flags]]
