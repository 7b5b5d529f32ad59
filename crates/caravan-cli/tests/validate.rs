//! `caravan validate`: the reference cases on the real network meet the holdout threshold,
//! and a bad cases file or an unroutable case is reported, never a panic.

mod common;
use caravan_app::validate::{self, load_cases, CaseResult, MetricKind, Set, Threshold};
use std::path::PathBuf;
use std::process::Command;

fn cases_file() -> PathBuf {
    caravan_network::data_dir()
        .expect("data/")
        .join("validation/cases.toml")
}

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("validate-tests");
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

const GOOD: &str = r#"
[[case]]
name = "a"
set = "holdout"
origin = "Kashgar"
destination = "Tashkent"
modes = ["road"]
optimize = "time"
metric = "distance_km"
published = 920.0
tolerance_pct = 12
why_band = "test"
source = "test"
"#;

#[test]
fn holdout_meets_the_stated_threshold() {
    let cases = load_cases(&cases_file()).unwrap_or_else(|e| panic!("{e}"));
    assert!(cases.len() >= 120, "only {} cases", cases.len());
    for set in [Set::Calibration, Set::Holdout] {
        assert!(cases.iter().filter(|c| c.set == set).count() >= 10);
    }
    let report = validate::run(common::engine(), &cases, &mut |_, _, _| {});
    assert_eq!(report.cases.len(), cases.len());
    assert!(report.checked);
    let table = caravan_app::output::validation_table(&report);
    assert!(
        report.pass,
        "holdout misses the threshold: {}\n\n{table}",
        report.failures.join("; ")
    );
    // The JSON carries the documented fields.
    let j = serde_json::to_value(&report).unwrap();
    for k in [
        "name",
        "set",
        "metric",
        "caravan",
        "published",
        "error_pct",
        "within_band",
    ] {
        assert!(j["cases"][0].get(k).is_some(), "cases[0].{k}");
    }
    for k in ["within_band_share", "median_abs_error_pct"] {
        assert!(
            j["summary"]["holdout"][k].is_number(),
            "summary.holdout.{k}"
        );
    }
    assert!(j["pass"].is_boolean());
}

#[test]
fn the_gate_fails_below_the_threshold() {
    let row = |metric, err: Option<f64>, within| CaseResult {
        name: "x".into(),
        set: Set::Holdout,
        metric,
        caravan: err.map(|e| 100.0 + e),
        published: 100.0,
        caravan_mode: None,
        published_mode: None,
        error_pct: err,
        within_band: within,
        tolerance_pct: 30.0,
        origin: "a".into(),
        destination: "b".into(),
        route: None,
        error: err.is_none().then(|| "no route".into()),
    };
    // 8 of 10 within band, medians small: passes.
    let mut rows: Vec<CaseResult> = (0..8)
        .map(|_| row(MetricKind::DistanceKm, Some(2.0), true))
        .collect();
    rows.extend((0..2).map(|_| row(MetricKind::DurationDays, Some(10.0), false)));
    assert!(validate::report(rows.clone(), Threshold::default()).pass);
    // One more out of band: 7 of 10.
    rows[0] = row(MetricKind::DistanceKm, Some(50.0), false);
    let r = validate::report(rows.clone(), Threshold::default());
    assert!(!r.pass);
    assert!(
        r.failures[0].contains("within-band share 0.70"),
        "{:?}",
        r.failures
    );
    // Unrouted cases count as infinitely wrong in the median, never as a small error.
    let rows: Vec<CaseResult> = (0..3)
        .map(|i| row(MetricKind::DurationDays, (i == 0).then_some(1.0), i == 0))
        .collect();
    let r = validate::report(rows, Threshold::default());
    assert_eq!(
        r.summary["holdout"].by_metric["duration_days"].median_abs_error_pct,
        None
    );
    assert!(!r.pass);
}

