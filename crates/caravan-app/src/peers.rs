//! Peer shortest-path libraries run on the same directed multigraph, so the
//! benchmark can put our own router next to two established implementations:
//!
//! * [`fast_paths`] (pure Rust, classic Contraction Hierarchies, weight-dependent
//!   preprocessing, single-threaded);
//! * RoutingKit's Customizable Contraction Hierarchies through `routingkit-cch`
//!   (C++ via `cxx`; metric-independent preprocessing + weight customization).
//!
//! Both runners take the graph as parallel arrays (`arcs[i]` has weight
//! `weights[i]`), answer every `(source, target)` pair with a reused query
//! object, and report the per-pair cost so the caller can cross-check
//! correctness against its own router.
//!
//! Semantics shared by both runners: the graph is a directed multigraph, the
//! cost of a pair is the minimum over all directed paths of the sum of the arc
//! weights (`Some(0)` when `source == target`), `None` when the target is
//! unreachable or an endpoint is not a node of the graph (`>= node_count`).

use std::hint::black_box;
use std::time::{Duration, Instant};

use routingkit_cch::{compute_order_inertial, CCHMetric, CCHQuery, CCH, INF_WEIGHT};

/// One peer's measurements on a set of queries.
#[derive(Debug, Clone)]
pub struct PeerRun {
    /// Preprocessing seconds (fast_paths: CH preparation; RoutingKit:
    /// nested-dissection order + CCH build).
    pub prepare_s: f64,
    /// RoutingKit: customization with the weights; fast_paths: 0.0 (its
    /// preprocessing already depends on the weights).
    pub customize_s: f64,
    /// Median microseconds per point-to-point query, including extracting the
    /// node path (NaN if `pairs` is empty).
    pub query_us_p50: f64,
    /// Per pair, shortest-path cost (sum of `u32` weights), `None` if unreachable.
    pub costs: Vec<Option<u64>>,
}

/// Median of the per-query durations in microseconds; NaN when there were no
/// queries, so an empty run cannot masquerade as "infinitely fast".
fn median_us(mut times: Vec<Duration>) -> f64 {
    if times.is_empty() {
        return f64::NAN;
    }
    times.sort_unstable();
    let mid = times.len() / 2;
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    if times.len() % 2 == 1 {
        us(times[mid])
    } else {
        (us(times[mid - 1]) + us(times[mid])) / 2.0
    }
}

fn check_input(node_count: usize, arcs: &[(u32, u32)], weights: &[u32]) {
    assert_eq!(
        arcs.len(),
        weights.len(),
        "arcs and weights must have the same length"
    );
    assert!(
        arcs.iter()
            .all(|&(u, v)| (u as usize) < node_count && (v as usize) < node_count),
        "arc endpoint out of range 0..node_count"
    );
}

/// How our `u32` weights are turned into fast_paths weights.
///
/// fast_paths' `InputGraph::add_edge` silently *drops* arcs of weight 0 (and
/// self-loops), which would change shortest-path costs. When zero weights are
/// present we therefore map `w -> w * scale + 1` with `scale = node_count`:
/// every arc becomes positive, and since a simple path has fewer than
/// `node_count` arcs the transformed cost `cost * scale + hops` orders paths
/// by the true cost first (hops only break ties). The true cost is recovered
/// exactly as `transformed / scale`. Without zero weights the map is the
/// identity, so the common case measures fast_paths untouched.
#[derive(Debug, Clone, Copy)]
struct FpWeightMap {
    scale: usize,
    offset: usize,
}

impl FpWeightMap {
    fn new(node_count: usize, weights: &[u32]) -> Self {
        if !weights.contains(&0) {
            return Self {
                scale: 1,
                offset: 0,
            };
        }
        let scale = node_count.max(1);
        // Every path cost is bounded by the sum of all weights; fast_paths adds
        // two path weights in its bidirectional search, so keep a 4x margin.
        let total: u128 = weights.iter().map(|&w| u128::from(w)).sum();
        let bound = total * scale as u128 + node_count as u128;
        if bound < (usize::MAX / 4) as u128 {
            Self { scale, offset: 1 }
        } else {
            // Cannot happen for realistic graphs (needs sum(weights) * n near
            // 2^62). Degrade to "zero becomes one": costs may then overestimate
            // by the number of zero-weight arcs on the path. Documented in
            // `fast_paths_run`.
            Self {
                scale: 1,
                offset: 0,
            }
        }
    }

