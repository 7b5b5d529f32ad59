//! The largest city pairs of a layer, to say what a defect costs: how many of their routes
//! a gap lengthens, or a chord or false border lies on.

use super::layer::Layer;
use super::Context;
use rayon::prelude::*;

/// Cities taken: the 100 largest of Europe and Asia (GeoNames continents EU and AS, where
/// caravan's corridors are) that the layer reaches, which make the brief's "10,000 largest
/// city pairs" (9,900 routes), plus the `PER_COUNTRY` largest of each of their countries, so
/// that a corridor between capitals of smaller countries (Ulaanbaatar–Irkutsk) counts too.
const CITIES: usize = 100;
const PER_COUNTRY: usize = 2;
/// A city is on the layer when one of the layer's main-component nodes is this close (km).
const SNAP_KM: f64 = 25.0;
/// Main components only: a city next to a stray siding is not served by it.
const MIN_COMPONENT: u32 = 200;
/// A route counts as lengthened when mending would save at least this much (km and share).
/// assumption: a saving below 50 km and 5% changes no corridor choice (it is within the
/// spread of published route lengths for one corridor), so such a gap is no finding.
const MIN_SAVING_KM: f32 = 50.0;
const MIN_SAVING_SHARE: f32 = 0.05;

pub(crate) struct CityPairs {
    /// Snap node of each city (local id).
    nodes: Vec<u32>,
    /// Shortest layer km from each city's node to every node.
    trees: Vec<Vec<f32>>,
}

impl CityPairs {
    pub fn new(ctx: &Context, layer: &Layer) -> CityPairs {
        let net = ctx.net;
        let index = layer.index(net);
        let mut order: Vec<usize> = (0..net.cities.len())
            .filter(|&i| {
                let code = net.country_code(net.cities[i].country);
                matches!(ctx.iso.get(code).map(String::as_str), Some("EU" | "AS"))
            })
            .collect();
        order.sort_by_key(|&i| std::cmp::Reverse(net.cities[i].population));
        let mut nodes = Vec::new();
        let mut per_country: std::collections::HashMap<u16, usize> = Default::default();
        let mut largest = 0;
        for i in order {
            let c = &net.cities[i];
            let taken = per_country.entry(c.country).or_default();
            if largest >= CITIES && *taken >= PER_COUNTRY {
                continue;
            }
            let near = index.nearest_k(c.lat as f64, c.lon as f64, 16, SNAP_KM);
            if let Some(&(u, _)) = near
                .iter()
                .find(|(u, _)| layer.component_of(*u) >= MIN_COMPONENT)
            {
                if !nodes.contains(&u) {
                    nodes.push(u);
                    *taken += 1;
                    largest += 1;
                }
            }
        }
        Self::between(layer, nodes)
    }

    /// Pairs among given nodes of the layer (local ids).
    pub fn between(layer: &Layer, nodes: Vec<u32>) -> CityPairs {
        let trees = nodes.par_iter().map(|&u| layer.tree(u)).collect();
        CityPairs { nodes, trees }
    }

    /// Routes (both directions) that an added edge `u`–`v` of `km` would shorten.
    pub fn lengthened_by_gap(&self, u: u32, v: u32, km: f32) -> u32 {
        let du: Vec<f32> = self.trees.iter().map(|t| t[u as usize]).collect();
        let dv: Vec<f32> = self.trees.iter().map(|t| t[v as usize]).collect();
        let mut count = 0;
        for a in 0..self.nodes.len() {
            for b in a + 1..self.nodes.len() {
                let now = self.trees[a][self.nodes[b] as usize];
                let via = (du[a] + km + dv[b]).min(dv[a] + km + du[b]);
                if via.is_finite() && (now - via) > MIN_SAVING_KM.max(MIN_SAVING_SHARE * via) {
                    count += 2;
                }
            }
        }
        count
    }

    /// Layer km from the `i`-th node of the pairs to a node.
    pub fn distance(&self, i: usize, node: u32) -> f32 {
        self.trees[i][node as usize]
    }
}
