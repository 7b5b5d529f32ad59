//! The coordinates part of an OSRM URL: `lon,lat;lon,lat[;...]`, or `polyline(...)` /
//! `polyline6(...)` (Google's encoding, latitude first), with an optional `.json`.

use crate::error::{OsrmCode, OsrmError};

/// (lon, lat) pairs.
pub fn parse(raw: &str) -> Result<Vec<(f64, f64)>, OsrmError> {
    let raw = raw.strip_suffix(".json").unwrap_or(raw);
    let bad = |m: String| OsrmError::new(OsrmCode::InvalidUrl, m);
    let coords: Vec<(f64, f64)> = if let Some(enc) = polyline_body(raw, "polyline(") {
        decode(enc, 5).map_err(bad)?
    } else if let Some(enc) = polyline_body(raw, "polyline6(") {
        decode(enc, 6).map_err(bad)?
    } else {
        raw.split(';')
            .map(|pair| {
                let (lon, lat) = pair.split_once(',').ok_or_else(|| {
                    bad(format!("'{}' is not lon,lat", caravan_network::shown(pair)))
                })?;
                let num = |s: &str| s.trim().parse::<f64>().ok().filter(|x| x.is_finite());
                match (num(lon), num(lat)) {
                    (Some(x), Some(y)) => Ok((x, y)),
                    _ => Err(bad(format!(
                        "'{}' is not lon,lat",
                        caravan_network::shown(pair)
                    ))),
                }
            })
            .collect::<Result<_, _>>()?
    };
    for &(lon, lat) in &coords {
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err(OsrmError::new(
                OsrmCode::InvalidValue,
                format!("{lon},{lat} is outside longitude -180..180, latitude -90..90"),
            ));
        }
    }
    if coords.len() < 2 {
        return Err(OsrmError::new(
            OsrmCode::InvalidQuery,
            "at least two coordinates are needed",
        ));
    }
    Ok(coords)
}

fn polyline_body<'a>(raw: &'a str, prefix: &str) -> Option<&'a str> {
    raw.strip_prefix(prefix)?.strip_suffix(')')
}

fn decode(enc: &str, precision: u32) -> Result<Vec<(f64, f64)>, String> {
    let line = polyline::decode_polyline(enc, precision).map_err(|e| format!("polyline: {e}"))?;
    Ok(line.0.iter().map(|c| (c.x, c.y)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_encoded_coordinates() {
        assert_eq!(
            parse("75.99,39.47;69.24,41.31").unwrap(),
            [(75.99, 39.47), (69.24, 41.31)]
        );
        assert_eq!(parse("1,2;3,4.json").unwrap().len(), 2);
        // The example of Google's documentation: (38.5,-120.2), (40.7,-120.95), (43.252,-126.453).
        let p = parse("polyline(_p~iF~ps|U_ulLnnqC_mqNvxq`@)").unwrap();
        assert!((p[0].0 + 120.2).abs() < 1e-9 && (p[2].1 - 43.252).abs() < 1e-9);
        assert!(parse("1,2").is_err());
        assert!(parse("1,2;x,4").is_err());
        assert!(parse("200,2;3,4").is_err());
        assert!(parse("1,2;;3,4").is_err());
    }
}
