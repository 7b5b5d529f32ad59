//! "What if" on the embedded network: every shipped scenario changes a real route the way
//! it says, scenarios combine, compare explains the change, criticality equals re-routing
//! every lane, groups compute their shares, and bad files fail with their line.

mod common;
use caravan_app::compare::Comparison;
use caravan_app::Request;
use common::{caravan, engine};

fn request(from: &str, to: &str, modes: &[&str], scenarios: &[&str]) -> Request {
    let spec = caravan_metric::ProfileSpec {
        modes: modes.iter().map(|m| m.to_string()).collect(),
        scenarios: scenarios.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    Request {
        origin: from.into(),
        destination: to.into(),
        profile: spec,
        alternatives: 1,
        geometry: false,
    }
}

fn compare(from: &str, to: &str, modes: &[&str], scenarios: &[&str]) -> Comparison {
    engine()
        .compare(&request(from, to, modes, scenarios))
        .unwrap_or_else(|e| panic!("{from} → {to} {scenarios:?}: {e}"))
}

fn countries(c: &Option<caravan_app::plan::PlannedRoute>) -> Vec<String> {
    c.as_ref()
        .map(|r| r.route.countries.clone())
        .unwrap_or_default()
}

#[test]
fn cku_takes_kashgar_tashkent_through_kyrgyzstan_and_the_short_name_still_works() {
    for name in ["cku-railway", "cku"] {
        let c = compare("Kashgar", "Tashkent", &["rail"], &[name]);
        let (b, s) = (c.baseline.as_ref().unwrap(), c.scenario.as_ref().unwrap());
        assert!(
            b.route.totals.distance_km > 3000.0,
            "baseline {}",
            b.route.summary
        );
        assert!(b.route.countries.contains(&"KZ".to_string()));
        assert!(
            s.route.countries.contains(&"KG".to_string()),
            "{}",
            s.route.summary
        );
        assert!(c.delta.unwrap().distance_km < -2000.0, "{}", c.summary);
        assert!(c.summary.contains("KG"), "{}", c.summary);
    }
}

#[test]
fn red_sea_closure_leaves_suez_for_the_cape_or_land_at_crisis_rates() {
    let c = compare("Shanghai", "Rotterdam", &["sea"], &["red-sea-closed"]);
    let (b, s) = (c.baseline.as_ref().unwrap(), c.scenario.as_ref().unwrap());
    let passages =
        |r: &caravan_app::plan::PlannedRoute| caravan_app::compare::corridor(engine(), r);
    assert!(
        passages(b).contains(&"suez".to_string()),
        "{:?}",
        passages(b)
    );
    assert!(
        !passages(s).contains(&"suez".to_string()),
        "{:?}",
        passages(s)
    );
    let d = c.delta.unwrap();
    assert!(d.distance_km > 4000.0 && d.duration_h > 0.0, "{d:?}");
    // WCI Shanghai->Rotterdam was USD 4,406 on 11 Jan 2024 against 1,442 a month earlier.
    assert!(
        s.route.totals.cost_usd > 2.0 * b.route.totals.cost_usd,
        "{d:?}"
    );
    // With every mode allowed the objective may prefer land; either way no Suez.
    let any = compare("Shanghai", "Rotterdam", &[], &["red-sea-closed"]);
    assert!(!passages(any.scenario.as_ref().unwrap()).contains(&"suez".to_string()));
}

#[test]
fn russia_transit_closed_takes_the_northern_corridor_out_but_keeps_russian_ends() {
    let c = compare(
        "Xi'an",
        "Duisburg",
        &["rail", "road", "ferry"],
        &["russia-transit-closed"],
    );
    assert!(countries(&c.baseline).contains(&"RU".to_string()));
    let s = countries(&c.scenario);
    assert!(
        !s.contains(&"RU".to_string()) && !s.contains(&"BY".to_string()),
        "{s:?}"
    );
    assert!(c.summary.contains("RU"), "{}", c.summary);
    // A lane that starts in Russia is not transit: it still has a route.
    let m = compare("Moscow", "Almaty", &["rail"], &["russia-transit-closed"]);
    assert!(m.scenario.is_some(), "{}", m.summary);
}

#[test]
fn each_shipped_scenario_changes_a_real_route() {
    let cases: &[(&str, &str, &[&str], &str)] = &[
        ("Kashgar", "Tashkent", &["rail"], "cku-railway"),
        ("Termez", "Peshawar", &["rail"], "trans-afghan-railway"),
        ("Shanghai", "Rotterdam", &["sea"], "red-sea-closed"),
        ("Aktau", "Baku", &["ferry", "road"], "caspian-closed"),
        ("Xi'an", "Duisburg", &["rail"], "russia-transit-closed"),
        ("Urumqi", "Moscow", &["rail"], "dostyk-congested"),
        ("Xi'an", "Duisburg", &["rail"], "malaszewicze-closed"),
        ("Moscow", "Yerevan", &["road"], "upper-lars-closed"),
        ("Novorossiysk", "Izmir", &["sea"], "bosporus-delays"),
        ("Baku", "Tehran", &["rail"], "rasht-astara-railway"),
    ];
    for &(from, to, modes, name) in cases {
        let c = compare(from, to, modes, &[name]);
        let changed = match (&c.baseline, &c.scenario, c.delta) {
            (Some(b), Some(s), Some(d)) => {
                b.route.arcs != s.route.arcs || d.duration_h.abs() > 1.0 || d.cost_usd.abs() > 1.0
            }
            (b, s, _) => b.is_some() != s.is_some(),
        };
        assert!(
            changed,
            "{name} changes nothing on {from} → {to}: {}",
            c.summary
        );
    }
    // The catalog lists every shipped file, each with sources and changes.
    let list = engine().scenario_catalog().unwrap();
    assert!(list.len() >= 9);
    for s in &list {
        assert!(
            !s.sources.is_empty() && !s.changes().is_empty(),
            "{}",
            s.name
        );
    }
}

#[test]
fn scenarios_combine() {
    let one = compare(
        "Xi'an",
        "Duisburg",
        &["rail", "ferry"],
        &["dostyk-congested"],
    );
    let two = compare(
        "Xi'an",
        "Duisburg",
        &["rail", "ferry"],
        &["dostyk-congested", "russia-transit-closed"],
    );
    assert!(countries(&one.scenario).contains(&"RU".to_string()));
    assert!(!countries(&two.scenario).contains(&"RU".to_string()));
}

#[test]
fn bad_scenarios_exit_2_naming_the_file_line_or_the_valid_names() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "name = \"bad\"\ndescription = \"d\"\n\n[close]\ncrossings = [\"Nowhere Pass\"]\n",
    )
    .unwrap();
    let b = bad.to_str().unwrap();
    let (code, _, err) = caravan(&["compare", "Kashgar", "Tashkent", "--scenario", b]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad.toml") && err.contains("line 5") && err.contains("Nowhere Pass"),
        "{err}"
    );
    std::fs::write(
        &bad,
        "name = \"bad\"\ndescription = \"d\"\n[open]\nlinks = 7\n",
    )
    .unwrap();
    let (code, _, err) = caravan(&["route", "Kashgar", "Tashkent", "--scenario", b]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("bad.toml") && err.contains("line 4"), "{err}");
    let (code, _, err) = caravan(&["compare", "Kashgar", "Tashkent", "--scenario", "atlantis"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("cku-railway") && err.contains("red-sea-closed"),
        "{err}"
    );
    // A user's own file works by path.
    let own = dir.join("own.toml");
    std::fs::write(
        &own,
        "name = \"own\"\ndescription = \"Khorgos shut\"\nsources = [\"test\"]\n[close]\ncrossings = [\"Altynkol / Khorgos\"]\n",
    )
    .unwrap();
    let c = compare("Kashgar", "Tashkent", &["rail"], &[own.to_str().unwrap()]);
    let s = c.scenario.as_ref().unwrap();
    assert!(
        !caravan_app::compare::corridor(engine(), s).contains(&"Altynkol / Khorgos".to_string())
    );
}