#[test]
fn malformed_cases_files_say_which_file_and_case() {
    let p = scratch("bad_field.toml");
    let bad =
        GOOD.to_string() + &GOOD.replace("name = \"a\"", "name = \"b\"\navoid_countrie = [\"RU\"]");
    std::fs::write(&p, bad).unwrap();
    let e = load_cases(&p).unwrap_err().to_string();
    for want in ["bad_field.toml", "case #2 \"b\"", "avoid_countrie"] {
        assert!(e.contains(want), "{want} not in: {e}");
    }

    let p = scratch("bad_value.toml");
    std::fs::write(&p, GOOD.replace("published = 920.0", "published = -1")).unwrap();
    let e = load_cases(&p).unwrap_err().to_string();
    assert!(
        e.contains("case #1 \"a\"") && e.contains("published"),
        "{e}"
    );

    let p = scratch("bad_metric.toml");
    std::fs::write(&p, GOOD.replace("distance_km", "furlongs")).unwrap();
    let e = load_cases(&p).unwrap_err().to_string();
    assert!(e.contains("furlongs") && e.contains("distance_km"), "{e}");

    let p = scratch("not_toml.toml");
    std::fs::write(&p, "[[case]\nname = ").unwrap();
    let e = load_cases(&p).unwrap_err().to_string();
    assert!(e.contains("not_toml.toml") && e.contains("TOML"), "{e}");

    let e = load_cases(&scratch("missing.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("missing.toml") && e.contains("cannot read"),
        "{e}"
    );

    // The CLI exits 2 before loading the engine.
    let out = Command::new(env!("CARGO_BIN_EXE_caravan"))
        .args(["validate", "--cases"])
        .arg(scratch("bad_field.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("avoid_countrie"), "{stderr}");
}

#[test]
fn an_unroutable_case_is_reported_not_fatal() {
    let p = scratch("unknown_place.toml");
    let text = GOOD.to_string()
        + &GOOD
            .replace("name = \"a\"", "name = \"b\"")
            .replace("Kashgar", "Qwxzvillezz");
    std::fs::write(&p, text).unwrap();
    let cases = load_cases(&p).unwrap();
    let r = validate::run(common::engine(), &cases, &mut |_, _, _| {});
    let (ok, bad) = (&r.cases[0], &r.cases[1]);
    assert!(ok.caravan.is_some() && ok.error.is_none());
    assert_eq!(bad.caravan, None);
    assert!(!bad.within_band);
    assert!(
        bad.error.as_deref().unwrap_or("").contains("Qwxzvillezz"),
        "{:?}",
        bad.error
    );
    assert_eq!(r.summary["holdout"].all.routed, 1);
}

#[test]
fn a_main_mode_case_compares_the_best_routes_dominant_mode() {
    let p = scratch("main_mode.toml");
    let case = r#"
[[case]]
name = "modal choice"
set = "holdout"
origin = "Warsaw"
destination = "Berlin"
optimize = "balanced"
metric = "main_mode"
published = "road"
tolerance_pct = 0
why_band = "test"
source = "test"
"#;
    std::fs::write(&p, case).unwrap();
    let cases = load_cases(&p).unwrap_or_else(|e| panic!("{e}"));
    let r = validate::run_case(common::engine(), &cases[0]);
    assert_eq!(r.published_mode.as_deref(), Some("road"));
    assert!(r.caravan_mode.is_some(), "{r:?}");
    assert_eq!(r.within_band, r.caravan_mode.as_deref() == Some("road"));
    // A mode case needs a mode name, and a number case a number.
    std::fs::write(
        &p,
        case.replace("published = \"road\"", "published = \"boat\""),
    )
    .unwrap();
    let e = load_cases(&p).unwrap_err().to_string();
    assert!(e.contains("boat"), "{e}");
    std::fs::write(&p, case.replace("published = \"road\"", "published = 3.0")).unwrap();
    assert!(load_cases(&p).is_err());
}

/// CAREC publishes costs "per 500 km per 20 t"; a proxy lane of another length is scaled to
/// the same 500 km before it is compared.
#[test]
fn a_per_km_cost_case_is_scaled_to_the_published_distance() {
    let p = scratch("per_km.toml");
    let cost = GOOD
        .replace("distance_km", "cost_usd")
        .replace("published = 920.0", "published = 900.0")
        .replace("tolerance_pct = 12", "tolerance_pct = 40");
    let scaled = cost.replace("name = \"a\"", "name = \"b\"").replace(
        "metric = \"cost_usd\"",
        "metric = \"cost_usd\"\nper_km = 500",
    );
    let distance = GOOD.replace("name = \"a\"", "name = \"c\"");
    std::fs::write(&p, cost.clone() + &scaled + &distance).unwrap();
    let cases = load_cases(&p).unwrap_or_else(|e| panic!("{e}"));
    let r = validate::run(common::engine(), &cases, &mut |_, _, _| {});
    let (total, per_500, km) = (
        r.cases[0].caravan.unwrap(),
        r.cases[1].caravan.unwrap(),
        r.cases[2].caravan.unwrap(),
    );
    assert!(
        (per_500 - total * 500.0 / km).abs() <= 1.0,
        "USD {total} over {km} km → {per_500} per 500 km"
    );
    // Only a cost can be a rate per km.
    std::fs::write(
        &p,
        distance.replace(
            "metric = \"distance_km\"",
            "metric = \"distance_km\"\nper_km = 500",
        ),
    )
    .unwrap();
    let e = load_cases(&p).unwrap_err().to_string();
    assert!(e.contains("per_km"), "{e}");
}
