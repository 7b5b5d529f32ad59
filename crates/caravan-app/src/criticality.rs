//! Chokepoint criticality over a lane set: for each named place a route can depend on
//! (border crossings, gauge-change stations, ports, ferry services, sea passages,
//! pipelines, curated links), the weighted rise in generalized cost when it alone closes,
//! and the lanes and weight it disconnects (Jenelius, Petersen & Mattsson 2006: importance
//! = rise in generalised cost over all OD pairs, unmet demand counted apart).
//!
//! Exact without re-routing everything: closing a chokepoint only removes arcs, so a lane
//! whose baseline route avoids it keeps a route of the same cost. Only the lanes that use
//! a chokepoint are re-routed, on one re-customization of the hierarchy per chokepoint
//! (never a rebuild). `brute_force` re-routes every lane instead, to show they agree.

use crate::lanes::{Batch, Lane};
use crate::matrix::MatrixError;
use caravan_metric::ProfileSpec;
use caravan_network::{ArcKind, TerminalKind, NONE};
use caravan_route::INFINITY;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Crossing,
    GaugeChange,
    Port,
    Ferry,
    Passage,
    Pipeline,
    Link,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Crossing => "crossing",
            Kind::GaugeChange => "gauge_change",
            Kind::Port => "port",
            Kind::Ferry => "ferry",
            Kind::Passage => "passage",
            Kind::Pipeline => "pipeline",
            Kind::Link => "link",
        }
    }
}

/// A chokepoint and the arcs that closing it removes.
#[derive(Debug, Clone)]
pub struct Chokepoint {
    pub kind: Kind,
    pub id: u32,
    pub name: String,
    pub arcs: Vec<u32>,
}

/// Every chokepoint of the network, in a stable order (kind, id).
pub fn chokepoints(net: &caravan_network::Network) -> Vec<Chokepoint> {
    let mut map: HashMap<(Kind, u32), Vec<u32>> = HashMap::new();
    for (i, a) in net.arcs.iter().enumerate() {
        let i = i as u32;
        let mut add = |k: Kind, id: u32| map.entry((k, id)).or_default().push(i);
        if a.border != NONE {
            add(Kind::Crossing, a.border);
        }
        if a.gauge_change != NONE {
            add(Kind::GaugeChange, a.gauge_change);
        }
        if a.passage != NONE {
            add(Kind::Passage, a.passage);
        }
        if a.link != NONE && net.links[a.link as usize].scenario.is_none() {
            add(Kind::Link, a.link);
        }
        match a.kind {
            ArcKind::Transfer(t) if net.terminals[t as usize].kind == TerminalKind::Port => {
                add(Kind::Port, t)
            }
            ArcKind::Ferry(f) => add(Kind::Ferry, f),
            ArcKind::Pipeline(l) => add(Kind::Pipeline, l),
            _ => {}
        }
    }
    let mut out: Vec<Chokepoint> = map
        .into_iter()
        .map(|((kind, id), arcs)| {
            let name = match kind {
                Kind::Crossing => net.crossings[id as usize].name.clone(),
                Kind::GaugeChange => net.gauge_changes[id as usize].name.clone(),
                Kind::Port => net.terminals[id as usize].name.clone(),
                Kind::Ferry => net.ferries[id as usize].name.clone(),
                Kind::Passage => net.passages[id as usize].clone(),
                Kind::Pipeline => net.pipelines[id as usize].name.clone(),
                Kind::Link => net.links[id as usize].id.clone(),
            };
            Chokepoint {
                kind,
                id,
                name,
                arcs,
            }
        })
        .collect();
    out.sort_by_key(|c| (c.kind, c.id));
    out
}

/// A lane hurt by a closure.
#[derive(Debug, Clone, Serialize)]
pub struct Hurt {
    pub origin: String,
    pub destination: String,
    pub weight: f64,
    /// Rise in generalized cost per unit (USD); `None` when the closure disconnects it.
    pub increase_usd: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub rank: usize,
    pub kind: Kind,
    pub name: String,
    /// Lanes whose baseline route uses it, and their weight.
    pub lanes_using: usize,
    pub weight_using: f64,
    /// Σ weight × rise in generalized cost (USD) over the lanes that still have a route.
    pub weighted_increase_usd: f64,
    pub disconnected_lanes: usize,
    pub disconnected_weight: f64,
    /// The lanes most hurt (disconnected first, then by weighted rise), at most five.
    pub worst_lanes: Vec<Hurt>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub lanes: usize,
    pub routed_lanes: usize,
    pub weight: f64,
    /// Chokepoints in the network, and those some baseline route uses (the others change
    /// nothing when closed).
    pub chokepoints: usize,
    pub chokepoints_used: usize,
    pub brute_force: bool,
    pub ranking: Vec<Entry>,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Re-route every lane for every closure instead of only the lanes that use it.
    pub brute_force: bool,
    /// Evaluate only these chokepoints (indices into [`chokepoints`]), e.g. a sample.
    pub only: Option<Vec<usize>>,
}

