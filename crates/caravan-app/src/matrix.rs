//! Origin–destination matrices: every origin to every destination under one profile, with
//! the same totals `route` prints for the best option.
//!
//! One customization serves the whole matrix; each pair is a hierarchy query from the
//! origin's access nodes to the destination's, and its totals come from the metric's
//! `totals`, exactly as `route` computes them. Pairs run in parallel (rayon), each thread
//! with its own reusable searcher.

use crate::plan::{endpoints, Candidate, PlanError};
use crate::Engine;
use caravan_metric::ProfileSpec;
use caravan_network::Place;
use caravan_route::Endpoint;
use rayon::prelude::*;
use std::path::Path;

/// One matrix cell; the figures are empty when the pair has no route, and `reason` says why.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Cell {
    pub origin: String,
    pub destination: String,
    pub distance_km: Option<f64>,
    pub duration_h: Option<f64>,
    pub cost_usd: Option<f64>,
    pub co2_kg: Option<f64>,
    pub reason: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum MatrixError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {error}")]
    Place {
        path: String,
        line: usize,
        error: caravan_network::PlaceError,
    },
    #[error("{path} line {line}: {message}")]
    Od {
        path: String,
        line: usize,
        message: String,
    },
    #[error(
        "{0}: no places (one place per line; blank lines and lines starting with # are skipped)"
    )]
    Empty(String),
    #[error(transparent)]
    Plan(#[from] PlanError),
}

impl MatrixError {
    /// 2 for bad input (files, places, profile), 1 for internal failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            MatrixError::Plan(p) => p.exit_code().min(2),
            _ => 2,
        }
    }
}

/// Places listed one per line in `path` (any form `route` accepts), resolved, with every
/// bad line reported at once.
pub fn read_places(engine: &Engine, path: &Path) -> Result<Vec<Place>, MatrixError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| MatrixError::Read {
        path: shown.clone(),
        source,
    })?;
    let mut places = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let q = line.trim();
        if q.is_empty() || q.starts_with('#') {
            continue;
        }
        let place = engine
            .net
            .resolve_place(q)
            .map_err(|error| MatrixError::Place {
                path: shown.clone(),
                line: i + 1,
                error,
            })?;
        places.push(place);
    }
    if places.is_empty() {
        return Err(MatrixError::Empty(shown));
    }
    Ok(places)
}

impl Engine {
    /// The full matrix, row-major (origin by origin). `progress` is called with the number
    /// of cells finished so far.
    pub fn matrix(
        &self,
        origins: &[Place],
        destinations: &[Place],
        spec: &ProfileSpec,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<Cell>, MatrixError> {
        let profile = self.profile(spec)?;
        let (metric, digest) = self.metric(profile);
        let m = self.customized_keyed(digest, &metric.weights, false);
        let ends = |places: &[Place]| -> Vec<(Vec<Candidate>, Vec<Endpoint>)> {
            places
                .iter()
                .map(|p| {
                    let c = self.access(&metric, p);
                    let e = endpoints(&metric, &c);
                    (c, e)
                })
                .collect()
        };
        let (from, to) = (ends(origins), ends(destinations));
        let done = std::sync::atomic::AtomicU64::new(0);
        let view = self.hierarchy.view();
        let rows: Vec<Vec<Cell>> = (0..origins.len())
            .into_par_iter()
            .map_init(
                || self.hierarchy.searcher(&view),
                |searcher, i| {
                    let row = (0..destinations.len())
                        .map(|j| {
                            let (o, d) = (&origins[i], &destinations[j]);
                            let mut cell = Cell {
                                origin: o.query.clone(),
                                destination: d.query.clone(),
                                distance_km: None,
                                duration_h: None,
                                cost_usd: None,
                                co2_kg: None,
                                reason: None,
                            };
                            // The same point both ends: nothing moves, as `route` says.
                            if o.lat == d.lat && o.lon == d.lon {
                                cell.distance_km = Some(0.0);
                                cell.duration_h = Some(0.0);
                                cell.cost_usd = Some(0.0);
                                cell.co2_kg = Some(0.0);
                                return cell;
                            }
                            let ((fc, fe), (tc, te)) = (&from[i], &to[j]);
                            if fe.is_empty() || te.is_empty() {
                                let p = if fe.is_empty() { o } else { d };
                                cell.reason = Some(format!(
                                    "{p} is not within reach of the network for this profile"
                                ));
                                return cell;
                            }
                            let Some(path) = searcher.path(&m, fe, te) else {
                                cell.reason = Some("no route under this profile".into());
                                return cell;
                            };
                            let leg = |c: &[Candidate], node: u32| {
                                c.iter()
                                    .find(|c| c.node == node)
                                    .filter(|c| c.as_leg)
                                    .map(|c| c.km)
                            };
                            let t = metric.totals(
                                &path.arcs,
                                leg(fc, path.source),
                                leg(tc, path.target),
                            );
                            cell.distance_km = Some(t.distance_km);
                            cell.duration_h = Some(t.duration_h);
                            cell.cost_usd = Some(t.cost_usd);
                            cell.co2_kg = Some(t.co2_kg);
                            cell
                        })
                        .collect::<Vec<_>>();
                    let n = done.fetch_add(row.len() as u64, std::sync::atomic::Ordering::Relaxed);
                    progress(n + row.len() as u64);
                    row
                },
            )
            .collect();
        Ok(rows.into_iter().flatten().collect())
    }
}

/// Output formats by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Csv,
    Parquet,
}

