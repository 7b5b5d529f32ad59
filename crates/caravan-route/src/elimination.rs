//! Elimination-tree path search with several weighted sources and targets.
//!
//! The `cch` crate answers one source to one target. A place reaches the network at several
//! nodes, and a node inside a contracted chain enters the core at both chain ends, so one
//! query usually has two to eight sources and as many targets. Running the crate's query for
//! every pair multiplied the time by that count (measured: 4×, 130 µs instead of ~30 µs on
//! the rail graph), so this module runs both elimination-tree sweeps once from all
//! endpoints with their initial weights, then unpacks shortcuts like RoutingKit does (first
//! lower-triangle witness whose weights add up).

use crate::chain::ChainContraction;
use crate::graph::UpGraph;
use crate::root_path::{self, DepthView, Found, Side};
use crate::witness::{halves, leaf, pair, Witnesses, LEAF, PAIR, PAIR_ID, SINGLE, UNKNOWN};
use cch::{CchView, MetricView, INF_WEIGHT};
use std::sync::atomic::Ordering::Relaxed;

const NONE: u32 = u32::MAX;
/// Reusable buffers for one hierarchy (sized to its node count once).
pub struct PathSearch<'v> {
    cch: &'v CchView<'v>,
    /// Tail of every up-arc (the view has heads only), so that a memo can name child arcs
    /// alone and the hot unpacking path never touches the down-arc lists.
    up_tail: &'v [u32],
    /// Core node id per rank (the inverse of `cch.rank`).
    order: &'v [u32],
    /// Elimination-tree depth per rank (see [`crate::root_path`]).
    depth: &'v [u32],
    fwd: Sweep,
    bwd: Sweep,
    /// The same sides for searches along one root path each.
    fwd_path: Side,
    bwd_path: Side,
    /// Whether blocks are relaxed with AVX2.
    simd: bool,
    /// The last search's up-paths as ranks: meeting node down to the source's start, and
    /// meeting node down to the target's start.
    fchain: Vec<u32>,
    bchain: Vec<u32>,
}

/// A node's label: distance in the high half, predecessor rank (`NONE` at a start) in the
/// low half. One `u64` so that a relaxation is a branch-free `min` and one store: which
/// arcs improve a label is unpredictable, and a mispredicted branch per relaxation cost
/// more than the store. Equal distances keep the smaller predecessor rank, which is as
/// shortest as the other.
type Label = u64;

const fn label(dist: u32, pred: u32) -> Label {
    (dist as u64) << 32 | pred as u64
}

const fn dist_of(l: Label) -> u32 {
    (l >> 32) as u32
}

const fn pred_of(l: Label) -> u32 {
    l as u32
}

const UNREACHED: Label = label(INF_WEIGHT, NONE);

pub(crate) struct Sweep {
    label: Vec<Label>,
    /// Which start (index into the caller's list) a start node's distance came from.
    start: Vec<u32>,
    /// Ranks in the search space, ascending after a sweep.
    space: Vec<u32>,
}

