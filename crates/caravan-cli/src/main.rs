//! `caravan`: multimodal freight routing on the embedded world network. Each command is a
//! module of `commands`; the work they do is in caravan_app, which the server shares.

use anyhow::Result;
use clap::{Parser, Subcommand};
use console::Fail;
use std::process::ExitCode;

/// Standard output, written and flushed at once so that a closed pipe or a full disk is
/// seen where it happens (`print!` would panic): see [`console::emit`].
macro_rules! out {
    ($($t:tt)*) => { $crate::console::emit(&format!($($t)*)) };
}
macro_rules! outln {
    () => { $crate::console::emit("\n") };
    ($($t:tt)*) => { $crate::console::emit(&format!("{}\n", format_args!($($t)*))) };
}

mod args;
mod commands;
mod console;
mod load;

#[global_allocator]
static ALLOC: caravan_app::huge_pages::HugePages = caravan_app::huge_pages::HugePages;

#[derive(Parser)]
#[command(
    name = "caravan",
    version,
    about = "Multimodal freight routing and corridor analysis across Eurasia",
    long_about = "Door-to-door freight options by road, rail, sea, ferry, air and pipeline on an embedded world network, with time, cost, CO2e, borders, gauge changes and transshipments.\n\nData: © OpenStreetMap contributors (ODbL), Eurostat SeaRoute via searoute (Apache-2.0), Natural Earth, GeoNames (CC BY 4.0), airportsdata (MIT). See data/README.md.",
    after_help = "Exit codes: 0 ok; 1 internal error; 2 bad input (unknown place, bad option, malformed cases file); 3 no route under the constraints; 4 caravan validate: the holdout set misses the threshold; 5 caravan audit: new findings or stale open entries."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Freight options between two places (city name, 'lat,lon', UN/LOCODE or IATA code).
    Route(commands::route::Args),
    /// Origin–destination matrix: every place in --from to every place in --to, every
    /// figure, under one profile or each of a --profiles file, streamed to CSV or Parquet.
    ///
    /// Writes origin, destination, distance_km, duration_h, cost_usd, co2_kg and reason
    /// (and profile, with --profiles); a pair without a route has empty figures and a
    /// reason, not an error.
    Matrix(commands::matrix::Args),
    /// Query-core benchmark: CCH vs the exact search (and, with --features peers, fast_paths
    /// and RoutingKit) on scgraph-data's rail graph and on the world network.
    Bench(commands::bench::Args),
    /// The network report: nodes, arcs and km per mode, repair effect, coverage.
    Network(commands::network::Args),
    /// Check the embedded network for classes of defect: gaps, phantom borders, sea
    /// connectivity, ports, coverage and straight chords.
    #[command(
        long_about = "Runs every network check on the embedded network and prints, per check, the number of findings, how many are not in the reviewed list (data/audit/reviewed.toml: findings accepted as real, each with reason and source), how many of those are known open defects (data/audit/open.toml: listed, not mended yet), and the worst findings with coordinates, the nearest place and what they cost (routes between the layer's largest city pairs they lengthen, people within 50 km). Thresholds and lists: data/README.md, Audit.",
        after_help = "Exit codes: 0 every finding is reviewed or a known open defect (data/audit/open.toml); 1 internal error; 2 malformed reviewed or open list, unknown check; 5 new findings, or open entries that match no finding any more."
    )]
    Audit(commands::audit::Args),
    /// Scenarios: what each shipped one (data/scenarios/) opens, closes and changes.
    Scenarios(commands::scenarios::Args),
    /// Baseline against scenario: one lane side by side, or many lanes (--od) to a file.
    #[command(
        long_about = "Routes the request twice, without and with the --scenario(s), and prints both routes, the deltas (scenario minus baseline) and what changed: countries added and removed, main modes, corridor (border crossings, ferry services, passages), in one sentence.\n\nWith --od FILE (one from,to[,weight] per line; weight = annual FEU or tonnes) every lane is compared and written to --out (.csv or .parquet), with a summary on stderr: lanes better, worse, unchanged, disconnected; weighted totals.",
        after_help = "Exit codes: 0 ok; 2 bad input (unknown scenario, malformed scenario or OD file: nothing is written); 3 no route with or without the scenario."
    )]
    Compare(commands::compare::Args),
    /// Rank chokepoints by what closing each alone costs a lane set.
    #[command(
        long_about = "For every chokepoint the lanes' baseline routes use (border crossings, gauge-change stations, ports, ferry services, sea passages, pipelines, curated links): the weighted rise in generalized cost (USD, Σ weight × rise) when it alone closes, the lanes and weight it disconnects, and the lanes most hurt. Exact: only lanes whose route uses a chokepoint can change when it closes, and each closure is one re-customization of the hierarchy. Ranked by weighted rise, then disconnected weight.",
        after_help = "Exit codes: 0 ok; 2 bad input (OD file, profile, scenario)."
    )]
    Criticality(commands::criticality::Args),
    /// Country groups (SCO, EU, EAEU, ...): members and their shares of Eurasia's land and
    /// of world population, computed from data/places/countries.csv.
    Groups(commands::groups::Args),
    /// Compare caravan's answers with published corridor figures (days, km, USD per FEU).
    #[command(
        long_about = "Runs every reference case in the cases file (origin, destination, modes, objective, published figure, tolerance band, source) and prints caravan's figure, the published one, the error in % and whether it is within the band, with a summary per set (calibration: parameters may be tuned to it; holdout: never tuned to).\n\nThreshold (holdout set): at least 80% of cases within band, median |error| at most 20% for durations, 8% for distances and 30% for costs.",
        after_help = "Exit codes: 0 the holdout set meets the threshold (or was not run); 1 internal error; 2 bad cases file (unreadable, malformed, unknown field or value); 4 the holdout set misses the threshold (stderr says which part)."
    )]
    Validate(commands::validate::Args),
    /// HTTP server: the native API under /v1/, OSRM v5 route and table, OpenAPI at
    /// /openapi.json and the web map at /.
    Serve(commands::serve::Args),
}

fn run(cli: Cli) -> Result<ExitCode> {
    use commands::*;
    match cli.command {
        Command::Route(a) => route::run(a),
        Command::Matrix(a) => matrix::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Network(a) => network::run(a),
        Command::Audit(a) => audit::run(a),
        Command::Scenarios(a) => scenarios::run(a),
        Command::Compare(a) => compare::run(a),
        Command::Criticality(a) => criticality::run(a),
        Command::Groups(a) => groups::run(a),
        Command::Validate(a) => validate::run(a),
        Command::Serve(a) => serve::run(a),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C or a termination signal: remove this run's half-written files, exit 130.
    // The server handles the signals itself, finishing the requests in flight.
    if !matches!(cli.command, Command::Serve(_)) {
        let _ = ctrlc::set_handler(|| {
            caravan_app::tempfiles::remove_own();
            eprintln!("caravan: interrupted");
            std::process::exit(130);
        });
    }
    match run(cli) {
        Ok(code) => code,
        Err(e) => match e.downcast_ref::<Fail>() {
            Some(f) if f.message.is_empty() => ExitCode::from(f.code),
            Some(f) => {
                eprintln!("caravan: {f}");
                ExitCode::from(f.code)
            }
            // Output written through a writer of our own (CSV to stdout) to a closed pipe.
            None if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
            {
                ExitCode::SUCCESS
            }
            None => {
                eprintln!("caravan: internal error: {e:#}");
                ExitCode::from(1)
            }
        },
    }
}
