//! Baseline against scenario: the same request with and without the scenarios, the
//! deltas, and what changed on the route in words.

use crate::lanes::Lane;
use crate::matrix::MatrixError;
use crate::plan::{PlanError, PlannedRoute, Request};
use crate::Engine;
use caravan_metric::EventKind;
use caravan_network::{Place, NONE};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq)]
pub struct Delta {
    pub distance_km: f64,
    pub duration_h: f64,
    pub cost_usd: f64,
    pub co2_kg: f64,
    pub generalized_cost_usd: f64,
}

/// One thing that differs between the two routes.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    /// countries_added, countries_removed, main_modes, corridor_added, corridor_removed,
    /// disconnected, connected
    pub kind: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub origin: Place,
    pub destination: Place,
    pub scenarios: Vec<String>,
    pub baseline: Option<PlannedRoute>,
    pub scenario: Option<PlannedRoute>,
    /// Why a side has no route.
    pub baseline_reason: Option<String>,
    pub scenario_reason: Option<String>,
    /// Scenario minus baseline; `None` unless both routes exist.
    pub delta: Option<Delta>,
    pub changes: Vec<Change>,
    /// One sentence: what changed and what it costs.
    pub summary: String,
}

/// Named places a route passes that a user would call its corridor: border crossings,
/// ferry services, sea passages.
pub fn corridor(engine: &Engine, r: &PlannedRoute) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for e in &r.route.events {
        if matches!(e.kind, EventKind::Border | EventKind::FerryWait) {
            push(e.place.clone());
        }
    }
    for &a in &r.route.arcs {
        let p = engine.net.arcs[a as usize].passage;
        if p != NONE {
            push(engine.net.passages[p as usize].clone());
        }
    }
    out
}

pub fn delta(base: &PlannedRoute, scen: &PlannedRoute) -> Delta {
    let (b, s) = (&base.route, &scen.route);
    Delta {
        distance_km: s.totals.distance_km - b.totals.distance_km,
        duration_h: s.totals.duration_h - b.totals.duration_h,
        cost_usd: s.totals.cost_usd - b.totals.cost_usd,
        co2_kg: s.totals.co2_kg - b.totals.co2_kg,
        generalized_cost_usd: s.generalized_cost_usd - b.generalized_cost_usd,
    }
}

/// What differs, and one sentence saying it.
pub fn describe(
    engine: &Engine,
    base: Option<&PlannedRoute>,
    scen: Option<&PlannedRoute>,
) -> (Vec<Change>, String) {
    let (b, s) = match (base, scen) {
        (Some(b), Some(s)) => (b, s),
        (Some(_), None) => {
            let c = Change {
                kind: "disconnected",
                detail: "no route under the scenario".into(),
            };
            return (vec![c], "the scenario leaves no route".into());
        }
        (None, Some(_)) => {
            let c = Change {
                kind: "connected",
                detail: "a route exists only under the scenario".into(),
            };
            return (
                vec![c],
                "the scenario opens a route where there was none".into(),
            );
        }
        (None, None) => return (Vec::new(), "no route with or without the scenario".into()),
    };
    let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
    let (bc, sc) = (set(&b.route.countries), set(&s.route.countries));
    let added: Vec<String> = sc.difference(&bc).cloned().collect();
    let removed: Vec<String> = bc.difference(&sc).cloned().collect();
    let (bk, sk) = (corridor(engine, b), corridor(engine, s));
    let k_added: Vec<String> = sk.iter().filter(|x| !bk.contains(x)).cloned().collect();
    let k_removed: Vec<String> = bk.iter().filter(|x| !sk.contains(x)).cloned().collect();
    let mut changes = Vec::new();
    let modes = if b.main_modes != s.main_modes {
        vec![format!(
            "{} → {}",
            b.main_modes.join("+"),
            s.main_modes.join("+")
        )]
    } else {
        Vec::new()
    };
    for (kind, v) in [
        ("countries_added", &added),
        ("countries_removed", &removed),
        ("main_modes", &modes),
        ("corridor_added", &k_added),
        ("corridor_removed", &k_removed),
    ] {
        if !v.is_empty() {
            changes.push(Change {
                kind,
                detail: v.join(", "),
            });
        }
    }
    let d = delta(b, s);
    let same_figures = d.distance_km.abs() < 0.05
        && d.duration_h.abs() < 0.05
        && d.cost_usd.abs() < 0.5
        && d.co2_kg.abs() < 0.5;
    if b.route.arcs == s.route.arcs && same_figures {
        let what = format!(
            "the route is unchanged: it uses nothing the scenario closes or changes ({})",
            b.route.countries.join("→")
        );
        return (changes, what);
    }
    let what = if b.route.arcs == s.route.arcs {
        "the route is unchanged, and what the scenario changes on it costs".to_string()
    } else if b.main_modes != s.main_modes {
        format!(
            "the route switches from {} to {} ({} instead of {})",
            b.main_modes.join("+"),
            s.main_modes.join("+"),
            s.route.countries.join("→"),
            b.route.countries.join("→")
        )
    } else if !added.is_empty() || !removed.is_empty() {
        let via = |v: &[String]| v.join(", ");
        match (removed.is_empty(), added.is_empty()) {
            (false, false) => format!(
                "the route leaves {} for {} ({})",
                via(&removed),
                via(&added),
                s.route.countries.join("→")
            ),
            (false, true) => format!(
                "the route no longer crosses {} ({})",
                via(&removed),
                s.route.countries.join("→")
            ),
            _ => format!(
                "the route now crosses {} ({})",
                via(&added),
                s.route.countries.join("→")
            ),
        }
    } else if !k_added.is_empty() || !k_removed.is_empty() {
        format!(
            "the route changes corridor: via {} instead of {}",
            if k_added.is_empty() {
                "-".into()
            } else {
                k_added.join(", ")
            },
            if k_removed.is_empty() {
                "-".into()
            } else {
                k_removed.join(", ")
            }
        )
    } else {
        "the route takes another path through the same countries".to_string()
    };
    (changes, format!("{what}: {}", signed_figures(&d)))
}

