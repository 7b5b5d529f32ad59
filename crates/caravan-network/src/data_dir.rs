//! Where the data is: `$CARAVAN_DATA` exactly as given, or the shipped data/.

use crate::NetworkError;
use std::path::{Path, PathBuf};

/// The data directory: `$CARAVAN_DATA` when set (and then only it: a wrong path is an
/// error, never a silent fall-back to other data), else the repository's `data/` (the
/// build-time location), else `./data`.
pub fn data_dir() -> Result<PathBuf, NetworkError> {
    if let Some(v) = std::env::var_os("CARAVAN_DATA").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(&v);
        if !dir.is_dir() {
            return Err(NetworkError::BadData {
                path: dir,
                reason: if std::path::Path::new(&v).exists() {
                    "is not a directory".into()
                } else {
                    "does not exist".into()
                },
            });
        }
        if !dir.join("network").join("manifest.json").exists() {
            return Err(NetworkError::BadData {
                path: dir,
                reason: "has no network/manifest.json (it should be caravan's data/ folder)".into(),
            });
        }
        return Ok(dir.canonicalize().unwrap_or(dir));
    }
    if std::env::var_os("CARAVAN_DATA").is_some() {
        return Err(NetworkError::BadData {
            path: PathBuf::new(),
            reason: "is empty; unset it to use the shipped data".into(),
        });
    }
    let candidates: Vec<PathBuf> = [
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data"),
        PathBuf::from("data"),
    ]
    .into_iter()
    .collect();
    for c in &candidates {
        if c.join("network").join("manifest.json").exists() {
            return Ok(c.canonicalize().unwrap_or(c.clone()));
        }
    }
    Err(NetworkError::NoData(
        candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    ))
}
