//! Matrices that carry more than the weight: a payload per cell, summarising the original
//! arcs of the very path the weight picked, without unpacking it.
//!
//! A caller's figures (distance, hours, money, emissions, and whatever is not a plain sum
//! along the path) are a *payload*: a value per path that two consecutive paths join into
//! the payload of the whole (a monoid, [`Join`]). Every shortcut gets the payload of the
//! original arcs it unpacks to, computed bottom-up from the unpacking memo
//! ([`crate::witness`]), so that the payload belongs to the same triangle, and the same
//! cheapest parallel arc, that unpacking a queried path would take; a cell's payload is
//! then its source chain, its up-paths and its target chain joined, one join per search
//! node and one per cell. Unpacking each cell's path instead (what `route` does) costs
//! tens of microseconds a cell on the world network; this costs about as much as the
//! weight alone.
//!
//! Sweeps, meeting nodes and tie-breaking are those of [`Hierarchy::matrix`] and of the
//! path search (first start with the least weight, smaller predecessor rank, first meeting
//! node in ascending rank, a path within one chain wins a tie), so that a cell's payload is
//! that of the path a single query returns.

use crate::elimination::{up_arc, Sweep};
use crate::hierarchy::{Customized, Hierarchy};
use crate::witness::{halves, LEAF, PAIR, PAIR_ID, SINGLE, UNKNOWN};
use crate::Endpoint;
use cch::INF_WEIGHT;
use rayon::prelude::*;
use std::sync::atomic::Ordering::Relaxed;

const NONE: u32 = u32::MAX;

/// How payloads are made and joined. Joining must be associative: shortcuts join their
/// halves in the hierarchy's order, not in travel order.
pub trait Join<P>: Sync {
    /// The payload of no arcs (the identity of [`Join::join`]).
    fn empty(&self) -> P;
    /// The payload of these original arcs, travelled in this order.
    fn of_arcs(&self, arcs: &[u32]) -> P;
    /// The payload of path `a` followed by path `b`.
    fn join(&self, a: &P, b: &P) -> P;
}

/// The payload of every up-arc of a customized hierarchy, in each direction: travelled up
/// (forward) and travelled down (backward).
pub struct ArcPayloads<P> {
    forward: Vec<P>,
    backward: Vec<P>,
}

impl<P> ArcPayloads<P> {
    /// Up-arcs covered (both directions each).
    pub fn len(&self) -> usize {
        self.forward.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forward.is_empty()
    }
}

/// A reached cell: its weight (endpoint weights included), the endpoints the path starts
/// and ends at, and the payload of its original arcs.
#[derive(Debug, Clone, PartialEq)]
pub struct Reached<P> {
    pub weight: u64,
    pub source: u32,
    pub target: u32,
    pub payload: P,
}

/// One place's entries to the core: (core node, weight with the chain part, endpoint node,
/// payload of the chain part).
type Starts<P> = Vec<(u32, u64, u32, P)>;

/// Targets per bucket build: bounds the buckets' memory (each entry holds a payload) while
/// keeping the forward sweeps, repeated once per block, few.
const TARGET_BLOCK: usize = 1024;

impl Hierarchy {
    /// Every up-arc's payload under `m`: the memo of how each unpacks is completed first
    /// (as [`Hierarchy::prune`] does), then payloads are built in rank order, since a
    /// shortcut's halves both leave a lower node.
    pub fn arc_payloads<P: Clone + Send + Sync>(
        &self,
        m: &Customized,
        join: &impl Join<P>,
    ) -> ArcPayloads<P> {
        let view = self.view();
        if !m.is_pruned {
            m.witnesses.fill(
                &view,
                self.order(),
                &m.metric.view(),
                &self.chains,
                &m.core_weights,
            );
        }
        let arcs = m.metric.forward.len();
        let mut out = ArcPayloads {
            forward: Vec::with_capacity(arcs),
            backward: Vec::with_capacity(arcs),
        };
        let unpacked = self.chains.unpacked();
        for arc in 0..arcs as u32 {
            for forward in [true, false] {
                let memo = m.witnesses.slot(forward, arc).load(Relaxed);
                let (high, low) = ((memo >> 32) as u32, memo as u32);
                let p = if memo == UNKNOWN {
                    // Closed in this direction: no finite path uses it.
                    join.empty()
                } else if high & LEAF != 0 {
                    if high & SINGLE != 0 {
                        join.of_arcs(&[low])
                    } else if high & PAIR != 0 {
                        join.of_arcs(&[high & PAIR_ID, low])
                    } else {
                        let len = (high & !LEAF) as usize;
                        join.of_arcs(&unpacked[low as usize..low as usize + len])
                    }
                } else {
                    let (first, second) = halves(forward, memo);
                    join.join(&out.backward[first as usize], &out.forward[second as usize])
                };
                if forward {
                    out.forward.push(p);
                } else {
                    out.backward.push(p);
                }
            }
        }
        out
    }

