//! One mode's line arcs as a compact undirected graph, for the audit's distance checks
//! and the build's ferry lengths (over the sea layer).
//!
//! The audit asks layer-only questions ("how far is this dead end from that node *by rail*?"),
//! which the multimodal routing graph cannot answer without its transfers and weights, so
//! each check builds the layer it needs from the network's arcs (open links only).

use crate::model::{ArcKind, Mode, Network, NONE};
use crate::spatial::SpatialIndex;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub(crate) struct Layer {
    pub mode: Mode,
    /// Network node id of each local node.
    pub global: Vec<u32>,
    pub offsets: Vec<u32>,
    pub heads: Vec<u32>,
    pub km: Vec<f32>,
    /// Network arc id of each adjacency entry.
    pub arc: Vec<u32>,
    pub component: Vec<u32>,
    pub component_size: Vec<u32>,
    /// k-d tree over the layer's nodes, built on first use: four checks ask for it.
    index: std::sync::OnceLock<SpatialIndex>,
}

impl Layer {
    /// The layer's line arcs; planned links (closed unless a scenario opens them) are left
    /// out, as routing leaves them out.
    pub fn new(net: &Network, mode: Mode) -> Layer {
        let mut local = vec![NONE; net.nodes.len()];
        let mut global = Vec::new();
        for (i, n) in net.nodes.iter().enumerate() {
            if n.mode == mode {
                local[i] = global.len() as u32;
                global.push(i as u32);
            }
        }
        let open = |a: &crate::model::Arc| {
            a.kind == ArcKind::Line
                && a.mode == mode
                && (a.link == NONE || net.links[a.link as usize].scenario.is_none())
                && local[a.from as usize] != NONE
                && local[a.to as usize] != NONE
        };
        let mut degree = vec![0u32; global.len() + 1];
        for a in net.arcs.iter().filter(|a| open(a)) {
            degree[local[a.from as usize] as usize + 1] += 1;
        }
        for i in 1..degree.len() {
            degree[i] += degree[i - 1];
        }
        let offsets = degree;
        let mut fill = offsets.clone();
        let m = *offsets.last().unwrap() as usize;
        let (mut heads, mut km, mut arc) = (vec![0; m], vec![0.0; m], vec![0; m]);
        for (ai, a) in net.arcs.iter().enumerate().filter(|(_, a)| open(a)) {
            let u = local[a.from as usize] as usize;
            let slot = fill[u] as usize;
            fill[u] += 1;
            heads[slot] = local[a.to as usize];
            km[slot] = a.km;
            arc[slot] = ai as u32;
        }
        let mut layer = Layer {
            mode,
            global,
            offsets,
            heads,
            km,
            arc,
            component: vec![],
            component_size: vec![],
            index: Default::default(),
        };
        layer.label_components();
        layer
    }

    pub fn len(&self) -> usize {
        self.global.len()
    }

    pub fn neighbours(&self, u: u32) -> impl Iterator<Item = (u32, f32, u32)> + '_ {
        let r = self.offsets[u as usize] as usize..self.offsets[u as usize + 1] as usize;
        r.map(move |i| (self.heads[i], self.km[i], self.arc[i]))
    }

    /// Distinct neighbours (parallel arcs count once).
    pub fn degree(&self, u: u32) -> usize {
        let mut hs: Vec<u32> = self.neighbours(u).map(|(h, _, _)| h).collect();
        hs.sort_unstable();
        hs.dedup();
        hs.len()
    }

    pub fn pos(&self, net: &Network, u: u32) -> (f64, f64) {
        let n = &net.nodes[self.global[u as usize] as usize];
        (n.lat as f64, n.lon as f64)
    }

    pub fn index(&self, net: &Network) -> &SpatialIndex {
        self.index.get_or_init(|| {
            SpatialIndex::new((0..self.len() as u32).map(|u| {
                let (lat, lon) = self.pos(net, u);
                (u, lat, lon)
            }))
        })
    }

    fn label_components(&mut self) {
        let n = self.len();
        let mut comp = vec![NONE; n];
        let mut sizes = Vec::new();
        let mut stack = Vec::new();
        for s in 0..n as u32 {
            if comp[s as usize] != NONE {
                continue;
            }
            let c = sizes.len() as u32;
            comp[s as usize] = c;
            stack.push(s);
            let mut size = 0;
            while let Some(u) = stack.pop() {
                size += 1;
                for (v, _, _) in self.neighbours(u) {
                    if comp[v as usize] == NONE {
                        comp[v as usize] = c;
                        stack.push(v);
                    }
                }
            }
            sizes.push(size);
        }
        self.component = comp;
        self.component_size = sizes;
    }

    pub fn component_of(&self, u: u32) -> u32 {
        self.component_size[self.component[u as usize] as usize]
    }

    /// Distances from `sources` (local id, start km) up to `limit_km`; `dist` must be
    /// all-infinite on entry and is left so for every node not returned in `touched`.
    pub fn dijkstra(
        &self,
        sources: &[(u32, f32)],
        limit_km: f32,
        dist: &mut [f32],
        touched: &mut Vec<u32>,
    ) {
        let mut heap = BinaryHeap::new();
        for &(s, d) in sources {
            if d < dist[s as usize] {
                dist[s as usize] = d;
                touched.push(s);
                heap.push(Reverse((Km(d), s)));
            }
        }
        while let Some(Reverse((Km(d), u))) = heap.pop() {
            if d > dist[u as usize] {
                continue;
            }
            for (v, w, _) in self.neighbours(u) {
                let nd = d + w;
                if nd < dist[v as usize] && nd <= limit_km {
                    if dist[v as usize] == f32::INFINITY {
                        touched.push(v);
                    }
                    dist[v as usize] = nd;
                    heap.push(Reverse((Km(nd), v)));
                }
            }
        }
    }

    /// Full shortest-path distances from one node.
    pub fn tree(&self, source: u32) -> Vec<f32> {
        let mut dist = vec![f32::INFINITY; self.len()];
        let mut touched = Vec::new();
        self.dijkstra(&[(source, 0.0)], f32::INFINITY, &mut dist, &mut touched);
        dist
    }
}

/// Total order on finite km for the heap.
#[derive(Clone, Copy, PartialEq)]
struct Km(f32);
impl Eq for Km {}
impl PartialOrd for Km {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Km {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}
