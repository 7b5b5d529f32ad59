//! Country groups (data/overlay/groups.toml) with the shares they are quoted by: of
//! Eurasia's land area and of the world's population, computed from the country table
//! that ships in data/ (places/countries.csv, GeoNames countryInfo) rather than taken
//! from a press release.

use serde::Serialize;
use std::path::Path;

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub code: String,
    pub name: String,
    pub continent: String,
    pub population: u64,
    pub area_km2: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub group: String,
    pub name: String,
    pub as_of: Option<String>,
    pub source: Option<String>,
    pub members: Vec<Member>,
    pub area_km2: f64,
    pub population: u64,
    /// Members' area / the area of every country GeoNames puts in Europe or Asia.
    pub eurasia_area_share: f64,
    /// Members' population / the population of every country in the table.
    pub world_population_share: f64,
    pub method: String,
}

#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error("{path}: {message}")]
    Data { path: String, message: String },
    #[error("unknown group '{0}'; valid: {1}")]
    Unknown(String, String),
}

struct Country {
    code: String,
    name: String,
    continent: String,
    population: u64,
    area_km2: f64,
}

fn countries(data: &Path) -> Result<Vec<Country>, GroupError> {
    let path = data.join("places/countries.csv");
    let bad = |m: String| GroupError::Data {
        path: path.display().to_string(),
        message: m,
    };
    let mut r = csv::Reader::from_path(&path).map_err(|e| bad(e.to_string()))?;
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| bad(e.to_string()))?;
        let f = |i: usize| rec.get(i).unwrap_or_default().trim().to_string();
        out.push(Country {
            code: f(0),
            name: f(2),
            continent: f(3),
            population: f(4).parse().unwrap_or(0),
            area_km2: f(5).parse().unwrap_or(0.0),
        });
    }
    Ok(out)
}

/// Every group, or the one named (case-insensitive).
pub fn groups(data: &Path, only: Option<&str>) -> Result<Vec<Group>, GroupError> {
    let path = data.join("overlay/groups.toml");
    let bad = |m: String| GroupError::Data {
        path: path.display().to_string(),
        message: m,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
    let doc: toml::Value = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let table = doc
        .get("group")
        .and_then(|g| g.as_table())
        .ok_or_else(|| bad("no [group.*] tables".into()))?;
    let all = countries(data)?;
    let eurasia: f64 = all
        .iter()
        .filter(|c| c.continent == "EU" || c.continent == "AS")
        .map(|c| c.area_km2)
        .sum();
    let world: u64 = all.iter().map(|c| c.population).sum();
    if let Some(n) = only {
        if !table.keys().any(|k| k.eq_ignore_ascii_case(n)) {
            let names: Vec<&str> = table.keys().map(String::as_str).collect();
            return Err(GroupError::Unknown(n.to_string(), names.join(", ")));
        }
    }
    let mut out = Vec::new();
    for (key, g) in table {
        if only.is_some_and(|n| !key.eq_ignore_ascii_case(n)) {
            continue;
        }
        let s = |k: &str| g.get(k).and_then(|v| v.as_str()).map(str::to_string);
        let codes: Vec<&str> = g
            .get("members")
            .and_then(|m| m.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
            .unwrap_or_default();
        let mut members = Vec::new();
        for code in codes {
            let c = all.iter().find(|c| c.code == code).ok_or_else(|| {
                bad(format!(
                    "group {key}: {code} is not in places/countries.csv"
                ))
            })?;
            members.push(Member {
                code: c.code.clone(),
                name: c.name.clone(),
                continent: c.continent.clone(),
                population: c.population,
                area_km2: c.area_km2,
            });
        }
        let area: f64 = members.iter().map(|m| m.area_km2).sum();
        let eurasian: f64 = members
            .iter()
            .filter(|m| m.continent == "EU" || m.continent == "AS")
            .map(|m| m.area_km2)
            .sum();
        let population: u64 = members.iter().map(|m| m.population).sum();
        let round = |x: f64| (x * 1000.0).round() / 1000.0;
        out.push(Group {
            group: key.clone(),
            name: s("name").unwrap_or_else(|| key.clone()),
            as_of: s("as_of"),
            source: s("source"),
            area_km2: area,
            population,
            eurasia_area_share: round(eurasian / eurasia.max(1.0)),
            world_population_share: round(population as f64 / world.max(1) as f64),
            method: format!(
                "GeoNames countryInfo as shipped in data/places/countries.csv: Eurasia = every country GeoNames assigns to Europe or Asia (whole national territory, {eurasia:.0} km², Russia and Türkiye included in full, Egypt's Sinai excluded); world = the sum over all {} countries and territories ({world} people); population figures are GeoNames' (about 2018), not a current census",
                all.len()
            ),
            members,
        });
    }
    Ok(out)
}
