//! `caravan route`: freight options between two places.

use crate::args::{Format, ProfileArgs};
use crate::console::print_json;
use crate::load::load_engine;
use anyhow::Result;
use caravan_app::{output, Request};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Origin, e.g. Kashgar, "Xi'an", CNSHA, FRA or 39.47,75.99
    from: String,
    /// Destination
    to: String,
    #[command(flatten)]
    profile: ProfileArgs,
    /// Up to N meaningfully different options (other corridors or main modes), best first.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=10))]
    alternatives: u16,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let engine = load_engine(&a.profile.scenarios)?;
    let req = Request {
        origin: a.from,
        destination: a.to,
        profile: a.profile.spec(),
        alternatives: a.alternatives as usize,
        geometry: a.format == Format::Geojson,
    };
    match engine.plan(&req) {
        Ok(plan) => {
            match a.format {
                Format::Table => out!("{}", output::plan_table(&plan))?,
                Format::Json => print_json(&output::plan_json(&plan))?,
                Format::Geojson => print_json(&output::plan_geojson(&plan))?,
            }
            for p in [&plan.origin, &plan.destination] {
                if let (Some(n), true) = (&p.note, a.format != Format::Table) {
                    eprintln!("note: {n}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => crate::console::fail(&e, e.exit_code()),
    }
}
