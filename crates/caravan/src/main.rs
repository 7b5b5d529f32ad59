//! `caravan`: multimodal freight routing on the embedded world network.

use anyhow::Result;
use caravan::{output, validate};
use caravan::{Engine, Request};
use caravan_metric::ProfileSpec;
use clap::{Parser, Subcommand, ValueEnum};
use std::io::IsTerminal;
use std::process::ExitCode;

/// Standard output, written and flushed at once so that a closed pipe or a full disk is
/// seen where it happens (`print!` would panic): see [`emit`].
macro_rules! out {
    ($($t:tt)*) => { $crate::emit(&format!($($t)*)) };
}
macro_rules! outln {
    () => { $crate::emit("\n") };
    ($($t:tt)*) => { $crate::emit(&format!("{}\n", format_args!($($t)*))) };
}

mod whatif;

/// Writes to standard output. A reader that went away (`| head`) ends the program quietly,
/// as `cat` does; any other failure (a full disk) is an error naming it, exit 1.
pub(crate) fn emit(s: &str) -> Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    o.write_all(s.as_bytes())
        .and_then(|_| o.flush())
        .map_err(output_error)
}

/// The failure for an error writing the output.
pub(crate) fn output_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Fail {
            code: 0,
            message: String::new(),
        }
        .into()
    } else {
        Fail {
            code: 1,
            message: format!("cannot write the output: {e}"),
        }
        .into()
    }
}

#[global_allocator]
static ALLOC: caravan::huge_pages::HugePages = caravan::huge_pages::HugePages;

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

#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Json,
    Geojson,
}

/// Formats of reports that have no geometry.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum ReportFormat {
    Table,
    Json,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run
