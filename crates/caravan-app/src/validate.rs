//! Validation against published corridor figures (`data/validation/cases.toml`).
//!
//! A routing answer is only useful if its days, km and dollars resemble the real world, so
//! each reference case is planned like a user request and its best route is compared with a
//! sourced figure. Cases are split into a *calibration* set (parameters in `data/` may be
//! tuned to it) and a *holdout* set (never tuned to): only the holdout set says whether
//! caravan generalises, so only the holdout set decides [`Report::pass`].

use crate::{Engine, Request};
use caravan_metric::{EventKind, Objective, ProfileSpec};
use caravan_network::Mode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Which part of the split a case belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Set {
    Calibration,
    Holdout,
}

impl Set {
    pub fn as_str(self) -> &'static str {
        match self {
            Set::Calibration => "calibration",
            Set::Holdout => "holdout",
        }
    }
}

/// The figure a case compares; each reads one field of the best route's totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    DurationDays,
    DistanceKm,
    CostUsd,
    /// The best route's main mode (the one carrying most of its distance) against the
    /// dominant mode of a published modal split: does the default objective choose as
    /// shippers do?
    MainMode,
}

/// A published figure: a number, or a mode name for `main_mode` cases.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Figure {
    Number(f64),
    Mode(String),
}

impl MetricKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MetricKind::DurationDays => "duration_days",
            MetricKind::DistanceKm => "distance_km",
            MetricKind::CostUsd => "cost_usd",
            MetricKind::MainMode => "main_mode",
        }
    }
}

/// Route event kinds, as `caravan route --format json` names them, that `exclude` accepts.
const EVENT_KINDS: [EventKind; 5] = [
    EventKind::Border,
    EventKind::GaugeChange,
    EventKind::Transshipment,
    EventKind::FerryWait,
    EventKind::RailTerminal,
];

/// One reference case as written in the cases file. Unknown fields are rejected so that a
/// misspelt `avoid_countrie` cannot silently validate a different question.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    pub name: String,
    pub set: Set,
    pub origin: String,
    pub destination: String,
    /// Given in the file for every figure case, so that e.g. a duration case cannot be won
    /// by air freight; `main_mode` cases leave it out (all modes: the choice is the point).
    #[serde(default)]
    pub modes: Vec<String>,
    /// time, cost, co2 or balanced (as `caravan route --optimize`).
    pub optimize: String,
    #[serde(default)]
    pub avoid_countries: Vec<String>,
    #[serde(default)]
    pub avoid_passages: Vec<String>,
    /// Countries the published corridor is confined to (as `--only-countries`).
    #[serde(default)]
    pub only_countries: Vec<String>,
    /// Countries the published corridor passes: the case compares the best of up to three
    /// options (`--alternatives 3`) that passes them all; when none does, the figure is of
    /// another corridor and is not compared (the case fails, naming what it missed).
    #[serde(default)]
    pub via_countries: Vec<String>,
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Truck drivers (1 or 2, default 1).
    #[serde(default)]
    pub drivers: Option<u8>,
    pub metric: MetricKind,
    /// Event kinds whose dwell the published duration leaves out (e.g. `ferry_wait` for a
    /// crossing time quoted without the wait for a sailing); subtracted from caravan's
    /// duration so that both figures measure the same thing.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// The published cost is a rate per this many km (CAREC's "per 500 km per 20 t"):
    /// caravan's route cost is scaled to it (cost × per_km / route km), so that a proxy
    /// lane of 463 or 544 km is compared with the same quantity the source measured.
    #[serde(default)]
    pub per_km: Option<f64>,
    pub published: Figure,
    /// Half-width of the acceptance band in percent of `published`; `why_band` justifies it.
    pub tolerance_pct: f64,
    pub why_band: String,
    pub source: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl Case {
    /// The request a user would type for this case (one option: the best route).
    pub fn request(&self) -> Request {
        Request {
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            profile: ProfileSpec {
                cargo: Some("container".into()),
                tonnes: None,
                objective: Some(self.optimize.clone()),
                modes: self.modes.clone(),
                avoid_countries: self.avoid_countries.clone(),
                only_countries: self.only_countries.clone(),
                avoid_passages: self.avoid_passages.clone(),
                scenarios: self.scenarios.clone(),
                drivers: self.drivers,
                cargo_value_usd: None,
            },
            alternatives: if self.via_countries.is_empty() { 1 } else { 3 },
            geometry: false,
        }
    }
}

/// A cases file that cannot be used; the message names the file and, where it can, the case.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct CasesError {
    pub path: String,
    pub message: String,
}

/// Reads and checks a cases file. Each `[[case]]` is decoded on its own so that an error
/// names the case (number and name) rather than only a line of the whole document.
pub fn load_cases(path: &Path) -> Result<Vec<Case>, CasesError> {
    let text = std::fs::read_to_string(path).map_err(|e| CasesError {
        path: path.display().to_string(),
        message: format!("cannot read: {e}"),
    })?;
    parse_cases(&text, &path.display().to_string())
}

