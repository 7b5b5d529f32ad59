use serde::{Deserialize, Serialize};
use std::fmt;

pub const NONE: u32 = u32::MAX;

/// Transport modes, in the order used for layer ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Road,
    Rail,
    Sea,
    Ferry,
    Air,
    Pipeline,
}

impl Mode {
    pub const ALL: [Mode; 6] = [
        Mode::Road,
        Mode::Rail,
        Mode::Sea,
        Mode::Ferry,
        Mode::Air,
        Mode::Pipeline,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Road => "road",
            Mode::Rail => "rail",
            Mode::Sea => "sea",
            Mode::Ferry => "ferry",
            Mode::Air => "air",
            Mode::Pipeline => "pipeline",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }
    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Index into [`Network::countries`]; 0 is "no country" (open sea, unknown).
pub type CountryId = u16;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Node {
    pub lat: f32,
    pub lon: f32,
    pub mode: Mode,
    pub country: CountryId,
    /// Track gauge of a rail node in mm (0 elsewhere).
    pub gauge_mm: u16,
}

/// What an arc is. Line arcs move along a mode's layer; transfers join layers at terminals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ArcKind {
    Line,
    /// A scheduled short-sea service; index into [`Network::ferries`].
    Ferry(u32),
    /// A pipeline section; index into [`Network::pipelines`].
    Pipeline(u32),
    /// Handling between layers at a terminal; index into [`Network::terminals`].
    Transfer(u32),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Arc {
    pub from: u32,
    pub to: u32,
    /// The layer the arc runs in; for transfers, the layer it enters.
    pub mode: Mode,
    pub kind: ArcKind,
    pub km: f32,
    /// Index into the network's geometry store, or NONE for a straight segment.
    pub geometry: u32,
    /// The stored geometry runs to → from.
    pub reversed: bool,
    /// Curated link the arc belongs to (index into [`Network::links`]), or NONE.
    pub link: u32,
    /// Sea passage (index into [`Network::passages`]), or NONE.
    pub passage: u32,
    /// Border crossing on this arc (index into [`Network::crossings`]), or NONE.
    pub border: u32,
    /// Gauge change on this arc (index into [`Network::gauge_changes`]), or NONE.
    pub gauge_change: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TerminalKind {
    Port,
    RailRoad,
    Ferry,
    Airport,
    Pipeline,
}

impl TerminalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TerminalKind::Port => "port",
            TerminalKind::RailRoad => "rail_road",
            TerminalKind::Ferry => "ferry",
            TerminalKind::Airport => "airport",
            TerminalKind::Pipeline => "pipeline",
        }
    }
}

/// Where containers change layer; hours and USD per handling (one lift, one dwell).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Terminal {
    pub name: String,
    pub kind: TerminalKind,
    pub country: CountryId,
    pub lat: f32,
    pub lon: f32,
    pub hours: f32,
    pub usd_per_feu: f32,
    pub usd_per_tonne: f32,
    pub curated: bool,
    /// At a berth all of whose ferries carry rail wagons a train rolls aboard and stays a
    /// train: the rail terminal's assembly and customs do not apply to its transfers.
    pub rolls_on: bool,
}

/// A border crossing's dwell, default by mode or a named override.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Crossing {
    pub name: String,
    pub mode: Mode,
    pub hours: f32,
    pub usd_per_feu: f32,
    pub named: bool,
    /// Closed to freight (overlay/borders.toml `closed = true`).
    pub closed: bool,
    /// Serves only the trade between its two countries and that of the countries granted
    /// transit (overlay/borders.toml `[[bilateral]]`), if so.
    #[serde(default)]
    pub bilateral: Option<Bilateral>,
}

/// Who may use a bilateral crossing: a lane between its two countries, or one with an
/// end in a country granted transit.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Bilateral {
    pub countries: [CountryId; 2],
    pub transit_for: Vec<CountryId>,
}