impl Sweep {
    pub(crate) fn new(n: usize) -> Sweep {
        Sweep {
            label: vec![UNREACHED; n],
            start: vec![NONE; n],
            space: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.label.len()
    }

    pub(crate) fn reset(&mut self) {
        for &x in &self.space {
            let x = x as usize;
            self.label[x] = UNREACHED;
            self.start[x] = NONE;
        }
        self.space.clear();
    }

    /// A complete upward sweep from `starts` (ranks with initial weights), no pruning;
    /// afterwards `space` lists the visited ranks and `dist` their distances.
    pub(crate) fn full(&mut self, cch: &CchView, graph: &UpGraph, starts: &[(u32, u64)]) {
        self.reset();
        let mut heads = self.seed(starts);
        loop {
            let x = heads.iter().copied().min().unwrap_or(NONE);
            if x == NONE {
                break;
            }
            let parent = cch.elimination_tree_parent[x as usize];
            self.visit(&mut heads, x, parent);
            if dist_of(self.label[x as usize]) < INF_WEIGHT {
                self.relax(graph, x);
            }
        }
    }

    pub(crate) fn distance(&self, rank: u32) -> u32 {
        dist_of(self.label[rank as usize])
    }

    pub(crate) fn space(&self) -> &[u32] {
        &self.space
    }

    /// The rank `rank`'s distance came through, `u32::MAX` at a start.
    pub(crate) fn pred(&self, rank: u32) -> u32 {
        pred_of(self.label[rank as usize])
    }

    /// Which start (index into the seeded list) a start rank's distance came from.
    pub(crate) fn start_of(&self, rank: u32) -> u32 {
        self.start[rank as usize]
    }

    /// Seeds the start distances; returns the chain heads (start ranks).
    fn seed(&mut self, starts: &[(u32, u64)]) -> Vec<u32> {
        let mut heads = Vec::with_capacity(starts.len());
        for (i, &(rank, w)) in starts.iter().enumerate() {
            if w >= INF_WEIGHT as u64 {
                continue;
            }
            let r = rank as usize;
            if (w as u32) < dist_of(self.label[r]) {
                self.label[r] = label(w as u32, NONE);
                self.start[r] = i as u32;
            }
            heads.push(rank);
        }
        heads
    }

    /// Visits `x` if it heads one of this sweep's chains: advances those chains to the
    /// parent and records `x` in the search space.
    fn visit(&mut self, heads: &mut [u32], x: u32, parent: u32) -> bool {
        let mut hit = false;
        for h in heads.iter_mut().filter(|h| **h == x) {
            *h = parent;
            hit = true;
        }
        if hit {
            self.space.push(x);
        }
        hit
    }

    /// Ranks from `x` down its predecessors to its start, appended to `out`; returns the
    /// start's index.
    fn chain(&self, mut x: u32, out: &mut Vec<u32>) -> usize {
        out.push(x);
        while pred_of(self.label[x as usize]) != NONE {
            x = pred_of(self.label[x as usize]);
            out.push(x);
        }
        self.start[x as usize] as usize
    }

    fn relax(&mut self, g: &UpGraph, x: u32) {
        let dx = dist_of(self.label[x as usize]);
        let (a, b) = (
            g.first[x as usize] as usize,
            g.first[x as usize + 1] as usize,
        );
        for (&y, &w) in g.head[a..b].iter().zip(&g.weight[a..b]) {
            let slot = &mut self.label[y as usize];
            *slot = (*slot).min(label(dx.saturating_add(w), x));
        }
    }
}

/// The metric side of a search: the graphs the sweeps climb, the customized weights and the
/// unpacking memo, and the core graph with its weights (parallel core arcs differ by mode;
/// the cheapest is the one travelled).
pub struct Unpacking<'m> {
    pub forward: UpGraph<'m>,
    pub backward: UpGraph<'m>,
    pub view: MetricView<'m>,
    pub memo: &'m Witnesses,
    /// The core graph: leaves of the unpacking are its arcs, each standing for a chain of
    /// original arcs.
    pub chains: &'m ChainContraction,
    pub core_weights: &'m [u32],
    /// The search graphs blocked by depth, when the metric is pruned.
    pub by_depth: Option<(DepthView<'m>, DepthView<'m>)>,
}

impl<'v> PathSearch<'v> {
    pub fn new(
        cch: &'v CchView<'v>,
        up_tail: &'v [u32],
        depth: &'v [u32],
        order: &'v [u32],
    ) -> Self {
        let n = cch.node_count() as usize;
        let mut s = PathSearch::new_empty(cch, up_tail, depth, order);
        s.fwd = Sweep::new(n);
        s.bwd = Sweep::new(n);
        s
    }

    fn new_empty(
        cch: &'v CchView<'v>,
        up_tail: &'v [u32],
        depth: &'v [u32],
        order: &'v [u32],
    ) -> Self {
        PathSearch {
            cch,
            up_tail,
            order,
            depth,
            fwd: Sweep::new(0),
            bwd: Sweep::new(0),
            fwd_path: Side::new(),
            bwd_path: Side::new(),
            simd: root_path::simd_available(),
            fchain: Vec::new(),
            bchain: Vec::new(),
        }
    }

    /// As [`Self::new`], on buffers of an earlier search (reset before each query).
    pub(crate) fn with_buffers(
        cch: &'v CchView<'v>,
        up_tail: &'v [u32],
        depth: &'v [u32],
        order: &'v [u32],
        fwd: Sweep,
        bwd: Sweep,
    ) -> Self {
        let mut s = PathSearch::new_empty(cch, up_tail, depth, order);
        s.fwd = fwd;
        s.bwd = bwd;
        s
    }

    pub(crate) fn into_buffers(self) -> (Sweep, Sweep) {
        (self.fwd, self.bwd)
    }

    /// The structure this search runs on.
    pub fn view(&self) -> &'v CchView<'v> {
        self.cch
    }

