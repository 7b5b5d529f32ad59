//! The loaded engine: network (from cache or built), parameters, the prepared hierarchy and
//! a small cache of customized profiles.

use caravan_metric::Params;
use caravan_network::{CacheStatus, Network, NetworkError};
use caravan_route::{Customized, Graph, Hierarchy};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use xxhash_rust::xxh3::Xxh3;

/// Customized profiles kept in memory. Each costs two `u32` per shortcut arc (tens of MB
/// on the world network), and analysts' sessions revolve around a handful of profiles.
const METRIC_CACHE: usize = 4;

/// A profile's key, its arc weights and their digest.
type PricedProfile = (String, caravan_metric::Prices, u64);

pub struct Engine {
    pub net: Network,
    pub params: Params,
    /// Plain adjacency for the exact search (the oracle in tests, diagnostics), built on
    /// first use: routing itself never needs it.
    graph: std::sync::OnceLock<Graph>,
    pub hierarchy: Hierarchy,
    pub data_dir: PathBuf,
    pub cache: CacheStatus,
    /// Why the hierarchy was prepared instead of loaded (`None` when loaded).
    pub hierarchy_rebuilt: Option<String>,
    metrics: Mutex<Vec<(u64, Arc<Customized>)>>,
    /// Arc weights by profile (see [`Engine::metric`]), with their digest.
    weights: Mutex<Vec<PricedProfile>>,
    /// Where places join each layer: the nodes a place may connect to, by mode, built on
    /// first use (see `plan::access`).
    pub(crate) access_index: std::sync::OnceLock<Vec<caravan_network::spatial::SpatialIndex>>,
    /// How many customized profiles `metrics` keeps ([`METRIC_CACHE`] unless a server
    /// that keeps its common profiles warm asks for more).
    metric_capacity: std::sync::atomic::AtomicUsize,
    /// Autocomplete over place names and codes, built on first use (a fraction of a
    /// second): only the server and the map ask for it.
    suggest: std::sync::OnceLock<crate::suggest::Index>,
    /// Held while a matrix carries figures through the hierarchy: the up-arcs' figures
    /// take ~0.6 GB per run on the world network, so concurrent large matrices (a
    /// server's) take turns instead of adding up.
    pub(crate) payload_turn: Mutex<()>,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Network(#[from] NetworkError),
    #[error(transparent)]
    Metric(#[from] caravan_metric::MetricError),
}

impl EngineError {
    /// Is the data at fault (a malformed or out-of-range file, a drawn line that joins
    /// nothing)? That is the user's to fix, so fronts answer exit 2 or HTTP 400 with the
    /// file and line, not an internal error.
    pub fn is_bad_data(&self) -> bool {
        matches!(
            self,
            EngineError::Metric(_)
                | EngineError::Network(
                    NetworkError::Addition { .. }
                        | NetworkError::Toml { .. }
                        | NetworkError::Format { .. }
                        | NetworkError::BadData { .. }
                )
        )
    }
}

impl Engine {
    /// The engine a request with these scenarios needs: the shipped network, or the variant
    /// that also has the lines they draw by waypoints (built once, then cached).
    pub fn for_scenarios(
        data: &Path,
        cache: &Path,
        scenarios: &[String],
        progress: &mut dyn FnMut(&str, f64),
    ) -> Result<Engine, EngineError> {
        let adds = crate::scenarios::added_links(data, scenarios)?;
        Self::load_from_with(data, cache, &adds, progress)
    }

    /// Loads from `$CARAVAN_DATA` (or the repository's data/) with the cache in
    /// `$CARAVAN_CACHE` (or the platform cache dir).
    pub fn load(progress: &mut dyn FnMut(&str, f64)) -> Result<Engine, EngineError> {
        let data = caravan_network::data_dir()?;
        Self::load_from(&data, &default_cache_dir(), progress)
    }

    pub fn load_from(
        data: &Path,
        cache: &Path,
        progress: &mut dyn FnMut(&str, f64),
    ) -> Result<Engine, EngineError> {
        Self::load_from_with(data, cache, &[], progress)
    }

    pub fn load_from_with(
        data: &Path,
        cache: &Path,
        adds: &[caravan_network::NewLink],
        progress: &mut dyn FnMut(&str, f64),
    ) -> Result<Engine, EngineError> {
        let (net, status) = caravan_network::load_or_build_with(data, cache, adds, progress)?;
        let params = Params::load(&data.join("params.toml"))?;
        let pairs: Vec<(u32, u32)> = net.arcs.iter().map(|a| (a.from, a.to)).collect();
        let lat: Vec<f32> = net.nodes.iter().map(|n| n.lat).collect();
        let lon: Vec<f32> = net.nodes.iter().map(|n| n.lon).collect();
        let topology = caravan_route::Topology {
            node_count: net.nodes.len(),
            arcs: &pairs,
            lat: &lat,
            lon: &lon,
        };
        let (hierarchy, hierarchy_rebuilt) =
            Hierarchy::open_or_build(cache, "world", topology, &mut || {
                progress("preparing the routing hierarchy (first run only)", 0.9)
            });
        Ok(Engine {
            net,
            params,
            graph: std::sync::OnceLock::new(),
            hierarchy,
            data_dir: data.to_path_buf(),
            cache: status,
            hierarchy_rebuilt,
            metrics: Mutex::new(Vec::new()),
            weights: Mutex::new(Vec::new()),
            access_index: std::sync::OnceLock::new(),
            metric_capacity: std::sync::atomic::AtomicUsize::new(METRIC_CACHE),
            payload_turn: Mutex::new(()),
            suggest: std::sync::OnceLock::new(),
        })
    }

    /// Up to `n` places whose name or code starts with `q` (see [`crate::suggest`]).
    pub fn suggest(&self, q: &str, n: usize) -> Vec<crate::suggest::Suggestion> {
        self.suggest
            .get_or_init(|| crate::suggest::Index::new(&self.net))
            .suggest(&self.net, q, n)
    }

    /// Adjacency for the exact search.
    pub fn graph(&self) -> &Graph {
        self.graph.get_or_init(|| {
            let pairs: Vec<(u32, u32)> = self.net.arcs.iter().map(|a| (a.from, a.to)).collect();
            Graph::from_arcs(self.net.nodes.len(), &pairs)
        })
    }

    /// Keep up to `n` customized profiles in memory (at least one).
    pub fn set_metric_capacity(&self, n: usize) {
        self.metric_capacity
            .store(n.max(1), std::sync::atomic::Ordering::Relaxed);
    }

    /// Customizes and prunes the hierarchy for these profiles now, so that a serving
    /// process answers its common profiles at full speed from the first request.
    pub fn warm(&self, specs: &[caravan_metric::ProfileSpec]) -> Result<(), EngineError> {
        for spec in specs {
            let profile = self.profile(spec).map_err(|e| match e {
                crate::PlanError::Profile(m) => EngineError::Metric(m),
                crate::PlanError::Engine(e) => e,
                other => EngineError::Metric(caravan_metric::MetricError::Params {
                    path: "profile".into(),
                    message: other.to_string(),
                }),
            })?;
            let (metric, digest) = self.metric(profile);
            self.customized_keyed(digest, &metric.weights, true);
        }
        Ok(())
    }

    /// The hierarchy customized for these arc weights, from the cache or made now (reusing
    /// the buffers of the least recently used entry when nobody else holds it).
    pub fn customized(&self, weights: &[u32]) -> Arc<Customized> {
        self.customized_for(weights, false)
    }

    /// As [`Self::customized`], and prepared for many queries if `prune`
    /// ([`Hierarchy::prune`]: ~0.3 s more on the world network, path queries ~2.5 times
    /// faster), which pays for a profile that will answer thousands of queries (a
    /// server's), not for one route.
    pub fn customized_for(&self, weights: &[u32], prune: bool) -> Arc<Customized> {
        self.customized_keyed(digest(weights), weights, prune)
    }

    /// The metric of a checked profile, its weights shared with earlier identical profiles
    /// (pricing every arc is most of a route request otherwise), and the digest its
    /// customization is cached by.
    pub fn metric(&self, profile: caravan_metric::Profile) -> (caravan_metric::Metric<'_>, u64) {
        let p = &profile;
        let key = format!(
            "{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{}|{:?}|{:?}|{:?}",
            p.cargo,
            p.tonnes,
            p.objective,
            p.modes,
            p.country_allowed,
            p.avoid_passages,
            p.scenarios,
            p.drivers,
            p.cargo_value_usd,
            p.applied,
            p.closed_crossings
        );
        let mut held = self.weights.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = held.iter().position(|(k, _, _)| *k == key) {
            let hit = held.remove(i);
            let (w, d) = (hit.1.clone(), hit.2);
            held.insert(0, hit);
            drop(held);
            return (
                caravan_metric::Metric::with_prices(&self.net, &self.params, profile, w),
                d,
            );
        }
        drop(held);
        let m = caravan_metric::Metric::new(&self.net, &self.params, profile);
        let d = digest(&m.weights);
        let mut held = self.weights.lock().unwrap_or_else(|e| e.into_inner());
        held.insert(0, (key, m.prices(), d));
        let capacity = self
            .metric_capacity
            .load(std::sync::atomic::Ordering::Relaxed);
        held.truncate(capacity.max(1) * 2);
        (m, d)
    }

    /// As [`Self::customized_for`], for weights whose digest is known.
    pub fn customized_keyed(&self, key: u64, weights: &[u32], prune: bool) -> Arc<Customized> {
        let mut cache = self.metrics.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(i) = cache.iter().position(|(k, _)| *k == key) {
            let (key, mut m) = cache.remove(i);
            if prune && !m.is_pruned() {
                match Arc::get_mut(&mut m) {
                    Some(own) => self.hierarchy.prune(own),
                    None => {
                        // Others hold the unpruned one: they keep it, later callers get this.
                        let mut fresh = self.hierarchy.customize(weights.to_vec());
                        self.hierarchy.prune(&mut fresh);
                        m = Arc::new(fresh);
                    }
                }
            }
            cache.insert(0, (key, m.clone()));
            return m;
        }
        let capacity = self
            .metric_capacity
            .load(std::sync::atomic::Ordering::Relaxed);
        let recycled = if cache.len() >= capacity {
            cache.pop().and_then(|(_, m)| Arc::try_unwrap(m).ok())
        } else {
            None
        };
        let m = match recycled {
            Some(mut m) => {
                self.hierarchy.customize_into(weights, &mut m);
                m
            }
            None => self.hierarchy.customize(weights.to_vec()),
        };
        let mut m = m;
        if prune {
            self.hierarchy.prune(&mut m);
        }
        let m = Arc::new(m);
        cache.insert(0, (key, m.clone()));
        m
    }
}

/// A digest of arc weights: the key of a customization.
fn digest(weights: &[u32]) -> u64 {
    let mut h = Xxh3::new();
    for chunk in weights.chunks(4096) {
        let bytes: Vec<u8> = chunk.iter().flat_map(|w| w.to_le_bytes()).collect();
        h.update(&bytes);
    }
    h.digest()
}

pub fn default_cache_dir() -> PathBuf {
    // Set but empty means unset (as for most variables), not the current directory.
    std::env::var_os("CARAVAN_CACHE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("caravan")))
        .unwrap_or_else(caravan_network::cache_dir)
}
