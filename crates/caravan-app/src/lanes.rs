//! Lane sets: origin–destination pairs with a weight (annual FEU or tonnes), read from a
//! file, and routed many at a time under one profile (one customization, access computed
//! once per place, lanes in parallel), as `compare --od` and `criticality` need.

use crate::matrix::MatrixError;
use crate::plan::{endpoints, planned_route, Candidate, PlannedRoute};
use crate::Engine;
use caravan_metric::{Metric, Profile, ProfileSpec};
use caravan_network::Place;
use caravan_route::{Customized, Endpoint};
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::Path;

/// One lane of an OD file.
#[derive(Debug, Clone)]
pub struct Lane {
    /// Line in the file (1-based), for messages.
    pub line: usize,
    pub from: Place,
    pub to: Place,
    /// Annual volume (FEU or tonnes as the file says); 1 when not given.
    pub weight: f64,
}

/// A lane as the file writes it, before its places are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneText {
    pub line: usize,
    pub from: String,
    pub to: String,
    pub weight: f64,
}

/// Reads `from,to[,weight]` lines (CSV: quote names that hold commas; `#` comments and a
/// `from,to,…` header are skipped). Every place is resolved before any work, and the
/// first bad line is reported with its number.
pub fn read_od(engine: &Engine, path: &Path) -> Result<Vec<Lane>, MatrixError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| MatrixError::Read {
        path: shown.clone(),
        source,
    })?;
    let rows = parse_od(&text).map_err(|(line, message)| MatrixError::Od {
        path: shown.clone(),
        line,
        message,
    })?;
    if rows.is_empty() {
        return Err(MatrixError::Empty(shown));
    }
    rows.into_iter()
        .map(|r| {
            let place = |q: &str| {
                engine
                    .net
                    .resolve_place(q)
                    .map_err(|error| MatrixError::Place {
                        path: shown.clone(),
                        line: r.line,
                        error,
                    })
            };
            Ok(Lane {
                line: r.line,
                from: place(&r.from)?,
                to: place(&r.to)?,
                weight: r.weight,
            })
        })
        .collect()
}

/// The lanes of an OD file's text, or the first bad line (number, message).
pub fn parse_od(text: &str) -> Result<Vec<LaneText>, (usize, String)> {
    let mut lanes = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .trim(csv::Trim::All)
            .from_reader(t.as_bytes());
        let rec = match r.records().next() {
            Some(Ok(rec)) => rec,
            Some(Err(e)) => return Err((line, e.to_string())),
            None => continue,
        };
        let f: Vec<&str> = rec.iter().collect();
        if lanes.is_empty() && f.first().is_some_and(|x| x.eq_ignore_ascii_case("from")) {
            continue;
        }
        if !(2..=3).contains(&f.len()) || f[0].is_empty() || f[1].is_empty() {
            return Err((
                line,
                format!(
                    "expected from,to[,weight], got {} field(s): '{}'",
                    f.len(),
                    caravan_network::shown(t)
                ),
            ));
        }
        let weight = match f.get(2) {
            None => 1.0,
            Some(w) => match w.parse::<f64>() {
                Ok(w) if w.is_finite() && w >= 0.0 => w,
                _ => {
                    return Err((
                        line,
                        format!(
                            "weight '{}' is not a non-negative number",
                            caravan_network::shown(w)
                        ),
                    ))
                }
            },
        };
        lanes.push(LaneText {
            line,
            from: f[0].to_string(),
            to: f[1].to_string(),
            weight,
        });
    }
    Ok(lanes)
}

/// Lanes prepared under one profile: the metric, and each lane's access candidates and
/// search endpoints.
pub struct Batch<'e> {
    pub metric: Metric<'e>,
    ends: Vec<(Vec<Candidate>, Vec<Endpoint>)>,
    /// Per lane: indices into `ends` of its origin and destination.
    lane_ends: Vec<(usize, usize)>,
}

