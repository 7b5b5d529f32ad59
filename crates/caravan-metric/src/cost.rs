//! Arc costs and routing weights for one profile.

use crate::{Cargo, Objective, Params, Profile};
use caravan_network::{Arc, ArcKind, Commodity, Mode, Network, NONE};
use rayon::prelude::*;

/// What one arc costs the shipment, split so that the explanation can name each part.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ArcCost {
    /// Moving along the arc.
    pub travel_h: f64,
    pub travel_usd: f64,
    pub co2_kg: f64,
    /// Waiting for a ferry departure (half the headway).
    pub wait_h: f64,
    /// Border dwell and fees; at a gauge-break border the measured dwell already includes
    /// the transloading (CAREC CPMM), so only the part beyond the gauge change is here.
    pub border_h: f64,
    pub border_usd: f64,
    pub gauge_h: f64,
    pub gauge_usd: f64,
    /// Terminal handling on a transfer arc.
    pub handling_h: f64,
    pub handling_usd: f64,
    /// A rail terminal's train assembly, customs and per-box charge where a container joins
    /// or leaves the train (`[mode.rail.terminal_by_region]`).
    pub terminal_h: f64,
    pub terminal_usd: f64,
}

impl ArcCost {
    pub fn hours(&self) -> f64 {
        self.travel_h
            + self.wait_h
            + self.border_h
            + self.gauge_h
            + self.handling_h
            + self.terminal_h
    }
    pub fn usd(&self) -> f64 {
        self.travel_usd + self.border_usd + self.gauge_usd + self.handling_usd + self.terminal_usd
    }
}

/// Parameters borrowed from the engine or shared from a scenario's profile, read alike.
#[derive(Clone)]
pub enum ParamsRef<'a> {
    Borrowed(&'a Params),
    Shared(std::sync::Arc<Params>),
}

impl std::ops::Deref for ParamsRef<'_> {
    type Target = Params;
    fn deref(&self) -> &Params {
        match self {
            ParamsRef::Borrowed(p) => p,
            ParamsRef::Shared(p) => p,
        }
    }
}

/// Weights are integers for the route algorithms: seconds, US cents or grams.
const SECONDS: f64 = 3600.0;
const CENTS: f64 = 100.0;
const GRAMS: f64 = 1000.0;

/// A profile applied to the network: every arc's cost and its routing weight.
pub struct Metric<'a> {
    pub net: &'a Network,
    /// The engine's parameters, or a scenario's changed copy (the profile's).
    pub params: ParamsRef<'a>,
    pub profile: Profile,
    /// Shared: a serving engine keeps one per profile and hands it to every request.
    pub weights: std::sync::Arc<[u32]>,
    lookup: std::sync::Arc<Lookup>,
}

/// What pricing a profile produced (arc weights and the tables they were read from), to
/// share between requests with an identical profile: a serving engine keeps one per
/// profile instead of pricing 1.8 M arcs and rebuilding the tables per request.
#[derive(Clone)]
pub struct Prices {
    pub weights: std::sync::Arc<[u32]>,
    lookup: std::sync::Arc<Lookup>,
}

/// The parameters an arc's cost reads, resolved once per metric into tables indexed by
/// the network's ids: a new metric prices every one of 1.8 M arcs, and string-keyed maps
/// per arc made that the larger half of a profile switch (measured: 155 ms of 320).
struct Lookup {
    /// Rail hours per km by the departure node's country (24 / km per day): a product per
    /// arc instead of a division, which sat on explain's critical path (measured: a fifth of
    /// its time).
    rail_h_per_km: Vec<f64>,
    /// Road driving hours per km by the departure node's country (1 / km/h).
    road_h_per_km: Vec<f64>,
    /// Container rates (USD per FEU-km) by the departure node's country.
    rail_usd_per_km: Vec<f64>,
    road_usd_per_km: Vec<f64>,
    /// Rail terminal (h, USD per FEU) by country.
    rail_terminal: Vec<(f64, f64)>,
    /// Hours on the road per driving hour that routing weights use (hours.rs).
    road_weight_factor: f64,
    /// Hours per km by `Mode as usize`, and for gas by pipeline.
    mode_h_per_km: Vec<f64>,
    gas_h_per_km: f64,
    /// Extra (hours, USD per FEU) by passage id.
    passage: Vec<Option<(f64, f64)>>,
    /// Passages closed in every profile (params.toml `closed = true`), by passage id.
    passage_closed: Vec<bool>,
    /// Modes the cargo may use, as a bit set by mode; all when the cargo has no list.
    cargo_modes: u8,
    /// Modes the profile allows, as a bit set by mode.
    profile_modes: u8,
    /// Mode parameters by `Mode as usize` (the params keep a hash map).
    mode: Vec<crate::params::ModeParams>,
}

