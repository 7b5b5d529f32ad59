//! `data/params.toml`: per-mode speeds, tariffs and emission intensities, cargo payloads and
//! the value of time. Each number there carries its source or an assumption mark.

use crate::hours::{Crew, HoursOfService};
use crate::trade::SeaTrade;
use crate::MetricError;
use caravan_network::Mode;
use std::collections::HashMap;
use std::path::Path;
use toml::Value;

#[derive(Debug, Clone, Default)]
pub struct ModeParams {
    pub speed_km_per_day: f64,
    pub usd_per_feu_km: f64,
    pub usd_per_tkm: f64,
    pub co2e_g_per_tkm: f64,
    /// Gas variants (pipelines); fall back to the liquid values.
    pub speed_km_per_day_gas: f64,
    pub usd_per_tkm_gas: f64,
    pub co2e_g_per_tkm_gas: f64,
}

#[derive(Debug, Clone)]
pub struct Params {
    pub modes: HashMap<Mode, ModeParams>,
    /// Rail line-haul km/day by country code (regional block-train speeds).
    pub rail_speed_by_country: HashMap<String, f64>,
    /// Road driving speed (km/h) by country code, and where no region applies.
    pub road_speed_by_country: HashMap<String, f64>,
    /// Container rates (USD per FEU-km) by country code, where a regional tariff applies
    /// (`[mode.rail.tariff_by_region]`, `[mode.road.tariff_by_region]`); elsewhere the
    /// mode's `usd_per_feu_km`.
    pub rail_usd_by_country: HashMap<String, f64>,
    pub road_usd_by_country: HashMap<String, f64>,
    /// Rail terminal time and charge (h, USD per FEU) by country code
    /// (`[mode.rail.terminal_by_region]`).
    pub rail_terminal_by_country: HashMap<String, (f64, f64)>,
    /// Sea rates by trade lane and the hub transshipment of feeder ports.
    pub sea_trade: SeaTrade,
    pub road_speed_km_per_h: f64,
    pub hours_of_service: HoursOfService,
    pub container_payload_t: f64,
    /// Modes each cargo may use, by cargo name.
    pub cargo_modes: HashMap<String, Vec<Mode>>,
    /// The most one shipment of each cargo can be (t): a container's payload, the largest
    /// ship for bulk (`cargo.<name>.max_lot_t`).
    pub max_lot_t: HashMap<String, f64>,
    /// Default value of the goods in one FEU (USD) and the inventory carrying rate per year:
    /// the value of an hour in transit is value × rate / 8,760.
    pub goods_value_usd_per_feu: f64,
    pub carrying_rate_per_year: f64,
    pub carbon_price_usd_per_t: f64,
    pub ferry_wait_h: f64,
    pub access_detour: f64,
    pub max_access_km: f64,
    /// Canal dwell and toll by searoute passage name: (hours, USD per FEU).
    pub passages: HashMap<String, (f64, f64)>,
    /// Passages with `closed = true`: no profile routes through them (the Arctic, the
    /// Caspian, the Northwest Passage).
    pub closed_passages: Vec<String>,
}

pub(crate) fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Integer(i) => Some(*i as f64),
        Value::Table(t) => t.get("value").and_then(num),
        _ => None,
    }
}

/// A region table of `mode` (`values`, e.g. "speed_by_region") spread over the countries
/// of its group lists (`groups`): value by country code.
fn by_country<T: Copy>(
    doc: &Value,
    mode: &str,
    groups: &str,
    values: &str,
    value: impl Fn(&Value) -> Option<T>,
) -> HashMap<String, T> {
    let mut out = HashMap::new();
    let table = |k: &str| {
        doc.get("mode")
            .and_then(|m| m.get(mode))
            .and_then(|r| r.get(k))
    };
    if let (Some(groups), Some(values)) = (table(groups), table(values)) {
        for (g, members) in groups.as_table().into_iter().flatten() {
            let (Some(members), Some(v)) = (members.as_array(), values.get(g).and_then(&value))
            else {
                continue;
            };
            for c in members.iter().filter_map(|c| c.as_str()) {
                out.insert(c.to_string(), v);
            }
        }
    }
    out
}

