//! Temporary files: every file caravan writes goes first to `<name>.tmp<pid>` beside its
//! destination and is renamed into place when complete (network and hierarchy caches,
//! matrices, lane records). This module removes the ones a run leaves behind: its own on
//! an interrupt, and at start those of dead processes or older than a day (a `kill -9`
//! cannot be caught).
//!
//! The pid in the name is what makes this safe without a registry of open files: a live
//! process's temporaries are never touched, unless they are a day old.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

/// Directories where this process may be writing temporaries, for the interrupt handler.
static DIRS: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

const STALE_AFTER: Duration = Duration::from_secs(24 * 3600);

/// The pid a temporary's name carries (`….tmp<pid>`), if it is one.
pub fn owner(name: &str) -> Option<u32> {
    let (_, pid) = name.rsplit_once(".tmp")?;
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        .then(|| pid.parse().ok())
        .flatten()
}

fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    // Without /proc (not Linux) no process can be proven dead: only age sweeps then.
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Removes temporaries in `dir` whose process is gone or that are over a day old;
/// returns how many.
pub fn sweep(dir: &Path) -> usize {
    sweep_where(dir, |_| true)
}

/// [`sweep`] over the temporaries whose file name `wanted` accepts.
fn sweep_where(dir: &Path, wanted: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let now = SystemTime::now();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().filter(|n| wanted(n)).and_then(owner) else {
            continue;
        };
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok())
            .is_some_and(|age| age > STALE_AFTER);
        if (old || !alive(pid)) && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Before writing `out` (a user's file): watches its directory, and removes the stale
/// temporaries of earlier runs writing the same file (`.<name>.tmp<pid>`, see
/// `matrix::write_atomically`), and nothing else of the user's.
pub fn prepare_output(out: &Path) {
    let dir = out
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    watch(dir);
    let Some(name) = out.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    let prefix = format!(".{name}.tmp");
    sweep_where(dir, |f| f.starts_with(&prefix));
}

/// Notes that this process writes temporaries in `dir`, so that an interrupt removes them.
pub fn watch(dir: &Path) {
    let mut dirs = DIRS.lock().unwrap_or_else(|p| p.into_inner());
    if !dirs.iter().any(|d| d == dir) {
        dirs.push(dir.to_path_buf());
    }
}

/// Removes this process's temporaries in every watched directory.
pub fn remove_own() {
    let me = std::process::id();
    let dirs = DIRS.lock().unwrap_or_else(|p| p.into_inner()).clone();
    for d in dirs {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.file_name().to_str().and_then(owner) == Some(me) {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporaries_are_told_by_their_pid_suffix() {
        assert_eq!(owner("network-v6-1e7f.tmp4242"), Some(4242));
        assert_eq!(owner("world-ab.cch-struct.tmp7"), Some(7));
        assert_eq!(owner(".m.parquet.tmp12"), Some(12));
        assert_eq!(owner("network-v6-1e7f.bin"), None);
        assert_eq!(owner("notes.tmp"), None);
        assert_eq!(owner("a.tmpx1"), None);
    }

    #[test]
    fn a_sweep_removes_dead_processes_temporaries_and_keeps_live_ones() {
        let dir = std::env::temp_dir().join(format!("caravan-sweep-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // pid 0 is never a user process; ours is alive.
        let dead = dir.join("network.tmp0");
        let live = dir.join(format!("network.tmp{}", std::process::id()));
        let kept = dir.join("network.bin");
        for p in [&dead, &live, &kept] {
            std::fs::write(p, b"x").unwrap();
        }
        assert_eq!(sweep(&dir), 1);
        assert!(!dead.exists() && live.exists() && kept.exists());
        watch(&dir);
        remove_own();
        assert!(!live.exists() && kept.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
