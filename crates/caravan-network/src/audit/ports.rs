//! Ports and country codes: a sea leg may start only where a ship can berth, and every
//! node's country must be a real country where the node is (Turkmenbashi is not Tokelau).

use super::{Context, Finding};
use crate::model::{Mode, NONE};

/// A node's country is consistent with its position when a city of that country lies
/// within this distance (km), or no city at all does (open sea, empty land).
const CONSISTENT_KM: f64 = 50.0;

pub(crate) fn rule() -> String {
    format!(
        "ports attached to the maritime network that are not seaports (more than {} km from the coast and {} km from a sea lane: river and inland LOCODEs); nodes, ports and airports whose country code is not an ISO 3166-1 code; ports, airports and terminals whose country is that of no city and no road or rail node within {CONSISTENT_KM} km",
        crate::build::SEAPORT_COAST_KM,
        crate::build::SEAPORT_LANE_KM
    )
}

pub(crate) fn check(ctx: &Context) -> Vec<Finding> {
    let net = ctx.net;
    let mut out = Vec::new();
    for p in &net.ports {
        if p.sea_node != NONE && !crate::build::is_seaport(p) {
            let mut f = ctx.finding(
                Mode::Sea,
                p.lat as f64,
                p.lon as f64,
                format!(
                    "{} ({}) is attached to the sea but lies {:.0} km from the coast and {:.0} km from a sea lane",
                    p.locode, p.name, p.coast_km, p.lane_km
                ),
            );
            f.score = 1e12;
            out.push(f);
        }
    }
    // Country codes that are not ISO codes, on any node.
    let mut bad = vec![false; net.countries.len()];
    for (i, c) in net.countries.iter().enumerate() {
        bad[i] = i != 0 && !ctx.iso.contains_key(c);
    }
    let mut reported = vec![false; net.countries.len()];
    for n in &net.nodes {
        let c = n.country as usize;
        if bad[c] && !reported[c] {
            reported[c] = true;
            let mut f = ctx.finding(
                n.mode,
                n.lat as f64,
                n.lon as f64,
                format!(
                    "country code '{}' is not an ISO 3166-1 alpha-2 code",
                    net.countries[c]
                ),
            );
            f.score = 1e12;
            out.push(f);
        }
    }
    // Positions: ports, airports and terminals.
    let mut places: Vec<(Mode, String, u16, f64, f64)> = net
        .ports
        .iter()
        .filter(|p| p.sea_node != NONE)
        .map(|p| {
            (
                Mode::Sea,
                format!("port {} ({})", p.locode, p.name),
                p.country,
                p.lat as f64,
                p.lon as f64,
            )
        })
        .collect();
    places.extend(net.nodes.iter().filter(|n| n.mode == Mode::Air).map(|n| {
        (
            Mode::Air,
            "airport".to_string(),
            n.country,
            n.lat as f64,
            n.lon as f64,
        )
    }));
    places.extend(net.terminals.iter().filter(|t| t.curated).map(|t| {
        (
            Mode::Rail,
            format!("terminal {}", t.name),
            t.country,
            t.lat as f64,
            t.lon as f64,
        )
    }));
    // Land nodes carry the polygons' countries; cities carry GeoNames' own.
    let land = crate::spatial::SpatialIndex::new(
        net.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.mode, Mode::Road | Mode::Rail))
            .map(|(i, n)| (i as u32, n.lat as f64, n.lon as f64)),
    );
    for (mode, label, country, lat, lon) in places {
        let near = ctx.cities_within(lat, lon, CONSISTENT_KM);
        let nodes = land.nearest_k(lat, lon, 8, CONSISTENT_KM);
        if (near.is_empty() && nodes.is_empty())
            || near
                .iter()
                .any(|&(c, _)| net.cities[c as usize].country == country)
            || nodes
                .iter()
                .any(|&(n, _)| net.nodes[n as usize].country == country)
        {
            continue;
        }
        let around = near
            .iter()
            .map(|&(c, d)| (d, net.cities[c as usize].country))
            .chain(
                nodes
                    .iter()
                    .map(|&(n, d)| (d, net.nodes[n as usize].country)),
            )
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, c)| c)
            .unwrap();
        let mut f = ctx.finding(
            mode,
            lat,
            lon,
            format!(
                "{label} has country '{}' but the cities and network around it are in {}",
                net.country_code(country),
                net.country_code(around)
            ),
        );
        f.score = 1e11 + f.population_served as f64;
        out.push(f);
    }
    out
}
