//! Scenario files (data/scenarios, or a user's): any text parses or fails with a message,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(s) = caravan_metric::Scenario::parse(text, "fuzz.toml") {
        let _ = s.changes();
        for l in s.added_links() {
            assert!(l.check().is_ok());
        }
    }
});
