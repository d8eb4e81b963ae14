"""Figures of the Growth page: members over time, new members, where members are, launches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from figures.layout import (
    FigureSpec,
    empty_spec,
    figure_builder,
    house_layout_props,
    merged,
)
from figures.palette import (
    BAR_PATTERNS,
    GROUP_COLOURS,
    MARKER_SYMBOLS,
    NEUTRAL,
    OTHER_COLOUR,
    OTHER_SYMBOL,
    PRIMARY,
    bar_pattern,
    ecosystem_colour,
    ecosystem_pattern,
    ecosystem_symbol,
)
from i18n import N_, _
from i18n.numbers import date, number

OTHER = "Other"  # the group the smaller groups are summed into (a key; shown translated)
OTHER_LABEL = N_("Other")
KIND_SYMBOLS = {"large-scale": "circle", "regional": "diamond"}
KIND_LABELS = {"large-scale": N_("Large-scale partnership"), "regional": N_("Regional partnership")}

PERIOD_AXIS = {"year": N_("Year (31 December)"), "quarter": N_("Quarter (last day)")}
# The chart titles by period and grouping (None: the Pact as a whole).
MEMBERS_TITLES = {
    ("year", None): N_("Member organisations at the end of each year"),
    ("year", "partnership"): N_("Member organisations at the end of each year, by partnership"),
    ("year", "ecosystem"): N_("Member organisations at the end of each year, by ecosystem"),
    ("year", "country"): N_("Member organisations at the end of each year, by country"),
    ("year", "org_type"): N_("Member organisations at the end of each year, by organisation type"),
    ("quarter", None): N_("Member organisations at the end of each quarter"),
    ("quarter", "partnership"): N_(
        "Member organisations at the end of each quarter, by partnership"
    ),
    ("quarter", "ecosystem"): N_("Member organisations at the end of each quarter, by ecosystem"),
    ("quarter", "country"): N_("Member organisations at the end of each quarter, by country"),
    ("quarter", "org_type"): N_(
        "Member organisations at the end of each quarter, by organisation type"
    ),
}
NEW_MEMBERS_TITLES = {
    ("year", None): N_("New member organisations per year"),
    ("year", "partnership"): N_("New member organisations per year, by partnership"),
    ("year", "ecosystem"): N_("New member organisations per year, by ecosystem"),
    ("year", "country"): N_("New member organisations per year, by country"),
    ("year", "org_type"): N_("New member organisations per year, by organisation type"),
    ("quarter", None): N_("New member organisations per quarter"),
    ("quarter", "partnership"): N_("New member organisations per quarter, by partnership"),
    ("quarter", "ecosystem"): N_("New member organisations per quarter, by ecosystem"),
    ("quarter", "country"): N_("New member organisations per quarter, by country"),
    ("quarter", "org_type"): N_("New member organisations per quarter, by organisation type"),
}


def fold_small_groups(df: pd.DataFrame, top: int | None = 12) -> tuple[pd.DataFrame, int]:
    """Keep the `top` groups with most members in the last period, sum the others into "Other".

    df has period, period_end, group, members, new_members (as from members_over_time).
    Returns the frame ordered by rank (largest group first, "Other" last) and the number of
    groups folded. top=None only orders the groups.
    """
    order = group_order(df)
    if top is None or len(order) <= top:
        return _ordered(df, order), 0
    kept, folded = order[:top], order[top:]
    rest = df[df["group"].isin(folded)]
    measures = ["members", "new_members"]
    keys = ["period", "period_end"]
    sums = rest.groupby(keys, as_index=False, sort=False)[measures].sum()
    # "Other" holding a hidden (NaN) group would understate it: it is hidden as well.
    hidden = rest[measures].isna().groupby([rest[k] for k in keys], sort=False).any()
    sums[measures] = sums[measures].mask(hidden.reset_index(drop=True))
    sums["group"] = OTHER
    if "suppressed" in df.columns:
        sums["suppressed"] = sums[measures].isna().any(axis=1)
    out = pd.concat([df[df["group"].isin(kept)], sums[df.columns]], ignore_index=True)
    return _ordered(out, [*kept, OTHER]), len(folded)


def members_at_period_end(df: pd.DataFrame, *, label: str, top: int | None = None) -> pd.DataFrame:
    """Members per group in the frame's last period, largest first, groups with none dropped.

    df is a members_over_time frame; the result has columns `label` and members.
    """
    if df.empty:
        return pd.DataFrame({label: pd.Series(dtype=str), "members": pd.Series(dtype=int)})
    last = df[(df["period"] == df["period"].max()) & (df["members"] > 0)]
    out: pd.DataFrame = last.rename(columns={"group": label}).sort_values(
        ["members", label], ascending=[False, True]
    )[[label, "members"]]
    return (out.head(top) if top else out).reset_index(drop=True)


def grouping_note(by: str, folded: int, top: int) -> str | None:
    """Chart note on how groups are counted: folded groups, organisations in several groups."""
    shown, others = number(top), number(folded)
    counted_twice = by in ("partnership", "ecosystem")
    if folded and counted_twice:
        return _(
            "the {shown} largest groups at the end of the period are shown; the other "
            "{others} are summed as Other; an organisation in two groups counts in both"
        ).format(shown=shown, others=others)
    if folded:
        return _(
            "the {shown} largest groups at the end of the period are shown; the other "
            "{others} are summed as Other"
        ).format(shown=shown, others=others)
    if counted_twice:
        return _("an organisation in two groups counts in both")
    return None


def group_order(df: pd.DataFrame) -> list[str]:
    """Groups by members in the last period, largest first (ties by name)."""
    if df.empty:
        return []
    last = df[df["period"] == df["period"].max()]
    ranked = last.sort_values(["members", "group"], ascending=[False, True])
    seen = list(ranked["group"])
    return seen + sorted(set(df["group"]) - set(seen))


def _ordered(df: pd.DataFrame, order: Sequence[str]) -> pd.DataFrame:
    rank = {group: i for i, group in enumerate(order)}
    out = df.assign(_rank=df["group"].map(rank))
    out = out.sort_values(["_rank", "period"], kind="stable").drop(columns="_rank")
    return out.reset_index(drop=True)


def group_colours(groups: Sequence[str], by: str) -> dict[str, str]:
    """Colour of each group: ecosystems their fixed colour, "Other" grey, the rest in turn."""
    colours: dict[str, str] = {}
    others = 0
    for group in groups:
        if group == OTHER:
            colours[group] = OTHER_COLOUR
        elif by == "ecosystem":
            colours[group] = ecosystem_colour(group)
        elif by == "pact":
            colours[group] = PRIMARY
        else:
            colours[group] = GROUP_COLOURS[others % len(GROUP_COLOURS)]
            others += 1
    return colours


def group_shapes(groups: Sequence[str], by: str, *, bars: bool) -> dict[str, str]:
    """The second cue of each group beside its colour: a marker symbol for lines, a fill
    pattern for bars (`bars`). Ecosystems keep theirs; the other groups take them in turn."""
    shapes: dict[str, str] = {}
    others = 0
    for group in groups:
        if group == OTHER:
            shapes[group] = "" if bars else OTHER_SYMBOL
        elif by == "ecosystem":
            shapes[group] = ecosystem_pattern(group) if bars else ecosystem_symbol(group)
        else:
            cycle = BAR_PATTERNS if bars else MARKER_SYMBOLS
            shapes[group] = cycle[others % len(cycle)]
            others += 1
    return shapes


def _groups(df: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(df["group"]))


def _group_name(group: str) -> str:
    """A group's name in a legend or hover: the summed smaller groups translated."""
    return _(OTHER_LABEL) if group == OTHER else group


