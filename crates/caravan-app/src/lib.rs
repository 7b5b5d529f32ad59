//! caravan's interfaces over the engine: loading the prepared network, planning routes
//! (places → access → search → explanation → alternatives), formatting results, and
//! validation against published corridor figures.

pub mod bench;
pub mod columnar;
pub mod compare;
pub mod criticality;
pub mod engine;
pub mod groups;
pub mod huge_pages;
pub mod lanes;
pub mod matrix;
pub mod matrix_file;
pub mod options;
pub mod output;
#[cfg(feature = "peers")]
pub mod peers;
pub mod plan;
pub mod profiles;
pub mod scenarios;
pub mod suggest;
pub mod tempfiles;
pub mod validate;

pub use engine::{Engine, EngineError};
pub use plan::{Plan, PlanError, Request};
