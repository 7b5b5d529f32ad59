//! A customizable contraction hierarchy over the chain-contracted graph.
//!
//! Preparation (chain contraction, nested-dissection order, CCH structure) depends only on
//! the topology, so it is done once and cached; every profile is then a *customization*
//! of the same structure (tens of milliseconds), and queries take microseconds. The CCH
//! structure and its bundles are the `cch` crate's (a port of RoutingKit validated against
//! it); the order comes from METIS ([`crate::order`]), the customization and the optional
//! pruning are ours ([`crate::customize`], [`crate::pruned`]), measured faster on our
//! network. This module ties them together and adds chain contraction with unpacking to
//! original arcs, queries with several weighted sources and targets (a place reaches the
//! network at several nodes), and the translation of our closed-arc sentinel.

use crate::chain::{Attachment, ChainContraction};
use crate::customize::Schedule;
use crate::elimination::{PathSearch, Sweep, Unpacking};
use crate::graph::UpGraph;
use crate::pruned::Pruned;
use crate::witness::Witnesses;
use crate::{Endpoint, Path, INFINITY};
use cch::{Cch, CchBundle, CchView, MetricView, INF_WEIGHT};
use std::sync::OnceLock;

/// Weights at or above this are closed arcs for the hierarchy. Path weights must stay
/// below it too (2^31 − 1: in cents that is USD 21 million), which the metric guarantees by
/// weighting per container-equivalent.
pub const CLOSED: u32 = INF_WEIGHT;

pub(crate) enum Structure {
    /// Just built (and saved).
    Owned(Box<Cch>),
    /// Memory-mapped from the cache: queries and customizations read it in place.
    Mapped(CchBundle),
}

/// The prepared topology: everything that does not depend on weights.
pub struct Hierarchy {
    pub chains: ChainContraction,
    pub(crate) structure: Structure,
    /// The input arcs behind each shortcut (see `customize::inputs_of`).
    pub(crate) inputs: Vec<(u32, u32)>,
    /// The customization schedule, derived on first customization (~70 ms on the world
    /// network; commands that never customize skip it).
    pub(crate) schedule: OnceLock<Schedule>,
    /// Up-arc tails, derived once (see [`PathSearch`]).
    pub(crate) up_tail: OnceLock<Vec<u32>>,
    /// Elimination-tree depth per rank, derived once (see [`crate::root_path`]).
    pub(crate) depth: OnceLock<Vec<u32>>,
    /// Core node id per rank (the inverse of the structure's `rank`), derived once.
    pub(crate) order: OnceLock<Vec<u32>>,
    /// Core arc per original arc, derived on the first [`Hierarchy::update_arcs`].
    pub(crate) core_arc_of: OnceLock<Vec<u32>>,
    /// Search buffers of dropped searchers (two per-node label arrays each: allocating and
    /// clearing them was most of a short query's time in a server).
    pub(crate) pool: std::sync::Mutex<Vec<(Sweep, Sweep)>>,
}

/// A metric applied to a hierarchy: original weights (for chain parts and unpacking) and
/// the customized shortcut weights.
pub struct Customized {
    pub weights: Vec<u32>,
    pub(crate) core_weights: Vec<u32>,
    pub(crate) metric: cch::Metric,
    pub(crate) witnesses: Witnesses,
    /// The pruned search graphs, once [`Hierarchy::prune`] has run for these weights.
    pruned: Pruned,
    pub(crate) is_pruned: bool,
}

/// Preparation timings, for reports and the benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct PrepareStats {
    pub contract_s: f64,
    pub order_s: f64,
    pub build_s: f64,
}

