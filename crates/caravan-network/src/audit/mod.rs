//! `caravan audit`: automatic checks of the embedded network for the classes of defect that
//! make answers absurd (a line that stops 3 km short of a junction, a border that a line
//! crosses twice in 10 km, a strait lane that dead-ends, a "seaport" 100 km inland, a city
//! no layer reaches, a mountain road drawn as one straight chord).
//!
//! Each check lists findings; a finding that is real (a closed border, a gauge gap, a
//! river without a bridge) is recorded once in `data/audit/reviewed.toml` with its reason
//! and source, so the audit stays clean without hiding anything: the report still counts
//! it, and `unreviewed` is what needs work.

mod borders;
mod chords;
mod coverage;
mod domestic;
mod gaps;
pub(crate) mod layer;
mod pairs;
mod ports;
mod reviewed;
mod sea;

use crate::model::{Mode, Network};
use crate::NetworkError;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

pub use reviewed::{Open, OpenEntry, Reviewed};

/// One defect (or one reviewed fact) at one place.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// The layer the finding is in (`rail`, `road`, `sea`, `air`, or `places`).
    pub layer: String,
    pub lat: f64,
    pub lon: f64,
    /// The other end, for findings between two points (a gap, a voyage).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<[f64; 2]>,
    /// Nearest well-known place, `Name, CC`.
    pub near: String,
    /// The two countries of a finding across a border (ISO codes), else empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<String>,
    /// What is wrong, in one sentence with its figures.
    pub what: String,
    /// Straight-line km of the defect (gap width, excursion length, chord length, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub km: Option<f64>,
    /// Network km where that is what the check measured (unreachable: absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network_km: Option<f64>,
    /// Of the largest city pairs of this layer (see `pairs.rs`), how many routes the defect
    /// lengthens (estimated: one defect mended at a time, layer km only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs_lengthened: Option<u32>,
    /// People in cities of 15,000+ within 50 km of the finding.
    pub population_served: u64,
    /// Why the finding is accepted as real, from `data/audit/reviewed.toml`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<String>,
    /// Not reviewed, and listed as a known open defect in `data/audit/open.toml`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub known_open: bool,
    #[serde(skip)]
    pub(crate) score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// What the check looks for and its thresholds.
    pub rule: String,
    pub findings: usize,
    pub unreviewed: usize,
    /// Of the unreviewed, those listed as known open defects (`data/audit/open.toml`);
    /// the rest are new.
    pub known_open: usize,
    /// Unreviewed findings first (new before known open), then by cost (pairs lengthened,
    /// population served).
    pub worst: Vec<Finding>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AuditReport {
    pub checks: BTreeMap<String, CheckReport>,
    /// Entries of `data/audit/open.toml` that match no finding any more (mended: remove
    /// them), for the checks that ran.
    pub stale_open: Vec<OpenEntry>,
}

impl AuditReport {
    pub fn unreviewed(&self) -> usize {
        self.checks.values().map(|c| c.unreviewed).sum()
    }

    /// Unreviewed findings that are not known open defects.
    pub fn new_findings(&self) -> usize {
        self.checks
            .values()
            .map(|c| c.unreviewed - c.known_open)
            .sum()
    }
}

/// The checks, in report order.
pub const CHECKS: [&str; 7] = [
    "gaps",
    "phantom_borders",
    "sea_connectivity",
    "ports",
    "coverage",
    "straight_chords",
    "domestic_rail",
];

/// Runs every check on `net`; `dir` is the data directory (reviewed list, countries).
/// `top` bounds the `worst` list of each check.
pub fn run(net: &Network, dir: &Path, top: usize) -> Result<AuditReport, NetworkError> {
    run_checks(net, dir, top, &CHECKS)
}

