use crate::{Graph, INFINITY};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// A node where a search may start or end, with the weight of reaching it from outside
/// (a place's access cost) or of leaving it for the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    pub node: u32,
    pub weight: u32,
}

/// A shortest path: its total weight (endpoint weights included) and its arcs in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub weight: u64,
    pub source: u32,
    pub target: u32,
    pub arcs: Vec<u32>,
}

/// Plain Dijkstra with reusable buffers: the exact search and the oracle for faster ones.
///
/// Distances are `u64` so that sums of many large `u32` weights cannot overflow; arcs of
/// weight [`INFINITY`] are never relaxed.
pub struct Dijkstra {
    dist: Vec<u64>,
    parent_arc: Vec<u32>,
    parent_node: Vec<u32>,
    touched: Vec<u32>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

const NONE: u32 = u32::MAX;

impl Dijkstra {
    pub fn new(node_count: usize) -> Self {
        Dijkstra {
            dist: vec![u64::MAX; node_count],
            parent_arc: vec![NONE; node_count],
            parent_node: vec![NONE; node_count],
            touched: Vec::new(),
            heap: BinaryHeap::new(),
        }
    }

    fn reset(&mut self) {
        for &n in &self.touched {
            self.dist[n as usize] = u64::MAX;
            self.parent_arc[n as usize] = NONE;
            self.parent_node[n as usize] = NONE;
        }
        self.touched.clear();
        self.heap.clear();
    }

    /// Shortest path from any source to any target, or `None` when no target is reachable.
    /// `weights` is indexed by the graph's arc ids.
    pub fn run(
        &mut self,
        graph: &Graph,
        weights: &[u32],
        sources: &[Endpoint],
        targets: &[Endpoint],
    ) -> Option<Path> {
        self.reset();
        let mut target_weight = std::collections::HashMap::new();
        for t in targets {
            let w = target_weight.entry(t.node).or_insert(t.weight as u64);
            *w = (*w).min(t.weight as u64);
        }
        for s in sources {
            let d = s.weight as u64;
            if d < self.dist[s.node as usize] {
                if self.dist[s.node as usize] == u64::MAX {
                    self.touched.push(s.node);
                }
                self.dist[s.node as usize] = d;
                self.heap.push(Reverse((d, s.node)));
            }
        }
        // Best complete path found so far (distance to target + its exit weight).
        let mut best: Option<(u64, u32)> = None;
        while let Some(Reverse((d, u))) = self.heap.pop() {
            if d > self.dist[u as usize] {
                continue;
            }
            if let Some((bw, _)) = best {
                if d >= bw {
                    break;
                }
            }
            if let Some(&tw) = target_weight.get(&u) {
                let total = d + tw;
                if best.is_none_or(|(bw, _)| total < bw) {
                    best = Some((total, u));
                }
            }
            for (v, a) in graph.out(u) {
                let w = weights[a as usize];
                if w == INFINITY {
                    continue;
                }
                let nd = d + w as u64;
                if nd < self.dist[v as usize] {
                    if self.dist[v as usize] == u64::MAX {
                        self.touched.push(v);
                    }
                    self.dist[v as usize] = nd;
                    self.parent_arc[v as usize] = a;
                    self.parent_node[v as usize] = u;
                    self.heap.push(Reverse((nd, v)));
                }
            }
        }
        let (weight, target) = best?;
        let mut arcs = Vec::new();
        let mut n = target;
        while self.parent_arc[n as usize] != NONE {
            arcs.push(self.parent_arc[n as usize]);
            n = self.parent_node[n as usize];
        }
        arcs.reverse();
        Some(Path {
            weight,
            source: n,
            target,
            arcs,
        })
    }

    /// Distances from `sources` to every node (u64::MAX where unreachable).
    pub fn distances(&mut self, graph: &Graph, weights: &[u32], sources: &[Endpoint]) -> Vec<u64> {
        self.run(graph, weights, sources, &[]);
        self.dist.clone()
    }
}
