//! Place resolution: city names with alternates and fuzzy matching, `lat,lon`, UN/LOCODE
//! and IATA codes. Ambiguous names pick the most populous city and say so.

use crate::model::{Network, NONE};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    City,
    Port,
    Airport,
    Coordinates,
}

/// A resolved place.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Place {
    pub query: String,
    pub name: String,
    pub kind: PlaceKind,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// Set when the name matched several places: what was chosen and what else matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Index into [`Network::ports`] / [`Network::airports`] for code matches.
    #[serde(skip)]
    pub index: u32,
}

/// Cities by name, in city order (so that ties resolve as a scan would).
#[derive(Debug, Default)]
pub struct NameIndex {
    primary: std::collections::HashMap<String, Vec<u32>>,
    alternate: std::collections::HashMap<String, Vec<u32>>,
}

/// The longest place query accepted (bytes). The longest city name in the gazetteer is
/// well under 100 characters; beyond this a query is a mistake (a pasted file), and fuzzy
/// matching it would take minutes.
pub const MAX_QUERY_BYTES: usize = 200;

#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum PlaceError {
    #[error("unknown place '{}'{}", shown(.query), suggest(.candidates))]
    Unknown {
        query: String,
        candidates: Vec<String>,
    },
    #[error(
        "bad coordinates '{}': {reason} (use 'lat,lon' in decimal degrees, e.g. 39.47,75.99)",
        shown(.query)
    )]
    BadCoordinates { query: String, reason: String },
    #[error("place name '{}' is {bytes} bytes long; at most {MAX_QUERY_BYTES} are accepted", shown(.query))]
    TooLong { query: String, bytes: usize },
    #[error("empty place name: give a city, 'lat,lon', a UN/LOCODE or an IATA code")]
    Empty,
}

