//! How each shortcut unpacks under a customized metric: the memo that path unpacking
//! reads, filled lazily by queries or all at once when a metric is pruned for serving.

use crate::chain::ChainContraction;
use cch::{CchView, MetricView};
use rayon::prelude::*;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Memo: not yet unpacked.
pub(crate) const UNKNOWN: u64 = u64::MAX;
/// Memo flag in the high half: the arc has no lower triangle explaining its weight, so it
/// is an input arc, standing for the cheapest parallel core arc; the rest of the high half
/// is that core arc's number of original arcs and the low half where they start (see
/// [`ChainContraction::unpack_range`]), so a warm leaf is one read. Otherwise the memo holds
/// the triangle's two up-arcs (lower half first; up-arc ids stay below 2^31).
pub(crate) const LEAF: u32 = 0x8000_0000;
/// With [`LEAF`]: the core arc is a single original arc, whose id is the low half (on the
/// world network nearly every core arc is; this saves a random read per arc of a path).
pub(crate) const SINGLE: u32 = 0x4000_0000;
/// With [`LEAF`]: the arc is a triangle of two single-arc leaves, kept as their two
/// original arcs in travel order (first in the high half's low bits, [`PAIR_ID`], second in
/// the low half). The lowest triangles are the most numerous in an unpacking, and this
/// spares reading their two halves' memos (measured on the world network, 1000 random
/// pairs after 5000 others: unpacking 11.5 → 10.3 µs a query on average).
pub(crate) const PAIR: u32 = 0x2000_0000;
pub(crate) const PAIR_ID: u32 = PAIR - 1;

/// The two up-arcs of a triangle memo in travel order: the first is travelled backward,
/// the second forward. Forward lo → z → hi: z→lo (the high half), then z→hi (the low half);
/// backward hi → z → lo: the low half, then the high half.
pub(crate) fn halves(forward: bool, memo: u64) -> (u32, u32) {
    let (high, low) = ((memo >> 32) as u32, memo as u32);
    if forward {
        (high, low)
    } else {
        (low, high)
    }
}

/// The memo of a triangle whose halves have memos `first` and `second` (in travel order),
/// if both are single original arcs.
pub(crate) fn pair(first: u64, second: u64) -> Option<u64> {
    let single = |m: u64| (m >> 32) as u32 == LEAF | SINGLE;
    let (a, b) = (first as u32, second as u32);
    (single(first) && single(second) && a <= PAIR_ID)
        .then_some(((LEAF | PAIR | a) as u64) << 32 | b as u64)
}

/// How each shortcut unpacks under the current metric (per direction): its lower triangle
/// as two up-arcs, or the core arc it stands for. Kept with the customized metric: without
/// it every query repeats the merge-joins over lower-triangle lists and the parallel-arc
/// choice for each of its thousands of arcs. Atomics so that parallel searchers (matrix
/// rows, server requests) can share one customized metric.
pub struct Witnesses {
    fwd: Vec<AtomicU64>,
    bwd: Vec<AtomicU64>,
}

impl Witnesses {
    pub fn new(arcs: usize) -> Witnesses {
        let mut w = Witnesses {
            fwd: Vec::new(),
            bwd: Vec::new(),
        };
        w.reset(arcs);
        w
    }

    /// Forgets every memo (the metric changed).
    /// Forgets the unpacking of these shortcuts (their weights changed).
    pub fn forget(&mut self, arcs: std::ops::Range<usize>) {
        for v in [&mut self.fwd, &mut self.bwd] {
            if let Some(slots) = v.get(arcs.clone()) {
                slots.iter().for_each(|m| m.store(UNKNOWN, Relaxed));
            }
        }
    }

    pub fn reset(&mut self, arcs: usize) {
        for v in [&mut self.fwd, &mut self.bwd] {
            if v.len() == arcs {
                // 51 MB on the world network: in parallel it is 2 ms of a customization.
                v.par_iter().for_each(|m| m.store(UNKNOWN, Relaxed));
            } else {
                v.clear();
                v.resize_with(arcs, || AtomicU64::new(UNKNOWN));
            }
        }
    }

    pub(crate) fn slot(&self, forward: bool, arc: u32) -> &AtomicU64 {
        if forward {
            &self.fwd[arc as usize]
        } else {
            &self.bwd[arc as usize]
        }
    }

