//! A path's figures as a joinable summary, so that a matrix can carry them through the
//! hierarchy instead of unpacking every cell's path (caravan-route `payload`).
//!
//! Most of a route's totals are sums over its arcs, but not all: a road leg's drivers'
//! rests depend on the whole leg's driving time, and a sea leg's trade-lane rate and hub
//! transshipments on where the leg starts and ends and how long it is (`charges.rs`).
//! So the summary keeps, besides the sums, the leg still open at each end of the path
//! (a run of road or sea arcs that a join may extend); a leg is charged once both its ends
//! are known, exactly as [`Metric::totals`] charges it, and [`Metric::figures_totals`]
//! then finishes like `totals` does.

use crate::explain::Totals;
use crate::{ArcCost, Cargo, Metric};
use caravan_network::{ArcKind, Mode};
use caravan_route::Join;
use std::sync::atomic::{AtomicU8, Ordering::Relaxed};

const NONE: u32 = u32::MAX;

/// A leg that may still grow: consecutive road arcs (their driving hours) or sea arcs
/// (first and last node, length).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Run {
    Road { driving_h: f64 },
    Sea { from: u32, to: u32, km: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Shape {
    /// No arcs.
    Empty,
    /// The whole path is one run.
    One(Run),
    /// Something breaks the path into runs: the runs open at its start and end, if any
    /// (those in between are charged already).
    Many {
        head: Option<Run>,
        tail: Option<Run>,
    },
}

/// The figures of a path: see the module doc.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    km: f64,
    hours: f64,
    usd: f64,
    co2_kg: f64,
    /// First and last node (`u32::MAX` when empty): rail terminals and access legs.
    first: u32,
    last: u32,
    shape: Shape,
}

impl Figures {
    const EMPTY: Figures = Figures {
        km: 0.0,
        hours: 0.0,
        usd: 0.0,
        co2_kg: 0.0,
        first: NONE,
        last: NONE,
        shape: Shape::Empty,
    };

    fn add(&mut self, c: &ArcCost) {
        self.hours += c.hours();
        self.usd += c.usd();
        self.co2_kg += c.co2_kg;
    }
}

/// Joins figures under one metric (the leg charges need its rules).
pub struct FigureJoin<'m, 'a> {
    metric: &'m Metric<'a>,
    /// The sea's world rate (USD per FEU-km), looked up once.
    sea_rate: f64,
    /// Per node, its trade region plus one (0: none), or `UNKNOWN_REGION` until first
    /// asked: a matrix closes sea legs at the same few hundred ports millions of times,
    /// and finding a region is a scan over the region boxes.
    regions: Vec<AtomicU8>,
}

const UNKNOWN_REGION: u8 = u8::MAX;

impl<'m, 'a> FigureJoin<'m, 'a> {
    pub fn new(metric: &'m Metric<'a>) -> Self {
        assert!(
            metric.params.sea_trade.regions.len() < UNKNOWN_REGION as usize - 1,
            "trade regions fit a byte"
        );
        FigureJoin {
            metric,
            sea_rate: metric.params.mode(Mode::Sea).usd_per_feu_km,
            regions: (0..metric.net.nodes.len())
                .map(|_| AtomicU8::new(UNKNOWN_REGION))
                .collect(),
        }
    }

    fn region(&self, node: u32) -> Option<usize> {
        let slot = &self.regions[node as usize];
        let known = slot.load(Relaxed);
        let r = if known == UNKNOWN_REGION {
            let n = &self.metric.net.nodes[node as usize];
            let r = self
                .metric
                .params
                .sea_trade
                .region_of(n.lat as f64, n.lon as f64);
            let code = r.map_or(0, |r| r as u8 + 1);
            slot.store(code, Relaxed);
            code
        } else {
            known
        };
        (r != 0).then(|| r as usize - 1)
    }

    fn arc(&self, a: u32) -> Figures {
        let m = self.metric;
        let arc = &m.net.arcs[a as usize];
        let c = m.arc_cost(arc);
        let transfer = matches!(arc.kind, ArcKind::Transfer(_));
        let mut f = Figures {
            km: if transfer { 0.0 } else { arc.km as f64 },
            first: arc.from,
            last: arc.to,
            shape: match arc.mode {
                Mode::Road if !transfer => Shape::One(Run::Road {
                    driving_h: c.travel_h,
                }),
                Mode::Sea if !transfer => Shape::One(Run::Sea {
                    from: arc.from,
                    to: arc.to,
                    km: arc.km as f64,
                }),
                _ => Shape::Many {
                    head: None,
                    tail: None,
                },
            },
            ..Figures::EMPTY
        };
        f.add(&c);
        f
    }

