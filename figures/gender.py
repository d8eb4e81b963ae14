"""Figures of the Gender balance page: women's share of trainees with recorded gender, and how
many trainees have no gender recorded. Plus the page's one-line summary and its note.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from figures.layout import (
    FigureSpec,
    empty_spec,
    figure_builder,
    house_layout_props,
    merged,
    reference_line_props,
    split_rows,
)
from figures.palette import (
    GENDER_COLOURS,
    PRIMARY,
    REFERENCE_LINE,
    bar_pattern,
    ecosystem_colour,
    ecosystem_symbol,
    skill_area_colour,
    text_colour_on,
    with_ecosystem,
)
from i18n import N_, _
from i18n.numbers import number, percent

SHARE_AXIS = N_("% of trainees with recorded gender")
PARITY = 0.5
TARGET_NAME = N_("Partnership's own target")
MINOR_PART_PATTERNS = {"other_gender": ".", "not_recorded": "/"}
COMPOSITION_PARTS = (
    ("women", N_("Women")),
    ("men", N_("Men")),
    ("other_gender", N_("Another gender")),
    ("not_recorded", N_("Not recorded")),
)


def _share_lines(share: str) -> str:
    """The hover lines on women's share and the counts behind it (Plotly fields for the
    values: `share` is the field of the share)."""
    return "<br>".join(
        (
            _("Women: {share} of trainees with recorded gender").format(share=share),
            _("{women} women of {recorded} with gender recorded").format(
                women="%{customdata[0]:,.0f}", recorded="%{customdata[1]:,.0f}"
            ),
        )
    )


def _share_hover() -> str:
    """The hover of a bar of women's share."""
    return (
        "<b>%{y}</b><br>"
        + _share_lines("%{x:.1%}")
        + "<br>"
        + _("No gender recorded: {count} trainees (left out of the share)").format(
            count="%{customdata[2]:,.0f}"
        )
        + "<extra></extra>"
    )


def _share_customdata(df: pd.DataFrame) -> pd.DataFrame:
    return df[["women", "recorded", "not_recorded"]]


def _parity_line(*, vertical: bool) -> dict[str, Any]:
    """Layout of the parity line: its shape and its label."""
    if vertical:
        # behind the bars, so it never crosses their value labels
        shape, label = reference_line_props(
            x=PARITY, label=_parity_label(), colour=REFERENCE_LINE, below=True
        )
    else:
        shape, label = reference_line_props(y=PARITY, label=_parity_label(), colour=REFERENCE_LINE)
    return {"shapes": [shape], "annotations": [label]}


def _parity_label() -> str:
    return _("Parity {share}").format(share=percent(PARITY, 0))


def _share_layout(*, title: str, y_title: str, rows: int) -> dict[str, Any]:
    return merged(
        {
            "xaxis": {"range": [0, 1.02], "tickformat": ".0%", "dtick": 0.1},
            "yaxis": {"type": "category"},
        },
        house_layout_props(
            title=title, x_title=_(SHARE_AXIS), y_title=y_title, height=max(230, 130 + 30 * rows)
        ),
    )


def _share_bars(
    df: pd.DataFrame, *, label: str, colour_of: Callable[[str], str], title: str, y_title: str
) -> FigureSpec:
    if df.empty:
        return empty_spec(title)
    rows = df.sort_values(["women_share_recorded", label])  # plotted bottom-up: largest on top
    bars = {
        "type": "bar",
        "x": rows["women_share_recorded"],
        "y": rows[label],
        "orientation": "h",
        "marker": {"color": [colour_of(value) for value in rows[label]]},
        "text": [percent(value) for value in rows["women_share_recorded"]],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": _share_customdata(rows),
        "name": _("Women"),
        "hovertemplate": _share_hover(),
    }
    layout = merged(
        _parity_line(vertical=True),
        {"showlegend": False},
        _share_layout(title=title, y_title=y_title, rows=len(rows)),
    )
    return FigureSpec([bars], layout)


