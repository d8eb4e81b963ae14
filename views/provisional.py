"""Marking provisional figures: reported figures still under review in a reporting round, which
officers and coordinators see (published views leave them out: data_access.round_locks).

Every renderer marks them the same way: the word on a tile, a marker over each provisional
year of a chart (or a note on a chart that is not by year), a `provisional` column in tables
and downloads, and a notice in the briefing reports. Only reported figures can be provisional:
member counts never are.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from data_access.models import OUTCOME_MEASURES
from data_access.round_locks import Provisional
from i18n import N_, _
from views.models import Notice, Tile

PROVISIONAL = N_("provisional")
COLUMN = "provisional"
REPORTED_COLUMNS = frozenset(
    {
        *OUTCOME_MEASURES,
        "people_trained_cumulative",
        "people_trained_last_year",
        "recorded",
        "women_share_recorded",
        "not_recorded_share",
        "pledge_progress",
        "people_per_member",
    }
)
"""Columns that hold reported figures (a frame with one of them may hold provisional ones)."""
REPORTED_TILES = frozenset(
    {"people_trained", "women_share", "not_recorded_share", *REPORTED_COLUMNS}
)


def marked_tile(tile: Tile, provisional: Provisional) -> Tile:
    """A tile of reported figures with the word provisional, when figures under review are in
    its view; any other tile as it is."""
    if not provisional or tile.key not in REPORTED_TILES:
        return tile
    return replace(
        tile,
        label=_("{label} ({provisional})").format(label=tile.label, provisional=_(PROVISIONAL)),
    )


def reports_figures(frame: pd.DataFrame) -> bool:
    """Whether a frame holds reported figures."""
    return any(column in REPORTED_COLUMNS for column in frame.columns)


def row_flags(frame: pd.DataFrame, provisional: Provisional) -> list[bool] | None:
    """Per row, whether it holds provisional figures: by its year and partnership when the
    frame has them, else whether any figure of the view is. None when the frame holds no
    reported figure or nothing is provisional."""
    if not provisional or not reports_figures(frame) or COLUMN in frame.columns:
        return None
    slug_column = next((c for c in ("partnership_slug", "slug") if c in frame.columns), None)
    if "year" in frame.columns:
        years = [_year(v) for v in frame["year"].tolist()]
        if slug_column is None:
            marked = set(provisional.years)
            return [year in marked for year in years]
        cells = set(provisional.cells)
        slugs = [str(v) for v in frame[slug_column].tolist()]
        return [(slug, year) in cells for slug, year in zip(slugs, years, strict=True)]
    if slug_column is not None:
        marked_slugs = set(provisional.partnerships)
        return [str(v) in marked_slugs for v in frame[slug_column].tolist()]
    return [True] * len(frame)


def mark_frame(
    frame: pd.DataFrame, provisional: Provisional, flags: list[bool] | None = None
) -> pd.DataFrame:
    """The frame with a `provisional` column (true/false) when it holds provisional figures;
    otherwise the frame itself (flags: its row_flags, when already at hand)."""
    flags = row_flags(frame, provisional) if flags is None else flags
    if flags is None or not any(flags):
        return frame
    return frame.assign(**{COLUMN: flags})


def chart_years(frame: pd.DataFrame, provisional: Provisional) -> tuple[int, ...]:
    """The years a chart by year marks as provisional (none for other charts)."""
    return tuple(_year(v) or 0 for v in chart_year_values(frame, provisional))


def chart_year_values(frame: pd.DataFrame, provisional: Provisional) -> tuple[object, ...]:
    """The x values (as the frame holds them) of the provisional years of a chart by year."""
    if not provisional or "year" not in frame.columns or not reports_figures(frame):
        return ()
    wanted = set(provisional.years)
    found: dict[int, object] = {}
    for value in frame["year"].tolist():
        year = _year(value)
        if year in wanted and year not in found:
            found[year] = value.item() if hasattr(value, "item") else value
    return tuple(found[y] for y in sorted(found))


def chart_note(
    frame: pd.DataFrame, provisional: Provisional, flags: list[bool] | None = None
) -> str | None:
    """The line under a chart of reported figures that holds provisional ones (flags: its
    row_flags, when already at hand)."""
    flags = row_flags(frame, provisional) if flags is None else flags
    if not flags or not any(flags):
        return None
    years = chart_years(frame, provisional)
    if years:
        return _("Figures for {years} are provisional: still under review.").format(
            years=", ".join(str(y) for y in years)
        )
    return _("This chart includes provisional figures, still under review.")


def report_notice(provisional: Provisional) -> Notice | None:
    """What a briefing report says about the provisional figures it holds."""
    if not provisional:
        return None
    cells = ", ".join(
        _("{partnership} ({year})").format(partnership=provisional.name_of(s), year=y)
        for s, y in provisional.cells
    )
    return Notice(
        _(
            "Provisional figures: these partnerships' reported figures are still under "
            "review in a reporting round and may change: {cells}. Approved figures are final."
        ),
        kind="warning",
        quoted={"cells": cells},
    )


def _year(value: object) -> int | None:
    try:
        return int(str(value)[:4])
    except ValueError:
        return None
