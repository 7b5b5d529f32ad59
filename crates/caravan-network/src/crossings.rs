//! Border crossings and gauge changes: attributes of the arcs that cross them, so every
//! query stays a plain shortest path.

use crate::build::{num, Builder, NAMED_MATCH_KM};
use crate::geo::haversine_km;
use crate::model::*;
use crate::overlay::{BorderDefault, Overlay};
use crate::NetworkError;
use std::collections::HashMap;

/// Border crossings: every road, rail or ferry arc whose ends lie in different countries,
/// and every terminal transfer that does (a station a few hundred metres over a border, as
/// at Kasur on the PK–IN line: without it the route changes country unseen, through a
/// closed border).
/// Named crossings override the defaults (by mode, and for crossings inside one customs
/// union or touching given countries).
pub(crate) fn mark_borders(b: &mut Builder, overlay: &Overlay) -> Result<(), NetworkError> {
    let defaults = &overlay.borders.default;
    let group = |name: &str| -> Vec<String> {
        overlay
            .groups
            .get(name)
            .map(|g| g.members.clone())
            .unwrap_or_default()
    };
    let mut default_ids: HashMap<(Mode, String), u32> = HashMap::new();
    let mut named_ids: HashMap<usize, u32> = HashMap::new();
    let named: Vec<(usize, Mode)> = overlay
        .borders
        .crossing
        .iter()
        .enumerate()
        .filter_map(|(i, c)| Mode::parse(&c.mode).map(|m| (i, m)))
        .collect();
    for ai in 0..b.net.arcs.len() {
        let a = &b.net.arcs[ai];
        let crosses = match a.kind {
            ArcKind::Line => matches!(a.mode, Mode::Road | Mode::Rail),
            ArcKind::Ferry(_) | ArcKind::Transfer(_) => true,
            _ => false,
        };
        if !crosses {
            continue;
        }
        let (na, nb) = (&b.net.nodes[a.from as usize], &b.net.nodes[a.to as usize]);
        if na.country == nb.country || na.country == 0 || nb.country == 0 {
            continue;
        }
        let (ca, cb) = (
            b.net.countries[na.country as usize].clone(),
            b.net.countries[nb.country as usize].clone(),
        );
        let mode = a.mode;
        // A whole border closed to freight closes its named crossings too.
        let closed_border = overlay
            .borders
            .closed
            .iter()
            .any(|c| c.closes(&ca, &cb, mode.as_str()));
        let bilateral = overlay
            .borders
            .bilateral
            .iter()
            .find(|c| c.joins(&ca, &cb))
            .map(|c| {
                let transit_for = c
                    .transit_for
                    .iter()
                    .map(|t| {
                        b.net.country_id(t).ok_or_else(|| {
                            NetworkError::format(
                                "data/overlay/borders.toml",
                                format!("[[bilateral]] transit_for: unknown country '{t}'"),
                            )
                        })
                    })
                    .collect::<Result<_, _>>()?;
                Ok::<_, NetworkError>(Bilateral {
                    countries: [na.country, nb.country],
                    transit_for,
                })
            })
            .transpose()?;
        let (lat, lon) = (
            (na.lat + nb.lat) as f64 / 2.0,
            (na.lon + nb.lon) as f64 / 2.0,
        );
        let named_hit = named
            .iter()
            .filter(|(_, m)| *m == mode)
            .map(|&(i, _)| (i, &overlay.borders.crossing[i]))
            .filter(|(_, c)| {
                c.countries.is_empty() || (c.countries.contains(&ca) && c.countries.contains(&cb))
            })
            .map(|(i, c)| (i, haversine_km(lat, lon, c.lat, c.lon)))
            .filter(|&(_, d)| d <= NAMED_MATCH_KM)
            .min_by(|x, y| x.1.total_cmp(&y.1));
        let id = if let Some((i, _)) = named_hit {
            *named_ids.entry(i).or_insert_with(|| {
                let c = &overlay.borders.crossing[i];
                b.net.crossings.push(Crossing {
                    name: c.name.clone(),
                    mode,
                    hours: c.hours.get() as f32,
                    usd_per_feu: num(c.usd_per_feu, 0.0) as f32,
                    named: true,
                    closed: c.closed || closed_border,
                    bilateral,
                });
                (b.net.crossings.len() - 1) as u32
            })
        } else {
            let key_mode = if mode == Mode::Ferry {
                "ferry"
            } else {
                mode.as_str()
            };
            let (dkey, d) =
                pick_default(defaults, key_mode, &ca, &cb, &group).ok_or_else(|| {
                    NetworkError::format(
                        "data/overlay/borders.toml",
                        format!("no [default.{key_mode}] (nor [default.road])"),
                    )
                })?;
            let mut pair = [ca.clone(), cb.clone()];
            pair.sort();
            let key = (mode, format!("{}-{}", pair[0], pair[1]));
            let closed = closed_border;
            if let Some(&id) = default_ids.get(&key) {
                id
            } else {
                b.net.crossings.push(Crossing {
                    name: format!("{}–{} border ({})", pair[0], pair[1], dkey),
                    mode,
                    hours: d.hours.get() as f32,
                    usd_per_feu: num(d.usd_per_feu, 0.0) as f32,
                    named: false,
                    closed,
                    bilateral,
                });
                let id = (b.net.crossings.len() - 1) as u32;
                default_ids.insert(key, id);
                id
            }
        };
        b.net.arcs[ai].border = id;
    }
    Ok(())
}

