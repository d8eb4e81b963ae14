"""Built figures, made once per content and shared by every session and rerun of the process.

A chart is a pure function of the frame it plots and the builder's options, so its work is
cached under a key holding the data itself: the builder, the options and a digest of the
frame's exact serialisation (values, missing cells, dtypes, column names and index). A view
whose numbers changed — other filters, a new data version, another caller's scope — never
gets another view's figure, and a reader never gets a figure in another reader's language
(titles, axes and hover texts are words: the language is part of the key); an identical
view (the same filters in another session, a rerun that changed something else on the page)
gets it without building it again.

The caches are Streamlit's data caches (process-wide, bounded, cleared with the query caches
by st.cache_data.clear()). What they hold is small: a figure as its Plotly JSON, the form
st.plotly_chart sends anyway, and never the frame itself. A builder of figures/ gives that
JSON straight from its FigureSpec, without Plotly validating the figure first (the JSON is the
same; tests/test_figure_cache.py checks it for every builder).
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st

from figures.layout import FigureBuilder
from i18n import language

# Bound of the cache (least recently used entries go first). A figure's JSON is 1-20 kB
# (median 2 kB over every chart of every page), so the cache stays under about 10 MB however
# many views are seen.
FIGURE_ENTRIES = 512
# Option values a cache key can hold exactly (anything else is a programming error: pass
# frames as the data).
_SCALARS = (str, int, float, bool, type(None))


@dataclass(frozen=True)
class ChartFigure:
    """A built figure as Plotly JSON, with its title (for the chart's heading and table)."""

    title: str | None
    spec: str

    def figure(self) -> go.Figure:
        """The figure to hand to st.plotly_chart, without building or copying it again."""
        return _SpecFigure(self.spec)


class _SpecFigure(go.Figure):  # type: ignore[misc]  # Plotly is untyped
    """A figure that is its JSON: st.plotly_chart reads a figure through to_dict() only
    (then serialises that dict), so it gets the cached figure as a fresh dict, and neither
    Plotly's validation nor its deep copy of the figure runs again."""

    def __init__(self, spec: str) -> None:
        super().__init__()
        self._spec = spec

    def to_dict(self) -> dict[str, Any]:
        """The figure as a plain dict, as Plotly's own to_dict() gives it."""
        plain: dict[str, Any] = json.loads(self._spec)
        return plain


def fingerprint(data: pd.DataFrame) -> str:
    """A digest of the frame's exact content: values, missing cells, dtypes, column names
    and index. Equal digests mean equal frames (a difference anywhere changes it)."""
    serialised = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
    return hashlib.blake2b(serialised, digest_size=32).hexdigest()


def _name(fn: Callable[..., Any]) -> str:
    name = f"{fn.__module__}.{fn.__qualname__}"
    if "<" in name:  # lambdas and local functions share names: their results cannot be told apart
        raise TypeError(f"cache by a module-level function, not {name}")
    return name


def _options_key(options: dict[str, Any]) -> str:
    for key, value in options.items():
        if not isinstance(value, _SCALARS):
            raise TypeError(f"option {key}={type(value).__name__}: only plain values key a cache")
    return repr(sorted(options.items()))


def cached_figure(
    builder: Callable[..., go.Figure], data: pd.DataFrame, /, **options: Any
) -> ChartFigure:
    """`builder(data, **options)` as a ChartFigure, built once per content, options and
    language."""
    return _figure(
        _name(builder), fingerprint(data), _options_key(options), language(), builder, data, options
    )


@st.cache_data(show_spinner=False, max_entries=FIGURE_ENTRIES)
def _figure(
    builder_name: str,
    content: str,
    options: str,
    speaking: str,
    _builder: Callable[..., go.Figure],
    _data: pd.DataFrame,
    _options: dict[str, Any],
) -> ChartFigure:
    del speaking  # part of the key only: the builder speaks the language of the run
    if isinstance(_builder, FigureBuilder):  # the figure's JSON without validating it again
        spec = _builder.spec(_data, **_options)
        return ChartFigure(title=spec.title, spec=spec.to_json())
    fig = _builder(_data, **_options)
    return ChartFigure(title=fig.layout.title.text, spec=pio.to_json(fig, validate=False))
