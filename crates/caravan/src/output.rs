//! Formats: a readable table, JSON and GeoJSON. All three come from the same [`Plan`].

use crate::plan::Plan;
use caravan_network::NetworkReport;
use serde_json::{json, Value};
use std::fmt::Write;

pub fn plan_json(plan: &Plan) -> Value {
    serde_json::to_value(plan).expect("plan serialises")
}

pub fn plan_geojson(plan: &Plan) -> Value {
    let mut features = Vec::new();
    for (i, r) in plan.routes.iter().enumerate() {
        for (j, leg) in r.route.legs.iter().enumerate() {
            let coords: Vec<[f64; 2]> = leg
                .geometry
                .iter()
                .map(|&(lat, lon)| [round6(lon), round6(lat)])
                .collect();
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {
                    "route": i, "leg": j, "mode": leg.mode, "from": leg.from, "to": leg.to,
                    "distance_km": leg.distance_km, "duration_h": leg.duration_h,
                    "cost_usd": leg.cost_usd, "co2_kg": leg.co2_kg, "countries": leg.countries,
                    "access": leg.access, "summary": r.route.summary,
                }
            }));
        }
        for e in &r.route.events {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round6(e.lon), round6(e.lat)]},
                "properties": {
                    "route": i, "kind": e.kind, "place": e.place, "detail": e.detail,
                    "duration_h": e.duration_h, "cost_usd": e.cost_usd,
                }
            }));
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

pub fn plan_table(plan: &Plan) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{} → {}", plan.origin, plan.destination);
    for p in [&plan.origin, &plan.destination] {
        if let Some(n) = &p.note {
            let _ = writeln!(s, "note: {n}");
        }
    }
    for (i, r) in plan.routes.iter().enumerate() {
        let t = &r.route.totals;
        let _ = writeln!(s, "\nOption {}: {}", i + 1, r.route.summary);
        let _ = writeln!(s, "  countries: {}", r.route.countries.join(" → "));
        let _ = writeln!(
            s,
            "  {:<9} {:<24} {:<24} {:>8} {:>8} {:>7} {:>8} {:>9}",
            "mode", "from", "to", "km", "hours", "days", "USD", "kg CO2e"
        );
        for l in &r.route.legs {
            let _ = writeln!(
                s,
                "  {:<9} {:<24} {:<24} {:>8.0} {:>8.1} {:>7.2} {:>8.0} {:>9.1}",
                if l.access {
                    format!("{} *", l.mode)
                } else {
                    l.mode.to_string()
                },
                clip(&l.from, 24),
                clip(&l.to, 24),
                l.distance_km,
                l.duration_h,
                l.duration_h / 24.0,
                l.cost_usd,
                l.co2_kg
            );
        }
        if !r.route.events.is_empty() {
            let _ = writeln!(s, "  events:");
            for e in &r.route.events {
                let _ = writeln!(
                    s,
                    "    {:<14} {:<40} {:<14} {:>6.1} h {:>7.0} USD",
                    format!("{:?}", e.kind).to_lowercase(),
                    clip(&e.place, 40),
                    e.detail,
                    e.duration_h,
                    e.cost_usd
                );
            }
        }
        let _ = writeln!(
            s,
            "  total: {:.0} km, {:.1} h ({:.1} days), USD {:.0}, {:.0} kg CO2e",
            t.distance_km, t.duration_h, t.duration_days, t.cost_usd, t.co2_kg
        );
        if r.origin_snap_km > 0.0 || r.destination_snap_km > 0.0 {
            let _ = writeln!(
                s,
                "  (no road access: origin snapped {:.1} km, destination {:.1} km to the network)",
                r.origin_snap_km, r.destination_snap_km
            );
        }
    }
    if plan
        .routes
        .iter()
        .any(|r| r.route.legs.iter().any(|l| l.access))
    {
        let _ = writeln!(
            s,
            "\n* first/last-mile road drayage between the place and the network"
        );
    }
    s
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}

pub fn report_table(r: &NetworkReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<10} {:>10} {:>10} {:>12}",
        "mode", "nodes", "arcs", "km"
    );
    for (m, l) in &r.modes {
        let _ = writeln!(s, "{:<10} {:>10} {:>10} {:>12.0}", m, l.nodes, l.arcs, l.km);
    }
    let _ = writeln!(s, "transfers (arcs at terminals): {}", r.transfers);
    let _ = writeln!(
        s,
        "components: {} before repair, {} after; largest holds {:.1}% of nodes",
        r.components.before_repair,
        r.components.after_repair,
        r.components.largest_share * 100.0
    );
    for (m, km) in &r.source_km {
        let have = r.modes.get(m).map(|l| l.km).unwrap_or(0.0);
        let _ = writeln!(
            s,
            "{m}: {:.0} km in source, {:.1}% kept",
            km,
            have / km.max(1.0) * 100.0
        );
    }
    let _ = writeln!(s, "countries: {}   places: {}", r.countries, r.places);
    s
}
