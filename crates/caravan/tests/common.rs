//! One prepared network for all tests in a binary (built once, cached under target/).

use caravan::Engine;
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
