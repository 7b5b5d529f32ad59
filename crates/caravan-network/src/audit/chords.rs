//! Straight chords: a line drawn as one long straight segment whose stored length is that
//! of the straight line understates the real road or track, which winds (the Karakoram
//! Highway as 157 km straight from the Kulma pass to Kashgar). Where the source kept the
//! real length (stored km well above the chord), the chord is only a drawing and harmless.
//! Sections with a published length (`overlay/sections.toml`) are measured against it.

use super::layer::Layer;
use super::{round, Context, Finding};
use crate::geo::haversine_km;
use crate::model::NONE;
use crate::overlay::Overlay;

/// A straight segment (two consecutive geometry vertices) longer than this (km) is a chord.
pub(crate) const CHORD_KM: f64 = 50.0;
/// An arc with a chord is understated when its stored km is below its drawn length (a way
/// cannot be shorter than its own drawing); the import's chord correction
/// (`tools/import/import.py`, `correct_chords`) lengthens every raw chord stored at less
/// than 1.02× the straight line.
pub(crate) const UNDERSTATED: f64 = 1.0;
/// A section's ends snap to the layer within this distance (km): a pass on a border may
/// lie between two nodes of a sparse mountain road.
const SECTION_SNAP_KM: f64 = 60.0;

pub(crate) fn rule() -> String {
    format!("rail and road arcs (curated links aside: their waypoints are stations and their length has its own circuity) with a straight segment longer than {CHORD_KM} km whose stored length is less than the drawn line; sections with a published length (overlay/sections.toml) whose network length is outside their tolerance")
}

pub(crate) fn check(ctx: &Context, layer: &Layer, overlay: &Overlay) -> Vec<Finding> {
    let net = ctx.net;
    let mut out = Vec::new();
    for u in 0..layer.len() as u32 {
        for (v, km, ai) in layer.neighbours(u) {
            let a = &net.arcs[ai as usize];
            if v < u || a.link != NONE || a.reversed || a.geometry == NONE {
                continue;
            }
            if !(ctx.in_scope(net.nodes[a.from as usize].country)
                || ctx.in_scope(net.nodes[a.to as usize].country))
            {
                continue;
            }
            let pts = net.arc_geometry(a);
            let (mut best, mut at, mut drawn) = (0.0f64, 0, 0.0);
            for (i, w) in pts.windows(2).enumerate() {
                let d = haversine_km(w[0].0, w[0].1, w[1].0, w[1].1);
                drawn += d;
                if d > best {
                    best = d;
                    at = i;
                }
            }
            if best <= CHORD_KM || km as f64 >= UNDERSTATED * drawn {
                continue;
            }
            let (p, q) = (pts[at], pts[at + 1]);
            let mut f = ctx.finding(
                layer.mode,
                p.0,
                p.1,
                format!(
                    "{} arc of {km:.0} km is drawn with a straight segment of {best:.0} km and stores no more than the drawn length",
                    layer.mode
                ),
            );
            f.to = Some([round(q.0, 4), round(q.1, 4)]);
            f.km = Some(round(best, 1));
            f.network_km = Some(round(km as f64, 1));
            f.score = best;
            out.push(f);
        }
    }
    let index = layer.index(net);
    for s in overlay
        .sections
        .iter()
        .filter(|s| s.mode == layer.mode.as_str())
    {
        let stops: Vec<Option<u32>> = std::iter::once(&s.from)
            .chain(&s.via)
            .chain(std::iter::once(&s.to))
            .map(|p| index.nearest(p.lat, p.lon, SECTION_SNAP_KM).map(|(u, _)| u))
            .collect();
        let published = s.length_km.get();
        let measured: f64 = stops
            .windows(2)
            .map(|w| match (w[0], w[1]) {
                (Some(a), Some(b)) => layer.tree(a)[b as usize] as f64,
                _ => f64::INFINITY,
            })
            .sum();
        let err = (measured - published) / published * 100.0;
        if err.abs() <= s.tolerance_pct {
            continue;
        }
        let mut f = ctx.finding(
            layer.mode,
            s.from.lat,
            s.from.lon,
            format!(
                "{}: {measured:.0} km in the network against {published:.0} km published ({err:+.0}%)",
                s.name
            ),
        );
        f.to = Some([s.to.lat, s.to.lon]);
        f.km = Some(published);
        f.network_km = measured.is_finite().then(|| round(measured, 1));
        f.score = 1e6 + err.abs();
        out.push(f);
    }
    out
}
