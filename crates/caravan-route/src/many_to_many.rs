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
    // Backward sweeps, in parallel; then buckets as CSR over ranks, entries by target.
    let spaces: Vec<Vec<(u32, u32)>> = targets
        .par_iter()
        .map_init(
            || Sweep::new(n),
            |sweep, set| {
                sweep.full(cch, &backward, &to_ranks(set));
                sweep
                    .space()
                    .iter()
                    .map(|&x| (x, sweep.distance(x)))
                    .filter(|&(_, d)| d < INF_WEIGHT)
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
    let mut bucket = vec![(0u32, 0u32); first[n] as usize];
    for (j, space) in spaces.iter().enumerate() {
        for &(x, d) in space {
            bucket[fill[x as usize] as usize] = (j as u32, d);
            fill[x as usize] += 1;
        }
    }
    drop(spaces);
    let width = targets.len();
    sources
        .par_iter()
        .map_init(
            || Sweep::new(n),
            |sweep, set| {
                sweep.full(cch, &forward, &to_ranks(set));
                let mut row = vec![u64::MAX; width];
                for &x in sweep.space() {
                    let f = sweep.distance(x);
                    if f >= INF_WEIGHT {
                        continue;
                    }
                    let (a, b) = (first[x as usize] as usize, first[x as usize + 1] as usize);
                    for &(j, d) in &bucket[a..b] {
                        let total = f as u64 + d as u64;
                        let slot = &mut row[j as usize];
                        if total < *slot {
                            *slot = total;
                        }
                    }
                }
                row
            },
        )
        .flatten_iter()
        .collect()
}
