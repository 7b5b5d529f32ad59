//! Charges that belong to a leg or to a route's ends rather than to one arc: a sea leg's
//! trade-lane rate (trade.rs) and the hub transshipments of its feeder ports, and the rail
//! terminal where a route starts or ends on the rail network. Routing weights cannot hold
//! them (an arc does not know where its leg began), so route totals and explanations add
//! them to the arcs' sums, as they add the drivers' rests.

use crate::{ArcCost, Cargo, Metric};
use caravan_network::{ArcKind, Mode};

/// One sea leg: consecutive sea arcs, port to port.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeaLegCharge {
    /// Indices into the path's arcs of the leg's first and last arc.
    pub first: usize,
    pub last: usize,
    /// The lane rate's difference from the world rate the arcs were priced at (USD).
    pub usd_delta: f64,
    /// A hub transshipment at the leg's start / end (a feeder port on a deep-sea leg).
    pub hub_at_start: bool,
    pub hub_at_end: bool,
}

/// What a path adds beyond its arcs' costs.
#[derive(Debug, Clone, Default)]
pub struct PathCharges {
    pub sea: Vec<SeaLegCharge>,
    /// Dwell and handling of one hub transshipment.
    pub hub: ArcCost,
    /// Rail terminal at the path's first and last node (zero off the rail network).
    pub start: ArcCost,
    pub end: ArcCost,
}

impl ArcCost {
    /// The parts of two costs added.
    pub fn plus(&self, o: &ArcCost) -> ArcCost {
        ArcCost {
            travel_h: self.travel_h + o.travel_h,
            travel_usd: self.travel_usd + o.travel_usd,
            co2_kg: self.co2_kg + o.co2_kg,
            wait_h: self.wait_h + o.wait_h,
            border_h: self.border_h + o.border_h,
            border_usd: self.border_usd + o.border_usd,
            gauge_h: self.gauge_h + o.gauge_h,
            gauge_usd: self.gauge_usd + o.gauge_usd,
            handling_h: self.handling_h + o.handling_h,
            handling_usd: self.handling_usd + o.handling_usd,
            terminal_h: self.terminal_h + o.terminal_h,
            terminal_usd: self.terminal_usd + o.terminal_usd,
        }
    }
}

impl PathCharges {
    /// Everything the path adds, as one cost.
    pub fn total(&self) -> ArcCost {
        let mut c = self.start.plus(&self.end);
        for s in &self.sea {
            c.travel_usd += s.usd_delta;
            for _ in 0..(s.hub_at_start as u8 + s.hub_at_end as u8) {
                c = c.plus(&self.hub);
            }
        }
        c
    }
}

impl Metric<'_> {
    /// The leg and end charges of a path (see the module doc).
    pub fn path_charges(&self, arcs: &[u32]) -> PathCharges {
        let net = self.net;
        let trade = &self.params.sea_trade;
        let node = |n: u32| &net.nodes[n as usize];
        let mut out = PathCharges {
            start: arcs
                .first()
                .map(|&a| self.rail_terminal(net.arcs[a as usize].from))
                .unwrap_or_default(),
            end: arcs
                .last()
                .map(|&a| self.rail_terminal(net.arcs[a as usize].to))
                .unwrap_or_default(),
            hub: ArcCost {
                handling_h: trade.hub_h,
                handling_usd: trade.hub_usd_per_feu * self.units(),
                ..ArcCost::default()
            },
            sea: Vec::new(),
        };
        // Lane rates and hubs are container-liner facts; bulk keeps its per-tonne rate.
        if self.profile.cargo != Cargo::Container {
            return out;
        }
        let world = self.params.mode(Mode::Sea).usd_per_feu_km;
        let mut i = 0;
        while i < arcs.len() {
            let is_sea = |k: usize| {
                let a = &net.arcs[arcs[k] as usize];
                a.mode == Mode::Sea && !matches!(a.kind, ArcKind::Transfer(_))
            };
            if !is_sea(i) {
                i += 1;
                continue;
            }
            let first = i;
            let mut km = 0.0;
            while i < arcs.len() && is_sea(i) {
                km += net.arcs[arcs[i] as usize].km as f64;
                i += 1;
            }
            let last = i - 1;
            let (a, b) = (
                node(net.arcs[arcs[first] as usize].from),
                node(net.arcs[arcs[last] as usize].to),
            );
            let leg = trade.leg(
                (a.lat as f64, a.lon as f64),
                (b.lat as f64, b.lon as f64),
                km,
            );
            out.sea.push(SeaLegCharge {
                first,
                last,
                usd_delta: leg.usd_per_feu_km.map_or(0.0, |r| (r - world) * km),
                hub_at_start: leg.hub_at_start,
                hub_at_end: leg.hub_at_end,
            });
        }
        out
    }
}
