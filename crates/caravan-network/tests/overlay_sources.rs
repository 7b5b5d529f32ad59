//! Every number in data/ that the engine uses must carry a source or an assumption mark.

use caravan_network::overlay::audit_sources;
use std::path::PathBuf;

fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data")
}

fn toml_files() -> Vec<PathBuf> {
    let d = data();
    let mut files = vec![
        d.join("params.toml"),
        d.join("places/aliases.toml"),
        d.join("places/corrections.toml"),
    ];
    for sub in ["overlay", "validation", "audit"] {
        for e in std::fs::read_dir(d.join(sub)).unwrap().flatten() {
            if e.path().extension().is_some_and(|x| x == "toml") {
                files.push(e.path());
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_overlay_value_has_a_source_or_assumption() {
    let files = toml_files();
    assert!(
        files.len() >= 10,
        "expected the overlay files, found {files:?}"
    );
    let mut bad = Vec::new();
    for f in files {
        let doc: toml::Value = toml::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
        for p in audit_sources(&doc) {
            bad.push(format!("{}: {p}", f.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "values without source or assumption:\n{}",
        bad.join("\n")
    );
}

#[test]
fn audit_flags_an_unsourced_value() {
    let doc: toml::Value = toml::from_str(
        r#"
        [[ferry]]
        name = "a"
        sailing_hours = 20
        source = "somewhere, 2024"
        [[ferry]]
        name = "b"
        sailing_hours = { value = 12 }
        [x]
        y = { value = 3, assumption = true, note = "n" }
        "#,
    )
    .unwrap();
    assert_eq!(
        audit_sources(&doc),
        vec![".ferry[1].sailing_hours.value".to_string()]
    );
}
