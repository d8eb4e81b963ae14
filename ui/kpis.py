"""The headline KPI tiles: value at the period's end and change on the year before."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from data_access import Filters
from ui.frame import format_number


def kpi_values(indicators: pd.DataFrame, filters: Filters) -> list[dict[str, str | None]]:
    """Label, value, change and help for each tile, from pact_indicators_by_year rows."""
    year_to = int(indicators["year"].max())
    now = indicators[indicators["year"] == year_to].iloc[0]
    prev_rows = indicators[indicators["year"] == year_to - 1]
    prev = prev_rows.iloc[0] if not prev_rows.empty else None
    first = filters.year_from if filters.year_from is not None else int(indicators["year"].min())
    tiles: list[dict[str, str | None]] = []
    for column, label in (
        ("partnerships", "Partnerships"),
        ("ecosystems", "Ecosystems covered"),
        ("members", "Member organisations"),
        ("countries", "Countries"),
    ):
        change = None if prev is None else now[column] - prev[column]
        delta = None if change is None or pd.isna(change) else int(change)
        tiles.append(
            {
                "label": f"{label}, end {year_to}",
                "value": format_number(float(now[column])),
                "delta": None if delta is None else f"{delta:+,} on {year_to - 1}",
                "help": "Counted on 31 December among partnerships and members in the filters.",
            }
        )
    tiles.append(
        {
            "label": f"People up/re-skilled, {first}–{year_to}",
            "value": format_number(float(now["people_trained_cumulative"])),
            "delta": None
            if pd.isna(now["people_trained"])
            else f"+{format_number(float(now['people_trained']))} in {year_to}",
            "help": "Sum of all outcome reports in the period; the change is the last year's.",
        }
    )
    share = now["women_share_recorded"]
    prev_share = None if prev is None else prev["women_share_recorded"]
    delta_pp = (
        None
        if prev_share is None or pd.isna(prev_share) or pd.isna(share)
        # spelt out: a screen reader reads "pp" as two letters
        else f"{(share - prev_share) * 100:+.1f} percentage points on {year_to - 1}"
    )
    tiles.append(
        {
            "label": f"Women among trainees, {year_to}",
            "value": _share(share),
            "delta": delta_pp,
            "help": (
                "Share among trainees whose gender is recorded; "
                f"{_share(now['not_recorded_share'])} of trainees in {year_to} had no "
                "gender recorded and are left out of this share."
            ),
        }
    )
    return tiles


def _share(value: float) -> str:
    return "–" if pd.isna(value) else f"{value:.1%}"


def kpi_tiles(indicators: pd.DataFrame, filters: Filters) -> None:
    """Draw the six tiles in two rows of three."""
    tiles = kpi_values(indicators, filters)
    columns = [*st.columns(3), *st.columns(3)]
    for column, tile in zip(columns, tiles, strict=True):
        delta = tile["delta"] or ""
        unchanged = delta.startswith(("+0 ", "+0.0 percentage"))
        column.metric(
            tile["label"] or "",
            tile["value"],
            delta=tile["delta"],
            # a share of women going up or down is neither good nor bad news in itself
            delta_color="off" if unchanged or "Women" in (tile["label"] or "") else "normal",
            delta_arrow="off" if unchanged else "auto",
            help=tile["help"],
            border=True,
        )