/// Runs the named checks only (names from [`CHECKS`]; unknown names are an error).
pub fn run_checks(
    net: &Network,
    dir: &Path,
    top: usize,
    only: &[&str],
) -> Result<AuditReport, NetworkError> {
    if let Some(bad) = only.iter().find(|c| !CHECKS.contains(c)) {
        return Err(NetworkError::format(
            dir,
            format!("unknown audit check '{bad}' (one of {})", CHECKS.join(", ")),
        ));
    }
    let wants = |c: &str| only.contains(&c);
    let reviewed = Reviewed::load(dir)?;
    let open = Open::load(dir)?;
    let countries = reviewed::iso_countries(dir)?;
    let ctx = Context::new(net, &countries);
    let overlay = crate::overlay::Overlay::load(dir)?;
    let mut raw: Vec<(&str, String, Vec<Finding>)> = Vec::new();
    let (rail, road) = (
        layer::Layer::new(net, Mode::Rail),
        layer::Layer::new(net, Mode::Road),
    );
    if wants("gaps") {
        let (rail_pairs, road_pairs) = rayon::join(
            || pairs::CityPairs::new(&ctx, &rail),
            || pairs::CityPairs::new(&ctx, &road),
        );
        let mut found = gaps::check(&ctx, &rail, &rail_pairs);
        found.extend(gaps::check(&ctx, &road, &road_pairs));
        raw.push(("gaps", gaps::rule(), found));
    }
    if wants("phantom_borders") {
        let mut found = borders::check(&ctx, &overlay, &rail);
        found.extend(borders::check(&ctx, &overlay, &road));
        raw.push(("phantom_borders", borders::rule(), found));
    }
    if wants("sea_connectivity") {
        raw.push(("sea_connectivity", sea::rule(), sea::check(&ctx)));
    }
    if wants("ports") {
        raw.push(("ports", ports::rule(), ports::check(&ctx)));
    }
    if wants("coverage") {
        raw.push(("coverage", coverage::rule(), coverage::check(&ctx, &road)));
    }
    if wants("domestic_rail") {
        raw.push((
            "domestic_rail",
            domestic::rule(),
            domestic::check(&ctx, &rail),
        ));
    }
    if wants("straight_chords") {
        let mut found = chords::check(&ctx, &rail, &overlay);
        found.extend(chords::check(&ctx, &road, &overlay));
        raw.push(("straight_chords", chords::rule(), found));
    }
    let mut checks = BTreeMap::new();
    let mut matched = vec![false; open.open.len()];
    for (name, rule, mut findings) in raw {
        for f in &mut findings {
            f.reviewed = reviewed.reason(name, f);
            if let Some(i) = open.position(name, f, &matched) {
                matched[i] = true;
                f.known_open = f.reviewed.is_none();
            }
        }
        findings.sort_by(|a, b| {
            a.reviewed
                .is_some()
                .cmp(&b.reviewed.is_some())
                .then(a.known_open.cmp(&b.known_open))
                .then(b.score.total_cmp(&a.score))
        });
        let unreviewed = findings.iter().filter(|f| f.reviewed.is_none()).count();
        let known_open = findings.iter().filter(|f| f.known_open).count();
        let n = findings.len();
        findings.truncate(top);
        checks.insert(
            name.to_string(),
            CheckReport {
                rule,
                findings: n,
                unreviewed,
                known_open,
                worst: findings,
            },
        );
    }
    let stale_open = (open.open.iter().zip(&matched))
        .filter(|(e, &m)| !m && only.contains(&e.check.as_str()))
        .map(|(e, _)| e.clone())
        .collect();
    Ok(AuditReport { checks, stale_open })
}

/// What every check needs: the network, real country codes, and names and population
/// around a point.
pub(crate) struct Context<'a> {
    pub net: &'a Network,
    /// ISO 3166-1 alpha-2 code → continent (GeoNames country info).
    pub iso: &'a BTreeMap<String, String>,
    cities: crate::spatial::SpatialIndex,
}

/// Radius for `population_served` (km).
const SERVED_KM: f64 = 50.0;

impl<'a> Context<'a> {
    fn new(net: &'a Network, iso: &'a BTreeMap<String, String>) -> Self {
        let cities = crate::spatial::SpatialIndex::new(
            net.cities
                .iter()
                .enumerate()
                .map(|(i, c)| (i as u32, c.lat as f64, c.lon as f64)),
        );
        Context { net, iso, cities }
    }

    /// Whether a country is in the audit's scope: Europe and Asia (GeoNames continents EU
    /// and AS), where caravan's corridors, scenarios and validation cases are. Elsewhere
    /// the layers serve as published (and as mended by the import's general rules).
    pub fn in_scope(&self, country: crate::model::CountryId) -> bool {
        matches!(
            self.iso
                .get(self.net.country_code(country))
                .map(String::as_str),
            Some("EU" | "AS")
        )
    }

    pub fn near(&self, lat: f64, lon: f64) -> String {
        match self.net.nearest_city(lat, lon, 80.0) {
            Some(c) => {
                let c = &self.net.cities[c];
                format!("{}, {}", c.name, self.net.country_code(c.country))
            }
            None => format!("{lat:.3},{lon:.3}"),
        }
    }

    pub fn population(&self, lat: f64, lon: f64) -> u64 {
        self.cities
            .within(lat, lon, SERVED_KM)
            .into_iter()
            .map(|(i, _)| self.net.cities[i as usize].population as u64)
            .sum()
    }

    /// Cities within `km` of a point: (index, km).
    pub fn cities_within(&self, lat: f64, lon: f64, km: f64) -> Vec<(u32, f64)> {
        self.cities.within(lat, lon, km)
    }

    /// A finding at a point, named and with its population.
    pub fn finding(&self, layer: Mode, lat: f64, lon: f64, what: String) -> Finding {
        Finding {
            layer: layer.as_str().to_string(),
            lat: round(lat, 4),
            lon: round(lon, 4),
            to: None,
            near: self.near(lat, lon),
            countries: Vec::new(),
            what,
            km: None,
            network_km: None,
            pairs_lengthened: None,
            population_served: self.population(lat, lon),
            reviewed: None,
            known_open: false,
            score: 0.0,
        }
    }
}

pub(crate) fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}
