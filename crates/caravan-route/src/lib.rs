//! Shortest paths on a static directed graph with one `u32` weight per arc.
//!
//! This crate knows nothing of freight: the metric turns modes, borders and scenarios into
//! weights, and everything here is a plain shortest-path problem. That split is what lets
//! one prepared topology answer every profile (see the Customizable Contraction Hierarchies
//! of Dibbelt, Strasser and Wagner, 2016).

mod dijkstra;
mod graph;

pub use dijkstra::{Dijkstra, Endpoint, Path};
pub use graph::Graph;

/// A weight that closes an arc: no path may use it.
pub const INFINITY: u32 = u32::MAX;
