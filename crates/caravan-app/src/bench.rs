//! `caravan bench`: query-core speed measured in one run, against baselines measured in
//! the same run (the exact search; with the `peers` feature, fast_paths and RoutingKit).
//!
//! Two graphs. `rail` is scgraph-data's rail layer exactly as published (data/bench/,
//! before our repair, chain compression and multimodal join), so every implementation gets
//! the same input; caravan's figures include its own chain contraction and unpack paths
//! back to the input's arcs. `world` is the embedded multimodal network under the default
//! profile, with queries unpacked to legs. Pairs are drawn from each graph's largest
//! connected component with a seeded generator; `agree` is true only when every
//! implementation returns the same cost on every pair. caravan's queries run twice: on
//! every up-arc (`query_unpruned_*`) and on the search graphs pruned by a perfect
//! customization (`query_*`, after `prune_s`); both must agree.

use crate::Engine;
use caravan_metric::{Metric, ProfileSpec};
use caravan_route::{Dijkstra, Endpoint, Graph, Hierarchy};
use rand::{Rng, SeedableRng};
use serde_json::{json, Value};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

pub struct BenchOptions {
    pub queries: usize,
    pub seed: u64,
    pub skip_rail: bool,
    pub skip_world: bool,
    /// Where to write the rail pairs and caravan's costs (for tools/bench/scgraph_rail.py).
    pub pairs_out: Option<std::path::PathBuf>,
}

/// A graph given as arcs with weights and node coordinates.
pub struct InputGraph {
    pub lat: Vec<f32>,
    pub lon: Vec<f32>,
    pub arcs: Vec<(u32, u32)>,
    pub weights: Vec<u32>,
}

fn read_zst_csv(path: &Path) -> std::io::Result<csv::Reader<Box<dyn Read>>> {
    let file = std::fs::File::open(path)
        .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    let dec: Box<dyn Read> = Box::new(zstd::Decoder::new(file)?);
    Ok(csv::Reader::from_reader(dec))
}

/// The published rail graph from data/bench (see tools/bench/export_rail.py).
pub fn load_rail(dir: &Path) -> std::io::Result<InputGraph> {
    let bad = |e: csv::Error| std::io::Error::new(std::io::ErrorKind::InvalidData, e);
    let mut g = InputGraph {
        lat: vec![],
        lon: vec![],
        arcs: vec![],
        weights: vec![],
    };
    for r in read_zst_csv(&dir.join("rail_nodes.csv.zst"))?.deserialize() {
        let (lat, lon): (f32, f32) = r.map_err(bad)?;
        g.lat.push(lat);
        g.lon.push(lon);
    }
    for r in read_zst_csv(&dir.join("rail_arcs.csv.zst"))?.deserialize() {
        let (a, b, m): (u32, u32, u32) = r.map_err(bad)?;
        g.arcs.push((a, b));
        g.weights.push(m);
    }
    Ok(g)
}

/// Nodes of the largest weakly connected component. (A union-find in a dozen lines is
/// cheaper than a graph-library dependency for this one use.)
fn largest_component(n: usize, arcs: &[(u32, u32)]) -> Vec<u32> {
    let mut parent: Vec<u32> = (0..n as u32).collect();
    fn find(p: &mut [u32], mut x: u32) -> u32 {
        while p[x as usize] != x {
            p[x as usize] = p[p[x as usize] as usize];
            x = p[x as usize];
        }
        x
    }
    for &(a, b) in arcs {
        let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
        if ra != rb {
            parent[ra as usize] = rb;
        }
    }
    let mut size = vec![0u32; n];
    let roots: Vec<u32> = (0..n as u32).map(|v| find(&mut parent, v)).collect();
    for &r in &roots {
        size[r as usize] += 1;
    }
    let big = (0..n).max_by_key(|&r| size[r]).unwrap_or(0) as u32;
    (0..n as u32)
        .filter(|&v| roots[v as usize] == big)
        .collect()
}

