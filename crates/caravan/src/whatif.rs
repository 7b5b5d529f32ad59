//! CLI commands of the "what if" family: scenarios, compare, criticality, groups. The
//! work is in the library (caravan::compare, caravan::criticality, caravan::groups); this
//! module parses, prints and picks exit codes.

use super::{data_dir, load_engine, print_json, ProfileArgs, ReportFormat, TableFormat};
use anyhow::Result;
use caravan::compare::Comparison;
use caravan::{Engine, Request};
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

fn fail(e: impl std::fmt::Display, code: i32) -> Result<ExitCode> {
    eprintln!("caravan: {e}");
    Ok(ExitCode::from(code as u8))
}

fn bar(total: u64, what: &str) -> indicatif::ProgressBar {
    let b = if std::io::stderr().is_terminal() && total >= 20 {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    b.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, eta {{eta}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    b
}

pub fn scenarios(format: ReportFormat) -> Result<ExitCode> {
    let engine = load_engine(&[])?;
    let list = match engine.scenario_catalog() {
        Ok(l) => l,
        Err(e) => return fail(e, 2),
    };
    match format {
        ReportFormat::Json => {
            let v: Vec<serde_json::Value> = list
                .iter()
                .map(|s| {
                    serde_json::json!({
                        "name": s.name,
                        "aliases": s.aliases,
                        "description": s.description,
                        "changes": s.changes(),
                        "sources": s.sources,
                        "file": s.origin,
                    })
                })
                .collect();
            print_json(&serde_json::json!({ "scenarios": v }))?;
        }
        ReportFormat::Table => {
            for s in &list {
                let alias = if s.aliases.is_empty() {
                    String::new()
                } else {
                    format!(" (also: {})", s.aliases.join(", "))
                };
                outln!("{}{alias}\n  {}", s.name, s.description)?;
                for c in s.changes() {
                    outln!("  - {c}")?;
                }
                outln!()?;
            }
            outln!("Use: caravan compare FROM TO --scenario NAME, or --scenario path/to/own.toml")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn figures(r: &caravan::plan::PlannedRoute) -> [String; 5] {
    let t = &r.route.totals;
    [
        format!("{:.0} km", t.distance_km),
        format!("{:.1} days", t.duration_h / 24.0),
        format!("USD {:.0}", t.cost_usd),
        format!("{:.0} kg", t.co2_kg),
        format!("USD {:.0}", r.route.generalized_cost_usd),
    ]
}

fn comparison_table(engine: &Engine, c: &Comparison) -> String {
    let mut out = format!(
        "{} → {}   scenario: {}\n\n",
        c.origin,
        c.destination,
        c.scenarios.join(" + ")
    );
    let side = |r: &Option<caravan::plan::PlannedRoute>, why: &Option<String>| -> Vec<String> {
        match r {
            Some(r) => {
                let f = figures(r);
                vec![
                    r.route.summary.clone(),
                    f[0].clone(),
                    f[1].clone(),
                    f[2].clone(),
                    f[3].clone(),
                    f[4].clone(),
                    r.main_modes.join("+"),
                    r.route.countries.join("→"),
                    caravan::compare::corridor(engine, r).join("; "),
                ]
            }
            None => {
                let mut v = vec![format!("no route: {}", why.clone().unwrap_or_default())];
                v.resize(9, "-".into());
                v
            }
        }
    };
    let (b, s) = (
        side(&c.baseline, &c.baseline_reason),
        side(&c.scenario, &c.scenario_reason),
    );
    let rows = [
        "route",
        "distance",
        "duration",
        "cost",
        "CO2e",
        "generalized cost",
        "main modes",
        "countries",
        "corridor",
    ];
    out.push_str(&format!("{:<18} {:<44} {}\n", "", "baseline", "scenario"));
    for (i, name) in rows.iter().enumerate() {
        if i == 0 {
            out.push_str(&format!("{name:<18} {}\n{:<18} {}\n", b[0], "", s[0]));
            continue;
        }
        out.push_str(&format!("{name:<18} {:<44} {}\n", b[i], s[i]));
    }
    out.push('\n');
    if let Some(d) = &c.delta {
        out.push_str(&format!(
            "delta: {} ; generalized cost {}USD {:.0}\n",
            caravan::compare::signed_figures(d),
            if d.generalized_cost_usd < 0.0 {
                "−"
            } else {
                "+"
            },
            d.generalized_cost_usd.abs()
        ));
    }
    for ch in &c.changes {
        out.push_str(&format!("  {}: {}\n", ch.kind, ch.detail));
    }
    out.push_str(&format!("\n{}\n", c.summary));
    out
}

pub fn compare(
    from: Option<String>,
    to: Option<String>,
    profile: &ProfileArgs,
    od: Option<PathBuf>,
    out: Option<PathBuf>,
    format: ReportFormat,
) -> Result<ExitCode> {
    let spec = profile.spec();
    if spec.scenarios.is_empty() {
        return fail(
            "compare needs --scenario NAME (list them with: caravan scenarios)",
            2,
        );
    }
    match (&from, &to, &od) {
        (Some(_), Some(_), None) => {}
        (None, None, Some(_)) => {}
        _ => return fail("give FROM TO, or --od FILE (not both)", 2),
    }
    if let Some(od) = od {
        let Some(out) = out else {
            return fail("--od needs --out FILE.csv or FILE.parquet", 2);
        };
        if caravan::matrix::OutFormat::from_path(&out).is_none() {
            return fail(
                format!("--out {}: use a .csv or .parquet file name", out.display()),
                2,
            );
        }
        if super::same_file(&od, &out) {
            return fail("--out must not be the --od input file", 2);
        }
        caravan::tempfiles::prepare_output(&out);
        let engine = load_engine(&spec.scenarios)?;
        for s in &spec.scenarios {
            if let Err(e) = engine.find_scenario(s) {
                return fail(e, 2);
            }
        }
        let lanes = match caravan::lanes::read_od(&engine, &od) {
            Ok(l) => l,
            Err(e) => return fail(&e, e.exit_code()),
        };
        let b = bar(2 * lanes.len() as u64, "lanes");
        let (rows, sum) = match engine.compare_lanes(&lanes, &spec, &|n| b.set_position(n)) {
            Ok(r) => r,
            Err(e) => {
                b.finish_and_clear();
                return fail(&e, e.exit_code());
            }
        };
        b.finish_and_clear();
        if let Err(e) = caravan::matrix::write_records(&rows, &out) {
            return fail(format!("writing {}: {e}", out.display()), 2);
        }
        match format {
            ReportFormat::Json => print_json(&serde_json::to_value(&sum)?)?,
            ReportFormat::Table => {}
        }
        eprintln!(
            "caravan: wrote {} ({} lanes: {} better, {} worse, {} unchanged, {} disconnected, {} connected, {} without a route either way); weighted Δ generalized cost USD {:.0}, Δ duration {:.0} h, Δ cost USD {:.0}, Δ CO2e {:.0} kg over weight {:.0}",
            out.display(),
            sum.lanes,
            sum.better,
            sum.worse,
            sum.unchanged,
            sum.disconnected,
            sum.connected,
            sum.unroutable,
            sum.weighted_delta_generalized_cost_usd,
            sum.weighted_delta_duration_h,
            sum.weighted_delta_cost_usd,
            sum.weighted_delta_co2_kg,
            sum.weight
        );
        return Ok(ExitCode::SUCCESS);
    }
    let engine = load_engine(&spec.scenarios)?;
    let req = Request {
        origin: from.unwrap_or_default(),
        destination: to.unwrap_or_default(),
        profile: spec,
        alternatives: 1,
        geometry: false,
    };
    let c = match engine.compare(&req) {
        Ok(c) => c,
        Err(e) => return fail(&e, e.exit_code()),
    };
    match format {
        ReportFormat::Json => {
            let route = |r: &Option<caravan::plan::PlannedRoute>| match r {
                Some(r) => serde_json::to_value(r),
                None => Ok(serde_json::Value::Null),
            };
            print_json(&serde_json::json!({
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
            }))?;
        }
        ReportFormat::Table => out!("{}", comparison_table(&engine, &c))?,
    }
    if c.baseline.is_none() && c.scenario.is_none() {
        eprintln!("caravan: no route with or without the scenario");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn criticality(
    od: &std::path::Path,
    profile: &ProfileArgs,
    top: usize,
    brute_force: bool,
    format: TableFormat,
) -> Result<ExitCode> {
    let spec = profile.spec();
    let engine = load_engine(&spec.scenarios)?;
    let lanes = match caravan::lanes::read_od(&engine, od) {
        Ok(l) => l,
        Err(e) => return fail(&e, e.exit_code()),
    };
    let b = bar(0, "chokepoints");
    let opts = caravan::criticality::Options {
        brute_force,
        only: None,
    };
    let started = std::time::Instant::now();
    let report = match engine.criticality(&lanes, &spec, &opts, &|n, total| {
        b.set_length(total);
        b.set_position(n)
    }) {
        Ok(r) => r,
        Err(e) => {
            b.finish_and_clear();
            return fail(&e, e.exit_code());
        }
    };
    b.finish_and_clear();
    let mut report = report;
    report.ranking.truncate(top);
    match format {
        TableFormat::Json => print_json(&serde_json::to_value(&report)?)?,
        TableFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "rank",
                "kind",
                "name",
                "lanes_using",
                "weight_using",
                "weighted_increase_usd",
                "disconnected_lanes",
                "disconnected_weight",
            ])?;
            for e in &report.ranking {
                w.write_record([
                    e.rank.to_string(),
                    e.kind.as_str().to_string(),
                    e.name.clone(),
                    e.lanes_using.to_string(),
                    e.weight_using.to_string(),
                    format!("{:.2}", e.weighted_increase_usd),
                    e.disconnected_lanes.to_string(),
                    e.disconnected_weight.to_string(),
                ])?;
            }
            out!("{}", String::from_utf8(w.into_inner()?)?)?;
        }
        TableFormat::Table => {
            outln!(
                "{} lanes ({} routed, weight {:.0}); {} of {} chokepoints used by some route\n",
                report.lanes,
                report.routed_lanes,
                report.weight,
                report.chokepoints_used,
                report.chokepoints
            )?;
            outln!(
                "{:>4}  {:<12} {:<44} {:>6} {:>16} {:>12}",
                "rank",
                "kind",
                "chokepoint",
                "lanes",
                "Σw·Δ USD",
                "disconnected"
            )?;
            for e in &report.ranking {
                let name: String = e.name.chars().take(44).collect();
                outln!(
                    "{:>4}  {:<12} {:<44} {:>6} {:>16.0} {:>12}",
                    e.rank,
                    e.kind.as_str(),
                    name,
                    e.lanes_using,
                    e.weighted_increase_usd,
                    format!("{} ({:.0})", e.disconnected_lanes, e.disconnected_weight)
                )?;
                if let Some(w) = e.worst_lanes.first() {
                    outln!(
                        "        most hurt: {} → {} ({})",
                        w.origin,
                        w.destination,
                        w.increase_usd
                            .map(|r| format!("+USD {r:.0} per unit"))
                            .unwrap_or_else(|| "disconnected".into())
                    )?;
                }
            }
        }
    }
    eprintln!(
        "caravan: {} chokepoints evaluated in {:.1} s",
        report.chokepoints_used,
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

pub fn groups(name: Option<&str>, format: ReportFormat) -> Result<ExitCode> {
    let data = data_dir()?;
    let groups = match caravan::groups::groups(&data, name) {
        Ok(g) => g,
        Err(e @ caravan::groups::GroupError::Unknown(..)) => return fail(e, 2),
        Err(e) => return fail(e, 1),
    };
    match format {
        ReportFormat::Json => {
            if name.is_some() {
                print_json(&serde_json::to_value(&groups[0])?)?
            } else {
                print_json(&serde_json::json!({ "groups": groups }))?
            }
        }
        ReportFormat::Table => {
            for g in &groups {
                outln!(
                    "{} — {}\n  members ({}): {}\n  {:.1}% of Eurasia's land area, {:.1}% of world population",
                    g.group,
                    g.name,
                    g.members.len(),
                    g.members
                        .iter()
                        .map(|m| m.code.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                    g.eurasia_area_share * 100.0,
                    g.world_population_share * 100.0
                )?;
            }
            outln!(
                "\nShares: {}",
                groups.first().map(|g| g.method.as_str()).unwrap_or("")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