    /// The charge of a finished leg, added to `f`'s sums.
    fn close(&self, f: &mut Figures, run: Option<Run>) {
        let m = self.metric;
        match run {
            None => {}
            // No driving, no rest (`Crew::rest_h` of 0 is 0).
            Some(Run::Road { driving_h }) => f.hours += m.road_rest_h(driving_h),
            Some(Run::Sea { from, to, km }) => {
                if m.profile.cargo != Cargo::Container {
                    return;
                }
                let trade = &m.params.sea_trade;
                let leg = trade.leg_between(self.region(from), self.region(to), km);
                f.usd += leg.usd_per_feu_km.map_or(0.0, |r| (r - self.sea_rate) * km);
                let hubs = leg.hub_at_start as u8 + leg.hub_at_end as u8;
                for _ in 0..hubs {
                    f.hours += trade.hub_h;
                    f.usd += trade.hub_usd_per_feu * m.units();
                }
            }
        }
    }
}

/// Two runs that meet extend each other when they are the same kind of leg.
fn merge(a: Run, b: Run) -> Option<Run> {
    match (a, b) {
        (Run::Road { driving_h: x }, Run::Road { driving_h: y }) => {
            Some(Run::Road { driving_h: x + y })
        }
        (Run::Sea { from, km: x, .. }, Run::Sea { to, km: y, .. }) => Some(Run::Sea {
            from,
            to,
            km: x + y,
        }),
        _ => None,
    }
}

impl Join<Figures> for FigureJoin<'_, '_> {
    fn empty(&self) -> Figures {
        Figures::EMPTY
    }

    fn of_arcs(&self, arcs: &[u32]) -> Figures {
        arcs.iter()
            .fold(Figures::EMPTY, |f, &a| self.join(&f, &self.arc(a)))
    }

    fn join(&self, a: &Figures, b: &Figures) -> Figures {
        let (mut out, shape) = match (a.shape, b.shape) {
            (Shape::Empty, _) => return *b,
            (_, Shape::Empty) => return *a,
            (Shape::One(x), Shape::One(y)) => (
                *a,
                match merge(x, y) {
                    Some(z) => Shape::One(z),
                    None => Shape::Many {
                        head: Some(x),
                        tail: Some(y),
                    },
                },
            ),
            (Shape::One(x), Shape::Many { head, tail }) => {
                let mut out = *a;
                let head = match head.and_then(|h| merge(x, h)) {
                    Some(z) => z,
                    None => {
                        self.close(&mut out, head);
                        x
                    }
                };
                (
                    out,
                    Shape::Many {
                        head: Some(head),
                        tail,
                    },
                )
            }
            (Shape::Many { head, tail }, Shape::One(y)) => {
                let mut out = *a;
                let tail = match tail.and_then(|t| merge(t, y)) {
                    Some(z) => z,
                    None => {
                        self.close(&mut out, tail);
                        y
                    }
                };
                (
                    out,
                    Shape::Many {
                        head,
                        tail: Some(tail),
                    },
                )
            }
            (Shape::Many { head, tail: t1 }, Shape::Many { head: h2, tail }) => {
                let mut out = *a;
                match t1.zip(h2).and_then(|(t, h)| merge(t, h)) {
                    Some(z) => self.close(&mut out, Some(z)),
                    None => {
                        self.close(&mut out, t1);
                        self.close(&mut out, h2);
                    }
                }
                (out, Shape::Many { head, tail })
            }
        };
        out.km += b.km;
        out.hours += b.hours;
        out.usd += b.usd;
        out.co2_kg += b.co2_kg;
        out.last = b.last;
        out.shape = shape;
        out
    }
}

impl FigureJoin<'_, '_> {
    /// The totals of a path from its figures, as [`Metric::totals`] gives them from its
    /// arcs (the same charges, access legs and rounding; sums may differ in the last bits,
    /// being added in another order).
    pub fn totals(
        &self,
        f: &Figures,
        origin_km: Option<f64>,
        destination_km: Option<f64>,
    ) -> Totals {
        let join = self;
        let mut done = *f;
        match f.shape {
            Shape::Empty => {}
            Shape::One(r) => join.close(&mut done, Some(r)),
            Shape::Many { head, tail } => {
                join.close(&mut done, head);
                join.close(&mut done, tail);
            }
        }
        let mut totals = Totals {
            duration_h: done.hours,
            cost_usd: done.usd,
            co2_kg: done.co2_kg,
            ..Totals::default()
        };
        let ends = (
            (f.first != NONE).then_some(f.first),
            (f.last != NONE).then_some(f.last),
        );
        if let (Some(a), Some(b)) = ends {
            totals.add(&self.metric.rail_terminal(a));
            totals.add(&self.metric.rail_terminal(b));
        }
        self.metric
            .finish_totals(totals, ends, done.km, origin_km, destination_km)
    }
}
