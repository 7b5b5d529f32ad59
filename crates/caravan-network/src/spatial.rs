//! Nearest-neighbour look-ups on the sphere, via a k-d tree (kiddo) on unit vectors.

use crate::geo::{chord2_for_km, km_for_chord2, unit_xyz};
use kiddo::immutable::float::kdtree::ImmutableKdTree;
use kiddo::SquaredEuclidean;
use std::num::NonZero;

#[derive(Debug)]
pub struct SpatialIndex {
    tree: ImmutableKdTree<f64, u64, 3, 32>,
    ids: Vec<u32>,
}

/// Cities for naming points: their positions and the log of their population.
#[derive(Debug)]
pub struct CityIndex {
    pub points: SpatialIndex,
    pub log_population: Vec<f64>,
}

impl SpatialIndex {
    pub fn new(points: impl IntoIterator<Item = (u32, f64, f64)>) -> Self {
        let mut ids = Vec::new();
        let mut xyz = Vec::new();
        for (id, lat, lon) in points {
            ids.push(id);
            xyz.push(unit_xyz(lat, lon));
        }
        SpatialIndex {
            tree: ImmutableKdTree::new_from_slice(&xyz),
            ids,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The nearest point within `max_km`: `(id, km)`.
    pub fn nearest(&self, lat: f64, lon: f64, max_km: f64) -> Option<(u32, f64)> {
        if self.ids.is_empty() {
            return None;
        }
        let n = self
            .tree
            .nearest_one::<SquaredEuclidean>(&unit_xyz(lat, lon));
        let km = km_for_chord2(n.distance);
        (km <= max_km).then(|| (self.ids[n.item as usize], km))
    }

    /// Up to `k` nearest points within `max_km`, nearest first.
    pub fn nearest_k(&self, lat: f64, lon: f64, k: usize, max_km: f64) -> Vec<(u32, f64)> {
        if self.ids.is_empty() || k == 0 {
            return Vec::new();
        }
        self.tree
            .nearest_n_within::<SquaredEuclidean>(
                &unit_xyz(lat, lon),
                chord2_for_km(max_km),
                NonZero::new(k).unwrap(),
                true,
            )
            .into_iter()
            .map(|n| (self.ids[n.item as usize], km_for_chord2(n.distance)))
            .collect()
    }

    /// Every point within `max_km`: `(id, km)`, unordered.
    pub fn within(&self, lat: f64, lon: f64, max_km: f64) -> Vec<(u32, f64)> {
        if self.ids.is_empty() {
            return Vec::new();
        }
        self.tree
            .within_unsorted::<SquaredEuclidean>(&unit_xyz(lat, lon), chord2_for_km(max_km))
            .into_iter()
            .map(|n| (self.ids[n.item as usize], km_for_chord2(n.distance)))
            .collect()
    }
}
