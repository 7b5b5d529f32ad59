//! `caravan criticality`: chokepoints ranked by what closing each alone costs a lane set.

use crate::args::{ProfileArgs, TableFormat};
use crate::commands::bar;
use crate::console::{fail, print_json};
use crate::load::load_engine;
use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Lane file: from,to[,weight] per line
    #[arg(long)]
    od: std::path::PathBuf,
    #[command(flatten)]
    profile: ProfileArgs,
    /// Chokepoints listed
    #[arg(long, default_value_t = 20)]
    top: usize,
    /// Re-route every lane for every closure (slow; a check of the exact method)
    #[arg(long)]
    brute_force: bool,
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    format: TableFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let Args {
        od,
        profile,
        top,
        brute_force,
        format,
    } = a;
    let spec = profile.spec();
    let engine = load_engine(&spec.scenarios)?;
    let lanes = match caravan_app::lanes::read_od(&engine, &od) {
        Ok(l) => l,
        Err(e) => return fail(&e, e.exit_code()),
    };
    let b = bar(0, "chokepoints");
    let opts = caravan_app::criticality::Options {
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
