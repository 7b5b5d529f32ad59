use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("{path}: {source}")]
    Toml {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("data directory not found (looked in {0}); set CARAVAN_DATA to the repository's data/ folder")]
    NoData(String),
    /// A line a scenario adds by waypoints cannot be drawn (a user's input error).
    #[error("scenario {scenario}: added link '{link}': {message}")]
    Addition {
        scenario: String,
        link: String,
        message: String,
    },
    #[error("cache {path}: {message}")]
    Cache { path: PathBuf, message: String },
}

impl NetworkError {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        NetworkError::Io {
            path: path.into(),
            source,
        }
    }
    pub(crate) fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        NetworkError::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}
