"""Figures of the Skills delivered page: people up/re-skilled by skill area, ecosystem and
partnership, training programmes and investment per year, and a composition treemap."""

from __future__ import annotations

from itertools import groupby
from operator import itemgetter
from typing import Any

import pandas as pd

from data_access.reference import SKILL_AREAS
from figures.layout import (
    LABEL_LINE_HEIGHT,
    FigureSpec,
    category_ticks,
    empty_spec,
    figure_builder,
    house_layout_props,
    merged,
    panel_layout,
    two_line_labels,
)
from figures.palette import (
    BAR_PATTERNS,
    PRIMARY,
    SECONDARY,
    bar_pattern,
    ecosystem_colour,
    skill_area_colour,
    text_colour_on,
    with_ecosystem,
)
from i18n import N_, _
from i18n.numbers import millions, number

SKILL_AREA_TITLE = N_("People up/re-skilled by skill area each year")
ECOSYSTEM_TITLE = N_("People up/re-skilled by ecosystem")
PARTNERSHIP_TITLE = N_("People up/re-skilled by partnership")
EFFORT_TITLE = N_("Training programmes, investment and people reached by promotion, per year")
TREEMAP_TITLE = N_("Who delivered which skills: ecosystem, partnership, skill area")
# The panels of the effort figure: column, panel title, axis title (unit), hover, colour, d3
# format of the value in the hover.
EFFORT_PANELS = (
    (
        "programmes",
        N_("Training programmes developed or updated"),
        N_("Programmes"),
        N_("{year}: {value} programmes"),
        PRIMARY,
        ",.0f",
    ),
    (
        "investment_eur_million",
        N_("Investment"),
        N_("EUR million"),
        N_("{year}: {value} EUR million"),
        SECONDARY,
        ",.1f",
    ),
    (
        "people_reached",
        N_("People reached by promotion"),
        N_("People"),
        N_("{year}: {value} people"),
        "#228833",
        ",.0f",
    ),
)

SKILL_AREA_ORDER = tuple(label for _, label in SKILL_AREAS)
TREEMAP_SEPARATOR = " | "


@figure_builder
def build_people_by_skill_area_figure(df: pd.DataFrame) -> FigureSpec:
    """Stacked bars per year, one colour per skill area; df has year, skill_area, people_trained."""
    if df.empty:
        return empty_spec(_(SKILL_AREA_TITLE))
    present = set(df["skill_area"])
    areas = [a for a in SKILL_AREA_ORDER if a in present] + sorted(present - set(SKILL_AREA_ORDER))
    years = sorted(df["year"].unique())
    parts = dict(tuple(df.groupby("skill_area", sort=False)))
    traces = [
        {
            "type": "bar",
            "x": parts[area]["year"].astype(str),
            "y": parts[area]["people_trained"],
            "name": area,
            "marker": {
                "color": skill_area_colour(area),
                "pattern": bar_pattern(BAR_PATTERNS[index % len(BAR_PATTERNS)]),
            },
            "hovertemplate": _("{year} · {skill_area}: {count} people").format(
                year="%{x}", skill_area=area, count="%{y:,.0f}"
            )
            + "<extra></extra>",
        }
        for index, area in enumerate(areas)
    ]
    layout = merged(
        {
            "barmode": "stack",
            "xaxis": {
                "type": "category",
                "categoryorder": "array",
                "categoryarray": [str(y) for y in years],
            },
            "yaxis": {"rangemode": "tozero"},
        },
        house_layout_props(
            title=_(SKILL_AREA_TITLE),
            x_title=_("Reporting year"),
            y_title=_("People up/re-skilled"),
            legend_title=_("Skill area"),
            height=460,
        ),
        # Below the bars, so the legend never squeezes the plot in a half-width column.
        {"legend": {"orientation": "h", "y": -0.22, "x": 0, "traceorder": "normal"}},
    )
    return FigureSpec(traces, layout)