/// "−2,589 km, −0.4 days, −USD 464, −906 kg CO2e"
pub fn signed_figures(d: &Delta) -> String {
    let sign = |x: f64| if x < 0.0 { "−" } else { "+" };
    format!(
        "{}{:.0} km, {}{:.1} days, {}USD {:.0}, {}{:.0} kg CO2e",
        sign(d.distance_km),
        d.distance_km.abs(),
        sign(d.duration_h),
        d.duration_h.abs() / 24.0,
        sign(d.cost_usd),
        d.cost_usd.abs(),
        sign(d.co2_kg),
        d.co2_kg.abs()
    )
}

impl Engine {
    /// The request as given (its scenarios applied) against the same request without them.
    pub fn compare(&self, req: &Request) -> Result<Comparison, PlanError> {
        if req.profile.scenarios.is_empty() {
            return Err(PlanError::Profile(caravan_metric::MetricError::Unknown {
                what: "scenario",
                value: String::new(),
                valid: "give --scenario NAME (see caravan scenarios)".into(),
            }));
        }
        // Bad scenario names fail first, before any routing.
        for s in &req.profile.scenarios {
            self.find_scenario(s)?;
        }
        let mut base_req = req.clone();
        base_req.profile.scenarios.clear();
        let side = |r: &Request| -> Result<Side, PlanError> {
            match self.plan(r) {
                Ok(mut p) => {
                    let places = (p.origin.clone(), p.destination.clone());
                    Ok((Some(p.routes.remove(0)), None, Some(places)))
                }
                Err(PlanError::NoRoute(m) | PlanError::OutOfReach(m)) => Ok((None, Some(m), None)),
                Err(e) => Err(e),
            }
        };
        let (baseline, baseline_reason, p1) = side(&base_req)?;
        let (scenario, scenario_reason, p2) = side(req)?;
        let (origin, destination) = match p1.or(p2) {
            Some(p) => p,
            None => (
                self.net.resolve_place(&req.origin)?,
                self.net.resolve_place(&req.destination)?,
            ),
        };
        let delta = baseline
            .as_ref()
            .zip(scenario.as_ref())
            .map(|(b, s)| delta(b, s));
        let (changes, summary) = describe(self, baseline.as_ref(), scenario.as_ref());
        Ok(Comparison {
            origin,
            destination,
            scenarios: req.profile.scenarios.clone(),
            baseline,
            scenario,
            baseline_reason,
            scenario_reason,
            delta,
            changes,
            summary,
        })
    }
}

/// One side of a comparison: the route, why there is none, the resolved places.
type Side = (Option<PlannedRoute>, Option<String>, Option<(Place, Place)>);

/// One lane of `compare --od`.
#[derive(Debug, Clone, Serialize)]
pub struct LaneDelta {
    pub line: usize,
    pub origin: String,
    pub destination: String,
    pub weight: f64,
    /// better, worse, unchanged, disconnected, connected, unroutable
    pub status: &'static str,
    pub baseline_distance_km: Option<f64>,
    pub baseline_duration_h: Option<f64>,
    pub baseline_cost_usd: Option<f64>,
    pub baseline_generalized_cost_usd: Option<f64>,
    pub scenario_distance_km: Option<f64>,
    pub scenario_duration_h: Option<f64>,
    pub scenario_cost_usd: Option<f64>,
    pub scenario_generalized_cost_usd: Option<f64>,
    pub delta_distance_km: Option<f64>,
    pub delta_duration_h: Option<f64>,
    pub delta_cost_usd: Option<f64>,
    pub delta_co2_kg: Option<f64>,
    pub delta_generalized_cost_usd: Option<f64>,
    pub summary: String,
}

