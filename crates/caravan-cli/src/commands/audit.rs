//! `caravan audit`: the network checks, against the reviewed and known-open lists.

use crate::args::ReportFormat;
use crate::console::{fail, print_json};
use crate::load::{data_dir, load_engine};
use anyhow::Result;
use caravan_network::{audit, NetworkError};
use std::process::ExitCode;

/// Exit code when `caravan audit` has new findings (neither reviewed nor known open) or
/// stale open entries.
const EXIT_AUDIT_UNREVIEWED: u8 = 5;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
    /// Findings listed per check (unreviewed first, then by cost)
    #[arg(long, default_value_t = 10)]
    top: usize,
    /// Run only these checks (comma-separated): gaps, phantom_borders,
    /// sea_connectivity, ports, coverage, straight_chords, domestic_rail
    #[arg(long, value_delimiter = ',')]
    check: Vec<String>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let only: Vec<&str> = if a.check.is_empty() {
        audit::CHECKS.to_vec()
    } else {
        a.check.iter().map(|c| c.trim()).collect()
    };
    if let Some(bad) = only.iter().find(|c| !audit::CHECKS.contains(c)) {
        return fail(
            format!(
                "unknown audit check '{bad}' (one of {})",
                audit::CHECKS.join(", ")
            ),
            2,
        );
    }
    let engine = load_engine(&[])?;
    let dir = data_dir()?;
    let report = match audit::run_checks(&engine.net, &dir, a.top, &only) {
        Ok(r) => r,
        Err(e @ NetworkError::Toml { .. }) | Err(e @ NetworkError::Format { .. }) => {
            return fail(format!("bad reviewed list: {e}"), 2);
        }
        Err(e) => return Err(e.into()),
    };
    match a.format {
        ReportFormat::Json => print_json(&serde_json::to_value(&report)?)?,
        ReportFormat::Table => out!("{}", caravan_app::output::audit_table(&report))?,
    }
    let (new, known, stale) = (
        report.new_findings(),
        report.unreviewed() - report.new_findings(),
        report.stale_open.len(),
    );
    if known > 0 {
        eprintln!("caravan: {known} known open defect(s) (data/audit/open.toml)");
    }
    if new == 0 && stale == 0 {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "caravan: {new} new audit finding(s) (neither reviewed nor known open), {stale} stale open entr{}",
            if stale == 1 { "y" } else { "ies" }
        );
        Ok(ExitCode::from(EXIT_AUDIT_UNREVIEWED))
    }
}
