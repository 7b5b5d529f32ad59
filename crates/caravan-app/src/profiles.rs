//! Profiles files: several profiles for one run (`caravan matrix --profiles FILE`), each
//! written with the command line's option names, so that a profile moves between the
//! command line and a file unchanged.
//!
//! ```toml
//! [[profile]]
//! name = "rail-time"        # the matrix's `profile` column
//! modes = ["rail", "road"]
//! optimize = "time"
//!
//! [[profile]]
//! name = "cku-2-drivers"
//! scenario = ["cku"]
//! drivers = 2
//! cargo-value = 500000
//! ```

use caravan_metric::ProfileSpec;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ProfilesError {
    #[error("{path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

/// One `[[profile]]` table; fields as the command line's options.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct Entry {
    name: String,
    cargo: Option<String>,
    tonnes: Option<f64>,
    optimize: Option<String>,
    #[serde(default)]
    modes: Vec<String>,
    #[serde(default)]
    avoid_countries: Vec<String>,
    #[serde(default)]
    only_countries: Vec<String>,
    #[serde(default)]
    avoid_passages: Vec<String>,
    #[serde(default)]
    scenario: Vec<String>,
    drivers: Option<u8>,
    cargo_value: Option<f64>,
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    profile: Vec<Entry>,
}

/// The named profiles of a profiles file, in file order. Names must be unique and
/// non-empty, and there must be at least one profile; the values themselves are checked
/// as the command line's are, when each profile is used.
pub fn read_profiles(path: &Path) -> Result<Vec<(String, ProfileSpec)>, ProfilesError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ProfilesError::Read {
        path: shown.clone(),
        source,
    })?;
    let invalid = |message: String| ProfilesError::Invalid {
        path: shown.clone(),
        message,
    };
    let file: File = toml::from_str(&text).map_err(|e| invalid(e.to_string()))?;
    if file.profile.is_empty() {
        return Err(invalid(
            "no profiles: write one [[profile]] table per profile, each with a name".into(),
        ));
    }
    let mut out: Vec<(String, ProfileSpec)> = Vec::new();
    for e in file.profile {
        let name = e.name.trim().to_string();
        if name.is_empty() {
            return Err(invalid("a profile has an empty name".into()));
        }
        if out.iter().any(|(n, _)| *n == name) {
            return Err(invalid(format!("two profiles are named {name:?}")));
        }
        for (what, v) in [("tonnes", e.tonnes), ("cargo-value", e.cargo_value)] {
            if let Some(x) = v {
                crate::options::positive_value(x)
                    .map_err(|m| invalid(format!("profile {name:?}: {what}: {m}")))?;
            }
        }
        if e.drivers.is_some_and(|d| !(1..=2).contains(&d)) {
            return Err(invalid(format!("profile {name:?}: drivers must be 1 or 2")));
        }
        let spec = ProfileSpec {
            cargo: Some(e.cargo.unwrap_or_else(|| "container".into())),
            tonnes: e.tonnes,
            objective: Some(e.optimize.unwrap_or_else(|| "balanced".into())),
            modes: e.modes,
            avoid_countries: e.avoid_countries,
            only_countries: e.only_countries,
            avoid_passages: e.avoid_passages,
            scenarios: e.scenario,
            drivers: Some(e.drivers.unwrap_or(1)),
            cargo_value_usd: e.cargo_value,
        };
        out.push((name, spec));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Vec<(String, ProfileSpec)>, ProfilesError> {
        let dir = std::env::temp_dir().join(format!("caravan-profiles-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(format!(
            "{:x}.toml",
            text.len() * 31 + text.bytes().map(usize::from).sum::<usize>()
        ));
        std::fs::write(&p, text).unwrap();
        let r = read_profiles(&p);
        let _ = std::fs::remove_file(&p);
        r
    }

    #[test]
    fn profiles_take_the_command_line_names_and_refuse_mistakes() {
        let ok = parse(
            "[[profile]]\nname = \"a\"\nmodes = [\"rail\"]\noptimize = \"time\"\n\
             [[profile]]\nname = \"b\"\nscenario = [\"cku\"]\ndrivers = 2\ncargo-value = 5e5\n\
             avoid-countries = [\"RU\"]\n",
        )
        .unwrap();
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].1.modes, ["rail"]);
        assert_eq!(ok[0].1.objective.as_deref(), Some("time"));
        assert_eq!(ok[1].1.scenarios, ["cku"]);
        assert_eq!(ok[1].1.drivers, Some(2));
        assert_eq!(ok[1].1.cargo_value_usd, Some(5e5));
        assert_eq!(ok[1].1.avoid_countries, ["RU"]);
        for (bad, says) in [
            ("", "no profiles"),
            (
                "[[profile]]\nname = \"a\"\n[[profile]]\nname = \"a\"\n",
                "two profiles",
            ),
            (
                "[[profile]]\nname = \"a\"\navoid_countries = [\"RU\"]\n",
                "unknown field",
            ),
            ("[[profile]]\nname = \"a\"\ndrivers = 3\n", "drivers"),
            ("[[profile]]\nname = \"a\"\ntonnes = -1\n", "tonnes"),
            ("[[profile]]\nmodes = [\"rail\"]\n", "name"),
        ] {
            let e = parse(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad:?}: {e}");
        }
    }
}