impl Hierarchy {
    /// Prepares the topology. `lat`/`lon` guide the inertial-flow order, used only if METIS
    /// fails (see the `order` module); `keep`
    /// marks nodes that must stay in the core (may be empty).
    pub fn build(
        node_count: usize,
        arcs: &[(u32, u32)],
        lat: &[f32],
        lon: &[f32],
        keep: &[bool],
    ) -> (Hierarchy, PrepareStats) {
        let t = std::time::Instant::now();
        let chains = ChainContraction::new(node_count, arcs, keep);
        let contract_s = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let m = chains.core_node_count();
        // The order only needs the undirected shape: each neighbouring pair once (both
        // directions and parallel arcs by mode would only add work to the flow cuts).
        let mut pairs: Vec<(u32, u32)> = (0..m as u32)
            .flat_map(|u| {
                let (a, b) = (
                    chains.first_out[u as usize],
                    chains.first_out[u as usize + 1],
                );
                chains.head[a as usize..b as usize]
                    .iter()
                    .map(move |&v| (u.min(v), u.max(v)))
            })
            .filter(|&(a, b)| a != b)
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let order = crate::order::nested_dissection(m, &pairs).unwrap_or_else(|| {
            let at = |c: &[f32]| -> Vec<f32> {
                chains.core_nodes.iter().map(|&v| c[v as usize]).collect()
            };
            let (core_lat, core_lon) = (at(lat), at(lon));
            let (tail, head): (Vec<u32>, Vec<u32>) = pairs.into_iter().unzip();
            cch::inertial_order(m as u32, &tail, &head, &core_lat, &core_lon)
        });
        let order_s = t.elapsed().as_secs_f64();
        let t = std::time::Instant::now();
        let graph = cch::graph::Graph {
            first_out: chains.first_out.clone(),
            head: chains.head.clone(),
            weight: vec![0; chains.head.len()],
        };
        let cch = Cch::build(&graph, &order);
        let build_s = t.elapsed().as_secs_f64();
        (
            Hierarchy {
                chains,
                inputs: crate::customize::inputs_of(&cch),
                structure: Structure::Owned(Box::new(cch)),
                schedule: OnceLock::new(),
                up_tail: OnceLock::new(),
                depth: OnceLock::new(),
                order: OnceLock::new(),
                core_arc_of: OnceLock::new(),
                pool: Default::default(),
            },
            PrepareStats {
                contract_s,
                order_s,
                build_s,
            },
        )
    }

