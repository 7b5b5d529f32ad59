//! Assembles the multimodal network from `data/`: imported layers, overlay services and
//! the transfer, border and gauge-change attributes that join them.

use crate::crossings::{mark_borders, mark_gauge_changes};
use crate::geo::haversine_km;
use crate::io::{field, read_csv};
use crate::model::*;
use crate::overlay::{Num, Overlay};
use crate::places::normalize;
use crate::spatial::SpatialIndex;
use crate::terminals::add_terminals;
use crate::{NetworkError, NewLink};
use std::collections::HashMap;
use std::path::Path;

/// Pipelines without a published length: assumption, 1.05 × the waypoint polyline.
const PIPELINE_CIRCUITY: f64 = 1.05;
/// How far a sea port may lie from the maritime network: the lanes stay offshore along
/// many coasts (Coquimbo lies 146 km from the nearest lane vertex).
const PORT_TO_SEA_KM: f64 = 150.0;
/// A port is a seaport when a maritime lane comes this close (km): the lane up the Elbe
/// ends 2.8 km from Hamburg's LOCODE point, the Scheldt's 17.6 km from Antwerp's.
pub(crate) const SEAPORT_LANE_KM: f64 = 25.0;
/// ... or when it lies on the coast, this close (km) to the sea by the land polygons, with a
/// lane within `PORT_TO_SEA_KM`. assumption: 10 km covers harbours in bays and lagoons;
/// beyond it (Linyi, 100 km inland; Wuhan on the Yangtze) a LOCODE names a river or dry
/// port that no deep-sea service calls at.
pub(crate) const SEAPORT_COAST_KM: f64 = 10.0;
/// Airports that are no hub feed this many nearest hubs (hub-and-spoke: a secondary
/// airport's cargo reaches the long-haul network through hubs).
const SPOKE_HUBS: usize = 3;

/// Whether a port is a sea access point (see [`SEAPORT_LANE_KM`], [`SEAPORT_COAST_KM`]).
/// Without coast distances in the data, every port within reach of a lane counts.
pub(crate) fn is_seaport(p: &Port) -> bool {
    let lane = p.lane_km as f64;
    lane <= SEAPORT_LANE_KM
        || (lane <= PORT_TO_SEA_KM
            && (p.coast_km.is_nan() || p.coast_km as f64 <= SEAPORT_COAST_KM))
}
/// Reach of a terminal's transfer into each layer (km). Ports and ferry terminals sit at
/// the quay; rail sidings and roads usually within a few km; assumption.
pub(crate) const TERMINAL_REACH_KM: f64 = 25.0;
/// Cities of at least this population get a rail–road terminal when both layers are near.
pub(crate) const RAIL_ROAD_CITY_POPULATION: u32 = 100_000;
/// A rail or road node counts as reachable only in a component at least this large, so
/// terminals never attach to a stray siding.
pub(crate) const MIN_COMPONENT_NODES: u32 = 200;
/// A rail piece with fewer nodes is still a network when it has this much line (km): the
/// layer keeps only junctions, so whole national networks (Iraq's 1,848 km in 76 nodes,
/// Myanmar's, Egypt's, Ireland's, Sri Lanka's) fall under the node count, and without
/// terminals no place could reach them by rail. assumption: a stray siding or yard is a few
/// km.
pub(crate) const MIN_PIECE_KM: f32 = 100.0;
/// How far a named crossing or gauge station may lie from the arc it labels.
pub(crate) const NAMED_MATCH_KM: f64 = 60.0;

pub(crate) struct Builder {
    pub(crate) net: Network,
    country_ids: HashMap<String, CountryId>,
    pub(crate) link_ids: HashMap<String, u32>,
    passage_ids: HashMap<String, u32>,
}

