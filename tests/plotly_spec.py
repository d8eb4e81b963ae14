"""Reading what AppTest captured of Plotly charts: specs by title, decoded numeric arrays, the
charts' data tables opened, and the tabs of a page of charts opened one by one."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

import numpy as np
from streamlit.testing.v1 import AppTest

from ui.charts import table_key
from ui.sections import PARAM as SECTION_PARAM
from views import gender, growth, partnerships, profile, skills

# The pages whose charts are tabs (ui/sections.py), with their tabs.
TABS: dict[str, dict[str, str]] = {
    "pages/growth.py": growth.SECTIONS,
    "pages/gender.py": gender.SECTIONS,
    "pages/skills.py": skills.SECTIONS,
    "pages/partnerships.py": partnerships.SECTIONS,
    "pages/profile.py": profile.SECTIONS,
}


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


def open_chart(at: AppTest, section: str) -> AppTest:
    """Open one tab of a page's charts (ui/sections.py) as a link would, ?chart=<section>,
    and run the page again."""
    at.query_params[SECTION_PARAM] = section
    return at.run()


def every_chart(at: AppTest, sections: Iterable[str] = ()) -> list[dict[str, Any]]:
    """Every figure of the page: those drawn now, or with `sections` (a page of tabs), the
    one of each tab in turn (the page is left at the last)."""
    names = list(sections)
    if not names:
        return chart_specs(at)
    return [spec for name in names for spec in chart_specs(open_chart(at, name))]


def chart_titled(at: AppTest, title_start: str, *, section: str | None = None) -> dict[str, Any]:
    """The one figure whose title starts with the given text (in the tab of that section,
    opened first, on a page of tabs)."""
    if section is not None:
        open_chart(at, section)
    specs = chart_specs(at)
    matches = [s for s in specs if s["layout"]["title"]["text"].startswith(title_start)]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert len(matches) == 1, f"one chart titled {title_start!r} among {titles}"
    return matches[0]


def data_table_keys(at: AppTest) -> list[str]:
    """The keys of the charts' data tables (their expanders) on the page."""
    keys = []
    for expander in at.expander:
        element_id = getattr(expander.proto, "id", "")  # "$$ID-<digest>-<key>" with a key
        key = element_id.split("-", 2)[2] if element_id.startswith("$$ID-") else ""
        if key.endswith(table_key("")):
            keys.append(key)
    return keys


def open_data_tables(at: AppTest) -> AppTest:
    """Open every chart's data table, as a reader would (each is made only while open),
    and run the page again."""
    keys = data_table_keys(at)
    assert keys, "the page shows no chart's data table"
    for key in keys:
        at.session_state[key] = True
    return at.run()
