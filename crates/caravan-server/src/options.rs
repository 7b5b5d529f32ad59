//! Request options of the native API. The profile fields are those of `caravan route`
//! (same names with `_` for `-`, same checks via caravan_app::options); lists come as
//! comma-separated text in a query string or as JSON arrays in a body.

use crate::error::ApiError;
use caravan_metric::ProfileSpec;
use serde::{Deserialize, Deserializer};

/// A list option: `"rail,road"` or `["rail", "road"]`. An empty entry is an error, as on
/// the command line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct List(pub Vec<String>);

impl<'de> Deserialize<'de> for List {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Text(String),
            Many(Vec<String>),
        }
        let entries = match Raw::deserialize(d)? {
            Raw::Text(s) => caravan_app::options::list(&s),
            Raw::Many(v) => v.iter().map(|s| caravan_app::options::entry(s)).collect(),
        };
        entries.map(List).map_err(serde::de::Error::custom)
    }
}

/// Defines a request struct with its own fields and every profile field, and its
/// [`ProfileSpec`]. A macro because serde cannot flatten into a query string's numbers.
macro_rules! with_profile {
    ($(#[$m:meta])* pub struct $name:ident { $($(#[$fm:meta])* pub $f:ident : $t:ty,)* }) => {
        $(#[$m])*
        pub struct $name {
            $($(#[$fm])* pub $f: $t,)*
            /// container (one FEU, default), bulk, liquid or gas
            #[serde(default)]
            pub cargo: Option<String>,
            /// Tonnes carried (container payload, or bulk/liquid/gas quantity)
            #[serde(default)]
            pub tonnes: Option<f64>,
            /// time, cost, co2 or balanced (default): freight USD + the goods' time in
            /// transit + CO2e at a carbon price
            #[serde(default)]
            pub optimize: Option<String>,
            /// Allowed modes, comma-separated: road,rail,sea,ferry,air,pipeline (default all)
            #[serde(default)]
            #[param(value_type = Option<String>)]
            #[schema(value_type = Option<String>)]
            pub modes: Option<crate::options::List>,
            /// Countries to avoid: ISO alpha-2 codes or groups (SCO, EU, EAEU, ...)
            #[serde(default)]
            #[param(value_type = Option<String>)]
            #[schema(value_type = Option<String>)]
            pub avoid_countries: Option<crate::options::List>,
            /// Only these countries (codes or groups)
            #[serde(default)]
            #[param(value_type = Option<String>)]
            #[schema(value_type = Option<String>)]
            pub only_countries: Option<crate::options::List>,
            /// Sea passages to avoid: suez, babalmandab, ormuz, malacca, bosporus, ...
            #[serde(default)]
            #[param(value_type = Option<String>)]
            #[schema(value_type = Option<String>)]
            pub avoid_passages: Option<crate::options::List>,
            /// Scenarios to apply (names from /v1/scenarios), comma-separated
            #[serde(default)]
            #[param(value_type = Option<String>)]
            #[schema(value_type = Option<String>)]
            pub scenario: Option<crate::options::List>,
            /// Truck drivers per vehicle: 1 or 2
            #[serde(default)]
            #[param(minimum = 1, maximum = 2)]
            #[schema(minimum = 1, maximum = 2)]
            pub drivers: Option<u8>,
            /// Value of the goods (USD): what an hour in transit costs under `balanced`
            #[serde(default)]
            pub cargo_value: Option<f64>,
        }

        impl $name {
            pub fn spec(&self) -> Result<caravan_metric::ProfileSpec, crate::error::ApiError> {
                crate::options::spec(crate::options::Parts {
                    cargo: &self.cargo,
                    tonnes: self.tonnes,
                    optimize: &self.optimize,
                    modes: &self.modes,
                    avoid_countries: &self.avoid_countries,
                    only_countries: &self.only_countries,
                    avoid_passages: &self.avoid_passages,
                    scenario: &self.scenario,
                    drivers: self.drivers,
                    cargo_value: self.cargo_value,
                })
            }
        }
    };
}
pub(crate) use with_profile;

pub(crate) struct Parts<'a> {
    pub cargo: &'a Option<String>,
    pub tonnes: Option<f64>,
    pub optimize: &'a Option<String>,
    pub modes: &'a Option<List>,
    pub avoid_countries: &'a Option<List>,
    pub only_countries: &'a Option<List>,
    pub avoid_passages: &'a Option<List>,
    pub scenario: &'a Option<List>,
    pub drivers: Option<u8>,
    pub cargo_value: Option<f64>,
}

pub(crate) fn spec(p: Parts<'_>) -> Result<ProfileSpec, ApiError> {
    let number = |name: &str, x: Option<f64>| -> Result<Option<f64>, ApiError> {
        x.map(|v| {
            caravan_app::options::positive_value(v)
                .map_err(|m| ApiError::bad(format!("{name}: {m}")))
        })
        .transpose()
    };
    if let Some(d) = p.drivers {
        if !(1..=2).contains(&d) {
            return Err(ApiError::bad(format!("drivers: {d} is not 1 or 2")));
        }
    }
    let list = |l: &Option<List>| l.as_ref().map(|l| l.0.clone()).unwrap_or_default();
    Ok(ProfileSpec {
        cargo: Some(p.cargo.clone().unwrap_or_else(|| "container".into())),
        tonnes: number("tonnes", p.tonnes)?,
        objective: Some(p.optimize.clone().unwrap_or_else(|| "balanced".into())),
        modes: list(p.modes),
        avoid_countries: list(p.avoid_countries),
        only_countries: list(p.only_countries),
        avoid_passages: list(p.avoid_passages),
        scenarios: list(p.scenario),
        drivers: Some(p.drivers.unwrap_or(1)),
        cargo_value_usd: number("cargo_value", p.cargo_value)?,
    })
}