def members_title(granularity: str, by: str | None) -> str:
    """Title of the members-over-time chart (`by` None or "pact": the Pact as a whole)."""
    return _(MEMBERS_TITLES[granularity, None if by == "pact" else by])


def new_members_title(granularity: str, by: str | None) -> str:
    """Title of the new-members chart (`by` None or "pact": the Pact as a whole)."""
    return _(NEW_MEMBERS_TITLES[granularity, None if by == "pact" else by])


def _period_layout(
    df: pd.DataFrame,
    *,
    title: str,
    y_title: str,
    by_label: str | None,
    granularity: str,
) -> dict[str, Any]:
    """Category axis of periods (quarters labelled once a year), legend tall enough for all."""
    periods = sorted(set(df["period"].astype(str)))
    axis: dict[str, Any] = {"type": "category", "categoryorder": "array", "categoryarray": periods}
    if granularity == "quarter":
        axis.update(tickmode="array", tickvals=[p for p in periods if p.endswith("Q1")])
    groups = df["group"].nunique()
    return merged(
        {"xaxis": axis},
        house_layout_props(
            title=title,
            x_title=_(PERIOD_AXIS[granularity]),
            y_title=y_title,
            legend_title=by_label,
            height=max(420, 200 + 22 * groups),
        ),
        {"showlegend": groups > 1},
    )


def _by_group(df: pd.DataFrame, groups: list[str]) -> list[tuple[str, pd.DataFrame]]:
    """The rows of each group, in the order given (one pass over the frame)."""
    parts = dict(tuple(df.groupby("group", sort=False)))
    return [(group, parts[group]) for group in groups]


