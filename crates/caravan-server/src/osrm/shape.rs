//! Lines as OSRM clients want them: encoded polylines (precision 5 or 6) or GeoJSON,
//! simplified for overviews, with bearings for maneuvers.

use crate::error::OsrmError;
use geo::{LineString, Simplify};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Geometries {
    Polyline,
    Polyline6,
    GeoJson,
}

impl Geometries {
    pub fn parse(v: Option<&str>) -> Result<Geometries, OsrmError> {
        match v {
            None | Some("polyline") => Ok(Geometries::Polyline),
            Some("polyline6") => Ok(Geometries::Polyline6),
            Some("geojson") => Ok(Geometries::GeoJson),
            Some(v) => Err(super::invalid_value(
                "geometries",
                v,
                "polyline, polyline6 or geojson",
            )),
        }
    }

    /// A line of (lon, lat) points.
    pub fn encode(self, line: &[(f64, f64)]) -> Value {
        let ls = || LineString::from(line.to_vec());
        match self {
            Geometries::Polyline => {
                json!(polyline::encode_coordinates(ls(), 5).unwrap_or_default())
            }
            Geometries::Polyline6 => {
                json!(polyline::encode_coordinates(ls(), 6).unwrap_or_default())
            }
            Geometries::GeoJson => json!({
                "type": "LineString",
                "coordinates": line.iter().map(|&(x, y)| [x, y]).collect::<Vec<_>>(),
            }),
        }
    }
}

/// Ramer–Douglas–Peucker to about 1 km at the equator, as a map overview needs; the ends
/// stay.
pub fn simplified(line: &[(f64, f64)]) -> Vec<(f64, f64)> {
    if line.len() <= 2 {
        return line.to_vec();
    }
    LineString::from(line.to_vec())
        .simplify(&0.01)
        .0
        .iter()
        .map(|c| (c.x, c.y))
        .collect()
}

/// Initial bearing from a to b, degrees clockwise from north (0–359).
pub fn bearing(a: (f64, f64), b: (f64, f64)) -> u16 {
    let (l1, p1) = (a.0.to_radians(), a.1.to_radians());
    let (l2, p2) = (b.0.to_radians(), b.1.to_radians());
    let y = (l2 - l1).sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * (l2 - l1).cos();
    let deg = y.atan2(x).to_degrees();
    (((deg + 360.0) % 360.0).round() as u16) % 360
}

/// Great-circle metres between two (lon, lat) points.
pub fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    caravan_network::geo::haversine_km(a.1, a.0, b.1, b.0) * 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_and_bearings() {
        let line = [(-120.2, 38.5), (-120.95, 40.7), (-126.453, 43.252)];
        assert_eq!(
            Geometries::Polyline.encode(&line),
            json!("_p~iF~ps|U_ulLnnqC_mqNvxq`@")
        );
        assert_eq!(bearing((0.0, 0.0), (0.0, 1.0)), 0);
        assert_eq!(bearing((0.0, 0.0), (1.0, 0.0)), 90);
        assert_eq!(bearing((0.0, 0.0), (0.0, -1.0)), 180);
        assert!((metres((0.0, 0.0), (0.0, 1.0)) - 111_195.0).abs() < 200.0);
    }
}