impl Lookup {
    fn new(net: &Network, params: &Params, profile: &Profile) -> Lookup {
        let rail = params.mode(Mode::Rail).speed_km_per_day;
        let codes =
            || (0..net.countries.len()).map(|c| net.country_code(c as caravan_network::CountryId));
        // Hours per km by country id, from speeds by country code in km per `hours`
        // (rail: km/day, 24 h; road: km/h, 1 h).
        let per_country =
            |speeds: &std::collections::HashMap<String, f64>, default: f64, hours: f64| {
                codes()
                    .map(|code| hours / speeds.get(code).copied().unwrap_or(default))
                    .collect()
            };
        Lookup {
            rail_usd_per_km: codes()
                .map(|c| params.usd_per_feu_km(Mode::Rail, c))
                .collect(),
            road_usd_per_km: codes()
                .map(|c| params.usd_per_feu_km(Mode::Road, c))
                .collect(),
            rail_terminal: codes()
                .map(|c| {
                    params
                        .rail_terminal_by_country
                        .get(c)
                        .copied()
                        .unwrap_or_default()
                })
                .collect(),
            rail_h_per_km: per_country(&params.rail_speed_by_country, rail, 24.0),
            road_h_per_km: per_country(
                &params.road_speed_by_country,
                params.road_speed_km_per_h,
                1.0,
            ),
            road_weight_factor: params
                .hours_of_service
                .crew(profile.drivers)
                .long_haul_factor(),
            mode_h_per_km: Mode::ALL
                .iter()
                .map(|&m| 24.0 / params.mode(m).speed_km_per_day)
                .collect(),
            gas_h_per_km: 24.0 / params.mode(Mode::Pipeline).speed_km_per_day_gas,
            passage: net
                .passages
                .iter()
                .map(|p| params.passages.get(p).copied())
                .collect(),
            passage_closed: net
                .passages
                .iter()
                .map(|p| params.closed_passages.contains(p))
                .collect(),
            cargo_modes: match params.cargo_modes.get(profile.cargo.as_str()) {
                Some(ms) => ms.iter().fold(0, |b, m| b | m.bit()),
                None => u8::MAX,
            },
            profile_modes: profile.modes,
            // The params loader requires every mode, so each has an entry.
            mode: Mode::ALL.iter().map(|&m| params.mode(m).clone()).collect(),
        }
    }
}

