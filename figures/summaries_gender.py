"""One-sentence summaries of the Gender balance charts (figures.summaries gives them all)."""

from __future__ import annotations

import pandas as pd

from figures.summary_words import (
    at_least,
    change,
    label_text,
    missing,
    not_published_note,
    percent,
    total_of,
)
from i18n import _, ngettext, numbers

COMPOSITION_WORDS = ("women", "men", "other_gender", "not_recorded")


def share_range_summary(
    df: pd.DataFrame,
    *,
    label: str,
    items: str,
    share: str = "women_share_recorded",
    target: str | None = None,
) -> str:
    """Bars of women's share per item: the range, how many reach parity, own targets met.
    "Women's share of trainees with recorded gender ranged from 12% (Construction) to 71%
    (Health) across 14 ecosystems; 3 were at or above parity."
    """
    if df.empty:
        return _("No trainees with recorded gender for the current filters.")
    published = df.dropna(subset=[share]).sort_values([share, label])
    note = not_published_note(int(df[share].isna().sum()))
    count = numbers.number(len(df))
    if published.empty:
        return _(
            "Women's share of trainees is not published for any of the {count} {items}."
        ).format(count=count, items=items)
    low, high = published.iloc[0], published.iloc[-1]
    if len(published) == 1:
        clauses = [
            _("Women were {share} of trainees with recorded gender in {name}").format(
                share=percent(high[share]), name=high[label]
            )
        ]
    else:
        clauses = [
            _(
                "Women's share of trainees with recorded gender ranged from {low} ({low_name}) "
                "to {high} ({high_name}) across {count} {items}"
            ).format(
                low=percent(low[share]),
                low_name=low[label],
                high=percent(high[share]),
                high_name=high[label],
                count=count,
                items=items,
            )
        ]
        parity = int((published[share] >= 0.5).sum())
        clauses.append(
            ngettext(
                "{count} was at or above parity", "{count} were at or above parity", parity
            ).format(count=numbers.number(parity))
        )
    if target is not None and target in df.columns:
        with_target = published.dropna(subset=[target])
        if not with_target.empty:
            met = int((with_target[share] >= with_target[target]).sum())
            clauses.append(
                _("{met} of the {count} with their own target met it").format(
                    met=numbers.number(met), count=numbers.number(len(with_target))
                )
            )
    return "; ".join(clauses) + note + "."


def women_share_trend_summary(
    df: pd.DataFrame,
    *,
    x: str = "year",
    group: str = "group",
    share: str = "women_share_recorded",
) -> str:
    """Lines of women's share per year, for the Pact or per ecosystem.
    "Women were 38% of trainees with recorded gender in 2024, up from 34% in 2023."
    """
    if df.empty:
        return _("No trainees with recorded gender for the current filters.")
    if df[group].nunique() > 1:
        last_year = df[x].max()
        last = df[df[x] == last_year]
        published = last.dropna(subset=[share]).sort_values([share, group])
        note = not_published_note(int(last[share].isna().sum()))
        if published.empty:
            return _("Women's share of trainees in {year} is not published.").format(
                year=label_text(last_year)
            )
        high, low = published.iloc[-1], published.iloc[0]
        return _(
            "In {year}, women's share of trainees with recorded gender was highest in {high} "
            "({high_share}) and lowest in {low} ({low_share}){note}."
        ).format(
            year=label_text(last_year),
            high=high[group],
            high_share=percent(high[share]),
            low=low[group],
            low_share=percent(low[share]),
            note=note,
        )
    rows = df.sort_values(x)
    last = rows.iloc[-1]
    year = label_text(last[x])
    if missing(last[share]):
        return _("Women's share of trainees in {year} is not published.").format(year=year)
    if len(rows) == 1:
        return _("Women were {share} of trainees with recorded gender in {year}.").format(
            share=percent(last[share]), year=year
        )
    before = rows.iloc[-2]
    direction, now, then = change(float(last[share]), before[share], percent, share=True)
    values = {"share": now, "year": year, "previous": then, "previous_year": label_text(before[x])}
    if direction == "":
        text = _(
            "Women were {share} of trainees with recorded gender in {year}; "
            "the share for {previous_year} is not published."
        )
    elif direction == "unchanged":
        text = _(
            "Women were {share} of trainees with recorded gender in {year}, as in {previous_year}."
        )
    elif direction == "up":
        text = _(
            "Women were {share} of trainees with recorded gender in {year}, "
            "up from {previous} in {previous_year}."
        )
    else:
        text = _(
            "Women were {share} of trainees with recorded gender in {year}, "
            "down from {previous} in {previous_year}."
        )
    return text.format(**values)


def gender_composition_summary(df: pd.DataFrame, *, total: str = "people_trained") -> str:
    """Stacked 100% bars of trainees' gender.
    "Of 6.1 million trainees, 40% were women, 55% men, 1% another gender and 4% had no gender
    recorded."
    """
    people, hidden = total_of(df[total]) if not df.empty else (0.0, False)
    if people <= 0:
        return _("No trainees for the current filters.")
    parts = {column: total_of(df[column]) for column in COMPOSITION_WORDS}
    if hidden or any(part_hidden for _value, part_hidden in parts.values()):
        # shares of a total that is itself partly hidden would mislead: give the counts
        shown = {c: at_least(v, h) for c, (v, h) in parts.items()}
    else:
        shown = {c: percent(v / people) for c, (v, _hidden) in parts.items()}
    return _(
        "Of {total} trainees, {women} were women, {men} men, {other_gender} another gender "
        "and {not_recorded} had no gender recorded."
    ).format(total=at_least(people, hidden), **shown)
