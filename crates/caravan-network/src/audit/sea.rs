//! Sea connectivity: lanes that stop in open water, strait passages that cannot be sailed
//! through, and voyages between major ports far longer than the sea allows (a Malacca lane
//! that dead-ends off Penang sends every East Asia–Indian Ocean voyage round Sumatra).

use super::layer::Layer;
use super::pairs::CityPairs;
use super::{round, Context, Finding};
use crate::geo::haversine_km;
use crate::model::{Mode, NONE};

/// Container ports the voyage check runs between: the largest (Lloyd's List "One Hundred
/// Ports" 2023 top 20 by TEU, where the maritime network has them) and the ports of
/// caravan's corridors (Black Sea, Baltic, Suez, Gulf, Indian Ocean).
pub(crate) const MAJOR_PORTS: [&str; 28] = [
    "CNSHA", "SGSIN", "CNNGB", "CNYTN", "KRPUS", "HKHKG", "AEJEA", "NLRTM", "BEANR", "MYPKG",
    "DEHAM", "TWKHH", "JPTYO", "USLAX", "USNYC", "LKCMB", "EGPSD", "INNSA", "GRPIR", "ESALG",
    "ITGOA", "PKKHI", "IRBND", "SAJED", "OMSLL", "RULED", "RUNVS", "GEPTI",
];
/// A voyage longer than this multiple of the great circle, between ports at most
/// `REGIONAL_KM` apart, is suspicious. assumption: regional voyages hug coasts and thread
/// straits (Singapore–Colombo ×1.06, Shanghai–Singapore ×1.1); beyond ×1.5 the sea network
/// is going round a landmass, which is real only where the map says so (Rotterdam–Genoa
/// round Iberia) and is then reviewed.
pub(crate) const CEILING: f64 = 1.5;
pub(crate) const REGIONAL_KM: f64 = 5000.0;
/// A lane end is checked against every lane node this close (km).
const LANE_GAP_KM: f64 = 300.0;

pub(crate) fn rule() -> String {
    format!("sea lanes that end within {LANE_GAP_KM} km of a lane they reach only {}x as far round or not at all, where joining them would shorten a voyage between the major ports (or that end inside a passage); passages (straits, canals) that cannot be sailed through from both sides; voyages between {} major ports at most {REGIONAL_KM} km apart longer than {CEILING}x the great circle", super::gaps::DETOUR_FACTOR, MAJOR_PORTS.len())
}