fn random_pairs(nodes: &[u32], k: usize, seed: u64) -> Vec<(u32, u32)> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    (0..k)
        .map(|_| {
            (
                nodes[rng.gen_range(0..nodes.len())],
                nodes[rng.gen_range(0..nodes.len())],
            )
        })
        .collect()
}

/// Median and 99th percentile of per-query microseconds.
fn percentiles(mut us: Vec<f64>) -> (f64, f64) {
    if us.is_empty() {
        return (0.0, 0.0);
    }
    us.sort_by(f64::total_cmp);
    let at = |q: f64| us[((us.len() - 1) as f64 * q).round() as usize];
    (round(at(0.5), 1), round(at(0.99), 1))
}

fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

fn single(x: u32) -> [Endpoint; 1] {
    [Endpoint { node: x, weight: 0 }]
}

/// Exact-search costs and per-query microseconds.
fn dijkstra_costs(g: &Graph, w: &[u32], pairs: &[(u32, u32)]) -> (Vec<Option<u64>>, Vec<f64>) {
    let mut d = Dijkstra::new(g.node_count());
    let mut us = Vec::with_capacity(pairs.len());
    let costs = pairs
        .iter()
        .map(|&(a, b)| {
            let t = Instant::now();
            let r = d.run(g, w, &single(a), &single(b)).map(|p| p.weight);
            us.push(t.elapsed().as_secs_f64() * 1e6);
            r
        })
        .collect();
    (costs, us)
}

/// Resident memory now and at peak, in MB (Linux; 0 elsewhere).
fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            .map_or(0.0, |kb| round(kb / 1024.0, 0))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

pub fn bench_rail(g: &InputGraph, opts: &BenchOptions, say: &dyn Fn(&str)) -> Value {
    let n = g.lat.len();
    let lcc = largest_component(n, &g.arcs);
    let pairs = random_pairs(&lcc, opts.queries, opts.seed);
    say("rail: preparing the hierarchy");
    let t = Instant::now();
    let (h, stats) = Hierarchy::build(n, &g.arcs, &g.lat, &g.lon, &[]);
    let prepare_s = t.elapsed().as_secs_f64();
    let (customize_s, customize_fresh_s, mut m) = customize_timed(&h, &g.weights);
    let prune_s = prune_timed(&h, &g.weights, &mut m);
    say("rail: caravan queries");
    let view = h.view();
    let mut searcher = h.searcher(&view);
    let mut timed = |m: &caravan_route::Customized, pairs: &[(u32, u32)]| {
        let mut us = Vec::with_capacity(pairs.len());
        let costs: Vec<Option<u64>> = pairs
            .iter()
            .map(|&(a, b)| {
                let t = Instant::now();
                let p = searcher.path(m, &single(a), &single(b));
                us.push(t.elapsed().as_secs_f64() * 1e6);
                p.map(|p| p.weight)
            })
            .collect();
        TimedRun {
            costs,
            us,
            inner_us: Vec::new(),
        }
    };
    let warm_up = random_pairs(&lcc, 5 * opts.queries, opts.seed ^ 0x5eed);
    let all = queries(&h, &mut m, &g.weights, false, &warm_up, &pairs, &mut timed);
    let fast = queries(&h, &mut m, &g.weights, true, &warm_up, &pairs, &mut timed);
    let (costs, p50, p99, cold50) = (&fast.costs, fast.p50, fast.p99, fast.cold_p50);
    say("rail: exact search (Dijkstra) on the same pairs");
    let graph = Graph::from_arcs(n, &g.arcs);
    let (exact, dus) = dijkstra_costs(&graph, &g.weights, &pairs);
    let (d50, _) = percentiles(dus);
    let mut agree = *costs == exact && all.costs == exact;
    if let Some(path) = &opts.pairs_out {
        let rows: String = pairs
            .iter()
            .zip(costs)
            .map(|(&(a, b), c)| format!("{a},{b},{}\n", c.map_or(String::new(), |c| c.to_string())))
            .collect();
        match std::fs::write(path, format!("from,to,cost\n{rows}")) {
            Ok(()) => say(&format!("rail: pairs written to {}", path.display())),
            Err(e) => say(&format!("rail: could not write {}: {e}", path.display())),
        }
    }
    let mut out = json!({
        "name": "rail",
        "nodes": n,
        "arcs": g.arcs.len(),
        "core_nodes": h.chains.core_node_count(),
        "core_arcs": h.chains.core_arc_count(),
        "shortcut_arcs": h.shortcut_arc_count(),
        "queries": pairs.len(),
        "reachable": costs.iter().filter(|c| c.is_some()).count(),
        "prepare_s": round(prepare_s, 3),
        "prepare_detail_s": {"chains": round(stats.contract_s, 3), "order": round(stats.order_s, 3), "build": round(stats.build_s, 3)},
        "customize_s": round(customize_s, 4),
        "customize_first_s": round(customize_fresh_s, 4),
        "prune_s": round(prune_s, 4),
        "search_arcs": search_arcs(&h, &m),
        "query_us_p50": p50,
        "query_us_p99": p99,
        "query_cold_us_p50": cold50,
        "query_unpruned_us_p50": all.p50,
        "query_unpruned_cold_us_p50": all.cold_p50,
        "dijkstra_us_p50": d50,
        "speedup_vs_dijkstra": round(d50 / p50.max(1e-9), 1),
    });
    peers(g, &pairs, costs, p50, &mut out, &mut agree, say);
    out["agree"] = json!(agree);
    out
}