impl Builder {
    pub(crate) fn country(&mut self, code: &str) -> CountryId {
        if code.is_empty() {
            return 0;
        }
        if let Some(&id) = self.country_ids.get(code) {
            return id;
        }
        let id = self.net.countries.len() as CountryId;
        self.net.countries.push(code.to_string());
        self.country_ids.insert(code.to_string(), id);
        id
    }

    pub(crate) fn node(&mut self, mode: Mode, lat: f64, lon: f64, country: CountryId) -> u32 {
        self.net.nodes.push(Node {
            lat: lat as f32,
            lon: lon as f32,
            mode,
            country,
            gauge_mm: 0,
        });
        (self.net.nodes.len() - 1) as u32
    }

    fn geometry(&mut self, encoded: &str) -> u32 {
        if encoded.is_empty() {
            return NONE;
        }
        self.net.geometry_text.push_str(encoded);
        self.net
            .geometry_offsets
            .push(self.net.geometry_text.len() as u64);
        (self.net.geometry_offsets.len() - 2) as u32
    }

    /// Adds both directions of an undirected edge.
    pub(crate) fn edge(
        &mut self,
        a: u32,
        b: u32,
        mode: Mode,
        kind: ArcKind,
        km: f64,
        geometry: u32,
    ) -> u32 {
        let base = Arc {
            from: a,
            to: b,
            mode,
            kind,
            km: km as f32,
            geometry,
            reversed: false,
            link: NONE,
            passage: NONE,
            border: NONE,
            gauge_change: NONE,
        };
        let back = Arc {
            from: b,
            to: a,
            reversed: true,
            ..base.clone()
        };
        self.net.arcs.push(base);
        self.net.arcs.push(back);
        (self.net.arcs.len() - 2) as u32
    }

    pub(crate) fn tag_pair(&mut self, first: u32, f: impl Fn(&mut Arc)) {
        f(&mut self.net.arcs[first as usize]);
        f(&mut self.net.arcs[first as usize + 1]);
    }
}

/// Builds the network from the data directory. `progress` receives (step, fraction).
pub fn build(dir: &Path, progress: &mut dyn FnMut(&str, f64)) -> Result<Network, NetworkError> {
    build_with(dir, &[], progress)
}

/// Builds the network with lines that scenarios add by waypoints (see `addition`).
pub fn build_with(
    dir: &Path,
    adds: &[NewLink],
    progress: &mut dyn FnMut(&str, f64),
) -> Result<Network, NetworkError> {
    let overlay = Overlay::load(dir)?;
    let mut b = Builder {
        net: Network {
            nodes: vec![],
            arcs: vec![],
            countries: vec![String::new()],
            geometry_text: String::new(),
            geometry_offsets: vec![0],
            terminals: vec![],
            crossings: vec![],
            gauge_changes: vec![],
            ferries: vec![],
            pipelines: vec![],
            links: vec![],
            passages: vec![],
            cities: vec![],
            ports: vec![],
            airports: vec![],
            groups: overlay
                .groups
                .iter()
                .map(|(k, g)| (k.clone(), g.members.clone()))
                .collect(),
            source: read_manifest(dir)?,
            component: vec![],
            component_size: vec![],
            city_index: Default::default(),
            name_index: Default::default(),
            node_city: vec![],
            aliases: vec![],
        },
        country_ids: HashMap::new(),
        link_ids: HashMap::new(),
        passage_ids: HashMap::new(),
    };
    for l in &overlay.links {
        let scenario = match l.status.as_deref() {
            Some("planned") => Some(l.scenario.clone().unwrap_or_else(|| l.id.clone())),
            _ => None,
        };
        b.link_ids.insert(l.id.clone(), b.net.links.len() as u32);
        b.net.links.push(Link {
            id: l.id.clone(),
            scenario,
        });
    }
    progress("rail layer", 0.05);
    load_layer(&mut b, dir, Mode::Rail)?;
    progress("road layer", 0.2);
    load_layer(&mut b, dir, Mode::Road)?;
    crate::addition::add_links(&mut b, adds)?;
    progress("sea layer", 0.6);
    load_sea(&mut b, dir)?;
    progress("places", 0.65);
    load_places(&mut b, dir)?;
    assign_gauges(&mut b, &overlay);
    progress("ports, ferries, air, pipelines", 0.75);
    let (layer_components, piece_km) = layer_pieces(&b.net);
    let ports = add_ports(&mut b);
    let rail_berths = crate::ferries::add_ferries(&mut b, &overlay);
    add_air(&mut b, &overlay);
    add_pipelines(&mut b, &overlay)?;
    progress("terminals", 0.85);
    add_terminals(
        &mut b,
        &overlay,
        &layer_components,
        &piece_km,
        &ports,
        &rail_berths,
    )?;
    progress("borders and gauge changes", 0.92);
    mark_borders(&mut b, &overlay)?;
    mark_gauge_changes(&mut b, &overlay);
    let (component, sizes) = components(&b.net);
    b.net.component = component;
    b.net.component_size = sizes;
    progress("names", 0.96);
    b.net.node_city = node_cities(&b.net);
    progress("done", 1.0);
    Ok(b.net)
}

