//! A path of arcs told as a freight route: legs by mode, events (borders, gauge changes,
//! transshipments, ferry waits), totals and the countries in order.

use crate::{ArcCost, Metric};
use caravan_network::{ArcKind, CountryId, Mode, Network, NONE};
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Border,
    GaugeChange,
    Transshipment,
    FerryWait,
    /// Train assembly and customs where a container joins or leaves the train.
    RailTerminal,
}

impl EventKind {
    /// The name `--format json` gives the kind (serde's snake_case), for tables and for
    /// validation's `exclude`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Border => "border",
            EventKind::GaugeChange => "gauge_change",
            EventKind::Transshipment => "transshipment",
            EventKind::FerryWait => "ferry_wait",
            EventKind::RailTerminal => "rail_terminal",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub kind: EventKind,
    pub place: String,
    pub duration_h: f64,
    pub cost_usd: f64,
    pub lat: f64,
    pub lon: f64,
    /// Border: "KZ→CN"; gauge change: "1520→1435"; transshipment: "road→rail".
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Leg {
    pub mode: Mode,
    pub from: String,
    pub to: String,
    pub distance_km: f64,
    pub duration_h: f64,
    pub cost_usd: f64,
    pub co2_kg: f64,
    pub countries: Vec<String>,
    /// First/last-mile drayage between a place and the network.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub access: bool,
    /// Road legs: the drivers' breaks and rests inside `duration_h` (the rest is driving).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rest_h: Option<f64>,
    #[serde(skip)]
    pub geometry: Vec<(f64, f64)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    pub distance_km: f64,
    pub duration_h: f64,
    pub duration_days: f64,
    pub cost_usd: f64,
    pub co2_kg: f64,
}

impl Totals {
    pub(crate) fn add(&mut self, c: &ArcCost) {
        self.duration_h += c.hours();
        self.cost_usd += c.usd();
        self.co2_kg += c.co2_kg;
    }
}

/// A shipper's generalized cost of a route: what `--optimize balanced` minimises, told in
/// its parts so the ranking can be explained in one sentence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct GeneralizedCost {
    /// Freight charges (the route's cost_usd).
    pub money_usd: f64,
    /// The goods' time in transit: duration × cargo value × carrying rate / 8,760 h.
    pub time_usd: f64,
    /// Emissions at the carbon price of data/params.toml.
    pub carbon_usd: f64,
    pub cargo_value_usd: f64,
    pub value_of_time_usd_per_h: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Route {
    pub summary: String,
    pub totals: Totals,
    /// money + time + carbon, in USD (see `generalized_cost`).
    pub generalized_cost_usd: f64,
    pub generalized_cost: GeneralizedCost,
    pub countries: Vec<String>,
    pub legs: Vec<Leg>,
    pub events: Vec<Event>,
    /// The objective's value for ranking (weight units: s, cents or g).
    #[serde(skip)]
    pub objective_value: f64,
    #[serde(skip)]
    pub arcs: Vec<u32>,
}

impl Leg {
    fn start(mode: Mode, from: String) -> Leg {
        Leg {
            mode,
            from,
            to: String::new(),
            distance_km: 0.0,
            duration_h: 0.0,
            cost_usd: 0.0,
            co2_kg: 0.0,
            countries: vec![],
            access: false,
            rest_h: None,
            geometry: vec![],
        }
    }
}

fn round(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

/// A hint to fetch the cache lines of `at` (an arc spans two at most).
#[inline(always)]
fn prefetch<T>(at: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing and cannot fault.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        let p = at as *const T as *const i8;
        _mm_prefetch::<_MM_HINT_T0>(p);
        _mm_prefetch::<_MM_HINT_T0>(p.wrapping_add(std::mem::size_of::<T>() - 1));
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = at;
}

/// Names a point off the network by the nearby city, else by its coordinates.
fn name_at(net: &Network, lat: f64, lon: f64) -> String {
    net.nearest_city(lat, lon, caravan_network::NAMING_RADIUS_KM)
        .map(|c| net.cities[c].name.clone())
        .unwrap_or_else(|| format!("{lat:.2},{lon:.2}"))
}

/// Names a network node by its city (precomputed), else by its coordinates.
fn node_name(net: &Network, node: u32) -> String {
    match net.node_city(node) {
        Some(c) => net.cities[c].name.clone(),
        None => {
            let n = &net.nodes[node as usize];
            format!("{:.2},{:.2}", n.lat, n.lon)
        }
    }
}

/// Names a finished leg's end (one city look-up per leg, not per arc).
fn close_leg(net: &Network, leg: Option<Leg>, end: u32) -> Option<Leg> {
    leg.map(|mut l| {
        l.to = node_name(net, end);
        l
    })
}

/// A first/last-mile drayage leg, costed like road.
pub struct Access {
    pub label: String,
    pub lat: f64,
    pub lon: f64,
    pub km: f64,
}

/// A road arc of `km` from network node `node` standing for an access leg: its country
/// sets the driving speed.
fn access_arc(km: f64, node: u32) -> caravan_network::Arc {
    caravan_network::Arc {
        from: node,
        to: 0,
        mode: Mode::Road,
        kind: ArcKind::Line,
        km: km as f32,
        geometry: NONE,
        reversed: false,
        link: NONE,
        passage: NONE,
        border: NONE,
        gauge_change: NONE,
    }
}

impl Metric<'_> {
    /// Cost of a road drayage of `km` (access legs) to or from network node `node`, whose
    /// country sets the driving speed; breaks and rests are not in it (`road_rest_h`).
    pub fn access_cost(&self, km: f64, node: u32) -> ArcCost {
        self.arc_cost(&access_arc(km, node))
    }

    /// An access leg's cost as the routing weight sees it (see `routing_cost`).
    pub fn access_routing_cost(&self, km: f64, node: Option<u32>) -> ArcCost {
        self.routing_cost(&access_arc(km, node.unwrap_or(0)))
    }

    /// Breaks and rests of the road legs of a path: consecutive road arcs are one leg (a
    /// transfer or another mode ends it), each under the drivers' hours rule from a rested
    /// start. `explain` splits legs the same way.
    pub fn path_rest_h(&self, arcs: &[u32]) -> f64 {
        let (mut rest, mut driving) = (0.0, 0.0);
        for &ai in arcs {
            let a = &self.net.arcs[ai as usize];
            if a.mode == Mode::Road && !matches!(a.kind, ArcKind::Transfer(_)) {
                driving += self.arc_cost(a).travel_h;
            } else if driving > 0.0 {
                rest += self.road_rest_h(driving);
                driving = 0.0;
            }
        }
        rest + self.road_rest_h(driving)
    }

    /// Totals of a path and its access legs (km by road), from unrounded arc costs: the
    /// figures `route` prints and `matrix` writes, computed the same way for both.
    pub fn totals(
        &self,
        arcs: &[u32],
        origin_km: Option<f64>,
        destination_km: Option<f64>,
    ) -> Totals {
        let mut sums = Totals::default();
        for &a in arcs {
            sums.add(&self.arc_cost(&self.net.arcs[a as usize]));
        }
        sums.add(&self.path_charges(arcs).total());
        sums.duration_h += self.path_rest_h(arcs);
        self.totals_from(sums, arcs, origin_km, destination_km)
    }

    /// Totals from the arcs' cost sums (`duration_h` with the road legs' rests, `cost_usd`,
    /// `co2_kg` so far), adding access legs and distance: `explain` prices each arc once
    /// and shares the rest.
    fn totals_from(
        &self,
        totals: Totals,
        arcs: &[u32],
        origin_km: Option<f64>,
        destination_km: Option<f64>,
    ) -> Totals {
        let net = self.net;
        let ends = (
            arcs.first().map(|&a| net.arcs[a as usize].from),
            arcs.last().map(|&a| net.arcs[a as usize].to),
        );
        let km = arcs
            .iter()
            .filter(|&&a| !matches!(net.arcs[a as usize].kind, ArcKind::Transfer(_)))
            .map(|&a| net.arcs[a as usize].km as f64)
            .sum::<f64>();
        self.finish_totals(totals, ends, km, origin_km, destination_km)
    }

    /// Adds the access legs to a path's sums (`ends`: its first and last node, `km`: its
    /// length) and rounds as `route` prints; shared with the matrix's path figures.
    pub(crate) fn finish_totals(
        &self,
        mut totals: Totals,
        ends: (Option<u32>, Option<u32>),
        km: f64,
        origin_km: Option<f64>,
        destination_km: Option<f64>,
    ) -> Totals {
        for (km, node) in [(origin_km, ends.0), (destination_km, ends.1)] {
            if let Some(km) = km.filter(|&k| k > 0.0) {
                let c = self.access_cost(km, node.unwrap_or(0));
                totals.add(&c);
                totals.duration_h += self.road_rest_h(c.travel_h);
            }
        }
        totals.distance_km = km + origin_km.unwrap_or(0.0) + destination_km.unwrap_or(0.0);
        totals.distance_km = round(totals.distance_km, 1);
        totals.duration_days = round(totals.duration_h / 24.0, 2);
        totals.duration_h = round(totals.duration_h, 1);
        totals.cost_usd = round(totals.cost_usd, 0);
        totals.co2_kg = round(totals.co2_kg, 1);
        totals
    }

    /// Legs, events and totals of a path, with each leg's geometry.
    pub fn explain(
        &self,
        arcs: &[u32],
        origin: Option<&Access>,
        destination: Option<&Access>,
    ) -> Route {
        self.explain_with(arcs, origin, destination, true)
    }

    /// As [`Self::explain`]; without `geometry` the legs carry no line (decoding every arc's
    /// polyline is most of the work, and only GeoJSON output draws it).
    pub fn explain_with(
        &self,
        arcs: &[u32],
        origin: Option<&Access>,
        destination: Option<&Access>,
        with_geometry: bool,
    ) -> Route {
        let net = self.net;
        let mut legs: Vec<Leg> = Vec::new();
        let mut events = Vec::new();
        let mut countries: Vec<String> = Vec::new();
        // Countries in travel order, each once per stay. Arcs mostly stay in one country,
        // so the id is compared first and the code only when it changed.
        let push_country = |list: &mut Vec<String>, last: &mut CountryId, id: CountryId| {
            if id != *last {
                *last = id;
                let c = net.country_code(id);
                if !c.is_empty() && list.last().is_none_or(|l| l != c) {
                    list.push(c.to_string());
                }
            }
        };
        let (mut route_last, mut leg_last) = (CountryId::MAX, CountryId::MAX);
        let mut objective = 0.0;
        let access_leg = |a: &Access, to_node: bool, node: Option<u32>| -> Leg {
            let cost = self.access_cost(a.km, node.unwrap_or(0));
            let rest = self.road_rest_h(cost.travel_h);
            let (nlat, nlon) = node
                .map(|n| {
                    (
                        net.nodes[n as usize].lat as f64,
                        net.nodes[n as usize].lon as f64,
                    )
                })
                .unwrap_or((a.lat, a.lon));
            let here = match node {
                Some(n) => node_name(net, n),
                None => name_at(net, nlat, nlon),
            };
            let (from, to, geometry) = if to_node {
                (a.label.clone(), here, vec![(a.lat, a.lon), (nlat, nlon)])
            } else {
                (here, a.label.clone(), vec![(nlat, nlon), (a.lat, a.lon)])
            };
            let country = node
                .map(|n| net.country_code(net.nodes[n as usize].country).to_string())
                .unwrap_or_default();
            Leg {
                mode: Mode::Road,
                from,
                to,
                distance_km: a.km,
                duration_h: cost.hours() + rest,
                cost_usd: cost.usd(),
                co2_kg: cost.co2_kg,
                countries: if country.is_empty() {
                    vec![]
                } else {
                    vec![country]
                },
                access: true,
                rest_h: Some(rest),
                geometry,
            }
        };
        if let Some(o) = origin {
            let first = arcs.first().map(|&a| net.arcs[a as usize].from);
            if o.km > 0.0 {
                let leg = access_leg(o, true, first);
                objective += self.weight_of(&self.access_routing_cost(o.km, first)) as f64;
                legs.push(leg);
            }
        }
        // A path's arcs lie scattered over the network's 86 MB of arcs; asking for all of
        // them (then their head nodes) up front overlaps the cache misses the pricing loop
        // would take one by one.
        for &a in arcs {
            prefetch(&net.arcs[a as usize]);
        }
        for &a in arcs {
            prefetch(&net.nodes[net.arcs[a as usize].to as usize]);
        }
        let mut open_leg: Option<Leg> = None;
        let mut last_node = 0u32;
        let mut sums = Totals::default();
        let charges = self.path_charges(arcs);
        let extra = charges.total();
        sums.add(&extra);
        objective += self.objective_of(&extra);
        let rail_terminal = |events: &mut Vec<Event>, c: &ArcCost, place: String, n: u32| {
            if c.terminal_h > 0.0 || c.terminal_usd > 0.0 {
                let node = &net.nodes[n as usize];
                events.push(Event {
                    kind: EventKind::RailTerminal,
                    place,
                    duration_h: c.terminal_h,
                    cost_usd: c.terminal_usd,
                    lat: node.lat as f64,
                    lon: node.lon as f64,
                    detail: "train assembly and customs".into(),
                });
            }
        };
        let hub = |events: &mut Vec<Event>, n: u32| {
            let node = &net.nodes[n as usize];
            events.push(Event {
                kind: EventKind::Transshipment,
                place: format!("hub for {}", node_name(net, n)),
                duration_h: charges.hub.handling_h,
                cost_usd: charges.hub.handling_usd,
                lat: node.lat as f64,
                lon: node.lon as f64,
                detail: "sea→sea (feeder port, deep-sea leg)".into(),
            });
        };
        if let Some(&first) = arcs.first() {
            let n = net.arcs[first as usize].from;
            rail_terminal(&mut events, &charges.start, node_name(net, n), n);
        }
        let mut sea_legs = charges.sea.iter().peekable();
        for (idx, &ai) in arcs.iter().enumerate() {
            let a = &net.arcs[ai as usize];
            let cost = self.arc_cost(a);
            sums.add(&cost);
            objective += self.weights[ai as usize] as f64;
            let (na, nb) = (&net.nodes[a.from as usize], &net.nodes[a.to as usize]);
            push_country(&mut countries, &mut route_last, na.country);
            if let ArcKind::Transfer(t) = a.kind {
                if let Some(l) = close_leg(net, open_leg.take(), last_node) {
                    legs.push(l);
                }
                let term = &net.terminals[t as usize];
                events.push(Event {
                    kind: EventKind::Transshipment,
                    place: term.name.clone(),
                    duration_h: cost.handling_h,
                    cost_usd: cost.handling_usd,
                    lat: term.lat as f64,
                    lon: term.lon as f64,
                    detail: format!("{}→{}", na.mode, nb.mode),
                });
                let rail = if na.mode == Mode::Rail { a.from } else { a.to };
                rail_terminal(&mut events, &cost, term.name.clone(), rail);
                if a.border != NONE {
                    events.push(Event {
                        kind: EventKind::Border,
                        place: net.crossings[a.border as usize].name.clone(),
                        duration_h: cost.border_h,
                        cost_usd: cost.border_usd,
                        lat: term.lat as f64,
                        lon: term.lon as f64,
                        detail: format!(
                            "{}→{}",
                            net.country_code(na.country),
                            net.country_code(nb.country)
                        ),
                    });
                }
                continue;
            }
            let (mlat, mlon) = (na.lat as f64, na.lon as f64);
            if sea_legs
                .peek()
                .is_some_and(|s| s.first == idx && s.hub_at_start)
            {
                hub(&mut events, a.from);
            }
            let sea_leg = sea_legs.next_if(|s| s.last == idx);
            if let ArcKind::Ferry(f) = a.kind {
                events.push(Event {
                    kind: EventKind::FerryWait,
                    place: net.ferries[f as usize].name.clone(),
                    duration_h: cost.wait_h,
                    cost_usd: 0.0,
                    lat: mlat,
                    lon: mlon,
                    detail: format!("{} sailings/week", self.ferry(f).sailings_per_week),
                });
            }
            if a.gauge_change != NONE {
                let g = &net.gauge_changes[a.gauge_change as usize];
                events.push(Event {
                    kind: EventKind::GaugeChange,
                    place: g.name.clone(),
                    duration_h: cost.gauge_h,
                    cost_usd: cost.gauge_usd,
                    lat: mlat,
                    lon: mlon,
                    detail: format!("{}→{} mm", na.gauge_mm, nb.gauge_mm),
                });
            }
            if a.border != NONE {
                let b = &net.crossings[a.border as usize];
                events.push(Event {
                    kind: EventKind::Border,
                    place: b.name.clone(),
                    duration_h: cost.border_h,
                    cost_usd: cost.border_usd,
                    lat: mlat,
                    lon: mlon,
                    detail: format!(
                        "{}→{}",
                        net.country_code(na.country),
                        net.country_code(nb.country)
                    ),
                });
            }
            let geometry = if with_geometry {
                net.arc_geometry(a)
            } else {
                Vec::new()
            };
            if open_leg.as_ref().is_some_and(|l| l.mode != a.mode) {
                // Modes changed without a transfer (not expected); close the leg.
                legs.extend(close_leg(net, open_leg.take(), last_node));
            }
            let leg = open_leg.get_or_insert_with(|| {
                leg_last = CountryId::MAX;
                Leg::start(a.mode, node_name(net, a.from))
            });
            // Leg time is movement; ferry waits, border and gauge dwell are events.
            leg.distance_km += a.km as f64;
            leg.duration_h += cost.travel_h;
            leg.cost_usd += cost.travel_usd + sea_leg.map_or(0.0, |s| s.usd_delta);
            leg.co2_kg += cost.co2_kg;
            push_country(&mut leg.countries, &mut leg_last, na.country);
            push_country(&mut leg.countries, &mut leg_last, nb.country);
            if leg.geometry.last().is_some() && leg.geometry.last() == geometry.first() {
                leg.geometry.extend_from_slice(&geometry[1..]);
            } else {
                leg.geometry.extend(geometry);
            }
            last_node = a.to;
            if sea_leg.is_some_and(|s| s.hub_at_end) {
                hub(&mut events, a.to);
            }
        }
        if let Some(l) = close_leg(net, open_leg.take(), last_node) {
            legs.push(l);
        }
        if let Some(&last) = arcs.last() {
            let n = net.arcs[last as usize].to;
            rail_terminal(&mut events, &charges.end, node_name(net, n), n);
        }
        if let Some(&last) = arcs.last() {
            let to = net.nodes[net.arcs[last as usize].to as usize].country;
            push_country(&mut countries, &mut route_last, to);
        }
        if let Some(d) = destination {
            let last = arcs.last().map(|&a| net.arcs[a as usize].to);
            if d.km > 0.0 {
                objective += self.weight_of(&self.access_routing_cost(d.km, last)) as f64;
                legs.push(access_leg(d, false, last));
            }
        }
        // Drivers' hours per road leg (access legs have theirs already).
        for l in legs
            .iter_mut()
            .filter(|l| l.mode == Mode::Road && !l.access)
        {
            let rest = self.road_rest_h(l.duration_h);
            l.duration_h += rest;
            l.rest_h = Some(rest);
            sums.duration_h += rest;
        }
        let totals = self.totals_from(sums, arcs, origin.map(|a| a.km), destination.map(|a| a.km));
        round_parts(&mut legs, &mut events, &totals);
        let vot = self.value_of_time_usd_h();
        let generalized_cost = GeneralizedCost {
            money_usd: totals.cost_usd,
            time_usd: round(totals.duration_h * vot, 0),
            carbon_usd: round(
                totals.co2_kg / 1000.0 * self.params.carbon_price_usd_per_t,
                0,
            ),
            cargo_value_usd: round(self.cargo_value_usd(), 0),
            value_of_time_usd_per_h: round(vot, 2),
        };
        let main = main_modes(&legs);
        let summary = if legs.is_empty() && events.is_empty() {
            "nothing to move: the origin and the destination are the same place (0 km)".to_string()
        } else {
            format!(
                "{} via {}: {:.0} km, {:.1} days, USD {:.0}, {:.0} kg CO2e",
                main.join("+"),
                countries.join("→"),
                totals.distance_km,
                totals.duration_days,
                totals.cost_usd,
                totals.co2_kg
            )
        };
        Route {
            summary,
            totals,
            generalized_cost_usd: generalized_cost.money_usd
                + generalized_cost.time_usd
                + generalized_cost.carbon_usd,
            generalized_cost,
            countries,
            legs,
            events,
            objective_value: objective * self.weight_scale(),
            arcs: arcs.to_vec(),
        }
    }
}

/// Rounds the legs and events so that what is shown adds up to the totals shown (which the
/// matrix computes the same way, from the arcs): each figure is rounded, then the parts
/// whose rounding lost the most (or gained the most) take the one-step corrections that
/// make their sum the rounded total (largest-remainder rounding). A part thus differs from
/// its exact value by less than one step.
fn round_parts(legs: &mut [Leg], events: &mut [Event], totals: &Totals) {
    for l in legs.iter_mut() {
        l.rest_h = l.rest_h.map(|r| round(r, 1));
    }
    fn apportion(parts: Vec<&mut f64>, step: f64, total: f64) {
        let exact: Vec<f64> = parts.iter().map(|p| **p).collect();
        let steps = |x: f64| (x / step).round();
        let mut rounded: Vec<f64> = exact.iter().map(|&x| steps(x)).collect();
        let want = steps(total);
        let have: f64 = rounded.iter().sum();
        let k = (want - have) as i64;
        debug_assert!(
            k.unsigned_abs() as usize <= exact.len() + 1,
            "parts {exact:?} do not add up to the total {total}"
        );
        // Most lost by rounding first (when adding), most gained first (when taking).
        let mut order: Vec<usize> = (0..exact.len()).collect();
        order.sort_by(|&a, &b| {
            let r = |i: usize| exact[i] / step - rounded[i];
            r(b).total_cmp(&r(a))
        });
        if k < 0 {
            order.reverse();
        }
        for &i in order.iter().cycle().take(k.unsigned_abs() as usize) {
            rounded[i] += k.signum() as f64;
        }
        for (p, r) in parts.into_iter().zip(rounded) {
            // Through the decimal step again so that 0.1 × 643 prints as 64.3; `+ 0.0`
            // turns a −0.0 into 0.
            *p = round(r * step, if step < 1.0 { 1 } else { 0 }) + 0.0;
        }
    }
    apportion(
        legs.iter_mut().map(|l| &mut l.distance_km).collect(),
        0.1,
        totals.distance_km,
    );
    apportion(
        legs.iter_mut().map(|l| &mut l.co2_kg).collect(),
        0.1,
        totals.co2_kg,
    );
    apportion(
        legs.iter_mut()
            .map(|l| &mut l.duration_h)
            .chain(events.iter_mut().map(|e| &mut e.duration_h))
            .collect(),
        0.1,
        totals.duration_h,
    );
    apportion(
        legs.iter_mut()
            .map(|l| &mut l.cost_usd)
            .chain(events.iter_mut().map(|e| &mut e.cost_usd))
            .collect(),
        1.0,
        totals.cost_usd,
    );
}

/// Modes carrying at least 10% of the distance (access legs excluded), in route order.
pub fn main_modes(legs: &[Leg]) -> Vec<String> {
    let total: f64 = legs
        .iter()
        .filter(|l| !l.access)
        .map(|l| l.distance_km)
        .sum();
    let mut out: Vec<String> = Vec::new();
    for l in legs.iter().filter(|l| !l.access) {
        let share: f64 = legs
            .iter()
            .filter(|m| m.mode == l.mode && !m.access)
            .map(|m| m.distance_km)
            .sum::<f64>()
            / total.max(1e-9);
        let m = l.mode.as_str().to_string();
        if share >= 0.1 && !out.contains(&m) {
            out.push(m);
        }
    }
    if out.is_empty() && !legs.is_empty() {
        out.push("road".into());
    }
    out
}
