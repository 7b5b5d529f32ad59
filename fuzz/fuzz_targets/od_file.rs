//! OD (lane) files for `compare --od` and `criticality`: any text gives lanes or the
//! number of its first bad line, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match caravan_app::lanes::parse_od(text) {
        Ok(lanes) => {
            for l in lanes {
                assert!(l.weight.is_finite() && l.weight >= 0.0);
                assert!(!l.from.is_empty() && !l.to.is_empty());
            }
        }
        Err((line, message)) => {
            assert!(line >= 1 && line <= text.lines().count(), "line {line}");
            assert!(!message.chars().any(|c| c.is_control() && c != '\n'), "{message:?}");
        }
    }
});
