"""Reading what AppTest captured of Plotly charts: specs by title, decoded numeric arrays."""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest


def values(data: Any) -> list[Any]:
    """A trace's array as a (possibly nested) list; Plotly may ship it as a base64 typed
    array {dtype, bdata[, shape]}."""
    if isinstance(data, dict):
        array = np.frombuffer(base64.b64decode(data["bdata"]), dtype=data["dtype"])
        if "shape" in data:
            array = array.reshape([int(n) for n in str(data["shape"]).split(",")])
        decoded: list[Any] = array.tolist()
        return decoded
    return list(data)


def numbers(data: Any) -> list[float]:
    """A one-dimensional numeric trace array as floats."""
    return [float(v) for v in values(data)]


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """Every Plotly figure on the page, as its JSON spec."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_titled(at: AppTest, title_start: str) -> dict[str, Any]:
    """The one figure whose title starts with the given text."""
    specs = chart_specs(at)
    matches = [s for s in specs if s["layout"]["title"]["text"].startswith(title_start)]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert len(matches) == 1, f"one chart titled {title_start!r} among {titles}"
    return matches[0]