/// The naming city of every node, in parallel (0.5 M k-d tree searches).
fn node_cities(net: &Network) -> Vec<u32> {
    use rayon::prelude::*;
    net.nodes
        .par_iter()
        .map(|n| {
            net.nearest_city(n.lat as f64, n.lon as f64, crate::NAMING_RADIUS_KM)
                .map_or(NONE, |c| c as u32)
        })
        .collect()
}

fn read_manifest(dir: &Path) -> Result<SourceStats, NetworkError> {
    let path = dir.join("network/manifest.json");
    let text = std::fs::read_to_string(&path).map_err(|e| NetworkError::io(&path, e))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| NetworkError::format(&path, e.to_string()))?;
    let layer = |m: &str, k: &str| v["layers"][m][k].clone();
    Ok(SourceStats {
        rail_source_km: layer("rail", "source")["km"].as_f64().unwrap_or(0.0),
        road_source_km: layer("road", "source")["km"].as_f64().unwrap_or(0.0),
        rail_components_before: layer("rail", "before_repair")["components"]
            .as_u64()
            .unwrap_or(0),
        road_components_before: layer("road", "before_repair")["components"]
            .as_u64()
            .unwrap_or(0),
        sea_components_before: 0,
    })
}

fn load_layer(b: &mut Builder, dir: &Path, mode: Mode) -> Result<(), NetworkError> {
    let np = dir.join(format!("network/{mode}_nodes.csv.zst"));
    let base = b.net.nodes.len() as u32;
    for r in read_csv(&np, &["id", "lat", "lon", "country", "gauge_mm"])? {
        let c = b.country(r.get(3).unwrap_or(""));
        let id = b.node(mode, field(&r, 1, &np)?, field(&r, 2, &np)?, c);
        if let Some(g) = r.get(4).and_then(|g| g.parse::<u16>().ok()) {
            b.net.nodes[id as usize].gauge_mm = g;
        }
    }
    let ep = dir.join(format!("network/{mode}_edges.csv.zst"));
    for r in read_csv(&ep, &["from", "to", "km", "link", "geometry"])? {
        let (f, t): (u32, u32) = (field(&r, 0, &ep)?, field(&r, 1, &ep)?);
        let km: f64 = field(&r, 2, &ep)?;
        let g = b.geometry(r.get(4).unwrap_or(""));
        let first = b.edge(base + f, base + t, mode, ArcKind::Line, km, g);
        let tag = r.get(3).unwrap_or("");
        if !tag.is_empty() {
            let id = tag.rsplit(':').next().unwrap_or(tag);
            let link = match b.link_ids.get(id) {
                Some(&l) => l,
                None => {
                    // A link tag the overlay no longer lists: keep it, closed if planned.
                    let scenario = tag
                        .strip_prefix("planned:")
                        .and_then(|s| s.split(':').next())
                        .map(str::to_string);
                    b.net.links.push(Link {
                        id: id.to_string(),
                        scenario,
                    });
                    let l = (b.net.links.len() - 1) as u32;
                    b.link_ids.insert(id.to_string(), l);
                    l
                }
            };
            b.tag_pair(first, |a| a.link = link);
        }
    }
    Ok(())
}

