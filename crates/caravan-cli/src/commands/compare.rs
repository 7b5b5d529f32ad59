//! `caravan compare`: baseline against scenario, one lane side by side or many lanes to a
//! file.

use crate::args::{ProfileArgs, ReportFormat};
use crate::commands::bar;
use crate::console::{fail, print_json, same_file};
use crate::load::load_engine;
use anyhow::Result;
use caravan_app::compare::Comparison;
use caravan_app::{Engine, Request};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Origin (omit with --od)
    from: Option<String>,
    /// Destination (omit with --od)
    to: Option<String>,
    #[command(flatten)]
    profile: ProfileArgs,
    /// Lane file: from,to[,weight] per line
    #[arg(long)]
    od: Option<PathBuf>,
    /// Output for --od: .csv or .parquet (written atomically)
    #[arg(long)]
    out: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

fn figures(r: &caravan_app::plan::PlannedRoute) -> [String; 5] {
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
    let side = |r: &Option<caravan_app::plan::PlannedRoute>, why: &Option<String>| -> Vec<String> {
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
                    caravan_app::compare::corridor(engine, r).join("; "),
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
            caravan_app::compare::signed_figures(d),
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

pub fn run(a: Args) -> Result<ExitCode> {
    let Args {
        from,
        to,
        profile,
        od,
        out,
        format,
    } = a;
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
        if caravan_app::matrix::OutFormat::from_path(&out).is_none() {
            return fail(
                format!("--out {}: use a .csv or .parquet file name", out.display()),
                2,
            );
        }
        if same_file(&od, &out) {
            return fail("--out must not be the --od input file", 2);
        }
        caravan_app::tempfiles::prepare_output(&out);
        let engine = load_engine(&spec.scenarios)?;
        for s in &spec.scenarios {
            if let Err(e) = engine.find_scenario(s) {
                return fail(e, 2);
            }
        }
        let lanes = match caravan_app::lanes::read_od(&engine, &od) {
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
        if let Err(e) = caravan_app::matrix::write_records(&rows, &out) {
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
        ReportFormat::Json => print_json(&caravan_app::output::comparison_json(&c)?)?,
        ReportFormat::Table => out!("{}", comparison_table(&engine, &c))?,
    }
    if c.baseline.is_none() && c.scenario.is_none() {
        eprintln!("caravan: no route with or without the scenario");
        return Ok(ExitCode::from(3));
    }
    Ok(ExitCode::SUCCESS)
}
