//! Sea trade lanes: the rate of a port-to-port leg by the regions it sails between and in
//! which direction, and the hub transshipment a feeder port's deep-sea cargo needs
//! (`data/params.toml` `[mode.sea.trade]`).
//!
//! Why per leg and not per arc: a container rate is a price between two ports, and the
//! same ocean arcs carry the headhaul and the backhaul at a 3-4× difference (WCI Dec 2023:
//! Shanghai→Rotterdam USD 1,442, Rotterdam→Shanghai 452). Routing weights keep the world
//! rate per km (an arc cannot know where its leg began); the route's totals and its
//! explanation price each sea leg by its lane.

use crate::params::num;
use std::collections::HashMap;
use toml::Value;

/// A trade region: a lat/lon box (`[lat_min, lat_max, lon_min, lon_max]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub name: String,
    pub lat: (f64, f64),
    pub lon: (f64, f64),
    /// Served by feeders only: deep-sea cargo changes ship at a hub.
    pub feeder: bool,
}

#[derive(Debug, Clone, Default)]
pub struct SeaTrade {
    /// In match order: the first box that holds a port is its region.
    pub regions: Vec<Region>,
    /// USD per FEU-km by (from region, to region) index.
    pub lanes: HashMap<(usize, usize), f64>,
    /// Legs at least this long from or to a feeder region change ship at a hub.
    pub deep_sea_km: f64,
    /// Region pairs (either way) that direct services join, so a feeder region's cargo
    /// on them keeps its ship: China–Chattogram loops no longer call at Singapore.
    pub direct: std::collections::HashSet<(usize, usize)>,
    pub hub_h: f64,
    pub hub_usd_per_feu: f64,
}

/// What a sea leg's lane makes of it.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct SeaLeg {
    /// The lane rate (USD per FEU-km), when the leg's region pair has one.
    pub usd_per_feu_km: Option<f64>,
    /// A hub transshipment at the leg's start / end: a feeder port on a deep-sea leg.
    pub hub_at_start: bool,
    pub hub_at_end: bool,
}

impl SeaLeg {
    /// Hub transshipments on the leg (0-2).
    pub fn hubs(&self) -> u8 {
        self.hub_at_start as u8 + self.hub_at_end as u8
    }
}

impl SeaTrade {
    /// Reads `[mode.sea.trade]`; without it there are no lanes and no hubs.
    pub fn load(doc: &Value) -> Result<SeaTrade, String> {
        let Some(t) = doc
            .get("mode")
            .and_then(|m| m.get("sea"))
            .and_then(|s| s.get("trade"))
        else {
            return Ok(SeaTrade::default());
        };
        let get = |k: &str| {
            t.get(k)
                .and_then(num)
                .ok_or_else(|| format!("mode.sea.trade.{k} is missing or not a number"))
        };
        let feeders: Vec<&str> = t
            .get("feeder_regions")
            .and_then(|f| f.get("value").or(Some(f)))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut regions = Vec::new();
        for r in t
            .get("regions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = r.get("name").and_then(Value::as_str).unwrap_or_default();
            let b: Vec<f64> = (r.get("box").and_then(Value::as_array))
                .map(|a| a.iter().filter_map(num).collect())
                .unwrap_or_default();
            if name.is_empty() || b.len() != 4 || b[0] > b[1] || b[2] > b[3] {
                return Err(format!(
                    "mode.sea.trade.regions: give {{ name, box = [lat_min, lat_max, lon_min, lon_max] }} (at '{name}')"
                ));
            }
            regions.push(Region {
                name: name.to_string(),
                lat: (b[0], b[1]),
                lon: (b[2], b[3]),
                feeder: feeders.contains(&name),
            });
        }
        if let Some(f) = feeders
            .iter()
            .find(|f| !regions.iter().any(|r| r.name == **f))
        {
            return Err(format!("mode.sea.trade.feeder_regions: unknown region {f}"));
        }
        let index = |n: &str| regions.iter().position(|r| r.name == n);
        let mut lanes = HashMap::new();
        for (key, v) in t
            .get("lanes")
            .and_then(Value::as_table)
            .into_iter()
            .flatten()
        {
            let pair = key
                .split_once('>')
                .and_then(|(a, b)| Some((index(a)?, index(b)?)));
            let (Some(pair), Some(rate)) = (pair, num(v)) else {
                return Err(format!(
                    "mode.sea.trade.lanes.\"{key}\": give \"FROM>TO\" of two regions and a rate"
                ));
            };
            lanes.insert(pair, rate);
        }
        let mut direct = std::collections::HashSet::new();
        let pairs = t
            .get("direct_services")
            .and_then(|f| f.get("value").or(Some(f)))
            .and_then(Value::as_array);
        for key in pairs.into_iter().flatten() {
            let pair = (key.as_str())
                .and_then(|k| k.split_once('-'))
                .and_then(|(a, b)| Some((index(a)?, index(b)?)));
            let Some((a, b)) = pair else {
                return Err(format!(
                    "mode.sea.trade.direct_services: give \"REGION-REGION\" of two regions, not {key}"
                ));
            };
            direct.extend([(a, b), (b, a)]);
        }
        Ok(SeaTrade {
            regions,
            lanes,
            direct,
            deep_sea_km: get("deep_sea_km")?,
            hub_h: get("hub_transshipment_h")?,
            hub_usd_per_feu: get("hub_transshipment_usd_per_feu")?,
        })
    }

