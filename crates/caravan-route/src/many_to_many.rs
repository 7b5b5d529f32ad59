//! Distance matrices by buckets: one backward sweep per target fills, at every node of its
//! search space, a bucket entry (target, distance); then one forward sweep per source scans
//! the buckets of the nodes it reaches (Knopp et al., ALENEX 2007, on a CCH's elimination
//! tree). On the world network this replaced the `cch` crate's pinned-target matrix, whose
//! per-source walk over the union of all target chains cost 1.7 s for 1000×1000.
//!
//! Sources and targets are sets of `(core node, initial weight)`: a place enters the
//! network at several nodes, and a chain interior at both chain ends.

use crate::elimination::Sweep;
use crate::graph::UpGraph;
use cch::{CchView, INF_WEIGHT};
use rayon::prelude::*;
use std::cell::RefCell;
use thread_local::ThreadLocal;

/// Shortest weights from every source set to every target set, row-major; `u64::MAX`
/// where unreachable.
pub fn matrix(
    cch: &CchView,
    (forward, backward): (UpGraph, UpGraph),
    sources: &[Vec<(u32, u64)>],
    targets: &[Vec<(u32, u64)>],
) -> Vec<u64> {
    let n = cch.node_count() as usize;
    let to_ranks = |set: &Vec<(u32, u64)>| -> Vec<(u32, u64)> {
        set.iter()
            .map(|&(c, w)| (cch.rank[c as usize], w))
            .collect()
    };
    // Backward sweeps, in parallel; then buckets by rank, entries by target.
    // One sweep per worker thread (rayon calls `map_init`'s init once per split job, and a
    // sweep is sized to the network).
    let sweeps: ThreadLocal<RefCell<Sweep>> = ThreadLocal::new();
    let sweep = || sweeps.get_or(|| RefCell::new(Sweep::new(n))).borrow_mut();
    let spaces: Vec<Vec<(u32, (u32, u32))>> = targets
        .par_iter()
        .enumerate()
        .map(|(j, set)| {
            let mut sweep = sweep();
            sweep.full(cch, &backward, &to_ranks(set));
            sweep
                .space()
                .iter()
                .map(|&x| (x, (j as u32, sweep.distance(x))))
                .filter(|&(_, (_, d))| d < INF_WEIGHT)
                .collect()
        })
        .collect();
    let bucket = Buckets::build(n, spaces);
    let width = targets.len();
    sources
        .par_iter()
        .map(|set| {
            let mut sweep = sweep();
            sweep.full(cch, &forward, &to_ranks(set));
            let mut row = vec![u64::MAX; width];
            for &x in sweep.space() {
                let f = sweep.distance(x);
                if f >= INF_WEIGHT {
                    continue;
                }
                for &(j, d) in bucket.at(x) {
                    let total = f as u64 + d as u64;
                    let slot = &mut row[j as usize];
                    if total < *slot {
                        *slot = total;
                    }
                }
            }
            row
        })
        .flatten_iter()
        .collect()
}

/// Bucket entries grouped by node (CSR over ranks), each node's entries in the order of the
/// searches that made them: the order a scan meets them decides ties.
pub(crate) struct Buckets<E> {
    first: Vec<u32>,
    entries: Vec<E>,
}

impl<E> Default for Buckets<E> {
    fn default() -> Self {
        Buckets {
            first: Vec::new(),
            entries: Vec::new(),
        }
    }
}

impl<E> Buckets<E> {
    /// From each search's entries `(rank, entry)`, searches in order.
    pub(crate) fn build(n: usize, spaces: Vec<Vec<(u32, E)>>) -> Self {
        let mut b = Buckets::default();
        b.rebuild(n, spaces);
        b
    }

    /// Empties the buckets, keeping their memory for the next [`Self::rebuild`].
    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// As [`Self::build`], in this value's memory.
    pub(crate) fn rebuild(&mut self, n: usize, spaces: Vec<Vec<(u32, E)>>) {
        let first = &mut self.first;
        first.clear();
        first.resize(n + 1, 0);
        for space in &spaces {
            for &(x, _) in space {
                first[x as usize + 1] += 1;
            }
        }
        for i in 0..n {
            first[i + 1] += first[i];
        }
        let mut fill = first.clone();
        // Slots written in place, each exactly once (the counts above are the entries'
        // own, so the fill positions cover every slot once), into the kept capacity.
        let total = first[n] as usize;
        self.entries.clear();
        self.entries.reserve(total);
        let slots = self.entries.spare_capacity_mut();
        for space in spaces {
            for (x, entry) in space {
                slots[fill[x as usize] as usize].write(entry);
                fill[x as usize] += 1;
            }
        }
        debug_assert!((0..n).all(|x| fill[x] == first[x + 1]));
        // SAFETY: the first `total` spare slots were all written above.
        unsafe { self.entries.set_len(total) };
    }

    /// Node `x`'s entries.
    pub(crate) fn at(&self, x: u32) -> &[E] {
        let (a, b) = (
            self.first[x as usize] as usize,
            self.first[x as usize + 1] as usize,
        );
        &self.entries[a..b]
    }
}
