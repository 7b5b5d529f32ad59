//! Overlay files (data/overlay/*.toml) and data/params.toml through their loaders: the
//! first byte picks the file, the rest is its text; a bad file is an error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let files = caravan_network::overlay::FILES;
    let k = pick as usize % (files.len() + 1);
    if k == files.len() {
        let _ = caravan_metric::Params::parse(text, "params.toml", &[]);
    } else if let Err(e) = caravan_network::overlay::check_file(files[k], text) {
        assert!(!e.to_string().is_empty());
    }
});
