//! One prepared network for all tests in a binary (built once, cached under target/).

use caravan_app::Engine;
use std::path::PathBuf;
use std::sync::OnceLock;

pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("caravan-cache")
}

pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        let data = caravan_network::data_dir().expect("data/");
        Engine::load_from(&data, &cache_dir(), &mut |_, _| {}).expect("engine loads")
    })
}

/// Plans one option on the shared engine; a test fails with the planner's message.
#[allow(dead_code)] // not every test binary plans routes
pub fn plan(
    from: &str,
    to: &str,
    f: impl FnOnce(&mut caravan_metric::ProfileSpec),
) -> caravan_app::plan::Plan {
    let mut spec = caravan_metric::ProfileSpec::default();
    f(&mut spec);
    engine()
        .plan(&caravan_app::Request {
            origin: from.into(),
            destination: to.into(),
            profile: spec,
            alternatives: 1,
            geometry: false,
        })
        .unwrap_or_else(|e| panic!("{from} → {to}: {e}"))
}
