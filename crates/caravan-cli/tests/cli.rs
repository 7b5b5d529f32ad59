//! Every error path of `caravan route` exits with its documented code, never a panic.

mod common;
use common::caravan;

#[test]
fn route_errors_have_exit_codes() {
    // Build the shared cache once in-process first so the CLI runs load it.
    common::engine();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["route", "Kashgr", "Tashkent"], 2, "Kashgar"),
        (&["route", "91,200", "Tashkent"], 2, "latitude"),
        (&["route", "Kashgar", "10,500"], 2, "longitude"),
        (
            &["route", "Kashgar", "Tashkent", "--modes", "boat"],
            2,
            "valid: road, rail",
        ),
        (
            &["route", "Kashgar", "Tashkent", "--avoid-countries", "XX"],
            2,
            "ISO 3166-1",
        ),
        (
            &[
                "route",
                "Kashgar",
                "Tashkent",
                "--avoid-passages",
                "panamax",
            ],
            2,
            "suez",
        ),
        (
            &["route", "Kashgar", "Tashkent", "--scenario", "nope"],
            2,
            "cku",
        ),
        (
            &["route", "Kashgar", "Tashkent", "--cargo", "spice"],
            2,
            "container",
        ),
        (
            &["route", "Kashgar", "Tashkent", "--optimize", "fun"],
            2,
            "balanced",
        ),
        (
            &[
                "route",
                "Kashgar",
                "Tashkent",
                "--modes",
                "pipeline",
                "--cargo",
                "container",
            ],
            3,
            "pipeline",
        ),
        (
            &[
                "route",
                "Kashgar",
                "Tashkent",
                "--only-countries",
                "CN,UZ",
                "--modes",
                "rail",
            ],
            3,
            "country",
        ),
        // Where the network ends, not only which option was given: Kashgar's rail under
        // CN,UZ stops at China's western border, Tashkent's inside Uzbekistan.
        (
            &[
                "route",
                "Kashgar",
                "Tashkent",
                "--only-countries",
                "CN,UZ",
                "--modes",
                "rail",
            ],
            3,
            "From Kashgar the network under these limits comes no closer to Tashkent than",
        ),
        (&["audit", "--check", "gapz"], 2, "unknown audit check"),
        (&["route", "Kashgar"], 2, "Usage"),
    ];
    for (args, code, needle) in cases {
        let (c, _, err) = caravan(args);
        assert_eq!(c, *code, "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn route_formats() {
    common::engine();
    let (c, out, _) = caravan(&["route", "Kashgar", "Tashkent", "--format", "geojson"]);
    assert_eq!(c, 0);
    let g: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let f = g["features"].as_array().unwrap();
    // Legs are drawn along the network (dozens of points), not end to end.
    assert!(f.iter().any(|x| x["geometry"]["type"] == "LineString"
        && x["geometry"]["coordinates"].as_array().unwrap().len() > 20));
    assert!(f.iter().any(|x| x["geometry"]["type"] == "Point"));
    let (c, out, _) = caravan(&["route", "Kashgar", "Tashkent"]);
    assert_eq!(c, 0);
    assert!(out.contains("Option 1") && out.contains("total:"), "{out}");
    let (c, out, _) = caravan(&["network", "--format", "json"]);
    assert_eq!(c, 0);
    let n: serde_json::Value = serde_json::from_str(&out).unwrap();
    for m in ["road", "rail", "sea", "ferry", "air", "pipeline"] {
        assert!(n["modes"][m]["nodes"].as_u64().unwrap() > 0, "{m}");
    }
    assert!(n["components"]["before_repair"].as_u64().is_some() && n["places"].as_u64().is_some());
}
