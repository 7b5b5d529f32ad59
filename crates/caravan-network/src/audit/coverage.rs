//! Coverage: every sizeable city reaches the road layer, every city of a million people has
//! an airport in the air layer, and a city's access node lies in its own country.

use super::layer::Layer;
use super::{Context, Finding};
use crate::model::Mode;

/// Cities of at least this population must be near the road layer.
const ROAD_CITY_POPULATION: u32 = 100_000;
/// "Near": a node of a main road component within this distance (km). assumption: beyond
/// about an hour's drive of first-mile drayage the network no longer serves the city
/// (the planner still reaches it by an access leg of up to params.toml `max_access_km`).
const ROAD_KM: f64 = 50.0;
/// Main components only (as for terminals: `build::MIN_COMPONENT_NODES`).
const MIN_COMPONENT: u32 = 200;
/// Cities of at least this population that have an airport of their own (airportsdata,
/// within `OWN_AIRPORT_KM`, a civil one: 4-letter ICAO, no air base, heliport or seaplane
/// base) must have an air-layer node within `AIR_KM`.
const AIR_CITY_POPULATION: u32 = 1_000_000;
const OWN_AIRPORT_KM: f64 = 40.0;
const AIR_KM: f64 = 80.0;
/// An island city with no road in the source is served by its port: a seaport attached
/// to the maritime network this close (km) counts as access.
const PORT_KM: f64 = 30.0;

pub(crate) fn rule() -> String {
    format!("cities of {ROAD_CITY_POPULATION}+ people with no main-component road node within {ROAD_KM} km; cities of {AIR_CITY_POPULATION}+ with a civil airport of their own within {OWN_AIRPORT_KM} km but no air-layer airport within {AIR_KM} km; (island cities served by a seaport within {PORT_KM} km count as reached); cities of {ROAD_CITY_POPULATION}+ whose nearest road and rail nodes are in another country while their own country's network is not near (access abroad)")
}

pub(crate) fn check(ctx: &Context, road: &Layer) -> Vec<Finding> {
    let net = ctx.net;
    let mut out = Vec::new();
    let road_index = road.index(net);
    let air = crate::spatial::SpatialIndex::new(
        net.nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.mode == Mode::Air)
            .map(|(i, n)| (i as u32, n.lat as f64, n.lon as f64)),
    );
    let civil = crate::spatial::SpatialIndex::new(
        net.airports
            .iter()
            .enumerate()
            .filter(|(_, a)| is_civil(&a.name))
            .map(|(i, a)| (i as u32, a.lat as f64, a.lon as f64)),
    );
    let ports = crate::spatial::SpatialIndex::new(
        net.ports
            .iter()
            .enumerate()
            .filter(|(_, p)| p.sea_node != crate::model::NONE)
            .map(|(i, p)| (i as u32, p.lat as f64, p.lon as f64)),
    );
    for c in net
        .cities
        .iter()
        .filter(|c| c.population >= ROAD_CITY_POPULATION && ctx.in_scope(c.country))
    {
        let (lat, lon) = (c.lat as f64, c.lon as f64);
        let near: Vec<(u32, f64)> = road_index
            .nearest_k(lat, lon, 32, ROAD_KM)
            .into_iter()
            .filter(|&(u, _)| road.component_of(u) >= MIN_COMPONENT)
            .collect();
        let code = net.country_code(c.country);
        match near.first() {
            None if ports.nearest(lat, lon, PORT_KM).is_some() => {}
            None => {
                let mut f = ctx.finding(
                    Mode::Road,
                    lat,
                    lon,
                    format!(
                        "{} ({code}, {} people) has no road-layer node within {ROAD_KM} km",
                        c.name, c.population
                    ),
                );
                f.score = c.population as f64;
                out.push(f);
            }
            Some(&(u, km)) => {
                let n = &net.nodes[road.global[u as usize] as usize];
                if n.country != c.country && n.country != 0 {
                    let own = near.iter().find(|&&(v, _)| {
                        net.nodes[road.global[v as usize] as usize].country == c.country
                    });
                    if own.is_none_or(|&(_, d)| d > 2.0 * km + 10.0) {
                        let mut f = ctx.finding(
                            Mode::Road,
                            lat,
                            lon,
                            format!(
                                "{} ({code}) reaches the road layer in {} ({km:.1} km) and its own country's roads {}",
                                c.name,
                                net.country_code(n.country),
                                own.map_or(format!("not within {ROAD_KM} km"), |o| format!("only at {:.1} km", o.1))
                            ),
                        );
                        f.score = c.population as f64;
                        out.push(f);
                    }
                }
            }
        }
        if c.population >= AIR_CITY_POPULATION && air.nearest(lat, lon, AIR_KM).is_none() {
            let Some((own, km)) = civil.nearest(lat, lon, OWN_AIRPORT_KM) else {
                continue;
            };
            let a = &net.airports[own as usize];
            let mut f = ctx.finding(
                Mode::Air,
                lat,
                lon,
                format!(
                    "{} ({code}, {} people) has an airport, {} {} at {km:.0} km, but no air-layer airport within {AIR_KM} km",
                    c.name, c.population, a.iata, a.name
                ),
            );
            f.score = c.population as f64;
            out.push(f);
        }
    }
    out
}

/// A civil airport by its name (airportsdata has no type field).
fn is_civil(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    ![
        "air base",
        "airbase",
        "heliport",
        "seaplane",
        "military",
        "air force",
        "army",
        "naval",
    ]
    .iter()
    .any(|w| n.contains(w))
}
