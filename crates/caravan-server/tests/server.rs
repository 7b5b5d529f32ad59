//! The server on the embedded network, over real HTTP on loopback: the native API, the
//! OSRM services as OSRM clients call them, the contract, errors and panics.

use caravan_server::{AppState, Limits};
use serde_json::Value;
use std::sync::{Arc, OnceLock};

/// Most sources × destinations on GET /table in these tests (TooBig beyond).
const TABLE_MAX: usize = 4;

/// The request timeout of the test server (its slow route sleeps longer).
const TIMEOUT_S: u64 = 30;

/// One server for the whole test binary, with one extra route that panics.
fn base() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| {
        let data = caravan_network::data_dir().expect("data/");
        let cache = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("caravan-cache");
        let engine = caravan_app::Engine::load_from(&data, &cache, &mut |_, _| {}).expect("engine");
        let limits = Limits {
            max_table_size: TABLE_MAX,
            max_body_bytes: 64 << 10,
            timeout: std::time::Duration::from_secs(TIMEOUT_S),
            ..Limits::default()
        };
        let state = Arc::new(AppState::new(engine, cache, limits));
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().expect("runtime");
            rt.block_on(async move {
                let extra = axum::Router::new()
                    .route(
                        "/test/panic",
                        axum::routing::get(|| async {
                            if std::hint::black_box(true) {
                                panic!("injected");
                            }
                            "unreachable"
                        }),
                    )
                    .route(
                        "/test/panic-blocking",
                        axum::routing::get(|| async {
                            caravan_server::blocking(|| -> Result<&'static str, _> {
                                panic!("injected")
                            })
                            .await
                        }),
                    );
                let extra = extra.route(
                    "/test/slow",
                    axum::routing::get(|| async {
                        tokio::time::sleep(std::time::Duration::from_secs(TIMEOUT_S + 10)).await;
                        "late"
                    }),
                );
                let app = caravan_server::router_with(state, extra);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                tx.send(listener.local_addr().unwrap()).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        format!("http://{}", rx.recv().expect("server starts"))
    })
}

fn get(path: &str) -> (u16, Value) {
    let r = match ureq::get(&format!("{}{path}", base())).call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{path}: {e}"),
    };
    let status = r.status();
    let text = r.into_string().unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn post(path: &str, body: &str) -> (u16, Vec<u8>, String) {
    let r = match ureq::post(&format!("{}{path}", base()))
        .set("Content-Type", "application/json")
        .send_string(body)
    {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{path}: {e}"),
    };
    let status = r.status();
    let ty = r.content_type().to_string();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut r.into_reader(), &mut bytes).unwrap();
    (status, bytes, ty)
}

#[test]
fn native_route_is_the_cli_json_and_post_equals_get() {
    let (s, v) = get("/v1/route?from=Kashgar&to=Tashkent&alternatives=2");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["origin"]["name"], "Kashgar");
    let r = &v["routes"][0];
    assert!(r["totals"]["distance_km"].as_f64().unwrap() > 500.0);
    assert!(!r["legs"].as_array().unwrap().is_empty());
    let (s, body, _) = post(
        "/v1/route",
        r#"{"from": "Kashgar", "to": "Tashkent", "alternatives": 2}"#,
    );
    assert_eq!(s, 200);
    let p: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(p["routes"][0]["totals"], r["totals"]);
    let (s, g) = get("/v1/route?from=Kashgar&to=Tashkent&modes=rail,road&format=geojson");
    assert_eq!(s, 200);
    assert_eq!(g["type"], "FeatureCollection");
}

