"""OSRM clients against a running `caravan serve`: routingpy's OSRM directions and matrix,
unmodified. Usage: python clients.py http://127.0.0.1:8080"""
import sys

import routingpy

base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
client = routingpy.OSRM(base_url=base)
kashgar, tashkent, almaty = [75.99, 39.47], [69.24, 41.31], [76.9, 43.25]

d = client.directions(locations=[kashgar, tashkent], profile="road", steps=True, overview="full")
assert d.distance > 500_000, d.distance
assert d.duration > 3600, d.duration
assert len(d.geometry) > 10, len(d.geometry)
print(f"routingpy directions: {d.distance / 1000:.0f} km, {d.duration / 3600:.1f} h, {len(d.geometry)} points")

alts = client.directions(locations=[kashgar, tashkent], profile="fastest", alternatives=True)
assert len(alts) >= 1
print(f"routingpy alternatives: {len(alts)} routes")

m = client.matrix(locations=[kashgar, tashkent, almaty], profile="road", annotations=["duration", "distance"])
assert len(m.durations) == 3 and m.durations[0][0] == 0, m.durations
assert m.distances[0][1] > 500_000, m.distances
print(f"routingpy matrix: {m.durations}")

try:
    client.directions(locations=[[-30.0, -40.0], [-20.0, -45.0]], profile="road")
except routingpy.exceptions.RouterApiError as e:
    assert e.status == 400, e
    print(f"routingpy error: HTTP {e.status}")
else:
    raise AssertionError("an ocean point gave a route")
print("clients: ok")
