"""One-sentence text summaries of charts, built from exactly the data frame a chart plots.

One builder per kind of chart. They are pure (no Streamlit) and read only the frame they are
given, so the sentence under a chart can never say something the chart does not show. A value
hidden by disclosure control is NaN: it is said to be "not published", never printed as nan,
and a total over hidden values is given as "at least" the sum of the published ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

NOT_PUBLISHED = "not published"


def number(value: Any) -> str:
    """A count in words a screen reader reads well: 3,210 · 48,500 · 6.1 million."""
    if _missing(value):
        return NOT_PUBLISHED
    value = float(value)
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:,.1f} million"
    return f"{value:,.0f}"


def percent(value: Any, digits: int = 0) -> str:
    """A share (0-1) as a percentage: 38%."""
    if _missing(value):
        return NOT_PUBLISHED
    share = float(value) * 100
    # a small share that rounds to 0 would read as none
    while 0 < abs(share) < 0.5 * 10**-digits and digits < 1:
        digits += 1
    if 0 < abs(share) < 0.5 * 10**-digits:
        return f"under {10**-digits:g}%"
    return f"{share:.{digits}f}%"


def euros_million(value: Any) -> str:
    """An amount already in EUR million: EUR 45.2 million."""
    if _missing(value):
        return NOT_PUBLISHED
    return f"EUR {float(value):,.1f} million"


def span(first: Any, last: Any) -> str:
    """A period of two labels: 2024, or 2020–2024."""
    return str(last) if str(first) == str(last) else f"{first}–{last}"


def _missing(value: Any) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _label(value: Any) -> str:
    """A year or period as text (2024, not 2024.0)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _listing(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _total(values: pd.Series) -> tuple[float, bool]:
    """Sum of the published values, and whether some were not published."""
    return float(values.sum(skipna=True)), bool(values.isna().any())


def _at_least(total: float, hidden: bool, fmt: Any = number) -> str:
    return f"at least {fmt(total)}" if hidden else str(fmt(total))


def _not_published_note(count: int, noun: str = "value") -> str:
    if count == 0:
        return ""
    if count == 1:
        return f"; 1 {noun} is not published"
    return f"; {count} {noun}s are not published"


def _change(last: float, previous: float, fmt: Any, *, share: bool = False) -> tuple[str, str, str]:
    """Direction word and both values formatted so that a change shows (one more decimal
    for shares that round alike)."""
    if _missing(previous):
        return "", fmt(last), NOT_PUBLISHED
    digits = 0
    if share:
        while (
            digits < 2 and percent(last, digits) == percent(previous, digits) and last != previous
        ):
            digits += 1
        last_text, previous_text = percent(last, digits), percent(previous, digits)
    else:
        last_text, previous_text = fmt(last), fmt(previous)
    if last > previous:
        return "up", last_text, previous_text
    if last < previous:
        return "down", last_text, previous_text
    return "unchanged", last_text, previous_text


def trend_summary(
    df: pd.DataFrame, *, x: str, y: str, noun: str, when: str = "at the end of"
) -> str:
    """One series over periods (bars or a line): the last value and the change on the one
    before. "3,210 member organisations at the end of 2024, up from 2,459 at the end of 2023."
    """
    if df.empty:
        return f"No {noun} for the current filters."
    rows = df.sort_values(x)
    last = rows.iloc[-1]
    period = _label(last[x])
    if _missing(last[y]):
        return f"The number of {noun} {when} {period} is not published."
    if len(rows) == 1:
        return f"{_capital(number(last[y]))} {noun} {when} {period}."
    before = rows.iloc[-2]
    direction, now, then = _change(float(last[y]), before[y], number)
    head = f"{_capital(now)} {noun} {when} {period}"
    previous = _label(before[x])
    if direction == "":
        return f"{head}; the figure for {previous} is not published."
    if direction == "unchanged":
        return f"{head}, unchanged from {previous}."
    return f"{head}, {direction} from {then} {when} {previous}."


def people_trained_summary(df: pd.DataFrame, *, x: str = "year", y: str = "people_trained") -> str:
    """Bars per year with a cumulative line: the period's total, the last year and its change.
    "6.1 million people up/re-skilled in 2020–2024; 2.6 million in 2024, up from 1.5 million
    in 2023."
    """
    if df.empty:
        return "No people up/re-skilled for the current filters."
    rows = df.sort_values(x)
    total, hidden = _total(rows[y])
    period = span(_label(rows[x].iloc[0]), _label(rows[x].iloc[-1]))
    head = f"{_capital(_at_least(total, hidden))} people up/re-skilled in {period}"
    if len(rows) == 1:
        return head + "."
    last, before = rows.iloc[-1], rows.iloc[-2]
    if _missing(last[y]):
        return f"{head}; the figure for {_label(last[x])} is not published."
    direction, now, then = _change(float(last[y]), before[y], number)
    tail = f"{now} in {_label(last[x])}"
    if direction == "":
        return f"{head}; {tail}."
    if direction == "unchanged":
        return f"{head}; {tail}, as many as in {_label(before[x])}."
    return f"{head}; {tail}, {direction} from {then} in {_label(before[x])}."


def grouped_trend_summary(
    df: pd.DataFrame,
    *,
    x: str,
    group: str,
    y: str,
    noun: str,
    when: str = "at the end of",
    other: str | None = "Other",
) -> str:
    """One line per group over periods: who leads in the last period, or the trend when there
    is one group. "At the end of 2024, Digital had the most member organisations (812),
    followed by Health (640); 14 groups are shown."

    A group named `other` (the sum of groups too small to show) never leads.
    """
    if df.empty:
        return f"No {noun} for the current filters."
    groups = df[group].unique()
    if len(groups) == 1:
        return trend_summary(df, x=x, y=y, noun=noun, when=when)
    last_period = df[x].max()
    last = df[df[x] == last_period]
    published = last.dropna(subset=[y]).sort_values([y, group], ascending=[False, True])
    published = published[published[group] != other]
    period = _label(last_period)
    note = _not_published_note(int(last[y].isna().sum()))
    if published.empty:
        return f"The {noun} of every group {when} {period} are not published."
    top = published.iloc[0]
    text = f"{_capital(when)} {period}, {top[group]} had the most {noun} ({number(top[y])})"
    if len(published) > 1:
        second = published.iloc[1]
        text += f", followed by {second[group]} ({number(second[y])})"
    return f"{text}; {len(groups)} groups are shown{note}."


def stacked_summary(
    df: pd.DataFrame, *, x: str, part: str, y: str, noun: str, other: str | None = "Other"
) -> str:
    """Stacked bars over periods: the total, the peak period and the largest part.
    "1,234 new member organisations in 2020–2024, most in 2023 (700); Digital was the largest
    part (300, 24%)." A part named `other` (small parts summed) is never the largest.
    """
    if df.empty:
        return f"No {noun} for the current filters."
    total, hidden = _total(df[y])
    periods = sorted(df[x].unique())
    period = span(_label(periods[0]), _label(periods[-1]))
    text = f"{_capital(_at_least(total, hidden))} {noun} in {period}"
    by_period = df.groupby(x)[y].sum()
    if len(periods) > 1 and total > 0:
        peak = by_period.idxmax()
        text += f", most in {_label(peak)} ({number(by_period.max())})"
    parts = df.groupby(part, sort=True)[y].sum().sort_values(ascending=False, kind="stable")
    parts = parts[parts.index != other]
    if len(parts) > 1 and total > 0:
        largest = parts.index[0]
        share = "" if hidden else f", {percent(parts.iloc[0] / total)}"
        text += f"; {largest} was the largest part ({number(parts.iloc[0])}{share})"
    return text + "."


def ranking_summary(
    df: pd.DataFrame,
    *,
    label: str,
    value: str,
    noun: str,
    items: str,
    when: str = "",
) -> str:
    """Bars of one value per item, or a map: the two largest and how many have any.
    "Germany had the most member organisations at the end of 2024 (412), followed by France
    (380); 30 of 38 countries had any."
    """
    if df.empty:
        return f"No {noun} for the current filters."
    published = df.dropna(subset=[value]).sort_values([value, label], ascending=[False, True])
    note = _not_published_note(int(df[value].isna().sum()))
    suffix = f" {when}" if when else ""
    if published.empty or float(published[value].iloc[0]) <= 0:
        return f"No {noun}{suffix} in any of the {len(df)} {items}{note}."
    top = published.iloc[0]
    text = f"{top[label]} had the most {noun}{suffix} ({number(top[value])})"
    if len(published) > 1 and float(published[value].iloc[1]) > 0:
        second = published.iloc[1]
        text += f", followed by {second[label]} ({number(second[value])})"
    with_any = int((published[value] > 0).sum())
    if with_any < len(df):
        text += f"; {with_any} of {len(df)} {items} had any"
    else:
        text += f"; {len(df)} {items} are shown"
    return text + note + "."


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
        return "No trainees with recorded gender for the current filters."
    published = df.dropna(subset=[share]).sort_values([share, label])
    note = _not_published_note(int(df[share].isna().sum()))
    if published.empty:
        return f"Women's share of trainees is not published for any of the {len(df)} {items}."
    low, high = published.iloc[0], published.iloc[-1]
    if len(published) == 1:
        text = (
            f"Women were {percent(high[share])} of trainees with recorded gender in {high[label]}"
        )
    else:
        text = (
            f"Women's share of trainees with recorded gender ranged from {percent(low[share])} "
            f"({low[label]}) to {percent(high[share])} ({high[label]}) across {len(df)} {items}"
        )
        parity = int((published[share] >= 0.5).sum())
        text += f"; {parity} {'was' if parity == 1 else 'were'} at or above parity"
    if target is not None and target in df.columns:
        with_target = published.dropna(subset=[target])
        if not with_target.empty:
            met = int((with_target[share] >= with_target[target]).sum())
            text += f"; {met} of the {len(with_target)} with their own target met it"
    return text + note + "."


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
        return "No trainees with recorded gender for the current filters."
    if df[group].nunique() > 1:
        last_year = df[x].max()
        last = df[df[x] == last_year]
        published = last.dropna(subset=[share]).sort_values([share, group])
        note = _not_published_note(int(last[share].isna().sum()))
        if published.empty:
            return f"Women's share of trainees in {_label(last_year)} is not published."
        high, low = published.iloc[-1], published.iloc[0]
        return (
            f"In {_label(last_year)}, women's share of trainees with recorded gender was highest "
            f"in {high[group]} ({percent(high[share])}) and lowest in {low[group]} "
            f"({percent(low[share])}){note}."
        )
    rows = df.sort_values(x)
    last = rows.iloc[-1]
    year = _label(last[x])
    if _missing(last[share]):
        return f"Women's share of trainees in {year} is not published."
    if len(rows) == 1:
        return f"Women were {percent(last[share])} of trainees with recorded gender in {year}."
    before = rows.iloc[-2]
    direction, now, then = _change(float(last[share]), before[share], percent, share=True)
    head = f"Women were {now} of trainees with recorded gender in {year}"
    if direction == "":
        return f"{head}; the share for {_label(before[x])} is not published."
    if direction == "unchanged":
        return f"{head}, as in {_label(before[x])}."
    return f"{head}, {direction} from {then} in {_label(before[x])}."


COMPOSITION_WORDS = (
    ("women", "women"),
    ("men", "men"),
    ("other_gender", "another gender"),
    ("not_recorded", "no gender recorded"),
)


def gender_composition_summary(df: pd.DataFrame, *, total: str = "people_trained") -> str:
    """Stacked 100% bars of trainees' gender.
    "Of 6.1 million trainees, 40% were women, 55% men, 1% another gender and 4% had no gender
    recorded."
    """
    people, hidden = _total(df[total]) if not df.empty else (0.0, False)
    if people <= 0:
        return "No trainees for the current filters."
    parts = {column: _total(df[column]) for column, _ in COMPOSITION_WORDS}
    if hidden or any(part_hidden for _, part_hidden in parts.values()):
        # shares of a total that is itself partly hidden would mislead: give the counts
        shown = {c: _at_least(v, h) for c, (v, h) in parts.items()}
    else:
        shown = {c: percent(v / people) for c, (v, _) in parts.items()}
    return (
        f"Of {_at_least(people, hidden)} trainees, {shown['women']} were women, "
        f"{shown['men']} men, {shown['other_gender']} another gender and "
        f"{shown['not_recorded']} had no gender recorded."
    )


def programmes_investment_summary(
    df: pd.DataFrame,
    *,
    x: str = "year",
    programmes: str = "programmes",
    investment: str = "investment_eur_million",
    reached: str = "people_reached",
) -> str:
    """Three panels per year: totals of programmes, investment and outreach over the period.
    "In 2020–2024, 5,309 training programmes were developed or updated, EUR 58.4 million was
    invested and 7.7 million people were reached by promotion."
    """
    if df.empty:
        return "No training programmes, investment or outreach for the current filters."
    period = span(_label(df[x].min()), _label(df[x].max()))
    done, done_hidden = _total(df[programmes])
    spent, spent_hidden = _total(df[investment])
    seen, seen_hidden = _total(df[reached])
    return (
        f"In {period}, {_at_least(done, done_hidden)} training programmes were developed or "
        f"updated, {_at_least(spent, spent_hidden, euros_million)} was invested and "
        f"{_at_least(seen, seen_hidden)} people were reached by promotion."
    )


def treemap_summary(
    df: pd.DataFrame,
    *,
    top: str = "ecosystem",
    middle: str = "partnership",
    leaf: str = "skill_area",
    value: str = "people_trained",
) -> str:
    """Nested boxes: the largest box at the top level and the largest at the middle level.
    "Of 6.1 million people up/re-skilled, Health delivered the most (25%) and, among
    partnerships, the Health LSP (8%); digital skills were the largest area (34%)."
    """
    total, hidden = _total(df[value]) if not df.empty else (0.0, False)
    if total <= 0:
        return "No people up/re-skilled for the current filters."

    def largest(column: str) -> str:
        sums = (
            df.groupby(column, sort=True)[value].sum().sort_values(ascending=False, kind="stable")
        )
        share = f"{percent(sums.iloc[0] / total)}" if not hidden else number(sums.iloc[0])
        return f"{sums.index[0]} ({share})"

    return (
        f"Of {_at_least(total, hidden)} people up/re-skilled, {largest(top)} delivered the most "
        f"among ecosystems and {largest(middle)} among partnerships; the largest skill area "
        f"was {largest(leaf)}."
    )


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
        return f"No {items} for the current filters."
    by_x = df.dropna(subset=[x]).sort_values([x, label], ascending=[False, True])
    by_y = df.dropna(subset=[y]).sort_values([y, label], ascending=[False, True])
    hidden = int(df[[x, y]].isna().any(axis=1).sum())
    parts = []
    if not by_x.empty:
        parts.append(f"{by_x.iloc[0][label]} had the most {x_noun} ({number(by_x.iloc[0][x])})")
    if not by_y.empty:
        leader = by_y.iloc[0][label]
        who = "also" if not by_x.empty and leader == by_x.iloc[0][label] else leader
        parts.append(f"{who} the most {y_noun} ({number(by_y.iloc[0][y])})")
    if not parts:
        return f"The values of all {len(df)} {items} are not published."
    note = _not_published_note(hidden, "partnership")
    return f"Of {len(df)} {items}, {' and '.join(parts)}{note}."


def pledge_progress_summary(
    df: pd.DataFrame, *, label: str = "short_name", progress: str = "pledge_progress", year: Any
) -> str:
    """Bars of progress against a pledge per item: how many met it and the range.
    "3 of 12 partnerships with a numeric pledge met it in 2024; progress ranged from 12%
    (Textiles) to 140% (Health)."
    """
    if df.empty:
        return f"No partnership with a numeric pledge for the current filters in {_label(year)}."
    published = df.dropna(subset=[progress]).sort_values([progress, label])
    note = _not_published_note(int(df[progress].isna().sum()))
    if published.empty:
        return f"Progress against the pledges in {_label(year)} is not published{note}."
    met = int((published[progress] >= 1).sum())
    low, high = published.iloc[0], published.iloc[-1]
    text = f"{met} of {len(df)} partnerships with a numeric pledge met it in {_label(year)}"
    if len(published) > 1:
        text += (
            f"; progress ranged from {percent(low[progress])} ({low[label]}) to "
            f"{percent(high[progress])} ({high[label]})"
        )
    else:
        text += f"; progress was {percent(high[progress])}"
    return text + note + "."


def pledge_trend_summary(
    df: pd.DataFrame, *, x: str = "year", y: str = "people_trained", pledge: str = "annual_pledge"
) -> str:
    """Bars per year against an annual pledge line: the last year against the pledge.
    "2,300 people up/re-skilled in 2024, up from 1,900 in 2023; that is 80% of the annual
    pledge of 2,875."
    """
    base = trend_summary(df, x=x, y=y, noun="people up/re-skilled", when="in")
    if df.empty or pledge not in df.columns:
        return base
    last = df.sort_values(x).iloc[-1]
    target, done = last[pledge], last[y]
    if _missing(target) or float(target) <= 0:
        return f"{base[:-1]}; the partnership has no numeric annual pledge."
    if _missing(done):
        return base
    share = percent(float(done) / float(target))
    return f"{base[:-1]}; that is {share} of the annual pledge of {number(target)}."


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
        return f"No measures to compare {partnership} with."
    comparable = df.dropna(subset=[own])
    missing = len(df) - len(comparable)
    # a measure can be missing because it does not apply (no numeric pledge) or is hidden
    note = (
        ""
        if not missing
        else f"; {missing} measure{'s' if missing > 1 else ''} without a value "
        "(not applicable or not published)"
    )
    if comparable.empty:
        return f"{partnership} has no published value to compare."
    above_pact = int((comparable[own] > comparable[pact]).sum())
    above_eco = int((comparable[own] > comparable[ecosystem]).sum())
    measures = len(comparable)
    return (
        f"{partnership} is above the Pact median on {above_pact} of {measures} measures and "
        f"above its ecosystem's median on {above_eco}{note}."
    )


def launches_summary(
    df: pd.DataFrame,
    *,
    label: str = "short_name",
    date: str = "launch_date",
    kind: str = "kind",
) -> str:
    """Launch dates on a timeline: how many, when, of which kind, the latest.
    "26 partnerships launched between November 2020 and March 2024 (20 large-scale, 6
    regional); the latest was Tourism in March 2024."
    """
    if df.empty:
        return "No partnership launches for the current filters."
    dates = pd.to_datetime(df[date])
    rows = df.assign(_date=dates).sort_values(["_date", label])
    first, last = rows.iloc[0], rows.iloc[-1]
    kinds = rows[kind].value_counts()
    kinds_text = _listing([f"{count} {name}" for name, count in kinds.items()])
    month = "%B %Y"
    when = (
        f"in {first['_date']:{month}}"
        if first["_date"].strftime(month) == last["_date"].strftime(month)
        else f"between {first['_date']:{month}} and {last['_date']:{month}}"
    )
    count = len(rows)
    head = f"{count} partnership{'' if count == 1 else 's'} launched {when} ({kinds_text})"
    if count == 1:
        return head + "."
    return f"{head}; the latest was {last[label]} in {last['_date']:{month}}."


def is_sentence(text: str) -> bool:
    """A summary is one sentence without leftovers of missing data (nan, None, inf)."""
    words = text.replace("(", " ").replace(")", " ").replace(",", " ").split()
    leftovers = {"nan", "none", "inf", "-inf", "nat", "<na>"}
    return (
        bool(text)
        and text.endswith(".")
        and not any(w.strip(".;:").lower() in leftovers for w in words)
    )
