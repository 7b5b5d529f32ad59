use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum NetworkError {
    /// (The I/O error is in the message, not a `source`: printed with its causes, it
    /// would appear twice.)
    #[error("cannot use {}: {cause}", path.display())]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    /// A TOML file that does not parse or has a wrong field: the line and the problem on
    /// one line (toml's own message spans several, with an excerpt).
    #[error("{}{}: {message}", path.display(), line.map_or(String::new(), |l| format!(" line {l}")))]
    Toml {
        path: PathBuf,
        line: Option<usize>,
        message: String,
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
    #[error("CARAVAN_DATA={}: {reason}", path.display())]
    BadData { path: PathBuf, reason: String },
    #[error("cache {path}: {message}")]
    Cache { path: PathBuf, message: String },
}

impl NetworkError {
    pub fn toml(path: impl Into<PathBuf>, text: &str, e: &toml::de::Error) -> Self {
        NetworkError::Toml {
            path: path.into(),
            line: e
                .span()
                .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1),
            message: e.message().trim().to_string(),
        }
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        NetworkError::Io {
            path: path.into(),
            cause: source,
        }
    }
    pub(crate) fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        NetworkError::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}
