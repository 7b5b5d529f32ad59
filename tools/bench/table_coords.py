"""N coordinates (lon,lat;...) of Eurasian cities for an OSRM /table load test: a grid of
points in the road network's heartland, deterministic. Usage: table_coords.py N"""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
pts = []
i = 0
while len(pts) < n:
    lon = 20.0 + (i * 7.3) % 95.0
    lat = 30.0 + (i * 3.7) % 25.0
    pts.append(f"{lon:.3f},{lat:.3f}")
    i += 1
print(";".join(pts))
