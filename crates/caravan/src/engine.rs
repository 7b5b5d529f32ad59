//! The loaded engine: network (from cache or built), parameters and the routing graph.

use caravan_metric::Params;
use caravan_network::{CacheStatus, Network, NetworkError};
use caravan_route::Graph;
use std::path::{Path, PathBuf};

pub struct Engine {
    pub net: Network,
    pub params: Params,
    pub graph: Graph,
    pub data_dir: PathBuf,
    pub cache: CacheStatus,
}

#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error(transparent)]
    Network(#[from] NetworkError),
    #[error(transparent)]
    Metric(#[from] caravan_metric::MetricError),
}

impl Engine {
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
        let (net, status) = caravan_network::load_or_build(data, cache, progress)?;
        let params = Params::load(&data.join("params.toml"))?;
        let pairs: Vec<(u32, u32)> = net.arcs.iter().map(|a| (a.from, a.to)).collect();
        let graph = Graph::from_arcs(net.nodes.len(), &pairs);
        Ok(Engine {
            net,
            params,
            graph,
            data_dir: data.to_path_buf(),
            cache: status,
        })
    }
}

pub fn default_cache_dir() -> PathBuf {
    std::env::var_os("CARAVAN_CACHE")
        .map(PathBuf::from)
        .or_else(|| dirs::cache_dir().map(|d| d.join("caravan")))
        .unwrap_or_else(caravan_network::cache_dir)
}
