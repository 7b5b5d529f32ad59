use cch::CchView;

/// A directed graph in forward-star (CSR) form. Arc ids are the caller's: the graph keeps them
/// so that a weight vector indexed by the caller's arc id needs no translation.
#[derive(Debug, Clone)]
pub struct Graph {
    first_out: Vec<u32>,
    head: Vec<u32>,
    arc: Vec<u32>,
}

impl Graph {
    /// Builds from `(tail, head)` pairs; the arc id of pair `i` is `i`.
    pub fn from_arcs(node_count: usize, arcs: &[(u32, u32)]) -> Self {
        let mut first_out = vec![0u32; node_count + 1];
        for &(t, _) in arcs {
            first_out[t as usize + 1] += 1;
        }
        for i in 0..node_count {
            first_out[i + 1] += first_out[i];
        }
        let mut next = first_out.clone();
        let mut head = vec![0u32; arcs.len()];
        let mut arc = vec![0u32; arcs.len()];
        for (i, &(t, h)) in arcs.iter().enumerate() {
            let slot = next[t as usize] as usize;
            head[slot] = h;
            arc[slot] = i as u32;
            next[t as usize] += 1;
        }
        Graph {
            first_out,
            head,
            arc,
        }
    }

    pub fn node_count(&self) -> usize {
        self.first_out.len() - 1
    }

    pub fn arc_count(&self) -> usize {
        self.head.len()
    }

    /// Outgoing `(head, arc id)` pairs of `node`.
    pub fn out(&self, node: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (a, b) = (
            self.first_out[node as usize] as usize,
            self.first_out[node as usize + 1] as usize,
        );
        self.head[a..b]
            .iter()
            .copied()
            .zip(self.arc[a..b].iter().copied())
    }
}

/// Up-arcs per node in one direction, with their weights.
#[derive(Clone, Copy)]
pub struct UpGraph<'a> {
    pub first: &'a [u32],
    pub head: &'a [u32],
    pub weight: &'a [u32],
}

impl<'a> UpGraph<'a> {
    /// Every up-arc of the structure, weighted by one direction of a metric.
    pub fn full(cch: &'a CchView<'a>, weight: &'a [u32]) -> UpGraph<'a> {
        UpGraph {
            first: cch.up_first_out,
            head: cch.up_head,
            weight,
        }
    }
}
