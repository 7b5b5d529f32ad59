//! Degree-2 chain contraction: the graph a hierarchy is built on.
//!
//! Raw rail and road layers are mostly nodes of degree two (a line drawn through many
//! points). They add nothing to a contraction order but cost ordering time, shortcuts and
//! query work, so they are removed first: every maximal chain `c0 - c1 - … - ck` whose
//! interior nodes have exactly two neighbours becomes one *core arc* per direction, which
//! remembers the original arcs it stands for. A path in the core unpacks to original arcs,
//! and a query may still start or end inside a chain (see [`ChainContraction::as_source`]).

use crate::INFINITY;
use serde::{Deserialize, Serialize};

/// Where an interior node sits: its chain and its position (1..k-1) along it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct Slot {
    chain: u32,
    pos: u32,
}

/// One maximal chain between two core nodes (which may coincide).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct Chain {
    /// Original node ids c0..=ck; c0 and ck are core nodes.
    nodes: Vec<u32>,
    /// Original arc ids c_i → c_{i+1}, or empty when the chain is not passable forward.
    fwd: Vec<u32>,
    /// Original arc ids c_{i+1} → c_i (indexed by i), or empty when not passable backward.
    bwd: Vec<u32>,
}

/// A node reached from (or reaching) the core: its core id, the weight of the part of the
/// chain in between and the original arcs of that part, in travel order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub core: u32,
    pub weight: u64,
    pub arcs: Vec<u32>,
}