fn load_sea(b: &mut Builder, dir: &Path) -> Result<(), NetworkError> {
    let np = dir.join("network/sea_nodes.csv.zst");
    let base = b.net.nodes.len() as u32;
    for r in read_csv(&np, &["id", "lat", "lon"])? {
        b.node(Mode::Sea, field(&r, 1, &np)?, field(&r, 2, &np)?, 0);
    }
    let ep = dir.join("network/sea_edges.csv.zst");
    for r in read_csv(&ep, &["from", "to", "km", "passage", "geometry"])? {
        let (f, t): (u32, u32) = (field(&r, 0, &ep)?, field(&r, 1, &ep)?);
        let g = b.geometry(r.get(4).unwrap_or(""));
        let first = b.edge(
            base + f,
            base + t,
            Mode::Sea,
            ArcKind::Line,
            field(&r, 2, &ep)?,
            g,
        );
        let mut p = r.get(3).unwrap_or("");
        if p.is_empty() {
            p = closed_basin(&b.net, first).unwrap_or("");
        }
        if !p.is_empty() {
            let next = b.passage_ids.len() as u32;
            let id = *b.passage_ids.entry(p.to_string()).or_insert(next);
            if id as usize == b.net.passages.len() {
                b.net.passages.push(p.to_string());
            }
            b.tag_pair(first, |a| a.passage = id);
        }
    }
    Ok(())
}

/// Lanes north of the Arctic Circle (the Northern Sea Route, the Northwest Passage's
/// approaches) are tagged as a passage of their own, so that routing can leave them out as
/// liner services do: the Northern Sea Route saw a few dozen transit voyages a year in the
/// 2020s, nearly none of them container liners (see `data/params.toml`, passage.arctic).
pub const ARCTIC_PASSAGE: &str = "arctic";
const ARCTIC_CIRCLE_LAT: f64 = 66.56;

/// The Caspian is landlocked: no deep-sea line serves it (river-sea ships of a few
/// thousand tonnes reach it by the Volga–Don canal). Its lanes are tagged so that sea
/// routing leaves them out; the Caspian ferries (overlay/ferries.toml) carry its traffic.
pub const CASPIAN_PASSAGE: &str = "caspian";

/// The closed basin an arc's lane runs in (Arctic or Caspian), if any.
fn closed_basin(net: &Network, arc: u32) -> Option<&'static str> {
    let pts = net.arc_geometry(&net.arcs[arc as usize]);
    if pts.iter().any(|&(lat, _)| lat > ARCTIC_CIRCLE_LAT) {
        Some(ARCTIC_PASSAGE)
    } else if pts
        .iter()
        .any(|&(lat, lon)| (36.5..=47.3).contains(&lat) && (46.5..=55.5).contains(&lon))
    {
        Some(CASPIAN_PASSAGE)
    } else {
        None
    }
}

