//! The search graph a query sweeps: all up-arcs ([`crate::graph::UpGraph::full`]), or only
//! those a perfect customization keeps.
//!
//! After customizing, a shortcut's weight is the best path through lower nodes only. Where
//! a path over a higher node is shorter (or the arc is closed), no shortest path needs the
//! shortcut: a shortest path's up-part steps between successive rank records, and each such
//! step runs through lower nodes, so its shortcut keeps its weight. Dropping the rest
//! leaves a third of the arcs a query relaxes on the world network (measured: 12 k instead
//! of 36 k per sweep) at the price of a second pass over the triangles
//! ([`crate::customize::Schedule::perfect_into`]). Paths found on it unpack through the
//! customized weights as before: every kept arc has its customized weight.

use crate::customize::Schedule;
use crate::graph::UpGraph;
use crate::root_path::{DepthGraph, DepthView, MAX_DEPTH};
use cch::{CchView, Metric, INF_WEIGHT};

#[derive(Default)]
struct Csr {
    first: Vec<u32>,
    head: Vec<u32>,
    weight: Vec<u32>,
}

impl Csr {
    /// The up-arcs whose `exact` weight is their `basic` one, and finite.
    fn keep(&mut self, cch: &CchView, basic: &[u32], exact: &[u32]) {
        let n = cch.node_count() as usize;
        self.first.clear();
        self.head.clear();
        self.weight.clear();
        self.first.reserve(n + 1);
        self.first.push(0);
        for x in 0..n {
            for a in cch.up_first_out[x] as usize..cch.up_first_out[x + 1] as usize {
                if exact[a] == basic[a] && basic[a] < INF_WEIGHT {
                    self.head.push(cch.up_head[a]);
                    self.weight.push(basic[a]);
                }
            }
            self.first.push(self.head.len() as u32);
        }
    }

    fn view(&self) -> UpGraph<'_> {
        UpGraph {
            first: &self.first,
            head: &self.head,
            weight: &self.weight,
        }
    }
}

/// The pruned search graphs of one customized metric, with the buffers they are built in.
#[derive(Default)]
pub struct Pruned {
    forward: Csr,
    backward: Csr,
    /// The same arcs blocked by depth, for searches along root paths.
    forward_blocks: DepthGraph,
    backward_blocks: DepthGraph,
    blocked: bool,
    exact: Option<Metric>,
}

impl Pruned {
    pub(crate) fn build(
        &mut self,
        schedule: &Schedule,
        cch: &CchView,
        depth: &[u32],
        basic: &Metric,
    ) {
        let exact = self.exact.get_or_insert_with(|| Metric {
            forward: Vec::new(),
            backward: Vec::new(),
        });
        schedule.perfect_into(cch, basic, exact);
        let (fwd, bwd) = (&mut self.forward, &mut self.backward);
        let (fb, bb) = (&mut self.forward_blocks, &mut self.backward_blocks);
        let blocked = depth.iter().all(|&d| d <= MAX_DEPTH);
        rayon::join(
            || {
                fwd.keep(cch, &basic.forward, &exact.forward);
                if blocked {
                    fb.build(&fwd.view(), depth);
                }
            },
            || {
                bwd.keep(cch, &basic.backward, &exact.backward);
                if blocked {
                    bb.build(&bwd.view(), depth);
                }
            },
        );
        self.blocked = blocked;
    }

    /// The search graphs blocked by depth (forward, backward), unless the elimination tree
    /// is too deep for them.
    pub fn by_depth(&self) -> Option<(DepthView<'_>, DepthView<'_>)> {
        self.blocked
            .then(|| (self.forward_blocks.view(), self.backward_blocks.view()))
    }

    pub fn forward(&self) -> UpGraph<'_> {
        self.forward.view()
    }

    pub fn backward(&self) -> UpGraph<'_> {
        self.backward.view()
    }

    /// Arcs kept per direction (forward, backward).
    pub fn kept(&self) -> (usize, usize) {
        (self.forward.head.len(), self.backward.head.len())
    }
}