#[cfg(feature = "peers")]
fn peers(
    g: &InputGraph,
    pairs: &[(u32, u32)],
    costs: &[Option<u64>],
    p50: f64,
    out: &mut Value,
    agree: &mut bool,
    say: &dyn Fn(&str),
) {
    use crate::peers;
    let n = g.lat.len();
    say("rail: fast_paths (CH) on the same graph and pairs");
    let fp = peers::fast_paths_run(n, &g.arcs, &g.weights, pairs);
    say("rail: RoutingKit (C++ CCH) on the same graph and pairs");
    let rk = peers::routingkit_run(n, &g.arcs, &g.weights, &g.lat, &g.lon, pairs);
    *agree &= fp.costs == costs && rk.costs == costs;
    out["fast_paths_prepare_s"] = json!(round(fp.prepare_s, 3));
    out["fast_paths_query_us_p50"] = json!(round(fp.query_us_p50, 1));
    out["routingkit_prepare_s"] = json!(round(rk.prepare_s, 3));
    out["routingkit_customize_s"] = json!(round(rk.customize_s, 4));
    out["routingkit_query_us_p50"] = json!(round(rk.query_us_p50, 1));
    out["fast_paths_query_ratio"] = json!(round(fp.query_us_p50 / p50.max(1e-9), 2));
    out["routingkit_query_ratio"] = json!(round(rk.query_us_p50 / p50.max(1e-9), 2));
}

#[cfg(not(feature = "peers"))]
fn peers(
    _: &InputGraph,
    _: &[(u32, u32)],
    _: &[Option<u64>],
    _: f64,
    out: &mut Value,
    _: &mut bool,
    say: &dyn Fn(&str),
) {
    say("rail: peers skipped (build with --features peers to run fast_paths and RoutingKit)");
    out["peers"] = json!("not built: cargo run --release --features peers -- bench");
}

/// Timings of one set of queries: steady-state percentiles, the cold median and the
/// costs found.
struct Queries {
    costs: Vec<Option<u64>>,
    p50: f64,
    p99: f64,
    cold_p50: f64,
    /// Percentiles of a second figure the timing closure reports (path only, world).
    inner_p50: f64,
}