    /// The region that holds a point (the table's order decides overlaps).
    pub fn region_of(&self, lat: f64, lon: f64) -> Option<usize> {
        self.regions
            .iter()
            .position(|r| (r.lat.0..=r.lat.1).contains(&lat) && (r.lon.0..=r.lon.1).contains(&lon))
    }

    /// A sea leg of `km` from one port to another.
    pub fn leg(&self, from: (f64, f64), to: (f64, f64), km: f64) -> SeaLeg {
        self.leg_between(
            self.region_of(from.0, from.1),
            self.region_of(to.0, to.1),
            km,
        )
    }

    /// A sea leg of `km` between ports in regions `a` and `b` (see [`Self::region_of`]).
    pub fn leg_between(&self, a: Option<usize>, b: Option<usize>, km: f64) -> SeaLeg {
        let feeder = |r: Option<usize>| r.is_some_and(|r| self.regions[r].feeder);
        let direct = a.zip(b).is_some_and(|p| self.direct.contains(&p));
        let deep_sea = km >= self.deep_sea_km && !direct;
        SeaLeg {
            usd_per_feu_km: a.zip(b).and_then(|p| self.lanes.get(&p).copied()),
            hub_at_start: deep_sea && feeder(a),
            hub_at_end: deep_sea && feeder(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trade() -> SeaTrade {
        let doc: Value = toml::from_str(
            r#"
            [mode.sea.trade]
            deep_sea_km = 3000
            hub_transshipment_h = 100
            hub_transshipment_usd_per_feu = 150
            feeder_regions = { value = ["BLACK_SEA"] }
            direct_services = { value = ["BLACK_SEA-EUROPE"] }
            regions = [
              { name = "BLACK_SEA", box = [41.1, 47.5, 27.3, 42.0] },
              { name = "EUROPE", box = [35.0, 72.0, -12.0, 40.0] },
              { name = "ASIA", box = [-11.0, 46.0, 98.0, 146.0] },
            ]
            [mode.sea.trade.lanes]
            "ASIA>EUROPE" = { value = 0.07 }
            "EUROPE>ASIA" = { value = 0.02 }
            "#,
        )
        .unwrap();
        SeaTrade::load(&doc).unwrap()
    }

    #[test]
    fn lanes_are_directional_and_boxes_match_in_order() {
        let t = trade();
        let (shanghai, rotterdam, odesa) = ((31.2, 121.5), (51.9, 4.1), (46.5, 30.7));
        assert_eq!(
            t.leg(shanghai, rotterdam, 19_600.0).usd_per_feu_km,
            Some(0.07)
        );
        assert_eq!(
            t.leg(rotterdam, shanghai, 19_600.0).usd_per_feu_km,
            Some(0.02)
        );
        // Odesa lies in both boxes; the Black Sea is listed first.
        assert_eq!(t.region_of(odesa.0, odesa.1), Some(0));
        assert_eq!(t.leg(odesa, shanghai, 15_000.0).usd_per_feu_km, None);
    }

    #[test]
    fn feeder_ports_change_ship_on_deep_sea_legs_only() {
        let t = trade();
        let (odesa, istanbul, shanghai) = ((46.5, 30.7), (41.0, 28.9), (31.2, 121.5));
        assert_eq!(t.leg(odesa, shanghai, 15_000.0).hubs(), 1);
        assert_eq!(t.leg(odesa, istanbul, 700.0).hubs(), 0);
        // A direct service between the regions keeps the ship, however long the leg.
        let rotterdam = (51.9, 4.1);
        assert_eq!(t.leg(odesa, rotterdam, 6_500.0).hubs(), 0);
    }

    #[test]
    fn a_lane_of_unknown_regions_is_an_error() {
        let doc: Value = toml::from_str(
            "[mode.sea.trade]\ndeep_sea_km = 1\nhub_transshipment_h = 1\nhub_transshipment_usd_per_feu = 1\n[mode.sea.trade.lanes]\n\"A>B\" = 0.1\n",
        )
        .unwrap();
        assert!(SeaTrade::load(&doc).unwrap_err().contains("A>B"));
    }
}