/// A user's text as a message shows it: control characters escaped (a name must not move
/// the cursor or recolour the terminal), and cut to 60 characters.
pub fn shown(q: &str) -> String {
    let mut out = String::new();
    for (i, c) in q.chars().enumerate() {
        if i == 60 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

fn suggest(c: &[String]) -> String {
    if c.is_empty() {
        String::new()
    } else {
        format!("; did you mean: {}?", c.join(", "))
    }
}

/// Folds a name to ASCII lower-case alphanumerics: "Xi’an" and "Xian" both become "xian",
/// "Łódź" becomes "lodz".
pub fn normalize(s: &str) -> String {
    deunicode::deunicode(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// `Some` when the query is shaped as two numbers (`lat,lon`): their values, or why they
/// are not coordinates. `None` for anything else ("Tallinn, EE" is a name and a code).
pub fn parse_coordinates(q: &str) -> Option<Result<(f64, f64), String>> {
    let parts: Vec<&str> = q.split(',').map(str::trim).collect();
    if parts.len() != 2 {
        return None;
    }
    let (Ok(lat), Ok(lon)) = (parts[0].parse::<f64>(), parts[1].parse::<f64>()) else {
        // Looks like coordinates only if both sides are numeric-ish.
        // ("EE" is all exponent letters: a country code, not a number.)
        let numeric = |s: &str| {
            s.chars().any(|c| c.is_ascii_digit())
                && s.chars().all(|c| c.is_ascii_digit() || ".-+eE".contains(c))
        };
        return (numeric(parts[0]) || numeric(parts[1])).then(|| Err("not a number".into()));
    };
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Some(Err(format!("latitude {lat} is outside -90..90")));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Some(Err(format!("longitude {lon} is outside -180..180")));
    }
    Some(Ok((lat, lon)))
}

impl Network {
    pub fn resolve_place(&self, query: &str) -> Result<Place, PlaceError> {
        // A byte-order mark that a spreadsheet left on the first line of a file.
        let q = query.trim().trim_start_matches('\u{feff}').trim();
        if q.len() > MAX_QUERY_BYTES {
            let cut = q.char_indices().nth(80).map_or(q.len(), |(i, _)| i);
            return Err(PlaceError::TooLong {
                query: q[..cut].to_string(),
                bytes: q.len(),
            });
        }
        if q.is_empty() {
            return Err(PlaceError::Empty);
        }
        if let Some(r) = parse_coordinates(q) {
            let (lat, lon) = r.map_err(|reason| PlaceError::BadCoordinates {
                query: q.to_string(),
                reason,
            })?;
            return Ok(Place {
                query: q.into(),
                name: format!("{lat:.4},{lon:.4}"),
                kind: PlaceKind::Coordinates,
                country: self
                    .nearest_city(lat, lon, 50.0)
                    .map(|c| self.country_code(self.cities[c].country).to_string())
                    .unwrap_or_default(),
                lat,
                lon,
                note: None,
                index: NONE,
            });
        }
        if q.len() == 5
            && q.chars().all(|c| c.is_ascii_alphanumeric())
            && q.chars().take(2).all(|c| c.is_ascii_uppercase())
        {
            if let Some((i, p)) = self.ports.iter().enumerate().find(|(_, p)| p.locode == q) {
                return Ok(Place {
                    query: q.into(),
                    name: format!("{} ({})", p.name, p.locode),
                    kind: PlaceKind::Port,
                    country: self.country_code(p.country).into(),
                    lat: p.lat as f64,
                    lon: p.lon as f64,
                    note: None,
                    index: i as u32,
                });
            }
        }
        if q.len() == 3 && q.chars().all(|c| c.is_ascii_uppercase()) {
            if let Some((i, a)) = self.airports.iter().enumerate().find(|(_, a)| a.iata == q) {
                return Ok(Place {
                    query: q.into(),
                    name: format!("{} ({})", a.name, a.iata),
                    kind: PlaceKind::Airport,
                    country: self.country_code(a.country).into(),
                    lat: a.lat as f64,
                    lon: a.lon as f64,
                    note: None,
                    index: i as u32,
                });
            }
        }
        // "Brest, BY" or "Brest BY": an optional country qualifier.
        let (name_part, want_country) = match q.rsplit_once([',', ' ']) {
            Some((n, c))
                if c.trim().len() == 2
                    && self.country_id(c.trim()).is_some()
                    && !n.trim().is_empty() =>
            {
                (
                    n.trim().trim_end_matches(',').trim_end(),
                    self.country_id(c.trim()),
                )
            }
            _ => (q, None),
        };
        let key = normalize(name_part);
        if key.is_empty() {
            return Err(PlaceError::Unknown {
                query: q.into(),
                candidates: vec![],
            });
        }
        let in_country = |c: &crate::City| want_country.is_none_or(|w| w == c.country);
        let names = self.name_index();
        if let Some(&(_, i)) = self
            .aliases
            .iter()
            .find(|(a, i)| *a == key && in_country(&self.cities[*i as usize]))
        {
            return Ok(self.city_place(i as usize, q, None));
        }
        // Primary names beat alternates: "Kashi" is an alternate of both Kashgar and
        // Varanasi, but a city whose own name matches always wins.
        let of = |m: &std::collections::HashMap<String, Vec<u32>>| -> Vec<usize> {
            m.get(&key)
                .map(|v| {
                    v.iter()
                        .map(|&i| i as usize)
                        .filter(|&i| in_country(&self.cities[i]))
                        .collect()
                })
                .unwrap_or_default()
        };
        let primary = of(&names.primary);
        let matches = if primary.is_empty() {
            of(&names.alternate)
        } else {
            primary
        };
        if let Some(&best) = matches.iter().max_by_key(|&&i| self.cities[i].population) {
            let c = &self.cities[best];
            let note = (matches.len() > 1).then(|| {
                let others: Vec<usize> =
                    matches.iter().copied().filter(|&i| i != best).take(4).collect();
                let listed: Vec<String> = others
                    .iter()
                    .map(|&i| {
                        let o = &self.cities[i];
                        format!("{} ({}, {:.2},{:.2})", o.name, self.country_code(o.country), o.lat, o.lon)
                    })
                    .collect();
                // A country code picks another only if it names another country; else the
                // other's coordinates do.
                let other = &self.cities[others[0]];
                let pick = if other.country != c.country {
                    format!("'{name_part}, {}'", self.country_code(other.country))
                } else {
                    format!("'{:.2},{:.2}'", other.lat, other.lon)
                };
                format!(
                    "'{}' is ambiguous: chose {} ({}, population {}); also {}. To pick another, give e.g. {pick}",
                    shown(q),
                    c.name,
                    self.country_code(c.country),
                    c.population,
                    listed.join(", "),
                )
            });
            return Ok(self.city_place(best, q, note));
        }
        Err(PlaceError::Unknown {
            query: q.into(),
            candidates: self.fuzzy_candidates(&key, 5),
        })
    }

    fn name_index(&self) -> &NameIndex {
        self.name_index.get_or_init(|| {
            let mut idx = NameIndex::default();
            for (i, c) in self.cities.iter().enumerate() {
                idx.primary
                    .entry(normalize(&c.name))
                    .or_default()
                    .push(i as u32);
                for a in &c.alternates {
                    let v = idx.alternate.entry(a.clone()).or_default();
                    if v.last() != Some(&(i as u32)) {
                        v.push(i as u32);
                    }
                }
            }
            std::sync::Arc::new(idx)
        })
    }

    fn city_place(&self, i: usize, query: &str, note: Option<String>) -> Place {
        let c = &self.cities[i];
        Place {
            query: query.into(),
            name: c.name.clone(),
            kind: PlaceKind::City,
            country: self.country_code(c.country).into(),
            lat: c.lat as f64,
            lon: c.lon as f64,
            note,
            index: i as u32,
        }
    }

    /// Closest names by Jaro–Winkler similarity, weighting population to break near-ties.
    fn fuzzy_candidates(&self, key: &str, n: usize) -> Vec<String> {
        let mut scored: Vec<(f64, usize)> = self
            .cities
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let s = std::iter::once(normalize(&c.name))
                    .chain(c.alternates.iter().cloned())
                    .map(|a| strsim::jaro_winkler(key, &a))
                    .fold(0.0, f64::max);
                (s + (c.population as f64 + 1.0).log10() * 0.004, i)
            })
            .filter(|(s, _)| *s > 0.8)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut out: Vec<String> = Vec::new();
        for (_, i) in scored {
            let c = &self.cities[i];
            let label = format!("{} ({})", c.name, self.country_code(c.country));
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }

    /// The city naming a node (precomputed; see [`Network::node_city`]).
    pub fn node_city(&self, node: u32) -> Option<usize> {
        let c = self.node_city[node as usize];
        (c != crate::NONE).then_some(c as usize)
    }

    /// The most populous city within `radius_km`, discounted by distance; for naming points.
    pub fn nearest_city(&self, lat: f64, lon: f64, radius_km: f64) -> Option<usize> {
        let index = self.city_index.get_or_init(|| {
            std::sync::Arc::new(crate::spatial::CityIndex {
                points: crate::spatial::SpatialIndex::new(
                    self.cities
                        .iter()
                        .enumerate()
                        .map(|(i, c)| (i as u32, c.lat as f64, c.lon as f64)),
                ),
                // Named once here: every leg end asks, often among hundreds of towns.
                log_population: self
                    .cities
                    .iter()
                    .map(|c| (c.population as f64 + 10.0).ln())
                    .collect(),
            })
        });
        // The best-known town near the point, not merely the closest hamlet.
        index
            .points
            .within(lat, lon, radius_km)
            .into_iter()
            .map(|(i, d)| (index.log_population[i as usize] - d / 10.0, i))
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, i)| i as usize)
    }
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.country.is_empty() {
            write!(f, "{}", self.name)
        } else {
            write!(f, "{} ({})", self.name, self.country)
        }
    }
}
