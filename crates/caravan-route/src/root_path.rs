//! Sweeps along a single root path: labels indexed by depth, arcs relaxed eight at a time.
//!
//! Every up-neighbour of a node in a CCH is one of its elimination-tree ancestors. When all
//! of a side's starts lie on one root path (one node; or a chain interior, which enters the
//! core at both chain ends, and adjacent core nodes are ancestor and descendant), that
//! path is the side's whole search space and each of its nodes is named by its depth. The
//! labels then fit in a few kilobytes instead of being scattered over a per-node array of
//! megabytes, and a node's up-arcs, stored as blocks of eight consecutive depths, are
//! relaxed with one vector `min` per block instead of one compare per arc. On the world
//! network a root path has ~370 nodes and ~12.7 k kept arcs in ~4.3 k blocks; path query
//! p50 went from ~60 to ~46 µs (1000 random pairs after 5000 others, 2 cores), and to
//! 18 µs from 27 when the same query repeats with everything cached.
//! Sides whose starts branch (a place entering the network at several nodes) and metrics
//! without pruned graphs use the rank-indexed sweeps of [`crate::elimination`].

use crate::graph::UpGraph;
use cch::INF_WEIGHT;

/// Depths per block: eight 32-bit lanes, one AVX2 register.
pub(crate) const LANES: usize = 8;
const NONE: u32 = u32::MAX;

/// Eight lanes, aligned so that a block never straddles a cache line.
#[derive(Clone, Copy)]
#[repr(C, align(32))]
pub(crate) struct Block([u32; LANES]);

/// One direction's kept up-arcs by depth, in blocks of eight consecutive depths: node `x`
/// (a rank) has blocks `first[x]..first[x + 1]`; block `b` covers depths
/// `LANES * at[b]..` with the weights `w[b]` ([`INF_WEIGHT`] where there is no arc).
///
/// Blocks hold 1.8 arcs on average (world network: 52% one, 28% two), so this takes about
/// 2.5 times the memory of a list of arcs (~49 MB a direction). Blocks that stored only
/// their arcs, spread over the lanes by a permutation, took a third of that but made
/// queries ~10% slower (measured, both sides in one run).
#[derive(Default)]
pub(crate) struct DepthGraph {
    first: Vec<u32>,
    /// Block index: depth / [`LANES`].
    at: Vec<u8>,
    w: Vec<Block>,
}

/// A borrowed [`DepthGraph`].
#[derive(Clone, Copy)]
pub struct DepthView<'a> {
    first: &'a [u32],
    at: &'a [u8],
    w: &'a [Block],
}

/// Deepest depth the blocks can name (block indices are bytes).
pub(crate) const MAX_DEPTH: u32 = (256 * LANES - 1) as u32;

impl DepthGraph {
    /// Re-blocks the arcs of `g` by their heads' depths; all depths must be at most
    /// [`MAX_DEPTH`].
    pub(crate) fn build(&mut self, g: &UpGraph, depth: &[u32]) {
        let n = g.first.len() - 1;
        self.first.clear();
        self.at.clear();
        self.w.clear();
        self.first.reserve(n + 1);
        self.first.push(0);
        for x in 0..n {
            let (a, b) = (g.first[x] as usize, g.first[x + 1] as usize);
            let start = self.w.len();
            // Heads ascend in rank along x's root path, so their depths descend and the
            // arcs of one block are consecutive.
            for (&h, &w) in g.head[a..b].iter().zip(&g.weight[a..b]) {
                let d = depth[h as usize] as usize;
                let k = (d / LANES) as u8;
                if self.w.len() == start || self.at.last() != Some(&k) {
                    self.at.push(k);
                    self.w.push(Block([INF_WEIGHT; LANES]));
                }
                if let Some(block) = self.w.last_mut() {
                    block.0[d % LANES] = w;
                }
            }
            self.first.push(self.w.len() as u32);
        }
    }

    pub(crate) fn view(&self) -> DepthView<'_> {
        DepthView {
            first: &self.first,
            at: &self.at,
            w: &self.w,
        }
    }
}

/// Depth of every rank in the elimination tree (roots at 0); parents have higher ranks.
pub(crate) fn depths(parent: &[u32]) -> Vec<u32> {
    let mut depth = vec![0u32; parent.len()];
    for x in (0..parent.len()).rev() {
        if parent[x] != NONE {
            depth[x] = depth[parent[x] as usize] + 1;
        }
    }
    depth
}

/// One side of a search along a root path.
pub(crate) struct Side {
    /// Rank at each depth of the path.
    anc: Vec<u32>,
    /// Distance per depth, in whole blocks.
    dist: Vec<Block>,
    /// Predecessor depth per depth (`NONE` at a start).
    pred: Vec<Block>,
    /// Start index per depth (meaningful where `pred` is `NONE`).
    start: Vec<u32>,
    /// Depth of the deepest start (`None` before seeding or if no start is open).
    deepest: Option<usize>,
}

