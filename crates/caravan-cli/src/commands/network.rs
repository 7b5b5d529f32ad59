//! `caravan network`: what the embedded network holds.

use crate::args::Format;
use crate::console::print_json;
use crate::load::load_engine;
use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let engine = load_engine(&[])?;
    let report = engine.net.report();
    match a.format {
        Format::Json | Format::Geojson => print_json(&serde_json::to_value(&report)?)?,
        Format::Table => out!("{}", caravan_app::output::report_table(&report))?,
    }
    Ok(ExitCode::SUCCESS)
}