/// As [`load_cases`], on a file's text; `path` names it in errors.
pub fn parse_cases(text: &str, path: &str) -> Result<Vec<Case>, CasesError> {
    let err = |message: String| CasesError {
        path: path.to_string(),
        message,
    };
    let doc: toml::Table = toml::from_str(text).map_err(|e| err(format!("not valid TOML: {e}")))?;
    if let Some(k) = doc.keys().find(|k| *k != "case") {
        return Err(err(format!(
            "unknown top-level key '{k}'; the file holds [[case]] tables only"
        )));
    }
    let Some(list) = doc.get("case").and_then(|c| c.as_array()) else {
        return Err(err("no [[case]] tables found".into()));
    };
    let mut cases: Vec<Case> = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        let label = v
            .get("name")
            .and_then(|n| n.as_str())
            .map_or(format!("case #{}", i + 1), |n| {
                format!("case #{} \"{n}\"", i + 1)
            });
        let case: Case = v
            .clone()
            .try_into()
            .map_err(|e: toml::de::Error| err(format!("{label}: {}", e.message().trim())))?;
        check_case(&case, &cases).map_err(|m| err(format!("{label}: {m}")))?;
        cases.push(case);
    }
    Ok(cases)
}

/// Every case's places, resolved before anything runs: an unknown place is a mistake in
/// the file (exit 2), as an unknown mode is, not an unroutable case.
pub fn check_places(engine: &Engine, path: &Path, cases: &[Case]) -> Result<(), CasesError> {
    for (i, c) in cases.iter().enumerate() {
        for (what, q) in [("origin", &c.origin), ("destination", &c.destination)] {
            if let Err(e) = engine.net.resolve_place(q) {
                return Err(CasesError {
                    path: path.display().to_string(),
                    message: format!("case #{} \"{}\": {what}: {e}", i + 1, c.name),
                });
            }
        }
    }
    Ok(())
}

/// Checks what serde cannot: figures that make a percentage error meaningful, and option
/// values that would otherwise only fail when the case runs.
fn check_case(c: &Case, earlier: &[Case]) -> Result<(), String> {
    if c.name.trim().is_empty() {
        return Err("name is empty".into());
    }
    if earlier.iter().any(|e| e.name == c.name) {
        return Err("duplicate name".into());
    }
    match (&c.published, c.metric) {
        (Figure::Mode(m), MetricKind::MainMode) => {
            Mode::parse(m).ok_or(format!(
                "published mode '{m}' unknown; valid: road, rail, sea, ferry, air, pipeline"
            ))?;
            if c.tolerance_pct != 0.0 {
                return Err(
                    "tolerance_pct must be 0 for main_mode (the mode matches or not)".into(),
                );
            }
        }
        (Figure::Number(v), k) if k != MetricKind::MainMode => {
            for (key, v) in [("published", *v), ("tolerance_pct", c.tolerance_pct)] {
                if !(v.is_finite() && v > 0.0) {
                    return Err(format!("{key} must be a positive number, got {v}"));
                }
            }
        }
        (_, MetricKind::MainMode) => return Err("main_mode needs published = a mode name".into()),
        _ => return Err("published must be a number for this metric".into()),
    }
    if c.source.trim().is_empty() || c.why_band.trim().is_empty() {
        return Err("source and why_band must say where the figure and its band come from".into());
    }
    Objective::parse(&c.optimize).map_err(|e| e.to_string())?;
    if let Some(k) = c.per_km {
        if c.metric != MetricKind::CostUsd {
            return Err("per_km applies to cost_usd cases only".into());
        }
        if !(k.is_finite() && k > 0.0) {
            return Err(format!("per_km must be a positive number of km, got {k}"));
        }
    }
    if !c.exclude.is_empty() && c.metric != MetricKind::DurationDays {
        return Err("exclude applies to duration_days cases only".into());
    }
    let kinds: Vec<&str> = EVENT_KINDS.into_iter().map(EventKind::as_str).collect();
    if let Some(x) = c.exclude.iter().find(|x| !kinds.contains(&x.as_str())) {
        return Err(format!(
            "unknown exclude '{x}'; valid: {}",
            kinds.join(", ")
        ));
    }
    if c.modes.is_empty() && c.metric != MetricKind::MainMode {
        return Err("modes is empty; name the allowed modes".into());
    }
    for m in &c.modes {
        Mode::parse(m).ok_or(format!(
            "unknown mode '{m}'; valid: road, rail, sea, ferry, air, pipeline"
        ))?;
    }
    Ok(())
}

