//! OSRM `table`: durations and distances between sources and destinations, `null` where
//! no route exists.

use super::{check_per_coordinate, invalid_value, Options};
use crate::error::{OsrmCode, OsrmError};
use crate::state::AppState;
use serde_json::{json, Value};

fn indices(o: &Options, k: &str, n: usize) -> Result<Vec<usize>, OsrmError> {
    match o.get(k) {
        None | Some("all") => Ok((0..n).collect()),
        Some(v) => v
            .split(';')
            .map(|i| match i.parse::<usize>() {
                Ok(i) if i < n => Ok(i),
                _ => Err(invalid_value(
                    k,
                    i,
                    &format!("'all' or indices 0–{} separated by ;", n - 1),
                )),
            })
            .collect(),
    }
}

pub fn answer(
    state: &AppState,
    profile: &str,
    coords: &[(f64, f64)],
    o: Options,
) -> Result<Value, OsrmError> {
    let spec = super::profile(profile)?;
    check_per_coordinate(&o, coords.len())?;
    let sources = indices(&o, "sources", coords.len())?;
    let destinations = indices(&o, "destinations", coords.len())?;
    let max = state.limits.max_table_size;
    if sources.len() > max || destinations.len() > max {
        return Err(OsrmError::new(
            OsrmCode::TooBig,
            format!(
                "{} sources × {} destinations; at most {max} × {max} (POST /v1/matrix for larger matrices)",
                sources.len(),
                destinations.len()
            ),
        ));
    }
    let (mut want_duration, mut want_distance) = (false, false);
    for a in o.get("annotations").unwrap_or("duration").split(',') {
        match a {
            "duration" => want_duration = true,
            "distance" => want_distance = true,
            _ => {
                return Err(invalid_value(
                    "annotations",
                    a,
                    "duration, distance or duration,distance",
                ))
            }
        }
    }
    let scale = match o.get("scale_factor") {
        None => 1.0,
        Some(v) => v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x > 0.0)
            .ok_or_else(|| invalid_value("scale_factor", v, "a number above 0"))?,
    };
    if let Some(v) = o.get("fallback_speed") {
        if !v.parse::<f64>().is_ok_and(|x| x.is_finite() && x > 0.0) {
            return Err(invalid_value("fallback_speed", v, "a number above 0"));
        }
    }
    if let Some(v) = o.get("fallback_coordinate") {
        if !matches!(v, "input" | "snapped") {
            return Err(invalid_value("fallback_coordinate", v, "input or snapped"));
        }
    }
    o.flag("generate_hints", true)?;
    let net = &state.engine.net;
    let place = |i: usize| {
        let (lon, lat) = coords[i];
        net.resolve_place(&format!("{lat},{lon}"))
            .map_err(|e| OsrmError::new(OsrmCode::NoSegment, e.to_string()))
    };
    let origins: Vec<_> = sources
        .iter()
        .map(|&i| place(i))
        .collect::<Result<_, _>>()?;
    let targets: Vec<_> = destinations
        .iter()
        .map(|&i| place(i))
        .collect::<Result<_, _>>()?;
    let cells = state
        .engine
        .matrix(&origins, &targets, &spec, &|_| {})
        .map_err(|e| OsrmError::new(OsrmCode::InvalidOptions, e.to_string()))?;
    let grid = |f: &dyn Fn(&caravan_app::matrix::Cell) -> Option<f64>| -> Value {
        Value::Array(
            cells
                .chunks(targets.len())
                .map(|row| {
                    Value::Array(
                        row.iter()
                            .map(|c| json!(f(c).map(|x| (x * 10.0).round() / 10.0)))
                            .collect(),
                    )
                })
                .collect(),
        )
    };
    let waypoint = |i: usize| {
        let (lon, lat) = coords[i];
        json!({ "hint": "", "distance": 0.0, "name": "", "location": [lon, lat] })
    };
    let mut out = json!({
        "code": "Ok",
        "sources": sources.iter().map(|&i| waypoint(i)).collect::<Vec<_>>(),
        "destinations": destinations.iter().map(|&i| waypoint(i)).collect::<Vec<_>>(),
    });
    if want_duration {
        out["durations"] = grid(&|c| c.duration_h.map(|h| h * 3600.0 * scale));
    }
    if want_distance {
        out["distances"] = grid(&|c| c.distance_km.map(|k| k * 1000.0));
    }
    Ok(out)
}
