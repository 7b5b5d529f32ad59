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

use cch::{Cch, CchView, Metric, INF_WEIGHT};
use rayon::prelude::*;
use std::cell::RefCell;

const NONE: u32 = u32::MAX;

/// The metric-independent schedule of a structure, derived once (about 70 ms on the world
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
    /// Per node, where the entries for its up-arcs start in the input list (see
    /// [`inputs_of`]): a node's arcs are initialised just before it is relaxed, while they
    /// are in cache anyway.
    node_inputs: Vec<u32>,
    /// Input arcs (weights) a customization takes.
    input_arcs: usize,
}

/// The input arcs behind each shortcut, sorted by shortcut: `(arc | BACKWARD, input)`.
///
/// Only about a third of the shortcuts have one, so initialising from this list reads far
/// less than walking every shortcut's four index arrays; and it is all a customization
/// needs beyond the memory-mapped structure, so it is saved with the chain mapping and the
/// full structure (77 MB on the world network, 0.2 s to read) is never loaded again.
pub(crate) fn inputs_of(cch: &Cch) -> Vec<(u32, u32)> {
    let arcs = cch.cch_arc_count();
    assert!(arcs < BACKWARD as usize, "too many shortcuts");
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
    inputs
}

/// Whether `inputs` is a valid input list for a structure with `arcs` shortcuts and
/// `input_arcs` input arcs (read from disk, it is checked before use).
pub(crate) fn inputs_valid(inputs: &[(u32, u32)], arcs: usize, input_arcs: usize) -> bool {
    let arc = |e: &(u32, u32)| (e.0 & !BACKWARD) as usize;
    inputs.windows(2).all(|w| arc(&w[0]) <= arc(&w[1]))
        && inputs
            .iter()
            .all(|e| arc(e) < arcs && (e.1 as usize) < input_arcs)
}

/// The nodes whose up-arcs can depend on the `changed` input arcs, ascending: the tails
/// of the shortcuts they initialise and all their elimination-tree ancestors.
pub(crate) fn affected_nodes(cch: &CchView, inputs: &[(u32, u32)], changed: &[usize]) -> Vec<u32> {
    let mut wanted: Vec<u32> = changed.iter().map(|&a| a as u32).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let up = cch.up_first_out;
    let parent = cch.elimination_tree_parent;
    let mut out: Vec<u32> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for &(tag, input) in inputs {
        if wanted.binary_search(&input).is_err() {
            continue;
        }
        let arc = tag & !BACKWARD;
        // The tail: the node whose up-arc range holds `arc`.
        let mut x = (up.partition_point(|&f| f <= arc) - 1) as u32;
        while x != NONE && seen.insert(x) {
            out.push(x);
            x = parent[x as usize];
        }
    }
    out.sort_unstable();
    out
}

/// Marks an entry of [`Schedule::inputs`] as initialising the backward weight.
const BACKWARD: u32 = 1 << 31;