@figure_builder
def build_share_by_ecosystem_figure(df: pd.DataFrame, *, period: str) -> FigureSpec:
    """Women's share per ecosystem; df has ecosystem, women, recorded, not_recorded, share."""
    title = _("Women among trainees with recorded gender, by ecosystem, {period}").format(
        period=period
    )
    return _share_bars(
        df, label="ecosystem", colour_of=ecosystem_colour, title=title, y_title=_("Ecosystem")
    )


@figure_builder
def build_share_by_skill_area_figure(df: pd.DataFrame, *, period: str) -> FigureSpec:
    """Women's share per skill area; df has skill_area, women, recorded, not_recorded, share."""
    title = _("Women among trainees with recorded gender, by skill area, {period}").format(
        period=period
    )
    return _share_bars(
        df,
        label="skill_area",
        colour_of=skill_area_colour,
        title=title,
        y_title=_("Skill area"),
    )


@figure_builder
def build_share_by_partnership_figure(df: pd.DataFrame, *, period: str) -> FigureSpec:
    """Women's share per partnership, bars coloured by ecosystem, with each own target.

    df has partnership, ecosystem, women, recorded, not_recorded, women_share_recorded,
    target_women_share (NaN where the partnership set no target).
    """
    title = _("Women among trainees with recorded gender, by partnership, {period}").format(
        period=period
    )
    if df.empty:
        return empty_spec(title)
    rows = df.sort_values(["women_share_recorded", "partnership"])
    by_ecosystem = split_rows(
        rows["ecosystem"],
        x=rows["women_share_recorded"],
        y=rows["partnership"],
        text=rows["women_share_recorded"].map(percent),
        customdata=_share_customdata(rows),
    )
    traces: list[dict[str, Any]] = []
    hover = _share_hover()
    for ecosystem in sorted(by_ecosystem):
        part = by_ecosystem[ecosystem]
        traces.append(
            {
                "type": "bar",
                "x": part["x"],
                "y": part["y"],
                "orientation": "h",
                "name": ecosystem,
                "marker": {"color": ecosystem_colour(ecosystem)},
                "text": part["text"],
                # inside the bar, so the text never runs into the target tick next to it
                "textposition": "inside",
                "insidetextanchor": "end",
                "textfont": {"size": 12, "color": text_colour_on(ecosystem_colour(ecosystem))},
                "constraintext": "none",
                "customdata": part["customdata"],
                "hovertemplate": hover,
            }
        )
    targets = rows[rows["target_women_share"].notna()]
    if not targets.empty:
        traces.append(
            {
                "type": "scatter",
                "x": targets["target_women_share"],
                "y": targets["partnership"],
                "mode": "markers",
                "name": _(TARGET_NAME),
                "marker": {
                    "symbol": "line-ns",
                    "size": 22,
                    "line": {"width": 4, "color": "#000000"},
                },
                "hovertemplate": "<b>%{y}</b><br>"
                + _("Own target: {share} women").format(share="%{x:.0%}")
                + "<extra></extra>",
            }
        )
    axis = {
        "categoryorder": "array",
        "categoryarray": list(rows["partnership"]),
        # the bars' colour says the ecosystem: the label says it too
        "tickmode": "array",
        "tickvals": list(rows["partnership"]),
        "ticktext": [
            with_ecosystem(p, e)
            for p, e in zip(rows["partnership"], rows["ecosystem"], strict=True)
        ],
    }
    layout = merged(
        _parity_line(vertical=True),
        {"yaxis": axis, "barmode": "overlay"},
        # labels of two lines (partnership and ecosystem) need taller rows
        _share_layout(title=title, y_title=_("Partnership"), rows=round(len(rows) * 1.4)),
    )
    if len(traces) > 1:
        # the legend goes below the chart, so the bars get the full width
        legend_px = 22 * math.ceil(len(traces) / 2) + 10
        merged(
            layout,
            {
                "height": layout["height"] + legend_px,
                "margin": {"b": legend_px + 10},
                "legend": {
                    "orientation": "h",
                    "x": 0,
                    "xanchor": "left",
                    "y": 0,
                    "yanchor": "bottom",
                    "yref": "container",
                    "title": {"text": ""},
                },
            },
        )
    return FigureSpec(traces, layout)


