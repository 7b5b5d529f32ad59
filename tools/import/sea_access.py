"""Sea-lane repairs that searoute's marnet needs before caravan can sail it: curated lanes
it does not draw (the Kiel Canal), spurs whose far junction makes ships double back, and
coastal ports no lane comes near.

Every repair here adds a lane (a vertex list) to the marnet lanes before they are cut into
edges, ending on an existing lane vertex, so `split_lanes_at_shared_vertices` turns that
vertex into a junction as it does for marnet's own T-junctions. A repair never crosses land
(Natural Earth 1:10m country polygons) except within a few km of a port on the shore.
"""
from __future__ import annotations

import math
import tomllib
from collections import Counter
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree
from shapely import STRtree
from shapely.geometry import LineString

from geodesy import chord_for_km, haversine_km, unit_xyz

# A lane that ends (a spur to a port, mostly) is joined to a vertex of another lane within
# SHORTCUT_KM when the network goes more than SHORTCUT_DETOUR times as far round to reach
# it. marnet draws the spur to Port Klang off the Malacca lane 110 km north-west of the
# port, so Singapore–Port Klang sailed 540 km against 336 km straight. assumption: 150 km
# is the reach of the port approaches seen (Port Klang 46 km, Chittagong, Haiphong), and 3x
# is far above the circuity of any coastal passage that marnet draws on purpose (1.5x).
SHORTCUT_KM = 150.0
SHORTCUT_DETOUR = 3.0
# A coastal port (at most FEEDER_COAST_KM from the sea, as build::SEAPORT_COAST_KM) with no
# sea node within FEEDER_FROM_KM (build::PORT_TO_SEA_KM, beyond which the network build
# leaves a port unattached) is given a feeder lane to the nearest lane vertex within
# FEEDER_MAX_KM that a straight track over water reaches. marnet has no lane into most of
# eastern Indonesia, the Philippine inner seas or the Andaman Islands, so Kendari (161 km
# to the nearest node), Puerto Princesa (205 km) and Port Blair (336 km) had no sea access
# at all. assumption: 600 km covers the widest such gap seen (Banda and Arafura seas);
# feeders there are real (PT Pelni, Meratus and SPIL call at these ports).
FEEDER_COAST_KM = 10.0
FEEDER_FROM_KM = 150.0
FEEDER_MAX_KM = 600.0
# Land within this many km of a track's ends is the shore the port or lane end stands on
# (coarse polygons put many harbours a little inland), not an obstacle.
SHORE_KM = 5.0


class Land:
    """Point-free land test for straight tracks."""

    def __init__(self, polys):
        self.polys = polys
        self.tree = STRtree(polys)

    def blocks(self, a, b, shore_a: float, shore_b: float) -> bool:
        """Whether the straight track a→b ((lat, lon) each) crosses land farther than
        shore_a km from a and shore_b km from b."""
        if abs(a[1] - b[1]) > 180.0:
            return True
        km = float(haversine_km(a[0], a[1], b[0], b[1]))
        t0, t1 = shore_a / km if km else 1.0, 1.0 - (shore_b / km if km else 1.0)
        if t0 >= t1:
            return False
        # The track without its shore ends (lon/lat are interpolated linearly: tracks are
        # at most a few hundred km, where that stays within a km or two of the great circle).
        lerp = lambda t: (a[1] + t * (b[1] - a[1]), a[0] + t * (b[0] - a[0]))  # noqa: E731
        mid = LineString([lerp(t0), lerp(t1)])
        return len(self.tree.query(mid, predicate="intersects")) > 0


def vertex_graph(lanes):
    """Every lane vertex a node (as searoute builds its graph): keys, coordinates and a
    symmetric CSR matrix of segment km, plus the passage-lane vertices."""
    from scipy.sparse import coo_matrix

    key: dict = {}
    rows, cols, w = [], [], []
    in_passage = set()
    for pts, passage in lanes:
        ids = []
        for q in pts:
            if q not in key:
                key[q] = len(key)
            ids.append(key[q])
        if passage:
            in_passage.update(ids[1:-1])
        for (qa, qb), (i, j) in zip(zip(pts, pts[1:]), zip(ids, ids[1:])):
            km = float(haversine_km(qa[0], qa[1], qb[0], qb[1])) + 1e-9
            rows += [i, j]
            cols += [j, i]
            w += [km, km]
    coords = np.array(list(key.keys()), dtype=float)
    n = len(key)
    g = coo_matrix((w, (rows, cols)), shape=(n, n)).tocsr()
    g.sum_duplicates()
    return key, coords, g, in_passage


def curated_lanes(lanes, path: Path):
    """Lanes from data/overlay/sea_lanes.toml, their ends moved onto the nearest lane
    vertex within `snap_km`. Returns (lanes, report)."""
    if not path.exists():
        return [], []
    spec = tomllib.load(open(path, "rb")).get("lane", [])
    coords = np.array(sorted({q for pts, _ in lanes for q in pts}), dtype=float)
    tree = cKDTree(unit_xyz(coords[:, 0], coords[:, 1]))
    out, report = [], []
    for lane in spec:
        pts = [(round(w["lat"], 4), round(w["lon"], 4)) for w in lane["waypoints"]]
        snap = float(lane.get("snap_km", 30.0))
        for end in (0, len(pts) - 1):
            d, i = tree.query(unit_xyz(np.array([pts[end][0]]), np.array([pts[end][1]]))[0])
            km = float(haversine_km(pts[end][0], pts[end][1], coords[i, 0], coords[i, 1]))
            if km > snap:
                raise SystemExit(f"sea_lanes.toml: lane {lane['id']} end {pts[end]} is "
                                 f"{km:.1f} km from any lane (snap_km {snap})")
            pts[end] = (float(coords[i, 0]), float(coords[i, 1]))
        km = float(sum(haversine_km(a[0], a[1], b[0], b[1]) for a, b in zip(pts, pts[1:])))
        out.append((pts, lane.get("passage", "")))
        report.append({"id": lane["id"], "passage": lane.get("passage", ""), "km": round(km, 1)})
    return out, report


