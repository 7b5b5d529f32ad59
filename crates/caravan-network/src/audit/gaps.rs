//! Gaps: a line that stops short of another line of its layer, so that the network goes a
//! long way round (or not at all) between two points a few km apart. That is how a missing
//! junction (Makat), a missing border crossing (Naushki–Sükhbaatar) or an export artefact
//! (a 2 km cut in the Trans-Aral line) looks from the graph.

use super::layer::Layer;
use super::pairs::CityPairs;
use super::{round, Context, Finding};
use crate::model::Mode;
use rayon::prelude::*;
use std::collections::HashMap;

/// Straight-line reach of the check per layer (km), from the audit's brief.
fn radius_km(mode: Mode) -> f64 {
    if mode == Mode::Rail {
        50.0
    } else {
        20.0
    }
}
/// A gap is a pair of nodes whose network distance is more than this multiple of the
/// straight line between them (or who are not connected at all). assumption: 4× leaves
/// room for real layouts (a line that reaches the next one through a junction 10 km back)
/// and still catches every missing junction worth a detour of hundreds of km.
pub(crate) const DETOUR_FACTOR: f64 = 4.0;
/// Pairs closer than this are judged against this distance instead (junction yards).
const MIN_GAP_KM: f64 = 1.0;
// A gap counts as a finding only when mending it would shorten a route between the layer's
// largest city pairs (`pairs.rs`): a line that ends near another without that is a branch
// terminus, a yard or a port spur whose join would change no corridor.

pub(crate) fn rule() -> String {
    format!(
        "rail nodes (road dead ends) with another node of the layer within {} km ({} km) whose network distance exceeds {DETOUR_FACTOR}x the straight line, one finding per gap; a finding when joining the two would shorten a route between the layer's largest city pairs",
        radius_km(Mode::Rail),
        radius_km(Mode::Road)
    )
}

struct Gap {
    u: u32,
    v: u32,
    km: f64,
    network_km: Option<f64>,
}

pub(crate) fn check(ctx: &Context, layer: &Layer, pairs: &CityPairs) -> Vec<Finding> {
    let net = ctx.net;
    let r = radius_km(layer.mode);
    let index = layer.index(net);
    let ends: Vec<u32> = (0..layer.len() as u32)
        .filter(|&u| {
            // Rail: every node (a line may stop at a station with sidings, as Naushki does);
            // road: dead ends (the road layer is five times larger, and its gaps are ends).
            (layer.mode == Mode::Rail || layer.degree(u) <= 1)
                && ctx.in_scope(net.nodes[layer.global[u as usize] as usize].country)
        })
        .collect();
    let limit = (DETOUR_FACTOR * r) as f32;
    let gaps: Vec<Gap> = ends
        .par_iter()
        .map_init(
            || (vec![f32::INFINITY; layer.len()], Vec::new()),
            |(dist, touched), &u| {
                let (lat, lon) = layer.pos(net, u);
                let mut near = index.within(lat, lon, r);
                near.retain(|&(v, _)| v != u);
                if near.is_empty() {
                    return Vec::new();
                }
                near.sort_by(|a, b| a.1.total_cmp(&b.1));
                layer.dijkstra(&[(u, 0.0)], limit, dist, touched);
                // The nearest qualifying node in each of eight directions: the nearest one
                // overall may be a siding beside the line while the gap is across a plain.
                let mut by_sector: [Option<Gap>; 8] = Default::default();
                for &(v, km) in &near {
                    let d = dist[v as usize] as f64;
                    if d <= DETOUR_FACTOR * km.max(MIN_GAP_KM) {
                        continue;
                    }
                    let (vlat, vlon) = layer.pos(net, v);
                    let sector = sector(lat, lon, vlat, vlon);
                    if by_sector[sector].is_none() {
                        by_sector[sector] = Some(Gap {
                            u,
                            v,
                            km,
                            network_km: d.is_finite().then_some(d),
                        });
                    }
                }
                let found: Vec<Gap> = by_sector.into_iter().flatten().collect();
                for &t in touched.iter() {
                    dist[t as usize] = f32::INFINITY;
                }
                touched.clear();
                found
            },
        )
        .flatten()
        .collect();
    // What each candidate costs; the dearest of the candidates around one gap names it.
    let mut gaps: Vec<(Gap, u32)> = gaps
        .into_par_iter()
        .filter_map(|g| {
            let n = pairs.lengthened_by_gap(g.u, g.v, g.km as f32);
            (n > 0).then_some((g, n))
        })
        .collect();
    gaps.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.km.total_cmp(&b.0.km)));
    // One finding per gap: both ends of one cut find each other.
    let cell = |lat: f64, lon: f64| ((lat * 10.0).floor() as i32, (lon * 10.0).floor() as i32);
    let mut taken: HashMap<(i32, i32), Vec<(f64, f64)>> = HashMap::new();
    let mut kept = Vec::new();
    for (g, lengthened) in gaps.drain(..) {
        let (a, b) = (layer.pos(net, g.u), layer.pos(net, g.v));
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let (ci, cj) = cell(mid.0, mid.1);
        let dup = (-1..=1).any(|di| {
            (-1..=1).any(|dj| {
                taken.get(&(ci + di, cj + dj)).is_some_and(|v| {
                    v.iter().any(|&(la, lo)| {
                        crate::geo::haversine_km(la, lo, mid.0, mid.1) <= 5.0 + g.km / 2.0
                    })
                })
            })
        });
        if dup {
            continue;
        }
        taken.entry((ci, cj)).or_default().push(mid);
        kept.push((g, lengthened));
    }
    kept.par_iter()
        .map(|(g, lengthened)| {
            let lengthened = *lengthened;
            let (a, b) = (layer.pos(net, g.u), layer.pos(net, g.v));
            let (ca, cb) = (
                net.country_code(net.nodes[layer.global[g.u as usize] as usize].country),
                net.country_code(net.nodes[layer.global[g.v as usize] as usize].country),
            );
            let across = if ca == cb {
                format!("in {ca}")
            } else {
                format!("across the {ca}–{cb} border")
            };
            let by = match g.network_km {
                Some(d) => format!("{d:.0} km by the network"),
                None if layer.component[g.u as usize] == layer.component[g.v as usize] => {
                    format!("more than {limit:.0} km by the network")
                }
                None => "not connected by the network".to_string(),
            };
            let mut f = ctx.finding(
                layer.mode,
                a.0,
                a.1,
                format!(
                    "{} line ends {:.1} km from another ({across}), {by}",
                    layer.mode, g.km
                ),
            );
            f.to = Some([round(b.0, 4), round(b.1, 4)]);
            if ca != cb {
                f.countries = vec![ca.to_string(), cb.to_string()];
            }
            f.km = Some(round(g.km, 2));
            f.network_km = g.network_km.map(|d| round(d, 1));
            f.pairs_lengthened = Some(lengthened);
            f.score = lengthened as f64 * 1e10 + f.population_served as f64;
            f
        })
        .collect()
}

/// Compass octant (0..8) of the bearing from one point to another.
fn sector(lat: f64, lon: f64, lat2: f64, lon2: f64) -> usize {
    let dx = (lon2 - lon) * lat.to_radians().cos();
    let dy = lat2 - lat;
    let angle = dy.atan2(dx) + std::f64::consts::PI; // 0..2π
    ((angle / (std::f64::consts::PI / 4.0)) as usize).min(7)
}
