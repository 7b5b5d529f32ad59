//! Freight semantics in one place: parameters (`data/params.toml`), a shipment profile
//! (cargo, objective, allowed modes, avoided countries and passages, scenarios), the cost
//! of every arc in hours, USD and kg CO2e, the weights the route algorithms see, and the
//! explanation of a path as legs and events.

mod charges;
mod cost;
mod error;
mod explain;
mod figures;
mod hours;
mod params;
mod profile;
mod scenario;
mod trade;

pub use charges::{PathCharges, SeaLegCharge};
pub use cost::{ArcCost, Metric, ParamsRef, Prices};
pub use error::MetricError;
pub use explain::{main_modes, Access, Event, EventKind, GeneralizedCost, Leg, Route, Totals};
pub use figures::{FigureJoin, Figures};
pub use hours::{Crew, HoursOfService};
pub use params::{ModeParams, Params};
pub use profile::{Cargo, Objective, Profile, ProfileSpec};
pub use scenario::{apply_params, Adjust, Op, Scenario};
pub use trade::{Region, SeaLeg, SeaTrade};
