//! The curated overlay in `data/overlay/*.toml`: services, terminals, gauges, borders,
//! airports, pipelines, planned links and country groups.
//!
//! Every number there carries a `source` or an `assumption = true` mark; [`audit_sources`]
//! enforces it (a test runs it on every file).

use crate::NetworkError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A number written plainly or as `{ value = X, source = "..." }`.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(untagged)]
pub enum Num {
    Plain(f64),
    Sourced { value: f64 },
}

impl Num {
    pub fn get(self) -> f64 {
        match self {
            Num::Plain(v) | Num::Sourced { value: v } => v,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Point {
    #[serde(default)]
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub country: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Ferry {
    pub id: String,
    pub name: String,
    pub from: Point,
    pub to: Point,
    pub sailing_hours: Num,
    pub sailings_per_week: Num,
    /// Rail ferries: wagons roll on and off, so a container stays on its train.
    #[serde(default)]
    pub carries_rail_wagons: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GaugeStation {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub hours: Option<Num>,
    pub usd_per_feu: Option<Num>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CountryGauge {
    pub gauge_mm: u16,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Change {
    pub hours: Num,
    pub usd_per_feu: Num,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GaugeFile {
    pub default: CountryGauge,
    pub default_change: Change,
    #[serde(default)]
    pub country: BTreeMap<String, CountryGauge>,
    #[serde(default)]
    pub station: Vec<GaugeStation>,
}

/// A border-dwell default: by mode, optionally for crossings inside one group (customs
/// union) or touching given countries.
#[derive(Debug, Clone, Deserialize)]
pub struct BorderDefault {
    pub hours: Num,
    pub usd_per_feu: Option<Num>,
    #[serde(default)]
    pub applies_to: Vec<String>,
    #[serde(default)]
    pub applies_to_countries: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NamedCrossing {
    pub name: String,
    pub mode: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub countries: Vec<String>,
    pub hours: Num,
    pub usd_per_feu: Option<Num>,
    /// Closed to freight (the entry's note says since when and why): no profile routes
    /// through it.
    #[serde(default)]
    pub closed: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BordersFile {
    pub default: BTreeMap<String, BorderDefault>,
    #[serde(default)]
    pub crossing: Vec<NamedCrossing>,
    /// Land borders closed to freight along their whole length, by mode.
    #[serde(default)]
    pub closed: Vec<ClosedBorder>,
    /// Land borders open only to their two countries' own trade.
    #[serde(default)]
    pub bilateral: Vec<BilateralBorder>,
}

/// A border whose crossings carry only trade between its two countries, plus the
/// third-country trade of those granted transit: Indian cargo does not cross into Tibet
/// through Nepal, while Nepal's own trade may use China's ports (`transit_for = ["NP"]`).
#[derive(Debug, Clone, Deserialize)]
pub struct BilateralBorder {
    pub countries: [String; 2],
    /// Countries whose trade with third countries may also cross.
    #[serde(default)]
    pub transit_for: Vec<String>,
    pub source: String,
}

impl BilateralBorder {
    pub fn joins(&self, a: &str, b: &str) -> bool {
        is_pair(&self.countries, a, b)
    }
}

/// Whether a border entry's two countries are `a` and `b`, in either order.
fn is_pair([x, y]: &[String; 2], a: &str, b: &str) -> bool {
    (x == a && y == b) || (x == b && y == a)
}

#[derive(Debug, Clone, Deserialize)]
pub struct ClosedBorder {
    pub countries: [String; 2],
    /// Modes closed (road, rail, ferry); all when empty.
    #[serde(default)]
    pub modes: Vec<String>,
    pub source: String,
}

impl ClosedBorder {
    pub fn closes(&self, a: &str, b: &str, mode: &str) -> bool {
        is_pair(&self.countries, a, b)
            && (self.modes.is_empty() || self.modes.iter().any(|m| m == mode))
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Handling {
    pub hours: Num,
    /// Charged per container; airports and pipeline terminals charge per tonne instead.
    pub usd_per_feu: Option<Num>,
    pub usd_per_tonne: Option<Num>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NamedTerminal {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub connects: Vec<String>,
    pub hours: Option<Num>,
    pub usd_per_feu: Option<Num>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct TerminalsFile {
    pub default: BTreeMap<String, Handling>,
    #[serde(default)]
    pub terminal: Vec<NamedTerminal>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AirNetwork {
    pub max_leg_km: Num,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CargoAirport {
    pub iata: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub country: String,
    /// Hubs (the default) are joined to every hub within range; `hub = false` airports
    /// (the main airports of large cities outside the cargo ranking) feed their nearest hubs.
    #[serde(default = "yes")]
    pub hub: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct AirportsFile {
    pub network: AirNetwork,
    pub airport: Vec<CargoAirport>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Pipeline {
    pub id: String,
    pub name: String,
    pub commodity: String,
    pub length_km: Option<Num>,
    pub waypoints: Vec<Point>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LinkEntry {
    pub id: String,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub scenario: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Group {
    pub members: Vec<String>,
}

/// Everything in data/overlay, parsed.
#[derive(Debug, Clone)]
pub struct Overlay {
    pub sections: Vec<Section>,
    pub ferries: Vec<Ferry>,
    pub gauge: GaugeFile,
    pub borders: BordersFile,
    pub terminals: TerminalsFile,
    pub airports: AirportsFile,
    pub pipelines: Vec<Pipeline>,
    pub links: Vec<LinkEntry>,
    pub groups: BTreeMap<String, Group>,
}

fn read<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, NetworkError> {
    let text = std::fs::read_to_string(path).map_err(|e| NetworkError::io(path, e))?;
    parse(path, &text)
}

fn parse<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, NetworkError> {
    crate::ranges::check(text).map_err(|m| NetworkError::format(path, m))?;
    toml::from_str(text).map_err(|e| NetworkError::toml(path.to_path_buf(), text, &e))
}

/// The overlay files, by name, as [`Overlay::load`] reads them.
pub const FILES: [&str; 9] = [
    "sections.toml",
    "ferries.toml",
    "gauge.toml",
    "borders.toml",
    "terminals.toml",
    "airports.toml",
    "pipelines.toml",
    "links.toml",
    "groups.toml",
];

/// Checks one overlay file's text as its loader would (range check, then the file's
/// schema), without the rest of the directory: what the fuzz target drives.
pub fn check_file(name: &str, text: &str) -> Result<(), NetworkError> {
    let path = Path::new(name);
    match name {
        "sections.toml" => parse::<Sections>(path, text).map(drop),
        "ferries.toml" => parse::<Ferries>(path, text).map(drop),
        "gauge.toml" => parse::<GaugeFile>(path, text).map(drop),
        "borders.toml" => parse::<BordersFile>(path, text).map(drop),
        "terminals.toml" => parse::<TerminalsFile>(path, text).map(drop),
        "airports.toml" => parse::<AirportsFile>(path, text).map(drop),
        "pipelines.toml" => parse::<Pipelines>(path, text).map(drop),
        "links.toml" => parse::<Links>(path, text).map(drop),
        "groups.toml" => parse::<Groups>(path, text).map(drop),
        _ => Err(NetworkError::format(path, "not an overlay file")),
    }
}

#[derive(Deserialize)]
struct Ferries {
    #[serde(default)]
    ferry: Vec<Ferry>,
}
#[derive(Deserialize)]
struct Pipelines {
    #[serde(default)]
    pipeline: Vec<Pipeline>,
}
#[derive(Deserialize)]
struct Links {
    #[serde(default)]
    link: Vec<LinkEntry>,
}
/// A named section of a layer with its published length (`overlay/sections.toml`).
#[derive(Debug, Clone, Deserialize)]
pub struct Section {
    pub id: String,
    pub name: String,
    pub mode: String,
    pub from: Point,
    /// Points the section passes, in order: its path is not the shortest one between its
    /// ends when another road is shorter (the N-15 beside the Karakoram Highway).
    #[serde(default)]
    pub via: Vec<Point>,
    pub to: Point,
    pub length_km: Num,
    pub tolerance_pct: f64,
}

#[derive(Deserialize)]
struct Sections {
    #[serde(default)]
    section: Vec<Section>,
}

#[derive(Deserialize)]
struct Groups {
    group: BTreeMap<String, Group>,
}

impl Overlay {
    pub fn load(dir: &Path) -> Result<Overlay, NetworkError> {
        let o = dir.join("overlay");
        Ok(Overlay {
            sections: read::<Sections>(&o.join("sections.toml"))?.section,
            ferries: read::<Ferries>(&o.join("ferries.toml"))?.ferry,
            gauge: read(&o.join("gauge.toml"))?,
            borders: read(&o.join("borders.toml"))?,
            terminals: read(&o.join("terminals.toml"))?,
            airports: read(&o.join("airports.toml"))?,
            pipelines: read::<Pipelines>(&o.join("pipelines.toml"))?.pipeline,
            links: read::<Links>(&o.join("links.toml"))?.link,
            groups: read::<Groups>(&o.join("groups.toml"))?.group,
        })
    }
}

/// Paths of numeric values in a TOML document that have neither a `source` nor an
/// `assumption = true` on their own table or any enclosing one.
pub fn audit_sources(doc: &toml::Value) -> Vec<String> {
    fn covered(t: &toml::map::Map<String, toml::Value>) -> bool {
        t.get("source")
            .and_then(|s| s.as_str())
            .is_some_and(|s| !s.trim().is_empty())
            || t.get("assumption").and_then(|a| a.as_bool()) == Some(true)
    }
    fn walk(v: &toml::Value, path: String, ok: bool, out: &mut Vec<String>) {
        match v {
            toml::Value::Table(t) => {
                let ok = ok || covered(t);
                for (k, v) in t {
                    walk(v, format!("{path}.{k}"), ok, out);
                }
            }
            toml::Value::Array(a) => {
                for (i, v) in a.iter().enumerate() {
                    walk(v, format!("{path}[{i}]"), ok, out);
                }
            }
            toml::Value::Integer(_) | toml::Value::Float(_) if !ok => out.push(path),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(doc, String::new(), false, &mut out);
    out
}