#[test]
fn an_od_file_with_a_bad_line_exits_2_naming_it_and_writes_nothing() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("od");
    std::fs::create_dir_all(&dir).unwrap();
    let od = dir.join("lanes.csv");
    std::fs::write(
        &od,
        "from,to,weight\nKashgar,Tashkent,5\nKashgar,Tashkent,lots\n",
    )
    .unwrap();
    let out = dir.join("out.csv");
    let _ = std::fs::remove_file(&out);
    let args = [
        "compare",
        "--od",
        od.to_str().unwrap(),
        "--scenario",
        "cku",
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, _, err) = caravan(&args);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 3") && err.contains("lots"), "{err}");
    assert!(!out.exists());
    std::fs::write(&od, "Kashgar,Tashkent,5\n\"Xi'an\",Almaty,2\n").unwrap();
    let (code, _, err) = caravan(
        &[
            &args[..5],
            &["--modes", "rail", "--out", out.to_str().unwrap()],
        ]
        .concat(),
    );
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.lines().count() == 3 && text.contains("better"),
        "{text}"
    );
    assert!(err.contains("1 better"), "{err}");
}

#[test]
fn criticality_equals_rerouting_every_lane_for_sampled_closures() {
    let e = engine();
    let text = "Xi'an,Duisburg,3\nChongqing,Warsaw,2\nUrumqi,Moscow,1\nKashgar,Tashkent,1\nAlmaty,Baku,1\n";
    let path = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("crit.csv");
    std::fs::write(&path, text).unwrap();
    let lanes = caravan_app::lanes::read_od(e, &path).unwrap();
    let spec = caravan_metric::ProfileSpec {
        modes: vec!["rail".into(), "ferry".into()],
        ..Default::default()
    };
    let all = caravan_app::criticality::chokepoints(&e.net);
    // The chokepoints the lanes use, and a few random others (which must change nothing).
    let exact = e
        .criticality(&lanes, &spec, &Default::default(), &|_, _| {})
        .unwrap();
    assert!(exact.chokepoints_used > 5);
    let named: Vec<&str> = exact.ranking.iter().map(|r| r.name.as_str()).collect();
    assert!(
        named
            .iter()
            .any(|n| n.contains("Dostyk") || n.contains("Khorgos")),
        "{named:?}"
    );
    let mut sample: Vec<usize> = (0..all.len())
        .filter(|&i| {
            exact
                .ranking
                .iter()
                .take(4)
                .any(|r| r.name == all[i].name && r.kind == all[i].kind)
        })
        .collect();
    use rand::{Rng, SeedableRng};
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for _ in 0..3 {
        sample.push(rng.gen_range(0..all.len()));
    }
    let opts = |brute_force| caravan_app::criticality::Options {
        brute_force,
        only: Some(sample.clone()),
    };
    let a = e
        .criticality(&lanes, &spec, &opts(false), &|_, _| {})
        .unwrap();
    let b = e
        .criticality(&lanes, &spec, &opts(true), &|_, _| {})
        .unwrap();
    for x in &a.ranking {
        let y = b
            .ranking
            .iter()
            .find(|y| y.name == x.name && y.kind == x.kind)
            .unwrap_or_else(|| panic!("{} missing from brute force", x.name));
        assert!(
            (x.weighted_increase_usd - y.weighted_increase_usd).abs()
                <= 1.0 + 1e-3 * y.weighted_increase_usd.abs(),
            "{}: exact {} brute force {}",
            x.name,
            x.weighted_increase_usd,
            y.weighted_increase_usd
        );
        assert_eq!(x.disconnected_lanes, y.disconnected_lanes, "{}", x.name);
    }
    let top = |r: &caravan_app::criticality::Report| {
        r.ranking
            .iter()
            .take(3)
            .map(|e| e.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(top(&a), top(&b));
}

#[test]
fn sco_covers_most_of_eurasia_and_over_two_fifths_of_the_world() {
    let data = caravan_network::data_dir().unwrap();
    let g = caravan_app::groups::groups(&data, Some("sco")).unwrap();
    let sco = &g[0];
    assert_eq!(sco.members.len(), 10);
    assert!(sco.members.iter().any(|m| m.code == "BY"));
    // Quoted: about 65% of Eurasia's area, about 42% of world population.
    assert!(
        (0.60..0.70).contains(&sco.eurasia_area_share),
        "{}",
        sco.eurasia_area_share
    );
    assert!(
        (0.38..0.48).contains(&sco.world_population_share),
        "{}",
        sco.world_population_share
    );
    assert!(caravan_app::groups::groups(&data, Some("nope")).is_err());
}

/// A line drawn by waypoints needs a variant network: the CLI builds it on first use
/// (cached beside the shipped one), the baseline on it is the shipped answer, and the new
/// crossing takes the lane. A drawn end far from any line fails before routing, naming it.
#[test]
fn a_line_added_by_waypoints_is_built_into_a_variant_network_and_routed() {
    let (code, out, err) = caravan(&[
        "compare",
        "Karamay",
        "Novosibirsk",
        "--modes",
        "rail",
        "--scenario",
        "ayagoz-bakhty-railway",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let shipped = common::plan("Karamay", "Novosibirsk", |s| s.modes = vec!["rail".into()]);
    let base = v["baseline"]["totals"]["distance_km"].as_f64().unwrap();
    assert!(
        (base - shipped.routes[0].route.totals.distance_km).abs() < 0.5,
        "variant baseline {base} km against the shipped network's {} km",
        shipped.routes[0].route.totals.distance_km
    );
    let corridor = v["scenario"]["summary"]
        .as_str()
        .unwrap_or_default()
        .to_string()
        + &v["changes"].to_string();
    assert!(corridor.contains("Bakhty"), "{out}");
    assert!(
        v["delta"]["distance_km"].as_f64().unwrap() < -150.0,
        "{}",
        v["delta"]
    );

    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    let far = dir.join("far-line.toml");
    std::fs::write(
        &far,
        "name = \"far-line\"\ndescription = \"a line that ends in the Taklamakan\"\n\n[[add]]\nid = \"nowhere\"\nmode = \"rail\"\nwaypoints = [\n  { name = \"Kashgar\", lat = 39.47, lon = 75.99 },\n  { name = \"dunes\", lat = 39.0, lon = 83.0 },\n]\n",
    )
    .unwrap();
    let (code, _, err) = caravan(&[
        "route",
        "Kashgar",
        "Hotan",
        "--scenario",
        far.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("nowhere") && err.contains("dunes") && err.contains("snap_km"),
        "{err}"
    );
    std::fs::write(
        &far,
        "name = \"far-line\"\ndescription = \"x\"\n\n[[add]]\nid = \"boat\"\nmode = \"sea\"\nwaypoints = []\n",
    )
    .unwrap();
    let (code, _, err) = caravan(&[
        "route",
        "Kashgar",
        "Hotan",
        "--scenario",
        far.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("far-line.toml") && err.contains("line 4") && err.contains("rail or road"),
        "{err}"
    );
}