impl Params {
    /// A shipment heavier than its cargo's one-shipment limit is a mistake to name, not a
    /// route to search for (the weights would overflow into "not connected").
    pub fn check_lot(&self, cargo: &str, tonnes: Option<f64>) -> Result<(), MetricError> {
        let (Some(t), Some(&max)) = (tonnes, self.max_lot_t.get(cargo)) else {
            return Ok(());
        };
        if t > max {
            let what = if cargo == "container" {
                "the most a 40-ft container carries"
            } else {
                "the largest single carrier's load"
            };
            return Err(MetricError::Limit(format!(
                "--tonnes {t}: one {cargo} shipment is at most {max} t ({what}; data/params.toml cargo.{cargo}.max_lot_t); split larger quantities into shipments"
            )));
        }
        Ok(())
    }

    pub fn load(path: &Path) -> Result<Params, MetricError> {
        Self::load_with(path, &[])
    }

    /// The parameters with a scenario's changes applied to the document before it is read,
    /// so that a changed number reaches every table derived from it.
    pub fn load_with(
        path: &Path,
        changes: &[(String, crate::scenario::Op)],
    ) -> Result<Params, MetricError> {
        let err = |m: String| MetricError::Params {
            path: path.display().to_string(),
            message: m,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Self::parse(&text, &path.display().to_string(), changes)
    }

    /// As [`Params::load_with`], on the file's text; `path` names it in errors.
    pub fn parse(
        text: &str,
        path: &str,
        changes: &[(String, crate::scenario::Op)],
    ) -> Result<Params, MetricError> {
        let err = |m: String| MetricError::Params {
            path: path.to_string(),
            message: m,
        };
        caravan_network::ranges::check(text).map_err(&err)?;
        let mut doc: Value = toml::from_str(text).map_err(|e| err(e.to_string()))?;
        crate::scenario::apply_params(&mut doc, changes).map_err(err)?;
        let get = |p: &str| -> Result<f64, MetricError> {
            let mut v = &doc;
            for k in p.split('.') {
                v = v.get(k).ok_or_else(|| err(format!("missing {p}")))?;
            }
            num(v).ok_or_else(|| err(format!("{p} is not a number")))
        };
        let opt = |p: &str| get(p).ok();
        let mut modes = HashMap::new();
        for m in Mode::ALL {
            let k = format!("mode.{m}");
            let speed = match opt(&format!("{k}.speed_km_per_day")) {
                Some(s) => s,
                None => get(&format!("{k}.speed_km_per_h"))? * 24.0,
            };
            let usd_tkm = opt(&format!("{k}.usd_per_tkm_bulk"))
                .or(opt(&format!("{k}.usd_per_tkm")))
                .unwrap_or(0.0);
            let co2 = get(&format!("{k}.co2e_g_per_tkm"))?;
            let payload = get("cargo.container.payload_t")?;
            let feu_km = opt(&format!("{k}.usd_per_feu_km")).unwrap_or(usd_tkm * payload);
            modes.insert(
                m,
                ModeParams {
                    speed_km_per_day: speed,
                    usd_per_feu_km: feu_km,
                    usd_per_tkm: usd_tkm,
                    co2e_g_per_tkm: co2,
                    speed_km_per_day_gas: opt(&format!("{k}.speed_km_per_h_gas"))
                        .map(|s| s * 24.0)
                        .unwrap_or(speed),
                    usd_per_tkm_gas: opt(&format!("{k}.usd_per_tkm_gas")).unwrap_or(usd_tkm),
                    co2e_g_per_tkm_gas: opt(&format!("{k}.co2e_g_per_tkm_gas")).unwrap_or(co2),
                },
            );
        }
        let rail_speed_by_country =
            by_country(&doc, "rail", "region_groups", "speed_by_region", num);
        let road_speed_by_country =
            by_country(&doc, "road", "region_groups", "speed_by_region", num);
        let rail_usd_by_country = by_country(&doc, "rail", "regions", "tariff_by_region", num);
        let road_usd_by_country =
            by_country(&doc, "road", "tariff_groups", "tariff_by_region", num);
        let rail_terminal_by_country =
            by_country(&doc, "rail", "regions", "terminal_by_region", |v| {
                let h = v.get("hours").and_then(num)?;
                Some((h, v.get("usd_per_feu").and_then(num).unwrap_or(0.0)))
            });
        let sea_trade = SeaTrade::load(&doc).map_err(err)?;
        let hos = |k: &str| get(&format!("mode.road.hours_of_service.{k}"));
        let single = Crew {
            driving_h_per_day: hos("driving_h_per_day")?,
            break_after_h: hos("break_after_h")?,
            break_h: hos("break_h")?,
            daily_rest_h: hos("daily_rest_h")?,
            days_per_week: hos("days_per_week")? as u32,
            weekly_rest_h: hos("weekly_rest_h")?,
        };
        let hours_of_service = HoursOfService {
            single,
            // Two drivers take their breaks while the other drives.
            double: Crew {
                driving_h_per_day: hos("two_drivers_driving_h_per_day")?,
                break_after_h: 0.0,
                break_h: 0.0,
                daily_rest_h: hos("two_drivers_daily_rest_h")?,
                ..single
            },
        };
        let mut cargo_modes = HashMap::new();
        let mut max_lot_t = HashMap::new();
        for (name, c) in doc
            .get("cargo")
            .and_then(|c| c.as_table())
            .into_iter()
            .flatten()
        {
            let ms = c
                .get("modes")
                .and_then(|m| m.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|m| m.as_str().and_then(Mode::parse))
                        .collect()
                })
                .unwrap_or_else(|| Mode::ALL.to_vec());
            cargo_modes.insert(name.clone(), ms);
            if let Some(v) = c.get("max_lot_t") {
                match num(v) {
                    Some(t) if t.is_finite() && t > 0.0 => {
                        max_lot_t.insert(name.clone(), t);
                    }
                    _ => {
                        return Err(err(format!(
                            "cargo.{name}.max_lot_t must be a positive number of tonnes"
                        )))
                    }
                }
            }
        }
        let mut passages = HashMap::new();
        let mut closed_passages = Vec::new();
        for (name, p) in doc
            .get("passage")
            .and_then(|p| p.as_table())
            .into_iter()
            .flatten()
        {
            let h = p.get("transit_h").and_then(num).unwrap_or(0.0);
            let u = p.get("usd_per_feu").and_then(num).unwrap_or(0.0);
            passages.insert(name.clone(), (h, u));
            if p.get("closed").and_then(Value::as_bool) == Some(true) {
                closed_passages.push(name.clone());
            }
        }
        Ok(Params {
            passages,
            closed_passages,
            modes,
            rail_speed_by_country,
            road_speed_by_country,
            rail_usd_by_country,
            road_usd_by_country,
            rail_terminal_by_country,
            sea_trade,
            road_speed_km_per_h: get("mode.road.speed_km_per_h")?,
            hours_of_service,
            container_payload_t: get("cargo.container.payload_t")?,
            cargo_modes,
            max_lot_t,
            goods_value_usd_per_feu: get("objective.balanced.goods_value_usd_per_feu")?,
            carrying_rate_per_year: get("objective.balanced.inventory_carrying_rate_per_year")?,
            carbon_price_usd_per_t: opt("objective.balanced.carbon_price_usd_per_t_co2e")
                .unwrap_or(0.0),
            ferry_wait_h: opt("mode.ferry.wait_h").unwrap_or(24.0),
            access_detour: get("access.road_detour_factor")?,
            max_access_km: get("access.max_access_km")?,
        })
    }

    pub fn mode(&self, m: Mode) -> &ModeParams {
        &self.modes[&m]
    }

    /// The container rate (USD per FEU-km) of `mode` in country `code`: the regional
    /// tariff where one applies, else the mode's world default.
    pub fn usd_per_feu_km(&self, mode: Mode, code: &str) -> f64 {
        let regional = match mode {
            Mode::Rail => self.rail_usd_by_country.get(code),
            Mode::Road => self.road_usd_by_country.get(code),
            _ => None,
        };
        regional.copied().unwrap_or(self.mode(mode).usd_per_feu_km)
    }
}
