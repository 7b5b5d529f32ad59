//! Formats: a readable table, JSON and GeoJSON. All three come from the same [`Plan`].
//! Validation reports render as an aligned table or as Markdown (for the README).

use crate::plan::Plan;
use crate::validate::{self, MetricKind, Stats};
use caravan_network::NetworkReport;
use serde_json::{json, Value};
use std::fmt::Write;

pub fn plan_json(plan: &Plan) -> Value {
    serde_json::to_value(plan).expect("plan serialises")
}

/// A baseline-against-scenario comparison: both routes (null when there is none, with the
/// reason), the deltas, what changed and the one-sentence summary.
pub fn comparison_json(c: &crate::compare::Comparison) -> Result<Value, serde_json::Error> {
    let route = |r: &Option<crate::plan::PlannedRoute>| match r {
        Some(r) => serde_json::to_value(r),
        None => Ok(Value::Null),
    };
    Ok(json!({
        "origin": c.origin,
        "destination": c.destination,
        "scenarios": c.scenarios,
        "baseline": route(&c.baseline)?,
        "scenario": route(&c.scenario)?,
        "baseline_reason": c.baseline_reason,
        "scenario_reason": c.scenario_reason,
        "delta": c.delta,
        "changes": c.changes,
        "summary": c.summary,
    }))
}

/// The scenario catalog: each scenario's names, what it changes and its sources.
pub fn scenarios_json(list: &[caravan_metric::Scenario]) -> Value {
    let v: Vec<Value> = list
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "aliases": s.aliases,
                "description": s.description,
                "changes": s.changes(),
                "sources": s.sources,
                "file": s.origin,
            })
        })
        .collect();
    json!({ "scenarios": v })
}

/// A line as GeoJSON positions, cut where it crosses ±180° (RFC 7946 §3.1.9): a segment
/// whose longitudes differ by more than 180° goes the short way round, so it ends at the
/// antimeridian on one side and the next part starts on the other, at the latitude where
/// the great circle (approximated linearly in longitude) meets it.
pub fn split_at_antimeridian(line: &[(f64, f64)]) -> Vec<Vec<[f64; 2]>> {
    let mut parts: Vec<Vec<[f64; 2]>> = vec![Vec::new()];
    for (k, &(lat, lon)) in line.iter().enumerate() {
        if k > 0 {
            let (plat, plon) = line[k - 1];
            if (lon - plon).abs() > 180.0 {
                // Unwrap the new point next to the old one, then cut at the meridian crossed.
                let edge = if plon > 0.0 { 180.0 } else { -180.0 };
                let unwrapped = if plon > 0.0 { lon + 360.0 } else { lon - 360.0 };
                let f = (edge - plon) / (unwrapped - plon);
                let cut = plat + f * (lat - plat);
                parts.last_mut().expect("a part").push([edge, round6(cut)]);
                parts.push(vec![[-edge, round6(cut)]]);
            }
        }
        parts
            .last_mut()
            .expect("a part")
            .push([round6(lon), round6(lat)]);
    }
    parts
}

