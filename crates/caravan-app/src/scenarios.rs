//! The scenario catalog (`data/scenarios/*.toml`) and how a request's scenarios become a
//! profile: planned lines opened, countries and passages closed, parameters and places
//! changed. The metric does the rest (caravan-metric `scenario`).

use crate::{Engine, PlanError};
use caravan_metric::{Adjust, MetricError, Params, Profile, ProfileSpec, Scenario};
use caravan_network::NewLink;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The scenarios shipped in `data/scenarios`, sorted by name.
pub fn catalog(data_dir: &Path) -> Result<Vec<Scenario>, MetricError> {
    let dir = data_dir.join("scenarios");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    let mut out: Vec<Scenario> = files
        .iter()
        .map(|p| Scenario::load(p))
        .collect::<Result<_, _>>()?;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

fn is_path(name: &str) -> bool {
    name.ends_with(".toml") || name.contains('/') || name.contains('\\')
}

/// The lines that these scenarios (names, aliases or paths) draw by waypoints: what the
/// engine must be loaded with (`Engine::for_scenarios`) before they can be routed. Names that
/// are no scenario are left for `Engine::find_scenario` to report with the valid ones.
pub fn added_links(data_dir: &Path, names: &[String]) -> Result<Vec<NewLink>, MetricError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let shipped = catalog(data_dir)?;
    let mut out: Vec<NewLink> = Vec::new();
    for name in names.iter().map(|n| n.trim()) {
        let found = if is_path(name) {
            Scenario::load(Path::new(name))?
        } else {
            match shipped.iter().find(|s| s.answers_to(name)) {
                Some(s) => s.clone(),
                None => continue,
            }
        };
        for l in found.added_links() {
            if !out.iter().any(|o| o.id == l.id && o.scenario == l.scenario) {
                out.push(l.clone());
            }
        }
    }
    Ok(out)
}

impl Engine {
    /// The shipped scenarios, sorted by name. A malformed shipped file is an error here,
    /// as a user's would be.
    pub fn scenario_catalog(&self) -> Result<Vec<Scenario>, MetricError> {
        catalog(&self.data_dir)
    }

    /// A scenario by name or alias, by path to a user's file, or a planned line's tag.
    pub fn find_scenario(&self, name: &str) -> Result<Scenario, MetricError> {
        let name = name.trim();
        if is_path(name) {
            return Scenario::load(Path::new(name));
        }
        let catalog = self.scenario_catalog()?;
        if let Some(s) = catalog.iter().find(|s| s.answers_to(name)) {
            return Ok(s.clone());
        }
        if self.net.scenarios().iter().any(|t| t == name) {
            return Ok(Scenario::opening(name));
        }
        let mut valid: Vec<String> = catalog.iter().map(|s| s.name.clone()).collect();
        valid.push("or a path to a scenario .toml file".into());
        Err(MetricError::Unknown {
            what: "scenario",
            value: name.to_string(),
            valid: valid.join(", "),
        })
    }

    /// A checked profile with its scenarios applied. Countries closed to transit stay open
    /// where the shipment starts or ends (`ends`: ISO codes of the endpoints' countries).
    /// Bilateral crossings that do not admit the lane (one between their two countries, or
    /// with an end in a country granted transit) are closed for it.
    pub fn profile_for(&self, spec: &ProfileSpec, ends: &[&str]) -> Result<Profile, PlanError> {
        let mut profile = self.scenario_profile(spec, ends)?;
        profile.closed_crossings = self.third_country_crossings(ends);
        Ok(profile)
    }

    /// Bilateral crossings a lane between these ends may not use, sorted. With no end known
    /// (a matrix's cells share one profile) all are closed, as transit is: a matrix may
    /// miss a lane's own crossing but never shows a transit that is not allowed.
    fn third_country_crossings(&self, ends: &[&str]) -> Vec<u32> {
        let net = &self.net;
        let ends: Vec<_> = ends.iter().filter_map(|e| net.country_id(e)).collect();
        (0..net.crossings.len() as u32)
            .filter(|&i| {
                net.crossings[i as usize]
                    .bilateral
                    .as_ref()
                    .is_some_and(|b| !b.admits(&ends))
            })
            .collect()
    }

