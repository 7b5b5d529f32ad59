//! Customization: the shortcut weights of a prepared structure under one metric.
//!
//! The `cch` crate customizes too, but on the world network it missed the 0.1 s a profile
//! switch may take (measured on 2 cores: 155 ms, 46.5 M lower triangles). Two things make
//! this one about twice as fast while computing the same weights (tests compare it with
//! `cch`'s, bit for bit):
//!
//! - **Triangle enumeration by range.** A lower triangle of node `x` is a down-neighbour
//!   `y` and an up-arc `y → z` with `z > x`. `y`'s up-arcs are sorted by head, and
//!   `y → x` is one of them, so the `z` are exactly the arcs after it: a slice, with no
//!   per-arc comparison to find where it ends. Single-threaded that alone halves the time.
//! - **Subtree tasks instead of level barriers.** Relaxing `x` reads only arcs of its
//!   elimination-tree descendants and writes only its own up-arcs, so disjoint subtrees are
//!   independent. Heavy subtrees split into rayon tasks; light ones run as one sequential
//!   sweep in post-order. Level-synchronous scheduling pays a barrier per tree level
//!   (about 700 here), and the top levels hold one node each.

use cch::{Cch, Metric, INF_WEIGHT};
use rayon::prelude::*;
use std::cell::RefCell;

const NONE: u32 = u32::MAX;

/// The metric-independent schedule of a structure, derived once (about 40 ms on the world
/// network) and reused by every customization.
pub(crate) struct Schedule {
    /// Nodes in a post-order of the elimination tree: each subtree is a contiguous run
    /// ending at its root.
    post: Vec<u32>,
    /// Per node: where its subtree's run starts in `post`, and where the node itself is.
    run_start: Vec<u32>,
    run_end: Vec<u32>,
    /// Per node: lower triangles in its subtree (plus one per down-arc), the task size.
    work: Vec<u64>,
    first_child: Vec<u32>,
    children: Vec<u32>,
    roots: Vec<u32>,
    /// Subtrees at most this heavy run as one sequential task.
    grain: u64,
    /// The input arcs behind each shortcut, sorted by shortcut: `(arc | BACKWARD, input)`.
    /// Only about a third of the shortcuts have one, so initialising from this list reads
    /// far less than walking every shortcut's four index arrays.
    inputs: Vec<(u32, u32)>,
    /// Splits of `inputs` for parallel initialisation: `(first entry, first shortcut)`,
    /// never inside one shortcut's entries, ending with `(inputs.len(), arc count)`.
    input_chunks: Vec<(usize, usize)>,
}

/// Marks an entry of [`Schedule::inputs`] as initialising the backward weight.
const BACKWARD: u32 = 1 << 31;

