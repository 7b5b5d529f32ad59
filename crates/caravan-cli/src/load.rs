//! Loading the engine for a command: the data directory from `CARAVAN_DATA`, the cache
//! swept of stale temporaries, a progress bar while a first run builds the network.

use crate::console::Fail;
use anyhow::Result;
use caravan_app::Engine;
use std::io::IsTerminal;

/// The data directory, or exit 2 naming what is wrong with `CARAVAN_DATA`.
pub fn data_dir() -> Result<std::path::PathBuf> {
    caravan_network::data_dir().map_err(|e| bad_input(e.to_string()))
}

fn bad_input(message: String) -> anyhow::Error {
    Fail { code: 2, message }.into()
}

/// Loads the engine for a request with these scenarios (the shipped network, or the
/// variant with the lines they draw); bad data is exit 2 with its file and line.
pub fn load_engine(scenarios: &[String]) -> Result<Engine> {
    let data = data_dir()?;
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
    let cache = caravan_app::engine::default_cache_dir();
    caravan_app::tempfiles::watch(&cache);
    caravan_app::tempfiles::sweep(&cache);
    let engine = Engine::for_scenarios(&data, &cache, scenarios, &mut |step, f| {
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
        Err(e) if e.is_bad_data() => Err(bad_input(e.to_string())),
        Err(e) => Err(e.into()),
    }
}