/// The core graph and the mapping back to the original one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ChainContraction {
    original_nodes: u32,
    original_arcs: u32,
    /// Core id per original node, `u32::MAX` for chain interiors.
    core_of: Vec<u32>,
    /// Original node id per core node.
    pub core_nodes: Vec<u32>,
    /// Chain slot per original node (meaningful for interiors only).
    slot: Vec<Slot>,
    chains: Vec<Chain>,
    /// Core arcs sorted by tail: CSR offsets per core node, heads, and the original arcs
    /// each core arc stands for (CSR `unpack_first` into `unpack`).
    pub first_out: Vec<u32>,
    pub head: Vec<u32>,
    unpack_first: Vec<u32>,
    unpack: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl ChainContraction {
    /// Contracts every maximal chain of nodes that have exactly two neighbours and, towards
    /// each, at most one arc in and one out, passable in a direction only if passable all
    /// along. `keep` marks nodes that must stay in the core whatever their degree.
    pub fn new(node_count: usize, arcs: &[(u32, u32)], keep: &[bool]) -> Self {
        let n = node_count;
        // Out- and in-adjacency (arc ids) in CSR form.
        let (out_first, out_arcs) = csr(n, arcs.iter().map(|&(a, _)| a as usize));
        let (in_first, in_arcs) = csr(n, arcs.iter().map(|&(_, b)| b as usize));
        let arc_to = |x: u32, y: u32| -> Option<u32> {
            out_arcs[out_first[x as usize]..out_first[x as usize + 1]]
                .iter()
                .copied()
                .find(|&a| arcs[a as usize].1 == y)
        };
        let mut interior = vec![false; n];
        let mut neighbours = vec![[NONE; 2]; n];
        for v in 0..n {
            if keep.get(v).copied().unwrap_or(false) {
                continue;
            }
            let mut nb: Vec<u32> = Vec::with_capacity(4);
            let mut outs = 0;
            let mut ins = 0;
            for &a in &out_arcs[out_first[v]..out_first[v + 1]] {
                let h = arcs[a as usize].1;
                if h as usize != v {
                    outs += 1;
                    nb.push(h);
                }
            }
            for &a in &in_arcs[in_first[v]..in_first[v + 1]] {
                let t = arcs[a as usize].0;
                if t as usize != v {
                    ins += 1;
                    nb.push(t);
                }
            }
            nb.sort_unstable();
            nb.dedup();
            if nb.len() != 2 || outs > 2 || ins > 2 {
                continue;
            }
            let (a, b) = (nb[0], nb[1]);
            let v32 = v as u32;
            let has = |x: u32, y: u32| arc_to(x, y).is_some();
            // No parallel arcs towards a neighbour (counted above), and each direction
            // either passes through or not at all.
            let forward = has(a, v32);
            let backward = has(b, v32);
            if forward != has(v32, b) || backward != has(v32, a) || !(forward || backward) {
                continue;
            }
            let through = usize::from(forward) + usize::from(backward);
            if outs != through || ins != through {
                continue;
            }
            interior[v] = true;
            neighbours[v] = [a, b];
        }

        let mut slot = vec![
            Slot {
                chain: NONE,
                pos: 0
            };
            n
        ];
        let mut chains: Vec<Chain> = Vec::new();
        let walk = |start: u32,
                    first: u32,
                    interior: &[bool],
                    slot: &mut Vec<Slot>,
                    chains: &mut Vec<Chain>| {
            let id = chains.len() as u32;
            let mut nodes = vec![start, first];
            let (mut prev, mut cur) = (start, first);
            while interior[cur as usize] && cur != start {
                slot[cur as usize] = Slot {
                    chain: id,
                    pos: nodes.len() as u32 - 1,
                };
                let [a, b] = neighbours[cur as usize];
                let next = if a == prev { b } else { a };
                nodes.push(next);
                prev = cur;
                cur = next;
            }
            let steps = nodes.len() - 1;
            let fwd: Vec<u32> = (0..steps)
                .map(|i| arc_to(nodes[i], nodes[i + 1]))
                .collect::<Option<Vec<u32>>>()
                .unwrap_or_default();
            let bwd: Vec<u32> = (0..steps)
                .map(|i| arc_to(nodes[i + 1], nodes[i]))
                .collect::<Option<Vec<u32>>>()
                .unwrap_or_default();
            chains.push(Chain { nodes, fwd, bwd });
        };
        for u in 0..n {
            if interior[u] {
                continue;
            }
            let mut nb: Vec<u32> = out_arcs[out_first[u]..out_first[u + 1]]
                .iter()
                .map(|&a| arcs[a as usize].1)
                .chain(
                    in_arcs[in_first[u]..in_first[u + 1]]
                        .iter()
                        .map(|&a| arcs[a as usize].0),
                )
                .filter(|&x| interior[x as usize])
                .collect();
            nb.sort_unstable();
            nb.dedup();
            for v in nb {
                if slot[v as usize].chain == NONE {
                    walk(u as u32, v, &interior, &mut slot, &mut chains);
                }
            }
        }
        // Rings of interior nodes with no core node on them: promote one node per ring.
        for v in 0..n {
            if interior[v] && slot[v].chain == NONE {
                interior[v] = false;
                let first = neighbours[v][0];
                walk(v as u32, first, &interior, &mut slot, &mut chains);
            }
        }

        let mut core_of = vec![NONE; n];
        let mut core_nodes = Vec::new();
        for v in 0..n {
            if !interior[v] {
                core_of[v] = core_nodes.len() as u32;
                core_nodes.push(v as u32);
            }
        }
        // Core arcs: arcs between core nodes, and each chain's passable directions.
        let mut core_arcs: Vec<(u32, u32, Vec<u32>)> = Vec::new();
        for (i, &(a, b)) in arcs.iter().enumerate() {
            if !interior[a as usize] && !interior[b as usize] && a != b {
                core_arcs.push((core_of[a as usize], core_of[b as usize], vec![i as u32]));
            }
        }
        for c in &chains {
            let (s, t) = (c.nodes[0], *c.nodes.last().unwrap_or(&c.nodes[0]));
            if c.nodes.len() < 3 || s == t {
                // A direct core–core pair is already an arc above; a loop back to its own
                // start never shortens a path.
                continue;
            }
            if !c.fwd.is_empty() {
                core_arcs.push((core_of[s as usize], core_of[t as usize], c.fwd.clone()));
            }
            if !c.bwd.is_empty() {
                let mut r = c.bwd.clone();
                r.reverse();
                core_arcs.push((core_of[t as usize], core_of[s as usize], r));
            }
        }
        core_arcs.sort_by_key(|&(a, b, _)| (a, b));
        let m = core_nodes.len();
        let mut first_out = vec![0u32; m + 1];
        for &(a, _, _) in &core_arcs {
            first_out[a as usize + 1] += 1;
        }
        for i in 0..m {
            first_out[i + 1] += first_out[i];
        }
        let mut head = Vec::with_capacity(core_arcs.len());
        let mut unpack_first = vec![0u32];
        let mut unpack = Vec::new();
        for (_, b, list) in core_arcs {
            head.push(b);
            unpack.extend(list);
            unpack_first.push(unpack.len() as u32);
        }
        ChainContraction {
            original_nodes: n as u32,
            original_arcs: arcs.len() as u32,
            core_of,
            core_nodes,
            slot,
            chains,
            first_out,
            head,
            unpack_first,
            unpack,
        }
    }

    pub fn original_node_count(&self) -> usize {
        self.original_nodes as usize
    }

    pub fn original_arc_count(&self) -> usize {
        self.original_arcs as usize
    }

    pub fn core_node_count(&self) -> usize {
        self.core_nodes.len()
    }

    pub fn core_arc_count(&self) -> usize {
        self.head.len()
    }

    /// Core id of an original node, if it is in the core.
    pub fn core_of(&self, node: u32) -> Option<u32> {
        let c = self.core_of[node as usize];
        (c != NONE).then_some(c)
    }

    /// Where a core arc's original arcs lie in [`Self::unpacked`]: start and count.
    pub fn unpack_range(&self, core_arc: u32) -> (u32, u32) {
        let a = core_arc as usize;
        let start = self.unpack_first[a];
        (start, self.unpack_first[a + 1] - start)
    }

    /// Every core arc's original arcs, concatenated.
    pub fn unpacked(&self) -> &[u32] {
        &self.unpack
    }

    pub fn arcs_of(&self, core_arc: u32) -> &[u32] {
        let a = core_arc as usize;
        &self.unpack[self.unpack_first[a] as usize..self.unpack_first[a + 1] as usize]
    }

    /// The cheapest core arc `u → v` under core weights (parallel arcs differ by mode).
    pub fn cheapest_arc(&self, u: u32, v: u32, core_weights: &[u32]) -> u32 {
        let (a, b) = (self.first_out[u as usize], self.first_out[u as usize + 1]);
        (a..b)
            .filter(|&x| self.head[x as usize] == v)
            .min_by_key(|&x| core_weights[x as usize])
            .unwrap_or(u32::MAX)
    }

    /// Core arc weights for original arc weights: sums along each chain, saturating at
    /// `cap` (anything at or above `cap`, [`INFINITY`] included, means closed).
    pub fn core_weights_into(&self, weights: &[u32], cap: u32, out: &mut Vec<u32>) {
        use rayon::prelude::*;
        out.clear();
        out.par_extend(
            (0..self.core_arc_count())
                .into_par_iter()
                .map(|a| self.core_weight(a as u32, weights, cap)),
        );
    }

    /// One core arc's weight: the sum along its original arcs, `cap` if any is closed.
    pub fn core_weight(&self, core_arc: u32, weights: &[u32], cap: u32) -> u32 {
        let mut sum: u64 = 0;
        for &o in self.arcs_of(core_arc) {
            let w = weights[o as usize];
            if w == INFINITY || w >= cap {
                return cap;
            }
            sum += w as u64;
        }
        sum.min(cap as u64) as u32
    }

    /// Where a search starting at `node` enters the core: the node itself, or the ends of
    /// its chain it can travel to, with the chain part's weight and arcs.
    pub fn as_source(&self, node: u32, weights: &[u32]) -> Vec<Attachment> {
        self.attachments(node, weights, true)
    }

    /// Where a search ending at `node` leaves the core (the mirror of [`Self::as_source`]).
    pub fn as_target(&self, node: u32, weights: &[u32]) -> Vec<Attachment> {
        self.attachments(node, weights, false)
    }

    fn attachments(&self, node: u32, weights: &[u32], leaving: bool) -> Vec<Attachment> {
        if let Some(c) = self.core_of(node) {
            return vec![Attachment {
                core: c,
                weight: 0,
                arcs: Vec::new(),
            }];
        }
        let Slot { chain, pos } = self.slot[node as usize];
        let c = &self.chains[chain as usize];
        let (i, k) = (pos as usize, c.nodes.len() - 1);
        // Leaving: forward to ck, backward to c0. Arriving: forward from c0, backward from ck.
        let (fwd_end, fwd_arcs) = if leaving {
            (k, &c.fwd.get(i..k).unwrap_or_default())
        } else {
            (0, &c.fwd.get(..i).unwrap_or_default())
        };
        let (bwd_end, bwd_arcs) = if leaving {
            (0, &c.bwd.get(..i).unwrap_or_default())
        } else {
            (k, &c.bwd.get(i..k).unwrap_or_default())
        };
        let mut out = Vec::new();
        if !c.fwd.is_empty() {
            out.extend(self.attach(c.nodes[fwd_end], fwd_arcs.to_vec(), weights));
        }
        if !c.bwd.is_empty() {
            let arcs: Vec<u32> = bwd_arcs.iter().rev().copied().collect();
            out.extend(self.attach(c.nodes[bwd_end], arcs, weights));
        }
        out
    }

    /// Whether a path from `s` to `t` could stay inside one chain (a cheap filter before
    /// [`Self::within_chain`], which matrices would otherwise call for every pair).
    pub fn may_share_chain(&self, s: u32, t: u32) -> bool {
        let chain = |x: u32| {
            self.core_of(x)
                .is_none()
                .then(|| self.slot[x as usize].chain)
        };
        match (chain(s), chain(t)) {
            (None, None) => s == t,
            (Some(a), Some(b)) => a == b,
            (Some(c), None) | (None, Some(c)) => {
                let core = if chain(s).is_none() { s } else { t };
                let nodes = &self.chains[c as usize].nodes;
                nodes.first() == Some(&core) || nodes.last() == Some(&core)
            }
        }
    }

    /// A path from `s` to `t` that stays inside one chain, when both lie on it.
    pub fn within_chain(&self, s: u32, t: u32, weights: &[u32]) -> Option<(u64, Vec<u32>)> {
        let pos_in = |x: u32, chain: u32| -> Option<usize> {
            if self.core_of(x).is_none() {
                let sl = self.slot[x as usize];
                return (sl.chain == chain).then_some(sl.pos as usize);
            }
            let c = &self.chains[chain as usize];
            if c.nodes[0] == x {
                Some(0)
            } else if *c.nodes.last()? == x {
                Some(c.nodes.len() - 1)
            } else {
                None
            }
        };
        let chain = [s, t]
            .iter()
            .find(|&&x| self.core_of(x).is_none())
            .map(|&x| self.slot[x as usize].chain)?;
        let (i, j) = (pos_in(s, chain)?, pos_in(t, chain)?);
        let c = &self.chains[chain as usize];
        let arcs: Vec<u32> = if i < j && !c.fwd.is_empty() {
            c.fwd[i..j].to_vec()
        } else if j < i && !c.bwd.is_empty() {
            c.bwd[j..i].iter().rev().copied().collect()
        } else {
            return None;
        };
        let w = path_weight(&arcs, weights)?;
        Some((w, arcs))
    }

    fn attach(&self, end: u32, arcs: Vec<u32>, weights: &[u32]) -> Option<Attachment> {
        Some(Attachment {
            core: self.core_of[end as usize],
            weight: path_weight(&arcs, weights)?,
            arcs,
        })
    }
}

/// Sum of arc weights, or `None` when an arc is closed.
fn path_weight(arcs: &[u32], weights: &[u32]) -> Option<u64> {
    arcs.iter().try_fold(0u64, |s, &a| {
        let w = weights[a as usize];
        (w != INFINITY).then_some(s + w as u64)
    })
}

/// CSR grouping of item indices by key.
fn csr(n: usize, keys: impl Iterator<Item = usize> + Clone) -> (Vec<usize>, Vec<u32>) {
    let mut first = vec![0usize; n + 1];
    for k in keys.clone() {
        first[k + 1] += 1;
    }
    for i in 0..n {
        first[i + 1] += first[i];
    }
    let mut fill = first.clone();
    let mut items = vec![0u32; first[n]];
    for (i, k) in keys.enumerate() {
        items[fill[k]] = i as u32;
        fill[k] += 1;
    }
    (first, items)
}
