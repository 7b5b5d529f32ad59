#!/usr/bin/env python3
"""Select the main airport of every city of 1,000,000+ people that the air layer lacks.

    python3 tools/import/air_cities.py > /tmp/air_cities.toml      # TOML entries on stdout
                                                                   # report on stderr

Why: data/overlay/airports.toml began as 150 curated cargo hubs, so large cities without a
hub (Shenyang, Hamburg) had no airport at all and `SHE FRA --modes air` found nothing. This
script closes that class: for each city of data/places/cities.csv.zst (GeoNames) with
population >= MIN_POPULATION, it picks the city's main airport from
data/places/airports.csv.zst (airportsdata) within RADIUS_KM, and prints a `hub = false`
entry for every picked airport that is not a curated hub (entries without `hub = false`).
Reproducible: same inputs, same output (the generated section at the end of airports.toml is
exactly this script's stdout); reads only files under data/.

Selection, in order (ties broken by distance):
  1. OVERRIDES below (checked by hand: the heuristic's pick was not the main airport);
     CORRECTIONS fix airportsdata records that are out of date (name, moved airport);
  2. candidates: IATA code of 3 letters, ICAO code of the usual civil form (4 letters),
     and a name that is not a heliport, military field, seaplane base or similar (EXCLUDE);
  3. only airports of the city's own country count;
  4. a curated hub (airports.toml) within RADIUS_KM means the city is served: nothing
     added (the report shows where the rules alone would pick another airport);
  5. otherwise prefer names containing 'International' (or a local form), then the nearest.
"""
from __future__ import annotations

import csv
import io
import math
import re
import sys
import tomllib
from pathlib import Path

import zstandard

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"

MIN_POPULATION = 1_000_000
# assumption: a city's main airport lies within 60 km of its GeoNames point (Chinggis Khaan
# UBN 50 km, Incheon 48 km, Narita 58 km are the far ones we know of).
RADIUS_KM = 60.0
RELEASE = "20260905"

# Names that are not a civil passenger/cargo airport.
EXCLUDE = re.compile(
    r"heliport|helipad|heli\b|air ?base|\bAB\b|\bAFB\b|air force|military|army|naval|navy|"
    r"\bNAS\b|seaplane|water aerodrome|marine|air station|airfield|flying club|aeroclub|"
    r"gliding|glider|private|\bstrip\b|ultralight|balloon",
    re.I,
)
INTERNATIONAL = re.compile(r"international|intercontinental|internacional|internationale|"
                           r"intcntl|intl|int'l|uluslararas", re.I)
ICAO_CIVIL = re.compile(r"^[A-Z]{4}$")

# City (GeoNames id) -> IATA of its main airport (None: no suitable airport), where the rules
# above pick wrong. Found by reading the script's full report (stderr) by hand.
OVERRIDES: dict[int, tuple[str | None, str]] = {
    250441: ("AMM", "Amman: Queen Alia International is the main airport; Amman-Marka (ADJ) is the old city airfield"),
    3464975: ("CWB", "Curitiba: Afonso Pena is the main airport; Bacacheri (BFH) is a general-aviation field"),
    195272: ("KIS", "Kakamega: Kisumu (41 km) is the nearest main airport, not Eldoret (56 km)"),
    2128295: ("CTS", "Sapporo: New Chitose is the main airport; Okadama (OKD) is a small commuter field"),
    3492908: ("SDQ", "Santo Domingo: Las Americas is the main airport; La Isabela (JBQ) is secondary"),
    2950159: ("BER", "Berlin: Tegel (TXL) closed in November 2020; Brandenburg (BER) replaced it"),
    1668399: ("RMQ", "Taichung: Ching Chuang Kang (RMQ) is the civil airport; the old Shuinan field (TXG) closed in 2004"),
    2210247: ("MJI", "Tripoli: Mitiga is the operating airport; Tripoli International (TIP) has been closed since 2014"),
    1841811: ("KWJ", "Gwangju: Gwangju Airport (8 km) serves the city; Muan International (MWX) is 52 km away"),
    3995465: ("MTY", "Monterrey: Mariano Escobedo (MTY) is the main airport; Del Norte (NTR) is general aviation"),
    2253354: ("DSS", "Dakar: Blaise Diagne (DSS) replaced Leopold Sedar Senghor (DKR) for airline traffic in December 2017"),
    2246678: ("DSS", "Pikine (Dakar): as Dakar"),
    2655603: ("BHX", "Birmingham: Birmingham Airport (11 km) is the main airport; East Midlands (EMA, listed) is 55 km away"),
    1791236: ("WHA", "Wuhu: Wuhu Xuanzhou (opened 2021, 36 km) is the city's airport; Nanjing Lukou (listed) is 60 km away"),
    1790437: ("ZUH", "Zhuhai: Zhuhai Jinwan (ZUH) is the city's airport; Shenzhen (SZX, listed) is across the estuary"),
    2038632: ("AOG", "Anshan: Teng'ao (AOG) is a joint civil-military airport with scheduled flights; airportsdata names it Air Base"),
    1806535: (None, "Huzhou: no civil airport; Suzhou Guangfu (SZV, 53 km) is an air force base, Hangzhou (HGH) 75 km"),
    1798425: (None, "Puyang: GeoNames gives the point of Puyang town, Zhejiang (near Yiwu) the population of Puyang, Henan (no airport)"),
    1270926: (None, "Gorakhpur: GeoNames gives a point in Haryana (near Hisar) the population of Gorakhpur, Uttar Pradesh"),
}

