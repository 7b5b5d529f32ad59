//! Prepared hierarchies on disk: built once per topology, memory-mapped on start.
//!
//! Two files per topology key: the CCH structure in the `cch` crate's bundle format
//! (RoutingKit-compatible, memory-mappable) and our chain mapping, which records the
//! structure file's checksum. The mapping file is written last, so a crash mid-write leaves
//! no valid pair; both are written to a temporary name and renamed into place. A stale
//! (other key or format) or corrupt pair is reported and rebuilt by the caller.

use crate::chain::ChainContraction;
use crate::hierarchy::{Hierarchy, Structure};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use xxhash_rust::xxh3::xxh3_64;

const MAGIC: [u8; 8] = *b"CRVNHIER";
/// Bump when the chain mapping, the order or the way either is derived changes
/// (2: METIS order; 3: the shortcuts' input arcs saved with the chain mapping).
pub const FORMAT: u32 = 3;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("hierarchy cache {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("hierarchy cache {0}: {1}")]
    Invalid(PathBuf, String),
}

#[derive(Serialize, Deserialize)]
struct Header {
    magic: [u8; 8],
    format: u32,
    key: u64,
    struct_len: u64,
    struct_xxh3: u64,
}

/// A graph's shape: node count, arcs and node coordinates (for the nested dissection).
#[derive(Clone, Copy)]
pub struct Topology<'a> {
    pub node_count: usize,
    pub arcs: &'a [(u32, u32)],
    pub lat: &'a [f32],
    pub lon: &'a [f32],
}

/// A digest of a topology: node count, arcs and coordinates. Bundles are keyed by it.
pub fn topology_key(node_count: usize, arcs: &[(u32, u32)], lat: &[f32], lon: &[f32]) -> u64 {
    let mut bytes = Vec::with_capacity(8 + arcs.len() * 8 + lat.len() * 8);
    bytes.extend_from_slice(&(node_count as u64).to_le_bytes());
    for &(a, b) in arcs {
        bytes.extend_from_slice(&a.to_le_bytes());
        bytes.extend_from_slice(&b.to_le_bytes());
    }
    for (&a, &b) in lat.iter().zip(lon) {
        bytes.extend_from_slice(&a.to_le_bytes());
        bytes.extend_from_slice(&b.to_le_bytes());
    }
    xxh3_64(&bytes) ^ FORMAT as u64
}

/// What we save beside the `cch` structure: the chain mapping, and the input arcs behind
/// each shortcut, which is all a customization needs that the mapped structure lacks.
#[derive(Serialize)]
struct MappingRef<'a> {
    chains: &'a ChainContraction,
    inputs: &'a [(u32, u32)],
}

#[derive(Deserialize)]
struct Mapping {
    chains: ChainContraction,
    inputs: Vec<(u32, u32)>,
}

