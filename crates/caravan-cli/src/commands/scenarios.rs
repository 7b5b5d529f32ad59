//! `caravan scenarios`: what each shipped scenario opens, closes and changes.

use crate::args::ReportFormat;
use crate::console::{fail, print_json};
use crate::load::load_engine;
use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let format = a.format;
    let engine = load_engine(&[])?;
    let list = match engine.scenario_catalog() {
        Ok(l) => l,
        Err(e) => return fail(e, 2),
    };
    match format {
        ReportFormat::Json => {
            print_json(&caravan_app::output::scenarios_json(&list))?;
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