impl Schedule {
    /// # Panics
    /// If the structure's arrays are inconsistent (an id out of range): the unchecked
    /// relaxation relies on these bounds, so they are checked once here.
    pub(crate) fn new(cch: &CchView, inputs: &[(u32, u32)], input_arcs: usize) -> Schedule {
        let n = cch.node_count() as usize;
        let arcs = cch.cch_arc_count() as usize;
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
                && cch.elimination_tree_parent.len() == n
                && inputs_valid(inputs, arcs, input_arcs),
            "malformed CCH structure"
        );
        let parent = cch.elimination_tree_parent;
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
        let node_inputs: Vec<u32> = cch
            .up_first_out
            .iter()
            .map(|&a| inputs.partition_point(|e| e.0 & !BACKWARD < a) as u32)
            .collect();
        Schedule {
            node_inputs,
            input_arcs,
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
    pub(crate) fn customize_into(
        &self,
        cch: &CchView,
        inputs: &[(u32, u32)],
        weights: &[u32],
        out: &mut Metric,
    ) {
        assert_eq!(weights.len(), self.input_arcs, "one weight per input arc");
        let arcs = cch.cch_arc_count() as usize;
        out.forward.resize(arcs, INF_WEIGHT);
        out.backward.resize(arcs, INF_WEIGHT);
        let shared = Shared::of(out);
        let job = self.job(cch, &shared, inputs, weights);
        self.bottom_up(&|u| relax_one(&job, u));
    }

    /// Runs `visit` on every node, each after all of its elimination-tree descendants,
    /// disjoint subtrees in parallel: the order any per-node pass needs whose node reads
    /// only what its descendants wrote (customizing, payloads of shortcuts).
    pub(crate) fn bottom_up(&self, visit: &(impl Fn(usize) + Sync)) {
        self.roots.par_iter().for_each(|&r| self.task(visit, r));
    }

    fn job<'a>(
        &'a self,
        cch: &'a CchView<'a>,
        shared: &'a Shared,
        inputs: &'a [(u32, u32)],
        weights: &'a [u32],
    ) -> Job<'a> {
        Job {
            cch,
            shared,
            weights,
            inputs,
            node_inputs: &self.node_inputs,
        }
    }

    /// Re-relaxes only `nodes` (ascending ids, which are ranks), after some input weights
    /// changed: the nodes whose up-arcs can depend on those inputs, i.e. the tails of the
    /// shortcuts they initialise and every elimination-tree ancestor of them (a node's
    /// triangles read only its descendants' arcs). Every other shortcut keeps its weight,
    /// so the result equals a full customization of `weights`.
    pub(crate) fn relax_nodes(
        &self,
        cch: &CchView,
        inputs: &[(u32, u32)],
        weights: &[u32],
        out: &mut Metric,
        nodes: &[u32],
    ) {
        assert_eq!(weights.len(), self.input_arcs, "one weight per input arc");
        assert_eq!(
            out.forward.len(),
            cch.cch_arc_count() as usize,
            "a customized metric"
        );
        assert!(nodes.windows(2).all(|w| w[0] < w[1]), "ascending nodes");
        assert!(
            nodes.last().is_none_or(|&x| x < cch.node_count()),
            "nodes in range"
        );
        let shared = Shared::of(out);
        let job = self.job(cch, &shared, inputs, weights);
        for &x in nodes {
            relax_one(&job, x as usize);
        }
    }

    /// Perfect customization (Dibbelt, Strasser and Wagner, §5.3): from the customized
    /// `basic` weights, every shortcut's exact distance in each direction, into `out`.
    ///
    /// Each triangle `y < x < z` is visited once, at its middle node `x`, top-down: `x`'s
    /// own arcs are final by then (only ancestors update them), so the triangle tightens
    /// `y → x` through `z` (upper) and `y → z` through `x` (intermediate). The other arc
    /// of each sum needs only to be a real path's weight, not yet exact: a shortest path's
    /// first hop out of `y` already has its basic weight. Same cost as customizing.
    pub(crate) fn perfect_into(&self, cch: &CchView, basic: &Metric, out: &mut Metric) {
        out.forward.clone_from(&basic.forward);
        out.backward.clone_from(&basic.backward);
        let shared = Shared::of(out);
        self.roots
            .par_iter()
            .for_each(|&r| self.task_down(cch, &shared, r));
    }

    /// Top-down twin of [`Self::task`]: `x` first, then its subtrees (in parallel when
    /// heavy). A task writes only arcs of nodes in its subtree (a node's down-neighbours
    /// are its descendants) and reads arcs of its ancestors, which are final.
    fn task_down(&self, cch: &CchView, shared: &Shared, x: u32) {
        let mut cur = x as usize;
        loop {
            if self.work[cur] <= self.grain {
                let run = &self.post[self.run_start[cur] as usize..=self.run_end[cur] as usize];
                // Reversed post-order: every node before its descendants.
                for &u in run.iter().rev() {
                    perfect_one(cch, shared, u as usize);
                }
                return;
            }
            perfect_one(cch, shared, cur);
            let kids =
                &self.children[self.first_child[cur] as usize..self.first_child[cur + 1] as usize];
            match kids {
                [only] => cur = *only as usize,
                _ => {
                    kids.par_iter()
                        .for_each(|&c| self.task_down(cch, shared, c));
                    return;
                }
            }
        }
    }

    /// Visits the subtree of `x`: children first (in parallel when heavy), then `x`.
    fn task(&self, visit: &(impl Fn(usize) + Sync), x: u32) {
        // A single-child spine (the top separators) runs bottom-up after its one subtree;
        // walking it iteratively keeps the recursion shallow.
        let mut spine = Vec::new();
        let mut cur = x as usize;
        loop {
            if self.work[cur] <= self.grain {
                self.sweep(visit, cur);
                break;
            }
            let kids =
                &self.children[self.first_child[cur] as usize..self.first_child[cur + 1] as usize];
            spine.push(cur);
            match kids {
                [only] => cur = *only as usize,
                _ => {
                    kids.par_iter().for_each(|&c| self.task(visit, c));
                    break;
                }
            }
        }
        for &u in spine.iter().rev() {
            visit(u);
        }
    }

    /// Visits a whole light subtree in post-order, on the current thread.
    fn sweep(&self, visit: &impl Fn(usize), root: usize) {
        for &u in &self.post[self.run_start[root] as usize..=self.run_end[root] as usize] {
            visit(u as usize);
        }
    }
}

