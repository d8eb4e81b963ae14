"""One-sentence text summaries of charts, built from exactly the data frame a chart plots.

One builder per kind of chart. They are pure (no Streamlit) and read only the frame they are
given, so the sentence under a chart can never say something the chart does not show. A value
hidden by disclosure control is NaN: it is said to be "not published", never printed as nan,
and a total over hidden values is given as "at least" the sum of the published ones.
"""

from __future__ import annotations

import pandas as pd

from figures.summaries_gender import (
    gender_composition_summary,
    share_range_summary,
    women_share_trend_summary,
)
from figures.summaries_partnership import (
    peers_summary,
    pledge_progress_summary,
    scatter_summary,
)
from figures.summary_words import (
    NOT_PUBLISHED,
    at_least,
    capital,
    change,
    euros_million,
    label_text,
    listing,
    missing,
    none_for,
    not_published_note,
    number,
    percent,
    span,
    total_of,
)
from i18n import N_, _, ngettext, numbers

__all__ = [
    "NOT_PUBLISHED",
    "euros_million",
    "gender_composition_summary",
    "grouped_trend_summary",
    "is_sentence",
    "launches_summary",
    "number",
    "peers_summary",
    "people_trained_summary",
    "percent",
    "pledge_progress_summary",
    "pledge_trend_summary",
    "programmes_investment_summary",
    "ranking_summary",
    "scatter_summary",
    "share_range_summary",
    "span",
    "stacked_summary",
    "treemap_summary",
    "trend_summary",
    "women_share_trend_summary",
]


def trend_summary(df: pd.DataFrame, *, x: str, y: str, noun: str, when: str | None = None) -> str:
    """One series over periods (bars or a line): the last value and the change on the one
    before. "3,210 member organisations at the end of 2024, up from 2,459 at the end of 2023."
    `when` (default "at the end of") comes before a period.
    """
    if when is None:
        # Translators: comes before a period in summaries: "at the end of 2024"
        when = _("at the end of")
    if df.empty:
        return none_for(noun)
    rows = df.sort_values(x)
    last = rows.iloc[-1]
    period = label_text(last[x])
    values = {"noun": noun, "when": when, "period": period}
    if missing(last[y]):
        return _("The number of {noun} {when} {period} is not published.").format(**values)
    if len(rows) == 1:
        return capital(_("{count} {noun} {when} {period}.").format(count=number(last[y]), **values))
    before = rows.iloc[-2]
    direction, now, then = change(float(last[y]), before[y], number)
    values.update(count=now, previous_count=then, previous=label_text(before[x]))
    if direction == "":
        text = _("{count} {noun} {when} {period}; the figure for {previous} is not published.")
    elif direction == "unchanged":
        text = _("{count} {noun} {when} {period}, unchanged from {previous}.")
    elif direction == "up":
        text = _("{count} {noun} {when} {period}, up from {previous_count} {when} {previous}.")
    else:
        text = _("{count} {noun} {when} {period}, down from {previous_count} {when} {previous}.")
    return capital(text.format(**values))


def people_trained_summary(df: pd.DataFrame, *, x: str = "year", y: str = "people_trained") -> str:
    """Bars per year with a cumulative line: the period's total, the last year and its change.
    "6.1 million people up/re-skilled in 2020–2024; 2.6 million in 2024, up from 1.5 million
    in 2023."
    """
    if df.empty:
        return _("No people up/re-skilled for the current filters.")
    rows = df.sort_values(x)
    total, hidden = total_of(rows[y])
    values = {
        "total": at_least(total, hidden),
        "period": span(label_text(rows[x].iloc[0]), label_text(rows[x].iloc[-1])),
    }
    if len(rows) == 1:
        return capital(_("{total} people up/re-skilled in {period}.").format(**values))
    last, before = rows.iloc[-1], rows.iloc[-2]
    values.update(year=label_text(last[x]), previous_year=label_text(before[x]))
    if missing(last[y]):
        text = _(
            "{total} people up/re-skilled in {period}; the figure for {year} is not published."
        )
        return capital(text.format(**values))
    direction, now, then = change(float(last[y]), before[y], number)
    values.update(count=now, previous=then)
    if direction == "":
        text = _("{total} people up/re-skilled in {period}; {count} in {year}.")
    elif direction == "unchanged":
        text = _(
            "{total} people up/re-skilled in {period}; {count} in {year}, "
            "as many as in {previous_year}."
        )
    elif direction == "up":
        text = _(
            "{total} people up/re-skilled in {period}; {count} in {year}, "
            "up from {previous} in {previous_year}."
        )
    else:
        text = _(
            "{total} people up/re-skilled in {period}; {count} in {year}, "
            "down from {previous} in {previous_year}."
        )
    return capital(text.format(**values))