    fn apply(self, w: u32) -> usize {
        // With offset 0 (no transform) zero weights can only reach here in the
        // degraded case; clamp them so fast_paths keeps the arc.
        (w as usize * self.scale + self.offset).max(1)
    }

    fn invert(self, w: usize) -> u64 {
        (w / self.scale) as u64
    }
}

/// Runs fast_paths (Contraction Hierarchies) on the directed multigraph.
///
/// * Parallel arcs: `InputGraph::freeze` keeps only the cheapest of arcs with
///   the same `(from, to)`, which preserves shortest-path costs.
/// * Weight 0: fast_paths drops such arcs; they are kept via the exact
///   order-preserving transform described on `FpWeightMap`, applied only when
///   some weight is 0 (it changes tie-breaking towards fewer arcs, never the
///   cost). In the practically unreachable case where the transform could
///   overflow `usize`, zero weights are clamped to 1 instead (inexact).
/// * `prepare_s` times `fast_paths::prepare` only; building and freezing the
///   `InputGraph` (sort + dedup of the arc list) is input conversion, like
///   building RoutingKit's tail/head vectors, and is not timed.
/// * `InputGraph` sizes itself from the largest arc endpoint, so nodes above it
///   (isolated trailing nodes) are answered here without calling fast_paths.
///
/// Panics only on malformed input (length mismatch, endpoint `>= node_count`).
pub fn fast_paths_run(
    node_count: usize,
    arcs: &[(u32, u32)],
    weights: &[u32],
    pairs: &[(u32, u32)],
) -> PeerRun {
    check_input(node_count, arcs, weights);
    let map = FpWeightMap::new(node_count, weights);

    let mut input = fast_paths::InputGraph::new();
    for (&(u, v), &w) in arcs.iter().zip(weights) {
        input.add_edge(u as usize, v as usize, map.apply(w));
    }
    input.freeze();

    // `prepare` on a graph without arcs is pointless (and fast_paths would
    // size it to zero nodes); every query is then trivially answered.
    let has_arcs = input.get_num_edges() > 0;
    let start = Instant::now();
    let fast_graph = has_arcs.then(|| fast_paths::prepare(&input));
    let prepare_s = start.elapsed().as_secs_f64();
    drop(input);

    let mut calc = fast_graph.as_ref().map(fast_paths::create_calculator);
    let fp_nodes = fast_graph
        .as_ref()
        .map_or(0, fast_paths::FastGraph::get_num_nodes);

    let mut times = Vec::with_capacity(pairs.len());
    let mut costs = Vec::with_capacity(pairs.len());
    for &(s, t) in pairs {
        let (s, t) = (s as usize, t as usize);
        let start = Instant::now();
        let cost = match (&fast_graph, &mut calc) {
            (Some(g), Some(c)) if s < fp_nodes && t < fp_nodes => {
                // The node path is built inside `calc_path`; black_box keeps it
                // (and thus its construction) observable inside the timing.
                c.calc_path(g, s, t)
                    .map(|p| black_box(p).get_weight())
                    .map(|w| map.invert(w))
            }
            _ if s == t && s < node_count => Some(0),
            _ => None,
        };
        times.push(start.elapsed());
        costs.push(cost);
    }

    PeerRun {
        prepare_s,
        customize_s: 0.0,
        query_us_p50: median_us(times),
        costs,
    }
}

