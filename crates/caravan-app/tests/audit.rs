//! The network audit on the embedded network: every finding is mended or reviewed, and the
//! checks find what they exist to find when a known line is cut again.

mod common;
use caravan_network::{audit, ArcKind, Mode, NONE};
use common::engine;

/// Every finding is mended, reviewed (a real fact, with its source) or a known open defect
/// listed in data/audit/open.toml; no check has an unreviewed finding at all (the
/// domestic_rail check's 27 known open ones were mended or reviewed in 2026-12, so the list
/// is empty), and an open entry whose defect was mended fails too (it must leave the list).
#[test]
fn the_embedded_network_has_no_unreviewed_finding() {
    let e = engine();
    let dir = caravan_network::data_dir().unwrap();
    let report = audit::run(&e.net, &dir, 100_000).expect("audit runs");
    for name in audit::CHECKS {
        assert!(report.checks.contains_key(name), "check {name} missing");
    }
    let new: Vec<String> = report
        .checks
        .iter()
        .flat_map(|(name, c)| {
            c.worst
                .iter()
                .filter(|f| f.reviewed.is_none() && !f.known_open)
                .map(move |f| format!("{name}: {} at {},{} ({})", f.what, f.lat, f.lon, f.near))
        })
        .collect();
    assert!(
        new.is_empty(),
        "new findings (mend them, or record them in data/audit/reviewed.toml if real):\n{}",
        new.join("\n")
    );
    assert_eq!(report.new_findings(), 0);
    for (name, c) in &report.checks {
        assert_eq!(c.unreviewed, 0, "check {name} has unreviewed findings");
    }
    let stale: Vec<String> = report
        .stale_open
        .iter()
        .map(|e| format!("{} {} {},{}: {}", e.check, e.layer, e.lat, e.lon, e.what))
        .collect();
    assert!(
        stale.is_empty(),
        "open entries with no finding (mended? remove them from data/audit/open.toml):\n{}",
        stale.join("\n")
    );
}

/// Cutting the Trans-Mongolian at the Sükhbaatar–Naushki crossing again must show up as an
/// unreviewed gap there: the check is not blind to the defect class it was built for.
#[test]
fn a_cut_border_crossing_is_found_as_a_gap() {
    let e = engine();
    let mut net = e.net.clone();
    let planned = net
        .links
        .iter()
        .position(|l| l.scenario.is_some())
        .expect("a planned link to borrow") as u32;
    let mut cut = 0;
    for a in &mut net.arcs {
        let (f, t) = (&e.net.nodes[a.from as usize], &e.net.nodes[a.to as usize]);
        if a.kind == ArcKind::Line
            && a.mode == Mode::Rail
            && f.country != t.country
            && (f.lat - 50.3).abs() < 0.3
            && (f.lon - 106.15).abs() < 0.3
        {
            a.link = planned; // closed, as a planned link is
            cut += 1;
        }
    }
    assert!(cut > 0, "no MN–RU rail arc near Naushki to cut");
    let dir = caravan_network::data_dir().unwrap();
    let report = audit::run_checks(&net, &dir, 1000, &["gaps"]).expect("audit runs");
    let gaps = &report.checks["gaps"];
    assert!(
        gaps.worst.iter().any(|f| f.reviewed.is_none()
            && f.layer == "rail"
            && (f.lat - 50.0).abs() < 0.6
            && (f.lon - 106.15).abs() < 0.6),
        "the cut at Naushki is not among {} gap findings",
        gaps.findings
    );
}

/// A sea leg starts only at a seaport: every port the maritime layer is joined to lies on
/// the coast or by a lane.
#[test]
fn every_attached_port_is_a_seaport() {
    let net = &engine().net;
    let attached: Vec<_> = net.ports.iter().filter(|p| p.sea_node != NONE).collect();
    assert!(attached.len() > 1000, "{} ports attached", attached.len());
    for p in attached {
        assert!(
            p.lane_km <= 25.0 || p.coast_km <= 10.0,
            "{} {} attached at {} km from a lane, {} km from the coast",
            p.locode,
            p.name,
            p.lane_km,
            p.coast_km
        );
    }
    let linyi = net
        .ports
        .iter()
        .find(|p| p.locode == "CNLYI")
        .expect("CNLYI");
    assert_eq!(linyi.sea_node, NONE, "Linyi (100 km inland) is no seaport");
}
