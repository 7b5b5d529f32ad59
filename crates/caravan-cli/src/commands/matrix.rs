//! `caravan matrix`: every place in one file to every place in another, under one profile
//! or each of a profiles file's, streamed to CSV or Parquet.

use crate::args::ProfileArgs;
use crate::console::{bar, fail, same_file};
use crate::load::load_engine;
use anyhow::Result;
use caravan_app::matrix::{self, Block, CellWriter, Method};

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
    /// Several profiles in one run: a TOML file of [[profile]] tables, each with a `name`
    /// (the output's `profile` column) and the profile options' names as keys, e.g.
    /// modes = ["rail"], optimize = "time", scenario = ["cku"], drivers = 2
    #[arg(long, value_name = "FILE", conflicts_with_all = [
        "cargo", "tonnes", "optimize", "modes", "avoid_countries", "only_countries",
        "avoid_passages", "scenarios", "drivers", "cargo_value",
    ])]
    profiles: Option<PathBuf>,
    /// How cells get their figures: `payloads` carries them through the hierarchy (fast;
    /// the default from 20,000 cells), `paths` unpacks and explains each cell's route as
    /// `route` does; both give `route`'s totals
    #[arg(long, default_value = "auto", value_parser = ["auto", "payloads", "paths"])]
    method: String,
    /// Output file: .csv or .parquet, written as the matrix is computed, renamed into
    /// place when complete (an interrupted run leaves no file)
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
    let inputs = [Some(&a.from), Some(&a.to), a.profiles.as_ref()];
    if inputs
        .into_iter()
        .flatten()
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
    let profiles = match &a.profiles {
        Some(file) => match caravan_app::profiles::read_profiles(file) {
            Ok(p) => p,
            Err(e) => return fail(&e, 2),
        },
        None => vec![(String::new(), a.profile.spec())],
    };
    let method = match a.method.as_str() {
        "payloads" => Method::Payloads,
        "paths" => Method::Paths,
        _ => Method::Auto,
    };
    caravan_app::tempfiles::prepare_output(&a.out);
    // One network for every profile: the union of their scenarios.
    let mut scenarios: Vec<String> = Vec::new();
    for (_, spec) in &profiles {
        for s in &spec.scenarios {
            if !scenarios.contains(s) {
                scenarios.push(s.clone());
            }
        }
    }
    let engine = load_engine(&scenarios)?;
    let (origins, destinations) = match (
        matrix::read_places(&engine, &a.from),
        matrix::read_places(&engine, &a.to),
    ) {
        (Ok(o), Ok(d)) => (o, d),
        (Err(e), _) | (_, Err(e)) => return fail(&e, e.exit_code()),
    };
    // Every profile is checked before anything is computed or written.
    for (name, spec) in &profiles {
        if let Err(e) = engine.profile(spec) {
            let shown = if name.is_empty() {
                e.to_string()
            } else {
                format!("profile {name:?}: {e}")
            };
            return fail(shown, e.exit_code().min(2));
        }
    }
    let cells = (origins.len() * destinations.len()) as u64;
    let total = cells * profiles.len() as u64;
    let bar = bar(
        total,
        100,
        "{msg} {bar:40} {pos}/{len} cells ({per_sec}, eta {eta})",
    );
    let out = match CellWriter::create(&a.out, a.profiles.is_some()) {
        Ok(w) => w,
        Err(e) => return fail(format!("writing {}: {e}", a.out.display()), 2),
    };
    let mut routed = 0u64;
    // Preparing the profiles, the up-arcs' figures, the searches, writing.
    let mut times = [0.0f64; 4];
    // Blocks are written on their own thread while the next is computed: encoding and
    // compressing Parquet is single-threaded, and as long as the searches for a
    // 10,000 x 10,000 matrix.
    let (computed, written) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Block<matrix::Outcome>)>(1);
        let (origins, destinations, profiles) = (&origins, &destinations, &profiles);
        let writer = std::thread::Builder::new()
            .name("matrix-writer".into())
            .spawn_scoped(scope, move || -> std::io::Result<(CellWriter, f64)> {
                let mut out = out;
                let mut spent = 0.0;
                for (k, block) in rx {
                    let t = std::time::Instant::now();
                    out.write_block(&profiles[k].0, origins, destinations, &block)?;
                    spent += t.elapsed().as_secs_f64();
                }
                Ok((out, spent))
            });
        let writer = match writer {
            Ok(w) => w,
            Err(e) => return (Ok(()), Err(e)),
        };
        let mut computed = Ok(());
        for (k, (name, spec)) in profiles.iter().enumerate() {
            bar.set_message(if name.is_empty() {
                String::new()
            } else {
                format!("{name} ({}/{})", k + 1, profiles.len())
            });
            let before = k as u64 * cells;
            let run = engine.matrix_stream(
                origins,
                destinations,
                spec,
                method,
                &|n| bar.set_position(before + n),
                |block| {
                    routed += block.cells().filter(|c| c.figures().is_some()).count() as u64;
                    // A send fails only once the writer has stopped on an error, which
                    // its join reports.
                    tx.send((k, block))
                        .map_err(|_| std::io::Error::other("the writer stopped"))
                },
            );
            match run {
                Ok(t) => {
                    times[0] += t.prepare_s;
                    times[1] += t.payloads_s;
                    times[2] += t.matrix_s;
                }
                Err(e) => {
                    computed = Err(e);
                    break;
                }
            }
        }
        drop(tx);
        let written = writer
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("the writer thread panicked")));
        (computed, written)
    });
    bar.finish_and_clear();
    // An unfinished writer, dropped here, removes its temporary: no partial file.
    let out = match (computed, written) {
        (_, Err(e)) => return fail(format!("writing {}: {e}", a.out.display()), 1),
        (Err(e), _) => return fail(&e, e.exit_code()),
        (Ok(()), Ok((out, spent))) => {
            times[3] = spent;
            out
        }
    };
    let rows = match out.finish() {
        Ok(n) => n,
        Err(e) => return fail(format!("writing {}: {e}", a.out.display()), 1),
    };
    eprintln!(
        "caravan: wrote {} ({} pairs{}, {} with a route; {:.2} s preparing, {:.2} s figures \
         of the hierarchy, {:.2} s matrix, {:.2} s writing alongside)",
        a.out.display(),
        rows,
        if profiles.len() > 1 {
            format!(" over {} profiles", profiles.len())
        } else {
            String::new()
        },
        routed,
        times[0],
        times[1],
        times[2],
        times[3],
    );
    Ok(ExitCode::SUCCESS)
}