/// Measures `timed` on `pairs` over one search graph: every up-arc (`pruned` false) or the
/// perfectly customized, pruned one. Cold is right after (re)customizing, when every query
/// also fills the unpacking memo; steady state (what a serving process sees) is after the
/// memo was reset by a new customization and warmed by 5x as many *other* random pairs.
fn queries(
    h: &Hierarchy,
    m: &mut caravan_route::Customized,
    weights: &[u32],
    pruned: bool,
    warm_up: &[(u32, u32)],
    pairs: &[(u32, u32)],
    timed: &mut Timing,
) -> Queries {
    let fresh = |m: &mut caravan_route::Customized| {
        h.customize_into(weights, m);
        if pruned {
            h.prune(m);
        }
    };
    fresh(m);
    let cold = timed(m, pairs);
    fresh(m);
    let _ = timed(m, warm_up);
    let run = timed(m, pairs);
    let (p50, p99) = percentiles(run.us);
    Queries {
        costs: run.costs,
        p50,
        p99,
        cold_p50: percentiles(cold.us).0,
        inner_p50: percentiles(run.inner_us).0,
    }
}

/// Runs one pass of queries over a customized metric.
type Timing<'a> = dyn FnMut(&caravan_route::Customized, &[(u32, u32)]) -> TimedRun + 'a;

/// One pass over a set of pairs: the cost found per pair and the time per query in µs.
struct TimedRun {
    costs: Vec<Option<u64>>,
    us: Vec<f64>,
    inner_us: Vec<f64>,
}

/// Pruning time (median of three, each after a fresh customization).
fn prune_timed(h: &Hierarchy, w: &[u32], m: &mut caravan_route::Customized) -> f64 {
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            h.customize_into(w, m);
            let t = Instant::now();
            h.prune(m);
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[1]
}

/// Up-arcs the query sweeps may relax, of all up-arcs, under the metric the pruned
/// queries just ran on.
fn search_arcs(h: &Hierarchy, m: &caravan_route::Customized) -> Value {
    let (f, b) = m.search_arcs();
    json!({"all": h.shortcut_arc_count(), "kept_forward": f, "kept_backward": b})
}