fn paths(dir: &Path, name: &str, key: u64) -> (PathBuf, PathBuf) {
    (
        dir.join(format!("{name}-{key:016x}.cch-struct")),
        dir.join(format!("{name}-{key:016x}.chains")),
    )
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Hierarchy {
    /// Writes the prepared hierarchy under `dir` as `name-KEY.*`.
    pub fn save(&self, dir: &Path, name: &str, key: u64) -> Result<(), StoreError> {
        let Structure::Owned(cch) = &self.structure else {
            return Ok(()); // already on disk
        };
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        let (sp, cp) = paths(dir, name, key);
        let pid = std::process::id();
        let stmp = sp.with_extension(format!("cch-struct.tmp{pid}"));
        cch.save_struct(&stmp).map_err(io(&stmp))?;
        let bytes = std::fs::read(&stmp).map_err(io(&stmp))?;
        let header = Header {
            magic: MAGIC,
            format: FORMAT,
            key,
            struct_len: bytes.len() as u64,
            struct_xxh3: xxh3_64(&bytes),
        };
        drop(bytes);
        std::fs::rename(&stmp, &sp).map_err(io(&sp))?;
        let mut out = postcard::to_stdvec(&header)
            .map_err(|e| StoreError::Invalid(cp.clone(), e.to_string()))?;
        let mapping = MappingRef {
            chains: &self.chains,
            inputs: &self.inputs,
        };
        let payload = postcard::to_stdvec(&mapping)
            .map_err(|e| StoreError::Invalid(cp.clone(), e.to_string()))?;
        out.extend_from_slice(&xxh3_64(&payload).to_le_bytes());
        out.extend_from_slice(&payload);
        let ctmp = cp.with_extension(format!("chains.tmp{pid}"));
        std::fs::write(&ctmp, &out).map_err(io(&ctmp))?;
        std::fs::rename(&ctmp, &cp).map_err(io(&cp))?;
        Ok(())
    }

    /// Opens a saved hierarchy, or says why it cannot be used (missing, stale, corrupt).
    pub fn open(dir: &Path, name: &str, key: u64) -> Result<Hierarchy, StoreError> {
        let (sp, cp) = paths(dir, name, key);
        let bytes = std::fs::read(&cp).map_err(io(&cp))?;
        let bad = |m: &str| StoreError::Invalid(cp.clone(), m.to_string());
        let (header, rest): (Header, &[u8]) =
            postcard::take_from_bytes(&bytes).map_err(|_| bad("unreadable header"))?;
        if header.magic != MAGIC {
            return Err(bad("not a caravan hierarchy"));
        }
        if header.format != FORMAT || header.key != key {
            return Err(bad("stale (other format or topology)"));
        }
        if rest.len() < 8 {
            return Err(bad("truncated"));
        }
        let (sum, payload) = rest.split_at(8);
        if u64::from_le_bytes(sum.try_into().unwrap_or_default()) != xxh3_64(payload) {
            return Err(bad("checksum mismatch in the chain mapping"));
        }
        let Mapping { chains, inputs } =
            postcard::from_bytes(payload).map_err(|_| bad("undecodable chain mapping"))?;
        let bundle = cch::CchBundle::open(&sp).map_err(io(&sp))?;
        let mapped = bundle.mmap_bytes();
        if mapped.len() as u64 != header.struct_len || xxh3_64(mapped) != header.struct_xxh3 {
            return Err(StoreError::Invalid(
                sp.clone(),
                "checksum mismatch in the CCH structure".into(),
            ));
        }
        if bundle.node_count() != chains.core_node_count() {
            return Err(StoreError::Invalid(sp, "node count mismatch".into()));
        }
        let arcs = bundle.cch_arc_count();
        if !crate::customize::inputs_valid(&inputs, arcs, chains.core_arc_count()) {
            return Err(bad("shortcut inputs out of range"));
        }
        Ok(Hierarchy {
            chains,
            structure: Structure::Mapped(bundle),
            inputs,
            schedule: OnceLock::new(),
            up_tail: OnceLock::new(),
            depth: OnceLock::new(),
            order: OnceLock::new(),
            core_arc_of: OnceLock::new(),
            pool: Default::default(),
        })
    }

    /// Opens the saved hierarchy for this topology, or prepares and saves it (calling
    /// `on_build` first, e.g. to tell the user why they wait). Returns why a saved one was
    /// not used, if it was not.
    pub fn open_or_build(
        dir: &Path,
        name: &str,
        t: Topology,
        on_build: &mut dyn FnMut(),
    ) -> (Hierarchy, Option<String>) {
        let (n, arcs, lat, lon) = (t.node_count, t.arcs, t.lat, t.lon);
        let key = topology_key(n, arcs, lat, lon);
        match Hierarchy::open(dir, name, key) {
            Ok(h) => (h, None),
            Err(e) => {
                on_build();
                let (h, _) = Hierarchy::build(n, arcs, lat, lon, &[]);
                // A read-only cache only costs the next start its preparation.
                let why = match h.save(dir, name, key) {
                    Ok(()) => e.to_string(),
                    Err(s) => format!("{e}; not saved: {s}"),
                };
                (h, Some(why))
            }
        }
    }
}
