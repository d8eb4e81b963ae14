"""Reading what AppTest captured of Plotly charts: specs by title, decoded numeric arrays."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest


def numbers(values: Any) -> list[float]:
    """A trace's numeric array as floats; Plotly may ship it as a base64 typed array."""
    if isinstance(values, dict):
        raw = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"])
        return [float(v) for v in raw]
    return [float(v) for v in values]


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """Every Plotly figure on the page, as its JSON spec."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titled(at: AppTest, title_start: str) -> dict[str, Any]:
    """The one figure whose title starts with the given text."""
    for spec in chart_specs(at):
        if spec["layout"]["title"]["text"].startswith(title_start):
            return spec
    raise AssertionError(f"no chart titled {title_start!r}")