fn load_places(b: &mut Builder, dir: &Path) -> Result<(), NetworkError> {
    let cp = dir.join("places/countries.csv");
    for r in read_csv(
        &cp,
        &[
            "iso2",
            "iso3",
            "name",
            "continent",
            "population",
            "area_km2",
        ],
    )? {
        b.country(r.get(0).unwrap_or(""));
    }
    let p = dir.join("places/cities.csv.zst");
    for r in read_csv(
        &p,
        &[
            "geonameid",
            "name",
            "alternates",
            "country",
            "lat",
            "lon",
            "population",
        ],
    )? {
        let country = b.country(r.get(3).unwrap_or(""));
        let mut alternates: Vec<String> = r
            .get(2)
            .unwrap_or("")
            .split('|')
            .map(normalize)
            .filter(|s| !s.is_empty())
            .collect();
        alternates.sort();
        alternates.dedup();
        b.net.cities.push(City {
            name: r.get(1).unwrap_or("").to_string(),
            country,
            lat: field(&r, 4, &p)?,
            lon: field(&r, 5, &p)?,
            population: field(&r, 6, &p)?,
            alternates,
        });
    }
    load_aliases(b, dir)?;
    let p = dir.join("places/ports.csv.zst");
    // `coast_km` is written by importers from 2026-12 on; older data has five columns.
    let rows = read_csv(&p, &["locode", "name", "country", "lat", "lon", "coast_km"])
        .or_else(|_| read_csv(&p, &["locode", "name", "country", "lat", "lon"]))?;
    for r in rows {
        let country = b.country(r.get(2).unwrap_or(""));
        b.net.ports.push(Port {
            locode: r.get(0).unwrap_or("").into(),
            name: r.get(1).unwrap_or("").into(),
            country,
            lat: field(&r, 3, &p)?,
            lon: field(&r, 4, &p)?,
            coast_km: r.get(5).and_then(|v| v.parse().ok()).unwrap_or(f32::NAN),
            lane_km: f32::NAN,
            sea_node: NONE,
        });
    }
    let p = dir.join("places/airports.csv.zst");
    for r in read_csv(
        &p,
        &["iata", "icao", "name", "city", "country", "lat", "lon"],
    )? {
        let country = b.country(r.get(4).unwrap_or(""));
        b.net.airports.push(Airport {
            iata: r.get(0).unwrap_or("").into(),
            name: r.get(2).unwrap_or("").into(),
            country,
            lat: field(&r, 5, &p)?,
            lon: field(&r, 6, &p)?,
        });
    }
    Ok(())
}

fn load_aliases(b: &mut Builder, dir: &Path) -> Result<(), NetworkError> {
    #[derive(serde::Deserialize)]
    struct Alias {
        name: String,
        city: String,
        country: String,
    }
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        alias: Vec<Alias>,
    }
    let path = dir.join("places/aliases.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| NetworkError::io(&path, e))?;
    let f: File = toml::from_str(&text).map_err(|e| NetworkError::toml(path.clone(), &text, &e))?;
    if f.alias.is_empty() {
        return Err(NetworkError::format(
            &path,
            "no [[alias]] entries (is the file truncated?)",
        ));
    }
    for a in f.alias {
        let country = b.country(&a.country);
        let city = b
            .net
            .cities
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.country == country
                    && (c.name == a.city || normalize(&c.name) == normalize(&a.city))
            })
            .max_by_key(|(_, c)| c.population)
            .map(|(i, _)| i as u32)
            .ok_or_else(|| {
                NetworkError::format(
                    &path,
                    format!("alias {}: no city {} in {}", a.name, a.city, a.country),
                )
            })?;
        b.net.aliases.push((normalize(&a.name), city));
    }
    Ok(())
}

/// Gauge of each rail node: explicit (curated planned lines) else its country's.
fn assign_gauges(b: &mut Builder, overlay: &Overlay) {
    let by_country: Vec<u16> = b
        .net
        .countries
        .iter()
        .map(|c| {
            overlay
                .gauge
                .country
                .get(c)
                .map(|g| g.gauge_mm)
                .unwrap_or(overlay.gauge.default.gauge_mm)
        })
        .collect();
    for n in b.net.nodes.iter_mut().filter(|n| n.mode == Mode::Rail) {
        if n.gauge_mm == 0 {
            n.gauge_mm = by_country[n.country as usize];
        }
    }
}

/// Component sizes within each layer's own line arcs (for picking attachable nodes).
pub(crate) fn layer_components(net: &Network) -> Vec<u32> {
    layer_pieces(net).0
}