@figure_builder
def build_share_over_time_figure(df: pd.DataFrame, *, by_ecosystem: bool) -> FigureSpec:
    """Women's share per year, a line per ecosystem or one for the Pact.

    df has year, group, women, recorded, not_recorded, women_share_recorded.
    """
    title = (
        _("Women among trainees with recorded gender, by year and ecosystem")
        if by_ecosystem
        else _("Women among trainees with recorded gender, by year")
    )
    if df.empty:
        return empty_spec(title)
    traces = []
    lines = (
        _share_lines("%{y:.1%}")
        + "<br>"
        + _("No gender recorded: {count} trainees").format(count="%{customdata[2]:,.0f}")
        + "<extra></extra>"
    )
    last = df.sort_values("year").groupby("group")["women_share_recorded"].last()
    by_group = split_rows(
        df["group"],
        x=df["year"].astype(str),
        y=df["women_share_recorded"],
        customdata=_share_customdata(df),
    )
    for group in last.sort_values(ascending=False).index:  # legend in the order of the lines
        rows = by_group[group]
        traces.append(
            {
                "type": "scatter",
                "x": rows["x"],
                "y": rows["y"],
                "name": group,
                "mode": "lines+markers",
                "line": {
                    "color": ecosystem_colour(group) if by_ecosystem else PRIMARY,
                    "width": 2 if by_ecosystem else 3,
                },
                "marker": {
                    "symbol": ecosystem_symbol(group) if by_ecosystem else "circle",
                    "size": 8,
                },
                "customdata": rows["customdata"],
                "hovertemplate": f"<b>{group}</b> %{{x}}<br>{lines}",
            }
        )
    layout = merged(
        _parity_line(vertical=False),
        # years in order
        {
            "xaxis": {"type": "category", "categoryorder": "category ascending"},
            "yaxis": {"range": [0, 1.02], "tickformat": ".0%", "dtick": 0.1},
        },
        house_layout_props(
            title=title,
            x_title=_("Reporting year"),
            y_title=_(SHARE_AXIS),
            legend_title=_("Ecosystem") if by_ecosystem else None,
            height=460,
        ),
        {"showlegend": by_ecosystem},
    )
    return FigureSpec(traces, layout)


@figure_builder
def build_gender_composition_figure(df: pd.DataFrame, *, period: str) -> FigureSpec:
    """100% stacked bars per ecosystem: women, men, another gender, not recorded.

    df has ecosystem, women, men, other_gender, not_recorded, people_trained.
    """
    title = _("Gender of all trainees as recorded, by ecosystem, {period}").format(period=period)
    if df.empty:
        return empty_spec(title)
    order = (df["women"] / df["people_trained"]).rename("_order")
    rows = df.join(order).sort_values(["_order", "ecosystem"]).drop(columns="_order")
    traces = []
    for column, key in COMPOSITION_PARTS:
        label = _(key)
        share = rows[column] / rows["people_trained"]
        traces.append(
            {
                "type": "bar",
                "x": share,
                "y": rows["ecosystem"],
                "orientation": "h",
                "name": label,
                "marker": {
                    "color": GENDER_COLOURS[key],
                    # the small parts carry a pattern; the wide ones are named in their text
                    "pattern": bar_pattern(MINOR_PART_PATTERNS.get(column, "")),
                },
                "customdata": rows[[column, "people_trained"]],
                # Translators: the text inside a part of a bar, e.g. "Women 48%"
                "texttemplate": _("{gender} {share}").format(gender=label, share="%{x:.0%}"),
                "textfont": {"color": text_colour_on(GENDER_COLOURS[key])},
                "textposition": "inside",
                "insidetextanchor": "middle",
                "hovertemplate": "<b>%{y}</b><br>"
                + _("{gender}: {share} of all trainees").format(gender=label, share="%{x:.1%}")
                + "<br>"
                + _("{count} of {total} trainees").format(
                    count="%{customdata[0]:,.0f}", total="%{customdata[1]:,.0f}"
                )
                + "<extra></extra>",
            }
        )
    layout = merged(
        {
            "barmode": "stack",
            "uniformtext": {"minsize": 10, "mode": "hide"},
            "xaxis": {"range": [0, 1.02], "tickformat": ".0%", "dtick": 0.1},
            "yaxis": {"type": "category"},
        },
        house_layout_props(
            title=title,
            x_title=_("% of all trainees"),
            y_title=_("Ecosystem"),
            height=max(250, 160 + 30 * len(rows)),
            legend_title=_("Gender"),
        ),
        {
            "legend": {
                "orientation": "h",
                "y": 1.0,
                "yanchor": "bottom",
                "x": 0,
                "traceorder": "normal",
            }
        },
    )
    return FigureSpec(traces, layout)


