//! What every request shares: the loaded engine, the variant engines that scenarios
//! drawing new lines need (loaded on demand, a few kept), the limits and the metrics.

use crate::error::ApiError;
use crate::metrics::Metrics;
use caravan_app::Engine;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// Variant networks kept loaded (each is a whole network, ~1 GB).
const VARIANTS_KEPT: usize = 2;

#[derive(Debug, Clone)]
pub struct Limits {
    /// OSRM `/table`: most sources and most destinations per GET request.
    pub max_table_size: usize,
    /// `/v1/matrix`: most cells per request.
    pub max_matrix_cells: usize,
    /// `/v1/criticality`: most lanes per request.
    pub max_lanes: usize,
    /// OSRM `/route`: most coordinates.
    pub max_route_coordinates: usize,
    /// Largest request body (bytes).
    pub max_body_bytes: usize,
    /// Longest a request may take before it is answered 408.
    pub timeout: std::time::Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_table_size: 100,
            max_matrix_cells: 250_000,
            max_lanes: 5_000,
            max_route_coordinates: 25,
            max_body_bytes: 4 << 20,
            timeout: std::time::Duration::from_secs(120),
        }
    }
}

pub struct AppState {
    pub engine: Arc<Engine>,
    pub cache_dir: PathBuf,
    pub limits: Limits,
    pub metrics: Metrics,
    /// The map's basemap (data/basemap), read on its first request; shared, not copied,
    /// by every answer.
    pub basemap: std::sync::OnceLock<Option<axum::body::Bytes>>,
    variants: Mutex<Vec<(Vec<String>, Arc<Engine>)>>,
}

impl AppState {
    pub fn new(engine: Engine, cache_dir: PathBuf, limits: Limits) -> AppState {
        AppState {
            engine: Arc::new(engine),
            cache_dir,
            limits,
            metrics: Metrics::default(),
            basemap: std::sync::OnceLock::new(),
            variants: Mutex::new(Vec::new()),
        }
    }

    /// The engine a request with these scenarios needs: the shared one, or the variant
    /// network with the lines they draw (blocking: building one takes ~20 s the first
    /// time, then it is read from the cache).
    pub fn engine_for(&self, scenarios: &[String]) -> Result<Arc<Engine>, ApiError> {
        let adds = caravan_app::scenarios::added_links(&self.engine.data_dir, scenarios)
            .map_err(|e| ApiError::bad(e.to_string()))?;
        if adds.is_empty() {
            return Ok(self.engine.clone());
        }
        let mut key: Vec<String> = scenarios.iter().map(|s| s.trim().to_string()).collect();
        key.sort();
        let mut held = self.variants.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = held.iter().position(|(k, _)| *k == key) {
            let e = held.remove(i);
            let engine = e.1.clone();
            held.insert(0, e);
            return Ok(engine);
        }
        let engine = Engine::for_scenarios(
            &self.engine.data_dir,
            &self.cache_dir,
            scenarios,
            &mut |_, _| {},
        )
        .map_err(|e| {
            if e.is_bad_data() {
                ApiError::bad(e.to_string())
            } else {
                ApiError::internal(e.to_string())
            }
        })?;
        let engine = Arc::new(engine);
        held.insert(0, (key, engine.clone()));
        held.truncate(VARIANTS_KEPT);
        Ok(engine)
    }
}
