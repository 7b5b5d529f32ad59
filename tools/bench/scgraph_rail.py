#!/usr/bin/env python3
"""Side-by-side: the rail benchmark's queries in scgraph (PyPI `scgraph`, its C++ CH).

caravan's benchmark (`caravan bench --only rail --pairs-out pairs.csv`) writes the random
pairs it timed and its costs. This script builds scgraph's contraction hierarchy on the same
input graph (data/bench, metres), runs the same pairs, checks the costs agree and prints
preparation time, the median query time, and the ratio to caravan's median if given.

    pip install scgraph zstandard
    cargo run --release -- bench --only rail --pairs-out /tmp/pairs.csv --format json > /tmp/bench.json
    python3 tools/bench/scgraph_rail.py /tmp/pairs.csv --caravan-json /tmp/bench.json

Measured here (2 cores): see README "Query core and benchmark".
"""
import argparse
import csv
import io
import json
import statistics
import time
from pathlib import Path

import zstandard
from scgraph import Graph

DATA = Path(__file__).resolve().parents[2] / "data" / "bench"


def read_zst_csv(path):
    with open(path, "rb") as f:
        text = zstandard.ZstdDecompressor().stream_reader(f).read().decode()
    return list(csv.DictReader(io.StringIO(text)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pairs", help="CSV from `caravan bench --pairs-out`")
    ap.add_argument("--caravan-json", help="caravan bench --format json output, for the ratio")
    args = ap.parse_args()
    nodes = read_zst_csv(DATA / "rail_nodes.csv.zst")
    adj = [dict() for _ in nodes]
    for r in read_zst_csv(DATA / "rail_arcs.csv.zst"):
        a, b, m = int(r["from"]), int(r["to"]), float(r["m"])
        # Parallel arcs: the cheapest one is the only one a shortest path uses.
        if b not in adj[a] or m < adj[a][b]:
            adj[a][b] = m
    g = Graph(adj)
    t = time.perf_counter()
    g.create_contraction_hierarchy()
    prepare_s = time.perf_counter() - t
    pairs = list(csv.DictReader(open(args.pairs)))
    times, agree = [], True
    for p in pairs:
        o, d = int(p["from"]), int(p["to"])
        t = time.perf_counter()
        try:
            r = g.contraction_hierarchy(origin_id=o, destination_id=d)
            length = r["length"]
        except Exception:
            length = None
        times.append(time.perf_counter() - t)
        want = float(p["cost"]) if p["cost"] else None
        if (length is None) != (want is None) or (want is not None and abs(length - want) > 0.5):
            agree = False
    p50_ms = statistics.median(times) * 1e3
    out = {"scgraph_prepare_s": round(prepare_s, 3), "scgraph_query_ms_p50": round(p50_ms, 3),
           "queries": len(pairs), "agree_with_caravan": agree}
    if args.caravan_json:
        rail = [g for g in json.load(open(args.caravan_json))["graphs"] if g["name"] == "rail"][0]
        out["caravan_query_us_p50"] = rail["query_us_p50"]
        out["speedup_caravan_vs_scgraph"] = round(p50_ms * 1e3 / rail["query_us_p50"], 1)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