/// One case's outcome. A case that cannot be routed (unknown place, no route) is kept with
/// `caravan: None`, `within_band: false` and the error, so one bad case never hides others.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub name: String,
    pub set: Set,
    pub metric: MetricKind,
    pub caravan: Option<f64>,
    pub published: f64,
    /// `main_mode` cases: the modes compared (caravan's best route, the published split's
    /// dominant mode); their `published` is 0, `caravan` 1 on a match and 0 otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caravan_mode: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published_mode: Option<String>,
    pub error_pct: Option<f64>,
    pub within_band: bool,
    pub tolerance_pct: f64,
    pub origin: String,
    pub destination: String,
    /// The places as resolved and caravan's one-line route summary (modes, countries,
    /// totals), to see *why* a figure differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Plans one case and compares the best route's figure with the published one.
pub fn run_case(engine: &Engine, case: &Case) -> CaseResult {
    let outcome = engine.plan(&case.request()).map_err(|e| e.to_string());
    let outcome = outcome.and_then(|plan| {
        let first = plan.routes.first().ok_or("no route returned")?;
        let passes = |r: &crate::plan::PlannedRoute| {
            (case.via_countries.iter())
                .all(|c| r.route.countries.iter().any(|x| x.eq_ignore_ascii_case(c)))
        };
        let best = plan.routes.iter().find(|r| passes(r)).ok_or_else(|| {
            format!(
                "no option passes {} (best: {}): another corridor than the published one",
                case.via_countries.join(", "),
                first.route.countries.join("→")
            )
        })?;
        let t = &best.route.totals;
        let excluded_h: f64 = (best.route.events.iter())
            .filter(|e| case.exclude.iter().any(|x| x == e.kind.as_str()))
            .map(|e| e.duration_h)
            .sum();
        let value = match case.metric {
            MetricKind::DurationDays => round((t.duration_h - excluded_h) / 24.0, 2),
            MetricKind::DistanceKm => t.distance_km,
            MetricKind::CostUsd => match case.per_km {
                Some(k) if t.distance_km > 0.0 => round(t.cost_usd * k / t.distance_km, 0),
                _ => t.cost_usd,
            },
            MetricKind::MainMode => 0.0,
        };
        let route = format!(
            "{} → {}: {}",
            plan.origin, plan.destination, best.route.summary
        );
        Ok((value, route, dominant_mode(&best.route.legs)))
    });
    let (caravan, route, mode, error) = match outcome {
        Ok((v, r, m)) => (Some(v), Some(r), Some(m), None),
        Err(e) => (None, None, None, Some(e)),
    };
    let (published, published_mode) = match &case.published {
        Figure::Number(v) => (*v, None),
        Figure::Mode(m) => (0.0, Some(m.to_ascii_lowercase())),
    };
    let (caravan, error_pct, caravan_mode) = match &published_mode {
        Some(want) => {
            let hit = mode.as_ref().map(|m| m == want);
            (
                hit.map(|h| h as u8 as f64),
                hit.map(|h| if h { 0.0 } else { 100.0 }),
                mode,
            )
        }
        None => (
            caravan,
            caravan.map(|v| (v - published) / published * 100.0),
            None,
        ),
    };
    CaseResult {
        name: case.name.clone(),
        set: case.set,
        metric: case.metric,
        caravan,
        published,
        caravan_mode,
        published_mode,
        error_pct: error_pct.map(|e| round(e, 1)),
        within_band: error_pct.is_some_and(|e| e.abs() <= case.tolerance_pct),
        tolerance_pct: case.tolerance_pct,
        origin: case.origin.clone(),
        destination: case.destination.clone(),
        route,
        error,
    }
}

/// The mode carrying most of a route's distance (access legs aside).
fn dominant_mode(legs: &[caravan_metric::Leg]) -> String {
    let mut by: Vec<(String, f64)> = Vec::new();
    for l in legs.iter().filter(|l| !l.access) {
        let m = l.mode.as_str().to_string();
        match by.iter_mut().find(|(k, _)| *k == m) {
            Some(e) => e.1 += l.distance_km,
            None => by.push((m, l.distance_km)),
        }
    }
    by.into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or_else(|| "road".to_string(), |(m, _)| m)
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Share within band and median absolute error over a group of results.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    pub cases: usize,
    /// Cases that produced a figure (the rest failed to route; they count as out of band).
    pub routed: usize,
    pub within_band: usize,
    pub within_band_share: f64,
    /// Median of |error_pct|. Unrouted cases count as infinitely wrong, so failures can
    /// only raise it; `None` (JSON null) when the median itself falls on one.
    pub median_abs_error_pct: Option<f64>,
}