enum Command {
    /// Freight options between two places (city name, 'lat,lon', UN/LOCODE or IATA code).
    Route {
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
    },
    /// Origin–destination matrix: every place in --from to every place in --to, one profile.
    ///
    /// Writes origin, destination, distance_km, duration_h, cost_usd, co2_kg and reason;
    /// a pair without a route has empty figures and a reason, not an error.
    Matrix {
        /// File with one place per line (any form `route` accepts; # starts a comment)
        #[arg(long)]
        from: std::path::PathBuf,
        /// File with one place per line
        #[arg(long)]
        to: std::path::PathBuf,
        #[command(flatten)]
        profile: ProfileArgs,
        /// Output file: .csv or .parquet (written atomically)
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Query-core benchmark: CCH vs the exact search (and, with --features peers, fast_paths
    /// and RoutingKit) on scgraph-data's rail graph and on the world network.
    Bench {
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
    },
    /// The network report: nodes, arcs and km per mode, repair effect, coverage.
    Network {
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Check the embedded network for classes of defect: gaps, phantom borders, sea
    /// connectivity, ports, coverage and straight chords.
    #[command(
        long_about = "Runs every network check on the embedded network and prints, per check, the number of findings, how many are not in the reviewed list (data/audit/reviewed.toml: findings accepted as real, each with reason and source), how many of those are known open defects (data/audit/open.toml: listed, not mended yet), and the worst findings with coordinates, the nearest place and what they cost (routes between the layer's largest city pairs they lengthen, people within 50 km). Thresholds and lists: data/README.md, Audit.",
        after_help = "Exit codes: 0 every finding is reviewed or a known open defect (data/audit/open.toml); 1 internal error; 2 malformed reviewed or open list, unknown check; 5 new findings, or open entries that match no finding any more."
    )]
    Audit {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
        /// Findings listed per check (unreviewed first, then by cost)
        #[arg(long, default_value_t = 10)]
        top: usize,
        /// Run only these checks (comma-separated): gaps, phantom_borders,
        /// sea_connectivity, ports, coverage, straight_chords, domestic_rail
        #[arg(long, value_delimiter = ',')]
        check: Vec<String>,
    },
    /// Scenarios: what each shipped one (data/scenarios/) opens, closes and changes.
    Scenarios {
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Baseline against scenario: one lane side by side, or many lanes (--od) to a file.
    #[command(
        long_about = "Routes the request twice, without and with the --scenario(s), and prints both routes, the deltas (scenario minus baseline) and what changed: countries added and removed, main modes, corridor (border crossings, ferry services, passages), in one sentence.\n\nWith --od FILE (one from,to[,weight] per line; weight = annual FEU or tonnes) every lane is compared and written to --out (.csv or .parquet), with a summary on stderr: lanes better, worse, unchanged, disconnected; weighted totals.",
        after_help = "Exit codes: 0 ok; 2 bad input (unknown scenario, malformed scenario or OD file: nothing is written); 3 no route with or without the scenario."
    )]
    Compare {
        /// Origin (omit with --od)
        from: Option<String>,
        /// Destination (omit with --od)
        to: Option<String>,
        #[command(flatten)]
        profile: ProfileArgs,
        /// Lane file: from,to[,weight] per line
        #[arg(long)]
        od: Option<std::path::PathBuf>,
        /// Output for --od: .csv or .parquet (written atomically)
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Rank chokepoints by what closing each alone costs a lane set.
    #[command(
        long_about = "For every chokepoint the lanes' baseline routes use (border crossings, gauge-change stations, ports, ferry services, sea passages, pipelines, curated links): the weighted rise in generalized cost (USD, Σ weight × rise) when it alone closes, the lanes and weight it disconnects, and the lanes most hurt. Exact: only lanes whose route uses a chokepoint can change when it closes, and each closure is one re-customization of the hierarchy. Ranked by weighted rise, then disconnected weight.",
        after_help = "Exit codes: 0 ok; 2 bad input (OD file, profile, scenario)."
    )]
    Criticality {
        /// Lane file: from,to[,weight] per line
        #[arg(long)]
        od: std::path::PathBuf,
        #[command(flatten)]
        profile: ProfileArgs,
        /// Chokepoints listed
        #[arg(long, default_value_t = 20)]
        top: usize,
        /// Re-route every lane for every closure (slow; a check of the exact method)
        #[arg(long)]
        brute_force: bool,
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
    },
    /// Country groups (SCO, EU, EAEU, ...): members and their shares of Eurasia's land and
    /// of world population, computed from data/places/countries.csv.
    Groups {
        /// One group (default: all)
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
        format: ReportFormat,
    },
    /// Compare caravan's answers with published corridor figures (days, km, USD per FEU).
    #[command(
        long_about = "Runs every reference case in the cases file (origin, destination, modes, objective, published figure, tolerance band, source) and prints caravan's figure, the published one, the error in % and whether it is within the band, with a summary per set (calibration: parameters may be tuned to it; holdout: never tuned to).\n\nThreshold (holdout set): at least 70% of cases within band, median |error| at most 25% for durations and at most 10% for distances.",
        after_help = "Exit codes: 0 the holdout set meets the threshold (or was not run); 1 internal error; 2 bad cases file (unreadable, malformed, unknown field or value); 4 the holdout set misses the threshold (stderr says which part)."
    )]
    Validate {
        /// Cases file [default: data/validation/cases.toml]
        #[arg(long)]
        cases: Option<std::path::PathBuf>,
        /// Output: an aligned table, JSON, or Markdown tables (the README's Validation section)
        #[arg(long, value_enum, default_value_t = ValidateFormat::Table)]
        format: ValidateFormat,
        /// Run only one set of cases
        #[arg(long, value_enum)]
        set: Option<SetArg>,
    },
}

/// Reports that also come as CSV.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
enum TableFormat {
    Table,
    Json,
    Csv,
}

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

/// Exit code when the holdout set misses the validation threshold.
const EXIT_BELOW_THRESHOLD: u8 = 4;
/// Exit code when `caravan audit` has new findings (neither reviewed nor known open) or
/// stale open entries.
const EXIT_AUDIT_UNREVIEWED: u8 = 5;