impl Side {
    pub(crate) fn new() -> Side {
        Side {
            anc: Vec::new(),
            dist: Vec::new(),
            pred: Vec::new(),
            start: Vec::new(),
            deepest: None,
        }
    }

    /// Lays out the root path of the deepest open start and seeds the starts; `false` if
    /// some open start is not on that path (the caller then sweeps by rank).
    pub(crate) fn seed(&mut self, parent: &[u32], depth: &[u32], starts: &[(u32, u64)]) -> bool {
        let open = || starts.iter().filter(|s| s.1 < INF_WEIGHT as u64);
        self.deepest = None;
        let Some(&(s0, _)) = open().max_by_key(|s| depth[s.0 as usize]) else {
            return true;
        };
        let d0 = depth[s0 as usize] as usize;
        self.anc.resize(d0 + 1, NONE);
        let mut x = s0;
        for d in (0..=d0).rev() {
            self.anc[d] = x;
            x = parent[x as usize];
        }
        if open().any(|&(r, _)| self.anc[depth[r as usize] as usize] != r) {
            return false;
        }
        let blocks = d0 / LANES + 1;
        self.dist.clear();
        self.dist.resize(blocks, Block([INF_WEIGHT; LANES]));
        self.pred.clear();
        self.pred.resize(blocks, Block([NONE; LANES]));
        self.start.clear();
        self.start.resize(d0 + 1, NONE);
        for (i, &(r, w)) in starts.iter().enumerate() {
            let d = depth[r as usize] as usize;
            if w < INF_WEIGHT as u64 && (w as u32) < self.dist(d) {
                self.dist[d / LANES].0[d % LANES] = w as u32;
                self.start[d] = i as u32;
            }
        }
        self.deepest = Some(d0);
        true
    }

    fn dist(&self, d: usize) -> u32 {
        self.dist[d / LANES].0[d % LANES]
    }

    fn pred(&self, d: usize) -> u32 {
        self.pred[d / LANES].0[d % LANES]
    }

    /// Relaxes the up-arcs of the node at depth `d`, if it is reached.
    fn relax(&mut self, g: &DepthView, d: usize, simd: bool) {
        let dx = self.dist(d);
        if dx >= INF_WEIGHT {
            return;
        }
        let x = self.anc[d] as usize;
        let (a, b) = (g.first[x] as usize, g.first[x + 1] as usize);
        let (at, w) = (&g.at[a..b], &g.w[a..b]);
        let tag = d as u32;
        #[cfg(target_arch = "x86_64")]
        if simd {
            // SAFETY: `simd` is true only when `simd_available` found AVX2 on this CPU.
            unsafe { relax_avx2(&mut self.dist, &mut self.pred, at, w, dx, tag) };
            return;
        }
        let _ = simd;
        for (&k, w) in at.iter().zip(w) {
            // Blocks cover depths above x only: k ≤ d / LANES, inside the label arrays.
            let (dist, pred) = (&mut self.dist[k as usize], &mut self.pred[k as usize]);
            for i in 0..LANES {
                // dx < 2^31 − 1 and every weight ≤ 2^31 − 1: the sum fits in u32.
                let cand = dx + w.0[i];
                if cand < dist.0[i] {
                    dist.0[i] = cand;
                    pred.0[i] = tag;
                }
            }
        }
    }

    /// The path's ranks from the node at depth `d` down its predecessors to its start,
    /// appended to `out`; returns that start's index.
    fn chain(&self, mut d: usize, out: &mut Vec<u32>) -> usize {
        out.push(self.anc[d]);
        while self.pred(d) != NONE {
            d = self.pred(d) as usize;
            out.push(self.anc[d]);
        }
        self.start[d] as usize
    }
}

/// A found path, by either kind of sweep: its weight and the start indices used;
/// [`crate::elimination::PathSearch::unpack_into`] gives its arcs.
pub struct Found {
    pub weight: u64,
    pub source: usize,
    pub target: usize,
}