/// The weight arrays, shared by tasks that touch disjoint parts of them.
///
/// Soundness rests on the elimination tree: handling `x` touches only up-arcs of `x` and
/// of `x`'s down-neighbours, which are `x`'s descendants. Bottom-up ([`relax_one`]) it
/// writes `x`'s arcs and reads its descendants', relaxed earlier; top-down
/// ([`perfect_one`]) it reads `x`'s arcs, final since all its ancestors are done, and
/// writes its descendants'. Tasks own disjoint subtrees and a task starts only after the
/// work it depends on has joined, so no slot is written by one task while another touches
/// it. Indices are in bounds because [`Schedule::new`] checked the structure.
struct Shared {
    forward: *mut u32,
    backward: *mut u32,
}
// SAFETY: see the type's comment; the only concurrent accesses are to disjoint slots.
unsafe impl Sync for Shared {}

impl Shared {
    fn of(m: &mut Metric) -> Shared {
        Shared {
            forward: m.forward.as_mut_ptr(),
            backward: m.backward.as_mut_ptr(),
        }
    }
}

thread_local! {
    /// Per-worker map from a node to the relaxed node's up-arc towards it. Every slot read
    /// while relaxing `x` was written for `x` first (chordality: the heads of `x`'s lower
    /// triangles are `x`'s up-neighbours), so stale entries are never read.
    static ARC_TO: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// One customization's inputs, shared by its tasks.
struct Job<'a> {
    cch: &'a CchView<'a>,
    shared: &'a Shared,
    weights: &'a [u32],
    inputs: &'a [(u32, u32)],
    node_inputs: &'a [u32],
}