#[derive(clap::Args, Clone)]
struct ProfileArgs {
    /// container (one FEU), bulk, liquid or gas
    #[arg(long, default_value = "container")]
    cargo: String,
    /// Tonnes carried (container payload, or bulk/liquid/gas quantity)
    #[arg(long, value_parser = positive)]
    tonnes: Option<f64>,
    /// What to minimise: time, cost, co2 or balanced: the shipper's generalized cost =
    /// freight USD + the goods' time in transit (cargo value × 20%/year carrying rate) +
    /// CO2e at a carbon price (data/params.toml [objective.balanced])
    #[arg(long, default_value = "balanced")]
    optimize: String,
    /// Allowed modes, comma-separated: road,rail,sea,ferry,air,pipeline (default: all)
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    modes: Vec<String>,
    /// Countries to avoid: ISO alpha-2 codes or groups (SCO, EU, EAEU, ...), comma-separated
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    avoid_countries: Vec<String>,
    /// Only these countries (codes or groups), comma-separated
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    only_countries: Vec<String>,
    /// Sea passages to avoid: suez, babalmandab, ormuz, malacca, bosporus, ...
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    avoid_passages: Vec<String>,
    /// Scenario to apply (repeatable), e.g. cku (opens the China–Kyrgyzstan–Uzbekistan railway)
    #[arg(long = "scenario", value_parser = listed)]
    scenarios: Vec<String>,
    /// Truck drivers per vehicle: 1, or 2 taking turns (multi-manning, common on TIR runs
    /// across Central Asia): road time follows the drivers' hours rules of EU 561/2006 and
    /// AETR for that crew (data/params.toml [mode.road.hours_of_service])
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    drivers: u8,
    /// Value of the goods shipped, USD (default USD 40,000 per container): what an hour in
    /// transit costs under `--optimize balanced`; high-value goods favour fast modes
    #[arg(long, value_name = "USD", value_parser = positive)]
    cargo_value: Option<f64>,
}

/// One entry of a list option: an empty one (`--modes ''`, `--modes rail,`) is a mistake,
/// not "no constraint".
fn listed(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(
            "empty entry; give names separated by commas (omit the option for no constraint)"
                .into(),
        );
    }
    Ok(t.to_string())
}

fn positive(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        Ok(x) => Err(format!("{x} is not a positive number")),
        Err(e) => Err(format!(
            "'{}' is not a number: {e}",
            caravan_network::shown(s)
        )),
    }
}

