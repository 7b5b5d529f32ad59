//! Origin–destination matrices: every origin to every destination under one profile, with
//! the same totals `route` prints for the best option.
//!
//! One customization serves the whole matrix. Large matrices carry every figure through
//! the hierarchy: each up-arc gets the joinable figures of the original arcs it stands for
//! (caravan-metric `Figures`), and a bucket many-to-many joins them along each cell's
//! meeting path, so a cell costs about what its weight costs, and the matrix streams out
//! in blocks of origins. Small tables (a server's) skip the one pass over the hierarchy
//! that payloads cost and unpack each cell's path instead, as `route` does. Both give the
//! totals `route` gives for the cell.

use crate::plan::{endpoints, Candidate, PlanError};
use crate::Engine;
use caravan_metric::{FigureJoin, Figures, Metric, ProfileSpec};
use caravan_network::Place;
pub use caravan_route::Block;
use caravan_route::{Endpoint, Reached};
use rayon::prelude::*;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

pub use crate::matrix_file::{write_atomically, write_cells, write_records, CellWriter, OutFormat};

/// Below this many cells a table unpacks each cell's path: measured on the world network,
/// building the payloads costs about what unpacking this many cells does (see the closing
/// note of #16 and `caravan bench`).
const SMALL_TABLE: usize = 20_000;

/// Cells per streamed block, so that a block's cells and buckets stay within about 1 GB
/// whatever the number of destinations; up to 16,384 destinations a block is the most
/// origins a bucket build takes (1,024), which keeps the backward sweeps, repeated per
/// block, few.
const BLOCK_CELLS: usize = 16 << 20;

/// A cell's figures, in the order of the output columns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures4 {
    pub distance_km: f64,
    pub duration_h: f64,
    pub cost_usd: f64,
    pub co2_kg: f64,
}

/// What a cell holds before it is named: a compact value, so that a block of millions of
/// cells costs tens of bytes each.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    Route(Figures4),
    /// The origin (`true`) or the destination is not within reach of the network.
    OutOfReach {
        origin: bool,
    },
    NoRoute,
}

impl Outcome {
    const NOTHING_MOVES: Outcome = Outcome::Route(Figures4 {
        distance_km: 0.0,
        duration_h: 0.0,
        cost_usd: 0.0,
        co2_kg: 0.0,
    });

    fn of_totals(t: &caravan_metric::Totals) -> Outcome {
        Outcome::Route(Figures4 {
            distance_km: t.distance_km,
            duration_h: t.duration_h,
            cost_usd: t.cost_usd,
            co2_kg: t.co2_kg,
        })
    }

    pub fn figures(&self) -> Option<&Figures4> {
        match self {
            Outcome::Route(f) => Some(f),
            _ => None,
        }
    }

    /// Why the cell is empty, naming the place that is out of reach.
    pub fn reason(&self, origin: &Place, destination: &Place) -> Option<String> {
        match self {
            Outcome::Route(_) => None,
            Outcome::OutOfReach { origin: o } => Some(format!(
                "{} is not within reach of the network for this profile",
                if *o { origin } else { destination }
            )),
            Outcome::NoRoute => Some("no route under this profile".into()),
        }
    }

    pub fn named(&self, origin: &Place, destination: &Place) -> Cell {
        let f = self.figures();
        Cell {
            origin: origin.query.clone(),
            destination: destination.query.clone(),
            distance_km: f.map(|f| f.distance_km),
            duration_h: f.map(|f| f.duration_h),
            cost_usd: f.map(|f| f.cost_usd),
            co2_kg: f.map(|f| f.co2_kg),
            reason: self.reason(origin, destination),
        }
    }
}

/// Where a matrix run's time went, in seconds.
#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct MatrixTimes {
    /// Profile, metric, customization and access to the network for every place.
    pub prepare_s: f64,
    /// The up-arcs' figures (payload method only).
    pub payloads_s: f64,
    /// The searches and every cell's figures, sinks excluded.
    pub matrix_s: f64,
    /// Time spent in the sink (writing).
    pub sink_s: f64,
    pub payloads: bool,
}