/// Each node's piece within its layer's own line arcs: its node count, and its km of line
/// (both directions of an edge are arcs, so each counts half).
pub(crate) fn layer_pieces(net: &Network) -> (Vec<u32>, Vec<f32>) {
    let line = |a: &&Arc| a.kind == ArcKind::Line && a.link_is_open(net);
    let mut uf = UnionFind::new(net.nodes.len());
    for a in net.arcs.iter().filter(line) {
        uf.union(a.from, a.to);
    }
    let mut size = vec![0u32; net.nodes.len()];
    let mut km = vec![0f32; net.nodes.len()];
    for i in 0..net.nodes.len() {
        size[uf.find(i as u32) as usize] += 1;
    }
    for a in net.arcs.iter().filter(line) {
        km[uf.find(a.from) as usize] += a.km / 2.0;
    }
    (0..net.nodes.len())
        .map(|i| {
            let r = uf.find(i as u32) as usize;
            (size[r], km[r])
        })
        .unzip()
}

impl Arc {
    fn link_is_open(&self, net: &Network) -> bool {
        self.link == NONE || net.links[self.link as usize].scenario.is_none()
    }
}

pub(crate) fn layer_index(net: &Network, mode: Mode, sizes: Option<&[u32]>) -> SpatialIndex {
    SpatialIndex::new(net.nodes.iter().enumerate().filter_map(|(i, n)| {
        (n.mode == mode && sizes.is_none_or(|s| s[i] >= MIN_COMPONENT_NODES)).then_some((
            i as u32,
            n.lat as f64,
            n.lon as f64,
        ))
    }))
}

/// Each port becomes a sea-layer node tied to the nearest maritime-network node of the
/// ocean component (the Caspian is served by ferries, not deep-sea lines).
fn add_ports(b: &mut Builder) -> Vec<u32> {
    let sizes = layer_components(&b.net);
    let biggest_sea = b
        .net
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.mode == Mode::Sea)
        .map(|(i, _)| sizes[i])
        .max()
        .unwrap_or(0);
    let sea = SpatialIndex::new(b.net.nodes.iter().enumerate().filter_map(|(i, n)| {
        (n.mode == Mode::Sea && sizes[i] == biggest_sea).then_some((
            i as u32,
            n.lat as f64,
            n.lon as f64,
        ))
    }));
    // Lane vertices (the lanes' geometry, not only their nodes) say how close the sea
    // network really comes.
    let mut vertices = Vec::new();
    for a in b
        .net
        .arcs
        .iter()
        .filter(|a| a.mode == Mode::Sea && !a.reversed)
    {
        if sizes[a.from as usize] == biggest_sea {
            vertices.extend(b.net.arc_geometry(a));
        }
    }
    let lanes = SpatialIndex::new(
        vertices
            .iter()
            .enumerate()
            .map(|(i, &(lat, lon))| (i as u32, lat, lon)),
    );
    let mut port_nodes = vec![NONE; b.net.ports.len()];
    for (i, slot) in port_nodes.iter_mut().enumerate() {
        let (lat, lon) = (b.net.ports[i].lat as f64, b.net.ports[i].lon as f64);
        b.net.ports[i].lane_km = lanes
            .nearest(lat, lon, f64::INFINITY)
            .map_or(f32::INFINITY, |(_, km)| km as f32);
        if !is_seaport(&b.net.ports[i]) {
            continue;
        }
        if let Some((s, km)) = sea.nearest(lat, lon, PORT_TO_SEA_KM) {
            let country = b.net.ports[i].country;
            let n = b.node(Mode::Sea, lat, lon, country);
            b.edge(n, s, Mode::Sea, ArcKind::Line, km, NONE);
            *slot = n;
            b.net.ports[i].sea_node = n;
        }
    }
    port_nodes
}

