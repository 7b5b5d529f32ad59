//! On random regions of the real network, under random weights with closures, the search
//! equals an independent textbook Dijkstra (ordered set, no early exit, no reuse).

mod common;
use caravan_route::{Dijkstra, Endpoint, Graph, INFINITY};
use rand::{Rng, SeedableRng};
use std::collections::BTreeSet;

fn textbook(n: usize, arcs: &[(u32, u32)], w: &[u32], s: u32) -> Vec<u64> {
    let mut out: Vec<Vec<(u32, u32)>> = vec![vec![]; n];
    for (i, &(a, b)) in arcs.iter().enumerate() {
        out[a as usize].push((b, w[i]));
    }
    let mut dist = vec![u64::MAX; n];
    let mut queue = BTreeSet::new();
    dist[s as usize] = 0;
    queue.insert((0u64, s));
    while let Some((d, u)) = queue.pop_first() {
        for &(v, wt) in &out[u as usize] {
            if wt == INFINITY {
                continue;
            }
            let nd = d + wt as u64;
            if nd < dist[v as usize] {
                if dist[v as usize] != u64::MAX {
                    queue.remove(&(dist[v as usize], v));
                }
                dist[v as usize] = nd;
                queue.insert((nd, v));
            }
        }
    }
    dist
}

#[test]
fn search_equals_textbook_dijkstra_on_random_real_subgraphs() {
    let net = &common::engine().net;
    let mut rng = rand::rngs::StdRng::seed_from_u64(20261128);
    for _ in 0..12 {
        // A random region: every node within ~3 degrees of a random node.
        let c = &net.nodes[rng.gen_range(0..net.nodes.len())];
        let keep: Vec<u32> = (0..net.nodes.len() as u32)
            .filter(|&i| {
                let n = &net.nodes[i as usize];
                (n.lat - c.lat).abs() < 3.0 && (n.lon - c.lon).abs() < 3.0
            })
            .collect();
        let mut local = vec![u32::MAX; net.nodes.len()];
        for (k, &i) in keep.iter().enumerate() {
            local[i as usize] = k as u32;
        }
        let arcs: Vec<(u32, u32)> = net
            .arcs
            .iter()
            .filter(|a| local[a.from as usize] != u32::MAX && local[a.to as usize] != u32::MAX)
            .map(|a| (local[a.from as usize], local[a.to as usize]))
            .collect();
        let w: Vec<u32> = (0..arcs.len())
            .map(|_| {
                if rng.gen_bool(0.05) {
                    INFINITY
                } else {
                    rng.gen_range(0..100_000)
                }
            })
            .collect();
        let g = Graph::from_arcs(keep.len(), &arcs);
        let mut d = Dijkstra::new(keep.len());
        for _ in 0..5 {
            let s = rng.gen_range(0..keep.len()) as u32;
            let t = rng.gen_range(0..keep.len()) as u32;
            let expect = textbook(keep.len(), &arcs, &w, s);
            let got = d.run(
                &g,
                &w,
                &[Endpoint { node: s, weight: 0 }],
                &[Endpoint { node: t, weight: 0 }],
            );
            assert_eq!(
                got.map(|p| p.weight).unwrap_or(u64::MAX),
                expect[t as usize]
            );
        }
    }
}
