"""Country outlines for the offline map: static/geo/europe_countries.geojson, read once.

Feature `id` is the ISO 3166-1 alpha-2 code; properties are iso2, iso3 and name.
"""

from __future__ import annotations

import json
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

GEOJSON_PATH = (
    Path(__file__).resolve().parent.parent / "static" / "geo" / "europe_countries.geojson"
)


@lru_cache(maxsize=1)
def europe_countries() -> dict[str, Any]:
    """The GeoJSON FeatureCollection of European countries (shared: do not mutate)."""
    with GEOJSON_PATH.open(encoding="utf-8") as handle:
        collection: dict[str, Any] = json.load(handle)
    return collection


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Feature id (ISO alpha-2) -> English short name, for every country in the geometry."""
    return {
        feature["id"]: feature["properties"]["name"] for feature in europe_countries()["features"]
    }


def _ring_area(ring: list[list[float]]) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in pairwise(ring)))


@lru_cache(maxsize=1)
def label_points() -> dict[str, tuple[float, float]]:
    """Feature id -> (lon, lat) at the middle of the country's largest polygon."""
    points: dict[str, tuple[float, float]] = {}
    for feature in europe_countries()["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        outer = max((polygon[0] for polygon in polygons), key=_ring_area)
        lons = [point[0] for point in outer]
        lats = [point[1] for point in outer]
        points[feature["id"]] = ((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)
    return points
