//! Shortest paths on a static directed graph with one `u32` weight per arc.
//!
//! This crate knows nothing of freight: the metric turns modes, borders and scenarios into
//! weights, and everything here is a plain shortest-path problem. That split is what lets
//! one prepared topology answer every profile: a Customizable Contraction Hierarchy
//! (Dibbelt, Strasser and Wagner, ACM JEA 2016) is prepared once per topology and
//! customized per profile; plain Dijkstra stays as the exact search and test oracle.

mod chain;
mod customize;
mod dijkstra;
mod elimination;
mod graph;
mod hierarchy;
mod many_to_many;
mod order;
mod payload;
mod pruned;
mod root_path;
mod store;
mod witness;

pub use chain::{Attachment, ChainContraction};
pub use dijkstra::{Dijkstra, Endpoint, Path};
pub use graph::Graph;
pub use hierarchy::{Customized, Hierarchy, PrepareStats, Searcher, CLOSED};
pub use payload::{ArcPayloads, Block, Join, Reached};
pub use store::{topology_key, StoreError, Topology, FORMAT as HIERARCHY_FORMAT};

/// A weight that closes an arc: no path may use it.
pub const INFINITY: u32 = u32::MAX;
