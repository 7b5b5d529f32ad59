//! Terminals: where containers change layer. Curated terminals first, then generic rules
//! for every port, ferry terminal, airport, pipeline end and large city.

use crate::build::{
    layer_index, num, Builder, MIN_COMPONENT_NODES, MIN_PIECE_KM, RAIL_ROAD_CITY_POPULATION,
    TERMINAL_REACH_KM,
};
use crate::geo::haversine_km;
use crate::model::*;
use crate::overlay::{Num, Overlay};
use crate::spatial::SpatialIndex;
use crate::NetworkError;
use std::collections::HashMap;

fn handling(overlay: &Overlay, kind: TerminalKind) -> Result<(f64, f64, f64), NetworkError> {
    let h = overlay
        .terminals
        .default
        .get(kind.as_str())
        .ok_or_else(|| {
            NetworkError::format(
                "data/overlay/terminals.toml",
                format!("missing [default.{}]", kind.as_str()),
            )
        })?;
    Ok((
        h.hours.get(),
        num(h.usd_per_feu, 0.0),
        num(h.usd_per_tonne, 0.0),
    ))
}

/// How far a ferry terminal's own rail berth may lie from its curated point (km);
/// assumption: the ferries' coordinates are given to about 1 km.
const FERRY_QUAY_KM: f64 = 3.0;

