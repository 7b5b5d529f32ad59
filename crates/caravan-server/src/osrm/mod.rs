//! OSRM v5 compatibility: the `route` and `table` services as OSRM documents them
//! (<https://project-osrm.org/docs/v5.24.0/api/>), so that clients written for OSRM
//! (routingpy, Leaflet Routing Machine, OSRM's own front end) work unmodified. Units are
//! OSRM's (metres, seconds); each caravan leg becomes a step, so a client drawing steps
//! draws the multimodal route; caravan's figures ride in a `caravan` object per route.

pub mod coordinates;
pub mod route;
pub mod shape;
pub mod table;

use crate::error::{OsrmCode, OsrmError};
use caravan_metric::ProfileSpec;
use std::collections::HashMap;
use utoipa::IntoParams;

/// The profiles served, and what each means in caravan's terms.
pub const PROFILES: [&str; 7] = [
    "fastest", "cheapest", "greenest", "balanced", "road", "rail", "sea",
];

/// A profile name to a caravan profile. OSRM's own names (`driving`, `car`) are the road
/// profile, since clients send them by default.
pub fn profile(name: &str) -> Result<ProfileSpec, OsrmError> {
    let (objective, modes): (&str, &[&str]) = match name {
        "fastest" => ("time", &[]),
        "cheapest" => ("cost", &[]),
        "greenest" => ("co2", &[]),
        "balanced" => ("balanced", &[]),
        "road" | "driving" | "car" | "truck" => ("time", &["road"]),
        "rail" => ("time", &["rail"]),
        "sea" => ("time", &["sea"]),
        other => {
            return Err(OsrmError::new(
                OsrmCode::InvalidOptions,
                format!(
                    "unknown profile '{}'; one of {}",
                    caravan_network::shown(other),
                    PROFILES.join(", ")
                ),
            ))
        }
    };
    Ok(ProfileSpec {
        cargo: Some("container".into()),
        objective: Some(objective.into()),
        modes: modes.iter().map(|m| m.to_string()).collect(),
        drivers: Some(1),
        ..ProfileSpec::default()
    })
}

/// Every profile, for warming the server at start.
pub fn all_profiles() -> Vec<ProfileSpec> {
    PROFILES.iter().filter_map(|p| profile(p).ok()).collect()
}

/// The query options of a service, by name, after their names were checked by the
/// service's parameter struct ([`RouteParams`], [`TableParams`]).
pub struct Options(pub HashMap<String, String>);

impl Options {
    /// Parses a raw query string (percent-decoded: routingpy sends `%3B` and `%2C`) and
    /// checks every name against `P`, whose fields are the options the service accepts
    /// (the same struct documents them in the OpenAPI contract).
    pub fn parse<P: serde::de::DeserializeOwned>(raw: Option<&str>) -> Result<Options, OsrmError> {
        let mut map = HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            map.insert(k.into_owned(), v.into_owned());
        }
        let as_json: serde_json::Map<String, serde_json::Value> = map
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        serde_json::from_value::<P>(serde_json::Value::Object(as_json))
            .map_err(|e| OsrmError::new(OsrmCode::InvalidOptions, e.to_string()))?;
        Ok(Options(map))
    }

    pub fn get(&self, k: &str) -> Option<&str> {
        self.0.get(k).map(String::as_str)
    }

    pub fn flag(&self, k: &str, default: bool) -> Result<bool, OsrmError> {
        match self.get(k) {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(v) => Err(invalid_value(k, v, "true or false")),
        }
    }

    /// A per-coordinate list (`a;b;;c`): empty elements allowed, one per coordinate.
    pub fn per_coordinate(&self, k: &str, n: usize) -> Result<Option<Vec<String>>, OsrmError> {
        let Some(v) = self.get(k) else {
            return Ok(None);
        };
        let parts: Vec<String> = v.split(';').map(str::to_string).collect();
        if parts.len() != n {
            return Err(OsrmError::new(
                OsrmCode::InvalidOptions,
                format!("{k}: {} elements for {n} coordinates", parts.len()),
            ));
        }
        Ok(Some(parts))
    }
}