/// Runs RoutingKit's Customizable Contraction Hierarchy on the directed
/// multigraph.
///
/// * Order: RoutingKit's standard nested dissection with inertial-flow
///   separators from `lat`/`lon` (degree-1 and isolated nodes are fine);
///   `prepare_s` = order + CCH build. Neither step uses OpenMP.
/// * Customization: RoutingKit's sequential one. fast_paths' preparation is
///   single-threaded and the benchmark machine has only 2 shared cores, where a
///   parallel customization time is noisy and not comparable.
/// * Queries: one `CCHQuery` reused; each timed query includes adding the
///   endpoints, the search, reading the distance, extracting the node path and
///   the reset RoutingKit does to reuse the query.
/// * Parallel arcs and weight 0 are handled natively by RoutingKit.
/// * Limits: RoutingKit computes in `u32` with `INF_WEIGHT = 2^31 - 1` as
///   "unreachable", so an arc of weight exactly `2^31 - 1` is treated as absent,
///   and costs are exact only while every shortest distance stays below
///   `2^31 - 1` (true whenever the sum of all weights is below it).
///
/// Panics only on malformed input (length mismatch, endpoint `>= node_count`,
/// `node_count > u32::MAX`, `lat`/`lon` length != `node_count`).
pub fn routingkit_run(
    node_count: usize,
    arcs: &[(u32, u32)],
    weights: &[u32],
    lat: &[f32],
    lon: &[f32],
    pairs: &[(u32, u32)],
) -> PeerRun {
    check_input(node_count, arcs, weights);
    let n = u32::try_from(node_count).expect("node_count must fit in u32 for RoutingKit");
    assert!(
        lat.len() == node_count && lon.len() == node_count,
        "lat/lon must have node_count entries"
    );
    debug_assert!(
        weights.iter().all(|&w| w < INF_WEIGHT),
        "RoutingKit treats weights >= 2^31-1 as infinite"
    );

    if node_count == 0 {
        // RoutingKit's order/CCH code is not meant for an empty graph, and
        // every pair is then invalid anyway.
        return PeerRun {
            prepare_s: 0.0,
            customize_s: 0.0,
            query_us_p50: median_us(vec![Duration::ZERO; pairs.len()]),
            costs: vec![None; pairs.len()],
        };
    }

    let tail: Vec<u32> = arcs.iter().map(|&(u, _)| u).collect();
    let head: Vec<u32> = arcs.iter().map(|&(_, v)| v).collect();

    let start = Instant::now();
    let order = compute_order_inertial(n, &tail, &head, lat, lon);
    let cch = CCH::new(&order, &tail, &head, |_| {}, false);
    let prepare_s = start.elapsed().as_secs_f64();
    drop(order);

    // The metric owns its weight vector; copy it before the clock starts.
    let owned_weights = weights.to_vec();
    let start = Instant::now();
    let metric = CCHMetric::new(&cch, owned_weights);
    let customize_s = start.elapsed().as_secs_f64();

    let mut query = CCHQuery::new(&metric);
    let mut times = Vec::with_capacity(pairs.len());
    let mut costs = Vec::with_capacity(pairs.len());
    for &(s, t) in pairs {
        let start = Instant::now();
        // Endpoints that are not nodes are answered without RoutingKit, whose
        // `add_source`/`add_target` would panic.
        let cost = if s < n && t < n {
            query.add_source(s, 0);
            query.add_target(t, 0);
            let result = query.run();
            let distance = result.distance();
            black_box(result.node_path());
            // Dropping the result resets the query for reuse; that reset is
            // part of the per-query cost, so it stays inside the timing.
            drop(result);
            distance.map(u64::from)
        } else {
            None
        };
        times.push(start.elapsed());
        costs.push(cost);
    }

    PeerRun {
        prepare_s,
        customize_s,
        query_us_p50: median_us(times),
        costs,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiny graph exercising the special cases both runners must agree on:
    /// parallel arcs (cheapest wins), a zero-weight arc, a one-way arc,
    /// an isolated trailing node, `s == t`, and out-of-range endpoints.
    #[test]
    fn special_cases_agree() {
        let n = 5;
        let arcs = [(0, 1), (0, 1), (1, 2), (2, 0), (1, 3), (3, 2)];
        let weights = [10, 4, 0, 7, 1, 1];
        let lat = [0.0, 0.0, 1.0, 1.0, 2.0];
        let lon = [0.0, 1.0, 0.0, 1.0, 2.0];
        let pairs = [(0, 2), (2, 1), (3, 0), (4, 4), (0, 4), (1, 0), (9, 9)];
        let expect = [Some(4), Some(11), Some(8), Some(0), None, Some(7), None];
        let fp = fast_paths_run(n, &arcs, &weights, &pairs);
        assert_eq!(fp.costs, expect);
        let rk = routingkit_run(n, &arcs, &weights, &lat, &lon, &pairs);
        assert_eq!(rk.costs, expect);
    }

    #[test]
    fn graph_without_arcs() {
        let pairs = [(0, 0), (0, 1)];
        let fp = fast_paths_run(2, &[], &[], &pairs);
        assert_eq!(fp.costs, [Some(0), None]);
        let rk = routingkit_run(2, &[], &[], &[0.0, 1.0], &[0.0, 1.0], &pairs);
        assert_eq!(rk.costs, [Some(0), None]);
    }
}