def _pct(value: float) -> str:
    return percent(value)


def women_share_summary(by_year: pd.DataFrame) -> str:
    """One sentence on women's share in the last year with data, against the year before.

    by_year has year and women_share_recorded (NaN when no gender was recorded).
    """
    known = by_year.dropna(subset=["women_share_recorded"]).sort_values("year")
    if known.empty:
        return _("No trainee with a recorded gender matches the current filters.")
    last = known.iloc[-1]
    now_text, year = _pct(last["women_share_recorded"]), str(int(last["year"]))
    before = known[known["year"] == last["year"] - 1]
    if before.empty:
        return _("Women were {share} of trainees with recorded gender in {year}.").format(
            share=now_text, year=year
        )
    prev = before.iloc[0]["women_share_recorded"]
    values = {
        "share": now_text,
        "year": year,
        "previous": _pct(prev),
        "previous_year": str(int(last["year"]) - 1),
    }
    if now_text == values["previous"]:
        sentence = _(
            "Women were {share} of trainees with recorded gender in {year}, "
            "the same as {previous} in {previous_year}."
        )
    elif last["women_share_recorded"] > prev:
        sentence = _(
            "Women were {share} of trainees with recorded gender in {year}, "
            "up from {previous} in {previous_year}."
        )
    else:
        sentence = _(
            "Women were {share} of trainees with recorded gender in {year}, "
            "down from {previous} in {previous_year}."
        )
    return sentence.format(**values)


def not_recorded_note(people_trained: int, not_recorded: int, period: str) -> str:
    """How shares are computed and how many trainees have no gender recorded."""
    if people_trained <= 0:
        return _("Shares are computed among trainees whose gender was recorded.")
    share = not_recorded / people_trained
    return _(
        "Shares are computed among trainees whose gender was recorded. "
        "In {period}, {share} of trainees ({count} people) had no gender "
        "recorded and are not in the denominator."
    ).format(period=period, share=percent(share), count=number(not_recorded))


SHARE_COLUMNS = ("women", "recorded", "not_recorded", "women_share_recorded")


def share_frame(df: pd.DataFrame, labels: Sequence[str], extra: Sequence[str] = ()) -> pd.DataFrame:
    """The columns a share chart plots, rows without any recorded gender dropped.

    Rows hidden by disclosure control stay (as NaN), marked by their `suppressed` column.
    """
    hidden = df["suppressed"] if "suppressed" in df else pd.Series(False, index=df.index)
    columns = [*labels, *SHARE_COLUMNS, *extra, *(["suppressed"] if "suppressed" in df else [])]
    keep = df["women_share_recorded"].notna() | hidden.astype(bool)
    return df[keep][columns].reset_index(drop=True)
