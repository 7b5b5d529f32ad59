//! The reviewed list (`data/audit/reviewed.toml`): findings accepted as real, each with the
//! reason and a source, matched to a finding by check, layer and position.

use super::Finding;
use crate::geo::haversine_km;
use crate::io::read_csv;
use crate::NetworkError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// A reviewed entry matches a finding whose point (or other end) lies this close (km):
/// coordinates in the list are rounded, and a re-import may move a node by a vertex.
const MATCH_KM: f64 = 5.0;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub check: String,
    pub layer: String,
    /// The finding's point; or, instead, `countries`.
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// A border: the entry covers every finding of this check and layer across the
    /// border between these two countries (a border closed along its whole length is one
    /// fact, recorded once).
    #[serde(default)]
    pub countries: Option<[String; 2]>,
    pub reason: String,
    pub source: String,
    /// The other end, for findings between two points that only this pair makes (a
    /// voyage): then both ends must match, in either order.
    #[serde(default)]
    pub to: Option<[f64; 2]>,
    /// Who or what the entry names (for the human reader; not matched).
    #[serde(default)]
    pub near: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reviewed {
    #[serde(default)]
    pub reviewed: Vec<Entry>,
}

impl Reviewed {
    pub fn load(dir: &Path) -> Result<Reviewed, NetworkError> {
        let path = dir.join("audit/reviewed.toml");
        if !path.exists() {
            return Ok(Reviewed::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| NetworkError::io(&path, e))?;
        let r: Reviewed =
            toml::from_str(&text).map_err(|e| NetworkError::toml(path.clone(), &text, &e))?;
        for e in &r.reviewed {
            if e.countries.is_none() && (e.lat.is_none() || e.lon.is_none()) {
                return Err(NetworkError::format(
                    &path,
                    format!(
                        "reviewed entry '{}': give lat and lon, or countries",
                        e.reason
                    ),
                ));
            }
            if !super::CHECKS.contains(&e.check.as_str()) {
                return Err(NetworkError::format(
                    &path,
                    format!(
                        "reviewed entry '{}': unknown check '{}' (one of {})",
                        e.reason,
                        e.check,
                        super::CHECKS.join(", ")
                    ),
                ));
            }
            if e.reason.trim().is_empty() || e.source.trim().is_empty() {
                return Err(NetworkError::format(
                    &path,
                    format!(
                        "reviewed entry at {:?},{:?}: reason and source must not be empty",
                        e.lat, e.lon
                    ),
                ));
            }
        }
        Ok(r)
    }

    pub fn reason(&self, check: &str, f: &Finding) -> Option<String> {
        let close =
            |lat: f64, lon: f64, p: [f64; 2]| haversine_km(lat, lon, p[0], p[1]) <= MATCH_KM;
        let matches = |e: &Entry| {
            if let Some(pair) = &e.countries {
                let mut want = [pair[0].as_str(), pair[1].as_str()];
                want.sort_unstable();
                let mut got: Vec<&str> = f.countries.iter().map(String::as_str).collect();
                got.sort_unstable();
                return got == want;
            }
            let (Some(lat), Some(lon)) = (e.lat, e.lon) else {
                return false;
            };
            let here = [lat, lon];
            match (e.to, f.to) {
                (Some(there), Some(t)) => {
                    (close(f.lat, f.lon, here) && close(t[0], t[1], there))
                        || (close(f.lat, f.lon, there) && close(t[0], t[1], here))
                }
                (Some(_), None) => false,
                (None, _) => {
                    close(f.lat, f.lon, here) || f.to.is_some_and(|t| close(t[0], t[1], here))
                }
            }
        };
        self.reviewed
            .iter()
            .find(|e| e.check == check && e.layer == f.layer && matches(e))
            .map(|e| format!("{} ({})", e.reason, e.source))
    }
}

/// A known defect not mended yet (`data/audit/open.toml`): listed so that the test can tell
/// a new defect from a known one, and so that a mended one must leave the list. It never
/// counts as reviewed.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct OpenEntry {
    pub check: String,
    pub layer: String,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub to: Option<[f64; 2]>,
    #[serde(default)]
    pub near: Option<String>,
    /// The finding as the audit wrote it when it was listed.
    pub what: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Open {
    /// Where the list came from (the audit run that generated it).
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub open: Vec<OpenEntry>,
}

impl Open {
    pub fn load(dir: &Path) -> Result<Open, NetworkError> {
        let path = dir.join("audit/open.toml");
        if !path.exists() {
            return Ok(Open::default());
        }
        let text = std::fs::read_to_string(&path).map_err(|e| NetworkError::io(&path, e))?;
        toml::from_str(&text).map_err(|e| NetworkError::toml(path.clone(), &text, &e))
    }

    /// Index of the open entry a finding is, if any: one not yet `claimed` by another
    /// finding when there is one (two findings a few km apart are two entries).
    pub fn position(&self, check: &str, f: &Finding, claimed: &[bool]) -> Option<usize> {
        let close =
            |lat: f64, lon: f64, p: [f64; 2]| haversine_km(lat, lon, p[0], p[1]) <= MATCH_KM;
        let matches = |e: &OpenEntry| {
            e.check == check
                && e.layer == f.layer
                && close(f.lat, f.lon, [e.lat, e.lon])
                && match (e.to, f.to) {
                    (Some(a), Some(b)) => close(b[0], b[1], a),
                    _ => true,
                }
        };
        let mut all: Vec<usize> = (0..self.open.len())
            .filter(|&i| matches(&self.open[i]))
            .collect();
        let d = |i: usize| haversine_km(f.lat, f.lon, self.open[i].lat, self.open[i].lon);
        all.sort_by(|&a, &b| d(a).total_cmp(&d(b)));
        all.iter()
            .copied()
            .find(|&i| !claimed[i])
            .or(all.first().copied())
    }
}

/// Real ISO 3166-1 alpha-2 codes and their continent, from `places/countries.csv`.
pub(crate) fn iso_countries(dir: &Path) -> Result<BTreeMap<String, String>, NetworkError> {
    let p = dir.join("places/countries.csv");
    Ok(read_csv(
        &p,
        &[
            "iso2",
            "iso3",
            "name",
            "continent",
            "population",
            "area_km2",
        ],
    )?
    .into_iter()
    .map(|r| {
        (
            r.get(0).unwrap_or("").to_string(),
            r.get(3).unwrap_or("").to_string(),
        )
    })
    .collect())
}