/// Customization time with a reused buffer (median of three) and the first, allocating one.
fn customize_timed(h: &Hierarchy, w: &[u32]) -> (f64, f64, caravan_route::Customized) {
    let t = Instant::now();
    let mut m = h.customize(w.to_vec());
    let first = t.elapsed().as_secs_f64();
    let mut times: Vec<f64> = (0..3)
        .map(|_| {
            let t = Instant::now();
            h.customize_into(w, &mut m);
            t.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[1], first, m)
}

pub fn bench_world(
    data: &Path,
    cache: &Path,
    opts: &BenchOptions,
    say: &dyn Fn(&str),
) -> Result<Value, crate::engine::EngineError> {
    say("world: loading the network (warming the cache)");
    drop(Engine::load_from(data, cache, &mut |_, _| {})?);
    let t = Instant::now();
    let e = Engine::load_from(data, cache, &mut |_, _| {})?;
    let load_s = t.elapsed().as_secs_f64();
    let n = e.net.nodes.len();
    let arcs: Vec<(u32, u32)> = e.net.arcs.iter().map(|a| (a.from, a.to)).collect();
    say("world: preparing a fresh hierarchy (timed; the cached one serves the queries)");
    let lat: Vec<f32> = e.net.nodes.iter().map(|v| v.lat).collect();
    let lon: Vec<f32> = e.net.nodes.iter().map(|v| v.lon).collect();
    let t = Instant::now();
    let (fresh, stats) = Hierarchy::build(n, &arcs, &lat, &lon, &[]);
    let prepare_s = t.elapsed().as_secs_f64();
    let (core_nodes, core_arcs, shortcuts) = (
        fresh.chains.core_node_count(),
        fresh.chains.core_arc_count(),
        fresh.shortcut_arc_count(),
    );
    drop(fresh);
    let t = Instant::now();
    let profile = caravan_metric::Profile::new(&e.net, &ProfileSpec::default())?;
    let metric = Metric::new(&e.net, &e.params, profile);
    let metric_s = t.elapsed().as_secs_f64();
    let (customize_s, customize_first_s, mut m) = customize_timed(&e.hierarchy, &metric.weights);
    let lcc = largest_component(n, &arcs);
    let pairs = random_pairs(&lcc, opts.queries, opts.seed);
    let prune_s = prune_timed(&e.hierarchy, &metric.weights, &mut m);
    say("world: caravan queries (path unpacked to legs)");
    let view = e.hierarchy.view();
    let mut searcher = e.hierarchy.searcher(&view);
    let mut timed = |m: &caravan_route::Customized, pairs: &[(u32, u32)]| {
        let (mut us, mut inner_us) = (Vec::new(), Vec::new());
        let costs: Vec<Option<u64>> = pairs
            .iter()
            .map(|&(a, b)| {
                let t = Instant::now();
                let p = searcher.path(m, &single(a), &single(b));
                inner_us.push(t.elapsed().as_secs_f64() * 1e6);
                let legs = p
                    .as_ref()
                    .map(|p| metric.explain_with(&p.arcs, None, None, false).legs.len());
                us.push(t.elapsed().as_secs_f64() * 1e6);
                std::hint::black_box(legs);
                p.map(|p| p.weight)
            })
            .collect();
        TimedRun {
            costs,
            us,
            inner_us,
        }
    };
    let warm_up = random_pairs(&lcc, 5 * opts.queries, opts.seed ^ 0x5eed);
    let w = &metric.weights;
    let all = queries(&e.hierarchy, &mut m, w, false, &warm_up, &pairs, &mut timed);
    let fast = queries(&e.hierarchy, &mut m, w, true, &warm_up, &pairs, &mut timed);
    let (costs, p50, p99) = (&fast.costs, fast.p50, fast.p99);
    say("world: 1000 x 1000 matrix");
    let k = pairs.len().min(1000);
    let sets = |f: fn(&(u32, u32)) -> u32| -> Vec<Vec<Endpoint>> {
        pairs[..k].iter().map(|p| single(f(p)).to_vec()).collect()
    };
    let (src, dst) = (sets(|p| p.0), sets(|p| p.1));
    let t = Instant::now();
    let mx = e.hierarchy.matrix(&m, &src, &dst);
    let matrix_s = t.elapsed().as_secs_f64();
    let diagonal_agrees = (0..k).all(|i| mx[i * k + i] == costs[i]);
    let search = search_arcs(&e.hierarchy, &m);
    say("world: exact search (Dijkstra) on the same pairs");
    let (exact, dus) = dijkstra_costs(e.graph(), &metric.weights, &pairs);
    let (d50, _) = percentiles(dus);
    let (rss, peak) = rss_mb();
    Ok(json!({
        "name": "world",
        "profile": "default (container, balanced, all modes)",
        "nodes": n,
        "arcs": arcs.len(),
        "core_nodes": core_nodes,
        "core_arcs": core_arcs,
        "shortcut_arcs": shortcuts,
        "queries": pairs.len(),
        "reachable": costs.iter().filter(|c| c.is_some()).count(),
        "load_s": round(load_s, 3),
        "prepare_s": round(prepare_s, 3),
        "prepare_detail_s": {"chains": round(stats.contract_s, 3), "order": round(stats.order_s, 3), "build": round(stats.build_s, 3)},
        "metric_weights_s": round(metric_s, 4),
        "customize_s": round(customize_s, 4),
        "customize_first_s": round(customize_first_s, 4),
        "prune_s": round(prune_s, 4),
        "search_arcs": search,
        "query_us_p50": p50,
        "query_us_p99": p99,
        "path_only_us_p50": fast.inner_p50,
        "query_cold_us_p50": fast.cold_p50,
        "query_unpruned_us_p50": all.p50,
        "path_only_unpruned_us_p50": all.inner_p50,
        "query_unpruned_cold_us_p50": all.cold_p50,
        "dijkstra_us_p50": d50,
        "speedup_vs_dijkstra": round(d50 / p50.max(1e-9), 1),
        "matrix_size": format!("{k}x{k}"),
        "matrix_1000x1000_s": round(matrix_s, 3),
        "rss_mb": rss,
        "peak_rss_mb": peak,
        "agree": *costs == exact && all.costs == exact && diagonal_agrees,
        "matrix_figures": matrix_figures(&e, say)?,
        "criticality": criticality(&e, opts.seed, say)?,
    }))
}

/// The `k` most populous cities of the world, as places.
fn top_cities(e: &Engine, k: usize) -> Vec<caravan_network::Place> {
    let mut cities: Vec<&caravan_network::City> = e.net.cities.iter().collect();
    cities.sort_by(|a, b| b.population.cmp(&a.population).then(a.name.cmp(&b.name)));
    cities
        .iter()
        .filter_map(|c| e.net.resolve_place(&format!("{},{}", c.lat, c.lon)).ok())
        .take(k)
        .collect()
}

/// A 1000×1000 matrix of the most populous cities under the default profile, three ways
/// in one run: the weight alone, every figure carried through the hierarchy (what
/// `caravan matrix` does), and every cell's path unpacked and explained (what `route`
/// does; timed on a 100×100 corner and scaled to the full matrix). The corner's cells
/// must agree between the two methods that give figures.
fn matrix_figures(e: &Engine, say: &dyn Fn(&str)) -> Result<Value, crate::engine::EngineError> {
    use crate::matrix::Method;
    let fail = |m: crate::matrix::MatrixError| {
        crate::engine::EngineError::Metric(caravan_metric::MetricError::Params {
            path: "bench matrix".into(),
            message: m.to_string(),
        })
    };
    let places = top_cities(e, 1000);
    let spec = ProfileSpec::default();
    say("world: 1000 x 1000 city matrix: weight alone, every figure, explained per cell");
    // The first call customizes; the timed ones below reuse it, as each would in its own
    // run after the same customization.
    let (weights, _) = e.matrix_weights(&places, &places, &spec).map_err(fail)?;
    let mut weight_s = f64::MAX;
    let mut figures = crate::matrix::MatrixTimes {
        matrix_s: f64::MAX,
        ..Default::default()
    };
    let mut carried = Vec::new();
    // Best of three: the machine's other load is noise, not the method's cost.
    for _ in 0..3 {
        weight_s = weight_s.min(e.matrix_weights(&places, &places, &spec).map_err(fail)?.1);
        let mut cells = Vec::with_capacity(places.len() * places.len());
        let t = e
            .matrix_stream(&places, &places, &spec, Method::Payloads, &|_| {}, |b| {
                cells.extend(b.into_row_major());
                Ok(())
            })
            .map_err(fail)?;
        if t.matrix_s < figures.matrix_s {
            figures = t;
        }
        carried = cells;
    }
    let corner = &places[..100.min(places.len())];
    let mut unpacked = Vec::new();
    let paths = e
        .matrix_stream(corner, corner, &spec, Method::Paths, &|_| {}, |b| {
            unpacked.extend(b.into_row_major());
            Ok(())
        })
        .map_err(fail)?;
    let per_cell_us = paths.matrix_s * 1e6 / (corner.len() * corner.len()).max(1) as f64;
    let n = places.len();
    let agree = unpacked.iter().enumerate().all(|(k, u)| {
        let (i, j) = (k / corner.len(), k % corner.len());
        carried[i * n + j] == *u
    });
    let routed = carried.iter().filter(|c| c.figures().is_some()).count();
    let same_reach = carried
        .iter()
        .zip(&weights)
        .filter(|(c, _)| !matches!(c, crate::matrix::Outcome::Route(f) if f.distance_km == 0.0))
        .all(|(c, w)| c.figures().is_some() == w.is_some());
    Ok(json!({
        "size": format!("{n}x{n}"),
        "routed_cells": routed,
        "weight_only_s": round(weight_s, 3),
        "figures_payloads_s": round(figures.payloads_s, 3),
        "figures_matrix_s": round(figures.matrix_s, 3),
        "figures_vs_weight": round(figures.matrix_s / weight_s.max(1e-9), 2),
        "explain_us_per_cell": round(per_cell_us, 1),
        "explain_full_s_estimated": round(per_cell_us * (n * n) as f64 / 1e6, 1),
        "figures_vs_explain": round(per_cell_us * (n * n) as f64 / 1e6 / figures.matrix_s.max(1e-9), 1),
        "corner_agrees": agree,
        "same_reach_as_weights": same_reach,
    }))
}

/// Lanes between the 200 most populous cities of Eurasia (a box: 0–75° N, 10° W–145° E),
/// `k` seeded random ordered pairs of weight 1.
fn city_lanes(e: &Engine, k: usize, seed: u64) -> Vec<crate::lanes::Lane> {
    let mut cities: Vec<&caravan_network::City> = e
        .net
        .cities
        .iter()
        .filter(|c| (0.0..=75.0).contains(&c.lat) && (-10.0..=145.0).contains(&c.lon))
        .collect();
    cities.sort_by(|a, b| b.population.cmp(&a.population).then(a.name.cmp(&b.name)));
    cities.truncate(200);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0x1a9e);
    let mut lanes = Vec::with_capacity(k);
    while lanes.len() < k && cities.len() > 1 {
        let (a, b) = (
            cities[rng.gen_range(0..cities.len())],
            cities[rng.gen_range(0..cities.len())],
        );
        let at = |c: &caravan_network::City| e.net.resolve_place(&format!("{},{}", c.lat, c.lon));
        if let (false, Ok(from), Ok(to)) = (std::ptr::eq(a, b), at(a), at(b)) {
            lanes.push(crate::lanes::Lane {
                line: lanes.len() + 1,
                from,
                to,
                weight: 1.0,
            });
        }
    }
    lanes
}