fn pick_default<'a>(
    defaults: &'a std::collections::BTreeMap<String, BorderDefault>,
    mode: &str,
    a: &str,
    b: &str,
    group: &dyn Fn(&str) -> Vec<String>,
) -> Option<(String, &'a BorderDefault)> {
    // Specific defaults (customs unions, named countries) before the plain one.
    for (k, d) in defaults
        .iter()
        .filter(|(k, _)| k.starts_with(&format!("{mode}_")))
    {
        let in_group = d.applies_to.iter().any(|g| {
            let m = group(g);
            m.iter().any(|x| x == a) && m.iter().any(|x| x == b)
        });
        let touches = d.applies_to_countries.iter().any(|c| c == a || c == b);
        if in_group || touches {
            return Some((k.clone(), d));
        }
    }
    defaults
        .get(mode)
        .map(|d| (mode.to_string(), d))
        .or_else(|| defaults.get("road").map(|d| ("road".to_string(), d)))
}

/// Gauge changes: every rail arc whose ends differ in gauge, named after the nearest
/// gauge-change station when one is close.
pub(crate) fn mark_gauge_changes(b: &mut Builder, overlay: &Overlay) {
    let dc = &overlay.gauge.default_change;
    let mut ids: HashMap<String, u32> = HashMap::new();
    for ai in 0..b.net.arcs.len() {
        let a = &b.net.arcs[ai];
        if a.mode != Mode::Rail || a.kind != ArcKind::Line {
            continue;
        }
        let (na, nb) = (&b.net.nodes[a.from as usize], &b.net.nodes[a.to as usize]);
        if na.gauge_mm == nb.gauge_mm {
            continue;
        }
        let (lat, lon) = (
            (na.lat + nb.lat) as f64 / 2.0,
            (na.lon + nb.lon) as f64 / 2.0,
        );
        let station = overlay
            .gauge
            .station
            .iter()
            .map(|s| (s, haversine_km(lat, lon, s.lat, s.lon)))
            .filter(|&(_, d)| d <= NAMED_MATCH_KM * 2.0)
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .map(|(s, _)| s);
        let (name, hours, usd, named) = match station {
            Some(s) => (
                s.name.clone(),
                num(s.hours, dc.hours.get()),
                num(s.usd_per_feu, dc.usd_per_feu.get()),
                true,
            ),
            None => {
                let place = b
                    .net
                    .nearest_city(lat, lon, 80.0)
                    .map(|c| b.net.cities[c].name.clone())
                    .unwrap_or_else(|| format!("{lat:.2},{lon:.2}"));
                (
                    format!("{place} gauge change"),
                    dc.hours.get(),
                    dc.usd_per_feu.get(),
                    false,
                )
            }
        };
        let (g1, g2) = (na.gauge_mm, nb.gauge_mm);
        let key = format!("{name}|{}|{}", g1.min(g2), g1.max(g2));
        let id = *ids.entry(key).or_insert_with(|| {
            b.net.gauge_changes.push(GaugeChange {
                name,
                hours: hours as f32,
                usd_per_feu: usd as f32,
                named,
            });
            (b.net.gauge_changes.len() - 1) as u32
        });
        b.net.arcs[ai].gauge_change = id;
    }
}
