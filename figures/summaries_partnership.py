"""One-sentence summaries of the partnership charts: the scatter of partnerships, progress
against pledges and a partnership against its peers (figures.summaries gives them all)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from figures.summary_words import (
    label_text,
    none_for,
    not_published_note,
    number,
    percent,
)
from i18n import _, ngettext, numbers


def scatter_summary(
    df: pd.DataFrame,
    *,
    label: str,
    x: str,
    y: str,
    x_noun: str,
    y_noun: str,
    items: str,
) -> str:
    """One marker per item on two measures: which item leads on each.
    "Of 26 partnerships, Automotive had the most members (520) and Health up/re-skilled the
    most people in 2024 (300,000)."
    """
    if df.empty:
        return none_for(items)
    by_x = df.dropna(subset=[x]).sort_values([x, label], ascending=[False, True])
    by_y = df.dropna(subset=[y]).sort_values([y, label], ascending=[False, True])
    hidden = int(df[[x, y]].isna().any(axis=1).sum())
    values = {
        "all": numbers.number(len(df)),
        "items": items,
        "x_noun": x_noun,
        "y_noun": y_noun,
        "note": not_published_note(hidden, "partnership"),
    }
    if by_x.empty and by_y.empty:
        return _("The values of all {all} {items} are not published.").format(**values)
    if not by_x.empty:
        values.update(x_leader=by_x.iloc[0][label], x_count=number(by_x.iloc[0][x]))
    if not by_y.empty:
        values.update(y_leader=by_y.iloc[0][label], y_count=number(by_y.iloc[0][y]))
    if by_y.empty:
        text = _("Of {all} {items}, {x_leader} had the most {x_noun} ({x_count}){note}.")
    elif by_x.empty:
        text = _("Of {all} {items}, {y_leader} the most {y_noun} ({y_count}){note}.")
    elif values["y_leader"] == values["x_leader"]:
        text = _(
            "Of {all} {items}, {x_leader} had the most {x_noun} ({x_count}) and also the most "
            "{y_noun} ({y_count}){note}."
        )
    else:
        text = _(
            "Of {all} {items}, {x_leader} had the most {x_noun} ({x_count}) and {y_leader} the "
            "most {y_noun} ({y_count}){note}."
        )
    return text.format(**values)


def pledge_progress_summary(
    df: pd.DataFrame, *, label: str = "short_name", progress: str = "pledge_progress", year: Any
) -> str:
    """Bars of progress against a pledge per item: how many met it and the range.
    "3 of 12 partnerships with a numeric pledge met it in 2024; progress ranged from 12%
    (Textiles) to 140% (Health)."
    """
    if df.empty:
        return _("No partnership with a numeric pledge for the current filters in {year}.").format(
            year=label_text(year)
        )
    published = df.dropna(subset=[progress]).sort_values([progress, label])
    note = not_published_note(int(df[progress].isna().sum()))
    if published.empty:
        return _("Progress against the pledges in {year} is not published{note}.").format(
            year=label_text(year), note=note
        )
    met = int((published[progress] >= 1).sum())
    low, high = published.iloc[0], published.iloc[-1]
    values = {
        "met": numbers.number(met),
        "all": numbers.number(len(df)),
        "year": label_text(year),
        "note": note,
    }
    if len(published) > 1:
        text = _(
            "{met} of {all} partnerships with a numeric pledge met it in {year}; progress "
            "ranged from {low} ({low_name}) to {high} ({high_name}){note}."
        )
        values.update(
            low=percent(low[progress]),
            low_name=low[label],
            high=percent(high[progress]),
            high_name=high[label],
        )
    else:
        text = _(
            "{met} of {all} partnerships with a numeric pledge met it in {year}; progress was "
            "{progress}{note}."
        )
        values.update(progress=percent(high[progress]))
    return text.format(**values)


def peers_summary(
    df: pd.DataFrame,
    *,
    partnership: str,
    label: str = "label",
    own: str = "partnership",
    ecosystem: str = "ecosystem_median",
    pact: str = "pact_median",
) -> str:
    """Small panels comparing one partnership with two medians, one panel per measure.
    "Health LSP is above the Pact median on 4 of 6 measures and above its ecosystem's median
    on 3."
    """
    if df.empty:
        return _("No measures to compare {partnership} with.").format(partnership=partnership)
    comparable = df.dropna(subset=[own])
    missing = len(df) - len(comparable)
    # a measure can be missing because it does not apply (no numeric pledge) or is hidden
    note = (
        ""
        if not missing
        else "; "
        + ngettext(
            "{count} measure without a value (not applicable or not published)",
            "{count} measures without a value (not applicable or not published)",
            missing,
        ).format(count=numbers.number(missing))
    )
    if comparable.empty:
        return _("{partnership} has no published value to compare.").format(partnership=partnership)
    above_pact = int((comparable[own] > comparable[pact]).sum())
    above_eco = int((comparable[own] > comparable[ecosystem]).sum())
    return _(
        "{partnership} is above the Pact median on {above_pact} of {measures} measures and "
        "above its ecosystem's median on {above_ecosystem}{note}."
    ).format(
        partnership=partnership,
        above_pact=numbers.number(above_pact),
        measures=numbers.number(len(comparable)),
        above_ecosystem=numbers.number(above_eco),
        note=note,
    )
