//! A corrupt or stale network cache is detected and rebuilt.

use caravan_network::{load_or_build, CacheStatus};

#[test]
fn corrupt_cache_is_rebuilt() {
    let data = caravan_network::data_dir().unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cache-corruption");
    let _ = std::fs::remove_dir_all(&dir);
    let (net, first) = load_or_build(&data, &dir, &mut |_, _| {}).unwrap();
    let CacheStatus::Built { path, .. } = first else {
        panic!("fresh dir must build")
    };
    let (_, second) = load_or_build(&data, &dir, &mut |_, _| {}).unwrap();
    assert_eq!(second, CacheStatus::Loaded(path.clone()));
    // Flip bytes in the payload: the checksum catches it.
    let mut bytes = std::fs::read(&path).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    let (again, third) = load_or_build(&data, &dir, &mut |_, _| {}).unwrap();
    match third {
        CacheStatus::Built { reason, .. } => assert!(reason.contains("checksum"), "{reason}"),
        other => panic!("corruption not detected: {other:?}"),
    }
    assert_eq!(again.arcs.len(), net.arcs.len());
    // A truncated file is caught too.
    std::fs::write(&path, &bytes[..10]).unwrap();
    let (_, fourth) = load_or_build(&data, &dir, &mut |_, _| {}).unwrap();
    assert!(matches!(fourth, CacheStatus::Built { .. }));
    assert!(std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .all(|e| !e.file_name().to_string_lossy().contains("tmp")));
}
