//! A shipment profile: what is moved, what to minimise, and what is allowed.

use crate::MetricError;
use caravan_network::{CountryId, Mode, Network};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cargo {
    /// One 40-ft container (FEU); tonnes = payload for emissions.
    Container,
    Bulk,
    Liquid,
    Gas,
}

impl Cargo {
    pub fn parse(s: &str) -> Result<Cargo, MetricError> {
        Ok(match s {
            "container" => Cargo::Container,
            "bulk" => Cargo::Bulk,
            "liquid" => Cargo::Liquid,
            "gas" => Cargo::Gas,
            _ => return Err(unknown("cargo", s, "container, bulk, liquid, gas")),
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Cargo::Container => "container",
            Cargo::Bulk => "bulk",
            Cargo::Liquid => "liquid",
            Cargo::Gas => "gas",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    Time,
    Cost,
    Co2,
    /// USD + value of time × hours + carbon price × t CO2e (see data/params.toml).
    Balanced,
}

impl Objective {
    pub fn parse(s: &str) -> Result<Objective, MetricError> {
        Ok(match s {
            "time" => Objective::Time,
            "cost" => Objective::Cost,
            "co2" => Objective::Co2,
            "balanced" => Objective::Balanced,
            _ => return Err(unknown("objective", s, "time, cost, co2, balanced")),
        })
    }
}

fn unknown(what: &'static str, value: &str, valid: &str) -> MetricError {
    MetricError::Unknown {
        what,
        value: value.to_string(),
        valid: valid.to_string(),
    }
}

/// A profile as the user writes it (strings), before it is checked against the network.
#[derive(Debug, Clone, Default)]
pub struct ProfileSpec {
    pub cargo: Option<String>,
    pub tonnes: Option<f64>,
    pub objective: Option<String>,
    pub modes: Vec<String>,
    pub avoid_countries: Vec<String>,
    pub only_countries: Vec<String>,
    pub avoid_passages: Vec<String>,
    pub scenarios: Vec<String>,
    /// Truck crew: 1 (default) or 2 drivers taking turns.
    pub drivers: Option<u8>,
    /// Value of the goods shipped (USD); default params' goods value per FEU.
    pub cargo_value_usd: Option<f64>,
}

/// A checked profile.
#[derive(Debug, Clone)]
pub struct Profile {
    pub cargo: Cargo,
    pub tonnes: Option<f64>,
    pub objective: Objective,
    /// Bit set of allowed modes (see [`Mode::bit`]).
    pub modes: u8,
    /// Per country id: may the route touch it?
    pub country_allowed: Vec<bool>,
    pub avoid_passages: Vec<u32>,
    pub scenarios: Vec<String>,
    /// Truck crew (1 or 2): which hours-of-service rule road legs follow.
    pub drivers: u8,
    /// Value of the goods shipped (USD), when given; else the default per FEU, scaled.
    pub cargo_value_usd: Option<f64>,
    /// Scenario files applied (names), for reports; their effects are in the fields below
    /// and in `scenarios`, `country_allowed` and `avoid_passages`.
    pub applied: Vec<String>,
    /// Parameters changed by the scenarios (else the engine's).
    pub params: Option<std::sync::Arc<crate::Params>>,
    /// Places closed or changed by the scenarios.
    pub adjust: Option<std::sync::Arc<crate::Adjust>>,
    /// Crossings this lane may not use (bilateral ones it is not admitted to), sorted; all
    /// bilateral ones when the ends are unknown (a matrix's shared profile).
    pub closed_crossings: Vec<u32>,
}

impl Profile {
    pub fn allows(&self, m: Mode) -> bool {
        self.modes & m.bit() != 0
    }

    /// Whether this lane may not use the crossing because it is bilateral and does not
    /// admit the lane (`closed_crossings`).
    pub fn bars_crossing(&self, id: u32) -> bool {
        self.closed_crossings.binary_search(&id).is_ok()
    }

    pub fn new(net: &Network, spec: &ProfileSpec) -> Result<Profile, MetricError> {
        let cargo = Cargo::parse(spec.cargo.as_deref().unwrap_or("container"))?;
        let objective = Objective::parse(spec.objective.as_deref().unwrap_or("balanced"))?;
        if let Some(t) = spec.tonnes {
            if !(t.is_finite() && t > 0.0) {
                return Err(unknown(
                    "tonnage",
                    &t.to_string(),
                    "a positive number of tonnes",
                ));
            }
        }
        if let Some(v) = spec.cargo_value_usd {
            if !(v.is_finite() && v >= 0.0) {
                return Err(unknown(
                    "cargo value",
                    &v.to_string(),
                    "a non-negative amount in USD",
                ));
            }
        }
        let drivers = spec.drivers.unwrap_or(1);
        if !(1..=2).contains(&drivers) {
            return Err(unknown("number of drivers", &drivers.to_string(), "1 or 2"));
        }
        let mut modes = 0u8;
        for m in &spec.modes {
            let mode = Mode::parse(m.trim())
                .ok_or_else(|| unknown("mode", m, "road, rail, sea, ferry, air, pipeline"))?;
            modes |= mode.bit();
        }
        if spec.modes.is_empty() {
            modes = Mode::ALL.iter().fold(0, |acc, m| acc | m.bit());
        }
        let expand = |list: &[String]| -> Result<Vec<CountryId>, MetricError> {
            let mut out = Vec::new();
            for item in list {
                let item = item.trim();
                if let Some(members) = net.group(item) {
                    out.extend(members.iter().filter_map(|c| net.country_id(c)));
                } else if let Some(id) = (item.len() == 2).then(|| net.country_id(item)).flatten() {
                    out.push(id);
                } else {
                    let groups: Vec<&str> = net.groups.iter().map(|(g, _)| g.as_str()).collect();
                    return Err(unknown(
                        "country or group",
                        item,
                        &format!(
                            "ISO 3166-1 alpha-2 codes (e.g. RU, KZ, CN) or a group: {}",
                            groups.join(", ")
                        ),
                    ));
                }
            }
            Ok(out)
        };
        let avoid = expand(&spec.avoid_countries)?;
        let only = expand(&spec.only_countries)?;
        let mut country_allowed = vec![only.is_empty(); net.countries.len()];
        for c in only {
            country_allowed[c as usize] = true;
        }
        country_allowed[0] = true;
        for c in avoid {
            country_allowed[c as usize] = false;
        }
        let mut avoid_passages = Vec::new();
        for p in &spec.avoid_passages {
            let i = net
                .passages
                .iter()
                .position(|q| q.eq_ignore_ascii_case(p.trim()))
                .ok_or_else(|| unknown("passage", p, &net.passages.join(", ")))?;
            avoid_passages.push(i as u32);
        }
        let known = net.scenarios();
        let mut scenarios = Vec::new();
        for s in &spec.scenarios {
            if !known.iter().any(|k| k == s.trim()) {
                return Err(unknown("scenario", s, &known.join(", ")));
            }
            scenarios.push(s.trim().to_string());
        }
        Ok(Profile {
            cargo,
            tonnes: spec.tonnes,
            objective,
            modes,
            country_allowed,
            avoid_passages,
            scenarios,
            drivers,
            cargo_value_usd: spec.cargo_value_usd,
            applied: Vec::new(),
            params: None,
            adjust: None,
            closed_crossings: Vec::new(),
        })
    }
}
