//! `caravan bench`: the query core against the exact search and its peers.

use crate::args::ReportFormat;
use crate::console::print_json;
use crate::load::data_dir;
use anyhow::Result;
use caravan_app::bench;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Random origin/destination pairs per graph
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    queries: u64,
    /// Seed for the pairs
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Only the rail graph, or only the world network
    #[arg(long, value_parser = ["rail", "world"])]
    only: Option<String>,
    /// Write the rail pairs and caravan's costs as CSV (input of tools/bench/scgraph_rail.py)
    #[arg(long)]
    pairs_out: Option<std::path::PathBuf>,
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    format: ReportFormat,
}

pub fn run(a: Args) -> Result<ExitCode> {
    let opts = bench::BenchOptions {
        queries: a.queries as usize,
        seed: a.seed,
        skip_rail: a.only.as_deref() == Some("world"),
        skip_world: a.only.as_deref() == Some("rail"),
        pairs_out: a.pairs_out,
    };
    let say = |m: &str| eprintln!("bench: {m}");
    let data = data_dir()?;
    let mut graphs = Vec::new();
    if !opts.skip_rail {
        let g = bench::load_rail(&data.join("bench")).map_err(|e| {
            anyhow::anyhow!("{e} (regenerate with: python3 tools/bench/export_rail.py)")
        })?;
        graphs.push(bench::bench_rail(&g, &opts, &say));
    }
    if !opts.skip_world {
        let cache = caravan_app::engine::default_cache_dir();
        graphs.push(bench::bench_world(&data, &cache, &opts, &say)?);
    }
    let report = bench::report(graphs);
    match a.format {
        ReportFormat::Table => out!("{}", bench::report_table(&report))?,
        ReportFormat::Json => print_json(&report)?,
    }
    Ok(ExitCode::SUCCESS)
}