    /// The matrix from every source set to every target set, row-major, with each reached
    /// cell's payload handed to `cell(i, j, …)` and only its result kept: a caller keeps a
    /// few numbers a cell, not a payload. `pays` must come from [`Self::arc_payloads`] for
    /// the same `m`.
    pub fn matrix_with<P, C>(
        &self,
        m: &Customized,
        pays: &ArcPayloads<P>,
        join: &impl Join<P>,
        sources: &[Vec<Endpoint>],
        targets: &[Vec<Endpoint>],
        cell: &(impl Fn(usize, usize, Option<Reached<P>>) -> C + Sync),
    ) -> Vec<C>
    where
        P: Clone + Send + Sync,
        C: Send,
    {
        let starts = |sets: &[Vec<Endpoint>], as_source: bool| -> Vec<Starts<P>> {
            sets.par_iter()
                .map(|set| {
                    self.attachments(set, &m.weights, as_source)
                        .into_iter()
                        .map(|(node, w, a)| (a.core, w + a.weight, node, join.of_arcs(&a.arcs)))
                        .collect()
                })
                .collect()
        };
        let (src, dst) = (starts(sources, true), starts(targets, false));
        let view = self.view();
        let (forward, backward) = m.graphs(&view);
        let n = view.node_count() as usize;
        let ranked = |set: &Starts<P>| -> Vec<(u32, u64)> {
            set.iter()
                .map(|&(c, w, _, _)| (view.rank[c as usize], w))
                .collect()
        };
        let mut rows: Vec<Vec<C>> = (0..sources.len())
            .map(|_| Vec::with_capacity(targets.len()))
            .collect();
        for block in (0..targets.len()).step_by(TARGET_BLOCK) {
            let end = (block + TARGET_BLOCK).min(targets.len());
            // Backward sweeps: every node of a target's search space, with its distance
            // to the target and the payload of the path down to it.
            let spaces: Vec<Vec<(u32, Entry<P>)>> = (block..end)
                .into_par_iter()
                .map_init(
                    || (Sweep::new(n), Vec::new(), vec![0u32; n]),
                    |(sweep, pay, pos), j| {
                        sweep.full(&view, &backward, &ranked(&dst[j]));
                        space_payloads(sweep, &view, pays, join, &dst[j], false, pay, pos);
                        sweep
                            .space()
                            .iter()
                            .zip(pay.drain(..))
                            .filter(|(&x, _)| sweep.distance(x) < INF_WEIGHT)
                            .map(|(&x, (p, start))| {
                                let entry = Entry {
                                    target: (j - block) as u32,
                                    distance: sweep.distance(x),
                                    end: dst[j][start as usize].2,
                                    payload: p,
                                };
                                (x, entry)
                            })
                            .collect()
                    },
                )
                .collect();
            let mut first = vec![0u32; n + 1];
            for space in &spaces {
                for &(x, _) in space {
                    first[x as usize + 1] += 1;
                }
            }
            for i in 0..n {
                first[i + 1] += first[i];
            }
            let mut fill = first.clone();
            let mut slots: Vec<Option<Entry<P>>> = Vec::new();
            slots.resize_with(first[n] as usize, || None);
            for space in spaces {
                for (x, entry) in space {
                    slots[fill[x as usize] as usize] = Some(entry);
                    fill[x as usize] += 1;
                }
            }
            let bucket: Vec<Entry<P>> = slots.into_iter().flatten().collect();
            let width = end - block;
            rows.par_iter_mut().enumerate().for_each_init(
                || (Sweep::new(n), Vec::new(), vec![0u32; n]),
                |(sweep, pay, pos), (i, row)| {
                    sweep.full(&view, &forward, &ranked(&src[i]));
                    space_payloads(sweep, &view, pays, join, &src[i], true, pay, pos);
                    // Per target: least total, meeting rank's space position, bucket entry.
                    let mut best = vec![(u64::MAX, 0u32, 0u32); width];
                    for (k, &x) in sweep.space().iter().enumerate() {
                        let f = sweep.distance(x);
                        if f >= INF_WEIGHT {
                            continue;
                        }
                        let (a, b) = (first[x as usize] as usize, first[x as usize + 1] as usize);
                        for (e, entry) in bucket[a..b].iter().enumerate() {
                            let total = f as u64 + entry.distance as u64;
                            let slot = &mut best[entry.target as usize];
                            if total < slot.0 {
                                *slot = (total, k as u32, (a + e) as u32);
                            }
                        }
                    }
                    for (jj, &(w, k, e)) in best.iter().enumerate() {
                        let j = block + jj;
                        let mut reached = (w != u64::MAX).then(|| {
                            let (up, start) = &pay[k as usize];
                            let down = &bucket[e as usize];
                            Reached {
                                weight: w,
                                source: src[i][*start as usize].2,
                                target: down.end,
                                payload: join.join(up, &down.payload),
                            }
                        });
                        self.direct_cell(m, join, &sources[i], &targets[j], &mut reached);
                        row.push(cell(i, j, reached));
                    }
                },
            );
        }
        rows.into_iter().flatten().collect()
    }

