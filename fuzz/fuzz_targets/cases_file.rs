//! Validation cases files: any text gives checked cases or a message naming the file,
//! never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = caravan_app::validate::parse_cases(text, "fuzz.toml") {
        assert_eq!(e.path, "fuzz.toml");
        assert!(!e.message.is_empty());
    }
});