@figure_builder
def build_people_by_ecosystem_figure(df: pd.DataFrame) -> FigureSpec:
    """Horizontal bars, largest on top, in ecosystem colours; df has ecosystem, people_trained."""
    if df.empty:
        return empty_spec(_(ECOSYSTEM_TITLE))
    ordered = df.sort_values("people_trained")
    ticks = category_ticks(list(ordered["ecosystem"]))
    bars = {
        "type": "bar",
        "x": ordered["people_trained"],
        "y": ordered["ecosystem"],
        "orientation": "h",
        "marker": {
            "color": [ecosystem_colour(e) for e in ordered["ecosystem"]],
            "line": {"color": "#333333", "width": 0.5},
        },
        "text": [_compact(v) for v in ordered["people_trained"]],
        "textposition": "outside",
        "cliponaxis": False,
        "name": _("People up/re-skilled"),
        "hovertemplate": _("{name}: {count} people").format(name="%{y}", count="%{x:,.0f}")
        + "<extra></extra>",
    }
    layout = merged(
        {
            "xaxis": {"range": _room_for_labels(ordered["people_trained"])},
            "yaxis": ticks,
        },
        house_layout_props(
            title=_(ECOSYSTEM_TITLE),
            x_title=_("People up/re-skilled"),
            height=_bar_height(len(ordered)) + LABEL_LINE_HEIGHT * two_line_labels(ticks),
        ),
    )
    return FigureSpec([bars], layout)


@figure_builder
def build_people_by_partnership_figure(df: pd.DataFrame) -> FigureSpec:
    """Horizontal bars per partnership, coloured by its ecosystem, largest on top.

    df has partnership, ecosystem, people_trained (already cut to the partnerships to show).
    """
    if df.empty:
        return empty_spec(_(PARTNERSHIP_TITLE))
    ordered = df.sort_values("people_trained")
    parts = dict(tuple(ordered.groupby("ecosystem", sort=False)))
    traces = [
        {
            "type": "bar",
            "x": rows["people_trained"],
            "y": rows["partnership"],
            "orientation": "h",
            "name": ecosystem,
            "marker": {
                "color": ecosystem_colour(ecosystem),
                "line": {"color": "#333333", "width": 0.5},
            },
            "text": [_compact(v) for v in rows["people_trained"]],
            "textposition": "outside",
            "cliponaxis": False,
            "hovertemplate": _("{name} ({ecosystem}): {count} people").format(
                name="%{y}", ecosystem=ecosystem, count="%{x:,.0f}"
            )
            + "<extra></extra>",
        }
        for ecosystem in sorted(ordered["ecosystem"].unique())
        for rows in [parts[ecosystem]]
    ]
    axis = {
        "categoryorder": "array",
        "categoryarray": list(ordered["partnership"]),
        # the bars' colour says the ecosystem: the label says it too
        "tickmode": "array",
        "tickvals": list(ordered["partnership"]),
        "ticktext": [
            with_ecosystem(p, e)
            for p, e in zip(ordered["partnership"], ordered["ecosystem"], strict=True)
        ],
    }
    layout = merged(
        {
            "yaxis": axis,
            "xaxis": {"range": _room_for_labels(ordered["people_trained"])},
            "barmode": "overlay",
        },
        house_layout_props(
            title=_(PARTNERSHIP_TITLE),
            x_title=_("People up/re-skilled"),
            height=_bar_height(round(len(ordered) * 1.6)) + 40,  # labels of two lines
            legend_title=_("Ecosystem"),
        ),
    )
    return FigureSpec(traces, layout)


@figure_builder
def build_programmes_investment_figure(df: pd.DataFrame) -> FigureSpec:
    """Three panels per year: programmes, investment (EUR million), people reached.

    df has year, programmes, investment_eur_million, people_reached.
    """
    if df.empty:
        return empty_spec(_(EFFORT_TITLE))
    panels = EFFORT_PANELS
    grid, refs = panel_layout(rows=1, cols=3, titles=[_(p[1]) for p in panels], h_spacing=0.09)
    years = df["year"].astype(str)
    traces = []
    axes: dict[str, Any] = {}
    for (xref, yref), (column, label, unit, hover, colour, fmt) in zip(refs, panels, strict=True):
        traces.append(
            {
                "type": "bar",
                "x": years,
                "y": df[column],
                "name": _(label),
                "marker": {"color": colour},
                "showlegend": False,
                "hovertemplate": _(hover).format(year="%{x}", value=f"%{{y:{fmt}}}")
                + "<extra></extra>",
                "xaxis": xref,
                "yaxis": yref,
            }
        )
        axes[f"yaxis{yref[1:]}"] = {"title": {"text": _(unit)}, "rangemode": "tozero"}
        axes[f"xaxis{xref[1:]}"] = {"title": {"text": _("Reporting year")}, "type": "category"}
    layout = merged(grid, axes, house_layout_props(title=_(EFFORT_TITLE), height=400))
    for annotation in layout["annotations"]:
        merged(annotation, {"font": {"size": 13}})
    return FigureSpec(traces, merged(layout, {"margin": {"t": 90}}))


