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
use crate::many_to_many::Buckets;
use crate::witness::{halves, LEAF, PAIR, PAIR_ID, SINGLE, UNKNOWN};
use crate::Endpoint;
use cch::INF_WEIGHT;
use rayon::prelude::*;
use std::cell::RefCell;
use std::sync::atomic::Ordering::Relaxed;
use thread_local::ThreadLocal;

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

/// A forward sweep's bucket entries, by the node (rank) each goes to.
type Space = Vec<(u32, Entry)>;

/// A source's payloads up to each node of its search space it reached, with the source's
/// endpoint each path starts at.
type Ups<P> = Vec<(P, u32)>;

/// A worker's search scratch: the sweep, its space's payloads (all of them on a forward
/// sweep, those made so far on a backward one, flagged), positions in the space, a
/// stack, and the flags.
type Scratch<P> = (
    Sweep,
    Vec<Option<(P, u32)>>,
    Vec<u32>,
    Vec<usize>,
    Vec<bool>,
);

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
        // Uninitialised: every slot is written exactly once below (each node's arcs by its
        // own task), and the first touch of ~0.6 GB of fresh pages is then shared by the
        // workers instead of paid by one thread filling placeholders.
        let mut forward: Vec<std::mem::MaybeUninit<P>> = Vec::with_capacity(arcs);
        let mut backward: Vec<std::mem::MaybeUninit<P>> = Vec::with_capacity(arcs);
        // SAFETY: MaybeUninit needs no initialisation.
        unsafe {
            forward.set_len(arcs);
            backward.set_len(arcs);
        }

        let slots = Slots {
            forward: forward.as_mut_ptr().cast::<P>(),
            backward: backward.as_mut_ptr().cast::<P>(),
        };
        let unpacked = self.chains.unpacked();
        let of_memo = |forward: bool, arc: usize| -> P {
            let memo = m.witnesses.slot(forward, arc as u32).load(Relaxed);
            let (high, low) = ((memo >> 32) as u32, memo as u32);
            if memo == UNKNOWN {
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
                // SAFETY: both halves leave the triangle's lower node, a descendant of
                // this arc's tail in the elimination tree, whose arcs were written
                // before this node's task started and are never written again.
                unsafe { join.join(slots.get(false, first), slots.get(true, second)) }
            }
        };
        // A shortcut's halves leave a node below its tail, in the tail's subtree: each
        // node's arcs after its subtree's, disjoint subtrees in parallel.
        self.schedule().bottom_up(&|x| {
            for arc in view.up_first_out[x] as usize..view.up_first_out[x + 1] as usize {
                let (f, b) = (of_memo(true, arc), of_memo(false, arc));
                // SAFETY: only this node's task writes its arcs, and no task reads them
                // until it is done (readers are its ancestors' tasks).
                unsafe { slots.set(arc, f, b) }
            }
        });
        // Every node's up-arcs were visited: the tails partition the arcs.
        debug_assert_eq!(view.up_first_out[view.node_count() as usize] as usize, arcs);
        // SAFETY: every slot is initialised; MaybeUninit<P> has P's layout.
        let done = |v: Vec<std::mem::MaybeUninit<P>>| unsafe {
            let mut v = std::mem::ManuallyDrop::new(v);
            Vec::from_raw_parts(v.as_mut_ptr().cast::<P>(), v.len(), v.capacity())
        };
        ArcPayloads {
            forward: done(forward),
            backward: done(backward),
        }
    }

    /// The matrix from every source set to every target set, in blocks of up to `block`
    /// sources, each reached cell's payload handed to `cell(i, j, …)` and only its result
    /// kept (a caller keeps a few numbers a cell, not a payload). Each block (those
    /// sources to every target) goes to `sink` before the next is searched, so a caller
    /// can write a matrix far larger than memory; a sink's error stops the run. `pays`
    /// must come from [`Self::arc_payloads`] for the same `m`.
    /// `progress(cells)` is called as each target's cells of a block are done.
    ///
    /// A block's forward sweeps fill buckets; then every target's backward sweep scans
    /// them. Memory is a block's buckets and cells; the price of smaller blocks is one
    /// more backward sweep per target and block.
    #[allow(clippy::too_many_arguments)]
    pub fn matrix_blocks<P, C, E>(
        &self,
        m: &Customized,
        pays: &ArcPayloads<P>,
        join: &impl Join<P>,
        sources: &[Vec<Endpoint>],
        targets: &[Vec<Endpoint>],
        block: usize,
        cell: &(impl Fn(usize, usize, Option<Reached<P>>) -> C + Sync),
        progress: &(impl Fn(usize) + Sync + ?Sized),
        mut sink: impl FnMut(Block<C>) -> Result<(), E>,
    ) -> Result<(), E>
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
        // One search scratch per worker thread for the whole run.
        let scratch: ThreadLocal<RefCell<Scratch<P>>> = ThreadLocal::new();
        let scratch = || {
            scratch
                .get_or(|| {
                    let fresh = (
                        Sweep::new(n),
                        Vec::new(),
                        vec![0u32; n],
                        Vec::new(),
                        Vec::new(),
                    );
                    RefCell::new(fresh)
                })
                .borrow_mut()
        };
        // A path can stay inside one chain only from or to a chain's interior, or from a
        // node to itself: most cells need no look at chains.
        let inside = |sets: &[Vec<Endpoint>]| -> Vec<bool> {
            sets.iter()
                .map(|set| set.iter().any(|e| self.chains.core_of(e.node).is_none()))
                .collect()
        };
        let (interior, to_interior) = (inside(sources), inside(targets));
        // Reused by every block: a block's entries are tens of MB, fresh pages each time
        // otherwise.
        let mut bucket = Buckets::default();
        for first in (0..sources.len()).step_by(block.max(1)) {
            let end = (first + block.max(1)).min(sources.len());
            // Forward sweeps: every node of a source's search space, with its distance
            // from the source and the payload of the path up to it.
            // Buckets hold what a scan reads (12 bytes an entry); the payloads, read only
            // for each cell's winner, stay with their source.
            let (spaces, ups): (Vec<Space>, Vec<Ups<P>>) = (first..end)
                .into_par_iter()
                .map(|i| {
                    let mut held = scratch();
                    let (sweep, pay, pos, _, _) = &mut *held;
                    sweep.full(&view, &forward, &ranked(&src[i]));
                    space_payloads(sweep, &view, pays, join, &src[i], pay, pos);
                    let reached = sweep.space().len();
                    let (mut entries, mut payloads) =
                        (Vec::with_capacity(reached), Vec::with_capacity(reached));
                    for (&x, made) in sweep.space().iter().zip(pay.drain(..)) {
                        let Some((p, start)) = made else { continue };
                        let entry = Entry {
                            index: (i - first) as u32,
                            distance: sweep.distance(x),
                            up: payloads.len() as u32,
                        };
                        entries.push((x, entry));
                        payloads.push((p, src[i][start as usize].2));
                    }
                    (entries, payloads)
                })
                .unzip();
            bucket.rebuild(n, spaces);
            let height = end - first;
            let columns: Vec<Vec<C>> = (0..targets.len())
                .into_par_iter()
                .map(|j| {
                    let mut held = scratch();
                    let (sweep, memo, pos, stack, made) = &mut *held;
                    sweep.full(&view, &backward, &ranked(&dst[j]));
                    // Per source: least total, meeting node's space position, bucket
                    // entry. Spaces run in ascending rank, so a tie goes to the lowest
                    // meeting rank, as in the path search.
                    let mut best = vec![(u64::MAX, 0u32, 0u32); height];
                    for (k, &x) in sweep.space().iter().enumerate() {
                        pos[x as usize] = k as u32;
                        let b = sweep.distance(x);
                        if b >= INF_WEIGHT {
                            continue;
                        }
                        for entry in bucket.at(x) {
                            let total = entry.distance as u64 + b as u64;
                            let slot = &mut best[entry.index as usize];
                            if total < slot.0 {
                                *slot = (total, k as u32, entry.up);
                            }
                        }
                    }
                    // Payloads down from the meeting nodes that won, and only those.
                    // Flags say which slots hold this sweep's payloads; the slots themselves
                    // are only ever added, never cleared (a payload is a hundred bytes).
                    let reached = sweep.space().len();
                    if memo.len() < reached {
                        memo.resize_with(reached, || None);
                    }
                    made.clear();
                    made.resize(reached, false);
                    let down = Lazy {
                        sweep,
                        view: &view,
                        pays,
                        join,
                        starts: &dst[j],
                        pos,
                    };
                    // Each cell reads its winner's payload at a random place among the
                    // block's; asked for together, those cache misses overlap.
                    for (ii, &(w, _, e)) in best.iter().enumerate() {
                        if w != u64::MAX {
                            prefetch(&ups[ii][e as usize]);
                        }
                    }
                    let column = best
                        .iter()
                        .enumerate()
                        .map(|(ii, &(w, k, e))| {
                            let i = first + ii;
                            let mut reached = (w != u64::MAX).then(|| {
                                let (down, start) = down.at(k as usize, memo, made, stack);
                                let (up, end) = &ups[ii][e as usize];
                                Reached {
                                    weight: w,
                                    source: *end,
                                    target: dst[j][*start as usize].2,
                                    payload: join.join(up, down),
                                }
                            });
                            if interior[i]
                                || to_interior[j]
                                || shared_node(&sources[i], &targets[j])
                            {
                                self.direct_cell(m, join, &sources[i], &targets[j], &mut reached);
                            }
                            cell(i, j, reached)
                        })
                        .collect();
                    progress(height);
                    column
                })
                .collect();
            bucket.clear();
            sink(Block::by_target(first, height, columns))?;
        }
        Ok(())
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

