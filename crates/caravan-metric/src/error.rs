#[derive(Debug, thiserror::Error)]
pub enum MetricError {
    #[error("cannot read {path}: {message}")]
    Params { path: String, message: String },
    /// A scenario file that does not parse, or names a place the network lacks.
    #[error("scenario {origin}: {message}")]
    Scenario { origin: String, message: String },
    #[error("unknown {what} '{value}'; valid: {valid}")]
    Unknown {
        what: &'static str,
        value: String,
        valid: String,
    },
}