/// Counts and weighted totals over the lanes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OdSummary {
    pub lanes: usize,
    pub better: usize,
    pub worse: usize,
    pub unchanged: usize,
    pub disconnected: usize,
    pub connected: usize,
    pub unroutable: usize,
    pub weight: f64,
    pub disconnected_weight: f64,
    /// Σ weight × delta over lanes routed both ways.
    pub weighted_delta_generalized_cost_usd: f64,
    pub weighted_delta_duration_h: f64,
    pub weighted_delta_cost_usd: f64,
    pub weighted_delta_co2_kg: f64,
}

/// A lane counts as changed when its generalized cost moves by more than a cent per FEU.
const UNCHANGED_USD: f64 = 0.01;

impl Engine {
    pub fn compare_lanes(
        &self,
        lanes: &[Lane],
        spec: &caravan_metric::ProfileSpec,
        progress: &(dyn Fn(u64) + Sync),
    ) -> Result<(Vec<LaneDelta>, OdSummary), MatrixError> {
        let mut base_spec = spec.clone();
        base_spec.scenarios.clear();
        let n = lanes.len() as u64;
        let base = self.route_lanes(lanes, &base_spec, progress)?;
        let scen = self.route_lanes(lanes, spec, &|k| progress(n + k))?;
        let mut sum = OdSummary {
            lanes: lanes.len(),
            ..OdSummary::default()
        };
        let mut out = Vec::with_capacity(lanes.len());
        for ((l, b), s) in lanes.iter().zip(&base).zip(&scen) {
            let (b, s) = (b.as_ref().ok(), s.as_ref().ok());
            let d = b.zip(s).map(|(b, s)| delta(b, s));
            let status = match (b, s, d) {
                (Some(_), Some(_), Some(d)) if d.generalized_cost_usd < -UNCHANGED_USD => "better",
                (Some(_), Some(_), Some(d)) if d.generalized_cost_usd > UNCHANGED_USD => "worse",
                (Some(_), Some(_), _) => "unchanged",
                (Some(_), None, _) => "disconnected",
                (None, Some(_), _) => "connected",
                (None, None, _) => "unroutable",
            };
            match status {
                "better" => sum.better += 1,
                "worse" => sum.worse += 1,
                "unchanged" => sum.unchanged += 1,
                "disconnected" => {
                    sum.disconnected += 1;
                    sum.disconnected_weight += l.weight;
                }
                "connected" => sum.connected += 1,
                _ => sum.unroutable += 1,
            }
            sum.weight += l.weight;
            if let Some(d) = d {
                sum.weighted_delta_generalized_cost_usd += l.weight * d.generalized_cost_usd;
                sum.weighted_delta_duration_h += l.weight * d.duration_h;
                sum.weighted_delta_cost_usd += l.weight * d.cost_usd;
                sum.weighted_delta_co2_kg += l.weight * d.co2_kg;
            }
            let (_, summary) = describe(self, b, s);
            let fig = |r: Option<&PlannedRoute>, f: &dyn Fn(&PlannedRoute) -> f64| r.map(f);
            out.push(LaneDelta {
                line: l.line,
                origin: l.from.query.clone(),
                destination: l.to.query.clone(),
                weight: l.weight,
                status,
                baseline_distance_km: fig(b, &|r| r.route.totals.distance_km),
                baseline_duration_h: fig(b, &|r| r.route.totals.duration_h),
                baseline_cost_usd: fig(b, &|r| r.route.totals.cost_usd),
                baseline_generalized_cost_usd: fig(b, &|r| r.route.generalized_cost_usd),
                scenario_distance_km: fig(s, &|r| r.route.totals.distance_km),
                scenario_duration_h: fig(s, &|r| r.route.totals.duration_h),
                scenario_cost_usd: fig(s, &|r| r.route.totals.cost_usd),
                scenario_generalized_cost_usd: fig(s, &|r| r.route.generalized_cost_usd),
                delta_distance_km: d.map(|d| d.distance_km),
                delta_duration_h: d.map(|d| d.duration_h),
                delta_cost_usd: d.map(|d| d.cost_usd),
                delta_co2_kg: d.map(|d| d.co2_kg),
                delta_generalized_cost_usd: d.map(|d| d.generalized_cost_usd),
                summary,
            });
        }
        Ok((out, sum))
    }
}
