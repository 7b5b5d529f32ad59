#[derive(Debug, thiserror::Error)]
pub enum MetricError {
    #[error("cannot read {path}: {message}")]
    Params { path: String, message: String },
    /// A scenario file that does not parse, or names a place the network lacks.
    #[error("scenario {origin}: {message}")]
    Scenario { origin: String, message: String },
    /// A request beyond what the modelled carriers can do (a shipment over its limit).
    #[error("{0}")]
    Limit(String),
    #[error("unknown {what} '{value}'; valid: {valid}")]
    Unknown {
        what: &'static str,
        value: String,
        valid: String,
    },
}