fn add_air(b: &mut Builder, overlay: &Overlay) {
    let max_km = overlay.airports.network.max_leg_km.get();
    let mut hubs = Vec::new();
    let mut spokes = Vec::new();
    for a in &overlay.airports.airport {
        let c = b.country(&a.country);
        let n = (b.node(Mode::Air, a.lat, a.lon, c), a.lat, a.lon);
        if a.hub {
            hubs.push(n);
        } else {
            spokes.push(n);
        }
    }
    for i in 0..hubs.len() {
        for j in i + 1..hubs.len() {
            let km = haversine_km(hubs[i].1, hubs[i].2, hubs[j].1, hubs[j].2);
            if km <= max_km && km > 0.0 {
                b.edge(hubs[i].0, hubs[j].0, Mode::Air, ArcKind::Line, km, NONE);
            }
        }
    }
    for s in spokes {
        let mut near: Vec<(f64, u32)> = hubs
            .iter()
            .map(|h| (haversine_km(s.1, s.2, h.1, h.2), h.0))
            .filter(|&(km, _)| km <= max_km && km > 0.0)
            .collect();
        near.sort_by(|x, y| x.0.total_cmp(&y.0));
        for &(km, h) in near.iter().take(SPOKE_HUBS) {
            b.edge(s.0, h, Mode::Air, ArcKind::Line, km, NONE);
        }
    }
}

fn add_pipelines(b: &mut Builder, overlay: &Overlay) -> Result<(), NetworkError> {
    for p in &overlay.pipelines {
        let commodity = match p.commodity.as_str() {
            "crude" => Commodity::Crude,
            "products" => Commodity::Products,
            "gas" => Commodity::Gas,
            other => {
                return Err(NetworkError::format(
                    "data/overlay/pipelines.toml",
                    format!(
                        "pipeline {}: unknown commodity '{other}' (crude, products, gas)",
                        p.id
                    ),
                ))
            }
        };
        let id = b.net.pipelines.len() as u32;
        b.net.pipelines.push(PipelineLine {
            id: p.id.clone(),
            name: p.name.clone(),
            commodity,
        });
        let raw: f64 = p
            .waypoints
            .windows(2)
            .map(|w| haversine_km(w[0].lat, w[0].lon, w[1].lat, w[1].lon))
            .sum();
        let scale = match p.length_km {
            Some(Num::Plain(l)) | Some(Num::Sourced { value: l }) if raw > 0.0 => l / raw,
            _ => PIPELINE_CIRCUITY,
        };
        let mut prev = None;
        for w in &p.waypoints {
            let c = b.country(&w.country);
            let n = b.node(Mode::Pipeline, w.lat, w.lon, c);
            if let Some((pn, plat, plon)) = prev {
                let km = haversine_km(plat, plon, w.lat, w.lon) * scale;
                b.edge(pn, n, Mode::Pipeline, ArcKind::Pipeline(id), km, NONE);
            }
            prev = Some((n, w.lat, w.lon));
        }
    }
    Ok(())
}

pub(crate) fn num(n: Option<Num>, fallback: f64) -> f64 {
    n.map(Num::get).unwrap_or(fallback)
}

/// Weakly connected components over open arcs (planned links closed).
pub(crate) fn components(net: &Network) -> (Vec<u32>, Vec<u32>) {
    let mut uf = UnionFind::new(net.nodes.len());
    for a in &net.arcs {
        if a.link_is_open(net) {
            uf.union(a.from, a.to);
        }
    }
    let mut label = vec![NONE; net.nodes.len()];
    let mut sizes = Vec::new();
    let mut comp = vec![0u32; net.nodes.len()];
    for (i, slot) in comp.iter_mut().enumerate() {
        let r = uf.find(i as u32) as usize;
        if label[r] == NONE {
            label[r] = sizes.len() as u32;
            sizes.push(0);
        }
        *slot = label[r];
        sizes[label[r] as usize] += 1;
    }
    (comp, sizes)
}

/// Disjoint sets with path halving; small enough that a crate would add more than it saves.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = self.parent[x as usize];
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra as usize] = rb;
        }
    }
}