/// Consecutive sources' cells to every target: one block of a matrix, held by target as
/// the searches make it, or by row.
pub struct Block<C> {
    first: usize,
    height: usize,
    cells: Layout<C>,
}

enum Layout<C> {
    /// Per target, the block's sources in order.
    ByTarget(Vec<Vec<C>>),
    /// Row-major, `width` targets a row.
    ByRow(Vec<C>, usize),
}

impl<C> Block<C> {
    fn by_target(first: usize, height: usize, columns: Vec<Vec<C>>) -> Block<C> {
        Block {
            first,
            height,
            cells: Layout::ByTarget(columns),
        }
    }

    /// A block from rows: `cells` row-major, `width` targets a row.
    pub fn by_row(first: usize, cells: Vec<C>, width: usize) -> Block<C> {
        Block {
            first,
            height: cells.len() / width.max(1),
            cells: Layout::ByRow(cells, width),
        }
    }

    /// The first source's index in the whole matrix.
    pub fn first(&self) -> usize {
        self.first
    }

    /// Sources (rows) in the block.
    pub fn rows(&self) -> usize {
        self.height
    }

    /// Targets (columns).
    pub fn width(&self) -> usize {
        match &self.cells {
            Layout::ByTarget(c) => c.len(),
            Layout::ByRow(_, w) => *w,
        }
    }