    /// Shortest path from any `(core node, initial weight)` source to any target.
    pub fn path(
        &mut self,
        u: &Unpacking,
        sources: &[(u32, u64)],
        targets: &[(u32, u64)],
    ) -> Option<Found> {
        let cch = self.cch;
        let rank = |v: &(u32, u64)| (cch.rank[v.0 as usize], v.1);
        let s: Vec<(u32, u64)> = sources.iter().map(rank).collect();
        let t: Vec<(u32, u64)> = targets.iter().map(rank).collect();
        if let Some(graphs) = u.by_depth {
            let parent = cch.elimination_tree_parent;
            if self.fwd_path.seed(parent, self.depth, &s)
                && self.bwd_path.seed(parent, self.depth, &t)
            {
                return root_path::search(
                    &mut self.fwd_path,
                    &mut self.bwd_path,
                    graphs,
                    self.simd,
                    &mut self.fchain,
                    &mut self.bchain,
                );
            }
        }
        self.fwd.reset();
        self.bwd.reset();
        // Both sweeps climb the union of their starts' elimination-tree chains together,
        // in ascending rank (every up-neighbour is an ancestor, so the order is
        // topological; each chain ascends, so this is a merge of a handful of chains, with
        // no sort). A node whose distance already reaches the best meeting so far cannot
        // lead to a better one, so its arcs are not relaxed: that prunes most of the dense
        // top of the hierarchy once the sweeps have met.
        let mut fh = self.fwd.seed(&s);
        let mut bh = self.bwd.seed(&t);
        let mut best = u64::MAX;
        let mut meet = NONE;
        loop {
            let x = fh.iter().chain(bh.iter()).copied().min().unwrap_or(NONE);
            if x == NONE {
                break;
            }
            let parent = cch.elimination_tree_parent[x as usize];
            let in_f = self.fwd.visit(&mut fh, x, parent);
            let in_b = self.bwd.visit(&mut bh, x, parent);
            let (f, b) = (
                dist_of(self.fwd.label[x as usize]) as u64,
                dist_of(self.bwd.label[x as usize]) as u64,
            );
            if in_f && in_b && f < INF_WEIGHT as u64 && b < INF_WEIGHT as u64 && f + b < best {
                best = f + b;
                meet = x;
            }
            if in_f && f < (INF_WEIGHT as u64).min(best) {
                self.fwd.relax(&u.forward, x);
            }
            if in_b && b < (INF_WEIGHT as u64).min(best) {
                self.bwd.relax(&u.backward, x);
            }
        }
        if meet == NONE {
            return None;
        }
        self.fchain.clear();
        self.bchain.clear();
        let source = self.fwd.chain(meet, &mut self.fchain);
        let target = self.bwd.chain(meet, &mut self.bchain);
        Some(Found {
            weight: best,
            source,
            target,
        })
    }

    /// Appends the original arcs of the path found by the last [`Self::path`], in travel
    /// order.
    pub fn unpack_into(&mut self, u: &Unpacking, out: &mut Vec<u32>) {
        let cch = self.cch;
        // Forward half: from the source's start up to the meeting node.
        for i in (1..self.fchain.len()).rev() {
            let (tail, head) = (self.fchain[i], self.fchain[i - 1]);
            self.unpack(u, true, up_arc(cch, tail, head), out);
        }
        // Backward half: from the meeting node down to the target's start.
        for i in 1..self.bchain.len() {
            let (x, y) = (self.bchain[i - 1], self.bchain[i]);
            self.unpack(u, false, up_arc(cch, y, x), out);
        }
    }

    /// Emits the original arcs of up-arc `arc` = `lo → hi` (forward: travelled lo→hi;
    /// backward: travelled hi→lo), recursing through its lower triangle.
    pub(crate) fn unpack(&self, u: &Unpacking, forward: bool, arc: u32, out: &mut Vec<u32>) {
        let memo = self.entry(u, forward, arc);
        self.emit(u, forward, arc, memo, out);
    }

    /// The memo of `arc`, found now if unknown.
    fn entry(&self, u: &Unpacking, forward: bool, arc: u32) -> u64 {
        let slot = u.memo.slot(forward, arc);
        let mut memo = slot.load(Relaxed);
        if memo == UNKNOWN {
            memo = self.memo_of(u, forward, arc);
            slot.store(memo, Relaxed);
        }
        memo
    }