def grouped_trend_summary(
    df: pd.DataFrame,
    *,
    x: str,
    group: str,
    y: str,
    noun: str,
    when: str | None = None,
    other: str | None = "Other",
) -> str:
    """One line per group over periods: who leads in the last period, or the trend when there
    is one group. "At the end of 2024, Digital had the most member organisations (812),
    followed by Health (640); 14 groups are shown."

    A group named `other` (the sum of groups too small to show) never leads.
    """
    if when is None:
        when = _("at the end of")
    if df.empty:
        return none_for(noun)
    groups = df[group].unique()
    if len(groups) == 1:
        return trend_summary(df, x=x, y=y, noun=noun, when=when)
    last_period = df[x].max()
    last = df[df[x] == last_period]
    published = last.dropna(subset=[y]).sort_values([y, group], ascending=[False, True])
    published = published[published[group] != other]
    note = not_published_note(int(last[y].isna().sum()))
    values = {"noun": noun, "when": when, "period": label_text(last_period)}
    if published.empty:
        text = _("The {noun} of every group {when} {period} are not published.")
        return text.format(**values)
    top = published.iloc[0]
    values.update(leader=top[group], count=number(top[y]), groups=numbers.number(len(groups)))
    if len(published) > 1:
        second = published.iloc[1]
        values.update(second=second[group], second_count=number(second[y]))
        text = ngettext(
            "{when} {period}, {leader} had the most {noun} ({count}), followed by {second} "
            "({second_count}); {groups} group is shown{note}.",
            "{when} {period}, {leader} had the most {noun} ({count}), followed by {second} "
            "({second_count}); {groups} groups are shown{note}.",
            len(groups),
        )
    else:
        text = ngettext(
            "{when} {period}, {leader} had the most {noun} ({count}); {groups} group is "
            "shown{note}.",
            "{when} {period}, {leader} had the most {noun} ({count}); {groups} groups are "
            "shown{note}.",
            len(groups),
        )
    return capital(text.format(note=note, **values))


