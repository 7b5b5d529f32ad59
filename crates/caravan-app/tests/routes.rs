//! The route issue's cases on the real embedded network.

mod common;
use caravan_app::{plan::Plan, Request};
use caravan_metric::{EventKind, Metric, Profile, ProfileSpec};
use caravan_network::Mode;
use caravan_route::{Dijkstra, Endpoint};
use common::{engine, plan};

#[test]
fn kashgar_tashkent_answers_cn_to_uz() {
    let p = plan("Kashgar", "Tashkent", |_| {});
    let r = &p.routes[0].route;
    assert_eq!(r.countries.first().map(String::as_str), Some("CN"));
    assert_eq!(r.countries.last().map(String::as_str), Some("UZ"));
    assert!(
        r.totals.distance_km > 500.0 && r.totals.distance_km < 5000.0,
        "{}",
        r.summary
    );
    assert!(r.events.iter().any(|e| e.kind == EventKind::Border));
    // JSON carries the documented schema.
    let j = caravan_app::output::plan_json(&p);
    let route = &j["routes"][0];
    for k in ["distance_km", "duration_h", "cost_usd", "co2_kg"] {
        assert!(route["totals"][k].is_number(), "totals.{k}");
        assert!(route["legs"][0][k].is_number(), "legs[0].{k}");
    }
    assert!(route["summary"].is_string());
    assert!(route["legs"][0]["mode"].is_string() && route["legs"][0]["countries"].is_array());
    assert!(route["events"][0]["kind"].is_string() && route["events"][0]["duration_h"].is_number());
}

#[test]
fn xian_duisburg_by_rail_changes_gauge_twice_through_kazakhstan() {
    let p = plan("Xi'an", "Duisburg", |s| s.modes = vec!["rail".into()]);
    let r = &p.routes[0].route;
    assert!(
        r.legs.iter().all(|l| l.mode == Mode::Rail),
        "{:?}",
        r.legs.iter().map(|l| l.mode).collect::<Vec<_>>()
    );
    assert!(r.countries.iter().any(|c| c == "KZ"), "{:?}", r.countries);
    assert_eq!(r.countries.first().map(String::as_str), Some("CN"));
    assert_eq!(r.countries.last().map(String::as_str), Some("DE"));
    let gauges: Vec<&str> = r
        .events
        .iter()
        .filter(|e| e.kind == EventKind::GaugeChange)
        .map(|e| e.detail.as_str())
        .collect();
    assert!(gauges.len() >= 2, "{gauges:?}");
    assert!(
        gauges[0].starts_with("1435→1520") && gauges.last().unwrap().starts_with("1520→1435"),
        "{gauges:?}"
    );
    assert!(
        r.events
            .iter()
            .filter(|e| e.kind == EventKind::Border)
            .count()
            >= 3
    );
    // Published: about 13 days (2024); the model lands within a few days of it.
    assert!(
        (10.0..20.0).contains(&r.totals.duration_days),
        "{}",
        r.summary
    );
}

#[test]
fn almaty_tbilisi_avoiding_russia_and_iran_crosses_the_caspian_by_ferry() {
    let p = plan("Almaty", "Tbilisi", |s| {
        s.avoid_countries = vec!["RU".into(), "IR".into()]
    });
    let r = &p.routes[0].route;
    assert!(
        !r.countries.iter().any(|c| c == "RU" || c == "IR"),
        "{:?}",
        r.countries
    );
    assert!(
        r.legs.iter().any(|l| l.mode == Mode::Ferry),
        "{}",
        r.summary
    );
    assert!(r.events.iter().any(|e| e.kind == EventKind::FerryWait));
}

#[test]
fn shanghai_rotterdam_by_sea_uses_suez_unless_avoided() {
    let e = engine();
    let passages = |p: &Plan| -> Vec<String> {
        let mut v: Vec<String> = p.routes[0]
            .route
            .arcs
            .iter()
            .map(|&a| e.net.arcs[a as usize].passage)
            .filter(|&x| x != caravan_network::NONE)
            .map(|x| e.net.passages[x as usize].clone())
            .collect();
        v.dedup();
        v
    };
    let via_suez = plan("Shanghai", "Rotterdam", |s| s.modes = vec!["sea".into()]);
    assert!(via_suez.routes[0]
        .route
        .legs
        .iter()
        .all(|l| l.mode == Mode::Sea));
    assert!(
        passages(&via_suez).contains(&"suez".to_string()),
        "{:?}",
        passages(&via_suez)
    );
    let cape = plan("Shanghai", "Rotterdam", |s| {
        s.modes = vec!["sea".into()];
        s.avoid_passages = vec!["suez".into()];
    });
    let (a, b) = (
        &via_suez.routes[0].route.totals,
        &cape.routes[0].route.totals,
    );
    assert!(
        b.distance_km > a.distance_km + 3000.0,
        "{} vs {}",
        a.distance_km,
        b.distance_km
    );
    assert!(!passages(&cape).contains(&"suez".to_string()));
    assert!(
        passages(&cape).contains(&"south_africa".to_string()),
        "{:?}",
        passages(&cape)
    );
}