pub fn invalid_value(k: &str, v: &str, expected: &str) -> OsrmError {
    OsrmError::new(
        OsrmCode::InvalidValue,
        format!(
            "{k}: '{}' is not valid; expected {expected}",
            caravan_network::shown(v)
        ),
    )
}

/// Per-coordinate options clients send: accepted and checked for shape; caravan snaps
/// every coordinate to its network by its own rules, so their values change nothing.
pub fn check_per_coordinate(o: &Options, n: usize) -> Result<(), OsrmError> {
    if let Some(r) = o.per_coordinate("radiuses", n)? {
        for v in r.iter().filter(|v| !v.is_empty() && *v != "unlimited") {
            if !v.parse::<f64>().is_ok_and(|x| x.is_finite() && x >= 0.0) {
                return Err(invalid_value(
                    "radiuses",
                    v,
                    "a distance in metres or 'unlimited'",
                ));
            }
        }
    }
    if let Some(b) = o.per_coordinate("bearings", n)? {
        for v in b.iter().filter(|v| !v.is_empty()) {
            let ok = v.split_once(',').is_some_and(|(a, r)| {
                a.parse::<u16>().is_ok_and(|a| a <= 360) && r.parse::<u16>().is_ok_and(|r| r <= 180)
            });
            if !ok {
                return Err(invalid_value("bearings", v, "value,range (0–360,0–180)"));
            }
        }
    }
    if let Some(a) = o.per_coordinate("approaches", n)? {
        for v in a.iter().filter(|v| !v.is_empty()) {
            if !matches!(v.as_str(), "curb" | "unrestricted" | "opposite") {
                return Err(invalid_value(
                    "approaches",
                    v,
                    "curb, unrestricted or opposite",
                ));
            }
        }
    }
    o.per_coordinate("hints", n)?;
    Ok(())
}

/// The options of the `route` service (all text, as OSRM takes them).
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)] // the fields name the accepted options; values are read by name
pub struct RouteParams {
    /// false (default), true, or the number of alternatives (0–9); two coordinates only
    alternatives: Option<String>,
    /// Return a step per leg and event (true/false)
    steps: Option<String>,
    /// true, false, or distance,duration,speed,weight (nodes and datasources accepted, not given)
    annotations: Option<String>,
    /// polyline (default), polyline6 or geojson
    geometries: Option<String>,
    /// simplified (default), full or false
    overview: Option<String>,
    /// Accepted: true, false or default
    continue_straight: Option<String>,
    /// Per coordinate (;-separated, empty allowed): metres or unlimited. Accepted; caravan snaps by its own rules
    radiuses: Option<String>,
    /// Per coordinate: value,range. Accepted, not used
    bearings: Option<String>,
    /// Per coordinate: hints from an earlier response. Accepted, not used
    hints: Option<String>,
    /// Per coordinate: curb, unrestricted or opposite. Accepted, not used
    approaches: Option<String>,
    /// Accepted, not used
    exclude: Option<String>,
    /// default or any
    snapping: Option<String>,
    /// true (default) or false
    generate_hints: Option<String>,
    /// true or false (default): leave out waypoints
    skip_waypoints: Option<String>,
    /// Indices of the coordinates that are waypoints: every one (caravan has no via points)
    waypoints: Option<String>,
}

/// The options of the `table` service.
#[derive(Debug, Default, serde::Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct TableParams {
    /// Indices of the source coordinates (;-separated) or all (default)
    sources: Option<String>,
    /// Indices of the destination coordinates or all (default)
    destinations: Option<String>,
    /// duration (default), distance, or duration,distance
    annotations: Option<String>,
    /// Accepted (a number above 0), not used: unreachable cells are null
    fallback_speed: Option<String>,
    /// input or snapped
    fallback_coordinate: Option<String>,
    /// Durations multiplied by this (above 0)
    scale_factor: Option<String>,
    radiuses: Option<String>,
    bearings: Option<String>,
    hints: Option<String>,
    approaches: Option<String>,
    generate_hints: Option<String>,
}