# Airports whose airportsdata record is out of date: IATA -> (name, lat, lon, note).
CORRECTIONS: dict[str, tuple[str, float, float, str]] = {
    "SWA": ("Jieyang Chaoshan International Airport", 23.552, 116.503,
            "airportsdata 20260905 keeps the closed Shantou Waisha airport (23.4269, 116.762) for "
            "SWA/ZGOW; both codes moved to Jieyang Chaoshan in December 2011. Coordinates approximate (~1 km)"),
    "KNO": ("Kualanamu International Airport", 3.6379, 98.8706,
            "airportsdata 20260905 names it Polonia (closed July 2013) but gives Kualanamu's coordinates"),
    "AOG": ("Anshan Teng'ao Airport", 41.1053, 122.854,
            "airportsdata 20260905 names it Anshan Air Base; Teng'ao is a joint civil-military airport"),
    "NKC": ("Nouakchott-Oumtounsy International Airport", 18.31, -15.97,
            "airportsdata 20260905 keeps the old Nouakchott airport (18.0982, -15.9485, ICAO GQNN), closed in "
            "June 2016; coordinates of Oumtounsy approximate (~1 km)"),
}


def read_zst_csv(path: Path):
    text = zstandard.ZstdDecompressor().decompress(path.read_bytes(), max_output_size=1 << 31)
    return list(csv.DictReader(io.StringIO(text.decode())))


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(min(a, 1.0)))


def tidy(name: str) -> str:
    """Cosmetic fixes of airportsdata names: a lost 'ü', doubled spaces or words."""
    name = name.replace('"', "").replace("L?liang", "Lüliang").replace("Airport Airport", "Airport")
    return re.sub(r"\s+", " ", name).strip()


def usable(a) -> bool:
    return (len(a["iata"]) == 3 and a["iata"].isalpha() and bool(ICAO_CIVIL.match(a["icao"]))
            and not EXCLUDE.search(a["name"]))


def rank(city, a):
    d = haversine_km(city["lat"], city["lon"], a["lat"], a["lon"])
    return (0 if INTERNATIONAL.search(a["name"]) else 1, d)


