//! Route planning: resolve places, connect them to the network, search, explain, and
//! find meaningfully different alternatives.

use crate::Engine;
use caravan_metric::{main_modes, Access, Metric, MetricError, Profile, ProfileSpec, Route};
use caravan_network::{geo::haversine_km, Mode, Place, PlaceError};
use caravan_route::{Dijkstra, Endpoint, INFINITY};

/// Nodes of smaller pieces than this are never used for access (stray sidings, islands).
const MIN_ACCESS_COMPONENT: u32 = 1000;
/// How many nearest nodes per layer a place may connect to.
const ACCESS_CANDIDATES: usize = 4;
/// Snap radius for layers reached without road drayage (`--modes` without road).
const SNAP_KM: f64 = 100.0;
/// Alternatives: how much a found route's arcs are penalised when searching for another.
const ALTERNATIVE_PENALTY: f64 = 1.6;
/// Bias against other modes when looking for a route carried mainly by one mode.
const MAIN_MODE_BIAS: f64 = 4.0;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub origin: String,
    pub destination: String,
    pub profile: ProfileSpec,
    pub alternatives: usize,
    /// Draw each leg's line (GeoJSON output); tables and JSON do without.
    pub geometry: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("{0}")]
    Place(#[from] PlaceError),
    #[error("{0}")]
    Profile(#[from] MetricError),
    #[error("no route: {0}")]
    NoRoute(String),
    /// A place no allowed layer reaches (an ocean point, a mode that does not serve it):
    /// OSRM's NoSegment, where NoRoute is two reachable places that nothing joins.
    #[error("no route: {0}")]
    OutOfReach(String),
    #[error("{0}")]
    Engine(#[from] crate::engine::EngineError),
}

impl PlanError {
    /// Exit codes: 2 bad input, 3 no route under the constraints.
    pub fn exit_code(&self) -> i32 {
        match self {
            PlanError::Place(_) | PlanError::Profile(_) => 2,
            PlanError::NoRoute(_) | PlanError::OutOfReach(_) => 3,
            PlanError::Engine(_) => 1,
        }
    }
}

/// Why a place's own country rules it out under the profile's country limits, if it does:
/// a route can never start in a country it may not touch.
fn excluded_country(metric: &Metric, spec: &ProfileSpec, place: &Place) -> Option<String> {
    let id = metric
        .net
        .countries
        .iter()
        .position(|c| *c == place.country)?;
    if metric
        .profile
        .country_allowed
        .get(id)
        .copied()
        .unwrap_or(true)
    {
        return None;
    }
    let p = spec;
    let rule = if !p.only_countries.is_empty() {
        format!("--only-countries {}", p.only_countries.join(","))
    } else {
        format!("--avoid-countries {}", p.avoid_countries.join(","))
    };
    Some(format!(
        "{place} is in {}, which {rule} excludes: a route cannot start or end there",
        place.country
    ))
}

/// A planned answer: the resolved places and the routes, best first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Plan {
    pub origin: Place,
    pub destination: Place,
    pub routes: Vec<PlannedRoute>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct PlannedRoute {
    #[serde(flatten)]
    pub route: Route,
    pub main_modes: Vec<String>,
    /// Distance from the place to the network node where the route starts/ends when no
    /// road leg connects them (`--modes` without road), as OSRM reports waypoint snapping.
    pub origin_snap_km: f64,
    pub destination_snap_km: f64,
}

/// A network node a place connects to, and how (drayage leg of `km`, or a snap).
pub(crate) struct Candidate {
    pub(crate) node: u32,
    pub(crate) km: f64,
    pub(crate) as_leg: bool,
}

impl Engine {
    /// A checked profile with its scenarios; countries closed to transit and bilateral
    /// crossings are closed everywhere (no endpoints known: a matrix's cells share one
    /// profile).
    pub fn profile(&self, spec: &ProfileSpec) -> Result<Profile, PlanError> {
        self.profile_for(spec, &[])
    }

    /// Where a place joins the network under a profile: the nearest nodes of each layer it
    /// may enter, by road drayage when road is allowed, else by snapping.
    pub(crate) fn access(&self, metric: &Metric, place: &Place) -> Vec<Candidate> {
        let p = &metric.profile;
        let cargo_ok = |m: Mode| {
            self.params
                .cargo_modes
                .get(p.cargo.as_str())
                .is_none_or(|ms| ms.contains(&m))
        };
        let by_road = p.allows(Mode::Road) && cargo_ok(Mode::Road);
        let layers: Vec<Mode> = if by_road {
            vec![Mode::Road]
        } else {
            Mode::ALL
                .into_iter()
                .filter(|&m| p.allows(m) && cargo_ok(m))
                .collect()
        };
        let own = self
            .net
            .countries
            .iter()
            .position(|c| *c == place.country)
            .filter(|_| !place.country.is_empty());
        let mut out = Vec::new();
        for layer in layers {
            let radius = if by_road {
                self.params.max_access_km
            } else {
                SNAP_KM
            };
            let index = &self.access_index()[layer as usize];
            let near = self.nearest_allowed(index, place, radius, own, &p.country_allowed);
            for (d, n) in near.into_iter().take(ACCESS_CANDIDATES) {
                // Under a kilometre the place is at the node: no drayage leg.
                let km = if d < 1.0 { 0.0 } else { d };
                out.push(Candidate {
                    node: n,
                    km: km
                        * if by_road {
                            self.params.access_detour
                        } else {
                            1.0
                        },
                    as_leg: by_road,
                });
            }
        }
        out
    }

    /// Per mode, the nodes a place may join: in a piece of at least
    /// [`MIN_ACCESS_COMPONENT`] nodes, and for sea only ports (maritime nodes have no
    /// country). A scan of every node per request was a tenth of a route's time.
    fn access_index(&self) -> &[caravan_network::spatial::SpatialIndex] {
        self.access_index.get_or_init(|| {
            Mode::ALL
                .iter()
                .map(|&m| {
                    caravan_network::spatial::SpatialIndex::new(
                        self.net.nodes.iter().enumerate().filter_map(|(i, n)| {
                            let ok = n.mode == m
                                && !(m == Mode::Sea && n.country == 0)
                                && self.net.component_size[self.net.component[i] as usize]
                                    >= MIN_ACCESS_COMPONENT;
                            ok.then_some((i as u32, n.lat as f64, n.lon as f64))
                        }),
                    )
                })
                .collect()
        })
    }

    /// The [`ACCESS_CANDIDATES`] nearest nodes of `index` within `radius` km whose country
    /// the profile allows, by haversine km; only nodes of the place's own country when it
    /// has any within reach (drayage into a neighbour would cross a border that no event
    /// accounts for). The k-d tree's nearest few answer almost every place; all nodes
    /// within the radius (thousands at 300 km) are read only when those are not enough to
    /// decide.
    fn nearest_allowed(
        &self,
        index: &caravan_network::spatial::SpatialIndex,
        place: &Place,
        radius: f64,
        own: Option<usize>,
        allowed: &[bool],
    ) -> Vec<(f64, u32)> {
        const FIRST: usize = 64;
        let pick = |found: Vec<(u32, f64)>| -> Vec<(f64, u32)> {
            let mut near: Vec<(f64, u32)> = found
                .into_iter()
                .filter(|&(i, _)| allowed[self.net.nodes[i as usize].country as usize])
                .map(|(i, _)| {
                    let n = &self.net.nodes[i as usize];
                    (
                        haversine_km(place.lat, place.lon, n.lat as f64, n.lon as f64),
                        i,
                    )
                })
                .filter(|&(d, _)| d <= radius)
                .collect();
            near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let of_own =
                |&(_, n): &(f64, u32)| Some(self.net.nodes[n as usize].country as usize) == own;
            if near.iter().any(of_own) {
                near.retain(of_own);
            }
            near.truncate(ACCESS_CANDIDATES);
            near
        };
        // The chord distance only preselects (slightly wider than the radius); the
        // figures use haversine, as everywhere else.
        let reach = radius * 1.001 + 0.1;
        let first = index.nearest_k(place.lat, place.lon, FIRST, reach);
        if first.len() < FIRST {
            return pick(first);
        }
        // Truncated: decided only if the nearest few hold enough nodes of the kind kept
        // (own country when the place has one within them, else any allowed).
        let near = pick(first);
        let own_among = near
            .iter()
            .filter(|&&(_, n)| Some(self.net.nodes[n as usize].country as usize) == own)
            .count();
        if near.len() == ACCESS_CANDIDATES && (own.is_none() || own_among == near.len()) {
            return near;
        }
        pick(index.within(place.lat, place.lon, reach))
    }

    pub fn plan(&self, req: &Request) -> Result<Plan, PlanError> {
        let origin = self.net.resolve_place(&req.origin)?;
        let destination = self.net.resolve_place(&req.destination)?;
        let ends = [origin.country.as_str(), destination.country.as_str()];
        let profile = self.profile_for(&req.profile, &ends)?;
        let cargo_modes = self
            .params
            .cargo_modes
            .get(profile.cargo.as_str())
            .cloned()
            .unwrap_or_default();
        let usable: Vec<Mode> = Mode::ALL
            .into_iter()
            .filter(|&m| profile.allows(m) && cargo_modes.contains(&m))
            .collect();
        if usable.is_empty() {
            let asked: Vec<&str> = Mode::ALL
                .into_iter()
                .filter(|&m| profile.allows(m))
                .map(Mode::as_str)
                .collect();
            return Err(PlanError::NoRoute(format!(
                "{} cargo cannot travel by {} (it may use: {}); change --modes or --cargo",
                profile.cargo.as_str(),
                asked.join(", "),
                cargo_modes
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        let (metric, digest) = self.metric(profile);
        for place in [&origin, &destination] {
            if let Some(why) = excluded_country(&metric, &req.profile, place) {
                return Err(PlanError::Profile(MetricError::Limit(why)));
            }
        }
        let from = self.access(&metric, &origin);
        let to = self.access(&metric, &destination);
        for (place, c) in [(&origin, &from), (&destination, &to)] {
            if c.is_empty() {
                return Err(PlanError::OutOfReach(format!(
                    "{place} is not within reach of the network for modes {} (road access up to {} km, snapping up to {SNAP_KM} km)",
                    usable.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(","),
                    self.params.max_access_km
                )));
            }
        }
        if origin.lat == destination.lat && origin.lon == destination.lon {
            // Nothing moves: one empty route, as the matrix's diagonal says.
            let here = [Candidate {
                node: from[0].node,
                km: 0.0,
                as_leg: false,
            }];
            let path = caravan_route::Path {
                weight: 0,
                source: from[0].node,
                target: from[0].node,
                arcs: Vec::new(),
            };
            let mut route = planned_route(
                &metric,
                (&origin, &here),
                (&destination, &here),
                &path,
                req.geometry,
            );
            route.origin_snap_km = 0.0;
            route.destination_snap_km = 0.0;
            route.route.events.clear();
            route.route.countries = vec![origin.country.clone()];
            route.route.countries.retain(|c| !c.is_empty());
            return Ok(Plan {
                origin,
                destination,
                routes: vec![route],
            });
        }
        let (sources, targets) = (endpoints(&metric, &from), endpoints(&metric, &to));
        let view = self.hierarchy.view();
        let mut searcher = self.hierarchy.searcher(&view);
        let mut search = |weights: &[u32]| -> Result<Option<caravan_route::Path>, PlanError> {
            let m = if std::ptr::eq(weights, &metric.weights[..]) {
                self.customized_keyed(digest, weights, false)
            } else {
                self.customized(weights)
            };
            Ok(searcher.path(&m, &sources, &targets))
        };
        let explain = |path: &caravan_route::Path| -> PlannedRoute {
            planned_route(
                &metric,
                (&origin, &from),
                (&destination, &to),
                path,
                req.geometry,
            )
        };
        let Some(best) = search(&metric.weights)? else {
            return Err(PlanError::NoRoute(self.diagnose(
                req,
                &metric,
                &origin,
                &destination,
            )));
        };
        let mut routes = vec![explain(&best)];
        let wanted = req.alternatives.max(1);
        if wanted > 1 {
            // Options carried by another main mode come first; penalty-method corridor
            // variants fill the remaining places.
            let mut by_mode = Vec::new();
            // 1) Routes carried mainly by each other allowed mode.
            for m in [Mode::Rail, Mode::Sea, Mode::Road, Mode::Air] {
                if !usable.contains(&m)
                    || routes
                        .iter()
                        .any(|r| r.main_modes.first().map(String::as_str) == Some(m.as_str()))
                {
                    continue;
                }
                let biased: Vec<u32> = metric
                    .weights
                    .iter()
                    .zip(&self.net.arcs)
                    .map(|(&w, a)| {
                        if w == INFINITY
                            || a.mode == m
                            || matches!(a.kind, caravan_network::ArcKind::Transfer(_))
                        {
                            w
                        } else if a.mode == Mode::Road {
                            scale(w, MAIN_MODE_BIAS)
                        } else {
                            INFINITY
                        }
                    })
                    .collect();
                if let Some(p) = search(&biased)? {
                    let r = explain(&p);
                    if is_distinct(&r, &routes) && is_distinct(&r, &by_mode) {
                        by_mode.push(r);
                    }
                }
            }
            by_mode.sort_by(|a, b| a.route.objective_value.total_cmp(&b.route.objective_value));
            routes.extend(by_mode);
            routes.truncate(wanted);
            // 2) Penalty method: discourage arcs already used, look for another corridor.
            let mut penalised = metric.weights.to_vec();
            for _ in 0..wanted + 2 {
                if routes.len() >= wanted {
                    break;
                }
                for r in &routes {
                    for &a in &r.route.arcs {
                        penalised[a as usize] = scale(penalised[a as usize], ALTERNATIVE_PENALTY);
                    }
                }
                if let Some(p) = search(&penalised)? {
                    let r = explain(&p);
                    if is_distinct(&r, &routes) {
                        routes.push(r);
                    }
                }
                if routes.len() >= wanted {
                    break;
                }
            }
            routes.truncate(wanted);
            routes.sort_by(|a, b| a.route.objective_value.total_cmp(&b.route.objective_value));
        }
        Ok(Plan {
            origin,
            destination,
            routes,
        })
    }

    /// Says which constraint blocks a route by relaxing each in turn.
    fn diagnose(
        &self,
        req: &Request,
        metric: &Metric,
        origin: &Place,
        destination: &Place,
    ) -> String {
        let base = format!("no route from {origin} to {destination} under the given constraints");
        let try_with = |f: &dyn Fn(&mut ProfileSpec)| -> bool {
            let mut spec = req.profile.clone();
            f(&mut spec);
            let ends = [origin.country.as_str(), destination.country.as_str()];
            let Ok(profile) = self.profile_for(&spec, &ends) else {
                return false;
            };
            let metric = Metric::new(&self.net, &self.params, profile);
            let (a, b) = (
                self.access(&metric, origin),
                self.access(&metric, destination),
            );
            let ends = |c: &[Candidate]| {
                c.iter()
                    .map(|c| Endpoint {
                        node: c.node,
                        weight: 0,
                    })
                    .collect::<Vec<_>>()
            };
            Dijkstra::new(self.net.nodes.len())
                .run(self.graph(), &metric.weights, &ends(&a), &ends(&b))
                .is_some()
        };
        let mut hints = Vec::new();
        if !(req.profile.avoid_countries.is_empty() && req.profile.only_countries.is_empty())
            && try_with(&|s| {
                s.avoid_countries.clear();
                s.only_countries.clear();
            })
        {
            hints.push("the country restrictions (--avoid-countries/--only-countries) block it");
        }
        if !req.profile.avoid_passages.is_empty() && try_with(&|s| s.avoid_passages.clear()) {
            hints.push("the avoided passages (--avoid-passages) block it");
        }
        if !req.profile.modes.is_empty() && try_with(&|s| s.modes.clear()) {
            hints.push("the allowed modes (--modes) do not connect these places");
        }
        let reach = self.frontier(metric, origin, destination);
        if hints.is_empty() {
            format!("{base}: the places are not connected in the network for this cargo{reach}")
        } else {
            format!("{base}: {}{reach}", hints.join("; "))
        }
    }

    /// Where the network reachable from each end stops: the reachable node nearest the
    /// other end, named, so that a user sees which side is cut off and where (a line that
    /// ends at Gebze), not only which option was given.
    fn frontier(&self, metric: &Metric, origin: &Place, destination: &Place) -> String {
        let mut parts = Vec::new();
        let mut reached: Vec<Vec<u64>> = Vec::new();
        for (from, to) in [(origin, destination), (destination, origin)] {
            let ends: Vec<Endpoint> = self
                .access(metric, from)
                .iter()
                .map(|c| Endpoint {
                    node: c.node,
                    weight: 0,
                })
                .collect();
            if ends.is_empty() {
                continue;
            }
            let dist =
                Dijkstra::new(self.net.nodes.len()).distances(self.graph(), &metric.weights, &ends);
            reached.push(dist);
            let nearest = reached[reached.len() - 1]
                .iter()
                .enumerate()
                .filter(|(_, &d)| d != u64::MAX)
                .map(|(i, _)| {
                    let n = &self.net.nodes[i];
                    let km = haversine_km(n.lat as f64, n.lon as f64, to.lat, to.lon);
                    (km, i)
                })
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((km, i)) = nearest {
                let n = &self.net.nodes[i];
                let at = self
                    .net
                    .node_city(i as u32)
                    .map(|c| {
                        let c = &self.net.cities[c];
                        if c.country == n.country || n.country == 0 {
                            format!("{}, {}", c.name, self.net.country_code(c.country))
                        } else {
                            format!(
                                "near {}, {} (in {})",
                                c.name,
                                self.net.country_code(c.country),
                                self.net.country_code(n.country)
                            )
                        }
                    })
                    .unwrap_or_else(|| format!("{:.3},{:.3}", n.lat, n.lon));
                parts.push(format!(
                    "{} {} the network under these limits comes no closer to {} than {at} ({km:.0} km away, {})",
                    if parts.is_empty() { "From" } else { "from" },
                    from.name,
                    to.name,
                    n.mode
                ));
            }
        }
        if let [o, d] = &reached[..] {
            let closed = self.closed_between(o, d, &metric.profile);
            if !closed.is_empty() {
                parts.push(format!(
                    "the two sides meet only across crossings closed to this freight (data/overlay/borders.toml): the {}",
                    closed.join(", the ")
                ));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(". {}", parts.join("; "))
        }
    }

    /// Closed border crossings with one end reached from each side: a route blocked by a
    /// closed border should say so, not blame the modes that the border cuts (Seoul →
    /// Pyongyang by road); a bilateral crossing closed to this lane's transit says why.
    fn closed_between(&self, o: &[u64], d: &[u64], profile: &Profile) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for a in &self.net.arcs {
            if a.border == caravan_network::NONE || !profile.allows(a.mode) {
                continue;
            }
            let c = &self.net.crossings[a.border as usize];
            let (f, t) = (a.from as usize, a.to as usize);
            let meets =
                (o[f] != u64::MAX && d[t] != u64::MAX) || (o[t] != u64::MAX && d[f] != u64::MAX);
            let name = if c.closed {
                c.name.clone()
            } else if profile.bars_crossing(a.border) {
                format!("{} (open only to its two countries' own trade)", c.name)
            } else {
                continue;
            };
            if meets && !names.contains(&name) {
                names.push(name);
            }
        }
        names.truncate(3);
        names
    }
}

/// A found path explained as a route, with the access legs' places and snaps.
pub(crate) fn planned_route(
    metric: &Metric,
    (origin, from): (&Place, &[Candidate]),
    (destination, to): (&Place, &[Candidate]),
    path: &caravan_route::Path,
    geometry: bool,
) -> PlannedRoute {
    let f = from.iter().find(|c| c.node == path.source).unwrap();
    let t = to.iter().find(|c| c.node == path.target).unwrap();
    let access = |place: &Place, c: &Candidate| {
        c.as_leg.then(|| Access {
            label: place.name.clone(),
            lat: place.lat,
            lon: place.lon,
            km: c.km,
        })
    };
    let (oa, da) = (access(origin, f), access(destination, t));
    let mut route = metric.explain_with(&path.arcs, oa.as_ref(), da.as_ref(), geometry);
    if f.as_leg && !origin.country.is_empty() && route.countries.first() != Some(&origin.country) {
        route.countries.insert(0, origin.country.clone());
    }
    if t.as_leg
        && !destination.country.is_empty()
        && route.countries.last() != Some(&destination.country)
    {
        route.countries.push(destination.country.clone());
    }
    let snap = |c: &Candidate| {
        if c.as_leg {
            0.0
        } else {
            (c.km * 10.0).round() / 10.0
        }
    };
    PlannedRoute {
        main_modes: main_modes(&route.legs),
        route,
        origin_snap_km: snap(f),
        destination_snap_km: snap(t),
    }
}

/// Search endpoints for a place's access candidates, each weighted by its drayage.
pub(crate) fn endpoints(metric: &Metric, candidates: &[Candidate]) -> Vec<Endpoint> {
    candidates
        .iter()
        .map(|c| Endpoint {
            node: c.node,
            // A place snapped onto the rail network starts or ends at a rail terminal.
            weight: metric.weight_of(
                &metric
                    .access_routing_cost(c.km, Some(c.node))
                    .plus(&metric.rail_terminal(c.node)),
            ),
        })
        .collect()
}

fn scale(w: u32, f: f64) -> u32 {
    if w == INFINITY {
        w
    } else {
        ((w as f64) * f).min((INFINITY - 1) as f64) as u32
    }
}

/// Different main modes or a different sequence of countries, and not mostly the same arcs.
fn is_distinct(r: &PlannedRoute, found: &[PlannedRoute]) -> bool {
    found.iter().all(|f| {
        let shared: std::collections::HashSet<u32> = f.route.arcs.iter().copied().collect();
        let overlap = r.route.arcs.iter().filter(|a| shared.contains(a)).count() as f64
            / r.route.arcs.len().max(1) as f64;
        (f.main_modes != r.main_modes || f.route.countries != r.route.countries) && overlap < 0.8
    })
}
