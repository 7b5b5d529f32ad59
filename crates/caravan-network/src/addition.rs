//! Lines a scenario adds by waypoints (`[[add]]` in a scenario file): a railway or road
//! that is not in data/ at all, drawn by the user.
//!
//! A new line changes the graph, not just its weights, so it cannot be a re-customization
//! like every other scenario change. It is built into a variant network instead: the
//! shipped data plus the added lines, cached under a key that covers both, with the added
//! lines tagged as planned so that the variant's baseline (scenario off) is exactly the
//! shipped network's answer. Everything downstream (gauges, borders, terminals, access)
//! treats the new line as it treats a curated link of data/overlay/links.toml.

use crate::build::{layer_components, Builder};
use crate::geo::haversine_km;
use crate::{ArcKind, Link, Mode, NetworkError, NONE};
use serde::{Deserialize, Serialize};

/// Length of a drawn line over the great-circle length between its waypoints, where the
/// scenario gives no published length; the curated links use the same figure
/// (tools/import, LINK_CIRCUITY). Assumption: a line drawn through its towns still bends
/// about 10% between them.
pub const DRAWN_CIRCUITY: f64 = 1.10;

/// How far an end waypoint may be from the existing layer by default (km), as for curated
/// links.
pub const DEFAULT_SNAP_KM: f64 = 30.0;

/// One point of an added line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Waypoint {
    #[serde(default)]
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO code; by default the country of the nearest node of the layer.
    #[serde(default)]
    pub country: Option<String>,
    /// Rail only; by default the country's gauge (data/overlay/gauge.toml).
    #[serde(default)]
    pub gauge_mm: Option<u16>,
}

/// A line a scenario adds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewLink {
    pub id: String,
    #[serde(default)]
    pub name: String,
    /// `rail` or `road`.
    pub mode: String,
    /// In order; the first and last snap to the layer (within `snap_km`), the others
    /// become new nodes.
    pub waypoints: Vec<Waypoint>,
    #[serde(default)]
    pub snap_km: Option<f64>,
    /// Published length (km): the drawn polyline is scaled to it.
    #[serde(default)]
    pub length_km: Option<f64>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// The scenario that adds it (its name), which opens it; set by the scenario reader.
    #[serde(default)]
    pub scenario: String,
}

impl NewLink {
    /// Checks what can be checked without a network.
    pub fn check(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("an added link needs an id".into());
        }
        if !matches!(self.mode.as_str(), "rail" | "road") {
            return Err(format!(
                "added link '{}': mode '{}' cannot be drawn; use rail or road",
                self.id, self.mode
            ));
        }
        if self.waypoints.len() < 2 {
            return Err(format!(
                "added link '{}': give at least two waypoints (its two ends)",
                self.id
            ));
        }
        for (k, w) in self.waypoints.iter().enumerate() {
            let on_earth = (-90.0..=90.0).contains(&w.lat) && (-180.0..=180.0).contains(&w.lon);
            if !on_earth {
                return Err(format!(
                    "added link '{}': waypoint {} ({}) is not a latitude in [-90, 90] and a longitude in [-180, 180]",
                    self.id,
                    k + 1,
                    w.name
                ));
            }
        }
        if let Some(s) = self.snap_km {
            if !(s > 0.0 && s <= 200.0) {
                return Err(format!(
                    "added link '{}': snap_km must be in (0, 200], not {s}",
                    self.id
                ));
            }
        }
        if let Some(l) = self.length_km {
            if !(l.is_finite() && l > 0.0) {
                return Err(format!(
                    "added link '{}': length_km must be positive, not {l}",
                    self.id
                ));
            }
        }
        Ok(())
    }
}

/// Draws the added lines into the network being built: nodes for interior waypoints,
/// ends snapped to the layer's nearest node in a component of real size (a fragment would
/// join nothing), arcs tagged with a planned link of the scenario's name.
pub(crate) fn add_links(b: &mut Builder, adds: &[NewLink]) -> Result<(), NetworkError> {
    if adds.is_empty() {
        return Ok(());
    }
    for add in adds {
        add.check().map_err(|m| addition_error(add, m))?;
        // Per line, so that one added line may end on another.
        let sizes = layer_components(&b.net);
        let mode = Mode::parse(&add.mode).expect("checked mode");
        let index = crate::build::layer_index(&b.net, mode, Some(&sizes));
        let snap = add.snap_km.unwrap_or(DEFAULT_SNAP_KM);
        let last = add.waypoints.len() - 1;
        let mut ids = Vec::with_capacity(add.waypoints.len());
        for (k, w) in add.waypoints.iter().enumerate() {
            let nearest = index.nearest(w.lat, w.lon, f64::INFINITY);
            if k == 0 || k == last {
                match nearest {
                    Some((id, km)) if km <= snap => {
                        ids.push(id);
                        continue;
                    }
                    Some((_, km)) => {
                        return Err(addition_error(
                            add,
                            format!(
                                "its {} waypoint '{}' is {km:.0} km from the nearest {mode} line (snap_km {snap}); move it onto the network or raise snap_km",
                                if k == 0 { "first" } else { "last" },
                                w.name
                            ),
                        ))
                    }
                    None => {
                        return Err(addition_error(add, format!("the network has no {mode} layer")))
                    }
                }
            }
            let country = match &w.country {
                Some(c) => b.country(&c.trim().to_ascii_uppercase()),
                None => nearest.map_or(0, |(id, _)| b.net.nodes[id as usize].country),
            };
            let id = b.node(mode, w.lat, w.lon, country);
            if let Some(g) = w.gauge_mm {
                b.net.nodes[id as usize].gauge_mm = g;
            }
            ids.push(id);
        }
        let drawn: Vec<f64> = ids
            .windows(2)
            .map(|p| {
                let (a, c) = (&b.net.nodes[p[0] as usize], &b.net.nodes[p[1] as usize]);
                haversine_km(a.lat as f64, a.lon as f64, c.lat as f64, c.lon as f64)
            })
            .collect();
        let total: f64 = drawn.iter().sum();
        let scale = match add.length_km {
            Some(l) if total > 0.0 => l / total,
            _ => DRAWN_CIRCUITY,
        };
        let link = b.net.links.len() as u32;
        if b.link_ids.contains_key(&add.id) {
            return Err(addition_error(
                add,
                "its id is already a link of data/overlay/links.toml or another added line".into(),
            ));
        }
        b.link_ids.insert(add.id.clone(), link);
        b.net.links.push(Link {
            id: add.id.clone(),
            scenario: Some(add.scenario.clone()),
        });
        for (p, km) in ids.windows(2).zip(drawn) {
            let first = b.edge(p[0], p[1], mode, ArcKind::Line, km * scale, NONE);
            b.tag_pair(first, |a| a.link = link);
        }
    }
    Ok(())
}

fn addition_error(add: &NewLink, message: String) -> NetworkError {
    NetworkError::Addition {
        scenario: add.scenario.clone(),
        link: add.id.clone(),
        message,
    }
}
