//! The hierarchy (chain contraction + CCH) returns the exact search's weights, and paths
//! that are real paths of that weight, on random graphs with random metrics, closures
//! included, and after a save/open round trip.

use caravan_route::{Dijkstra, Endpoint, Graph, Hierarchy, Path, Topology, INFINITY};
use proptest::prelude::*;

/// A random graph whose edges are subdivided into chains (one- or two-way, sometimes with
/// parallel arcs), so that chain contraction and endpoints inside chains are exercised.
fn chained_graph() -> impl Strategy<Value = (usize, Vec<(u32, u32)>, Vec<u32>)> {
    (2usize..14).prop_flat_map(|k| {
        let edge = (0..k as u32, 0..k as u32, 0usize..5, 0u8..4);
        prop::collection::vec(edge, 0..30).prop_flat_map(move |edges| {
            let mut n = k;
            let mut arcs = Vec::new();
            for (a, b, len, dir) in edges {
                let mut prev = a;
                let mut chain = Vec::new();
                for _ in 0..len {
                    chain.push(n as u32);
                    n += 1;
                }
                chain.push(b);
                for x in chain {
                    match dir {
                        0 => arcs.push((prev, x)),
                        1 => arcs.push((x, prev)),
                        2 => {
                            arcs.push((prev, x));
                            arcs.push((x, prev));
                        }
                        _ => {
                            arcs.push((prev, x));
                            arcs.push((x, prev));
                            arcs.push((prev, x));
                        }
                    }
                    prev = x;
                }
            }
            let m = arcs.len();
            let weight = prop_oneof![12 => 0u32..1000, 1 => Just(INFINITY)];
            (Just(n), Just(arcs), prop::collection::vec(weight, m))
        })
    })
}

fn coords(n: usize) -> (Vec<f32>, Vec<f32>) {
    // Deterministic scatter: the order's quality does not matter for correctness.
    let lat = (0..n).map(|i| ((i * 37) % 101) as f32 * 0.1).collect();
    let lon = (0..n).map(|i| ((i * 53) % 97) as f32 * 0.1).collect();
    (lat, lon)
}

fn check_path(p: &Path, arcs: &[(u32, u32)], w: &[u32], s: &[Endpoint], t: &[Endpoint]) {
    let mut at = p.source;
    let lowest = |es: &[Endpoint], x: u32| {
        es.iter()
            .filter(|e| e.node == x)
            .map(|e| e.weight as u64)
            .min()
            .unwrap()
    };
    let mut sum = lowest(s, p.source);
    for &a in &p.arcs {
        assert_eq!(arcs[a as usize].0, at, "arcs are not a path");
        assert_ne!(w[a as usize], INFINITY, "path uses a closed arc");
        sum += w[a as usize] as u64;
        at = arcs[a as usize].1;
    }
    assert_eq!(at, p.target);
    sum += lowest(t, p.target);
    assert_eq!(sum, p.weight, "reported weight is not the path's weight");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn hierarchy_equals_dijkstra(
        (n, arcs, w) in chained_graph(),
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0u32..50), 2..6),
        split in 1usize..5,
    ) {
        let (lat, lon) = coords(n);
        let (h, _) = Hierarchy::build(n, &arcs, &lat, &lon, &[]);
        let mut m = h.customize(w.clone());
        let ends: Vec<Endpoint> = picks
            .iter()
            .map(|(i, wt)| Endpoint { node: i.index(n) as u32, weight: *wt })
            .collect();
        let split = split.min(ends.len() - 1);
        let (s, t) = ends.split_at(split);
        let graph = Graph::from_arcs(n, &arcs);
        let exact = Dijkstra::new(n).run(&graph, &w, s, t);
        let view = h.view();
        let mut searcher = h.searcher(&view);
        // Both search graphs: every up-arc, then the perfectly customized, pruned one.
        for pruned in [false, true] {
            if pruned {
                h.prune(&mut m);
                prop_assert!(m.is_pruned());
            }
            let fast = searcher.path(&m, s, t);
            prop_assert_eq!(exact.as_ref().map(|p| p.weight), fast.as_ref().map(|p| p.weight));
            if let Some(p) = &fast {
                check_path(p, &arcs, &w, s, t);
            }
            // Matrix entries equal single queries.
            let sets_s: Vec<Vec<Endpoint>> = s.iter().map(|e| vec![*e]).collect();
            let sets_t: Vec<Vec<Endpoint>> = t.iter().map(|e| vec![*e]).collect();
            let mx = h.matrix(&m, &sets_s, &sets_t);
            for (i, a) in s.iter().enumerate() {
                for (j, b) in t.iter().enumerate() {
                    let single = Dijkstra::new(n).run(&graph, &w, &[*a], &[*b]).map(|p| p.weight);
                    prop_assert_eq!(mx[i * t.len() + j], single);
                }
            }
        }
        // Re-customizing drops the pruning (it belonged to the old weights).
        h.customize_into(&w, &mut m);
        prop_assert!(!m.is_pruned());
    }
}

#[test]
fn saved_hierarchy_answers_like_the_built_one_and_corruption_is_detected() {
    // A ring with spokes and chains: enough structure for a non-trivial order.
    let n = 60;
    let mut arcs: Vec<(u32, u32)> = Vec::new();
    for i in 0..n as u32 {
        arcs.push((i, (i + 1) % n as u32));
        arcs.push(((i + 1) % n as u32, i));
        if i % 7 == 0 {
            arcs.push((i, (i + 13) % n as u32));
        }
    }
    let w: Vec<u32> = (0..arcs.len() as u32)
        .map(|i| 1 + (i * 7919) % 100)
        .collect();
    let (lat, lon) = coords(n);
    let topo = |arcs| Topology {
        node_count: n,
        arcs,
        lat: &lat,
        lon: &lon,
    };
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("hier-store-test");
    let _ = std::fs::remove_dir_all(&dir);
    let (built, why) = Hierarchy::open_or_build(&dir, "ring", topo(&arcs), &mut || {});
    assert!(why.is_some(), "first open must build");
    let (opened, why) = Hierarchy::open_or_build(&dir, "ring", topo(&arcs), &mut || {});
    assert!(why.is_none(), "second open must reuse the bundle: {why:?}");
    let (mb, mo) = (built.customize(w.clone()), opened.customize(w.clone()));
    let (vb, vo) = (built.view(), opened.view());
    let (mut sb, mut so) = (built.searcher(&vb), opened.searcher(&vo));
    for s in 0..n as u32 {
        let t = (s * 17 + 5) % n as u32;
        let e = |x| [Endpoint { node: x, weight: 0 }];
        assert_eq!(sb.path(&mb, &e(s), &e(t)), so.path(&mo, &e(s), &e(t)));
    }
    // Flip one byte in the middle of the structure file: detected, then rebuilt.
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "cch-struct"))
        .unwrap();
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x5a;
    std::fs::write(&file, bytes).unwrap();
    let (_, why) = Hierarchy::open_or_build(&dir, "ring", topo(&arcs), &mut || {});
    assert!(
        why.unwrap().contains("checksum"),
        "corruption must be reported"
    );
    let (_, why) = Hierarchy::open_or_build(&dir, "ring", topo(&arcs), &mut || {});
    assert!(why.is_none(), "the rebuilt bundle must be reused");
    // A different topology (one more arc) is stale: a new key, so a new build.
    let mut more = arcs.clone();
    more.push((0, 30));
    let (_, why) = Hierarchy::open_or_build(&dir, "ring", topo(&more), &mut || {});
    assert!(why.is_some());
}
