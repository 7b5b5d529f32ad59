//! Validation cases files: any text is read or refused with a message, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("caravan-fuzz-cases-{}.toml", std::process::id()));
    if std::fs::write(&path, data).is_ok() {
        let _ = caravan::validate::load_cases(&path);
    }
});