impl Bilateral {
    /// Whether a lane whose ends lie in these countries may cross.
    pub fn admits(&self, ends: &[CountryId]) -> bool {
        self.countries.iter().all(|c| ends.contains(c))
            || self.transit_for.iter().any(|c| ends.contains(c))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GaugeChange {
    pub name: String,
    pub hours: f32,
    pub usd_per_feu: f32,
    pub named: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FerryService {
    pub id: String,
    pub name: String,
    pub sailing_hours: f32,
    pub sailings_per_week: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Commodity {
    Crude,
    Products,
    Gas,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PipelineLine {
    pub id: String,
    pub name: String,
    pub commodity: Commodity,
}

/// A curated link from data/overlay/links.toml; planned ones open only under `scenario`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Link {
    pub id: String,
    pub scenario: Option<String>,
}

/// A named point for describing routes (a city, port or terminal).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct City {
    pub name: String,
    pub country: CountryId,
    pub lat: f32,
    pub lon: f32,
    pub population: u32,
    /// Normalised alternate names (ASCII, lower case, alphanumerics only).
    pub alternates: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Port {
    pub locode: String,
    pub name: String,
    pub country: CountryId,
    pub lat: f32,
    pub lon: f32,
    /// Distance to the coast (km; 0 on the water's edge), from the importer's land
    /// polygons; `f32::NAN` where the data has no such column.
    pub coast_km: f32,
    /// Distance to the nearest maritime lane vertex (km).
    pub lane_km: f32,
    /// The port's sea-layer node, or NONE when it is no seaport (see
    /// `build::is_seaport`): a river or inland LOCODE is a place, not a sea access point.
    pub sea_node: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Airport {
    pub iata: String,
    pub name: String,
    pub country: CountryId,
    pub lat: f32,
    pub lon: f32,
}

/// Source-side facts for the network report (from data/network/manifest.json).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct SourceStats {
    pub rail_source_km: f64,
    pub road_source_km: f64,
    pub rail_components_before: u64,
    pub road_components_before: u64,
    pub sea_components_before: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub arcs: Vec<Arc>,
    /// ISO 3166-1 alpha-2 codes; index 0 is "".
    pub countries: Vec<String>,
    /// Encoded polylines, concatenated: arc geometry `i` is
    /// `geometry_text[geometry_offsets[i]..geometry_offsets[i + 1]]` (one allocation, so the
    /// cache loads fast).
    pub geometry_text: String,
    pub geometry_offsets: Vec<u64>,
    pub terminals: Vec<Terminal>,
    pub crossings: Vec<Crossing>,
    pub gauge_changes: Vec<GaugeChange>,
    pub ferries: Vec<FerryService>,
    pub pipelines: Vec<PipelineLine>,
    pub links: Vec<Link>,
    pub passages: Vec<String>,
    pub cities: Vec<City>,
    pub ports: Vec<Port>,
    pub airports: Vec<Airport>,
    pub groups: Vec<(String, Vec<String>)>,
    /// Curated aliases (normalised name → city index), checked before GeoNames names.
    pub aliases: Vec<(String, u32)>,
    pub source: SourceStats,
    /// Component id per node over open arcs (planned links closed), for access snapping.
    pub component: Vec<u32>,
    pub component_size: Vec<u32>,
    /// The city naming each node (see [`Network::nearest_city`] within
    /// [`crate::NAMING_RADIUS_KM`]), or `NONE`: found once when the network is built, so
    /// that naming a leg end is a look-up rather than a k-d tree search (2.6 µs each,
    /// several per route).
    pub node_city: Vec<u32>,
    /// k-d tree over cities, built on first use: naming leg ends scans no lists.
    #[serde(skip)]
    pub city_index: std::sync::OnceLock<std::sync::Arc<crate::spatial::CityIndex>>,
    /// Cities by normalised primary name and by alternate name, built on first use: a
    /// name look-up normalised every city's name (15 ms a query).
    #[serde(skip)]
    pub name_index: std::sync::OnceLock<std::sync::Arc<crate::places::NameIndex>>,
}

impl Network {
    pub fn country_code(&self, id: CountryId) -> &str {
        &self.countries[id as usize]
    }

    pub fn country_id(&self, code: &str) -> Option<CountryId> {
        self.countries
            .iter()
            .position(|c| c.eq_ignore_ascii_case(code) && !c.is_empty())
            .map(|i| i as CountryId)
    }

    pub fn group(&self, name: &str) -> Option<&[String]> {
        self.groups
            .iter()
            .find(|(g, _)| g.eq_ignore_ascii_case(name))
            .map(|(_, m)| m.as_slice())
    }

    /// Points of an arc from its tail to its head.
    pub fn arc_geometry(&self, arc: &Arc) -> Vec<(f64, f64)> {
        let a = &self.nodes[arc.from as usize];
        let b = &self.nodes[arc.to as usize];
        if arc.geometry == NONE {
            let ends = ((a.lat as f64, a.lon as f64), (b.lat as f64, b.lon as f64));
            return if matches!(arc.mode, Mode::Air | Mode::Ferry) {
                crate::geo::great_circle(ends.0, ends.1, 100.0)
            } else {
                vec![ends.0, ends.1]
            };
        }
        let g = arc.geometry as usize;
        let text = &self.geometry_text
            [self.geometry_offsets[g] as usize..self.geometry_offsets[g + 1] as usize];
        let mut pts = crate::geo::decode_polyline(text);
        if arc.reversed {
            pts.reverse();
        }
        pts
    }

    /// Scenario names that open planned links.
    pub fn scenarios(&self) -> Vec<String> {
        let mut s: Vec<String> = self
            .links
            .iter()
            .filter_map(|l| l.scenario.clone())
            .collect();
        s.sort();
        s.dedup();
        s
    }
}