#[test]
fn native_compare_matrix_places_scenarios_groups() {
    let (s, c) = get("/v1/compare?from=Kashgar&to=Tashkent&modes=rail&scenario=cku");
    assert_eq!(s, 200, "{c}");
    assert!(c["delta"].is_object(), "{c}");
    assert!(c["scenario"]["geometry"]
        .as_array()
        .is_some_and(|g| !g.is_empty()));
    let (s, body, ty) = post(
        "/v1/matrix",
        r#"{"origins": ["Kashgar", "Almaty"], "destinations": ["Tashkent", "Almaty"], "modes": ["rail", "road"]}"#,
    );
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&body));
    assert!(ty.starts_with("application/json"));
    let m: Value = serde_json::from_slice(&body).unwrap();
    let cells = m["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 4);
    assert_eq!(
        cells[3]["distance_km"].as_f64(),
        Some(0.0),
        "Almaty → Almaty"
    );
    let (s, body, ty) = post(
        "/v1/matrix",
        r#"{"origins": ["Kashgar"], "destinations": ["Tashkent"], "format": "parquet"}"#,
    );
    assert_eq!((s, ty.as_str()), (200, "application/vnd.apache.parquet"));
    assert_eq!(&body[..4], b"PAR1");
    let (s, p) = get("/v1/places?q=tashk");
    assert_eq!(s, 200);
    assert_eq!(p["places"][0]["query"], "Tashkent, UZ", "{p}");
    let (_, p) = get("/v1/places?q=CNSHA");
    assert_eq!(p["places"][0]["kind"], "port", "{p}");
    let (s, sc) = get("/v1/scenarios");
    assert_eq!(s, 200);
    assert!(sc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["name"] == "cku-railway"));
    let (s, g) = get("/v1/groups?name=SCO");
    assert_eq!(s, 200);
    assert_eq!(g["groups"][0]["members"].as_array().unwrap().len(), 10);
    let (s, body, _) = post(
        "/v1/criticality",
        r#"{"lanes": [{"from": "Xi'an", "to": "Duisburg"}, {"from": "Chongqing", "to": "Lodz", "weight": 2}], "modes": "rail,road,ferry", "top": 3}"#,
    );
    assert_eq!(s, 200, "{}", String::from_utf8_lossy(&body));
    let r: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(r["ranking"].as_array().unwrap().len(), 3);
}

fn decode(poly: &Value) -> Vec<(f64, f64)> {
    polyline::decode_polyline(poly.as_str().unwrap(), 5)
        .unwrap()
        .0
        .iter()
        .map(|c| (c.x, c.y))
        .collect()
}

#[test]
fn osrm_route_has_osrm_shapes_and_caravan_figures() {
    let (s, native) =
        get("/v1/route?from=39.4700,75.9900&to=41.3100,69.2400&optimize=time&modes=road");
    assert_eq!(s, 200, "{native}");
    let (s, v) =
        get("/route/v1/road/75.99,39.47;69.24,41.31?steps=true&annotations=true&overview=full");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["code"], "Ok");
    let r = &v["routes"][0];
    let km = native["routes"][0]["totals"]["distance_km"]
        .as_f64()
        .unwrap();
    assert!(
        (r["distance"].as_f64().unwrap() - km * 1000.0).abs() < 1.0,
        "{} vs {km}",
        r["distance"]
    );
    let h = native["routes"][0]["totals"]["duration_h"]
        .as_f64()
        .unwrap();
    assert!((r["duration"].as_f64().unwrap() - h * 3600.0).abs() < 1.0);
    let line = decode(&r["geometry"]);
    assert!(line.len() > 10);
    let leg = &r["legs"][0];
    let steps = leg["steps"].as_array().unwrap();
    assert_eq!(steps[0]["maneuver"]["type"], "depart");
    assert_eq!(steps.last().unwrap()["maneuver"]["type"], "arrive");
    assert!(steps
        .iter()
        .all(|s| s["mode"].is_string() && s["name"].is_string()));
    // Steps (legs and events) add up to the leg, as OSRM's do.
    let sum: f64 = steps.iter().map(|s| s["duration"].as_f64().unwrap()).sum();
    assert!((sum - leg["duration"].as_f64().unwrap()).abs() < 1.0 + steps.len() as f64 * 0.1);
    assert!(
        steps
            .iter()
            .any(|s| s["maneuver"]["type"] == "notification"),
        "borders are steps"
    );
    let ann = &leg["annotation"];
    assert_eq!(ann["distance"].as_array().unwrap().len(), line.len() - 1);
    assert_eq!(v["waypoints"].as_array().unwrap().len(), 2);
    assert!(v["waypoints"][0]["location"].as_array().unwrap().len() == 2);
    assert!(!r["caravan"][0]["events"].as_array().unwrap().is_empty());
    // Three coordinates: two legs.
    let (s, v) = get("/route/v1/fastest/75.99,39.47;74.59,42.87;69.24,41.31?overview=false");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["routes"][0]["legs"].as_array().unwrap().len(), 2);
    assert!(v["routes"][0].get("geometry").is_none());
}