/// Which way a matrix's figures are computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Choose by size ([`SMALL_TABLE`]).
    Auto,
    /// Figures carried through the hierarchy.
    Payloads,
    /// Each cell's path unpacked and explained.
    Paths,
}

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
    #[error("writing the matrix: {0}")]
    Write(#[from] std::io::Error),
}

impl MatrixError {
    /// 2 for bad input (files, places, profile), 1 for internal failures.
    pub fn exit_code(&self) -> i32 {
        match self {
            MatrixError::Plan(p) => p.exit_code().min(2),
            MatrixError::Write(_) => 1,
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

/// A place's access candidates and the search endpoints they give, under one metric.
type Ends = (Vec<Candidate>, Vec<Endpoint>);

impl Engine {
    /// The full matrix, row-major (origin by origin), named. `progress` is called with the
    /// number of cells finished so far.
    pub fn matrix(
        &self,
        origins: &[Place],
        destinations: &[Place],
        spec: &ProfileSpec,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<Vec<Cell>, MatrixError> {
        let mut cells = Vec::with_capacity(origins.len() * destinations.len());
        self.matrix_stream(
            origins,
            destinations,
            spec,
            Method::Auto,
            progress,
            |block| {
                let first = block.first();
                cells.extend(
                    block
                        .iter()
                        .map(|(i, j, out)| out.named(&origins[first + i], &destinations[j])),
                );
                Ok(())
            },
        )?;
        Ok(cells)
    }

    /// The matrix in blocks of whole rows: `sink` gets each block before the next is
    /// computed; an error from it stops the run.
    pub fn matrix_stream(
        &self,
        origins: &[Place],
        destinations: &[Place],
        spec: &ProfileSpec,
        method: Method,
        progress: &(dyn Fn(u64) + Sync),
        mut sink: impl FnMut(Block<Outcome>) -> Result<(), std::io::Error>,
    ) -> Result<MatrixTimes, MatrixError> {
        let started = std::time::Instant::now();
        let mut times = MatrixTimes::default();
        let (metric, m, from, to) = self.prepare(origins, destinations, spec)?;
        // What both methods decide before any search.
        let settled = |i: usize, j: usize| -> Option<Outcome> {
            let (o, d) = (&origins[i], &destinations[j]);
            // The same point both ends: nothing moves, as `route` says.
            if o.lat == d.lat && o.lon == d.lon {
                return Some(Outcome::NOTHING_MOVES);
            }
            if from[i].1.is_empty() || to[j].1.is_empty() {
                return Some(Outcome::OutOfReach {
                    origin: from[i].1.is_empty(),
                });
            }
            None
        };
        let cells = origins.len() * destinations.len();
        let payloads = match method {
            Method::Auto => cells >= SMALL_TABLE,
            Method::Payloads => true,
            Method::Paths => false,
        };
        let done = AtomicU64::new(0);
        let tick = |n: usize| progress(done.fetch_add(n as u64, Relaxed) + n as u64);
        times.payloads = payloads;
        times.prepare_s = started.elapsed().as_secs_f64();
        if !payloads {
            let t = std::time::Instant::now();
            let block = self.matrix_by_paths(&metric, &m, &from, &to, &settled, &tick);
            times.matrix_s = t.elapsed().as_secs_f64();
            let t = std::time::Instant::now();
            sink(Block::by_row(0, block, destinations.len()))?;
            times.sink_s = t.elapsed().as_secs_f64();
            return Ok(times);
        }
        let _turn = self.payload_turn.lock().unwrap_or_else(|e| e.into_inner());
        let t = std::time::Instant::now();
        let join = FigureJoin::new(&metric);
        let pays = self.hierarchy.arc_payloads(&m, &join);
        times.payloads_s = t.elapsed().as_secs_f64();
        let cell = |i: usize, j: usize, r: Option<Reached<Figures>>| -> Outcome {
            if let Some(s) = settled(i, j) {
                return s;
            }
            let Some(r) = r else {
                return Outcome::NoRoute;
            };
            let t = join.totals(
                &r.payload,
                access_leg(&from[i].0, r.source),
                access_leg(&to[j].0, r.target),
            );
            Outcome::of_totals(&t)
        };
        let sources: Vec<Vec<Endpoint>> = from.iter().map(|e| e.1.clone()).collect();
        let targets: Vec<Vec<Endpoint>> = to.iter().map(|e| e.1.clone()).collect();
        let block = (BLOCK_CELLS / destinations.len().max(1)).clamp(16, 1024);
        let t = std::time::Instant::now();
        let mut sink_s = 0.0;
        self.hierarchy.matrix_blocks(
            &m,
            &pays,
            &join,
            &sources,
            &targets,
            block,
            &cell,
            &tick,
            |block| {
                let t = std::time::Instant::now();
                let r = sink(block);
                sink_s += t.elapsed().as_secs_f64();
                r
            },
        )?;
        times.sink_s = sink_s;
        times.matrix_s = t.elapsed().as_secs_f64() - sink_s;
        Ok(times)
    }

    /// The weight of every cell alone, row-major, and the seconds its searches took: the
    /// baseline `caravan bench` measures the figures against, on the same endpoints.
    pub fn matrix_weights(
        &self,
        origins: &[Place],
        destinations: &[Place],
        spec: &ProfileSpec,
    ) -> Result<(Vec<Option<u64>>, f64), MatrixError> {
        let (_, m, from, to) = self.prepare(origins, destinations, spec)?;
        let sets =
            |ends: &[Ends]| -> Vec<Vec<Endpoint>> { ends.iter().map(|e| e.1.clone()).collect() };
        let (sources, targets) = (sets(&from), sets(&to));
        let t = std::time::Instant::now();
        let w = self.hierarchy.matrix(&m, &sources, &targets);
        Ok((w, t.elapsed().as_secs_f64()))
    }

    /// A profile's metric, its customization, and every place's access to the network.
    #[allow(clippy::type_complexity)]
    fn prepare(
        &self,
        origins: &[Place],
        destinations: &[Place],
        spec: &ProfileSpec,
    ) -> Result<
        (
            Metric<'_>,
            std::sync::Arc<caravan_route::Customized>,
            Vec<Ends>,
            Vec<Ends>,
        ),
        MatrixError,
    > {
        let profile = self.profile(spec)?;
        let (metric, digest) = self.metric(profile);
        let m = self.customized_keyed(digest, &metric.weights, false);
        let ends = |places: &[Place]| -> Vec<Ends> {
            places
                .par_iter()
                .map(|p| {
                    let c = self.access(&metric, p);
                    let e = endpoints(&metric, &c);
                    (c, e)
                })
                .collect()
        };
        let (from, to) = (ends(origins), ends(destinations));
        Ok((metric, m, from, to))
    }

    /// Every cell by a path query and the metric's totals over its arcs, as `route` does.
    fn matrix_by_paths(
        &self,
        metric: &Metric,
        m: &caravan_route::Customized,
        from: &[Ends],
        to: &[Ends],
        settled: &(dyn Fn(usize, usize) -> Option<Outcome> + Sync),
        tick: &(dyn Fn(usize) + Sync),
    ) -> Vec<Outcome> {
        let view = self.hierarchy.view();
        let rows: Vec<Vec<Outcome>> = (0..from.len())
            .into_par_iter()
            .map_init(
                || self.hierarchy.searcher(&view),
                |searcher, i| {
                    let row = (0..to.len())
                        .map(|j| {
                            if let Some(s) = settled(i, j) {
                                return s;
                            }
                            let ((fc, fe), (tc, te)) = (&from[i], &to[j]);
                            let Some(path) = searcher.path(m, fe, te) else {
                                return Outcome::NoRoute;
                            };
                            let t = metric.totals(
                                &path.arcs,
                                access_leg(fc, path.source),
                                access_leg(tc, path.target),
                            );
                            Outcome::of_totals(&t)
                        })
                        .collect::<Vec<_>>();
                    tick(row.len());
                    row
                },
            )
            .collect();
        rows.into_iter().flatten().collect()
    }
}

/// The drayage length of the access leg to `node`, if the place reaches it by one.
fn access_leg(candidates: &[Candidate], node: u32) -> Option<f64> {
    candidates
        .iter()
        .find(|c| c.node == node)
        .filter(|c| c.as_leg)
        .map(|c| c.km)
}
