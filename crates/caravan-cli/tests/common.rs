//! The shared engine of caravan-app's tests, and the `caravan` binary on the same cache.

#[path = "../../caravan-app/tests/common.rs"]
mod shared;
#[allow(unused_imports)] // not every test binary uses every helper
pub use shared::*;

/// Runs the `caravan` binary on the shared cache: exit code, stdout, stderr.
#[allow(dead_code)] // not every test binary runs the CLI
pub fn caravan(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_caravan"))
        .args(args)
        .env("CARAVAN_CACHE", cache_dir())
        .output()
        .expect("the caravan binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}