    /// Finds how every up-arc unpacks now, with the same choices a query would make
    /// (first lower triangle by rank whose halves add up, else the cheapest parallel core
    /// arc). Queries on a fresh metric spend half their time finding these (measured on
    /// the world network, 1000 random pairs after 5000 others: unpacking 24.6 µs a query
    /// against 12.6 µs once every memo is known), so a metric pruned for serving fills
    /// them all at once. Each node fills its own up-arcs, walking its lower triangles in
    /// ascending rank as the customization does: no merge-joins, no contention.
    /// `order` is the core node id per rank.
    pub(crate) fn fill(
        &self,
        cch: &CchView,
        order: &[u32],
        m: &MetricView,
        chains: &ChainContraction,
        core_weights: &[u32],
    ) {
        let n = cch.node_count() as usize;
        let fill_node = |memo: &mut Vec<(u64, u64)>, lo: usize| {
            let (ua, ub) = (
                cch.up_first_out[lo] as usize,
                cch.up_first_out[lo + 1] as usize,
            );
            if ua == ub {
                return;
            }
            // This node's arcs, forward and backward, built locally and stored once.
            memo.clear();
            memo.resize(ub - ua, (UNKNOWN, UNKNOWN));
            for d in cch.down_first_out[lo] as usize..cch.down_first_out[lo + 1] as usize {
                // Triangle z → lo, z → hi for each up-arc of z above lo; z ascends.
                let z = cch.down_head[d] as usize;
                let bottom = cch.down_to_up[d] as usize;
                let (wb_f, wb_b) = (m.forward[bottom], m.backward[bottom]);
                let mut arc = ua;
                for mid in bottom + 1..cch.up_first_out[z + 1] as usize {
                    let hi = cch.up_head[mid];
                    // z's upper neighbours form a clique, so lo → hi exists.
                    while cch.up_head[arc] < hi {
                        arc += 1;
                    }
                    debug_assert!(arc < ub && cch.up_head[arc] == hi);
                    let entry = (bottom as u64) << 32 | mid as u64;
                    let slot = &mut memo[arc - ua];
                    if slot.0 == UNKNOWN && m.forward[arc] == wb_b.saturating_add(m.forward[mid]) {
                        slot.0 = entry;
                    }
                    if slot.1 == UNKNOWN && m.backward[arc] == wb_f.saturating_add(m.backward[mid])
                    {
                        slot.1 = entry;
                    }
                }
            }
            for (i, &(f, b)) in memo.iter().enumerate() {
                let arc = ua + i;
                let (a, z) = (order[lo], order[cch.up_head[arc] as usize]);
                let f = if f == UNKNOWN && m.forward[arc] < cch::INF_WEIGHT {
                    leaf(chains, core_weights, a, z)
                } else {
                    f
                };
                let b = if b == UNKNOWN && m.backward[arc] < cch::INF_WEIGHT {
                    leaf(chains, core_weights, z, a)
                } else {
                    b
                };
                self.fwd[arc].store(f, Relaxed);
                self.bwd[arc].store(b, Relaxed);
            }
        };
        (0..n)
            .into_par_iter()
            .with_min_len(256)
            .for_each_init(Vec::new, fill_node);
        // Then the triangles of two single arcs become pairs, as unpacking would make them.
        // Only entries that are not single arcs change, and only single arcs are read, so
        // the order of this pass does not matter.
        for (forward, memo) in [(true, &self.fwd), (false, &self.bwd)] {
            memo.par_iter().with_min_len(4096).for_each(|slot| {
                let m = slot.load(Relaxed);
                if m == UNKNOWN || (m >> 32) as u32 & LEAF != 0 {
                    return;
                }
                let (first, second) = halves(forward, m);
                let (m1, m2) = (
                    self.bwd[first as usize].load(Relaxed),
                    self.fwd[second as usize].load(Relaxed),
                );
                if let Some(p) = pair(m1, m2) {
                    slot.store(p, Relaxed);
                }
            });
        }
    }
}

/// The memo of an input arc `from → to` (core node ids): the cheapest parallel core arc's
/// original arcs.
pub(crate) fn leaf(chains: &ChainContraction, core_weights: &[u32], from: u32, to: u32) -> u64 {
    let core = chains.cheapest_arc(from, to, core_weights);
    let (start, len) = chains.unpack_range(core);
    if len == 1 {
        ((LEAF | SINGLE) as u64) << 32 | chains.unpacked()[start as usize] as u64
    } else {
        // Chains are short; a length this large would collide with the flags.
        assert!(len < PAIR, "chain of {len} arcs");
        ((LEAF | len) as u64) << 32 | start as u64
    }
}