/// Criticality of every chokepoint over 1,000 city lanes (default profile), exact, and by
/// brute force (every lane re-routed, each closure customized afresh) on a sample of
/// chokepoints: the top three and five drawn at random among those the lanes use. The
/// brute-force time for all of them is extrapolated from the sample's.
fn criticality(
    e: &Engine,
    seed: u64,
    say: &dyn Fn(&str),
) -> Result<Value, crate::engine::EngineError> {
    use crate::criticality::{chokepoints, Options};
    let fail = |m: crate::matrix::MatrixError| {
        crate::engine::EngineError::Metric(caravan_metric::MetricError::Params {
            path: "bench criticality".into(),
            message: m.to_string(),
        })
    };
    let lanes = city_lanes(e, 1000, seed);
    let spec = ProfileSpec::default();
    say("world: criticality of every chokepoint over 1000 lanes (exact)");
    let t = Instant::now();
    let exact = e
        .criticality(&lanes, &spec, &Options::default(), &|_, _| {})
        .map_err(fail)?;
    let exact_s = t.elapsed().as_secs_f64();
    let all = chokepoints(&e.net);
    let index = |kind, name: &str| all.iter().position(|c| c.kind == kind && c.name == name);
    let mut sample: Vec<usize> = exact
        .ranking
        .iter()
        .take(3)
        .filter_map(|r| index(r.kind, &r.name))
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed ^ 0xc417);
    let used = &exact.ranking;
    while sample.len() < 8.min(used.len()) {
        let r = &used[rng.gen_range(0..used.len())];
        if let Some(i) = index(r.kind, &r.name).filter(|i| !sample.contains(i)) {
            sample.push(i);
        }
    }
    say("world: criticality by brute force on a sample of chokepoints");
    let t = Instant::now();
    let brute = e
        .criticality(
            &lanes,
            &spec,
            &Options {
                brute_force: true,
                only: Some(sample.clone()),
            },
            &|_, _| {},
        )
        .map_err(fail)?;
    let brute_s = t.elapsed().as_secs_f64();
    let brute_all_s = brute_s / sample.len().max(1) as f64 * exact.chokepoints_used as f64;
    // Identical: the same figures for every sampled chokepoint, in the same order.
    let key = |r: &crate::criticality::Entry| (r.kind, r.name.clone());
    let figures = |r: &crate::criticality::Entry| {
        (
            (r.weighted_increase_usd * 100.0).round() as i64,
            r.disconnected_lanes,
        )
    };
    let in_exact: Vec<_> = exact
        .ranking
        .iter()
        .filter(|r| brute.ranking.iter().any(|b| key(b) == key(r)))
        .map(|r| (key(r), figures(r)))
        .collect();
    let in_brute: Vec<_> = brute.ranking.iter().map(|r| (key(r), figures(r))).collect();
    Ok(json!({
        "lanes": lanes.len(),
        "routed_lanes": exact.routed_lanes,
        "chokepoints": exact.chokepoints,
        "chokepoints_used": exact.chokepoints_used,
        "exact_s": round(exact_s, 2),
        "brute_force_sample": sample.len(),
        "brute_force_sample_s": round(brute_s, 2),
        "brute_force_all_s_estimated": round(brute_all_s, 1),
        "speedup_vs_brute_force": round(brute_all_s / exact_s.max(1e-9), 1),
        "identical": in_exact == in_brute && in_brute.len() == sample.len(),
        "top": exact.ranking.iter().take(5).map(|r| format!("{} ({})", r.name, r.kind.as_str())).collect::<Vec<_>>(),
    }))
}