def stacked_summary(
    df: pd.DataFrame, *, x: str, part: str, y: str, noun: str, other: str | None = "Other"
) -> str:
    """Stacked bars over periods: the total, the peak period and the largest part.
    "1,234 new member organisations in 2020–2024, most in 2023 (700); Digital was the largest
    part (300, 24%)." A part named `other` (small parts summed) is never the largest.
    """
    if df.empty:
        return none_for(noun)
    total, hidden = total_of(df[y])
    periods = sorted(df[x].unique())
    clauses = [
        _("{total} {noun} in {period}").format(
            total=at_least(total, hidden),
            noun=noun,
            period=span(label_text(periods[0]), label_text(periods[-1])),
        )
    ]
    by_period = df.groupby(x)[y].sum()
    if len(periods) > 1 and total > 0:
        peak = by_period.idxmax()
        clauses[0] = _("{total} {noun} in {period}, most in {peak} ({count})").format(
            total=at_least(total, hidden),
            noun=noun,
            period=span(label_text(periods[0]), label_text(periods[-1])),
            peak=label_text(peak),
            count=number(by_period.max()),
        )
    parts = df.groupby(part, sort=True)[y].sum().sort_values(ascending=False, kind="stable")
    parts = parts[parts.index != other]
    if len(parts) > 1 and total > 0:
        largest, count = parts.index[0], number(parts.iloc[0])
        if hidden:
            clause = _("{part} was the largest part ({count})").format(part=largest, count=count)
        else:
            clause = _("{part} was the largest part ({count}, {share})").format(
                part=largest, count=count, share=percent(parts.iloc[0] / total)
            )
        clauses.append(clause)
    return capital("; ".join(clauses)) + "."


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
        return none_for(noun)
    published = df.dropna(subset=[value]).sort_values([value, label], ascending=[False, True])
    note = not_published_note(int(df[value].isna().sum()))
    # Translators: {items} is what is ranked, e.g. "countries"; {when} e.g. "in 2020–2024"
    what = _("{noun} {when}").format(noun=noun, when=when) if when else noun
    values = {"noun": what, "items": items, "all": numbers.number(len(df)), "note": note}
    if published.empty or float(published[value].iloc[0]) <= 0:
        return capital(_("No {noun} in any of the {all} {items}{note}.").format(**values))
    top = published.iloc[0]
    clauses = [
        _("{leader} had the most {noun} ({count})").format(
            leader=top[label], count=number(top[value]), **values
        )
    ]
    if len(published) > 1 and float(published[value].iloc[1]) > 0:
        second = published.iloc[1]
        clauses[0] = _(
            "{leader} had the most {noun} ({count}), followed by {second} ({second_count})"
        ).format(
            leader=top[label],
            count=number(top[value]),
            second=second[label],
            second_count=number(second[value]),
            **values,
        )
    with_any = int((published[value] > 0).sum())
    if with_any < len(df):
        clauses.append(
            _("{some} of {all} {items} had any").format(some=numbers.number(with_any), **values)
        )
    else:
        clauses.append(_("{all} {items} are shown").format(**values))
    return "; ".join(clauses) + note + "."


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
        return _("No training programmes, investment or outreach for the current filters.")
    done, done_hidden = total_of(df[programmes])
    spent, spent_hidden = total_of(df[investment])
    seen, seen_hidden = total_of(df[reached])
    return _(
        "In {period}, {programmes} training programmes were developed or updated, {amount} "
        "was invested and {people} people were reached by promotion."
    ).format(
        period=span(label_text(df[x].min()), label_text(df[x].max())),
        programmes=at_least(done, done_hidden),
        amount=at_least(spent, spent_hidden, euros_million),
        people=at_least(seen, seen_hidden),
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
    total, hidden = total_of(df[value]) if not df.empty else (0.0, False)
    if total <= 0:
        return _("No people up/re-skilled for the current filters.")

    def largest(column: str) -> tuple[str, str]:
        sums = (
            df.groupby(column, sort=True)[value].sum().sort_values(ascending=False, kind="stable")
        )
        share = f"{percent(sums.iloc[0] / total)}" if not hidden else number(sums.iloc[0])
        return str(sums.index[0]), share

    (eco, eco_share), (lsp, lsp_share), (area, area_share) = (
        largest(top),
        largest(middle),
        largest(leaf),
    )
    return _(
        "Of {total} people up/re-skilled, {ecosystem} ({ecosystem_share}) delivered the most "
        "among ecosystems and {partnership} ({partnership_share}) among partnerships; the "
        "largest skill area was {skill_area} ({skill_area_share})."
    ).format(
        total=at_least(total, hidden),
        ecosystem=eco,
        ecosystem_share=eco_share,
        partnership=lsp,
        partnership_share=lsp_share,
        skill_area=area,
        skill_area_share=area_share,
    )


def pledge_trend_summary(
    df: pd.DataFrame, *, x: str = "year", y: str = "people_trained", pledge: str = "annual_pledge"
) -> str:
    """Bars per year against an annual pledge line: the last year against the pledge.
    "2,300 people up/re-skilled in 2024, up from 1,900 in 2023; that is 80% of the annual
    pledge of 2,875."
    """
    # Translators: comes before a year: "in 2024"
    base = trend_summary(df, x=x, y=y, noun=_("people up/re-skilled"), when=_("in"))
    if df.empty or pledge not in df.columns:
        return base
    last = df.sort_values(x).iloc[-1]
    target, done = last[pledge], last[y]
    if missing(target) or float(target) <= 0:
        return _("{summary}; the partnership has no numeric annual pledge.").format(
            summary=base[:-1]
        )
    if missing(done):
        return base
    return _("{summary}; that is {share} of the annual pledge of {pledge}.").format(
        summary=base[:-1], share=percent(float(done) / float(target)), pledge=number(target)
    )


KIND_WORDS = {"large-scale": N_("{count} large-scale"), "regional": N_("{count} regional")}


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
        return _("No partnership launches for the current filters.")
    dates = pd.to_datetime(df[date])
    rows = df.assign(_date=dates).sort_values(["_date", label])
    first, last = rows.iloc[0], rows.iloc[-1]
    kinds = rows[kind].value_counts()
    kinds_text = listing(
        [
            _(KIND_WORDS[str(name)]).format(count=numbers.number(count))
            if str(name) in KIND_WORDS
            else f"{numbers.number(count)} {name}"
            for name, count in kinds.items()
        ]
    )

    def month(day: pd.Timestamp) -> str:
        return numbers.date(day.date(), "LLLL y")

    count = len(rows)
    values = {
        "count": numbers.number(count),
        "first": month(first["_date"]),
        "last": month(last["_date"]),
        "kinds": kinds_text,
        "latest": last[label],
    }
    same_month = first["_date"].strftime("%Y-%m") == last["_date"].strftime("%Y-%m")
    if count == 1:
        return _("{count} partnership launched in {first} ({kinds}).").format(**values)
    if same_month:
        text = _(
            "{count} partnerships launched in {first} ({kinds}); the latest was {latest} in {last}."
        )
    else:
        text = _(
            "{count} partnerships launched between {first} and {last} ({kinds}); the latest "
            "was {latest} in {last}."
        )
    return text.format(**values)


def is_sentence(text: str) -> bool:
    """A summary is one sentence without leftovers of missing data (nan, None, inf)."""
    words = text.replace("(", " ").replace(")", " ").replace(",", " ").split()
    leftovers = {"nan", "none", "inf", "-inf", "nat", "<na>"}
    return (
        bool(text)
        and text.endswith(".")
        and not any(w.strip(".;:").lower() in leftovers for w in words)
    )