/// Transfer arcs at terminals: curated ones first, then generic rules for every port,
/// ferry terminal, airport, pipeline end and large city.
pub(crate) fn add_terminals(
    b: &mut Builder,
    overlay: &Overlay,
    comp: &[u32],
    piece_km: &[f32],
    ports: &[u32],
    rail_berths: &std::collections::HashSet<u32>,
) -> Result<(), NetworkError> {
    let road = layer_index(&b.net, Mode::Road, Some(comp));
    let rail = layer_index(&b.net, Mode::Rail, Some(comp));
    let sea = SpatialIndex::new(ports.iter().filter(|&&n| n != NONE).map(|&n| {
        (
            n,
            b.net.nodes[n as usize].lat as f64,
            b.net.nodes[n as usize].lon as f64,
        )
    }));
    // Ferry berths by access (build.rs add_ferries): trucks' and wagons'.
    let berths = |wagons: bool| {
        SpatialIndex::new(b.net.nodes.iter().enumerate().filter_map(|(i, n)| {
            (n.mode == Mode::Ferry && rail_berths.contains(&(i as u32)) == wagons).then_some((
                i as u32,
                n.lat as f64,
                n.lon as f64,
            ))
        }))
    };
    let (road_berth, rail_berth) = (berths(false), berths(true));
    // Every rail node, whatever its piece's size: a ferry berth's own track (below).
    let rail_any = layer_index(&b.net, Mode::Rail, None);
    // Rail pieces under the node count but long enough to be a network (MIN_PIECE_KM): a
    // terminal with no large piece's rail within reach takes the nearest of these, so an
    // isolated national network joins the others at its ports and cities. Only as a
    // fallback: a long piece nearer than a large one may lie across a strait (Sicily's
    // from Villa San Giovanni), and a transfer there would cross the water.
    let rail_long = SpatialIndex::new(b.net.nodes.iter().enumerate().filter_map(|(i, n)| {
        (n.mode == Mode::Rail && comp[i] < MIN_COMPONENT_NODES && piece_km[i] >= MIN_PIECE_KM)
            .then_some((i as u32, n.lat as f64, n.lon as f64))
    }));
    let rail_near = |lat: f64, lon: f64, reach: f64| {
        rail.nearest(lat, lon, reach)
            .or_else(|| rail_long.nearest(lat, lon, reach))
    };
    let nearest = |m: Mode, lat: f64, lon: f64, reach: f64| match m {
        Mode::Road => road.nearest(lat, lon, reach),
        Mode::Rail => rail_near(lat, lon, reach),
        Mode::Sea => sea.nearest(lat, lon, reach),
        Mode::Ferry => road_berth.nearest(lat, lon, reach),
        _ => None,
    };
    let rolls_on = |nodes: &[u32]| nodes.iter().any(|n| rail_berths.contains(n));
    // A berth is reached by its own access only: trucks at the road berth, wagons at the
    // rail berth.
    let boards = |b: &Builder, berth: u32, land: u32| {
        b.net.nodes[land as usize].mode
            == if rail_berths.contains(&berth) {
                Mode::Rail
            } else {
                Mode::Road
            }
    };
    // Nodes already served by a curated terminal, so generic rules skip them.
    let mut served: std::collections::HashSet<u32> = Default::default();
    let connect = |b: &mut Builder, t: Terminal, nodes: &[u32]| {
        let id = b.net.terminals.len() as u32;
        // A ferry berth's handling is a vehicle's check-in and drive-off; its road and
        // rail meet at the city's or port's own terminal, at that terminal's price.
        let berth_only = t.kind == TerminalKind::Ferry;
        b.net.terminals.push(t);
        let mut any = false;
        for (i, &x) in nodes.iter().enumerate() {
            for &y in &nodes[i + 1..] {
                let (mx, my) = (b.net.nodes[x as usize].mode, b.net.nodes[y as usize].mode);
                if mx == my || !transfer_allowed(mx, my) {
                    continue;
                }
                if berth_only && mx != Mode::Ferry && my != Mode::Ferry {
                    continue;
                }
                if (mx == Mode::Ferry && !boards(b, x, y))
                    || (my == Mode::Ferry && !boards(b, y, x))
                {
                    continue;
                }
                let km = haversine_km(
                    b.net.nodes[x as usize].lat as f64,
                    b.net.nodes[x as usize].lon as f64,
                    b.net.nodes[y as usize].lat as f64,
                    b.net.nodes[y as usize].lon as f64,
                );
                b.edge(x, y, my, ArcKind::Transfer(id), km, NONE);
                // `edge` sets the reverse arc's mode to the same value; fix it to the
                // layer that arc enters.
                let last = b.net.arcs.len() - 1;
                b.net.arcs[last].mode = mx;
                any = true;
            }
        }
        any
    };
    // A port where ferries also call is two terminals under one name: the container
    // quay (port dwell, crane lifts) and the ferry berth, where trucks and wagons drive
    // aboard. As one terminal, every truck off the Rostock–Trelleborg ferry paid the
    // seaport's 72 h container dwell, and Berlin→Malmö sailed 1,276 km via Klaipėda.
    let curated = overlay.terminals.terminal.iter().flat_map(|t| {
        let has = |m: &str| t.connects.iter().any(|c| c == m);
        let sides: Vec<(TerminalKind, Option<&str>)> = if has("sea") && has("ferry") {
            vec![
                (TerminalKind::Port, Some("ferry")),
                (TerminalKind::Ferry, Some("sea")),
            ]
        } else if has("sea") {
            vec![(TerminalKind::Port, None)]
        } else if has("ferry") {
            vec![(TerminalKind::Ferry, None)]
        } else {
            vec![(TerminalKind::RailRoad, None)]
        };
        sides
            .into_iter()
            .map(move |(kind, without)| (t, kind, without))
    });
    for (t, kind, without) in curated {
        let (dh, du, dt) = handling(overlay, kind)?;
        let mut nodes = Vec::new();
        for c in t.connects.iter().filter(|c| Some(c.as_str()) != without) {
            let Some(m) = Mode::parse(c) else { continue };
            if let Some((n, _)) = nearest(m, t.lat, t.lon, TERMINAL_REACH_KM) {
                nodes.push(n);
            }
            if m == Mode::Ferry {
                nodes.extend(
                    rail_berth
                        .nearest(t.lat, t.lon, TERMINAL_REACH_KM)
                        .map(|x| x.0),
                );
            }
        }
        let country = b.country(&t.country);
        let term = Terminal {
            name: t.name.clone(),
            kind,
            country,
            lat: t.lat as f32,
            lon: t.lon as f32,
            // A port's curated handling is its container quay's, not its ferry berth's.
            hours: (t.hours.filter(|_| without != Some("sea")).map(Num::get)).unwrap_or(dh) as f32,
            usd_per_feu: (t
                .usd_per_feu
                .filter(|_| without != Some("sea"))
                .map(Num::get))
            .unwrap_or(du) as f32,
            usd_per_tonne: dt as f32,
            curated: true,
            rolls_on: rolls_on(&nodes),
        };
        if connect(b, term, &nodes) {
            served.extend(
                nodes
                    .iter()
                    .filter(|&&n| matches!(b.net.nodes[n as usize].mode, Mode::Sea | Mode::Ferry)),
            );
        }
    }
    // Generic port, ferry, airport and pipeline terminals.
    let mut generic: Vec<(u32, TerminalKind, String)> = Vec::new();
    for (i, &n) in ports.iter().enumerate() {
        if n != NONE && !served.contains(&n) {
            let p = &b.net.ports[i];
            generic.push((
                n,
                TerminalKind::Port,
                format!("port of {} ({})", p.name, p.locode),
            ));
        }
    }
    for (i, n) in b.net.nodes.iter().enumerate() {
        let kind = match n.mode {
            Mode::Ferry => TerminalKind::Ferry,
            Mode::Air => TerminalKind::Airport,
            _ => continue,
        };
        if !served.contains(&(i as u32)) {
            generic.push((i as u32, kind, String::new()));
        }
    }
    let pipeline_ends: Vec<u32> = {
        let mut ends = Vec::new();
        let arcs = &b.net.arcs;
        let mut deg: HashMap<u32, u32> = HashMap::new();
        for a in arcs.iter().filter(|a| a.mode == Mode::Pipeline) {
            *deg.entry(a.from).or_default() += 1;
        }
        for (&n, &d) in &deg {
            if d == 1 {
                ends.push(n);
            }
        }
        ends.sort();
        ends
    };
    for n in pipeline_ends {
        generic.push((n, TerminalKind::Pipeline, String::new()));
    }
    for (n, kind, name) in generic {
        let node = b.net.nodes[n as usize].clone();
        let (lat, lon) = (node.lat as f64, node.lon as f64);
        let name = if name.is_empty() {
            let place = b
                .net
                .nearest_city(lat, lon, 60.0)
                .map(|c| b.net.cities[c].name.clone())
                .unwrap_or_else(|| format!("{lat:.2},{lon:.2}"));
            match kind {
                TerminalKind::Ferry => format!("{place} ferry terminal"),
                TerminalKind::Airport => format!("{place} airport"),
                TerminalKind::Pipeline => format!("{place} pipeline terminal"),
                _ => place,
            }
        } else {
            name
        };
        let mut nodes = vec![n];
        let reach = if kind == TerminalKind::Airport {
            40.0
        } else {
            TERMINAL_REACH_KM
        };
        // A ferry terminal stands at its quay (overlay/ferries.toml, about 1 km): rail there
        // is the berth's own track, whatever its piece's size, and the only rail the
        // terminal reaches. The nearest node of a large piece may lie across the strait:
        // Messina's berth took Reggio Calabria's, 12 km away, so trains crossed by the
        // transfer and Sicily stayed cut off.
        let quay = (kind == TerminalKind::Ferry)
            .then(|| rail_any.nearest(lat, lon, FERRY_QUAY_KM))
            .flatten()
            .map(|(m, _)| m);
        if let Some((m, _)) = road.nearest(lat, lon, reach) {
            nodes.push(m);
        }
        let rail_node = match (kind, quay) {
            (TerminalKind::Airport, _) => None,
            (_, Some(m)) => Some(m),
            _ => rail_near(lat, lon, reach).map(|(m, _)| m),
        };
        nodes.extend(rail_node);
        let (h, u, ut) = handling(overlay, kind)?;
        let term = Terminal {
            name,
            kind,
            country: node.country,
            lat: node.lat,
            lon: node.lon,
            hours: h as f32,
            usd_per_feu: u as f32,
            usd_per_tonne: ut as f32,
            curated: false,
            rolls_on: rolls_on(&nodes),
        };
        connect(b, term, &nodes);
    }
    // Rail–road terminals in large cities that no curated terminal serves.
    let (h, u, ut) = handling(overlay, TerminalKind::RailRoad)?;
    let curated_rr: Vec<(f64, f64)> = b
        .net
        .terminals
        .iter()
        .filter(|t| t.curated)
        .map(|t| (t.lat as f64, t.lon as f64))
        .collect();
    let cities: Vec<City> = b
        .net
        .cities
        .iter()
        .filter(|c| c.population >= RAIL_ROAD_CITY_POPULATION)
        .cloned()
        .collect();
    for c in cities {
        let (lat, lon) = (c.lat as f64, c.lon as f64);
        if curated_rr
            .iter()
            .any(|&(a, o)| haversine_km(a, o, lat, lon) < 15.0)
        {
            continue;
        }
        let (Some((r, _)), Some((d, _))) =
            (rail_near(lat, lon, 15.0), road.nearest(lat, lon, 15.0))
        else {
            continue;
        };
        let term = Terminal {
            name: format!("{} rail terminal", c.name),
            kind: TerminalKind::RailRoad,
            country: c.country,
            lat: c.lat,
            lon: c.lon,
            hours: h as f32,
            usd_per_feu: u as f32,
            usd_per_tonne: ut as f32,
            curated: false,
            rolls_on: false,
        };
        connect(b, term, &[r, d]);
    }
    Ok(())
}

fn transfer_allowed(a: Mode, b: Mode) -> bool {
    use Mode::*;
    let pair = |x, y| (a == x && b == y) || (a == y && b == x);
    pair(Road, Rail)
        || pair(Road, Sea)
        || pair(Road, Ferry)
        || pair(Road, Air)
        || pair(Road, Pipeline)
        || pair(Rail, Sea)
        || pair(Rail, Ferry)
        || pair(Rail, Pipeline)
}