    pub fn len(&self) -> usize {
        self.height * self.width()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The cell of the block's `row`-th source to target `target`.
    pub fn get(&self, row: usize, target: usize) -> &C {
        match &self.cells {
            Layout::ByTarget(c) => &c[target][row],
            Layout::ByRow(c, w) => &c[row * w + target],
        }
    }

    /// Every cell, in the order they are stored (cheapest to visit when the order does
    /// not matter).
    pub fn cells(&self) -> Box<dyn Iterator<Item = &C> + '_> {
        match &self.cells {
            Layout::ByTarget(c) => Box::new(c.iter().flatten()),
            Layout::ByRow(c, _) => Box::new(c.iter()),
        }
    }

    /// Row-major: (row in block, target, cell).
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, &C)> + '_ {
        let w = self.width();
        (0..self.len()).map(move |k| (k / w, k % w, self.get(k / w, k % w)))
    }

    pub fn into_row_major(self) -> Vec<C> {
        match self.cells {
            Layout::ByRow(c, _) => c,
            Layout::ByTarget(columns) => {
                let mut columns: Vec<_> = columns.into_iter().map(Vec::into_iter).collect();
                let mut rows = Vec::with_capacity(self.height * columns.len());
                for _ in 0..self.height {
                    rows.extend(columns.iter_mut().filter_map(Iterator::next));
                }
                rows
            }
        }
    }
}

/// The payload vectors, written in place by the per-node tasks of
/// [`Hierarchy::arc_payloads`]: each slot is written by one task only, and read only by
/// tasks that the schedule runs after it.
struct Slots<P> {
    forward: *mut P,
    backward: *mut P,
}
// SAFETY: see the type's comment; concurrent accesses are to disjoint slots.
unsafe impl<P: Send> Sync for Slots<P> {}

impl<P> Slots<P> {
    /// # Safety
    /// `arc` is in range and its slot is not being written.
    unsafe fn get(&self, forward: bool, arc: u32) -> &P {
        let base = if forward { self.forward } else { self.backward };
        &*base.add(arc as usize)
    }

    /// # Safety
    /// `arc` is in range, its slots are uninitialised (nothing is dropped), and no other
    /// thread reads or writes them meanwhile.
    unsafe fn set(&self, arc: usize, forward: P, backward: P) {
        self.forward.add(arc).write(forward);
        self.backward.add(arc).write(backward);
    }
}

/// A hint to fetch `at`'s cache lines ahead of use.
#[inline(always)]
fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = at as *const T as *const i8;
        let mut offset = 0;
        while offset < std::mem::size_of::<T>() {
            _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(offset));
            offset += 64;
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Whether two endpoint sets share a node.
fn shared_node(a: &[Endpoint], b: &[Endpoint]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.node == y.node))
}

