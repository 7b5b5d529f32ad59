//! `caravan serve`: the HTTP API and the web map on one loaded engine.

use crate::load::load_engine;
use anyhow::Result;
use caravan_server::{AppState, Limits};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args)]
pub struct Args {
    /// Address to listen on (loopback by default; 0.0.0.0:8080 to serve others)
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: std::net::SocketAddr,
    /// OSRM /table: most sources and most destinations per request (TooBig beyond)
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    max_table_size: u64,
    /// /v1/matrix: most cells per request
    #[arg(long, default_value_t = 250_000, value_parser = clap::value_parser!(u64).range(1..))]
    max_matrix_cells: u64,
    /// Seconds a request may take before it is answered 408
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout: u64,
    /// Worker threads for routing (default: one per core)
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=512))]
    threads: Option<u64>,
}

pub fn run(a: Args) -> Result<ExitCode> {
    // One line per request on stderr (route pattern, status, ms), and errors; RUST_LOG
    // changes it (RUST_LOG=warn keeps only errors).
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("caravan=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(true)
        .try_init();
    let engine = load_engine(&[])?;
    let started = std::time::Instant::now();
    // The OSRM profiles and the native default, customized and prepared before the
    // first request.
    let mut warm = caravan_server::osrm::all_profiles();
    warm.push(caravan_metric::ProfileSpec {
        cargo: Some("container".into()),
        objective: Some("balanced".into()),
        drivers: Some(1),
        ..Default::default()
    });
    engine.set_metric_capacity(warm.len() + 4);
    engine.warm(&warm)?;
    eprintln!(
        "caravan: {} profiles prepared in {:.1} s",
        warm.len(),
        started.elapsed().as_secs_f64()
    );
    let limits = Limits {
        max_table_size: a.max_table_size as usize,
        max_matrix_cells: a.max_matrix_cells as usize,
        timeout: std::time::Duration::from_secs(a.timeout),
        ..Limits::default()
    };
    let state = Arc::new(AppState::new(
        engine,
        caravan_app::engine::default_cache_dir(),
        limits,
    ));
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = a.threads {
        rt.worker_threads(n as usize);
    }
    let rt = rt.build()?;
    let addr = a.addr;
    let result = rt.block_on(caravan_server::serve(
        state,
        addr,
        caravan_server::shutdown_signal(),
        |bound| eprintln!("caravan: serving on http://{bound}/ (map), API at /v1/, OSRM at /route/v1/ and /table/v1/, contract at /openapi.json"),
    ));
    match result {
        Ok(()) => {
            eprintln!("caravan: stopped");
            Ok(ExitCode::SUCCESS)
        }
        Err(e)
            if e.kind() == std::io::ErrorKind::AddrInUse
                || e.kind() == std::io::ErrorKind::AddrNotAvailable
                || e.kind() == std::io::ErrorKind::PermissionDenied =>
        {
            crate::console::fail(format!("cannot listen on {addr}: {e}"), 2)
        }
        Err(e) => Err(e.into()),
    }
}