    /// Emits the original arcs of `arc`, whose memo is `memo`.
    fn emit(&self, u: &Unpacking, forward: bool, arc: u32, memo: u64, out: &mut Vec<u32>) {
        let (high, low) = ((memo >> 32) as u32, memo as u32);
        if high & LEAF != 0 {
            if high & SINGLE != 0 {
                out.push(low);
            } else if high & PAIR != 0 {
                out.push(high & PAIR_ID);
                out.push(low);
            } else {
                let len = (high & !LEAF) as usize;
                // Chains are a few arcs long: a plain loop beats a memmove call.
                for &x in &u.chains.unpacked()[low as usize..low as usize + len] {
                    out.push(x);
                }
            }
            return;
        }
        let (first, second) = halves(forward, memo);
        prefetch(u.memo.slot(true, second));
        let m1 = self.entry(u, false, first);
        let m2 = self.entry(u, true, second);
        if let Some(pair) = pair(m1, m2) {
            u.memo.slot(forward, arc).store(pair, Relaxed);
        }
        self.emit(u, false, first, m1, out);
        self.emit(u, true, second, m2, out);
    }

    /// How up-arc `arc` unpacks in one direction (see [`crate::witness`]), found by
    /// merge-joining the down-arc lists of its ends.
    pub(crate) fn memo_of(&self, u: &Unpacking, forward: bool, arc: u32) -> u64 {
        let (lo, hi) = (self.up_tail[arc as usize], self.cch.up_head[arc as usize]);
        match self.witness(&u.view, forward, lo, hi, arc as usize) {
            Some((a, b)) => {
                let (bottom, mid) = (
                    self.cch.down_to_up[a as usize],
                    self.cch.down_to_up[b as usize],
                );
                (bottom as u64) << 32 | mid as u64
            }
            None => {
                let (from, to) = if forward { (lo, hi) } else { (hi, lo) };
                leaf(
                    u.chains,
                    u.core_weights,
                    self.order[from as usize],
                    self.order[to as usize],
                )
            }
        }
    }

    /// The first lower triangle whose two halves add up to the arc's weight (as RoutingKit
    /// picks it), as positions in the down-arc lists of `lo` and `hi`; `None` for an input arc.
    fn witness(
        &self,
        m: &MetricView,
        forward: bool,
        lo: u32,
        hi: u32,
        arc: usize,
    ) -> Option<(u32, u32)> {
        let cch = self.cch;
        let (mut a, ae) = (
            cch.down_first_out[lo as usize],
            cch.down_first_out[lo as usize + 1],
        );
        let (mut b, be) = (
            cch.down_first_out[hi as usize],
            cch.down_first_out[hi as usize + 1],
        );
        while a < ae && b < be {
            let (za, zb) = (cch.down_head[a as usize], cch.down_head[b as usize]);
            if za < zb {
                a += 1;
            } else if zb < za {
                b += 1;
            } else {
                let (bottom, mid) = (
                    cch.down_to_up[a as usize] as usize,
                    cch.down_to_up[b as usize] as usize,
                );
                let fits = if forward {
                    m.forward[arc] == m.backward[bottom].saturating_add(m.forward[mid])
                } else {
                    m.backward[arc] == m.forward[bottom].saturating_add(m.backward[mid])
                };
                if fits {
                    return Some((a, b));
                }
                a += 1;
                b += 1;
            }
        }
        None
    }
}

/// Asks the CPU to fetch the memo entry of the second half of a triangle while the first
/// half is unpacked: the memo is tens of megabytes, read in no order a cache can predict,
/// and its misses would otherwise come one after another.
#[inline(always)]
fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint; it reads nothing and faults on nothing.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(at as *const T as *const i8);
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

pub(crate) fn up_arc(cch: &CchView, tail: u32, head: u32) -> u32 {
    let (a, b) = (
        cch.up_first_out[tail as usize],
        cch.up_first_out[tail as usize + 1],
    );
    // Up-heads are sorted per node.
    let heads = &cch.up_head[a as usize..b as usize];
    a + heads.binary_search(&head).unwrap_or(0) as u32
}

/// Tail of each up-arc, from the CSR offsets.
pub fn up_tails(cch: &CchView) -> Vec<u32> {
    let mut t = Vec::with_capacity(cch.up_head.len());
    for x in 0..cch.node_count() as usize {
        let n = cch.up_first_out[x + 1] - cch.up_first_out[x];
        t.extend(std::iter::repeat_n(x as u32, n as usize));
    }
    t
}
