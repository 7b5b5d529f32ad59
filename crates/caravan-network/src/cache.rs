//! The prepared network on disk: built once from `data/`, then loaded in well under a
//! second. The file is versioned, keyed by a hash of every data file, checksummed, and
//! written to a temporary name then renamed, so a crash never leaves a half-written cache.

use crate::{build_with, Network, NetworkError, NewLink};
use std::io::Write;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::xxh3_64;

/// Bump when [`Network`]'s layout or the build's semantics change.
pub const CACHE_FORMAT: u32 = 11;
const MAGIC: &[u8; 8] = b"CARAVAN\0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CacheStatus {
    Loaded(PathBuf),
    Built {
        path: PathBuf,
        reason: String,
    },
    /// Built in memory: the cache file could not be written (`reason`).
    Uncached {
        path: PathBuf,
        reason: String,
    },
}

/// Hash of every file under data/ that the build reads (names and contents).
fn data_key(dir: &Path) -> Result<u64, NetworkError> {
    let mut files = Vec::new();
    for sub in ["network", "overlay", "places"] {
        let d = dir.join(sub);
        let rd = std::fs::read_dir(&d).map_err(|e| NetworkError::io(&d, e))?;
        for e in rd.flatten() {
            files.push(e.path());
        }
    }
    files.sort();
    let mut acc = Vec::with_capacity(files.len() * 16);
    for f in files {
        let bytes = std::fs::read(&f).map_err(|e| NetworkError::io(&f, e))?;
        acc.extend_from_slice(f.file_name().unwrap_or_default().as_encoded_bytes());
        acc.extend_from_slice(&xxh3_64(&bytes).to_le_bytes());
    }
    Ok(xxh3_64(&acc))
}

pub fn cache_dir() -> PathBuf {
    std::env::var_os("CARAVAN_CACHE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("caravan-cache"))
}

/// Loads the cached network for `data_dir`, or builds and caches it.
pub fn load_or_build(
    data_dir: &Path,
    cache: &Path,
    progress: &mut dyn FnMut(&str, f64),
) -> Result<(Network, CacheStatus), NetworkError> {
    load_or_build_with(data_dir, cache, &[], progress)
}

/// As [`load_or_build`], with lines that scenarios add: a variant network cached under a
/// key of the data and the additions, beside the shipped one.
pub fn load_or_build_with(
    data_dir: &Path,
    cache: &Path,
    adds: &[NewLink],
    progress: &mut dyn FnMut(&str, f64),
) -> Result<(Network, CacheStatus), NetworkError> {
    let mut key = data_key(data_dir)?;
    if !adds.is_empty() {
        let drawn = serde_json::to_vec(adds).map_err(|e| NetworkError::Cache {
            path: cache.into(),
            message: e.to_string(),
        })?;
        key ^= xxh3_64(&drawn).rotate_left(1);
    }
    let path = cache.join(format!("network-v{CACHE_FORMAT}-{key:016x}.bin"));
    let reason = match read(&path, key) {
        Ok(net) => return Ok((net, CacheStatus::Loaded(path))),
        Err(r) => r,
    };
    let net = build_with(data_dir, adds, progress)?;
    // A cache that cannot be written (read-only, or CARAVAN_CACHE names a file) costs the
    // next run a rebuild, not this run its answer.
    if let Err(e) = write(&path, key, &net) {
        return Ok((
            net,
            CacheStatus::Uncached {
                path,
                reason: e.to_string(),
            },
        ));
    }
    Ok((net, CacheStatus::Built { path, reason }))
}

fn read(path: &Path, key: u64) -> Result<Network, String> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err("no cache yet".into()),
        Err(e) => return Err(format!("unreadable cache: {e}")),
    };
    if bytes.len() < 32 || &bytes[..8] != MAGIC {
        return Err("cache header is corrupt".into());
    }
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
    let u64_at = |i: usize| u64::from_le_bytes(bytes[i..i + 8].try_into().unwrap());
    if u32_at(8) != CACHE_FORMAT {
        return Err(format!(
            "cache format {} is stale (want {CACHE_FORMAT})",
            u32_at(8)
        ));
    }
    if u64_at(12) != key {
        return Err("data/ changed since the cache was built".into());
    }
    let payload = &bytes[28..];
    if u64_at(20) != xxh3_64(payload) {
        return Err("cache checksum mismatch (corrupt file)".into());
    }
    postcard::from_bytes(payload).map_err(|e| format!("cache does not decode: {e}"))
}

fn write(path: &Path, key: u64, net: &Network) -> Result<(), NetworkError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| NetworkError::io(dir, e))?;
    let payload = postcard::to_stdvec(net).map_err(|e| NetworkError::Cache {
        path: path.into(),
        message: e.to_string(),
    })?;
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(MAGIC)?;
        f.write_all(&CACHE_FORMAT.to_le_bytes())?;
        f.write_all(&key.to_le_bytes())?;
        f.write_all(&xxh3_64(&payload).to_le_bytes())?;
        f.write_all(&payload)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        NetworkError::io(path, e)
    })
}
