"""The typed pieces a view is made of: headline tiles, charts, tables and notices.

Plain frozen data: a page renders them (ui.render), a report writes them (exports/) and the
presenter draws them (presenter/). A chart holds its builder and exactly the frame it plots,
not a built figure, so each renderer builds (or fetches from its cache) only what it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import pandas as pd

from i18n import _
from views import format as fmt
from views.labels import column_label

Unit = Literal["count", "people", "share", "eur"]
NoticeKind = Literal["info", "warning", "note", "error", "lead", "text"]  # lead: a bold paragraph
OptionValue = str | int | float | bool | None


@dataclass(frozen=True)
class Tile:
    """One headline figure: its value as the screen shows it, the raw number behind it (None
    when hidden or undefined) and its change on the period before."""

    key: str
    label: str
    raw: float | None
    unit: Unit = "count"
    change: float | None = None  # in the unit's terms; a share's change is a share (0.012)
    change_label: str = ""  # "on 2024", "in 2025"
    help: str | None = None
    suppressed: bool = False  # hidden by disclosure control (not merely undefined)
    neutral: bool = False  # a change neither good nor bad news (a share of women)
    digits: int = 1  # a share's decimals on a tile

    @property
    def value(self) -> str:
        """The value as a tile shows it (compact counts, shares as percentages)."""
        if self.unit == "share":
            return fmt.share(self.raw, self.digits, hidden=self.suppressed)
        if self.raw is None and not self.suppressed:
            return fmt.MISSING
        return fmt.compact(self.raw)

    @property
    def exact_value(self) -> str:
        """The value in full, as a report writes it."""
        if self.unit == "share":
            return fmt.share(self.raw, hidden=self.suppressed)
        return fmt.exact(self.raw, hidden=self.suppressed)

    @property
    def delta(self) -> str | None:
        """The change as the screen shows it ("+12 on 2024"), or None."""
        if self.change is None:
            return None
        if self.unit == "share":
            return _with_period(fmt.points(self.change), self.change_label)
        if self.unit == "people":
            return _with_period(f"+{fmt.compact(self.change)}", self.change_label)
        return _with_period(fmt.signed(self.change), self.change_label)

    @property
    def exact_delta(self) -> str | None:
        """The change in full, as a report writes it ("+1,204 in 2025"), or None."""
        if self.change is None or self.unit == "share":
            return self.delta
        return _with_period(fmt.signed(self.change), self.change_label)

    @property
    def short_delta(self) -> str | None:
        """The change as a slide's narrow tile shows it: a share's in "pp", else as `delta`."""
        if self.change is None or self.unit != "share":
            return self.delta
        return _with_period(fmt.short_points(self.change), self.change_label)

    @property
    def written_change(self) -> tuple[float, str] | None:
        """The change as a report's cell holds it, with what it refers to: a share's in
        percentage points (1.2, "percentage points on 2024"); None without a change."""
        if self.change is None:
            return None
        if self.unit == "share":
            if not self.change_label:
                return self.change * 100, fmt.points_unit()
            # Translators: what a change of a share in a report's cell refers to, e.g.
            # "percentage points on 2024" ({period} is a tile's change label).
            refers_to = _("percentage points {period}").format(period=self.change_label)
            return self.change * 100, refers_to
        return self.change, self.change_label

    @property
    def unchanged(self) -> bool:
        """Whether the change, as shown, is nothing (drawn without colour or arrow)."""
        if self.change is None:
            return False
        shown = self.change * 100 if self.unit == "share" else self.change
        return round(shown, 1 if self.unit == "share" else 0) == 0


class Sectioned:
    """A view whose page shows its charts as tabs (ui/sections.py), each tab named by the
    field that holds its chart."""

    def section(self, name: str) -> Chart:
        """The chart of the tab `name` (a key of the page's SECTIONS)."""
        chart = getattr(self, name, None)
        if not isinstance(chart, Chart):
            raise KeyError(name)
        return chart


@dataclass(frozen=True)
class Chart:
    """A chart: its builder (a pure function of figures/), exactly the frame it plots, the
    builder's options, and the words around it."""

    key: str
    builder: Callable[..., Any]
    data: pd.DataFrame
    alt: str
    summary: str | None = None
    note: str | None = None
    title: str = ""  # the report's heading for it; the figure carries its own title
    options: Mapping[str, OptionValue] = field(default_factory=dict)
    # what the figure draws when it is less than `data` (a treemap cannot draw a hidden box):
    # the table and the download still hold all of `data`
    figure_data: pd.DataFrame | None = None
    sheet: str = ""  # the name of its data's sheet in a report's workbook

    @property
    def drawn(self) -> pd.DataFrame:
        """The frame the builder draws."""
        return self.data if self.figure_data is None else self.figure_data

    @property
    def empty(self) -> bool:
        """Nothing to plot: renderers show the empty state instead."""
        return self.data.empty


def _with_period(change: str, period: str) -> str:
    """A formatted change with what it is compared with ("+12 on 2024"), or alone."""
    if not period:
        return change
    # Translators: a tile's change: {change} is a formatted number ("+12", "+1.2 percentage
    # points"), {period} what it is compared with ("on 2024", "in 2025").
    return _("{change} {period}").format(change=change, period=period)


# How a table column's values read: text, a date, a link, the disclosure flag (a mark on rows
# with hidden values, shown only when there are any) or a number (views.format.TABLE_FORMATS).
ColumnKind = Literal["text", "date", "link", "flag"] | fmt.TableFormat


@dataclass(frozen=True)
class Column:
    """One shown column of a table: the frame's column, its header (views.labels unless the
    view words it itself) and how its values read."""

    key: str
    kind: ColumnKind = "text"
    label: str = ""
    help: str | None = None
    pinned: bool = False
    width: Literal["small", "medium", "large"] | None = None
    link_text: str | None = None  # a link column's text in place of the address

    @property
    def header(self) -> str:
        """The column's header."""
        return self.label or column_label(self.key)


@dataclass(frozen=True)
class Download:
    """A frame offered as a CSV file, exactly as it is."""

    key: str
    label: str
    file_name: str
    data: pd.DataFrame


@dataclass(frozen=True)
class Table:
    """A table: its frame (columns named as data_access names them; views.labels gives the
    headers) and a sentence on what it holds."""

    key: str
    title: str
    data: pd.DataFrame
    note: str | None = None
    columns: tuple[Column, ...] = ()  # the shown columns in order; none given: every column
    csv: Download | None = None
    sheet: str = ""  # its sheet's name in a report's workbook


@dataclass(frozen=True)
class Notice:
    """A sentence for the reader in the dashboard's own wording, in the reader's language
    (Markdown, never a value from a link, a file or the store)."""

    text: str
    kind: NoticeKind = "info"
    icon: str | None = None  # the renderer's icon for the kind unless given
    # values from the store the text names by field ({skill_area}), put in by `written`
    quoted: Mapping[str, str] = field(default_factory=dict)

    def written(self, quote: Callable[[str], str] = str) -> str:
        """The text with its quoted values in place, each through `quote` (a renderer's way
        of showing a value as text)."""
        text = _(self.text)  # a constant's English words (N_), else already translated
        if not self.quoted:
            return text
        return text.format(**{name: quote(value) for name, value in self.quoted.items()})