impl Stats {
    fn of<'a>(results: impl Iterator<Item = &'a CaseResult>) -> Stats {
        let mut errs: Vec<f64> = Vec::new();
        let (mut within, mut routed) = (0, 0);
        for r in results {
            errs.push(r.error_pct.map_or(f64::INFINITY, f64::abs));
            within += r.within_band as usize;
            routed += r.error_pct.is_some() as usize;
        }
        errs.sort_by(f64::total_cmp);
        let n = errs.len();
        let median = match n {
            0 => f64::NAN,
            _ if n % 2 == 1 => errs[n / 2],
            _ => (errs[n / 2 - 1] + errs[n / 2]) / 2.0,
        };
        Stats {
            cases: n,
            routed,
            within_band: within,
            within_band_share: round(within as f64 / n.max(1) as f64, 3),
            median_abs_error_pct: median.is_finite().then(|| round(median, 1)),
        }
    }
}

/// A set's overall stats plus the same per metric kind, because the acceptance differs by
/// kind (a 20% error is fine for a transit time, not for a route length).
#[derive(Debug, Clone, Serialize)]
pub struct SetSummary {
    #[serde(flatten)]
    pub all: Stats,
    pub by_metric: BTreeMap<&'static str, Stats>,
}

/// The acceptance rule of issue #4, applied to the holdout set only.
#[derive(Debug, Clone, Serialize)]
pub struct Threshold {
    pub set: Set,
    pub within_band_share_min: f64,
    /// Maximum median |error| per metric kind; kinds not listed (main_mode) are not gated.
    /// Costs get the widest limit: published rates swing with the market far more than
    /// distances or times.
    pub median_abs_error_pct_max: BTreeMap<&'static str, f64>,
}

impl Default for Threshold {
    fn default() -> Threshold {
        Threshold {
            set: Set::Holdout,
            // Issue #12's gate: 80% within band and medians of 20% (durations), 8%
            // (distances) and 30% (costs).
            within_band_share_min: 0.80,
            median_abs_error_pct_max: BTreeMap::from([
                (MetricKind::DurationDays.as_str(), 20.0),
                (MetricKind::DistanceKm.as_str(), 8.0),
                (MetricKind::CostUsd.as_str(), 30.0),
            ]),
        }
    }
}

/// Everything `caravan validate --format json` prints.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub cases: Vec<CaseResult>,
    pub summary: BTreeMap<&'static str, SetSummary>,
    pub threshold: Threshold,
    /// False when the thresholded set was run and misses any part of the threshold; true
    /// also when that set was not run (`--set calibration`): see `failures`/`checked`.
    pub pass: bool,
    /// Whether the thresholded set was among the cases run.
    pub checked: bool,
    /// Which parts of the threshold were missed, in words.
    pub failures: Vec<String>,
}

/// Runs every case (calling `progress(done, total, name)` before each) and summarises.
pub fn run(
    engine: &Engine,
    cases: &[Case],
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Report {
    let results: Vec<CaseResult> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| {
            progress(i, cases.len(), &c.name);
            run_case(engine, c)
        })
        .collect();
    report(results, Threshold::default())
}

/// Summarises results per set and per metric kind and applies the threshold.
pub fn report(results: Vec<CaseResult>, threshold: Threshold) -> Report {
    let mut summary = BTreeMap::new();
    for set in [Set::Calibration, Set::Holdout] {
        let of_set = || results.iter().filter(move |r| r.set == set);
        if of_set().next().is_none() {
            continue;
        }
        let by_metric = [
            MetricKind::DurationDays,
            MetricKind::DistanceKm,
            MetricKind::CostUsd,
            MetricKind::MainMode,
        ]
        .into_iter()
        .filter(|&k| of_set().any(|r| r.metric == k))
        .map(|k| (k.as_str(), Stats::of(of_set().filter(|r| r.metric == k))))
        .collect();
        summary.insert(
            set.as_str(),
            SetSummary {
                all: Stats::of(of_set()),
                by_metric,
            },
        );
    }
    let mut failures = Vec::new();
    let gated = summary.get(threshold.set.as_str());
    if let Some(s) = gated {
        // Exact share, not the rounded one printed.
        if (s.all.within_band as f64) < threshold.within_band_share_min * s.all.cases as f64 {
            failures.push(format!(
                "{} within-band share {:.2} < {:.2}",
                threshold.set.as_str(),
                s.all.within_band_share,
                threshold.within_band_share_min
            ));
        }
        for (kind, max) in &threshold.median_abs_error_pct_max {
            let Some(st) = s.by_metric.get(kind) else {
                continue;
            };
            match st.median_abs_error_pct {
                Some(m) if m <= *max => {}
                m => failures.push(format!(
                    "{} median |error| for {kind} {} > {max}%",
                    threshold.set.as_str(),
                    m.map_or("undefined (unrouted cases)".into(), |m| format!("{m}%")),
                )),
            }
        }
    }
    Report {
        pass: failures.is_empty(),
        checked: gated.is_some(),
        cases: results,
        summary,
        threshold,
        failures,
    }
}