#[test]
fn alternatives_differ_in_corridor_or_mode() {
    let p = engine()
        .plan(&Request {
            origin: "Kashgar".into(),
            destination: "Tashkent".into(),
            profile: ProfileSpec::default(),
            alternatives: 3,
            geometry: false,
        })
        .unwrap();
    assert!(p.routes.len() >= 2);
    for (i, a) in p.routes.iter().enumerate() {
        for b in &p.routes[i + 1..] {
            assert!(a.main_modes != b.main_modes || a.route.countries != b.route.countries);
        }
    }
}

#[test]
fn places_resolve_by_alternate_code_and_fuzzy() {
    let net = &engine().net;
    assert_eq!(net.resolve_place("Kashi").unwrap().name, "Kashgar");
    assert_eq!(net.resolve_place("Xian").unwrap().country, "CN");
    assert_eq!(net.resolve_place("Alma-Ata").unwrap().name, "Almaty");
    assert_eq!(net.resolve_place("Toshkent").unwrap().name, "Tashkent");
    assert_eq!(net.resolve_place("CNSHA").unwrap().country, "CN");
    assert_eq!(net.resolve_place("FRA").unwrap().country, "DE");
    assert_eq!(net.resolve_place("Brest, BY").unwrap().country, "BY");
    let err = net.resolve_place("Kashgr").unwrap_err().to_string();
    assert!(err.contains("Kashgar"), "{err}");
}

/// Every corridor city reaches every other in the multimodal network (one search from
/// Shanghai over the default container profile reaches each city's road access).
#[test]
fn corridor_cities_are_connected() {
    let e = engine();
    let profile = Profile::new(&e.net, &ProfileSpec::default()).unwrap();
    let metric = Metric::new(&e.net, &e.params, profile);
    let road_node = |q: &str| -> u32 {
        let p = e.net.resolve_place(q).unwrap();
        let mut best = (f64::MAX, 0u32);
        for (i, n) in e.net.nodes.iter().enumerate() {
            if n.mode != Mode::Road || (n.lat as f64 - p.lat).abs() > 1.0 {
                continue;
            }
            let d = caravan_network::geo::haversine_km(p.lat, p.lon, n.lat as f64, n.lon as f64);
            if d < best.0 && e.net.component_size[e.net.component[i] as usize] > 1000 {
                best = (d, i as u32);
            }
        }
        assert!(best.0 < 50.0, "{q}: nearest road node {} km", best.0);
        best.1
    };
    let cities = [
        "Shanghai",
        "Xi'an",
        "Chongqing",
        "Urumqi",
        "Kashgar",
        "Almaty",
        "Khorgos",
        "Aktau",
        "Baku",
        "Tbilisi",
        "Poti",
        "Istanbul",
        "Tashkent",
        "Andijan",
        "Minsk",
        "Moscow",
        "Warsaw",
        "Duisburg",
        "Rotterdam",
        "Madrid",
        "Tehran",
        "Karachi",
        "Mumbai",
    ];
    let src = road_node("Shanghai");
    let dist = Dijkstra::new(e.net.nodes.len()).distances(
        e.graph(),
        &metric.weights,
        &[Endpoint {
            node: src,
            weight: 0,
        }],
    );
    let unreachable: Vec<&str> = cities
        .iter()
        .copied()
        .filter(|c| dist[road_node(c) as usize] == u64::MAX)
        .collect();
    assert!(
        unreachable.is_empty(),
        "not reachable from Shanghai: {unreachable:?}"
    );
    // And by rail alone where the corridor is rail: the repaired links carry them.
    let rail = Profile::new(
        &e.net,
        &ProfileSpec {
            modes: vec!["rail".into()],
            ..Default::default()
        },
    )
    .unwrap();
    let rail_metric = Metric::new(&e.net, &e.params, rail);
    let rail_node = |q: &str| -> u32 {
        let p = e.net.resolve_place(q).unwrap();
        (0..e.net.nodes.len() as u32)
            .filter(|&i| e.net.nodes[i as usize].mode == Mode::Rail)
            .min_by(|&a, &b| {
                let d = |i: u32| {
                    caravan_network::geo::haversine_km(
                        p.lat,
                        p.lon,
                        e.net.nodes[i as usize].lat as f64,
                        e.net.nodes[i as usize].lon as f64,
                    )
                };
                d(a).total_cmp(&d(b))
            })
            .unwrap()
    };
    let from = rail_node("Xi'an");
    let rd = Dijkstra::new(e.net.nodes.len()).distances(
        e.graph(),
        &rail_metric.weights,
        &[Endpoint {
            node: from,
            weight: 0,
        }],
    );
    for c in [
        "Khorgos", "Aktau", "Baku", "Tbilisi", "Poti", "Tashkent", "Minsk", "Duisburg", "Karachi",
    ] {
        assert!(
            rd[rail_node(c) as usize] != u64::MAX,
            "{c} not reachable by rail from Xi'an"
        );
    }
}

#[test]
fn network_report_has_every_mode_and_keeps_length() {
    let r = engine().net.report();
    for m in ["road", "rail", "sea", "ferry", "air", "pipeline"] {
        assert!(r.modes[m].nodes > 0 && r.modes[m].arcs > 0, "{m}");
    }
    for m in ["rail", "road"] {
        let kept = r.modes[m].km / r.source_km[m];
        assert!(kept >= 0.95, "{m}: {kept}");
    }
    assert!(r.components.after_repair < r.components.before_repair);
    assert!(r.components.largest_share > 0.9);
    assert!(r.countries > 150);
}