pub(crate) fn check(ctx: &Context) -> Vec<Finding> {
    let net = ctx.net;
    let sea = Layer::new(net, Mode::Sea);
    let mut out = Vec::new();
    // Lane ends: a lane that stops near another lane it does not reach, where joining
    // the two would shorten a voyage between major ports, or that stops inside a passage.
    let index = sea.index(net);
    let major = major_ports(net, index);
    let pairs = CityPairs::between(&sea, major.iter().map(|p| p.1).collect());
    let mut dist = vec![f32::INFINITY; sea.len()];
    let mut touched = Vec::new();
    for u in 0..sea.len() as u32 {
        if sea.degree(u) != 1 {
            continue;
        }
        let (_, _, arc) = sea.neighbours(u).next().unwrap();
        let a = &net.arcs[arc as usize];
        if a.geometry == NONE {
            continue; // a port's spur
        }
        let (lat, lon) = sea.pos(net, u);
        let mut near = index.within(lat, lon, LANE_GAP_KM);
        near.retain(|&(v, _)| v != u);
        near.sort_by(|x, y| x.1.total_cmp(&y.1));
        sea.dijkstra(
            &[(u, 0.0)],
            (super::gaps::DETOUR_FACTOR * LANE_GAP_KM) as f32,
            &mut dist,
            &mut touched,
        );
        let best = near
            .iter()
            .filter(|&&(v, km)| dist[v as usize] as f64 > super::gaps::DETOUR_FACTOR * km.max(1.0))
            .map(|&(v, km)| (v, km, pairs.lengthened_by_gap(u, v, km as f32)))
            .max_by(|x, y| x.2.cmp(&y.2).then(y.1.total_cmp(&x.1)));
        for &t in &touched {
            dist[t as usize] = f32::INFINITY;
        }
        touched.clear();
        // A lane in a passage no profile sails (the Arctic) is no corridor's defect.
        let in_passage =
            a.passage != NONE && net.passages[a.passage as usize] != crate::ARCTIC_PASSAGE;
        let Some((v, km, lengthened)) = best else {
            continue;
        };
        if lengthened == 0 && !in_passage {
            continue;
        }
        let to = sea.pos(net, v);
        let mut f = ctx.finding(
            Mode::Sea,
            lat,
            lon,
            if in_passage {
                format!(
                    "the {} passage lane ends {km:.0} km from a lane it does not reach",
                    net.passages[a.passage as usize]
                )
            } else {
                format!("a sea lane ends {km:.0} km from a lane it does not reach")
            },
        );
        f.to = Some([round(to.0, 4), round(to.1, 4)]);
        f.km = Some(round(km, 1));
        f.pairs_lengthened = Some(lengthened);
        f.score = 1e10 * lengthened as f64 + if in_passage { 1e9 } else { 0.0 };
        out.push(f);
    }
    // Passages: sailed through means the passage's arcs meet the rest of the sea at two or
    // more places at least the passage's own span apart.
    for (p, name) in net.passages.iter().enumerate() {
        let mut inside = Vec::new();
        let mut exits: Vec<(f64, f64)> = Vec::new();
        for u in 0..sea.len() as u32 {
            let (mut on, mut off) = (false, false);
            for (_, _, arc) in sea.neighbours(u) {
                if net.arcs[arc as usize].passage == p as u32 {
                    on = true;
                } else {
                    off = true;
                }
            }
            if on {
                inside.push(sea.pos(net, u));
                if off {
                    exits.push(sea.pos(net, u));
                }
            }
        }
        let span = max_span(&inside);
        let exit_span = max_span(&exits);
        if inside.is_empty() || exit_span >= 0.5 * span {
            continue;
        }
        let (lat, lon) = inside[0];
        let mut f = ctx.finding(
            Mode::Sea,
            lat,
            lon,
            format!(
                "the {name} passage ({span:.0} km long) meets the rest of the sea only within {exit_span:.0} km: it cannot be sailed through"
            ),
        );
        f.km = Some(round(span, 0));
        f.score = 1e13;
        out.push(f);
    }
    // Voyages between major ports.
    let ports = major;
    for (i, a) in ports.iter().enumerate() {
        for b in ports.iter().skip(i + 1) {
            let gc = haversine_km(a.2, a.3, b.2, b.3);
            let d = pairs.distance(i, b.1) as f64;
            if !(50.0..=REGIONAL_KM).contains(&gc) || d <= CEILING * gc {
                continue;
            }
            let mut f = ctx.finding(
                Mode::Sea,
                a.2,
                a.3,
                if d.is_finite() {
                    format!(
                        "{} → {}: {d:.0} km by sea, {:.1}x the great circle ({gc:.0} km)",
                        a.0,
                        b.0,
                        d / gc
                    )
                } else {
                    format!("{} → {}: not connected by sea", a.0, b.0)
                },
            );
            f.to = Some([round(b.2, 4), round(b.3, 4)]);
            f.km = Some(round(gc, 0));
            f.network_km = d.is_finite().then(|| round(d, 0));
            f.score = 1e9 * (d / gc).min(100.0);
            out.push(f);
        }
    }
    out
}

/// The major ports' sea nodes: (LOCODE, local node, lat, lon).
fn major_ports(
    net: &crate::model::Network,
    index: &crate::spatial::SpatialIndex,
) -> Vec<(&'static str, u32, f64, f64)> {
    MAJOR_PORTS
        .iter()
        .filter_map(|code| {
            let p = net
                .ports
                .iter()
                .find(|p| p.locode == *code && p.sea_node != NONE)?;
            let (u, _) = index.nearest(p.lat as f64, p.lon as f64, 5.0)?;
            Some((*code, u, p.lat as f64, p.lon as f64))
        })
        .collect()
}

fn max_span(pts: &[(f64, f64)]) -> f64 {
    let mut best = 0.0f64;
    for (i, a) in pts.iter().enumerate() {
        for b in &pts[i + 1..] {
            best = best.max(haversine_km(a.0, a.1, b.0, b.1));
        }
    }
    best
}
