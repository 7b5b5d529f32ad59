//! The network report (`caravan network`): size per mode, repair effect, coverage.

use crate::model::{ArcKind, Mode, Network};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct LayerStats {
    pub nodes: usize,
    /// Directed arcs (each two-way line counts twice), transfers excluded.
    pub arcs: usize,
    /// Line length, each two-way line counted once.
    pub km: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Components {
    /// Connected pieces of the source layers as published (rail + road + sea).
    pub before_repair: u64,
    /// Connected pieces of the multimodal network (open links only).
    pub after_repair: u64,
    /// Share of all nodes in the largest piece.
    pub largest_share: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct NetworkReport {
    pub modes: BTreeMap<String, LayerStats>,
    pub transfers: usize,
    pub components: Components,
    pub countries: usize,
    pub places: usize,
    pub source_km: BTreeMap<String, f64>,
}

impl Network {
    pub fn report(&self) -> NetworkReport {
        let mut modes: BTreeMap<String, LayerStats> = Mode::ALL
            .iter()
            .map(|m| {
                (
                    m.as_str().to_string(),
                    LayerStats {
                        nodes: 0,
                        arcs: 0,
                        km: 0.0,
                    },
                )
            })
            .collect();
        for n in &self.nodes {
            modes.get_mut(n.mode.as_str()).unwrap().nodes += 1;
        }
        let mut transfers = 0;
        for a in &self.arcs {
            if matches!(a.kind, ArcKind::Transfer(_)) {
                transfers += 1;
                continue;
            }
            let s = modes.get_mut(a.mode.as_str()).unwrap();
            s.arcs += 1;
            s.km += a.km as f64 / 2.0;
        }
        for s in modes.values_mut() {
            s.km = s.km.round();
        }
        let largest = self.component_size.iter().copied().max().unwrap_or(0);
        let mut countries: Vec<u16> = self
            .nodes
            .iter()
            .map(|n| n.country)
            .filter(|&c| c != 0)
            .collect();
        countries.sort();
        countries.dedup();
        let sea_before = {
            // The maritime layer has a few disconnected pieces (the Caspian, lakes).
            let mut seen: Vec<u32> = self
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.mode == Mode::Sea)
                .map(|(i, _)| self.component[i])
                .collect();
            seen.sort();
            seen.dedup();
            seen.len() as u64
        };
        NetworkReport {
            modes,
            transfers,
            components: Components {
                before_repair: self.source.rail_components_before
                    + self.source.road_components_before
                    + sea_before,
                after_repair: self.component_size.len() as u64,
                largest_share: (largest as f64 / self.nodes.len().max(1) as f64 * 1e4).round()
                    / 1e4,
            },
            countries: countries.len(),
            places: self.cities.len() + self.ports.len() + self.airports.len(),
            source_km: [
                ("rail".to_string(), self.source.rail_source_km),
                ("road".to_string(), self.source.road_source_km),
            ]
            .into_iter()
            .collect(),
        }
    }
}
