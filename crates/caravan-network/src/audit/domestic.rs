//! Domestic rail: within one country, the rail network joins the country's largest cities
//! to each other without leaving it (domestic rail ferries count). The main piece is the
//! one that joins the most of them.
//!
//! Why a check of its own: `gaps` prices a gap by the largest city pairs of the whole
//! layer, so a line that stops 20 km short of a capital of a million people in a country of
//! few large cities never registers (the Trans-Karakum railway ended north of Ashgabat, so
//! Daşoguz was reached only through Uzbekistan; Türkiye's network ended at Tatvan without
//! the Lake Van ferry). Real splits are reviewed (an exclave, separate networks).

use super::layer::Layer;
use super::{Context, Finding};
use crate::model::{ArcKind, Mode};

/// The largest cities of each country that are checked.
const CITIES_PER_COUNTRY: usize = 15;
/// Cities of at least this population only.
const MIN_POPULATION: u32 = 100_000;
/// A city is on the rail network when a rail node of its country lies this close (km; the
/// planner's snapping distance).
const SNAP_KM: f64 = 30.0;

pub(crate) fn rule() -> String {
    format!("of each country's {CITIES_PER_COUNTRY} largest cities of {MIN_POPULATION}+ people with a rail node of their own country within {SNAP_KM} km, those the country's rail network (with its domestic rail ferries) does not join to the piece that holds most of them without leaving the country; one finding per cut-off piece, named by its largest city")
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

pub(crate) fn check(ctx: &Context, rail: &Layer) -> Vec<Finding> {
    let net = ctx.net;
    // Pieces of each country's rail: rail arcs inside one country, and ferries inside one
    // country joined through the rail nodes their terminals transfer to.
    let mut local = vec![u32::MAX; net.nodes.len()];
    for (u, &g) in rail.global.iter().enumerate() {
        local[g as usize] = u as u32;
    }
    let mut parent: Vec<u32> = (0..rail.len() as u32).collect();
    let country = |u: u32| net.nodes[rail.global[u as usize] as usize].country;
    for u in 0..rail.len() as u32 {
        for (v, _, _) in rail.neighbours(u) {
            if country(u) == country(v) {
                let (a, b) = (find(&mut parent, u), find(&mut parent, v));
                parent[a as usize] = b;
            }
        }
    }
    // Rail nodes reached from each ferry node by a transfer.
    let mut ferry_rail: std::collections::HashMap<u32, Vec<u32>> = Default::default();
    for a in &net.arcs {
        if matches!(a.kind, ArcKind::Transfer(_))
            && net.nodes[a.from as usize].mode == Mode::Ferry
            && local[a.to as usize] != u32::MAX
        {
            ferry_rail
                .entry(a.from)
                .or_default()
                .push(local[a.to as usize]);
        }
    }
    for a in &net.arcs {
        if !matches!(a.kind, ArcKind::Ferry(_)) {
            continue;
        }
        let (Some(x), Some(y)) = (ferry_rail.get(&a.from), ferry_rail.get(&a.to)) else {
            continue;
        };
        for &u in x {
            for &v in y {
                if country(u) == country(v) {
                    let (p, q) = (find(&mut parent, u), find(&mut parent, v));
                    parent[p as usize] = q;
                }
            }
        }
    }
    let index = rail.index(net);
    let mut by_country: std::collections::BTreeMap<u16, Vec<usize>> = Default::default();
    for (i, c) in net.cities.iter().enumerate() {
        if c.population >= MIN_POPULATION && ctx.in_scope(c.country) {
            by_country.entry(c.country).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for (cc, mut cities) in by_country {
        cities.sort_by_key(|&i| std::cmp::Reverse(net.cities[i].population));
        cities.truncate(CITIES_PER_COUNTRY);
        // Each city's piece: through its nearest rail node of its own country.
        let pieces: Vec<(usize, u32)> = cities
            .iter()
            .filter_map(|&i| {
                let c = &net.cities[i];
                index
                    .within(c.lat as f64, c.lon as f64, SNAP_KM)
                    .into_iter()
                    .filter(|&(u, _)| country(u) == cc)
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(u, _)| (i, find(&mut parent, u)))
            })
            .collect();
        // The main piece holds the most of these cities (the largest city's own node may be
        // a stray fragment); ties go to the larger city, listed first.
        let count = |p: u32| pieces.iter().filter(|x| x.1 == p).count();
        let Some(&(main, main_piece)) = pieces.iter().max_by(|a, b| {
            count(a.1)
                .cmp(&count(b.1))
                .then(net.cities[a.0].population.cmp(&net.cities[b.0].population))
        }) else {
            continue;
        };
        let mut seen = vec![main_piece];
        for &(i, piece) in &pieces {
            if seen.contains(&piece) {
                continue;
            }
            seen.push(piece);
            let (c, m) = (&net.cities[i], &net.cities[main]);
            let mut f = ctx.finding(
                Mode::Rail,
                c.lat as f64,
                c.lon as f64,
                format!(
                    "{}'s rail network does not join {} to {} without leaving the country",
                    net.country_code(cc),
                    c.name,
                    m.name
                ),
            );
            f.to = Some([m.lat as f64, m.lon as f64].map(|x| super::round(x, 4)));
            f.score = c.population as f64;
            out.push(f);
        }
    }
    out
}
