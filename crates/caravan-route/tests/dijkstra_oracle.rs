//! The search equals an independent plain Dijkstra (O(n²), no heap, no early exit) on
//! random graphs with random weights, closures included.

use caravan_route::{Dijkstra, Endpoint, Graph, INFINITY};
use proptest::prelude::*;

fn oracle(n: usize, arcs: &[(u32, u32)], w: &[u32], sources: &[Endpoint]) -> Vec<u64> {
    let mut dist = vec![u64::MAX; n];
    for s in sources {
        dist[s.node as usize] = dist[s.node as usize].min(s.weight as u64);
    }
    let mut done = vec![false; n];
    loop {
        let u = (0..n)
            .filter(|&i| !done[i] && dist[i] != u64::MAX)
            .min_by_key(|&i| dist[i]);
        let Some(u) = u else { break };
        done[u] = true;
        for (i, &(a, b)) in arcs.iter().enumerate() {
            if a as usize == u && w[i] != INFINITY {
                let nd = dist[u] + w[i] as u64;
                if nd < dist[b as usize] {
                    dist[b as usize] = nd;
                }
            }
        }
    }
    dist
}

fn graph_strategy() -> impl Strategy<Value = (usize, Vec<(u32, u32)>, Vec<u32>)> {
    (2usize..40).prop_flat_map(|n| {
        let arc = (0..n as u32, 0..n as u32);
        let weight = prop_oneof![9 => 0u32..1000, 1 => Just(INFINITY)];
        (Just(n), prop::collection::vec((arc, weight), 0..160)).prop_map(|(n, aw)| {
            let (arcs, w): (Vec<_>, Vec<_>) = aw.into_iter().unzip();
            (n, arcs, w)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn equals_plain_dijkstra((n, arcs, w) in graph_strategy(), s in 0u32..40, t in 0u32..40, sw in 0u32..50) {
        let (s, t) = (s % n as u32, t % n as u32);
        let g = Graph::from_arcs(n, &arcs);
        let src = [Endpoint { node: s, weight: sw }];
        let expect = oracle(n, &arcs, &w, &src);
        let mut d = Dijkstra::new(n);
        let got = d.run(&g, &w, &src, &[Endpoint { node: t, weight: 0 }]);
        match got {
            None => prop_assert_eq!(expect[t as usize], u64::MAX),
            Some(p) => {
                prop_assert_eq!(p.weight, expect[t as usize]);
                // The path is real: it starts at s, ends at t, and its weights add up.
                let mut at = s;
                let mut sum = sw as u64;
                for &a in &p.arcs {
                    prop_assert_eq!(arcs[a as usize].0, at);
                    prop_assert!(w[a as usize] != INFINITY);
                    sum += w[a as usize] as u64;
                    at = arcs[a as usize].1;
                }
                prop_assert_eq!(at, t);
                prop_assert_eq!(sum, p.weight);
            }
        }
        let all = d.distances(&g, &w, &src);
        prop_assert_eq!(all, expect);
    }
}
