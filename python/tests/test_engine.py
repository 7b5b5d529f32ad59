"""The Python front gives the CLI's answers: the same route JSON, the same matrix, the same
messages as exceptions."""

import json

import pyarrow.parquet as pq
import pytest

import caravan


@pytest.mark.parametrize(
    "args, options",
    [
        (["Kashgar", "Tashkent"], {}),
        (["Kashgar", "Tashkent", "--modes", "rail,road", "--alternatives", "2"],
         {"modes": ["rail", "road"], "alternatives": 2}),
        (["Shanghai", "Hamburg", "--cargo-value", "500000"], {"cargo_value": 500000}),
        (["Almaty", "Baku", "--scenario", "cku", "--avoid-countries", "RU", "--optimize", "cost"],
         {"scenario": ["cku"], "avoid_countries": "RU", "optimize": "cost"}),
    ],
)
def test_route_is_the_cli_json(engine, cli, args, options):
    code, out, err = cli("route", *args, "--format", "json")
    assert code == 0, err
    assert engine.route(args[0], args[1], **options) == json.loads(out)


def test_matrix_is_caravan_matrix(engine, cli, tmp_path):
    places = ["Kashgar", "Almaty", "Tashkent", "Xi'an", "Honolulu"]
    (tmp_path / "p.txt").write_text("\n".join(places) + "\n")
    out = tmp_path / "m.parquet"
    code, _, err = cli("matrix", "--from", str(tmp_path / "p.txt"), "--to",
                       str(tmp_path / "p.txt"), "--modes", "rail,road", "--out", str(out))
    assert code == 0, err
    table = engine.matrix(places, places, modes=["rail", "road"])
    assert table.num_rows == 25
    assert table.to_pylist() == pq.read_table(out).to_pylist()
    # Honolulu cannot be reached by land: empty figures and a reason, not an error.
    honolulu = [r for r in table.to_pylist() if r["destination"] == "Honolulu"
                and r["origin"] != "Honolulu"]
    assert honolulu and all(r["distance_km"] is None and r["reason"] for r in honolulu)


def test_errors_raise_the_cli_message(engine, cli):
    code, _, err = cli("route", "Nowhereville Qqq", "Tashkent")
    assert code == 2
    with pytest.raises(caravan.InputError) as e:
        engine.route("Nowhereville Qqq", "Tashkent")
    assert str(e.value) == err.strip().removeprefix("caravan: ")
    assert isinstance(e.value, caravan.Error)

    code, _, err = cli("route", "Kashgar", "Honolulu", "--modes", "rail")
    assert code == 3
    with pytest.raises(caravan.NoRouteError) as e:
        engine.route("Kashgar", "Honolulu", modes="rail")
    assert str(e.value) == err.strip().removeprefix("caravan: ")

    with pytest.raises(caravan.InputError, match="unknown option"):
        engine.route("Kashgar", "Tashkent", mode="rail")
    with pytest.raises(caravan.InputError, match="drivers"):
        engine.route("Kashgar", "Tashkent", drivers=3)
    with pytest.raises(caravan.InputError, match="boat"):
        engine.matrix(["Kashgar"], ["Tashkent"], modes=["boat"])


def test_compare_criticality_places_scenarios_groups_run(engine):
    c = engine.compare("Kashgar", "Tashkent", modes=["rail"], scenario=["cku-railway"])
    assert c["baseline"] and c["scenario"] and "summary" in c
    assert c["delta"]["duration_h"] < 0, "the CKU railway shortens Kashgar–Tashkent by rail"
    r = engine.criticality([("Xi'an", "Duisburg", 2.0), ("Chengdu", "Warsaw")],
                           top=3, modes=["rail", "road", "ferry"])
    assert r["routed_lanes"] == 2 and 0 < len(r["ranking"]) <= 3
    assert engine.places("Tashk")[0]["label"].startswith("Tashkent")
    assert any(s["name"] == "cku-railway" for s in engine.scenarios())
    sco = engine.groups("SCO")
    assert sco[0]["group"] == "SCO"
    with pytest.raises(caravan.InputError):
        engine.groups("NOPE")


def test_route_gdf_has_a_line_per_leg(engine):
    gdf = engine.route_gdf("Kashgar", "Tashkent", modes=["rail", "road"])
    legs = engine.route("Kashgar", "Tashkent", modes=["rail", "road"])["routes"][0]["legs"]
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) >= len(legs) > 0
    assert set(gdf.geometry.geom_type) <= {"LineString", "MultiLineString", "Point"}