@figure_builder
def build_members_over_time_figure(
    df: pd.DataFrame, *, by: str, by_label: str | None, granularity: str
) -> FigureSpec:
    """One line per group of members at each period end; df has period, group, members."""
    title = members_title(granularity, by if by_label else None)
    if df.empty:
        return empty_spec(title)
    groups = _groups(df)
    colours = group_colours(groups, by)
    symbols = group_shapes(groups, by, bars=False)
    hover = _("{period}: {count} members").format(period="%{x}", count="%{y:,.0f}")
    traces = [
        {
            "type": "scatter",
            "x": rows["period"].astype(str),
            "y": rows["members"],
            "name": _group_name(group),
            "mode": "lines+markers",
            "line": {"color": colours[group], "width": 3 if by == "pact" else 2},
            "marker": {"size": 6 if by == "pact" else 8, "symbol": symbols[group]},
            "hovertemplate": f"{_group_name(group)}<br>{hover}<extra></extra>",
        }
        for group, rows in _by_group(df, groups)
    ]
    layout = merged(
        {"yaxis": {"rangemode": "tozero"}},
        _period_layout(
            df,
            title=title,
            y_title=_("Member organisations"),
            by_label=by_label,
            granularity=granularity,
        ),
    )
    return FigureSpec(traces, layout)


@figure_builder
def build_new_members_figure(
    df: pd.DataFrame, *, by: str, by_label: str | None, granularity: str
) -> FigureSpec:
    """Bars of new members per period, stacked by group; df has period, group, new_members."""
    title = new_members_title(granularity, by if by_label else None)
    if df.empty:
        return empty_spec(title)
    groups = _groups(df)
    colours = group_colours(groups, by)
    patterns = group_shapes(groups, by, bars=True)
    hover = _("{period}: {count} new members").format(period="%{x}", count="%{y:,.0f}")
    traces = [
        {
            "type": "bar",
            "x": rows["period"].astype(str),
            "y": rows["new_members"],
            "name": _group_name(group),
            "marker": {"color": colours[group], "pattern": bar_pattern(patterns[group])},
            "hovertemplate": f"{_group_name(group)}<br>{hover}<extra></extra>",
        }
        for group, rows in _by_group(df, groups)
    ]
    layout = merged(
        {"barmode": "stack"},
        _period_layout(
            df,
            title=title,
            y_title=_("New member organisations"),
            by_label=by_label,
            granularity=granularity,
        ),
    )
    return FigureSpec(traces, layout)


def wrap_label(text: str, width: int = 30) -> str:
    """Break a long category label at spaces into lines of about `width` characters."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _horizontal_bars(
    df: pd.DataFrame, *, label: str, title: str, y_title: str, colour: str
) -> FigureSpec:
    if df.empty:
        return empty_spec(title)
    rows = df.iloc[::-1]  # largest first in df -> drawn at the top
    labels = rows[label].map(wrap_label)
    bars = {
        "type": "bar",
        "x": rows["members"],
        "y": labels,
        "orientation": "h",
        "marker": {"color": colour},
        "text": [number(value) for value in rows["members"]],
        "textposition": "outside",
        "cliponaxis": False,
        "customdata": rows[[label]],
        "name": _("Members"),
        "hovertemplate": _("{name}: {count} members").format(
            name="%{customdata[0]}", count="%{x:,.0f}"
        )
        + "<extra></extra>",
    }
    layout = merged(
        {
            "yaxis": {"type": "category"},
            # room on the right for the value printed after the longest bar
            "xaxis": {"range": [0, float(rows["members"].max()) * 1.12]},
        },
        house_layout_props(
            title=title,
            x_title=_("Member organisations"),
            y_title=y_title,
            # a row needs about 16 px more for each extra line of its label
            height=max(230, 100 + (26 + 16 * int(labels.str.count("<br>").max())) * len(rows)),
        ),
    )
    return FigureSpec([bars], layout)


@figure_builder
def build_members_by_country_figure(df: pd.DataFrame, *, period: str) -> FigureSpec:
    """Horizontal bars of members per country, largest first; df has country, members."""
    title = _("Member organisations by country, end of {period}").format(period=period)
    return _horizontal_bars(df, label="country", title=title, y_title=_("Country"), colour=PRIMARY)


@figure_builder
def build_members_by_org_type_figure(df: pd.DataFrame, *, period: str) -> FigureSpec:
    """Horizontal bars of members per organisation type; df has org_type, members."""
    title = _("Member organisations by type, end of {period}").format(period=period)
    return _horizontal_bars(
        df, label="org_type", title=title, y_title=_("Organisation type"), colour=NEUTRAL
    )


LAUNCHES_TITLE = N_("Partnership launches by ecosystem")


def _x_range(dates: pd.Series) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The time axis: the launches with room for the labels of the first and last ones."""
    span = dates.max() - dates.min()
    left = max(pd.Timedelta(days=150), span * 0.12)
    right = max(pd.Timedelta(days=240), span * 0.2)
    return dates.min() - left, dates.max() + right