pub fn plan_geojson(plan: &Plan) -> Value {
    let mut features = Vec::new();
    for (i, r) in plan.routes.iter().enumerate() {
        for (j, leg) in r.route.legs.iter().enumerate() {
            let parts = split_at_antimeridian(&leg.geometry);
            let geometry = match parts.as_slice() {
                [one] => json!({"type": "LineString", "coordinates": one}),
                _ => json!({"type": "MultiLineString", "coordinates": parts}),
            };
            features.push(json!({
                "type": "Feature",
                "geometry": geometry,
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
                    e.kind.as_str(),
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
        let rest: f64 = r.route.legs.iter().filter_map(|l| l.rest_h).sum();
        if rest > 0.0 {
            let _ = writeln!(
                s,
                "  drivers' breaks and rests on road legs: {rest:.1} h (in the hours above)"
            );
        }
        let g = &r.route.generalized_cost;
        let _ = writeln!(
            s,
            "  generalized cost: USD {:.0} = freight {:.0} + goods' time {:.0} (USD {:.0} of goods at USD {:.2}/h) + carbon {:.0}",
            r.route.generalized_cost_usd,
            g.money_usd,
            g.time_usd,
            g.cargo_value_usd,
            g.value_of_time_usd_per_h,
            g.carbon_usd
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

/// A validation figure in the unit of its metric (days with decimals, km and USD whole).
/// A case's figures as printed: the modes of a `main_mode` case, else the number.
fn shown_caravan(c: &validate::CaseResult) -> Option<String> {
    c.caravan_mode
        .clone()
        .or(c.caravan.map(|v| figure(v, c.metric)))
}

fn shown_published(c: &validate::CaseResult) -> String {
    c.published_mode
        .clone()
        .unwrap_or_else(|| figure(c.published, c.metric))
}

fn figure(v: f64, k: MetricKind) -> String {
    match k {
        MetricKind::DurationDays => format!("{v:.2}"),
        _ => format!("{v:.0}"),
    }
}

fn stats_line(name: &str, st: &Stats) -> String {
    format!(
        "{name}: {}/{} within band ({:.0}%), median |error| {}",
        st.within_band,
        st.cases,
        st.within_band_share * 100.0,
        st.median_abs_error_pct
            .map_or("n/a".into(), |m| format!("{m:.1}%"))
    )
}

fn summary_lines(r: &validate::Report) -> Vec<String> {
    let mut out = Vec::new();
    for (set, s) in &r.summary {
        out.push(stats_line(set, &s.all));
        for (k, st) in &s.by_metric {
            out.push(format!("  {}", stats_line(k, st)));
        }
    }
    out
}

/// One aligned row per case, then the per-set summary and the verdict.
pub fn validation_table(r: &validate::Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<12} {:<58} {:<14} {:>9} {:>9} {:>8} {:>5} band",
        "set", "case", "metric", "caravan", "published", "error%", "±%"
    );
    for c in &r.cases {
        let _ = writeln!(
            s,
            "{:<12} {:<58} {:<14} {:>9} {:>9} {:>8} {:>5.0} {}",
            c.set.as_str(),
            clip(&c.name, 58),
            c.metric.as_str(),
            shown_caravan(c).unwrap_or("-".into()),
            shown_published(c),
            c.error_pct.map_or("-".into(), |e| format!("{e:+.1}")),
            c.tolerance_pct,
            if c.within_band { "yes" } else { "NO" }
        );
        if let Some(e) = &c.error {
            let _ = writeln!(s, "{:<12} error: {e}", "");
        }
    }
    let _ = writeln!(s);
    for l in summary_lines(r) {
        let _ = writeln!(s, "{l}");
    }
    let _ = writeln!(s, "{}", verdict(r));
    s
}

/// The verdict line: which threshold, and whether it was met.
pub fn verdict(r: &validate::Report) -> String {
    let t = &r.threshold;
    let medians: Vec<String> = t
        .median_abs_error_pct_max
        .iter()
        .map(|(k, m)| format!("median |error| ≤ {m}% for {k}"))
        .collect();
    let rule = format!(
        "{} within band ≥ {:.0}%, {}",
        t.set.as_str(),
        t.within_band_share_min * 100.0,
        medians.join(", ")
    );
    if !r.checked {
        format!(
            "threshold not checked ({} cases not run): {rule}",
            t.set.as_str()
        )
    } else if r.pass {
        format!("PASS: {rule}")
    } else {
        format!("FAIL: {rule}; missed: {}", r.failures.join("; "))
    }
}

/// The same report as Markdown tables, for the README's Validation section.
pub fn validation_markdown(r: &validate::Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "| set | within band | median \\|error\\| | duration_days | distance_km | cost_usd |"
    );
    let _ = writeln!(s, "|---|---|---|---|---|---|");
    for (set, sum) in &r.summary {
        let cell = |st: Option<&Stats>| {
            st.map_or("–".into(), |st| {
                format!(
                    "{}/{}, median {}",
                    st.within_band,
                    st.cases,
                    st.median_abs_error_pct
                        .map_or("n/a".into(), |m| format!("{m:.1}%"))
                )
            })
        };
        let _ = writeln!(
            s,
            "| {set} | {}/{} ({:.0}%) | {} | {} | {} | {} |",
            sum.all.within_band,
            sum.all.cases,
            sum.all.within_band_share * 100.0,
            sum.all
                .median_abs_error_pct
                .map_or("n/a".into(), |m| format!("{m:.1}%")),
            cell(sum.by_metric.get("duration_days")),
            cell(sum.by_metric.get("distance_km")),
            cell(sum.by_metric.get("cost_usd")),
        );
    }
    let _ = writeln!(s, "\n{}\n", verdict(r));
    let _ = writeln!(
        s,
        "| set | case | metric | caravan | published | error % | band ±% | within |"
    );
    let _ = writeln!(s, "|---|---|---|---:|---:|---:|---:|---|");
    for c in &r.cases {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {:.0} | {} |",
            c.set.as_str(),
            c.name.replace('|', "\\|"),
            c.metric.as_str(),
            shown_caravan(c).unwrap_or("–".into()),
            shown_published(c),
            c.error_pct.map_or("–".into(), |e| format!("{e:+.1}")),
            c.tolerance_pct,
            if c.within_band { "yes" } else { "**no**" }
        );
    }
    s
}

/// `caravan audit` as text: one block per check, its worst findings indented below.
pub fn audit_table(r: &caravan_network::audit::AuditReport) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<18} {:>9} {:>11} {:>11} {:>5}",
        "check", "findings", "unreviewed", "known open", "new"
    );
    for (name, c) in &r.checks {
        let _ = writeln!(
            out,
            "{name:<18} {:>9} {:>11} {:>11} {:>5}",
            c.findings,
            c.unreviewed,
            c.known_open,
            c.unreviewed - c.known_open
        );
    }
    for e in &r.stale_open {
        let _ = writeln!(
            out,
            "stale open entry (no such finding any more; remove it from data/audit/open.toml): {} {} {},{}: {}",
            e.check, e.layer, e.lat, e.lon, e.what
        );
    }
    for (name, c) in &r.checks {
        let _ = writeln!(out, "\n{name}: {}", c.rule);
        for f in &c.worst {
            let cost = match f.pairs_lengthened {
                Some(p) => format!("; lengthens {p} routes"),
                None => String::new(),
            };
            let status = match &f.reviewed {
                Some(why) => format!("reviewed: {why}"),
                None if f.known_open => "open (known defect, data/audit/open.toml)".to_string(),
                None => "NEW: mend it, or review it if it is real".to_string(),
            };
            let _ = writeln!(
                out,
                "  {:>8.4},{:<9.4} {} [{}] {}{cost}; {} people within 50 km\n      {status}",
                f.lat, f.lon, f.near, f.layer, f.what, f.population_served
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lines_are_cut_at_the_antimeridian() {
        let parts = super::split_at_antimeridian(&[(35.0, 170.0), (34.0, -170.0), (33.0, -160.0)]);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], vec![[170.0, 35.0], [180.0, 34.5]]);
        assert_eq!(
            parts[1],
            vec![[-180.0, 34.5], [-170.0, 34.0], [-160.0, 33.0]]
        );
        let one = super::split_at_antimeridian(&[(0.0, 10.0), (1.0, 20.0)]);
        assert_eq!(one.len(), 1);
    }
}