/// A bucket entry: a source of the block (its index in it), its distance to the bucket's
/// node, and where among the source's payloads lies that of its path up to the node
/// (with the source's endpoint the path starts at).
struct Entry {
    index: u32,
    distance: u32,
    up: u32,
}

/// A backward sweep's payloads, computed on demand: a node's is its predecessor's joined
/// after the up-arc between them, travelled down. Most of a search space never meets a
/// cell's winning path, so most nodes' payloads are never made.
struct Lazy<'a, P, J> {
    sweep: &'a Sweep,
    view: &'a cch::CchView<'a>,
    pays: &'a ArcPayloads<P>,
    join: &'a J,
    starts: &'a Starts<P>,
    pos: &'a [u32],
}

impl<P: Clone, J: Join<P>> Lazy<'_, P, J> {
    /// The payload of the path from the space's `k`-th node down to the target, and the
    /// start it ends at; `memo` holds those made so far (one slot per space node), where
    /// `made` says so.
    fn at<'m>(
        &self,
        k: usize,
        memo: &'m mut [Option<(P, u32)>],
        made: &mut [bool],
        stack: &mut Vec<usize>,
    ) -> &'m (P, u32) {
        let space = self.sweep.space();
        stack.clear();
        let mut cur = k;
        // Up the predecessors to one already made, or to a start.
        while !made[cur] {
            stack.push(cur);
            match self.sweep.pred(space[cur]) {
                NONE => break,
                y => cur = self.pos[y as usize] as usize,
            }
        }
        while let Some(c) = stack.pop() {
            let x = space[c];
            let payload = match self.sweep.pred(x) {
                NONE => {
                    let s = self.sweep.start_of(x);
                    (self.starts[s as usize].3.clone(), s)
                }
                y => {
                    let (before, s) = memo[self.pos[y as usize] as usize]
                        .as_ref()
                        .expect("a predecessor's payload is made first");
                    let arc = up_arc(self.view, y, x) as usize;
                    (self.join.join(&self.pays.backward[arc], before), *s)
                }
            };
            memo[c] = Some(payload);
            made[c] = true;
        }
        memo[k].as_ref().expect("made above")
    }
}

/// Payloads of a forward sweep's search space, by position in it, each with the start its
/// path came from: a start's chain part, then each node's predecessor's payload joined
/// with the up-arc between them, travelled up. (Every one may end in a bucket entry, so
/// all are made; a backward sweep's are made on demand, [`Lazy`].)
fn space_payloads<P: Clone>(
    sweep: &Sweep,
    view: &cch::CchView,
    pays: &ArcPayloads<P>,
    join: &impl Join<P>,
    starts: &Starts<P>,
    pay: &mut Vec<Option<(P, u32)>>,
    pos: &mut [u32],
) {
    pay.clear();
    for (k, &x) in sweep.space().iter().enumerate() {
        pos[x as usize] = k as u32;
        let p = if sweep.distance(x) >= INF_WEIGHT {
            None
        } else {
            match sweep.pred(x) {
                NONE => {
                    let s = sweep.start_of(x);
                    Some((starts[s as usize].3.clone(), s))
                }
                y => {
                    let (before, s) = pay[pos[y as usize] as usize]
                        .as_ref()
                        .expect("a reached node's predecessor is reached");
                    let arc = up_arc(view, y, x) as usize;
                    Some((join.join(before, &pays.forward[arc]), *s))
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
            block in 1usize..4,
        ) {
            let (h, m) = crate::hierarchy::random_customized(n, arcs);
            let sets: Vec<Vec<Endpoint>> = picks
                .iter()
                .map(|&(v, extra)| vec![Endpoint { node: v % n as u32, weight: extra }])
                .collect();
            let pays = h.arc_payloads(&m, &Arcs);
            // In blocks of `block` sources, each handed over whole and in order.
            let mut cells = Vec::new();
            let sink = |b: Block<_>| -> Result<(), TestCaseError> {
                prop_assert_eq!(b.first() * sets.len(), cells.len());
                prop_assert_eq!(b.width(), sets.len());
                prop_assert!(b.rows() <= block);
                cells.extend(b.into_row_major());
                Ok(())
            };
            let cell = |i: usize, j: usize, r: Option<Reached<Vec<u32>>>| (i, j, r);
            let run = h.matrix_blocks(&m, &pays, &Arcs, &sets, &sets, block, &cell, &|_| {}, sink);
            run?;
            let cells: Vec<_> = cells
                .into_iter()
                .enumerate()
                .map(|(k, (i, j, r))| {
                    assert_eq!((i, j), (k / sets.len(), k % sets.len()));
                    r
                })
                .collect();
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
