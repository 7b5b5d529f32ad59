//! The range check every overlay and params file passes at load: any text, no panic; a
//! message always names a line.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(m) = caravan_network::ranges::check(text) {
        assert!(m.starts_with("line "), "{m}");
    }
});