impl Schedule {
    /// # Panics
    /// If the structure's arrays are inconsistent (an id out of range): the unchecked
    /// relaxation relies on these bounds, so they are checked once here.
    pub(crate) fn new(cch: &Cch) -> Schedule {
        let n = cch.node_count();
        let arcs = cch.cch_arc_count();
        assert!(
            cch.up_first_out.len() == n + 1
                && cch.down_first_out.len() == n + 1
                && cch.up_first_out[n] as usize == arcs
                && cch.down_first_out[n] as usize == arcs
                && cch.up_first_out.windows(2).all(|w| w[0] <= w[1])
                && cch.down_first_out.windows(2).all(|w| w[0] <= w[1])
                && cch.up_head.iter().all(|&h| (h as usize) < n)
                && cch.down_head.iter().all(|&h| (h as usize) < n)
                && cch.down_to_up.iter().all(|&a| (a as usize) < arcs)
                && cch.elimination_tree_parent.len() == n,
            "malformed CCH structure"
        );
        let parent = &cch.elimination_tree_parent;
        let mut first_child = vec![0u32; n + 1];
        let mut roots = Vec::new();
        for (x, &p) in parent.iter().enumerate() {
            if p == NONE {
                roots.push(x as u32);
            } else {
                first_child[p as usize + 1] += 1;
            }
        }
        for i in 0..n {
            first_child[i + 1] += first_child[i];
        }
        let mut fill = first_child.clone();
        let mut children = vec![0u32; first_child[n] as usize];
        for (x, &p) in parent.iter().enumerate() {
            if p != NONE {
                children[fill[p as usize] as usize] = x as u32;
                fill[p as usize] += 1;
            }
        }
        // Parents rank above children, so one ascending pass accumulates subtree work.
        let mut work: Vec<u64> = (0..n)
            .map(|x| {
                (cch.down_first_out[x]..cch.down_first_out[x + 1])
                    .map(|d| {
                        let (bottom, y) = (cch.down_to_up[d as usize], cch.down_head[d as usize]);
                        1 + (cch.up_first_out[y as usize + 1] - bottom - 1) as u64
                    })
                    .sum()
            })
            .collect();
        let total: u64 = work.iter().sum();
        for x in 0..n {
            if parent[x] != NONE {
                work[parent[x] as usize] += work[x];
            }
        }
        let (mut post, mut run_start, mut run_end) =
            (Vec::with_capacity(n), vec![0u32; n], vec![0u32; n]);
        let mut stack: Vec<(u32, u32)> = Vec::new();
        for &r in &roots {
            stack.push((r, first_child[r as usize]));
            run_start[r as usize] = post.len() as u32;
            while let Some(top) = stack.last_mut() {
                let (x, next) = (top.0 as usize, top.1);
                if next < first_child[x + 1] {
                    top.1 += 1;
                    let c = children[next as usize];
                    run_start[c as usize] = post.len() as u32;
                    stack.push((c, first_child[c as usize]));
                } else {
                    run_end[x] = post.len() as u32;
                    post.push(x as u32);
                    stack.pop();
                }
            }
        }
        let mut inputs = Vec::new();
        for a in 0..arcs {
            let dirs = [
                (
                    0,
                    cch.forward_input_arc_of_cch[a],
                    &cch.first_extra_forward_input_arc_of_cch,
                    &cch.extra_forward_input_arc_of_cch,
                ),
                (
                    BACKWARD,
                    cch.backward_input_arc_of_cch[a],
                    &cch.first_extra_backward_input_arc_of_cch,
                    &cch.extra_backward_input_arc_of_cch,
                ),
            ];
            for (dir, first, extra_first, extra) in dirs {
                let tag = a as u32 | dir;
                if first != NONE {
                    inputs.push((tag, first));
                }
                for &i in &extra[extra_first[a] as usize..extra_first[a + 1] as usize] {
                    inputs.push((tag, i));
                }
            }
        }
        assert!(arcs < BACKWARD as usize, "too many shortcuts");
        let mut input_chunks = vec![(0usize, 0usize)];
        let step = inputs.len() / 32 + 1;
        let mut i = step;
        while i < inputs.len() {
            let arc = (inputs[i].0 & !BACKWARD) as usize;
            // Start the chunk at this shortcut's first entry.
            let start = inputs.partition_point(|e| ((e.0 & !BACKWARD) as usize) < arc);
            if start > input_chunks.last().unwrap().0 {
                input_chunks.push((start, arc));
            }
            i += step;
        }
        input_chunks.push((inputs.len(), arcs));
        Schedule {
            inputs,
            input_chunks,
            post,
            run_start,
            run_end,
            work,
            first_child,
            children,
            roots,
            // 64 tasks' worth: enough to balance two to eight threads, few enough that
            // task overhead is noise (measured: 76 ms on 2 threads, 145 ms on one).
            grain: (total / 64).max(1),
        }
    }