impl<'e> Batch<'e> {
    pub fn new<'l>(engine: &'e Engine, lanes: &[&'l Lane], profile: Profile) -> Batch<'e> {
        let metric = Metric::new(&engine.net, &engine.params, profile);
        let mut index: HashMap<(u64, u64), usize> = HashMap::new();
        let mut places: Vec<&'l Place> = Vec::new();
        let mut lane_ends = Vec::with_capacity(lanes.len());
        for l in lanes {
            let mut id = |p: &'l Place| {
                *index
                    .entry((p.lat.to_bits(), p.lon.to_bits()))
                    .or_insert_with(|| {
                        places.push(p);
                        places.len() - 1
                    })
            };
            let (a, b) = (id(&l.from), id(&l.to));
            lane_ends.push((a, b));
        }
        let ends = places
            .par_iter()
            .map(|p| {
                let c = engine.access(&metric, p);
                let e = endpoints(&metric, &c);
                (c, e)
            })
            .collect();
        Batch {
            metric,
            ends,
            lane_ends,
        }
    }

    /// Lane `i` (of the lanes the batch was made for) routed on `custom` (weights that may
    /// differ from the metric's by closures), explained under the metric; `None` when
    /// there is no route.
    pub fn route(
        &self,
        searcher: &mut caravan_route::Searcher,
        custom: &Customized,
        lane: &Lane,
        i: usize,
    ) -> Option<PlannedRoute> {
        let (a, b) = self.lane_ends[i];
        let ((fc, fe), (tc, te)) = (&self.ends[a], &self.ends[b]);
        if fe.is_empty() || te.is_empty() {
            return None;
        }
        let path = searcher.path(custom, fe, te)?;
        Some(planned_route(
            &self.metric,
            (&lane.from, fc),
            (&lane.to, tc),
            &path,
            false,
        ))
    }
}

impl Engine {
    /// Every lane routed under `spec` (best option each, or why there is none). Countries
    /// a scenario closes to transit stay open at a lane's own ends, so lanes are grouped by
    /// which of their endpoint countries that concerns, one profile per group.
    pub fn route_lanes(
        &self,
        lanes: &[Lane],
        spec: &ProfileSpec,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<Result<PlannedRoute, String>>, MatrixError> {
        let mut transit: Vec<String> = Vec::new();
        for s in &spec.scenarios {
            let sc = self.find_scenario(s).map_err(crate::PlanError::from)?;
            for c in sc.transit_closed() {
                match self.net.group(&c) {
                    Some(m) => transit.extend(m.iter().cloned()),
                    None => transit.push(c.to_ascii_uppercase()),
                }
            }
        }
        let mut groups: HashMap<Vec<String>, Vec<usize>> = HashMap::new();
        for (i, l) in lanes.iter().enumerate() {
            let mut key: Vec<String> = [&l.from.country, &l.to.country]
                .into_iter()
                .filter(|c| transit.contains(c))
                .cloned()
                .collect();
            key.sort();
            key.dedup();
            groups.entry(key).or_default().push(i);
        }
        let mut out: Vec<Result<PlannedRoute, String>> = vec![Err(String::new()); lanes.len()];
        let done = std::sync::atomic::AtomicU64::new(0);
        for (key, idx) in groups {
            let ends: Vec<&str> = key.iter().map(String::as_str).collect();
            let profile = self.profile_for(spec, &ends)?;
            let members: Vec<&Lane> = idx.iter().map(|&i| &lanes[i]).collect();
            let batch = Batch::new(self, &members, profile);
            let custom = self.customized(&batch.metric.weights);
            let view = self.hierarchy.view();
            let routed: Vec<Result<PlannedRoute, String>> = (0..members.len())
                .into_par_iter()
                .map_init(
                    || self.hierarchy.searcher(&view),
                    |s, k| {
                        let r = batch
                            .route(s, &custom, members[k], k)
                            .ok_or_else(|| "no route under this profile".to_string());
                        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        progress(n + 1);
                        r
                    },
                )
                .collect();
            for (k, r) in routed.into_iter().enumerate() {
                out[idx[k]] = r;
            }
        }
        Ok(out)
    }
}