/// Initialises `x`'s up-arcs from their input arcs, then relaxes its lower triangles.
fn relax_one(job: &Job, x: usize) {
    let (cch, shared) = (job.cch, job.shared);
    // Slices in locals: the writes below go through raw pointers, which the compiler must
    // otherwise assume may change what it reads them from, reloading it per triangle.
    let (up, up_head) = (cch.up_first_out, cch.up_head);
    let (down, down_head, down_to_up) = (cch.down_first_out, cch.down_head, cch.down_to_up);
    let entries = &job.inputs[job.node_inputs[x] as usize..job.node_inputs[x + 1] as usize];
    // SAFETY: `x`'s own arcs (see `Shared`).
    unsafe {
        for a in up[x] as usize..up[x + 1] as usize {
            *shared.forward.add(a) = INF_WEIGHT;
            *shared.backward.add(a) = INF_WEIGHT;
        }
        for &(tag, input) in entries {
            let w = job.weights[input as usize];
            let side = if tag & BACKWARD == 0 {
                shared.forward
            } else {
                shared.backward
            };
            let slot = &mut *side.add((tag & !BACKWARD) as usize);
            *slot = (*slot).min(w);
        }
    }
    ARC_TO.with(|cell| {
        let mut arc_to = cell.borrow_mut();
        if arc_to.len() < cch.node_count() as usize {
            arc_to.resize(cch.node_count() as usize, 0);
        }
        let arc_to: &mut [u32] = &mut arc_to;
        for a in up[x]..up[x + 1] {
            arc_to[up_head[a as usize] as usize] = a;
        }
        for d in down[x] as usize..down[x + 1] as usize {
            let bottom = down_to_up[d] as usize;
            let y = down_head[d] as usize;
            // SAFETY: all indices are arcs of `x` or of its descendant `y` (see `Shared`),
            // and heads are nodes, in bounds by `Schedule::new`'s check.
            unsafe {
                let (fb, bb) = (*shared.forward.add(bottom), *shared.backward.add(bottom));
                if fb >= INF_WEIGHT && bb >= INF_WEIGHT {
                    // Closed both ways: no triangle through it can improve anything.
                    continue;
                }
                for mid in bottom + 1..up[y + 1] as usize {
                    let z = *up_head.get_unchecked(mid) as usize;
                    let top = *arc_to.get_unchecked(z) as usize;
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

/// The triangles whose middle node is `x` (see [`Schedule::perfect_into`]).
fn perfect_one(cch: &CchView, shared: &Shared, x: usize) {
    ARC_TO.with(|cell| {
        let mut arc_to = cell.borrow_mut();
        if arc_to.len() < cch.node_count() as usize {
            arc_to.resize(cch.node_count() as usize, 0);
        }
        let (up, up_head) = (cch.up_first_out, cch.up_head);
        let (down, down_head, down_to_up) = (cch.down_first_out, cch.down_head, cch.down_to_up);
        let arc_to: &mut [u32] = &mut arc_to;
        for a in up[x]..up[x + 1] {
            arc_to[up_head[a as usize] as usize] = a;
        }
        let (f, b) = (shared.forward, shared.backward);
        for d in down[x] as usize..down[x + 1] as usize {
            let bottom = down_to_up[d] as usize;
            let y = down_head[d] as usize;
            let mids = bottom + 1..up[y + 1] as usize;
            // SAFETY: `bottom` and the mids are arcs of `x`'s descendant `y`, the tops are
            // `x`'s own (see `Shared`); all in bounds by `Schedule::new`'s check.
            unsafe {
                // y → x through a higher z (upper triangles), both directions.
                let (mut yx, mut xy) = (*f.add(bottom), *b.add(bottom));
                for mid in mids.clone() {
                    let top = *arc_to.get_unchecked(*up_head.get_unchecked(mid) as usize) as usize;
                    yx = yx.min((*f.add(mid)).wrapping_add(*b.add(top)));
                    xy = xy.min((*f.add(top)).wrapping_add(*b.add(mid)));
                }
                *f.add(bottom) = yx;
                *b.add(bottom) = xy;
                if yx >= INF_WEIGHT && xy >= INF_WEIGHT {
                    continue;
                }
                // y → z through x (intermediate triangles).
                for mid in mids {
                    let top = *arc_to.get_unchecked(*up_head.get_unchecked(mid) as usize) as usize;
                    let yz = yx.wrapping_add(*f.add(top));
                    let zy = (*b.add(top)).wrapping_add(xy);
                    let (fm, bm) = (&mut *f.add(mid), &mut *b.add(mid));
                    if yz < *fm {
                        *fm = yz;
                    }
                    if zy < *bm {
                        *bm = zy;
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
    fn graph(
        sizes: std::ops::Range<usize>,
    ) -> impl Strategy<Value = (usize, Vec<(u32, u32)>, Vec<u32>)> {
        sizes.prop_flat_map(|n| {
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

    fn build(n: usize, arcs: &[(u32, u32)], w: &[u32]) -> Cch {
        let mut first_out = vec![0u32; n + 1];
        for &(t, _) in arcs {
            first_out[t as usize + 1] += 1;
        }
        for i in 0..n {
            first_out[i + 1] += first_out[i];
        }
        let g = cch::graph::Graph {
            first_out,
            head: arcs.iter().map(|a| a.1).collect(),
            weight: w.to_vec(),
        };
        let lat: Vec<f32> = (0..n).map(|v| (v / 20) as f32).collect();
        let lon: Vec<f32> = (0..n).map(|v| (v % 20) as f32).collect();
        let (tail, head): (Vec<u32>, Vec<u32>) = arcs.iter().copied().unzip();
        let order = cch::inertial_order(n as u32, &tail, &head, &lat, &lon);
        Cch::build(&g, &order)
    }

    fn empty() -> Metric {
        Metric {
            forward: Vec::new(),
            backward: Vec::new(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(120))]
        /// Bit-for-bit the weights of the `cch` crate's own customization (a port of
        /// RoutingKit's), which is the reference this module must not deviate from.
        #[test]
        fn equals_the_reference_customization((n, arcs, w) in graph(20..400)) {
            let c = build(n, &arcs, &w);
            let reference = c.customize(&w);
            let (view, inputs) = (c.view(), inputs_of(&c));
            let schedule = Schedule::new(&view, &inputs, w.len());
            let mut ours = Metric { forward: vec![1; 3], backward: Vec::new() };
            schedule.customize_into(&view, &inputs, &w, &mut ours);
            prop_assert_eq!(&ours, &reference);
            // Reused buffers give the same answer.
            schedule.customize_into(&view, &inputs, &w, &mut ours);
            prop_assert_eq!(&ours, &reference);
        }

        /// Changing a few inputs and re-relaxing only the nodes that can depend on them
        /// (see [`Schedule::relax_nodes`]) equals customizing the changed weights afresh.
        #[test]
        fn relaxing_the_ancestors_of_changed_inputs_equals_customizing_afresh(
            (n, arcs, w) in graph(20..300),
            picks in proptest::collection::vec((any::<prop::sample::Index>(), prop_oneof![1 => Just(INF_WEIGHT), 1 => 1u32..9000]), 1..6),
        ) {
            let c = build(n, &arcs, &w);
            let (view, inputs) = (c.view(), inputs_of(&c));
            let schedule = Schedule::new(&view, &inputs, w.len());
            let mut m = empty();
            schedule.customize_into(&view, &inputs, &w, &mut m);
            let mut changed = w.clone();
            let picked: Vec<usize> = picks.iter().map(|(i, _)| i.index(w.len())).collect();
            for (&a, (_, nw)) in picked.iter().zip(&picks) {
                changed[a] = *nw;
            }
            let nodes = affected_nodes(&view, &inputs, &picked);
            schedule.relax_nodes(&view, &inputs, &changed, &mut m, &nodes);
            let mut fresh = empty();
            schedule.customize_into(&view, &inputs, &changed, &mut fresh);
            prop_assert_eq!(&m, &fresh);
            // And back.
            schedule.relax_nodes(&view, &inputs, &w, &mut m, &nodes);
            prop_assert_eq!(&m, &c.customize(&w));
        }

        /// Perfect customization: every shortcut's weight is the exact distance between
        /// its ends, each way (Floyd–Warshall as the oracle, hence small graphs).
        #[test]
        fn perfect_weights_are_distances((n, arcs, w) in graph(5..90)) {
            let c = build(n, &arcs, &w);
            let (view, inputs) = (c.view(), inputs_of(&c));
            let schedule = Schedule::new(&view, &inputs, w.len());
            let (mut basic, mut exact) = (empty(), empty());
            schedule.customize_into(&view, &inputs, &w, &mut basic);
            schedule.perfect_into(&view, &basic, &mut exact);
            let mut d = vec![vec![u64::MAX; n]; n];
            for (v, row) in d.iter_mut().enumerate() {
                row[v] = 0;
            }
            for (&(a, b), &wt) in arcs.iter().zip(&w) {
                if wt < INF_WEIGHT && a != b {
                    let slot = &mut d[a as usize][b as usize];
                    *slot = (*slot).min(wt as u64);
                }
            }
            for k in 0..n {
                for i in 0..n {
                    for j in 0..n {
                        let via = d[i][k].saturating_add(d[k][j]);
                        if via < d[i][j] {
                            d[i][j] = via;
                        }
                    }
                }
            }
            let capped = |x: u64| x.min(INF_WEIGHT as u64) as u32;
            for x in 0..n {
                for a in c.up_first_out[x] as usize..c.up_first_out[x + 1] as usize {
                    let lo = c.order[x] as usize;
                    let hi = c.order[c.up_head[a] as usize] as usize;
                    prop_assert_eq!(exact.forward[a].min(INF_WEIGHT), capped(d[lo][hi]));
                    prop_assert_eq!(exact.backward[a].min(INF_WEIGHT), capped(d[hi][lo]));
                }
            }
        }
    }
}
