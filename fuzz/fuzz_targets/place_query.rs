//! The place-query shapes that need no network: coordinates ("lat,lon", "Name, CC" must
//! not be taken for them) and the echo of a user's text in messages.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    if let Some(Ok((lat, lon))) = caravan_network::parse_coordinates(q) {
        assert!((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon));
    }
    let shown = caravan_network::shown(q);
    assert!(!shown.chars().any(char::is_control), "{shown:?}");
});
