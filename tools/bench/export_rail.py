#!/usr/bin/env python3
"""Export scgraph-data's world_railways graph, unrepaired and uncompressed, for `caravan bench`.

The benchmark compares caravan's CCH with peers (fast_paths, RoutingKit, scgraph) on the
*same input graph*, so it needs the rail layer exactly as published, before caravan's repair,
chain compression and multimodal join. Writes data/bench/rail_nodes.csv.zst (lat,lon) and
data/bench/rail_arcs.csv.zst (from,to,metres), one row per directed arc of the source with
self-loops dropped (they never lie on a shortest path). Weights are metres, rounded, so every
implementation compares the same integers.

Data: scgraph-data 2.0.0 (PyPI, MIT code; graph data © OpenStreetMap contributors, ODbL).
Run: python3 tools/bench/export_rail.py  (uses the import scratch dir, fetching if needed)
"""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "import"))
import importlib.util

spec = importlib.util.spec_from_file_location("caravan_import", Path(__file__).resolve().parents[1] / "import" / "import.py")
imp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(imp)


def main():
    scratch = Path(os.environ.get("CARAVAN_SCRATCH", "/tmp/caravan-import"))
    src = imp.fetch(scratch)
    path = imp.find(src["scgraph-data"], "world_railways.py")
    lat, lon, _, _ = imp.parse_scgraph(path)
    # parse_scgraph keeps one undirected edge per pair; re-read the directed arcs as published.
    import json, re
    s = path.read_text()
    gi, ni = s.index("graph=["), s.index("nodes=[")
    graph = json.loads(re.sub(r"([{,]\s*)(\d+):", r'\1"\2":', s[gi + 6:ni].strip()))
    out = imp.DATA / "bench"
    out.mkdir(parents=True, exist_ok=True)
    nodes = "lat,lon\n" + "".join(f"{a},{b}\n" for a, b in zip(lat, lon))
    rows, loops = [], 0
    for i, d in enumerate(graph):
        for j, km in d.items():
            j = int(j)
            if j == i:
                loops += 1
                continue
            rows.append(f"{i},{j},{round(float(km) * 1000)}\n")
    imp.write_zst(out / "rail_nodes.csv.zst", nodes)
    imp.write_zst(out / "rail_arcs.csv.zst", "from,to,m\n" + "".join(rows))
    print(f"rail bench graph: {len(lat)} nodes, {len(rows)} arcs ({loops} self-loops dropped)")


if __name__ == "__main__":
    main()