#[test]
fn clients_request_forms_succeed() {
    // Leaflet Routing Machine's OSRMv1 router.
    let (s, v) = get("/route/v1/driving/75.99,39.47;69.24,41.31?overview=false&alternatives=true&steps=true&hints=;");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["code"], "Ok");
    assert!(v["routes"][0]["legs"][0]["steps"].as_array().unwrap().len() >= 2);
    // routingpy percent-encodes ';' and ',' in the path and the query.
    let (s, v) =
        get("/route/v1/road/75.99%2C39.47%3B69.24%2C41.31?radiuses=%3B&geometries=geojson");
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["routes"][0]["geometry"]["type"], "LineString");
    let (s, v) =
        get("/route/v1/road/75.99,39.47;69.24,41.31?geometries=polyline6&overview=simplified");
    assert_eq!(s, 200);
    assert!(v["routes"][0]["geometry"].is_string());
}

#[test]
fn osrm_table_has_null_for_no_route_and_a_size_limit() {
    let (s, v) =
        get("/table/v1/road/75.99,39.47;69.24,41.31;76.9,43.25?annotations=duration,distance");
    assert_eq!(s, 200, "{v}");
    let d = v["durations"].as_array().unwrap();
    assert_eq!(d.len(), 3);
    assert_eq!(d[0][0].as_f64(), Some(0.0));
    assert!(d[0][1].as_f64().unwrap() > 3600.0);
    assert!(v["distances"][1][2].as_f64().unwrap() > 100_000.0);
    // Colombo and Almaty have no road between them.
    let (s, v) = get("/table/v1/road/79.86,6.93;76.9,43.25?sources=0&destinations=1");
    assert_eq!(s, 200, "{v}");
    assert!(v["durations"][0][0].is_null(), "{v}");
    let (s, v) = get("/table/v1/road/1,50;2,50;3,50;4,50;5,50");
    assert_eq!((s, v["code"].as_str()), (400, Some("TooBig")), "{v}");
    let (s, v) = get("/table/v1/road/1,50;2,50?sources=0;7");
    assert_eq!((s, v["code"].as_str()), (400, Some("InvalidValue")));
}

