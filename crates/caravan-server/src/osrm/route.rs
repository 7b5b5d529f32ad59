//! OSRM `route`: the best route (and alternatives) through the coordinates in order.

use super::shape::{bearing, metres, simplified, Geometries};
use super::{check_per_coordinate, invalid_value, Options};
use crate::error::{OsrmCode, OsrmError};
use crate::state::AppState;
use caravan_app::plan::PlannedRoute;
use caravan_app::{PlanError, Request};
use serde_json::{json, Value};

#[derive(Clone, Copy, PartialEq)]
enum Overview {
    Simplified,
    Full,
    False,
}

struct Asked {
    alternatives: usize,
    steps: bool,
    annotations: Vec<&'static str>,
    geometries: Geometries,
    overview: Overview,
    skip_waypoints: bool,
}

fn asked(o: &Options, n: usize) -> Result<Asked, OsrmError> {
    check_per_coordinate(o, n)?;
    let alternatives = match o.get("alternatives") {
        None | Some("false") => 0,
        Some("true") => 1,
        Some(v) => match v.parse::<usize>() {
            Ok(k) if k <= 9 => k,
            _ => {
                return Err(invalid_value(
                    "alternatives",
                    v,
                    "true, false or a number 0–9",
                ))
            }
        },
    };
    let annotations = match o.get("annotations") {
        None | Some("false") => vec![],
        Some("true") => vec!["distance", "duration", "speed", "weight"],
        Some(v) => {
            let mut out = Vec::new();
            for a in v.split(',') {
                match a {
                    "distance" | "duration" | "speed" | "weight" | "nodes" | "datasources" => {
                        // caravan has no OSM node ids; nodes and datasources are accepted and
                        // left out, as OSRM leaves out what a dataset lacks.
                        if let Some(&k) = ["distance", "duration", "speed", "weight"]
                            .iter()
                            .find(|k| **k == a)
                        {
                            out.push(k);
                        }
                    }
                    _ => {
                        return Err(invalid_value(
                            "annotations",
                            a,
                            "true, false or distance,duration,speed,weight,nodes,datasources",
                        ))
                    }
                }
            }
            out
        }
    };
    let overview = match o.get("overview") {
        None | Some("simplified") => Overview::Simplified,
        Some("full") => Overview::Full,
        Some("false") => Overview::False,
        Some(v) => return Err(invalid_value("overview", v, "simplified, full or false")),
    };
    if let Some(v) = o.get("continue_straight") {
        if !matches!(v, "true" | "false" | "default") {
            return Err(invalid_value(
                "continue_straight",
                v,
                "true, false or default",
            ));
        }
    }
    if let Some(v) = o.get("snapping") {
        if !matches!(v, "default" | "any") {
            return Err(invalid_value("snapping", v, "default or any"));
        }
    }
    if let Some(v) = o.get("waypoints") {
        // Only all coordinates as waypoints: caravan has no pass-through via points.
        let all: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        if v.split(';').collect::<Vec<_>>() != all.iter().map(String::as_str).collect::<Vec<_>>() {
            return Err(OsrmError::new(
                OsrmCode::InvalidOptions,
                "waypoints: caravan routes through every coordinate as a waypoint",
            ));
        }
    }
    o.flag("generate_hints", true)?;
    Ok(Asked {
        alternatives: if n == 2 { alternatives } else { 0 },
        steps: o.flag("steps", false)?,
        annotations,
        geometries: Geometries::parse(o.get("geometries"))?,
        overview,
        skip_waypoints: o.flag("skip_waypoints", false)?,
    })
}

/// The OSRM route response for these (lon, lat) coordinates.
pub fn answer(
    state: &AppState,
    profile: &str,
    coords: &[(f64, f64)],
    options: Options,
) -> Result<Value, OsrmError> {
    let spec = super::profile(profile)?;
    if coords.len() > state.limits.max_route_coordinates {
        return Err(OsrmError::new(
            OsrmCode::TooBig,
            format!(
                "{} coordinates; at most {}",
                coords.len(),
                state.limits.max_route_coordinates
            ),
        ));
    }
    let a = asked(&options, coords.len())?;
    let mut legs_plans: Vec<Vec<PlannedRoute>> = Vec::new();
    for pair in coords.windows(2) {
        let req = Request {
            origin: format!("{},{}", pair[0].1, pair[0].0),
            destination: format!("{},{}", pair[1].1, pair[1].0),
            profile: spec.clone(),
            alternatives: 1 + a.alternatives,
            geometry: true,
        };
        match state.engine.plan(&req) {
            Ok(plan) => legs_plans.push(plan.routes),
            Err(PlanError::NoRoute(m)) => return Err(OsrmError::new(OsrmCode::NoRoute, m)),
            Err(PlanError::OutOfReach(m)) => return Err(OsrmError::new(OsrmCode::NoSegment, m)),
            Err(PlanError::Place(e)) => {
                return Err(OsrmError::new(OsrmCode::NoSegment, e.to_string()))
            }
            Err(e @ PlanError::Profile(_)) => {
                return Err(OsrmError::new(OsrmCode::InvalidOptions, e.to_string()))
            }
            Err(e) => return Err(OsrmError::new(OsrmCode::NoRoute, e.to_string())),
        }
    }
    let weight_name = spec.objective.clone().unwrap_or_default();
    let n_routes = if coords.len() == 2 {
        legs_plans[0].len()
    } else {
        1
    };
    let routes: Vec<Value> = (0..n_routes)
        .map(|i| {
            let legs: Vec<&PlannedRoute> = legs_plans
                .iter()
                .map(|alts| &alts[if coords.len() == 2 { i } else { 0 }])
                .collect();
            route_json(&legs, &a, &weight_name)
        })
        .collect();
    let mut out = json!({ "code": "Ok", "routes": routes });
    if !a.skip_waypoints {
        out["waypoints"] = Value::Array(waypoints(coords, &legs_plans));
    }
    Ok(out)
}