def _label_positions(
    rows: pd.DataFrame, x_range: tuple[pd.Timestamp, pd.Timestamp], plot_px: float = 650
) -> list[str]:
    """Text position of each launch: above the marker unless the label would run into the
    previous label above in the same ecosystem, then below; labels of the earliest launches
    start at the marker so they do not run into the ecosystem names.

    Label widths are estimated (about 6.5 px a character on a plot about `plot_px` wide).
    """
    days_per_px = (x_range[1] - x_range[0]).days / plot_px
    gap = 8 * days_per_px
    dates = pd.to_datetime(rows["launch_date"])
    ends: dict[tuple[str, str], float] = {}
    positions = []
    for name, ecosystem, day in zip(rows["short_name"], rows["ecosystem"], dates, strict=True):
        x = float((day - x_range[0]).days)
        width = len(name) * 6.5 * days_per_px
        anchor = "right" if x < width / 2 else "center"
        start, end = (x, x + width) if anchor == "right" else (x - width / 2, x + width / 2)
        sides = ("top", "bottom")
        free = [v for v in sides if ends.get((ecosystem, v), float("-inf")) + gap < start]
        side = free[0] if free else min(sides, key=lambda v: ends[(ecosystem, v)])
        ends[(ecosystem, side)] = end
        positions.append(f"{side} {anchor}")
    return positions


@figure_builder
def build_launches_figure(df: pd.DataFrame) -> FigureSpec:
    """Launch dates as markers on one row per ecosystem, symbol by kind of partnership.

    df has short_name, kind, ecosystem, launch_date. Marker colour is the ecosystem's colour;
    two legend-only traces explain the symbols.
    """
    if df.empty:
        return empty_spec(_(LAUNCHES_TITLE))
    rows = df.sort_values(["launch_date", "short_name"]).reset_index(drop=True)
    ecosystems = list(dict.fromkeys(rows["ecosystem"]))  # earliest launch first
    x_range = _x_range(pd.to_datetime(rows["launch_date"]))
    position = pd.Series(_label_positions(rows, x_range), index=rows.index)
    kinds = [k for k in KIND_SYMBOLS if k in set(rows["kind"])]
    traces: list[dict[str, Any]] = []
    for kind in kinds:
        part = rows[rows["kind"] == kind]
        traces.append(
            {
                "type": "scatter",
                "x": pd.to_datetime(part["launch_date"]),
                "y": part["ecosystem"],
                "mode": "markers+text",
                "text": part["short_name"],
                "cliponaxis": False,  # a label above the top row may reach past the plot area
                "textposition": position[part.index].tolist(),
                "textfont": {"size": 11},
                "marker": {
                    "symbol": KIND_SYMBOLS[kind],
                    "size": 13,
                    "color": [ecosystem_colour(e) for e in part["ecosystem"]],
                    "line": {"color": "#333333", "width": 1},
                },
                "customdata": part[["short_name"]].assign(
                    date=[date(day) for day in pd.to_datetime(part["launch_date"]).dt.date]
                ),
                "name": _(KIND_LABELS[kind]),
                "showlegend": False,
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{y}<br>"
                + _("Launched {date}").format(date="%{customdata[1]}")
                + "<extra></extra>",
            }
        )
    for kind in kinds:
        traces.append(
            {
                "type": "scatter",
                "x": [None],
                "y": [None],
                "mode": "markers",
                "marker": {
                    "symbol": KIND_SYMBOLS[kind],
                    "size": 12,
                    "color": "#FFFFFF",
                    "line": {"color": "#333333", "width": 1.5},
                },
                "name": _(KIND_LABELS[kind]),
                "hoverinfo": "skip",
            }
        )
    layout = merged(
        {
            "xaxis": {"range": list(x_range), "dtick": "M6", "tickformat": "%b %Y"},
            "yaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": ecosystems[::-1],
            },
        },
        house_layout_props(
            title=_(LAUNCHES_TITLE),
            x_title=_("Launch date"),
            y_title=_("Ecosystem"),
            height=max(260, 150 + 52 * len(ecosystems)),
        ),
        {
            "legend": {
                "orientation": "h",
                "y": 1.02,
                "yanchor": "bottom",
                "x": 1,
                "xanchor": "right",
            }
        },
    )
    return FigureSpec(traces, layout)