#[test]
fn bad_input_is_4xx_with_a_message() {
    for (path, status, error) in [
        (
            "/v1/route?from=Atlantisxq&to=Tashkent",
            400,
            "unknown_place",
        ),
        ("/v1/route?from=Kashgar&to=Tashkent&modes=", 400, ""),
        ("/v1/route?from=Kashgar&to=Tashkent&modes=rail,", 400, ""),
        (
            "/v1/route?from=Kashgar&to=Tashkent&tonnes=-3",
            400,
            "bad_request",
        ),
        (
            "/v1/route?from=Kashgar&to=Tashkent&alternatives=40",
            400,
            "bad_request",
        ),
        ("/v1/route?from=Kashgar&to=Tashkent&colour=red", 400, ""),
        ("/v1/compare?from=Kashgar&to=Tashkent", 400, "bad_request"),
        ("/v1/places?q=a&limit=50", 400, "bad_request"),
        ("/v1/groups?name=NOPE", 400, "bad_request"),
        ("/nowhere", 404, "not_found"),
    ] {
        let (s, v) = get(path);
        assert_eq!(s, status, "{path}: {v}");
        if !error.is_empty() {
            assert_eq!(v["error"], error, "{path}: {v}");
        }
    }
    for (path, code) in [
        ("/route/v1/road/75.99,39.47", "InvalidQuery"),
        ("/route/v1/road/abc;def", "InvalidUrl"),
        ("/route/v1/road/1,2;3,4?foo=1", "InvalidOptions"),
        ("/route/v1/road/1,2;3,4?radiuses=1;2;3", "InvalidOptions"),
        ("/route/v1/road/1,2;3,4?geometries=svg", "InvalidValue"),
        ("/route/v1/road/1,2;300,4", "InvalidValue"),
        ("/route/v1/hovercraft/1,2;3,4", "InvalidOptions"),
        ("/route/v2/road/1,2;3,4", "InvalidVersion"),
        ("/nearest/v1/road/1,2;3,4", "InvalidService"),
        ("/route/v1/road/-30.0,-40.0;-20.0,-45.0", "NoSegment"),
    ] {
        let (s, v) = get(path);
        assert_eq!((s, v["code"].as_str()), (400, Some(code)), "{path}: {v}");
        assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (s, _, _) = post(
        "/v1/matrix",
        &format!(
            r#"{{"origins": ["{}"], "destinations": []}}"#,
            "x".repeat(70_000)
        ),
    );
    assert_eq!(s, 413);
    let (s, body, _) = post(
        "/v1/matrix",
        r#"{"origins": ["Kashgar"], "destinations": []}"#,
    );
    assert_eq!(s, 400, "{}", String::from_utf8_lossy(&body));
    let (s, _, _) = post("/v1/route", "{not json");
    assert_eq!(s, 400);
}

#[test]
fn a_panicking_handler_is_a_500_and_the_server_goes_on() {
    for path in ["/test/panic", "/test/panic-blocking"] {
        let (s, v) = get(path);
        assert_eq!(s, 500, "{path}: {v}");
        assert_eq!(v["error"], "internal");
        let (s, h) = get("/health");
        assert_eq!((s, h["status"].as_str()), (200, Some("ok")));
    }
}

#[test]
fn contract_cors_and_metrics() {
    let (s, doc) = get("/openapi.json");
    assert_eq!(s, 200);
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    for p in [
        "/v1/route",
        "/v1/compare",
        "/v1/matrix",
        "/v1/criticality",
        "/v1/places",
        "/v1/scenarios",
        "/v1/groups",
        "/health",
        "/metrics",
        "/route/v1/{profile}/{coordinates}",
        "/table/v1/{profile}/{coordinates}",
    ] {
        assert!(
            doc["paths"].get(p).is_some(),
            "{p} missing from the contract"
        );
    }
    // Every computation answers 408 past --timeout, and says so in the contract.
    for (p, m) in [
        ("/v1/route", "get"),
        ("/v1/route", "post"),
        ("/v1/compare", "get"),
        ("/v1/matrix", "post"),
        ("/v1/criticality", "post"),
        ("/route/v1/{profile}/{coordinates}", "get"),
        ("/table/v1/{profile}/{coordinates}", "get"),
    ] {
        assert!(
            doc["paths"][p][m]["responses"].get("408").is_some(),
            "{m} {p} does not document 408"
        );
    }
    let params = doc["paths"]["/v1/route"]["get"]["parameters"]
        .as_array()
        .unwrap();
    assert!(params.iter().any(|p| p["name"] == "avoid_countries"));
    let r = ureq::get(&format!("{}/route/v1/road/75.99,39.47;69.24,41.31", base()))
        .set("Origin", "http://example.org")
        .call()
        .unwrap();
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert!(r.content_type().starts_with("application/json"));
    let (_, m) = get("/metrics");
    let m = m.as_str().unwrap().to_string();
    assert!(m.contains("caravan_http_requests_total{route=\"/route/v1/{profile}/{coordinates}\",status=\"200\"}"), "{m}");
    let (s, page) = get("/");
    assert_eq!(s, 200);
    assert!(page.as_str().unwrap().contains("maplibre-gl.js"));
    let (s, _) = get("/assets/../Cargo.toml");
    assert_eq!(s, 404);
    let (s, b) = get("/basemap/countries.json");
    assert_eq!((s, b["type"].as_str()), (200, Some("Topology")));
}

#[test]
fn a_request_past_the_timeout_is_a_408_with_a_message() {
    let (s, v) = get("/test/slow");
    assert_eq!((s, v["error"].as_str()), (408, Some("timeout")), "{v}");
    assert!(v["message"].as_str().unwrap().contains("--timeout"));
}

#[test]
fn every_suggestion_routes_to_the_place_suggested() {
    // "Brest" is a city in Belarus and in France; within one country a smaller namesake
    // is suggested by its coordinates, since "Name, CC" would pick the larger one.
    for q in [
        "brest", "alma", "shang", "CNSHA", "FRA", "novos", "tash", "kras",
    ] {
        let (s, v) = get(&format!("/v1/places?q={q}"));
        assert_eq!(s, 200, "{v}");
        for p in v["places"].as_array().unwrap() {
            let query = p["query"].as_str().unwrap();
            let (s, r) = get(&format!(
                "/v1/route?from={}&to=Tashkent",
                query.replace(' ', "%20").replace(',', "%2C")
            ));
            if s != 200 {
                continue; // an island or a place no mode reaches: not this test's concern
            }
            let o = &r["origin"];
            let km = caravan_network::geo::haversine_km(
                o["lat"].as_f64().unwrap(),
                o["lon"].as_f64().unwrap(),
                p["lat"].as_f64().unwrap(),
                p["lon"].as_f64().unwrap(),
            );
            assert!(
                km < 1.0,
                "{q}: suggestion {p} resolves {km:.0} km away, to {o}"
            );
        }
    }
}