/// Where each coordinate met the network: the start of the first leg from it (the end of
/// the last leg into it, for the final one).
pub fn waypoints(coords: &[(f64, f64)], legs: &[Vec<PlannedRoute>]) -> Vec<Value> {
    coords
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let (snapped, name) = if i < legs.len() {
                let r = &legs[i][0].route;
                let first = r.legs.first();
                (
                    first.and_then(|l| lonlat(l).first().copied()),
                    first.map(|l| l.from.clone()),
                )
            } else {
                let r = &legs[i - 1][0].route;
                let last = r.legs.last();
                (
                    last.and_then(|l| lonlat(l).last().copied()),
                    last.map(|l| l.to.clone()),
                )
            };
            let at = snapped.unwrap_or(c);
            json!({
                "hint": "",
                "distance": round1(metres(c, at)),
                "name": name.unwrap_or_default(),
                "location": [round6(at.0), round6(at.1)],
            })
        })
        .collect()
}

fn route_json(legs: &[&PlannedRoute], a: &Asked, weight_name: &str) -> Value {
    let mut line: Vec<(f64, f64)> = Vec::new();
    let mut legs_out = Vec::new();
    let (mut distance, mut duration, mut weight) = (0.0, 0.0, 0.0);
    for r in legs {
        let t = &r.route.totals;
        let (d, s) = (t.distance_km * 1000.0, t.duration_h * 3600.0);
        let w = weight_of(r, weight_name, s);
        distance += d;
        duration += s;
        weight += w;
        for l in &r.route.legs {
            extend(&mut line, &lonlat(l));
        }
        let mut leg = json!({
            "distance": round1(d),
            "duration": round1(s),
            "weight": round1(w),
            "summary": r.route.summary,
            "steps": if a.steps { steps(r, a.geometries) } else { vec![] },
        });
        if !a.annotations.is_empty() {
            leg["annotation"] = annotation(r, &a.annotations, if s > 0.0 { w / s } else { 1.0 });
        }
        legs_out.push(leg);
    }
    let mut route = json!({
        "distance": round1(distance),
        "duration": round1(duration),
        "weight": round1(weight),
        "weight_name": weight_name,
        "legs": legs_out,
        "caravan": caravan_extension(legs),
    });
    match a.overview {
        Overview::False => {}
        Overview::Full => route["geometry"] = a.geometries.encode(&line),
        Overview::Simplified => route["geometry"] = a.geometries.encode(&simplified(&line)),
    }
    route
}

/// The route's weight in OSRM's sense: what the profile minimised, in the objective's
/// own units (seconds, USD cents, g CO2e, or generalized USD cents).
fn weight_of(r: &PlannedRoute, weight_name: &str, seconds: f64) -> f64 {
    match weight_name {
        "cost" => r.route.totals.cost_usd * 100.0,
        "co2" => r.route.totals.co2_kg * 1000.0,
        "balanced" => r.route.generalized_cost_usd * 100.0,
        _ => seconds,
    }
}

/// caravan's own figures, which OSRM clients ignore and caravan's map reads.
fn caravan_extension(legs: &[&PlannedRoute]) -> Value {
    Value::Array(
        legs.iter()
            .map(|r| {
                json!({
                    "summary": r.route.summary,
                    "main_modes": r.main_modes,
                    "countries": r.route.countries,
                    "totals": r.route.totals,
                    "generalized_cost_usd": r.route.generalized_cost_usd,
                    "legs": r.route.legs,
                    "events": r.route.events,
                })
            })
            .collect(),
    )
}

fn extend(line: &mut Vec<(f64, f64)>, part: &[(f64, f64)]) {
    let skip = usize::from(line.last().is_some() && line.last() == part.first());
    line.extend_from_slice(&part[skip.min(part.len())..]);
}