impl<'a> Metric<'a> {
    pub fn new(net: &'a Network, params: &'a Params, profile: Profile) -> Metric<'a> {
        let params = match &profile.params {
            Some(p) => ParamsRef::Shared(p.clone()),
            None => ParamsRef::Borrowed(params),
        };
        let mut m = Metric {
            net,
            lookup: std::sync::Arc::new(Lookup::new(net, &params, &profile)),
            params,
            profile,
            weights: std::sync::Arc::from(Vec::new()),
        };
        let weights: Vec<u32> = net
            .arcs
            .par_iter()
            .map(|a| {
                if !m.allowed(a) {
                    caravan_route::INFINITY
                } else {
                    m.weight_of(&m.routing_cost(a))
                }
            })
            .collect();
        m.weights = weights.into();
        m
    }

    /// This metric's prices, to build [`Metric::with_prices`] from.
    pub fn prices(&self) -> Prices {
        Prices {
            weights: self.weights.clone(),
            lookup: self.lookup.clone(),
        }
    }

    /// A metric priced before for an identical profile (its [`Metric::prices`]).
    pub fn with_prices(
        net: &'a Network,
        params: &'a Params,
        profile: Profile,
        prices: Prices,
    ) -> Metric<'a> {
        let params = match &profile.params {
            Some(p) => ParamsRef::Shared(p.clone()),
            None => ParamsRef::Borrowed(params),
        };
        Metric {
            net,
            lookup: prices.lookup,
            params,
            profile,
            weights: prices.weights,
        }
    }

    /// An arc's cost as the routing weight sees it: road driving carries the long-haul
    /// rests (`Crew::long_haul_factor`), which the route's totals add per leg instead.
    pub fn routing_cost(&self, a: &Arc) -> ArcCost {
        let mut c = self.arc_cost(a);
        if a.mode == Mode::Road && !matches!(a.kind, ArcKind::Transfer(_)) {
            c.travel_h *= self.lookup.road_weight_factor;
        }
        c
    }

    /// The rail terminal at rail node `node` (train assembly, customs, the per-box charge
    /// of its region), where a container joins or leaves the train: on a transfer arc, and
    /// at a route that starts or ends on the rail network. Zero for other layers' nodes.
    pub fn rail_terminal(&self, node: u32) -> ArcCost {
        let n = &self.net.nodes[node as usize];
        if n.mode != Mode::Rail {
            return ArcCost::default();
        }
        let (h, usd) = self.lookup.rail_terminal[n.country as usize];
        ArcCost {
            terminal_h: h,
            terminal_usd: usd * self.units(),
            ..ArcCost::default()
        }
    }

    /// Breaks and rests (h) of a road leg with `driving_h` of driving, by the profile's
    /// crew (data/params.toml `[mode.road.hours_of_service]`).
    pub fn road_rest_h(&self, driving_h: f64) -> f64 {
        self.params
            .hours_of_service
            .crew(self.profile.drivers)
            .rest_h(driving_h)
    }

    /// Value of the goods shipped (USD): `--cargo-value`, else the default per FEU for
    /// each container-equivalent.
    pub fn cargo_value_usd(&self) -> f64 {
        self.profile
            .cargo_value_usd
            .unwrap_or(self.params.goods_value_usd_per_feu * self.units())
    }

    /// What an hour in transit costs the shipper: the goods' value × the inventory
    /// carrying rate per year / 8,760 h (data/params.toml [objective.balanced]).
    pub fn value_of_time_usd_h(&self) -> f64 {
        self.cargo_value_usd() * self.params.carrying_rate_per_year / 8760.0
    }

    /// Tonnes carried: the container payload, or the bulk tonnage (1 t by default).
    pub fn tonnes(&self) -> f64 {
        match (self.profile.cargo, self.profile.tonnes) {
            (_, Some(t)) => t,
            (Cargo::Container, None) => self.params.container_payload_t,
            _ => 1.0,
        }
    }

    pub fn weight_of(&self, c: &ArcCost) -> u32 {
        self.objective_of(c)
            .round()
            .clamp(0.0, (caravan_route::CLOSED - 1) as f64) as u32
    }

    /// A cost in the objective's weight units, unrounded and unclamped (a lane's rate can
    /// lower a path's money below the arcs' sum).
    pub fn objective_of(&self, c: &ArcCost) -> f64 {
        let w = match self.profile.objective {
            Objective::Time => c.hours() * SECONDS,
            Objective::Cost => c.usd() * CENTS,
            Objective::Co2 => c.co2_kg * GRAMS,
            Objective::Balanced => {
                (c.usd()
                    + c.hours() * self.value_of_time_usd_h()
                    + c.co2_kg / 1000.0 * self.params.carbon_price_usd_per_t)
                    * CENTS
            }
        };
        w / self.weight_scale()
    }

    /// Weights are per container-equivalent: the hierarchy needs path weights below 2^31,
    /// which a 50,000 t bulk lot's grams or cents would pass. Money and CO2 grow with the
    /// lot, so dividing by its size changes no route choice; time does not grow with it.
    pub fn weight_scale(&self) -> f64 {
        match self.profile.objective {
            Objective::Time => 1.0,
            _ => self.units().max(1e-6),
        }
    }

    /// Container-equivalents for per-FEU charges (handling, borders, value of time).
    pub(crate) fn units(&self) -> f64 {
        match self.profile.cargo {
            Cargo::Container => 1.0,
            // Bulk is priced per tonne; per-FEU charges scale with ~payload-sized lots.
            _ => self.tonnes() / self.params.container_payload_t,
        }
    }

    /// A border crossing as the profile's scenarios leave it (closed, dwell changed).
    pub fn crossing(&self, id: u32) -> &caravan_network::Crossing {
        match &self.profile.adjust {
            Some(a) => &a.crossings[id as usize],
            None => &self.net.crossings[id as usize],
        }
    }

    pub fn gauge_change(&self, id: u32) -> &caravan_network::GaugeChange {
        match &self.profile.adjust {
            Some(a) => &a.gauge_changes[id as usize],
            None => &self.net.gauge_changes[id as usize],
        }
    }

    pub fn terminal(&self, id: u32) -> &caravan_network::Terminal {
        match &self.profile.adjust {
            Some(a) => &a.terminals[id as usize],
            None => &self.net.terminals[id as usize],
        }
    }

    pub fn ferry(&self, id: u32) -> &caravan_network::FerryService {
        match &self.profile.adjust {
            Some(a) => &a.ferries[id as usize],
            None => &self.net.ferries[id as usize],
        }
    }

    pub fn allowed(&self, a: &Arc) -> bool {
        let p = &self.profile;
        let (na, nb) = (
            &self.net.nodes[a.from as usize],
            &self.net.nodes[a.to as usize],
        );
        let both = na.mode.bit() | nb.mode.bit();
        if both & self.lookup.profile_modes != both || both & self.lookup.cargo_modes != both {
            return false;
        }
        if !p.country_allowed[na.country as usize] || !p.country_allowed[nb.country as usize] {
            return false;
        }
        if a.border != NONE && (self.crossing(a.border).closed || p.bars_crossing(a.border)) {
            return false;
        }
        if let Some(adj) = &p.adjust {
            let closed = |v: &[bool], i: u32| i != NONE && v[i as usize];
            if closed(&adj.gauge_closed, a.gauge_change)
                || (a.link != NONE && adj.link_closed[a.link as usize])
            {
                return false;
            }
            match a.kind {
                ArcKind::Transfer(t) if adj.terminal_closed[t as usize] => return false,
                ArcKind::Ferry(f) if adj.ferry_closed[f as usize] => return false,
                ArcKind::Pipeline(l) if adj.pipeline_closed[l as usize] => return false,
                _ => {}
            }
            if a.border != NONE && !adj.borders_closed.is_empty() {
                let pair = (na.country.min(nb.country), na.country.max(nb.country));
                if adj.borders_closed.contains(&pair) {
                    return false;
                }
            }
        }
        if a.passage != NONE
            && (self.lookup.passage_closed[a.passage as usize]
                || p.avoid_passages.contains(&a.passage))
        {
            return false;
        }
        if a.link != NONE {
            if let Some(s) = &self.net.links[a.link as usize].scenario {
                if !p.scenarios.contains(s) {
                    return false;
                }
            }
        }
        if let ArcKind::Pipeline(id) = a.kind {
            let c = self.net.pipelines[id as usize].commodity;
            let ok = match p.cargo {
                Cargo::Liquid => matches!(c, Commodity::Crude | Commodity::Products),
                Cargo::Gas => c == Commodity::Gas,
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        true
    }

    // Inlined: returned through memory, its ten fields were stored one by one and read
    // back in pairs that missed store forwarding (measured: hot explain 10% faster).
    #[inline(always)]
    pub fn arc_cost(&self, a: &Arc) -> ArcCost {
        let mut c = ArcCost::default();
        let km = a.km as f64;
        let t = self.tonnes();
        let units = self.units();
        match a.kind {
            ArcKind::Transfer(id) => {
                let term = self.terminal(id);
                c.handling_h = term.hours as f64;
                c.handling_usd = term.usd_per_feu as f64 * units + term.usd_per_tonne as f64 * t;
                let rail = [a.from, a.to]
                    .into_iter()
                    .find(|&n| self.net.nodes[n as usize].mode == Mode::Rail);
                if let Some(n) = rail {
                    // A train rolls aboard a rail ferry and stays a train (Terminal::rolls_on).
                    let other = if n == a.from { a.to } else { a.from };
                    let aboard =
                        term.rolls_on && self.net.nodes[other as usize].mode == Mode::Ferry;
                    if !aboard {
                        let r = self.rail_terminal(n);
                        c.terminal_h = r.terminal_h;
                        c.terminal_usd = r.terminal_usd;
                    }
                }
                // A terminal whose two sides lie in different countries is a border too.
                if a.border != NONE {
                    let b = self.crossing(a.border);
                    c.border_h = b.hours as f64;
                    c.border_usd = b.usd_per_feu as f64 * units;
                }
                return c;
            }
            ArcKind::Ferry(id) => {
                let f = self.ferry(id);
                c.travel_h = f.sailing_hours as f64;
                c.wait_h = if f.sailings_per_week > 0.0 {
                    168.0 / f.sailings_per_week as f64 / 2.0
                } else {
                    self.params.ferry_wait_h
                };
            }
            _ => {}
        }
        let mp = &self.lookup.mode[a.mode as usize];
        let gas = self.profile.cargo == Cargo::Gas && a.mode == Mode::Pipeline;
        if !matches!(a.kind, ArcKind::Ferry(_)) {
            let h_per_km = if a.mode == Mode::Rail {
                self.lookup.rail_h_per_km[self.net.nodes[a.from as usize].country as usize]
            } else if a.mode == Mode::Road {
                self.lookup.road_h_per_km[self.net.nodes[a.from as usize].country as usize]
            } else if gas {
                self.lookup.gas_h_per_km
            } else {
                self.lookup.mode_h_per_km[a.mode as usize]
            };
            c.travel_h = km * h_per_km;
        }
        c.travel_usd = match self.profile.cargo {
            Cargo::Container => {
                let country = self.net.nodes[a.from as usize].country as usize;
                km * match a.mode {
                    Mode::Rail => self.lookup.rail_usd_per_km[country],
                    Mode::Road => self.lookup.road_usd_per_km[country],
                    _ => mp.usd_per_feu_km,
                }
            }
            Cargo::Gas if gas => km * t * mp.usd_per_tkm_gas,
            _ => km * t * mp.usd_per_tkm,
        };
        if a.passage != NONE {
            if let Some((h, usd)) = self.lookup.passage[a.passage as usize] {
                c.travel_h += h;
                c.travel_usd += usd * self.units();
            }
        }
        let g = if gas {
            mp.co2e_g_per_tkm_gas
        } else {
            mp.co2e_g_per_tkm
        };
        c.co2_kg = t * km * g / 1000.0;
        if a.gauge_change != NONE {
            let gc = self.gauge_change(a.gauge_change);
            c.gauge_h = gc.hours as f64;
            c.gauge_usd = gc.usd_per_feu as f64 * units;
        }
        if a.border != NONE {
            let b = self.crossing(a.border);
            c.border_h = (b.hours as f64 - c.gauge_h).max(0.0);
            c.border_usd = b.usd_per_feu as f64 * units;
        }
        c
    }
}
