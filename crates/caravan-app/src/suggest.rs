//! Place autocomplete: names, alternate names, UN/LOCODEs and IATA codes by prefix, for the
//! map's search box and `/v1/places`. Each suggestion carries the query that `route`
//! resolves back to the same place, so choosing one never lands elsewhere.

use caravan_network::{normalize, Network, PlaceKind};
use serde::Serialize;

/// Suggestions returned at most.
pub const MAX_SUGGESTIONS: usize = 10;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Suggestion {
    /// What to show: "Kashgar (CN)", "Shanghai (CNSHA), port".
    pub label: String,
    /// What to send as origin or destination.
    pub query: String,
    pub kind: PlaceKind,
    pub country: String,
    pub lat: f64,
    pub lon: f64,
    /// Cities: population (ranks the suggestions).
    pub population: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Target {
    City(u32),
    Port(u32),
    Airport(u32),
}

/// Every key (normalised name or lower-case code) with its place and whether it is an
/// alternate name, sorted, so a prefix is a binary search and a scan of its range.
pub struct Index {
    keys: Vec<(String, Target, bool)>,
    /// Per city: does a larger city of the same name lie in the same country? "Name, CC"
    /// would resolve to that one, so such a city is suggested by its coordinates.
    shadowed: Vec<bool>,
}

impl Index {
    pub fn new(net: &Network) -> Index {
        let mut keys = Vec::new();
        for (i, c) in net.cities.iter().enumerate() {
            let t = Target::City(i as u32);
            keys.push((normalize(&c.name), t, false));
            for a in &c.alternates {
                keys.push((a.clone(), t, true));
            }
        }
        for (i, p) in net.ports.iter().enumerate() {
            let t = Target::Port(i as u32);
            keys.push((p.locode.to_ascii_lowercase(), t, false));
            keys.push((normalize(&p.name), t, false));
        }
        for (i, a) in net.airports.iter().enumerate() {
            keys.push((
                a.iata.to_ascii_lowercase(),
                Target::Airport(i as u32),
                false,
            ));
        }
        keys.retain(|(k, _, _)| !k.is_empty());
        keys.sort();
        keys.dedup();
        let mut largest: std::collections::HashMap<(String, caravan_network::CountryId), u32> =
            Default::default();
        for c in &net.cities {
            let e = largest.entry((normalize(&c.name), c.country)).or_insert(0);
            *e = (*e).max(c.population);
        }
        let shadowed = net
            .cities
            .iter()
            .map(|c| largest[&(normalize(&c.name), c.country)] > c.population)
            .collect();
        Index { keys, shadowed }
    }

    /// Up to `n` places whose name or code starts with `q`: exact matches of a name or
    /// code first (not of an alternate: "tashk" is an alternate of a village, and Tashkent
    /// is what the user means), then cities by population, then ports and airports.
    pub fn suggest(&self, net: &Network, q: &str, n: usize) -> Vec<Suggestion> {
        let key = normalize(q);
        if key.is_empty() {
            return Vec::new();
        }
        let start = self
            .keys
            .partition_point(|(k, _, _)| k.as_str() < key.as_str());
        let mut hits: Vec<(bool, Target)> = self.keys[start..]
            .iter()
            .take_while(|(k, _, _)| k.starts_with(&key))
            .map(|(k, t, alternate)| (*k == key && !alternate, *t))
            .collect();
        let rank = |&(exact, t): &(bool, Target)| {
            let pop = match t {
                Target::City(i) => net.cities[i as usize].population,
                _ => 0,
            };
            (std::cmp::Reverse(exact), std::cmp::Reverse(pop), t)
        };
        hits.sort_by_key(rank);
        let mut out: Vec<Suggestion> = Vec::new();
        let mut seen: Vec<Target> = Vec::new();
        for (_, t) in hits {
            if out.len() == n {
                break;
            }
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            out.push(self.describe(net, t));
        }
        out
    }

    fn describe(&self, net: &Network, t: Target) -> Suggestion {
        match t {
            Target::City(i) => {
                let c = &net.cities[i as usize];
                let cc = net.country_code(c.country);
                let query = if self.shadowed[i as usize] {
                    format!("{:.4},{:.4}", c.lat, c.lon)
                } else {
                    format!("{}, {cc}", c.name)
                };
                Suggestion {
                    label: format!("{} ({cc})", c.name),
                    query,
                    kind: PlaceKind::City,
                    country: cc.into(),
                    lat: c.lat as f64,
                    lon: c.lon as f64,
                    population: c.population,
                }
            }
            Target::Port(i) => {
                let p = &net.ports[i as usize];
                Suggestion {
                    label: format!("{} ({}), port", p.name, p.locode),
                    query: p.locode.clone(),
                    kind: PlaceKind::Port,
                    country: net.country_code(p.country).into(),
                    lat: p.lat as f64,
                    lon: p.lon as f64,
                    population: 0,
                }
            }
            Target::Airport(i) => {
                let a = &net.airports[i as usize];
                Suggestion {
                    label: format!("{} ({}), airport", a.name, a.iata),
                    query: a.iata.clone(),
                    kind: PlaceKind::Airport,
                    country: net.country_code(a.country).into(),
                    lat: a.lat as f64,
                    lon: a.lon as f64,
                    population: 0,
                }
            }
        }
    }
}