    pub fn view(&self) -> CchView<'_> {
        match &self.structure {
            Structure::Owned(c) => c.view(),
            Structure::Mapped(bundle) => bundle.view(),
        }
    }

    /// Shortcut arcs of the hierarchy (a measure of its size).
    pub fn shortcut_arc_count(&self) -> usize {
        self.view().cch_arc_count() as usize
    }

    pub(crate) fn schedule(&self) -> &Schedule {
        self.schedule
            .get_or_init(|| Schedule::new(&self.view(), &self.inputs, self.chains.core_arc_count()))
    }

    /// Applies a metric (one weight per original arc, [`INFINITY`] closes an arc).
    pub fn customize(&self, weights: Vec<u32>) -> Customized {
        let mut core_weights = Vec::new();
        self.chains
            .core_weights_into(&weights, CLOSED, &mut core_weights);
        let mut metric = cch::Metric {
            forward: Vec::new(),
            backward: Vec::new(),
        };
        self.schedule()
            .customize_into(&self.view(), &self.inputs, &core_weights, &mut metric);
        Customized {
            weights,
            core_weights,
            witnesses: Witnesses::new(metric.forward.len()),
            metric,
            pruned: Pruned::default(),
            is_pruned: false,
        }
    }

    /// Re-customizes `out` for new weights, reusing its buffers.
    pub fn customize_into(&self, weights: &[u32], out: &mut Customized) {
        out.weights.clear();
        out.weights.extend_from_slice(weights);
        self.chains
            .core_weights_into(weights, CLOSED, &mut out.core_weights);
        self.schedule().customize_into(
            &self.view(),
            &self.inputs,
            &out.core_weights,
            &mut out.metric,
        );
        out.witnesses.reset(out.metric.forward.len());
        out.is_pruned = false;
    }

    /// Changes the weights of a few original `arcs` of `m` to theirs in `weights` and
    /// re-customizes only the shortcuts that can depend on them (the elimination-tree
    /// ancestors of the shortcuts those arcs initialise): a few milliseconds on the world
    /// network where [`Self::customize_into`] takes about 80, with the same result. Made for
    /// closing one place after another (criticality), and for opening it again after.
    /// Leaves `m` unpruned.
    pub fn update_arcs(&self, m: &mut Customized, arcs: &[u32], weights: &[u32]) {
        let core_of_arc = self.core_arc_of();
        let mut core: Vec<usize> = Vec::new();
        for &a in arcs {
            m.weights[a as usize] = weights[a as usize];
            let c = core_of_arc[a as usize];
            if c != u32::MAX {
                core.push(c as usize);
            }
        }
        core.sort_unstable();
        core.dedup();
        for &c in &core {
            m.core_weights[c] = self.chains.core_weight(c as u32, &m.weights, CLOSED);
        }
        let view = self.view();
        let nodes = crate::customize::affected_nodes(&view, &self.inputs, &core);
        self.schedule()
            .relax_nodes(&view, &self.inputs, &m.core_weights, &mut m.metric, &nodes);
        let up = view.up_first_out;
        for &x in &nodes {
            m.witnesses
                .forget(up[x as usize] as usize..up[x as usize + 1] as usize);
        }
        m.is_pruned = false;
    }

    /// The core arc each original arc lies on (`u32::MAX` for arcs off the core: parts of
    /// chains that hang off it), derived once.
    fn core_arc_of(&self) -> &[u32] {
        self.core_arc_of.get_or_init(|| {
            let mut out = vec![u32::MAX; self.chains.original_arc_count()];
            for c in 0..self.chains.core_arc_count() as u32 {
                for &a in self.chains.arcs_of(c) {
                    out[a as usize] = c;
                }
            }
            out
        })
    }

    /// Prepares `m` for many queries: prunes its search graphs by a perfect customization
    /// (a query then relaxes about a third of the arcs; see the `pruned` module), blocks
    /// them by depth for root-path searches ([`crate::root_path`]) and finds every
    /// shortcut's unpacking ([`Witnesses::fill`]). About 0.3 s on the world network, four
    /// customizations' worth, for path queries ~2.5 times faster: worth it for a profile
    /// that will answer many queries, not for one route.
    pub fn prune(&self, m: &mut Customized) {
        let view = self.view();
        m.pruned
            .build(self.schedule(), &view, self.depth(), &m.metric);
        m.witnesses.fill(
            &view,
            self.order(),
            &m.metric.view(),
            &self.chains,
            &m.core_weights,
        );
        m.is_pruned = true;
    }

    fn depth(&self) -> &[u32] {
        self.depth
            .get_or_init(|| crate::root_path::depths(self.view().elimination_tree_parent))
    }

    pub(crate) fn order(&self) -> &[u32] {
        self.order.get_or_init(|| {
            let rank = self.view().rank;
            let mut order = vec![0u32; rank.len()];
            for (v, &r) in rank.iter().enumerate() {
                order[r as usize] = v as u32;
            }
            order
        })
    }

    /// A reusable path searcher over `view` (which must come from [`Self::view`]).
    pub fn searcher<'v>(&'v self, view: &'v CchView<'v>) -> Searcher<'v> {
        let pooled = self.pool.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let up_tail = self
            .up_tail
            .get_or_init(|| crate::elimination::up_tails(&self.view()));
        let query = match pooled {
            Some((fwd, bwd)) if fwd.len() == view.node_count() as usize => {
                PathSearch::with_buffers(view, up_tail, self.depth(), self.order(), fwd, bwd)
            }
            _ => PathSearch::new(view, up_tail, self.depth(), self.order()),
        };
        Searcher {
            h: self,
            query: Some(query),
            last_len: 0,
        }
    }

    /// Shortest-path weights from every source set to every target set (row-major), each
    /// set being a place's weighted entry nodes; `None` where unreachable.
    pub fn matrix(
        &self,
        m: &Customized,
        sources: &[Vec<Endpoint>],
        targets: &[Vec<Endpoint>],
    ) -> Vec<Option<u64>> {
        let expand = |sets: &[Vec<Endpoint>], as_source: bool| -> Vec<Vec<(u32, u64)>> {
            sets.iter()
                .map(|set| {
                    self.attachments(set, &m.weights, as_source)
                        .into_iter()
                        .map(|(_, w, a)| (a.core, w + a.weight))
                        .collect()
                })
                .collect()
        };
        let (src, dst) = (expand(sources, true), expand(targets, false));
        let view = self.view();
        let d = crate::many_to_many::matrix(&view, m.graphs(&view), &src, &dst);
        let mut out = vec![None; sources.len() * targets.len()];
        for i in 0..sources.len() {
            for j in 0..targets.len() {
                let dd = d[i * targets.len() + j];
                let mut best = (dd != u64::MAX).then_some(dd);
                // Both ends inside one chain: the path may never reach the core.
                for se in &sources[i] {
                    for te in &targets[j] {
                        if !self.chains.may_share_chain(se.node, te.node) {
                            continue;
                        }
                        if let Some(w) = self.direct(m, se, te) {
                            best = Some(best.map_or(w.0, |b| b.min(w.0)));
                        }
                    }
                }
                out[i * targets.len() + j] = best;
            }
        }
        out
    }

    /// Where open endpoints enter the core: `(endpoint node, endpoint weight, attachment)`
    /// per chain end reachable from (or, for targets, to) each endpoint.
    pub(crate) fn attachments(
        &self,
        endpoints: &[Endpoint],
        weights: &[u32],
        as_source: bool,
    ) -> Vec<(u32, u64, Attachment)> {
        endpoints
            .iter()
            .filter(|e| e.weight != INFINITY)
            .flat_map(|e| {
                let a = if as_source {
                    self.chains.as_source(e.node, weights)
                } else {
                    self.chains.as_target(e.node, weights)
                };
                a.into_iter().map(move |a| (e.node, e.weight as u64, a))
            })
            .collect()
    }

    pub(crate) fn direct(
        &self,
        m: &Customized,
        s: &Endpoint,
        t: &Endpoint,
    ) -> Option<(u64, Vec<u32>)> {
        if s.weight == INFINITY || t.weight == INFINITY {
            return None;
        }
        let extra = s.weight as u64 + t.weight as u64;
        if s.node == t.node {
            return Some((extra, Vec::new()));
        }
        let (w, arcs) = self.chains.within_chain(s.node, t.node, &m.weights)?;
        Some((w + extra, arcs))
    }
}