def dead_end_shortcuts(lanes, land: Land):
    """Join lane ends to the nearest vertex of the network that they reach only the long
    way round (see SHORTCUT_KM). Returns (lanes, report)."""
    from scipy.sparse.csgraph import dijkstra

    key, coords, g, in_passage = vertex_graph(lanes)
    deg = np.diff(g.indptr)
    ends = np.where(deg == 1)[0]
    tree = cKDTree(unit_xyz(coords[:, 0], coords[:, 1]))
    out, report = [], []
    for r, u in enumerate(ends):
        if r % 256 == 0:  # in blocks: a dense ends x vertices matrix would be ~1 GB
            dist = dijkstra(g, indices=ends[r:r + 256], limit=SHORTCUT_DETOUR * SHORTCUT_KM)
        row = dist[r % 256]
        a = (coords[u, 0], coords[u, 1])
        near = tree.query_ball_point(unit_xyz(coords[u:u + 1, 0], coords[u:u + 1, 1])[0],
                                     chord_for_km(SHORTCUT_KM))
        cand = []
        for j in near:
            if j == u or j in in_passage:
                continue
            km = float(haversine_km(a[0], a[1], coords[j, 0], coords[j, 1]))
            if row[j] > SHORTCUT_DETOUR * max(km, 1.0):
                cand.append((km, j))
        for km, j in sorted(cand):
            b = (coords[j, 0], coords[j, 1])
            if land.blocks(a, b, SHORE_KM, SHORE_KM):
                continue
            out.append(([(float(a[0]), float(a[1])), (float(b[0]), float(b[1]))], ""))
            report.append({"at": [round(a[0], 4), round(a[1], 4)],
                           "to": [round(b[0], 4), round(b[1], 4)], "km": round(km, 1),
                           "network_km": None if not math.isfinite(row[j])
                           else round(float(row[j]), 1)})
            break
    return out, report


def port_feeders(lanes, node_lat, node_lon, ports, coast, land: Land):
    """Feeder lanes for coastal ports that no sea node comes near (see FEEDER_FROM_KM).
    `ports` are (locode, name, lat, lon); node_lat/lon the sea nodes the lanes would give.
    Returns (lanes, report)."""
    nodes = cKDTree(unit_xyz(np.asarray(node_lat), np.asarray(node_lon)))
    coords = np.array(sorted({q for pts, _ in lanes for q in pts}), dtype=float)
    vtree = cKDTree(unit_xyz(coords[:, 0], coords[:, 1]))
    passage_inner = {q for pts, p in lanes if p for q in pts[1:-1]}
    out, report = [], []
    reasons = Counter()
    for (loc, name, y, x), k in zip(ports, coast):
        if k > FEEDER_COAST_KM:
            continue
        p = unit_xyz(np.array([y]), np.array([x]))[0]
        if nodes.query_ball_point(p, chord_for_km(FEEDER_FROM_KM)):
            continue
        near = vtree.query_ball_point(p, chord_for_km(FEEDER_MAX_KM))
        best = None
        for km, j in sorted((float(haversine_km(y, x, coords[j, 0], coords[j, 1])), j)
                            for j in near):
            b = (float(coords[j, 0]), float(coords[j, 1]))
            if b in passage_inner:
                continue
            if not land.blocks((y, x), b, k + SHORE_KM, SHORE_KM):
                best = (km, b)
                break
        if best is None:
            reasons["no_track_over_water" if near else "no_lane_within_max_km"] += 1
            continue
        km, b = best
        out.append(([(round(y, 4), round(x, 4)), b], ""))
        report.append({"locode": loc, "name": name, "km": round(km, 1), "to": [b[0], b[1]]})
    return out, report, dict(reasons)


def minutes_as_decimals(ports, km_to_country):
    """Ports whose coordinates are degrees and minutes written as decimals (GBPWI Port
    William: 54°46'N 4°35'W given as 54.46, -4.35, a point in the Irish Sea off the Isle
    of Man). A port moves to the degrees-and-minutes reading when its position lies more
    than 20 km from its LOCODE country's land (a coarse point near its country is left
    alone: Detroit's in Windsor, Calexico's in Mexico) while that reading lies on it or
    within 1 km, and both fractions are below .60 (else they are no minutes).
    `km_to_country(code, lat, lon)` is the km from a point to a country's polygons.
    Returns the corrected ports and a report."""

    def dm(v):
        whole = int(abs(v))
        return math.copysign(whole + (abs(v) - whole) * 100.0 / 60.0, v)

    out, report = list(ports), []
    for k, (loc, name, y, x) in enumerate(ports):
        if abs(y) % 1 >= 0.6 or abs(x) % 1 >= 0.6:
            continue
        now = km_to_country(loc[:2], y, x)
        if now <= 20.0:
            continue
        alt = km_to_country(loc[:2], dm(y), dm(x))
        if alt <= 1.0:
            out[k] = (loc, name, round(dm(y), 5), round(dm(x), 5))
            report.append({"locode": loc, "from": [y, x], "to": [out[k][2], out[k][3]],
                           "country_km_was": None if math.isinf(now) else round(now, 1)})
    return out, report