    /// A path inside one chain beats the core path when it is no heavier (as the path
    /// search decides); the first such pair by sources then targets wins.
    fn direct_cell<P>(
        &self,
        m: &Customized,
        join: &impl Join<P>,
        sources: &[Endpoint],
        targets: &[Endpoint],
        reached: &mut Option<Reached<P>>,
    ) {
        let mut direct: Option<(u64, u32, u32, Vec<u32>)> = None;
        for s in sources {
            for t in targets {
                if !self.chains.may_share_chain(s.node, t.node) {
                    continue;
                }
                if let Some((w, arcs)) = self.direct(m, s, t) {
                    if direct.as_ref().is_none_or(|d| w < d.0) {
                        direct = Some((w, s.node, t.node, arcs));
                    }
                }
            }
        }
        if let Some((w, s, t, arcs)) = direct {
            if reached.as_ref().is_none_or(|r| w <= r.weight) {
                *reached = Some(Reached {
                    weight: w,
                    source: s,
                    target: t,
                    payload: join.of_arcs(&arcs),
                });
            }
        }
    }
}

/// A bucket entry: a target of the block, its distance from the bucket's node, the
/// target's endpoint the path ends at, and the payload of the path down to it.
struct Entry<P> {
    target: u32,
    distance: u32,
    end: u32,
    payload: P,
}

/// Payloads of a sweep's search space, by position in it, each with the start its path
/// came from: a start's chain part, then each node's predecessor's payload joined with the
/// up-arc between them (travelled up on a forward sweep; down, and before the
/// predecessor's path, on a backward one).
#[allow(clippy::too_many_arguments)]
fn space_payloads<P: Clone>(
    sweep: &Sweep,
    view: &cch::CchView,
    pays: &ArcPayloads<P>,
    join: &impl Join<P>,
    starts: &Starts<P>,
    forward: bool,
    pay: &mut Vec<(P, u32)>,
    pos: &mut [u32],
) {
    pay.clear();
    for (k, &x) in sweep.space().iter().enumerate() {
        pos[x as usize] = k as u32;
        let p = if sweep.distance(x) >= INF_WEIGHT {
            (join.empty(), 0)
        } else {
            match sweep.pred(x) {
                NONE => {
                    let s = sweep.start_of(x);
                    (starts[s as usize].3.clone(), s)
                }
                y => {
                    let (before, s) = &pay[pos[y as usize] as usize];
                    let arc = up_arc(view, y, x) as usize;
                    let p = if forward {
                        join.join(before, &pays.forward[arc])
                    } else {
                        join.join(&pays.backward[arc], before)
                    };
                    (p, *s)
                }
            }
        };
        pay.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The payload that is the path itself: joining concatenates arcs.
    struct Arcs;

    impl Join<Vec<u32>> for Arcs {
        fn empty(&self) -> Vec<u32> {
            Vec::new()
        }
        fn of_arcs(&self, arcs: &[u32]) -> Vec<u32> {
            arcs.to_vec()
        }
        fn join(&self, a: &Vec<u32>, b: &Vec<u32>) -> Vec<u32> {
            let mut out = a.clone();
            out.extend_from_slice(b);
            out
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// On random graphs, every cell's payload is the original-arc path a single query
        /// returns for that cell, with the same weight and endpoints.
        #[test]
        fn payload_cells_are_the_queried_paths(
            n in 2usize..24,
            arcs in prop::collection::vec((0u32..24, 0u32..24, 1u32..20), 1..60),
            picks in prop::collection::vec((0u32..24, 0u32..5), 1..6),
        ) {
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
            let sets: Vec<Vec<Endpoint>> = picks
                .iter()
                .map(|&(v, extra)| vec![Endpoint { node: v % n as u32, weight: extra }])
                .collect();
            let pays = h.arc_payloads(&m, &Arcs);
            let cells = h.matrix_with(&m, &pays, &Arcs, &sets, &sets, &|_, _, r| r);
            let view = h.view();
            let mut search = h.searcher(&view);
            for (i, s) in sets.iter().enumerate() {
                for (j, t) in sets.iter().enumerate() {
                    let want = search.path(&m, s, t);
                    let got = &cells[i * sets.len() + j];
                    prop_assert_eq!(want.is_some(), got.is_some(), "cell {} {}", i, j);
                    if let (Some(p), Some(r)) = (want, got) {
                        prop_assert_eq!(p.weight, r.weight);
                        prop_assert_eq!(p.source, r.source);
                        prop_assert_eq!(p.target, r.target);
                        prop_assert_eq!(&p.arcs, &r.payload, "cell {} {}", i, j);
                    }
                }
            }
        }
    }
}
