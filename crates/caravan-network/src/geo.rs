//! Small spherical helpers. Distances are great-circle km on a mean-radius sphere, which is
//! what the source layers (scgraph-data, searoute) measure with.

pub const EARTH_KM: f64 = 6371.0088;

pub fn haversine_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_KM * a.min(1.0).sqrt().asin()
}

/// Unit vector of a point: Euclidean nearest neighbours on these are great-circle ones.
pub fn unit_xyz(lat: f64, lon: f64) -> [f64; 3] {
    let (la, lo) = (lat.to_radians(), lon.to_radians());
    [la.cos() * lo.cos(), la.cos() * lo.sin(), la.sin()]
}

/// Squared chord length on the unit sphere for a great-circle distance in km.
pub fn chord2_for_km(km: f64) -> f64 {
    let c = 2.0 * (km / EARTH_KM / 2.0).sin();
    c * c
}

pub fn km_for_chord2(c2: f64) -> f64 {
    2.0 * EARTH_KM * (c2.sqrt() / 2.0).min(1.0).asin()
}

/// Decodes a Google encoded polyline (precision 5) into `(lat, lon)` pairs.
pub fn decode_polyline(s: &str) -> Vec<(f64, f64)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let (mut i, mut lat, mut lon) = (0usize, 0i64, 0i64);
    let next = |i: &mut usize| -> Option<i64> {
        let (mut shift, mut result) = (0u32, 0i64);
        loop {
            let b = (*bytes.get(*i)? as i64) - 63;
            *i += 1;
            result |= (b & 0x1f) << shift;
            shift += 5;
            if b < 0x20 {
                break;
            }
        }
        Some(if result & 1 != 0 {
            !(result >> 1)
        } else {
            result >> 1
        })
    };
    while i < bytes.len() {
        let (Some(dlat), Some(dlon)) = (next(&mut i), next(&mut i)) else {
            break;
        };
        lat += dlat;
        lon += dlon;
        out.push((lat as f64 / 1e5, lon as f64 / 1e5));
    }
    out
}

/// Points along the great circle from a to b, one every `step_km` at most (for display).
pub fn great_circle(a: (f64, f64), b: (f64, f64), step_km: f64) -> Vec<(f64, f64)> {
    let d = haversine_km(a.0, a.1, b.0, b.1);
    let n = ((d / step_km).ceil() as usize).max(1);
    let (pa, pb) = (unit_xyz(a.0, a.1), unit_xyz(b.0, b.1));
    (0..=n)
        .map(|k| {
            let t = k as f64 / n as f64;
            let v: Vec<f64> = (0..3).map(|i| pa[i] * (1.0 - t) + pb[i] * t).collect();
            let norm = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt().max(1e-12);
            let (x, y, z) = (v[0] / norm, v[1] / norm, v[2] / norm);
            (z.asin().to_degrees(), y.atan2(x).to_degrees())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn polyline_round_trip_known_value() {
        // The example from Google's polyline documentation.
        let pts = decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@");
        assert_eq!(
            pts,
            vec![(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
        );
    }

    #[test]
    fn haversine_london_paris() {
        let d = haversine_km(51.5074, -0.1278, 48.8566, 2.3522);
        assert!((d - 343.5).abs() < 2.0, "{d}");
    }
}