/// The whole report: graphs and resident memory at the end of the run.
pub fn report(graphs: Vec<Value>) -> Value {
    let (rss, peak) = rss_mb();
    json!({
        "graphs": graphs,
        "rss_mb": rss,
        "peak_rss_mb": peak,
        "machine": {"threads": rayon::current_num_threads()},
    })
}

/// A compact table of the headline figures.
pub fn report_table(r: &Value) -> String {
    let mut s = String::new();
    let keys = [
        "nodes",
        "arcs",
        "core_nodes",
        "shortcut_arcs",
        "load_s",
        "prepare_s",
        "customize_s",
        "prune_s",
        "query_us_p50",
        "query_us_p99",
        "query_unpruned_us_p50",
        "dijkstra_us_p50",
        "speedup_vs_dijkstra",
        "fast_paths_prepare_s",
        "fast_paths_query_us_p50",
        "routingkit_customize_s",
        "routingkit_query_us_p50",
        "matrix_1000x1000_s",
        "agree",
    ];
    let critical = [
        "chokepoints_used",
        "exact_s",
        "brute_force_all_s_estimated",
        "speedup_vs_brute_force",
        "identical",
    ];
    for g in r["graphs"].as_array().into_iter().flatten() {
        s += &format!("{}\n", g["name"].as_str().unwrap_or("?"));
        for k in keys {
            if !g[k].is_null() {
                s += &format!("  {k:<26} {}\n", g[k]);
            }
        }
        for k in [
            "weight_only_s",
            "figures_payloads_s",
            "figures_matrix_s",
            "figures_vs_weight",
            "explain_us_per_cell",
            "explain_full_s_estimated",
            "figures_vs_explain",
            "corner_agrees",
        ] {
            let v = &g["matrix_figures"][k];
            if !v.is_null() {
                s += &format!("  {:<26} {v}\n", format!("cities_1000_{k}"));
            }
        }
        for k in critical {
            let v = &g["criticality"][k];
            if !v.is_null() {
                s += &format!("  {:<26} {v}\n", format!("criticality_{k}"));
            }
        }
    }
    s += &format!(
        "resident memory: {} MB (peak {} MB)\n",
        r["rss_mb"], r["peak_rss_mb"]
    );
    s
}
