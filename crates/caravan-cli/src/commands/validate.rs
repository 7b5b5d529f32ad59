//! `caravan validate`: caravan's answers against published corridor figures.

use crate::console::{bar, fail, print_json};
use crate::load::{data_dir, load_engine};
use anyhow::Result;
use caravan_app::{output, validate};
use clap::ValueEnum;
use std::process::ExitCode;

/// Exit code when the holdout set misses the validation threshold.
const EXIT_BELOW_THRESHOLD: u8 = 4;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ValidateFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum SetArg {
    Calibration,
    Holdout,
}

#[derive(clap::Args)]
pub struct Args {
    /// Cases file [default: data/validation/cases.toml]
    #[arg(long)]
    cases: Option<std::path::PathBuf>,
    /// Output: an aligned table, JSON, or Markdown tables (the README's Validation section)
    #[arg(long, value_enum, default_value_t = ValidateFormat::Table)]
    format: ValidateFormat,
    /// Run only one set of cases
    #[arg(long, value_enum)]
    set: Option<SetArg>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let path = match a.cases {
        Some(p) => p,
        None => data_dir()?.join("validation/cases.toml"),
    };
    // Check the file before the engine loads, so a typo fails in milliseconds.
    let mut cases = match validate::load_cases(&path) {
        Ok(c) => c,
        Err(e) => return fail(format!("bad cases file: {e}"), 2),
    };
    if let Some(s) = a.set {
        let want = match s {
            SetArg::Calibration => validate::Set::Calibration,
            SetArg::Holdout => validate::Set::Holdout,
        };
        cases.retain(|c| c.set == want);
    }
    let engine = load_engine(&[])?;
    if let Err(e) = validate::check_places(&engine, &path, &cases) {
        return fail(format!("bad cases file: {e}"), 2);
    }
    let bar = bar(cases.len() as u64, 1, "{bar:40} {pos}/{len} {msg}");
    let report = validate::run(&engine, &cases, &mut |i, _, name| {
        bar.set_position(i as u64);
        bar.set_message(name.to_string());
    });
    bar.finish_and_clear();
    match a.format {
        ValidateFormat::Table => out!("{}", output::validation_table(&report))?,
        ValidateFormat::Json => print_json(&serde_json::to_value(&report)?)?,
        ValidateFormat::Markdown => out!("{}", output::validation_markdown(&report))?,
    }
    if report.pass {
        if !report.checked {
            eprintln!("caravan: {}", output::verdict(&report));
        }
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "caravan: validation below threshold: {}",
            report.failures.join("; ")
        );
        Ok(ExitCode::from(EXIT_BELOW_THRESHOLD))
    }
}
