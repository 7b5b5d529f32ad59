//! Options shared by several commands: output formats and the freight profile (cargo,
//! objective, modes, countries, passages, scenarios), with the checks clap runs on them.

use caravan_metric::ProfileSpec;
use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum Format {
    Table,
    Json,
    Geojson,
}

/// Formats of reports that have no geometry.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum ReportFormat {
    Table,
    Json,
}

/// Reports that also come as CSV.
#[derive(Clone, Copy, ValueEnum, PartialEq)]
pub enum TableFormat {
    Table,
    Json,
    Csv,
}

#[derive(clap::Args, Clone)]
pub struct ProfileArgs {
    /// container (one FEU), bulk, liquid or gas
    #[arg(long, default_value = "container")]
    pub cargo: String,
    /// Tonnes carried (container payload, or bulk/liquid/gas quantity)
    #[arg(long, value_parser = positive)]
    pub tonnes: Option<f64>,
    /// What to minimise: time, cost, co2 or balanced: the shipper's generalized cost =
    /// freight USD + the goods' time in transit (cargo value × 20%/year carrying rate) +
    /// CO2e at a carbon price (data/params.toml [objective.balanced])
    #[arg(long, default_value = "balanced")]
    pub optimize: String,
    /// Allowed modes, comma-separated: road,rail,sea,ferry,air,pipeline (default: all)
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    pub modes: Vec<String>,
    /// Countries to avoid: ISO alpha-2 codes or groups (SCO, EU, EAEU, ...), comma-separated
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    pub avoid_countries: Vec<String>,
    /// Only these countries (codes or groups), comma-separated
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    pub only_countries: Vec<String>,
    /// Sea passages to avoid: suez, babalmandab, ormuz, malacca, bosporus, ...
    #[arg(long, value_delimiter = ',', value_parser = listed)]
    pub avoid_passages: Vec<String>,
    /// Scenario to apply (repeatable), e.g. cku (opens the China–Kyrgyzstan–Uzbekistan railway)
    #[arg(long = "scenario", value_parser = listed)]
    pub scenarios: Vec<String>,
    /// Truck drivers per vehicle: 1, or 2 taking turns (multi-manning, common on TIR runs
    /// across Central Asia): road time follows the drivers' hours rules of EU 561/2006 and
    /// AETR for that crew (data/params.toml [mode.road.hours_of_service])
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
    pub drivers: u8,
    /// Value of the goods shipped, USD (default USD 40,000 per container): what an hour in
    /// transit costs under `--optimize balanced`; high-value goods favour fast modes
    #[arg(long, value_name = "USD", value_parser = positive)]
    pub cargo_value: Option<f64>,
}

fn listed(s: &str) -> Result<String, String> {
    caravan_app::options::entry(s)
}

fn positive(s: &str) -> Result<f64, String> {
    caravan_app::options::positive(s)
}

impl ProfileArgs {
    pub fn spec(&self) -> ProfileSpec {
        let clean = |v: &[String]| {
            v.iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        ProfileSpec {
            cargo: Some(self.cargo.clone()),
            tonnes: self.tonnes,
            objective: Some(self.optimize.clone()),
            modes: clean(&self.modes),
            avoid_countries: clean(&self.avoid_countries),
            only_countries: clean(&self.only_countries),
            avoid_passages: clean(&self.avoid_passages),
            scenarios: clean(&self.scenarios),
            drivers: Some(self.drivers),
            cargo_value_usd: self.cargo_value,
        }
    }
}