impl Customized {
    pub fn view(&self) -> MetricView<'_> {
        self.metric.view()
    }

    /// Whether [`Hierarchy::prune`] has run for the current weights.
    pub fn is_pruned(&self) -> bool {
        self.is_pruned
    }

    /// Kept up-arcs per direction after pruning, or all of them.
    pub fn search_arcs(&self) -> (usize, usize) {
        if self.is_pruned {
            self.pruned.kept()
        } else {
            (self.metric.forward.len(), self.metric.backward.len())
        }
    }

    /// The graphs the sweeps climb: pruned if available, else every up-arc.
    pub(crate) fn graphs<'a>(&'a self, view: &'a CchView<'a>) -> (UpGraph<'a>, UpGraph<'a>) {
        if self.is_pruned {
            (self.pruned.forward(), self.pruned.backward())
        } else {
            (
                UpGraph::full(view, &self.metric.forward),
                UpGraph::full(view, &self.metric.backward),
            )
        }
    }
}

/// Path queries with buffers reused across calls.
pub struct Searcher<'v> {
    h: &'v Hierarchy,
    /// Always `Some` until dropped, when its buffers go back to the hierarchy's pool.
    query: Option<PathSearch<'v>>,
    /// Length of the last path, to size the next one's buffer in one allocation.
    last_len: usize,
}

/// Searchers kept in the pool at most (one per thread that searches at once is enough).
const POOL_MAX: usize = 64;

impl Drop for Searcher<'_> {
    fn drop(&mut self) {
        if let Some(q) = self.query.take() {
            let mut pool = self.h.pool.lock().unwrap_or_else(|e| e.into_inner());
            if pool.len() < POOL_MAX {
                pool.push(q.into_buffers());
            }
        }
    }
}