impl ProfileArgs {
    fn spec(&self) -> ProfileSpec {
        let clean = |v: &[String]| {
            v.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        ProfileSpec {
            cargo: Some(self.cargo.clone()),
            tonnes: self.tonnes,
            objective: Some(self.optimize.clone()),
            modes: clean(&self.modes),
            avoid_countries: clean(&self.avoid_countries),
            only_countries: clean(&self.only_countries),
            avoid_passages: clean(&self.avoid_passages),
            scenarios: clean(&self.scenarios),
            drivers: Some(self.drivers),
            cargo_value_usd: self.cargo_value,
        }
    }
}

/// A failure the user caused or can act on: printed as is, exit `code` (not 1, which is
/// for internal errors).
#[derive(Debug)]
pub struct Fail {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

/// Do two paths name one file (the second need not exist yet)?
pub(crate) fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

/// The data directory, or exit 2 naming what is wrong with `CARAVAN_DATA`.
fn data_dir() -> Result<std::path::PathBuf> {
    caravan_network::data_dir().map_err(|e| {
        Fail {
            code: 2,
            message: e.to_string(),
        }
        .into()
    })
}

/// Loads the engine for a request with these scenarios: the shipped network, or the variant
/// that also has the lines they draw by waypoints (built once, then cached).
fn load_engine(scenarios: &[String]) -> Result<Engine> {
    let bad_input = |message: String| Fail { code: 2, message };
    let data = data_dir()?;
    let adds =
        caravan::scenarios::added_links(&data, scenarios).map_err(|e| bad_input(e.to_string()))?;
    let bar = if std::io::stderr().is_terminal() {
        let b = indicatif::ProgressBar::new(100);
        b.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} building network {bar:30} {percent}% {msg}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut started = false;
    let cache = caravan::engine::default_cache_dir();
    caravan::tempfiles::watch(&cache);
    caravan::tempfiles::sweep(&cache);
    let engine = Engine::load_with(&adds, &mut |step, f| {
        if !started {
            started = true;
            if bar.is_hidden() {
                eprintln!(
                    "caravan: building the network from data/ (first run; cached afterwards)"
                );
            }
        }
        bar.set_message(step.to_string());
        bar.set_position((f * 100.0) as u64);
    });
    bar.finish_and_clear();
    match engine {
        Ok(e) => {
            if let caravan_network::CacheStatus::Uncached { reason, .. } = &e.cache {
                eprintln!("caravan: warning: the network is not cached ({reason}); every run rebuilds it (about 20 s). Point CARAVAN_CACHE at a writable directory to keep it.");
            }
            Ok(e)
        }
        // Bad data (a malformed or out-of-range file, a drawn line that joins nothing) is
        // the user's to fix: exit 2 with the file and line, not an internal error.
        Err(caravan::EngineError::Network(
            e @ (caravan_network::NetworkError::Addition { .. }
            | caravan_network::NetworkError::Toml { .. }
            | caravan_network::NetworkError::Format { .. }
            | caravan_network::NetworkError::BadData { .. }),
        )) => Err(bad_input(e.to_string()).into()),
        Err(caravan::EngineError::Metric(e)) => Err(bad_input(e.to_string()).into()),
        Err(e) => Err(e.into()),
    }
}

fn print_json(v: &serde_json::Value) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(v)?)
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Scenarios { format } => whatif::scenarios(format),
        Command::Compare {
            from,
            to,
            profile,
            od,
            out,
            format,
        } => whatif::compare(from, to, &profile, od, out, format),
        Command::Criticality {
            od,
            profile,
            top,
            brute_force,
            format,
        } => whatif::criticality(&od, &profile, top, brute_force, format),
        Command::Groups { name, format } => whatif::groups(name.as_deref(), format),
        Command::Route {
            from,
            to,
            profile,
            alternatives,
            format,
        } => {
            let engine = load_engine(&profile.scenarios)?;
            let req = Request {
                origin: from,
                destination: to,
                profile: profile.spec(),
                alternatives: alternatives as usize,
                geometry: format == Format::Geojson,
            };
            match engine.plan(&req) {
                Ok(plan) => {
                    match format {
                        Format::Table => out!("{}", output::plan_table(&plan))?,
                        Format::Json => print_json(&output::plan_json(&plan))?,
                        Format::Geojson => print_json(&output::plan_geojson(&plan))?,
                    }
                    for p in [&plan.origin, &plan.destination] {
                        if let (Some(n), true) = (&p.note, format != Format::Table) {
                            eprintln!("note: {n}");
                        }
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("caravan: {e}");
                    Ok(ExitCode::from(e.exit_code() as u8))
                }
            }
        }
        Command::Matrix {
            from,
            to,
            profile,
            out,
        } => {
            if caravan::matrix::OutFormat::from_path(&out).is_none() {
                eprintln!(
                    "caravan: --out {}: use a .csv or .parquet file name",
                    out.display()
                );
                return Ok(ExitCode::from(2));
            }
            if [&from, &to].into_iter().any(|input| same_file(input, &out)) {
                eprintln!(
                    "caravan: --out {} is an input file; write the matrix elsewhere",
                    out.display()
                );
                return Ok(ExitCode::from(2));
            }
            caravan::tempfiles::prepare_output(&out);
            let engine = load_engine(&profile.scenarios)?;
            let (origins, destinations) = match (
                caravan::matrix::read_places(&engine, &from),
                caravan::matrix::read_places(&engine, &to),
            ) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => {
                    eprintln!("caravan: {e}");
                    return Ok(ExitCode::from(e.exit_code() as u8));
                }
            };
            let total = (origins.len() * destinations.len()) as u64;
            let bar = if std::io::stderr().is_terminal() && total >= 100 {
                indicatif::ProgressBar::new(total)
            } else {
                indicatif::ProgressBar::hidden()
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {pos}/{len} pairs ({per_sec}, eta {eta})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let spec = profile.spec();
            let cells =
                match engine.matrix(&origins, &destinations, &spec, &|n| bar.set_position(n)) {
                    Ok(c) => c,
                    Err(e) => {
                        bar.finish_and_clear();
                        eprintln!("caravan: {e}");
                        return Ok(ExitCode::from(e.exit_code() as u8));
                    }
                };
            bar.finish_and_clear();
            if let Err(e) = caravan::matrix::write_cells(&cells, &out) {
                eprintln!("caravan: writing {}: {e}", out.display());
                return Ok(ExitCode::from(2));
            }
            let routed = cells.iter().filter(|c| c.reason.is_none()).count();
            eprintln!(
                "caravan: wrote {} ({} pairs, {} with a route)",
                out.display(),
                cells.len(),
                routed
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            queries,
            seed,
            only,
            pairs_out,
            format,
        } => {
            let opts = caravan::bench::BenchOptions {
                queries: queries as usize,
                seed,
                skip_rail: only.as_deref() == Some("world"),
                skip_world: only.as_deref() == Some("rail"),
                pairs_out,
            };
            let say = |m: &str| eprintln!("bench: {m}");
            let data = data_dir()?;
            let mut graphs = Vec::new();
            if !opts.skip_rail {
                let g = caravan::bench::load_rail(&data.join("bench")).map_err(|e| {
                    anyhow::anyhow!("{e} (regenerate with: python3 tools/bench/export_rail.py)")
                })?;
                graphs.push(caravan::bench::bench_rail(&g, &opts, &say));
            }
            if !opts.skip_world {
                let cache = caravan::engine::default_cache_dir();
                graphs.push(caravan::bench::bench_world(&data, &cache, &opts, &say)?);
            }
            let report = caravan::bench::report(graphs);
            match format {
                ReportFormat::Table => out!("{}", caravan::bench::report_table(&report))?,
                ReportFormat::Json => print_json(&report)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Network { format } => {
            let engine = load_engine(&[])?;
            let report = engine.net.report();
            match format {
                Format::Json | Format::Geojson => print_json(&serde_json::to_value(&report)?)?,
                Format::Table => out!("{}", output::report_table(&report))?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit { format, top, check } => {
            let only: Vec<&str> = if check.is_empty() {
                caravan_network::audit::CHECKS.to_vec()
            } else {
                check.iter().map(|c| c.trim()).collect()
            };
            if let Some(bad) = only
                .iter()
                .find(|c| !caravan_network::audit::CHECKS.contains(c))
            {
                eprintln!(
                    "caravan: unknown audit check '{bad}' (one of {})",
                    caravan_network::audit::CHECKS.join(", ")
                );
                return Ok(ExitCode::from(2));
            }
            let engine = load_engine(&[])?;
            let dir = data_dir()?;
            let report = match caravan_network::audit::run_checks(&engine.net, &dir, top, &only) {
                Ok(r) => r,
                Err(e @ caravan_network::NetworkError::Toml { .. })
                | Err(e @ caravan_network::NetworkError::Format { .. }) => {
                    eprintln!("caravan: bad reviewed list: {e}");
                    return Ok(ExitCode::from(2));
                }
                Err(e) => return Err(e.into()),
            };
            match format {
                ReportFormat::Json => print_json(&serde_json::to_value(&report)?)?,
                ReportFormat::Table => out!("{}", output::audit_table(&report))?,
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
        Command::Validate { cases, format, set } => {
            let path = match cases {
                Some(p) => p,
                None => data_dir()?.join("validation/cases.toml"),
            };
            // Check the file before the engine loads, so a typo fails in milliseconds.
            let mut cases = match validate::load_cases(&path) {
                Ok(c) => c,
                Err(e) => {
                    eprintln!("caravan: bad cases file: {e}");
                    return Ok(ExitCode::from(2));
                }
            };
            if let Some(s) = set {
                let want = match s {
                    SetArg::Calibration => validate::Set::Calibration,
                    SetArg::Holdout => validate::Set::Holdout,
                };
                cases.retain(|c| c.set == want);
            }
            let engine = load_engine(&[])?;
            if let Err(e) = validate::check_places(&engine, &path, &cases) {
                eprintln!("caravan: bad cases file: {e}");
                return Ok(ExitCode::from(2));
            }
            let bar = if std::io::stderr().is_terminal() {
                indicatif::ProgressBar::new(cases.len() as u64)
            } else {
                indicatif::ProgressBar::hidden()
            };
            let report = validate::run(&engine, &cases, &mut |i, _, name| {
                bar.set_position(i as u64);
                bar.set_message(name.to_string());
            });
            bar.finish_and_clear();
            match format {
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
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Ctrl-C or a termination signal: remove this run's half-written files, exit 130.
    let _ = ctrlc::set_handler(|| {
        caravan::tempfiles::remove_own();
        eprintln!("caravan: interrupted");
        std::process::exit(130);
    });
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
