//! Phantom borders: a line that leaves a country and comes back within a few km, with no
//! named crossing, is a line along a border that the coarse country polygons put on the
//! wrong side (Almaty–Tashkent near Merke). Each such excursion costs two false border
//! crossings (hours of dwell each) and a country the route never enters.

use super::layer::Layer;
use super::{round, Context, Finding};
use crate::geo::haversine_km;
use crate::model::CountryId;
use crate::overlay::Overlay;

/// An excursion is at most this much line (km) inside the other country. assumption:
/// real re-entries carry a town or a line of their own (the Trans-Siberian through
/// Petropavl, KZ: ~200 km); polygon slivers along a border river are a few km.
pub(crate) const MAX_EXCURSION_KM: f64 = 40.0;
/// A named crossing this close (km) makes the country change real.
const NAMED_KM: f64 = 30.0;

pub(crate) fn rule() -> String {
    format!("connected pieces of a line inside country B with at most {MAX_EXCURSION_KM} km of line, entered and left from one and the same country A, with no named crossing within {NAMED_KM} km")
}

pub(crate) fn check(ctx: &Context, overlay: &Overlay, layer: &Layer) -> Vec<Finding> {
    let net = ctx.net;
    let named: Vec<(f64, f64)> = overlay
        .borders
        .crossing
        .iter()
        .filter(|c| c.mode == layer.mode.as_str())
        .map(|c| (c.lat, c.lon))
        .collect();
    let country = |u: u32| -> CountryId { net.nodes[layer.global[u as usize] as usize].country };
    let mut seen = vec![false; layer.len()];
    let mut out = Vec::new();
    for s in 0..layer.len() as u32 {
        if seen[s as usize] || country(s) == 0 {
            continue;
        }
        let b = country(s);
        // The piece of country b around s.
        let mut piece = vec![s];
        seen[s as usize] = true;
        let mut i = 0;
        let mut inner_km = 0.0f64;
        let mut outside: Vec<CountryId> = Vec::new();
        let mut exits = Vec::new();
        while i < piece.len() {
            let u = piece[i];
            i += 1;
            for (v, km, _) in layer.neighbours(u) {
                let cv = country(v);
                if cv == b {
                    inner_km += km as f64 / 2.0;
                    if !seen[v as usize] {
                        seen[v as usize] = true;
                        piece.push(v);
                    }
                } else {
                    outside.push(cv);
                    exits.push((u, v, km));
                }
            }
            if inner_km > MAX_EXCURSION_KM || piece.len() > 5000 {
                break;
            }
        }
        if inner_km > MAX_EXCURSION_KM || piece.len() > 5000 {
            // Mark the rest of this piece seen so that it is not re-walked from inside.
            flood(layer, &piece, &mut seen, b, &country);
            continue;
        }
        outside.sort_unstable();
        outside.dedup();
        if outside.len() != 1 || outside[0] == 0 || exits.len() < 2 {
            continue;
        }
        let (lat, lon) = layer.pos(net, piece[0]);
        if named
            .iter()
            .any(|&(a, o)| haversine_km(a, o, lat, lon) <= NAMED_KM + inner_km)
        {
            continue;
        }
        let a = outside[0];
        if !ctx.in_scope(a) && !ctx.in_scope(b) {
            continue;
        }
        let mut f = ctx.finding(
            layer.mode,
            lat,
            lon,
            format!(
                "{} line in {} leaves for {} over {:.1} km and comes back ({} false crossings)",
                layer.mode,
                net.country_code(a),
                net.country_code(b),
                inner_km,
                exits.len()
            ),
        );
        let last = layer.pos(net, *piece.last().unwrap());
        if piece.len() > 1 {
            f.to = Some([round(last.0, 4), round(last.1, 4)]);
        }
        f.km = Some(round(inner_km, 1));
        f.countries = vec![
            net.country_code(a).to_string(),
            net.country_code(b).to_string(),
        ];
        f.score = f.population_served as f64;
        out.push(f);
    }
    out
}

fn flood(
    layer: &Layer,
    piece: &[u32],
    seen: &mut [bool],
    b: CountryId,
    country: &dyn Fn(u32) -> CountryId,
) {
    let mut stack: Vec<u32> = piece.to_vec();
    while let Some(u) = stack.pop() {
        for (v, _, _) in layer.neighbours(u) {
            if !seen[v as usize] && country(v) == b {
                seen[v as usize] = true;
                stack.push(v);
            }
        }
    }
}