    /// Customizes `weights` (one per input arc of `cch`) into `out`, reusing its buffers.
    ///
    /// # Panics
    /// If `weights` does not have one entry per input arc.
    pub(crate) fn customize_into(&self, cch: &Cch, weights: &[u32], out: &mut Metric) {
        assert_eq!(
            weights.len(),
            cch.input_arc_to_cch_arc.len(),
            "one weight per input arc"
        );
        let arcs = cch.cch_arc_count();
        out.forward.resize(arcs, INF_WEIGHT);
        out.backward.resize(arcs, INF_WEIGHT);
        // Initial weights: each shortcut's own input arc(s), parallel arcs min-combined,
        // in chunks that own disjoint ranges of shortcuts.
        let (mut fw, mut bw) = (&mut out.forward[..], &mut out.backward[..]);
        let mut jobs = Vec::with_capacity(self.input_chunks.len());
        for c in self.input_chunks.windows(2) {
            let ((e0, a0), (e1, a1)) = (c[0], c[1]);
            let (f, f_rest) = std::mem::take(&mut fw).split_at_mut(a1 - a0);
            let (b, b_rest) = std::mem::take(&mut bw).split_at_mut(a1 - a0);
            (fw, bw) = (f_rest, b_rest);
            jobs.push((f, b, a0, &self.inputs[e0..e1]));
        }
        jobs.into_par_iter().for_each(|(f, b, a0, entries)| {
            f.fill(INF_WEIGHT);
            b.fill(INF_WEIGHT);
            for &(tag, input) in entries {
                let w = weights[input as usize];
                let side = if tag & BACKWARD == 0 {
                    &mut *f
                } else {
                    &mut *b
                };
                let slot = &mut side[(tag & !BACKWARD) as usize - a0];
                *slot = (*slot).min(w);
            }
        });
        let shared = Shared {
            forward: out.forward.as_mut_ptr(),
            backward: out.backward.as_mut_ptr(),
        };
        self.roots
            .par_iter()
            .for_each(|&r| self.task(cch, &shared, r));
    }

    /// Relaxes the subtree of `x`: children first (in parallel when heavy), then `x`.
    fn task(&self, cch: &Cch, shared: &Shared, x: u32) {
        // A single-child spine (the top separators) runs bottom-up after its one subtree;
        // walking it iteratively keeps the recursion shallow.
        let mut spine = Vec::new();
        let mut cur = x as usize;
        loop {
            if self.work[cur] <= self.grain {
                self.sweep(cch, shared, cur);
                break;
            }
            let kids =
                &self.children[self.first_child[cur] as usize..self.first_child[cur + 1] as usize];
            spine.push(cur);
            match kids {
                [only] => cur = *only as usize,
                _ => {
                    kids.par_iter().for_each(|&c| self.task(cch, shared, c));
                    break;
                }
            }
        }
        for &u in spine.iter().rev() {
            relax_one(cch, shared, u);
        }
    }

    /// Relaxes a whole light subtree in post-order, on the current thread.
    fn sweep(&self, cch: &Cch, shared: &Shared, root: usize) {
        for &u in &self.post[self.run_start[root] as usize..=self.run_end[root] as usize] {
            relax_one(cch, shared, u as usize);
        }
    }
}

/// The weight arrays, shared by tasks that touch disjoint parts of them.
///
/// Soundness rests on the elimination tree: a task relaxing `x` writes only `x`'s up-arcs
/// and reads only up-arcs of `x` and of `x`'s down-neighbours, which are `x`'s descendants.
/// Tasks run disjoint subtrees, and a parent is relaxed only after the tasks of its
/// children have joined, so no slot is written by one task while another touches it.
/// Indices are in bounds because [`Schedule::new`] checked the structure.
struct Shared {
    forward: *mut u32,
    backward: *mut u32,
}
// SAFETY: see the type's comment; the only concurrent accesses are to disjoint slots.
unsafe impl Sync for Shared {}

