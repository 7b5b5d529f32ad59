//! `caravan groups`: country groups and their shares of Eurasia's land and the world's
//! people.

use crate::args::ReportFormat;
use crate::console::{fail, print_json};
use crate::load::data_dir;
use anyhow::Result;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// One group (default: all)
    name: Option<String>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let (name, format) = (a.name.as_deref(), a.format);
    let data = data_dir()?;
    let groups = match caravan_app::groups::groups(&data, name) {
        Ok(g) => g,
        Err(e @ caravan_app::groups::GroupError::Unknown(..)) => return fail(e, 2),
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