/// One step per caravan leg (its mode, its line), one `notification` step per event
/// (border, gauge change, transshipment, wait: zero length, its time), and `arrive`.
fn steps(r: &PlannedRoute, g: Geometries) -> Vec<Value> {
    let mut out = Vec::new();
    let legs = &r.route.legs;
    // Each event is told after the leg whose line passes nearest to it (a border inside a
    // rail leg, a transshipment at a leg's end).
    let owner: Vec<usize> = r
        .route
        .events
        .iter()
        .map(|e| {
            let near = |l: &caravan_metric::Leg| {
                lonlat(l)
                    .iter()
                    .map(|&p| metres(p, (e.lon, e.lat)))
                    .fold(f64::INFINITY, f64::min)
            };
            (0..legs.len())
                .min_by(|&a, &b| near(&legs[a]).total_cmp(&near(&legs[b])))
                .unwrap_or(0)
        })
        .collect();
    let mut before: Option<u16> = None;
    for (i, l) in legs.iter().enumerate() {
        let line = lonlat(l);
        let pts: Vec<(f64, f64)> = if line.len() >= 2 {
            line
        } else {
            let p = line.first().copied().unwrap_or((0.0, 0.0));
            vec![p, p]
        };
        let after = bearing(pts[0], pts[1]);
        let kind = if i == 0 { "depart" } else { "new name" };
        out.push(step(
            &format!("{} → {}", l.from, l.to),
            l.mode.as_str(),
            pts[0],
            kind,
            before.unwrap_or(0),
            after,
            l.distance_km * 1000.0,
            l.duration_h * 3600.0,
            g.encode(&pts),
        ));
        before = Some(bearing(pts[pts.len() - 2], pts[pts.len() - 1]));
        for e in r
            .route
            .events
            .iter()
            .zip(&owner)
            .filter(|(_, &o)| o == i)
            .map(|(e, _)| e)
        {
            let at = (e.lon, e.lat);
            out.push(step(
                &format!(
                    "{} {} at {}",
                    e.kind.as_str().replace('_', " "),
                    e.detail,
                    e.place
                ),
                l.mode.as_str(),
                at,
                "notification",
                before.unwrap_or(0),
                before.unwrap_or(0),
                0.0,
                e.duration_h * 3600.0,
                g.encode(&[at, at]),
            ));
        }
    }
    let last = legs
        .last()
        .and_then(|l| lonlat(l).last().copied())
        .unwrap_or((0.0, 0.0));
    out.push(step(
        legs.last().map(|l| l.to.as_str()).unwrap_or(""),
        legs.last().map(|l| l.mode.as_str()).unwrap_or("road"),
        last,
        "arrive",
        before.unwrap_or(0),
        0,
        0.0,
        0.0,
        g.encode(&[last, last]),
    ));
    out
}

#[allow(clippy::too_many_arguments)] // one OSRM step's fields
fn step(
    name: &str,
    mode: &str,
    at: (f64, f64),
    kind: &str,
    before: u16,
    after: u16,
    metres: f64,
    seconds: f64,
    geometry: Value,
) -> Value {
    let location = [round6(at.0), round6(at.1)];
    let mut maneuver = json!({
        "location": location,
        "bearing_before": before,
        "bearing_after": after,
        "type": kind,
    });
    if kind == "new name" {
        maneuver["modifier"] = json!("straight");
    }
    json!({
        "distance": round1(metres),
        "duration": round1(seconds),
        "weight": round1(seconds),
        "name": name,
        "mode": mode,
        "driving_side": "right",
        "geometry": geometry,
        "maneuver": maneuver,
        "intersections": [{
            "location": location,
            "bearings": [after],
            "entry": [true],
            "out": 0,
        }],
    })
}

/// Per segment of the leg's full line: metres, seconds (each caravan leg's time spread
/// over its segments by length), speed and weight.
fn annotation(r: &PlannedRoute, wanted: &[&str], weight_per_second: f64) -> Value {
    let (mut dist, mut dur) = (Vec::new(), Vec::new());
    let mut last: Option<(f64, f64)> = None;
    for l in &r.route.legs {
        // The leg's part of the full line (`extend`): where a leg does not start on the
        // previous one's last point, the joining segment is the leg's, so there is one
        // entry per segment of the line, as OSRM's annotations have.
        let mut pts = lonlat(l);
        if let Some(p) = last.filter(|p| pts.first().is_some_and(|f| f != p)) {
            pts.insert(0, p);
        }
        last = pts.last().copied().or(last);
        let seg: Vec<f64> = pts.windows(2).map(|w| metres(w[0], w[1])).collect();
        let total: f64 = seg.iter().sum();
        let secs = l.duration_h * 3600.0;
        for m in seg {
            dist.push(round1(m));
            dur.push(round1(if total > 0.0 { secs * m / total } else { 0.0 }));
        }
    }
    let mut out = serde_json::Map::new();
    for &k in wanted {
        let v: Vec<f64> = match k {
            "distance" => dist.clone(),
            "duration" => dur.clone(),
            "speed" => dist
                .iter()
                .zip(&dur)
                .map(|(m, s)| if *s > 0.0 { round1(m / s) } else { 0.0 })
                .collect(),
            _ => dur.iter().map(|s| round1(s * weight_per_second)).collect(),
        };
        out.insert(k.into(), json!(v));
    }
    Value::Object(out)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// A leg's line as (lon, lat), the order OSRM and GeoJSON use (legs keep (lat, lon)).
pub fn lonlat(l: &caravan_metric::Leg) -> Vec<(f64, f64)> {
    l.geometry.iter().map(|&(lat, lon)| (lon, lat)).collect()
}
