//! Ferry services as ferry-layer nodes and arcs: a berth per landing and access, and each
//! line's length over the sea layer where it can tell.

use crate::audit::layer::Layer;
use crate::build::Builder;
use crate::geo::haversine_km;
use crate::model::*;
use crate::overlay::{Overlay, Point};
use std::collections::HashSet;

/// A ferry's track against the great circle where the sea layer cannot measure it (the
/// Caspian, Lake Van, crossings shorter than the layer's mesh): open-water lines sail
/// nearly straight. Published lengths over great-circle km between the landings: Kiel–
/// Klaipėda 743.6 / 715 = 1.04 and Gdynia–Travemünde 568.6 / 503 = 1.13 (NGA Pub. 151,
/// Distances Between Ports), Helsinki–Travemünde 1,131.6 / 1,107 = 1.02 (Finnlines, 611
/// nmi, Mannheimer Morgen 2022), Lake Van 90.6 / 90 = 1.01 (Wikipedia, 'Lake Van Ferry'),
/// Turkmenbashi–Baku 306 / 304 = 1.01 (Russian Wikipedia); the median is taken.
const FERRY_OPEN_WATER: f64 = 1.03;
/// The sea layer measures a ferry when its landings lie this close to the layer, as a
/// share of the crossing: the layer's mesh is tens of km, and Dover–Calais (41 km) on
/// nodes 12 and 17 km off measures 87 km round the separation scheme.
const FERRY_SNAP_SHARE: f64 = 0.25;

/// Ferry berths, one per landing and access: the road berth, where every service's
/// trucks drive aboard, and the rail berth, where a train ferry's wagons roll aboard.
/// Apart, a berth is a way onto the ship and nothing else: one node for both let a
/// container pass road → berth → rail without sailing, a rail-road transfer at a
/// vehicle's check-in price. Returns the rail berths.
pub(crate) fn add_ferries(b: &mut Builder, overlay: &Overlay) -> HashSet<u32> {
    let mut rail_berths = HashSet::new();
    // (wagons, node, lat, lon) of the berths made so far.
    let mut berths: Vec<(bool, u32, f64, f64)> = Vec::new();
    let mut berth = |b: &mut Builder, p: &Point, wagons: bool| -> u32 {
        if let Some(t) = berths
            .iter()
            .find(|t| t.0 == wagons && haversine_km(t.2, t.3, p.lat, p.lon) < 5.0)
        {
            return t.1;
        }
        let c = b.country(&p.country);
        let n = b.node(Mode::Ferry, p.lat, p.lon, c);
        berths.push((wagons, n, p.lat, p.lon));
        if wagons {
            rail_berths.insert(n);
        }
        n
    };
    let sea = Layer::new(&b.net, Mode::Sea);
    for f in &overlay.ferries {
        let km = ferry_km(&b.net, &sea, &f.from, &f.to);
        let id = b.net.ferries.len() as u32;
        b.net.ferries.push(FerryService {
            id: f.id.clone(),
            name: f.name.clone(),
            sailing_hours: f.sailing_hours.get() as f32,
            sailings_per_week: f.sailings_per_week.get() as f32,
        });
        for wagons in [false, true] {
            if wagons && !f.carries_rail_wagons {
                continue;
            }
            let a = berth(b, &f.from, wagons);
            let z = berth(b, &f.to, wagons);
            b.edge(a, z, Mode::Ferry, ArcKind::Ferry(id), km, NONE);
        }
    }
    rail_berths
}

/// A ferry line's length: over the sea layer where it can tell, so that a line round a
/// peninsula (Istanbul–Trieste round Greece, 1.6× the great circle) and one straight
/// across open water (Rostock–Trelleborg, 1.0×) each measure their track; elsewhere the
/// great circle × FERRY_OPEN_WATER. Never shorter than the great circle.
fn ferry_km(net: &Network, sea: &Layer, a: &Point, z: &Point) -> f64 {
    let gc = haversine_km(a.lat, a.lon, z.lat, z.lon);
    let reach = gc * FERRY_SNAP_SHARE;
    let near = |p: &Point| sea.index(net).nearest(p.lat, p.lon, reach);
    let by_sea = match (near(a), near(z)) {
        (Some((u, du)), Some((v, dv))) if du + dv <= reach => {
            let d = sea.tree(u)[v as usize] as f64;
            d.is_finite().then_some(du + d + dv)
        }
        _ => None,
    };
    by_sea.unwrap_or(gc * FERRY_OPEN_WATER).max(gc)
}
