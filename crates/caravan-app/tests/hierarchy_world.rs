//! On the real world network, the prepared hierarchy returns the exact search's weights
//! under real profiles and under random metrics with closures, and its paths unpack to the
//! same legs and events as the exact search's.

mod common;
use caravan_metric::{Metric, ProfileSpec};
use caravan_route::{Dijkstra, Endpoint, INFINITY};
use rand::{Rng, SeedableRng};

/// Random pairs of rail nodes (rail is open under every profile tested here).
fn pairs(k: usize, rng: &mut rand::rngs::StdRng) -> Vec<(u32, u32)> {
    let net = &common::engine().net;
    let rail: Vec<u32> = (0..net.nodes.len() as u32)
        .filter(|&i| net.nodes[i as usize].mode == caravan_network::Mode::Rail)
        .collect();
    let mut pick = || rail[rng.gen_range(0..rail.len())];
    (0..k).map(|_| (pick(), pick())).collect()
}

/// Compares hierarchy and exact search on `pairs`; `prune` searches the pruned graphs.
fn compare(weights: &[u32], pairs: &[(u32, u32)], prune: bool) -> usize {
    let e = common::engine();
    let m = e.customized_for(weights, prune);
    // Unpruned requests may be served a pruned entry (warmed by another test).
    assert!(m.is_pruned() || !prune);
    let view = e.hierarchy.view();
    let mut s = e.hierarchy.searcher(&view);
    let mut d = Dijkstra::new(e.net.nodes.len());
    let mut found = 0;
    for &(a, b) in pairs {
        let ep = |x| [Endpoint { node: x, weight: 0 }];
        let exact = d.run(e.graph(), weights, &ep(a), &ep(b));
        let fast = s.path(&m, &ep(a), &ep(b));
        assert_eq!(
            exact.as_ref().map(|p| p.weight),
            fast.as_ref().map(|p| p.weight),
            "pair {a} -> {b}"
        );
        found += usize::from(fast.is_some());
    }
    found
}

#[test]
fn hierarchy_equals_exact_search_under_real_profiles() {
    let e = common::engine();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    // The default profile on the pruned search graphs, the others on every up-arc.
    for (i, spec) in [
        ProfileSpec::default(),
        ProfileSpec {
            modes: vec!["rail".into()],
            objective: Some("time".into()),
            ..Default::default()
        },
        ProfileSpec {
            avoid_countries: vec!["RU".into(), "IR".into()],
            scenarios: vec!["cku".into()],
            objective: Some("cost".into()),
            ..Default::default()
        },
    ]
    .into_iter()
    .enumerate()
    {
        let profile = e.profile(&spec).unwrap();
        let metric = Metric::new(&e.net, &e.params, profile);
        let p = pairs(25, &mut rng);
        assert!(
            compare(&metric.weights, &p, i == 0) > 0,
            "some pairs must connect"
        );
    }
}

#[test]
fn hierarchy_equals_exact_search_under_random_metrics() {
    let e = common::engine();
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    for prune in [false, true] {
        let w: Vec<u32> = (0..e.net.arcs.len())
            .map(|_| {
                if rng.gen_bool(0.02) {
                    INFINITY
                } else {
                    rng.gen_range(1..50_000)
                }
            })
            .collect();
        let p = pairs(20, &mut rng);
        assert!(compare(&w, &p, prune) > 0);
    }
}

#[test]
fn customized_profiles_are_cached_and_recycled() {
    let e = common::engine();
    let specs: Vec<ProfileSpec> = ["time", "cost", "co2", "balanced", "time"]
        .iter()
        .zip([
            vec![],
            vec![],
            vec![],
            vec!["rail".to_string()],
            vec!["road".to_string()],
        ])
        .map(|(o, modes)| ProfileSpec {
            objective: Some(o.to_string()),
            modes,
            ..Default::default()
        })
        .collect();
    let weights: Vec<Vec<u32>> = specs
        .iter()
        .map(|s| {
            Metric::new(&e.net, &e.params, e.profile(s).unwrap())
                .weights
                .to_vec()
        })
        .collect();
    e.warm(&specs[..1]).unwrap();
    let first = e.customized(&weights[0]);
    assert!(
        std::sync::Arc::ptr_eq(&first, &e.customized(&weights[0])),
        "a warmed profile is served from the cache"
    );
    assert!(first.is_pruned(), "warming prunes");
    drop(first);
    // Five distinct profiles through a cache of four: the oldest is recycled, and every
    // customization, fresh or recycled, answers like the exact search.
    for w in &weights {
        e.customized(w);
    }
    let recent = e.customized(&weights[4]);
    assert!(std::sync::Arc::ptr_eq(&recent, &e.customized(&weights[4])));
    let mut rng = rand::rngs::StdRng::seed_from_u64(3);
    let found: usize = weights
        .iter()
        .map(|w| compare(w, &pairs(5, &mut rng), false))
        .sum();
    assert!(found > 0);
}