/// Searches from the seeded `fwd` to the seeded `bwd`; fills `fchain` (meeting node down to
/// the source's start) and `bchain` (meeting node down to the target's start) with ranks.
pub(crate) fn search(
    fwd: &mut Side,
    bwd: &mut Side,
    (fg, bg): (DepthView, DepthView),
    simd: bool,
    fchain: &mut Vec<u32>,
    bchain: &mut Vec<u32>,
) -> Option<Found> {
    let (df, db) = (fwd.deepest?, bwd.deepest?);
    if fwd.anc[0] != bwd.anc[0] {
        return None; // different trees: no path through the core
    }
    // The deepest common node: paths share everything above it.
    let (mut lo, mut hi) = (0, df.min(db));
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fwd.anc[mid] == bwd.anc[mid] {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let lca = lo;
    // Below the common part the sides cannot meet, so no meeting bound prunes them.
    for d in (lca + 1..=df).rev() {
        fwd.relax(&fg, d, simd);
    }
    for d in (lca + 1..=db).rev() {
        bwd.relax(&bg, d, simd);
    }
    let mut best = u64::MAX;
    let mut meet = None;
    for d in (0..=lca).rev() {
        let (f, b) = (fwd.dist(d) as u64, bwd.dist(d) as u64);
        if f < INF_WEIGHT as u64 && b < INF_WEIGHT as u64 && f + b < best {
            best = f + b;
            meet = Some(d);
        }
        // A node whose distance reaches the best meeting cannot lead to a better one.
        if f < best {
            fwd.relax(&fg, d, simd);
        }
        if b < best {
            bwd.relax(&bg, d, simd);
        }
    }
    let meet = meet?;
    fchain.clear();
    bchain.clear();
    let source = fwd.chain(meet, fchain);
    let target = bwd.chain(meet, bchain);
    Some(Found {
        weight: best,
        source,
        target,
    })
}

/// Per block `k` of `at` with weights `w`: `dist[k][i] = min(dist[k][i], dx + w[i])` per
/// lane, and `pred[k][i] = tag` where it improved (strictly, as relaxing arc by arc would).
/// One call per node: the kernel is not inlined into callers without AVX2 enabled.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn relax_avx2(
    dist: &mut [Block],
    pred: &mut [Block],
    at: &[u8],
    w: &[Block],
    dx: u32,
    tag: u32,
) {
    use std::arch::x86_64::*;
    let (dxv, tagv) = (_mm256_set1_epi32(dx as i32), _mm256_set1_epi32(tag as i32));
    for (&k, w) in at.iter().zip(w) {
        let (dist, pred) = (&mut dist[k as usize], &mut pred[k as usize]);
        // SAFETY (all loads and stores): blocks are 32 bytes and 32-byte aligned.
        let (dp, pp) = (
            dist as *mut Block as *mut __m256i,
            pred as *mut Block as *mut __m256i,
        );
        let old = _mm256_load_si256(dp);
        // No overflow: dx < 2^31 − 1 and every weight ≤ 2^31 − 1.
        let cand = _mm256_add_epi32(_mm256_load_si256(w as *const Block as *const __m256i), dxv);
        let m = _mm256_min_epu32(old, cand);
        let same = _mm256_cmpeq_epi32(m, old);
        // Stored whether or not anything improved: a branch here mispredicts often, and
        // each misprediction also discards the loads the CPU had started for later blocks
        // (measured: 42 µs of sweeps per query with the branch, 25 µs without).
        _mm256_store_si256(dp, m);
        _mm256_store_si256(pp, _mm256_blendv_epi8(tagv, _mm256_load_si256(pp), same));
    }
}

/// Whether the AVX2 kernel may run on this CPU.
pub(crate) fn simd_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The AVX2 kernel leaves the same distances and predecessors as the plain loop,
        /// which relaxes arc by arc; weights reach up to the infinity sentinel so that the
        /// unsigned sums near 2^32 are exercised.
        #[test]
        fn vector_relaxation_equals_the_plain_loop(
            len in 2usize..40,
            arcs in prop::collection::vec((any::<prop::sample::Index>(), 0u32..=INF_WEIGHT), 1..30),
            labels in prop::collection::vec(prop_oneof![Just(INF_WEIGHT), 0u32..INF_WEIGHT], 40),
            dx in 0u32..INF_WEIGHT,
        ) {
            prop_assume!(simd_available());
            // A path of `len` ranks, rank i's parent i + 1; the bottom node (rank 0, the
            // deepest) has up-arcs to some of its ancestors.
            let parent: Vec<u32> = (0..len as u32).map(|i| if i + 1 < len as u32 { i + 1 } else { NONE }).collect();
            let depth = depths(&parent);
            let mut heads: Vec<(u32, u32)> = arcs
                .iter()
                .map(|(i, w)| (1 + i.index(len - 1) as u32, *w))
                .collect();
            heads.sort_unstable_by_key(|h| h.0);
            heads.dedup_by_key(|h| h.0);
            let mut first = vec![0u32, heads.len() as u32];
            first.resize(len + 1, heads.len() as u32);
            let (head, weight): (Vec<u32>, Vec<u32>) = heads.into_iter().unzip();
            let up = UpGraph { first: &first, head: &head, weight: &weight };
            let mut g = DepthGraph::default();
            g.build(&up, &depth);
            let mut sides = [Side::new(), Side::new()];
            for side in &mut sides {
                prop_assert!(side.seed(&parent, &depth, &[(0, dx as u64)]));
                for (d, &l) in labels.iter().enumerate().take(len - 1) {
                    side.dist[d / LANES].0[d % LANES] = l;
                }
            }
            let bottom = len - 1;
            sides[0].relax(&g.view(), bottom, false);
            sides[1].relax(&g.view(), bottom, true);
            for d in 0..len {
                prop_assert_eq!(sides[0].dist(d), sides[1].dist(d), "distance at depth {}", d);
                prop_assert_eq!(sides[0].pred(d), sides[1].pred(d), "predecessor at depth {}", d);
            }
        }
    }
}