def main():
    cities = [
        {"id": int(r["geonameid"]), "name": r["name"], "country": r["country"],
         "lat": float(r["lat"]), "lon": float(r["lon"]), "population": int(r["population"])}
        for r in read_zst_csv(DATA / "places" / "cities.csv.zst")
        if int(r["population"]) >= MIN_POPULATION
    ]
    cities.sort(key=lambda c: -c["population"])
    airports = []
    for r in read_zst_csv(DATA / "places" / "airports.csv.zst"):
        r = dict(r)
        r["lat"], r["lon"] = float(r["lat"]), float(r["lon"])
        airports.append(r)
    by_iata = {a["iata"]: a for a in airports}
    # The curated hubs only: the generated `hub = false` section is this script's own output,
    # so running it again reproduces that section instead of finding nothing to add.
    listed = {a["iata"] for a in tomllib.load(open(DATA / "overlay" / "airports.toml", "rb"))["airport"]
              if a.get("hub", True)}

    picks: dict[str, list[dict]] = {}  # iata -> cities it is the main airport of
    served, missing = [], []
    for c in cities:
        if c["id"] in OVERRIDES:
            iata, why = OVERRIDES[c["id"]]
            if iata is None:
                missing.append((c, f"override: {why}"))
                continue
            best = by_iata[iata]
        else:
            near = [a for a in airports if usable(a) and a["country"] == c["country"]
                    and haversine_km(c["lat"], c["lon"], a["lat"], a["lon"]) <= RADIUS_KM]
            hubs = [a for a in near if a["iata"] in listed]
            if hubs:
                # Served by a listed hub (all of them are main airports of their cities).
                best = min(hubs, key=lambda a: rank(c, a))
                c["pick_km"] = haversine_km(c["lat"], c["lon"], best["lat"], best["lon"])
                alt = min(near, key=lambda a: rank(c, a))
                served.append((c, best, alt if alt is not best else None))
                continue
            if not near:
                missing.append((c, f"no usable airport of {c['country']} within {RADIUS_KM:.0f} km"))
                continue
            best = min(near, key=lambda a: rank(c, a))
        d = haversine_km(c["lat"], c["lon"], best["lat"], best["lon"])
        c["pick_km"] = d
        if best["iata"] in listed:
            served.append((c, best, None))
        else:
            picks.setdefault(best["iata"], []).append(c)

    out = [
        "# ---------------------------------------------------------------------------",
        f"# Main airports of cities of {MIN_POPULATION:,}+ people (GeoNames) not served by a hub above.",
        "# Generated by tools/import/air_cities.py (selection rules and hand-checked overrides",
        "# are in the script). hub = false: these feed their nearest hubs, they are not joined",
        "# to every hub in range.",
        "# ---------------------------------------------------------------------------",
    ]
    for iata, cs in sorted(picks.items(), key=lambda kv: -kv[1][0]["population"]):
        a = by_iata[iata]
        # Name the city the airport is named for when it is among those it serves, else the
        # largest (cities are sorted by population).
        own = [o for o in cs if o["name"].lower() in (a["name"] + " " + a["city"]).lower()]
        c = own[0] if own else cs[0]
        rest = [o for o in cs if o is not c]
        others = "" if not rest else "; also serves " + ", ".join(
            f"{o['name']} ({o['population']:,})" for o in rest)
        name, lat, lon, note = tidy(a["name"]), round(a["lat"], 4), round(a["lon"], 4), None
        what = "code, name, coordinates"
        if iata in CORRECTIONS:
            name, lat, lon, note = CORRECTIONS[iata]
            what = "code" + (", coordinates" if (lat, lon) == (round(a["lat"], 4), round(a["lon"], 4)) else "")
        out += [
            "",
            "[[airport]]",
            f'iata = "{iata}"',
            f'icao = "{a["icao"]}"',
            f'name = "{name}"',
            f"lat = {lat}",
            f"lon = {lon}",
            f'country = "{a["country"]}"',
            "hub = false",
        ]
        if note:
            out.append(f'note = "{note}"')
        out.append(
            f'source = "airportsdata (PyPI, release {RELEASE}): {what}; selected as '
            f'the main airport of {c["name"]} (GeoNames population {c["population"]:,}, ≥ 1 M){others}"')
    print("\n".join(out))

    log = sys.stderr
    print(f"cities >= {MIN_POPULATION:,}: {len(cities)}; served by a listed airport: {len(served)}; "
          f"new airports: {len(picks)} (for {sum(len(v) for v in picks.values())} cities); "
          f"without a suitable airport: {len(missing)}", file=log)
    for iata, cs in sorted(picks.items()):
        a = by_iata[iata]
        for c in cs:
            print(f"  NEW {iata} {a['icao']} {a['name'][:45]:45s} <- {c['name']} {c['country']} "
                  f"{c['population']:,} ({c['pick_km']:.0f} km) [{c['id']}]", file=log)
    for c, a, alt in served:
        other = "" if alt is None else (f"; heuristic alone would pick {alt['iata']} {alt['name']} "
                                        f"({haversine_km(c['lat'], c['lon'], alt['lat'], alt['lon']):.0f} km)")
        print(f"  served {a['iata']} <- {c['name']} {c['country']} ({c['pick_km']:.0f} km){other}", file=log)
    for c, why in missing:
        print(f"  MISSING {c['name']} {c['country']} {c['population']:,} [{c['id']}]: {why}", file=log)


if __name__ == "__main__":
    main()