impl<'v> Searcher<'v> {
    fn q(&mut self) -> &mut PathSearch<'v> {
        self.query
            .as_mut()
            .expect("a searcher's query lives until it is dropped")
    }

    /// The shortest path from any source to any target (endpoint weights included), as the
    /// exact search would return it: original arcs, total weight, chosen endpoints.
    pub fn path(
        &mut self,
        m: &Customized,
        sources: &[Endpoint],
        targets: &[Endpoint],
    ) -> Option<Path> {
        let c = &self.h.chains;
        let (src, dst) = (
            self.h.attachments(sources, &m.weights, true),
            self.h.attachments(targets, &m.weights, false),
        );
        let mut best: Option<Path> = None;
        for s in sources {
            for t in targets {
                if let Some((w, arcs)) = self.h.direct(m, s, t) {
                    if best.as_ref().is_none_or(|b| w < b.weight) {
                        best = Some(Path {
                            weight: w,
                            source: s.node,
                            target: t.node,
                            arcs,
                        });
                    }
                }
            }
        }
        let starts = |v: &[(u32, u64, Attachment)]| -> Vec<(u32, u64)> {
            v.iter().map(|(_, w, a)| (a.core, w + a.weight)).collect()
        };
        let (forward, backward) = m.graphs(self.q().view());
        let unpacking = Unpacking {
            forward,
            backward,
            view: m.view(),
            memo: &m.witnesses,
            chains: c,
            core_weights: &m.core_weights,
            by_depth: if m.is_pruned {
                m.pruned.by_depth()
            } else {
                None
            },
        };
        if let Some(p) = self.q().path(&unpacking, &starts(&src), &starts(&dst)) {
            if best.as_ref().is_none_or(|b| p.weight < b.weight) {
                let (sn, _, sa) = &src[p.source];
                let (tn, _, ta) = &dst[p.target];
                let mut arcs = Vec::with_capacity(self.last_len.max(256) * 2);
                arcs.extend_from_slice(&sa.arcs);
                self.q().unpack_into(&unpacking, &mut arcs);
                arcs.extend_from_slice(&ta.arcs);
                self.last_len = arcs.len();
                best = Some(Path {
                    weight: p.weight,
                    source: *sn,
                    target: *tn,
                    arcs,
                });
            }
        }
        best
    }
}

/// A customized hierarchy of `n` nodes from proptest's arcs `(from, to, weight)`, those
/// out of range or looping dropped, the nodes spread over a small plane (tests share it).
#[cfg(test)]
pub(crate) fn random_customized(n: usize, arcs: Vec<(u32, u32, u32)>) -> (Hierarchy, Customized) {
    let arcs: Vec<(u32, u32, u32)> = arcs
        .into_iter()
        .filter(|&(a, b, _)| a != b && (a as usize) < n && (b as usize) < n)
        .collect();
    let pairs: Vec<(u32, u32)> = arcs.iter().map(|&(a, b, _)| (a, b)).collect();
    let w: Vec<u32> = arcs.iter().map(|a| a.2).collect();
    let lat: Vec<f32> = (0..n).map(|i| ((i * 37) % 101) as f32 * 0.1).collect();
    let lon: Vec<f32> = (0..n).map(|i| ((i * 53) % 97) as f32 * 0.1).collect();
    let (h, _) = Hierarchy::build(n, &pairs, &lat, &lon, &[]);
    let m = h.customize(w);
    (h, m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// The memo filled at once for a pruned metric holds, for every finite up-arc in
        /// each direction, what a query would have found for it lazily (or its pair of
        /// single arcs), and unpacks every arc to the same original arcs.
        #[test]
        fn eager_memo_equals_lazy(
            n in 2usize..24,
            arcs in prop::collection::vec((0u32..24, 0u32..24, 1u32..20), 1..60),
        ) {
            let (h, m) = crate::hierarchy::random_customized(n, arcs);
            let view = h.view();
            let eager = Witnesses::new(m.metric.forward.len());
            eager.fill(&view, h.order(), &m.metric.view(), &h.chains, &m.core_weights);
            let mut search = h.searcher(&view);
            let (forward, backward) = m.graphs(&view);
            let unpacking = |memo| Unpacking {
                forward,
                backward,
                view: m.view(),
                memo,
                chains: &h.chains,
                core_weights: &m.core_weights,
                by_depth: None,
            };
            let lazy = Witnesses::new(m.metric.forward.len());
            let (ue, ul) = (unpacking(&eager), unpacking(&lazy));
            for arc in 0..m.metric.forward.len() as u32 {
                for (forward, weights) in [(true, &m.metric.forward), (false, &m.metric.backward)] {
                    if weights[arc as usize] >= CLOSED {
                        continue;
                    }
                    let e = eager.slot(forward, arc).load(std::sync::atomic::Ordering::Relaxed);
                    if (e >> 32) as u32 & crate::witness::PAIR == 0 {
                        prop_assert_eq!(e, search.q().memo_of(&ul, forward, arc), "arc {} forward {}", arc, forward);
                    }
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    search.q().unpack(&ue, forward, arc, &mut a);
                    search.q().unpack(&ul, forward, arc, &mut b);
                    prop_assert_eq!(a, b, "arc {} forward {} unpacks differently", arc, forward);
                }
            }
        }
    }
}