thread_local! {
    /// Per-worker map from a node to the relaxed node's up-arc towards it. Every slot read
    /// while relaxing `x` was written for `x` first (chordality: the heads of `x`'s lower
    /// triangles are `x`'s up-neighbours), so stale entries are never read.
    static ARC_TO: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

fn relax_one(cch: &Cch, shared: &Shared, x: usize) {
    ARC_TO.with(|cell| {
        let mut arc_to = cell.borrow_mut();
        if arc_to.len() < cch.node_count() {
            arc_to.resize(cch.node_count(), 0);
        }
        let up = &cch.up_first_out;
        for a in up[x]..up[x + 1] {
            arc_to[cch.up_head[a as usize] as usize] = a;
        }
        for d in cch.down_first_out[x] as usize..cch.down_first_out[x + 1] as usize {
            let bottom = cch.down_to_up[d] as usize;
            let y = cch.down_head[d] as usize;
            // SAFETY: all indices are arcs of `x` or of its descendant `y` (see `Shared`),
            // in bounds by `Schedule::new`'s check.
            unsafe {
                let (fb, bb) = (*shared.forward.add(bottom), *shared.backward.add(bottom));
                if fb >= INF_WEIGHT && bb >= INF_WEIGHT {
                    // Closed both ways: no triangle through it can improve anything.
                    continue;
                }
                for mid in bottom + 1..up[y + 1] as usize {
                    let top = arc_to[cch.up_head[mid] as usize] as usize;
                    // INF + INF = 2^32 − 2 still fits: wrapping never happens, and a
                    // closed arc never beats a finite weight.
                    let f = bb.wrapping_add(*shared.forward.add(mid));
                    let b = fb.wrapping_add(*shared.backward.add(mid));
                    let ft = &mut *shared.forward.add(top);
                    if f < *ft {
                        *ft = f;
                    }
                    let bt = &mut *shared.backward.add(top);
                    if b < *bt {
                        *bt = b;
                    }
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Random multigraphs on a grid-ish layout (so the inertial order has geometry to
    /// cut), with parallel arcs, loops and closed arcs.
    fn graph() -> impl Strategy<Value = (usize, Vec<(u32, u32)>, Vec<u32>)> {
        (20usize..400).prop_flat_map(|n| {
            let arc = (
                0..n as u32,
                0..n as u32,
                prop_oneof![9 => 1u32..5000, 1 => Just(INF_WEIGHT)],
            );
            (Just(n), proptest::collection::vec(arc, n..n * 4)).prop_map(|(n, arcs)| {
                let mut arcs = arcs;
                // A ring keeps most of it connected, so triangles are plentiful.
                arcs.extend((0..n as u32).map(|v| (v, (v + 1) % n as u32, 7)));
                arcs.sort_by_key(|a| a.0);
                let w = arcs.iter().map(|a| a.2).collect();
                (n, arcs.iter().map(|a| (a.0, a.1)).collect(), w)
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]
        /// Bit-for-bit the weights of the `cch` crate's own customization (a port of
        /// RoutingKit's), which is the reference this module must not deviate from.
        #[test]
        fn equals_the_reference_customization((n, arcs, w) in graph()) {
            let mut first_out = vec![0u32; n + 1];
            for &(t, _) in &arcs {
                first_out[t as usize + 1] += 1;
            }
            for i in 0..n {
                first_out[i + 1] += first_out[i];
            }
            let g = cch::graph::Graph {
                first_out,
                head: arcs.iter().map(|a| a.1).collect(),
                weight: w.clone(),
            };
            let lat: Vec<f32> = (0..n).map(|v| (v / 20) as f32).collect();
            let lon: Vec<f32> = (0..n).map(|v| (v % 20) as f32).collect();
            let (tail, head): (Vec<u32>, Vec<u32>) = arcs.iter().copied().unzip();
            let order = cch::inertial_order(n as u32, &tail, &head, &lat, &lon);
            let c = Cch::build(&g, &order);
            let reference = c.customize(&w);
            let schedule = Schedule::new(&c);
            let mut ours = Metric { forward: vec![1; 3], backward: Vec::new() };
            schedule.customize_into(&c, &w, &mut ours);
            prop_assert_eq!(&ours, &reference);
            // Reused buffers give the same answer.
            schedule.customize_into(&c, &w, &mut ours);
            prop_assert_eq!(&ours, &reference);
        }
    }
}