impl crate::Engine {
    /// The ranking; `progress(done, total)` counts chokepoints evaluated.
    pub fn criticality(
        &self,
        lanes: &[Lane],
        spec: &ProfileSpec,
        opts: &Options,
        progress: &(dyn Fn(u64, u64) + Sync),
    ) -> Result<Report, MatrixError> {
        let profile = self.profile(spec)?;
        let refs: Vec<&Lane> = lanes.iter().collect();
        let batch = Batch::new(self, &refs, profile);
        let base_custom = self.customized(&batch.metric.weights);
        let view = self.hierarchy.view();
        let base: Vec<Option<(f64, Vec<u32>)>> = (0..lanes.len())
            .into_par_iter()
            .map_init(
                || self.hierarchy.searcher(&view),
                |s, i| {
                    batch
                        .route(s, &base_custom, &lanes[i], i)
                        .map(|r| (r.route.generalized_cost_usd, r.route.arcs))
                },
            )
            .collect();
        drop(base_custom);
        let all = chokepoints(&self.net);
        let mut arc_to: HashMap<u32, Vec<usize>> = HashMap::new();
        for (c, ch) in all.iter().enumerate() {
            for &a in &ch.arcs {
                arc_to.entry(a).or_default().push(c);
            }
        }
        // Lanes by chokepoint, from the arcs of their baseline routes.
        let mut users: Vec<Vec<usize>> = vec![Vec::new(); all.len()];
        for (i, b) in base.iter().enumerate() {
            let Some((_, arcs)) = b else { continue };
            let mut seen: Vec<usize> = arcs
                .iter()
                .filter_map(|a| arc_to.get(a))
                .flatten()
                .copied()
                .collect();
            seen.sort_unstable();
            seen.dedup();
            for c in seen {
                users[c].push(i);
            }
        }
        let chosen: Vec<usize> = match &opts.only {
            Some(v) => v.clone(),
            None => (0..all.len()).filter(|&c| !users[c].is_empty()).collect(),
        };
        let routed: Vec<usize> = (0..lanes.len()).filter(|&i| base[i].is_some()).collect();
        let mut ranking = Vec::new();
        let mut weights = batch.metric.weights.to_vec();
        // Exact mode closes one place after another on one customized copy, re-relaxing
        // only the shortcuts above the closed arcs (and again to reopen them); brute force
        // customizes every closure afresh, so the two also check each other.
        let mut custom = self.hierarchy.customize(weights.clone());
        let total = chosen.len() as u64;
        for (done, &c) in chosen.iter().enumerate() {
            let ch = &all[c];
            let affected: &[usize] = if opts.brute_force { &routed } else { &users[c] };
            if affected.is_empty() && !opts.brute_force {
                progress(done as u64 + 1, total);
                continue;
            }
            for &a in &ch.arcs {
                weights[a as usize] = INFINITY;
            }
            if opts.brute_force {
                self.hierarchy.customize_into(&weights, &mut custom);
            } else {
                self.hierarchy.update_arcs(&mut custom, &ch.arcs, &weights);
            }
            let m = &custom;
            let results: Vec<(usize, Option<f64>)> = affected
                .par_iter()
                .map_init(
                    || self.hierarchy.searcher(&view),
                    |s, &i| {
                        let gc = batch
                            .route(s, m, &lanes[i], i)
                            .map(|r| r.route.generalized_cost_usd);
                        (i, gc)
                    },
                )
                .collect();
            for &a in &ch.arcs {
                weights[a as usize] = batch.metric.weights[a as usize];
            }
            if !opts.brute_force {
                self.hierarchy.update_arcs(&mut custom, &ch.arcs, &weights);
            }
            let mut e = Entry {
                rank: 0,
                kind: ch.kind,
                name: ch.name.clone(),
                lanes_using: users[c].len(),
                weight_using: users[c].iter().map(|&i| lanes[i].weight).sum(),
                weighted_increase_usd: 0.0,
                disconnected_lanes: 0,
                disconnected_weight: 0.0,
                worst_lanes: Vec::new(),
            };
            let mut hurt = Vec::new();
            for (i, gc) in results {
                let l = &lanes[i];
                let before = base[i].as_ref().map(|b| b.0).unwrap_or_default();
                match gc {
                    None => {
                        e.disconnected_lanes += 1;
                        e.disconnected_weight += l.weight;
                    }
                    Some(g) => e.weighted_increase_usd += l.weight * (g - before),
                }
                let rise = gc.map(|g| g - before);
                if rise.is_none_or(|r| r > 0.005) {
                    hurt.push(Hurt {
                        origin: l.from.query.clone(),
                        destination: l.to.query.clone(),
                        weight: l.weight,
                        increase_usd: rise.map(|r| (r * 100.0).round() / 100.0),
                    });
                }
            }
            hurt.sort_by(|a, b| {
                let key = |h: &Hurt| h.increase_usd.map_or(f64::INFINITY, |r| r * h.weight);
                key(b).total_cmp(&key(a))
            });
            hurt.truncate(5);
            e.worst_lanes = hurt;
            e.weighted_increase_usd = (e.weighted_increase_usd * 100.0).round() / 100.0;
            ranking.push(e);
            progress(done as u64 + 1, total);
        }
        ranking.sort_by(|a, b| {
            b.weighted_increase_usd
                .total_cmp(&a.weighted_increase_usd)
                .then(b.disconnected_weight.total_cmp(&a.disconnected_weight))
                .then(a.name.cmp(&b.name))
        });
        for (i, e) in ranking.iter_mut().enumerate() {
            e.rank = i + 1;
        }
        Ok(Report {
            lanes: lanes.len(),
            routed_lanes: routed.len(),
            weight: lanes.iter().map(|l| l.weight).sum(),
            chokepoints: all.len(),
            chokepoints_used: users.iter().filter(|u| !u.is_empty()).count(),
            brute_force: opts.brute_force,
            ranking,
        })
    }
}