impl OutFormat {
    pub fn from_path(path: &Path) -> Option<OutFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(OutFormat::Csv),
            "parquet" => Some(OutFormat::Parquet),
            _ => None,
        }
    }
}

/// Writes the cells to `path` (CSV or Parquet by extension) through a temporary file in
/// the same directory, renamed into place: a failed run never leaves a half-written file.
pub fn write_cells(cells: &[Cell], path: &Path) -> Result<(), std::io::Error> {
    let format = out_format(path)?;
    write_atomically(path, |tmp| match format {
        OutFormat::Csv => write_csv(cells, tmp),
        OutFormat::Parquet => crate::columnar::write_cells(cells, tmp),
    })
}

fn out_format(path: &Path) -> Result<OutFormat, std::io::Error> {
    OutFormat::from_path(path).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: the output must end in .csv or .parquet",
                path.display()
            ),
        )
    })
}

/// Runs `write` on a temporary file next to `path` and renames it into place, or removes
/// it on failure.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), std::io::Error>,
) -> Result<(), std::io::Error> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let tmp = dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    match write(&tmp).and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Flat records (structs of numbers, strings and options of them) to CSV or Parquet by
/// extension, atomically. Parquet columns take their type from the serialized values:
/// numbers as Float64, everything else as text.
pub fn write_records<T: serde::Serialize>(rows: &[T], path: &Path) -> Result<(), std::io::Error> {
    let format = out_format(path)?;
    write_atomically(path, |tmp| match format {
        OutFormat::Csv => {
            let mut w = csv::Writer::from_path(tmp)?;
            for r in rows {
                w.serialize(r)?;
            }
            w.flush()
        }
        OutFormat::Parquet => {
            use serde_json::Value;
            let values: Vec<serde_json::Map<String, Value>> = rows
                .iter()
                .map(|r| match serde_json::to_value(r) {
                    Ok(Value::Object(m)) => Ok(m),
                    _ => Err(std::io::Error::other(
                        "a record must serialize to an object",
                    )),
                })
                .collect::<Result<_, _>>()?;
            crate::columnar::write_records(&values, tmp)
        }
    })
}

fn write_csv(cells: &[Cell], path: &Path) -> Result<(), std::io::Error> {
    let mut w = csv::Writer::from_path(path)?;
    for c in cells {
        w.serialize(c)?;
    }
    w.flush()
}