    fn scenario_profile(&self, spec: &ProfileSpec, ends: &[&str]) -> Result<Profile, PlanError> {
        self.params
            .check_lot(spec.cargo.as_deref().unwrap_or("container"), spec.tonnes)?;
        if spec.scenarios.is_empty() {
            return Ok(Profile::new(&self.net, spec)?);
        }
        let scenarios: Vec<Scenario> = spec
            .scenarios
            .iter()
            .map(|n| self.find_scenario(n))
            .collect::<Result<_, _>>()?;
        let mut spec = spec.clone();
        spec.scenarios.clear();
        let tags = self.net.scenarios();
        for s in &scenarios {
            for l in s.opened_links() {
                let tag = if tags.contains(&l) {
                    Some(l.clone())
                } else {
                    self.net
                        .links
                        .iter()
                        .find(|k| k.id == l)
                        .and_then(|k| k.scenario.clone())
                };
                let Some(tag) = tag else {
                    return Err(MetricError::Scenario {
                        origin: s.origin.clone(),
                        message: format!(
                            "open.links: '{l}' is no planned line; planned: {}",
                            tags.join(", ")
                        ),
                    }
                    .into());
                };
                if !spec.scenarios.contains(&tag) {
                    spec.scenarios.push(tag);
                }
            }
            for l in s.added_links() {
                let drawn =
                    self.net.links.iter().any(|k| {
                        k.id == l.id && k.scenario.as_deref() == Some(l.scenario.as_str())
                    });
                if !drawn {
                    return Err(MetricError::Scenario {
                        origin: s.origin.clone(),
                        message: format!(
                            "adds link '{}', which this loaded network does not have: load the engine with the scenario's added links (Engine::for_scenarios)",
                            l.id
                        ),
                    }
                    .into());
                }
                if !spec.scenarios.contains(&l.scenario) {
                    spec.scenarios.push(l.scenario.clone());
                }
            }
            spec.avoid_countries.extend(s.countries_closed());
            for c in s.transit_closed() {
                let members: Vec<String> = match self.net.group(&c) {
                    Some(m) => m.to_vec(),
                    None => vec![c.clone()],
                };
                spec.avoid_countries.extend(
                    members
                        .into_iter()
                        .filter(|m| !ends.iter().any(|e| e.eq_ignore_ascii_case(m))),
                );
            }
            for p in s.passages_closed() {
                if !self.net.passages.iter().any(|q| q.eq_ignore_ascii_case(&p)) {
                    return Err(MetricError::Scenario {
                        origin: s.origin.clone(),
                        message: format!(
                            "close.passages: unknown passage '{p}'; valid: {}",
                            self.net.passages.join(", ")
                        ),
                    }
                    .into());
                }
                spec.avoid_passages.push(p);
            }
        }
        let mut profile = Profile::new(&self.net, &spec)?;
        let params_path = self.data_dir.join("params.toml");
        let mut changes = Vec::new();
        for s in &scenarios {
            // Checked one file at a time, so that a bad parameter names its file.
            Params::load_with(&params_path, s.param_changes()).map_err(|e| {
                MetricError::Scenario {
                    origin: s.origin.clone(),
                    message: match e {
                        MetricError::Params { message, .. } => message,
                        other => other.to_string(),
                    },
                }
            })?;
            changes.extend_from_slice(s.param_changes());
        }
        if !changes.is_empty() {
            profile.params = Some(Arc::new(Params::load_with(&params_path, &changes)?));
        }
        profile.adjust = Adjust::new(&self.net, &scenarios)?.map(Arc::new);
        profile.applied = scenarios.iter().map(|s| s.name.clone()).collect();
        Ok(profile)
    }
}
