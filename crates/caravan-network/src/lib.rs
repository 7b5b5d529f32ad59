//! The embedded multimodal freight network.
//!
//! `data/` holds the repaired layers written by `tools/import` (rail, road, sea) and the
//! curated overlay (ferries, terminals, gauges, borders, airports, pipelines, planned
//! links). [`build`] joins them into one [`Network`]: nodes per mode layer, line arcs,
//! transfer arcs at terminals, and border and gauge-change attributes on the arcs that
//! cross them. Nothing here prices anything: that is the metric's job.

pub mod addition;
pub mod audit;
mod build;
mod cache;
mod crossings;
mod data_dir;
mod error;
mod ferries;
pub mod geo;
mod io;
mod model;
pub mod overlay;
mod places;
pub mod ranges;
mod report;
pub mod spatial;
mod terminals;

pub use addition::NewLink;
pub use build::{build, build_with, ARCTIC_PASSAGE, CASPIAN_PASSAGE};
pub use cache::{cache_dir, load_or_build, load_or_build_with, CacheStatus, CACHE_FORMAT};
pub use data_dir::data_dir;
pub use error::NetworkError;
pub use model::*;
pub use places::{
    normalize, parse_coordinates, shown, Place, PlaceError, PlaceKind, MAX_QUERY_BYTES,
};
pub use report::{LayerStats, NetworkReport};

/// How far from a point a city may be to name it (km).
pub const NAMING_RADIUS_KM: f64 = 60.0;