def treemap_nodes(df: pd.DataFrame) -> pd.DataFrame:
    """Nodes of the ecosystem -> partnership -> skill area tree with summed people.

    df has ecosystem, partnership, skill_area, people_trained (leaf rows). Returns id, parent,
    label, level, ecosystem, people_trained; ids join the path with TREEMAP_SEPARATOR.
    """
    leaves = df[df["people_trained"] > 0].dropna(subset=["ecosystem", "partnership"])
    # sorted by ecosystem, then partnership; leaves keep their order within a partnership
    ordered = leaves.sort_values(["ecosystem", "partnership"], kind="stable")
    sep = TREEMAP_SEPARATOR
    rows: list[tuple[str, str, str, str, str, int]] = []
    records = zip(
        ordered["ecosystem"].tolist(),
        ordered["partnership"].tolist(),
        ordered["skill_area"].tolist(),
        ordered["people_trained"].tolist(),
        strict=True,
    )
    for ecosystem, eco_group in groupby(records, key=itemgetter(0)):
        eco_rows = list(eco_group)
        eco = str(ecosystem)
        rows.append((eco, "", eco, "ecosystem", eco, int(sum(row[3] for row in eco_rows))))
        for partnership, lsp_group in groupby(eco_rows, key=itemgetter(1)):
            lsp_rows = list(lsp_group)
            lsp_id = f"{eco}{sep}{partnership}"
            people = int(sum(row[3] for row in lsp_rows))
            rows.append((lsp_id, eco, str(partnership), "partnership", eco, people))
            for _eco, _partnership, area, value in lsp_rows:
                leaf_id = f"{lsp_id}{sep}{area}"
                rows.append((leaf_id, lsp_id, str(area), "skill_area", eco, int(value)))
    columns = ["id", "parent", "label", "level", "ecosystem", "people_trained"]
    return pd.DataFrame.from_records(rows, columns=columns)


@figure_builder
def build_skills_treemap_figure(df: pd.DataFrame) -> FigureSpec:
    """Treemap ecosystem -> partnership -> skill area, sized by people up/re-skilled.

    df has ecosystem, partnership, skill_area, people_trained (one row per leaf).
    """
    nodes = treemap_nodes(df) if not df.empty else pd.DataFrame()
    if nodes.empty:
        return empty_spec(_(TREEMAP_TITLE))
    total = nodes.loc[nodes["level"] == "ecosystem", "people_trained"].sum()
    # Ecosystem and partnership boxes in the ecosystem's colour, skill areas in theirs.
    colours = [
        skill_area_colour(label) if level == "skill_area" else ecosystem_colour(ecosystem)
        for level, label, ecosystem in zip(
            nodes["level"], nodes["label"], nodes["ecosystem"], strict=True
        )
    ]
    treemap = {
        "type": "treemap",
        "ids": nodes["id"],
        "parents": nodes["parent"],
        "labels": nodes["label"],
        "values": nodes["people_trained"],
        "branchvalues": "total",
        "marker": {"colors": colours, "line": {"color": "#FFFFFF", "width": 1}},
        "textfont": {"color": [text_colour_on(colour) for colour in colours]},
        "customdata": [v / total for v in nodes["people_trained"]],
        "texttemplate": "%{label}<br>%{value:,.3s}",
        "hovertemplate": "%{id}<br>"
        + _("{count} people").format(count="%{value:,.0f}")
        + "<br>"
        + _("{share} of all").format(share="%{customdata:.1%}")
        + "<extra></extra>",
        "pathbar": {"visible": True},
        "maxdepth": 3,
        "tiling": {"pad": 2},
    }
    layout = merged(
        house_layout_props(title=_(TREEMAP_TITLE), height=640),
        {"margin": {"l": 4, "r": 4, "t": 60, "b": 4}},
    )
    return FigureSpec([treemap], layout)


def _compact(value: float) -> str:
    if value >= 1_000_000:
        return millions(value, 2)
    if value >= 1_000:
        # Translators: a count in thousands on a bar, "48k"
        return _("{thousands}k").format(thousands=number(value / 1_000))
    return number(value)


def _room_for_labels(values: pd.Series) -> list[float]:
    """An x range from zero with room for the value labels (_compact) outside the longest
    bar: the longer the labels ("1.3M", "1,33 mln"), the more room."""
    longest = max((len(_compact(value)) for value in values), default=0)
    return [0, float(values.max()) * (1.06 + 0.025 * longest) or 1.0]


def _bar_height(bars: int) -> int:
    return max(260, 120 + 26 * bars)
