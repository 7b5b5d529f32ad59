//! One module per command: its options (clap) and how it prints and exits. The work is
//! in caravan_app; these parse, call and report.

pub mod audit;
pub mod bench;
pub mod compare;
pub mod criticality;
pub mod groups;
pub mod matrix;
pub mod network;
pub mod route;
pub mod scenarios;
pub mod serve;
pub mod validate;

/// Progress over lanes or chokepoints.
pub(crate) fn bar(total: u64, what: &str) -> indicatif::ProgressBar {
    crate::console::bar(
        total,
        20,
        &format!("{{bar:40}} {{pos}}/{{len}} {what} ({{per_sec}}, eta {{eta}})"),
    )
}
