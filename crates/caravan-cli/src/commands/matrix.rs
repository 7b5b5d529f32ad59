//! `caravan matrix`: every place in one file to every place in another, one profile.

use crate::args::ProfileArgs;
use crate::console::{bar, fail, same_file};
use crate::load::load_engine;
use anyhow::Result;
use caravan_app::matrix;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// File with one place per line (any form `route` accepts; # starts a comment)
    #[arg(long)]
    from: PathBuf,
    /// File with one place per line
    #[arg(long)]
    to: PathBuf,
    #[command(flatten)]
    profile: ProfileArgs,
    /// Output file: .csv or .parquet (written atomically)
    #[arg(long)]
    out: PathBuf,
}

pub fn run(a: Args) -> Result<ExitCode> {
    if matrix::OutFormat::from_path(&a.out).is_none() {
        return fail(
            format!(
                "--out {}: use a .csv or .parquet file name",
                a.out.display()
            ),
            2,
        );
    }
    if [&a.from, &a.to]
        .into_iter()
        .any(|input| same_file(input, &a.out))
    {
        return fail(
            format!(
                "--out {} is an input file; write the matrix elsewhere",
                a.out.display()
            ),
            2,
        );
    }
    caravan_app::tempfiles::prepare_output(&a.out);
    let engine = load_engine(&a.profile.scenarios)?;
    let (origins, destinations) = match (
        matrix::read_places(&engine, &a.from),
        matrix::read_places(&engine, &a.to),
    ) {
        (Ok(o), Ok(d)) => (o, d),
        (Err(e), _) | (_, Err(e)) => return fail(&e, e.exit_code()),
    };
    let total = (origins.len() * destinations.len()) as u64;
    let bar = bar(
        total,
        100,
        "{bar:40} {pos}/{len} pairs ({per_sec}, eta {eta})",
    );
    let spec = a.profile.spec();
    let cells = engine.matrix(&origins, &destinations, &spec, &|n| bar.set_position(n));
    bar.finish_and_clear();
    let cells = match cells {
        Ok(c) => c,
        Err(e) => return fail(&e, e.exit_code()),
    };
    if let Err(e) = matrix::write_cells(&cells, &a.out) {
        return fail(format!("writing {}: {e}", a.out.display()), 2);
    }
    let routed = cells.iter().filter(|c| c.reason.is_none()).count();
    eprintln!(
        "caravan: wrote {} ({} pairs, {} with a route)",
        a.out.display(),
        cells.len(),
        routed
    );
    Ok(ExitCode::SUCCESS)
}
