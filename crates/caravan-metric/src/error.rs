#[derive(Debug, thiserror::Error)]
pub enum MetricError {
    #[error("cannot read {path}: {message}")]
    Params { path: String, message: String },
    #[error("unknown {what} '{value}'; valid: {valid}")]
    Unknown {
        what: &'static str,
        value: String,
        valid: String,
    },
}
