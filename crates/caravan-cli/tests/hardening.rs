//! Hostile but fair use of the CLI: closed pipes, full disks, empty and oversized input,
//! impossible loads, bad environment and bad data files. Each behaves as a user expects:
//! a clear message naming the problem and a non-zero exit, never a panic or a silent
//! fall-back.

mod common;
use common::{cache_dir, caravan, engine};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_caravan"));
    c.env("CARAVAN_CACHE", cache_dir());
    c
}

/// Runs with extra environment: exit code and stderr.
fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = bin();
    c.args(args);
    for (k, v) in env {
        c.env(k, v);
    }
    let out = c.output().expect("the caravan binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("hardening")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A copy of data/ to break on purpose.
fn data_copy(name: &str) -> PathBuf {
    let src = caravan_network::data_dir().unwrap();
    let dst = scratch(name).join("data");
    fn copy(a: &Path, b: &Path) {
        std::fs::create_dir_all(b).unwrap();
        for e in std::fs::read_dir(a).unwrap().flatten() {
            let to = b.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &to);
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
    }
    copy(&src, &dst);
    dst
}

#[test]
fn a_closed_pipe_ends_quietly_and_a_full_disk_is_a_clear_error() {
    engine();
    for args in [
        &["route", "Kashgar", "Tashkent", "--format", "json"][..],
        &["network", "--format", "json"][..],
        &["scenarios"][..],
    ] {
        let mut child = bin()
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
        if Path::new("/dev/full").exists() {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            let out = bin().args(args).stdout(full).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
            assert!(
                err.contains("cannot write the output") && !err.contains("panicked"),
                "{err}"
            );
        }
    }
}

#[test]
fn a_name_with_a_country_code_is_a_city_not_coordinates() {
    let net = &engine().net;
    for (q, cc) in [
        ("Tallinn, EE", "EE"),
        ("Brest, BY", "BY"),
        ("Brest, FR", "FR"),
        ("Aktau, KZ", "KZ"),
    ] {
        let p = net.resolve_place(q).unwrap_or_else(|e| panic!("{q}: {e}"));
        assert_eq!(p.country, cc, "{q}");
    }
    assert!(net.resolve_place("39.47, 75.99").is_ok());
    let e = net.resolve_place("39.47, 75.x9").unwrap_err().to_string();
    assert!(e.contains("bad coordinates"), "{e}");
    // An ambiguity note's suggestion resolves to the other place it names.
    let p = net.resolve_place("Aktau, KZ").unwrap();
    let note = p.note.expect("Aktau is ambiguous within KZ");
    let pick = note
        .rsplit("give e.g. '")
        .next()
        .unwrap()
        .trim_end_matches('\'');
    let other = net.resolve_place(pick).unwrap();
    assert!(
        (other.lat - p.lat).abs() > 0.5,
        "the suggestion '{pick}' picks another place"
    );
}

#[test]
fn empty_lists_and_impossible_loads_exit_2_naming_the_problem() {
    engine();
    let cases: &[(&[&str], &str)] = &[
        (&["--modes", ""], "--modes"),
        (&["--modes", ","], "--modes"),
        (&["--avoid-countries", ""], "--avoid-countries"),
        (&["--scenario", ""], "--scenario"),
        (&["--tonnes", "8e6"], "26.7 t"),
        (&["--tonnes=-3"], "positive"),
        (&["--only-countries", "FR"], "--only-countries FR"),
        (&["--avoid-countries", "CN"], "--avoid-countries CN"),
    ];
    for (extra, want) in cases {
        let args = [&["route", "Kashgar", "Tashkent"][..], extra].concat();
        let (code, _, err) = caravan(&args);
        assert_eq!(code, 2, "{extra:?}: {err}");
        assert!(err.contains(want), "{extra:?}: {err}");
    }
    let long = "a".repeat(100_000);
    let (code, _, err) = caravan(&["route", &long, "Tashkent"]);
    assert_eq!(code, 2, "{}", &err[..err.len().min(300)]);
    assert!(err.len() < 400 && err.contains("100000 bytes"), "{err}");
    // Control characters in a name are escaped when echoed.
    let (code, _, err) = caravan(&["route", "Mos\u{1b}[31mcow", "Baku"]);
    assert_eq!(code, 2);
    assert!(
        !err.contains('\u{1b}') && err.contains("\\u{1b}"),
        "{err:?}"
    );
    // A point at sea has no country: no empty brackets.
    let (_, _, err) = caravan(&["route", "0,-30", "Lisbon"]);
    assert!(!err.contains("()"), "{err}");
}

#[test]
fn the_same_place_both_ends_is_a_zero_answer_in_route_and_matrix() {
    engine();
    let (code, out, err) = caravan(&["route", "Kashgar", "Kashgar", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let r = &v["routes"][0];
    assert_eq!(r["totals"]["distance_km"], 0.0);
    assert_eq!(r["totals"]["duration_h"], 0.0);
    assert!(r["summary"].as_str().unwrap().contains("same place"), "{r}");
    let dir = scratch("diagonal");
    let places = dir.join("places.txt");
    // A byte-order mark, as a spreadsheet writes it.
    std::fs::write(&places, "\u{feff}Kashgar\nAlmaty\nTashkent\n").unwrap();
    let out_csv = dir.join("m.csv");
    let p = places.to_str().unwrap();
    let (code, _, err) = caravan(&[
        "matrix",
        "--from",
        p,
        "--to",
        p,
        "--out",
        out_csv.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out_csv).unwrap();
    assert!(!text.contains('\u{feff}'), "BOM kept: {text}");
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let h = rdr.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for rec in rdr.records().map(Result::unwrap) {
        if rec[col("origin")] == rec[col("destination")] {
            for f in ["distance_km", "duration_h", "cost_usd", "co2_kg"] {
                assert_eq!(rec[col(f)].parse::<f64>().ok(), Some(0.0), "{rec:?}");
            }
        }
    }
    // The output may not be an input.
    let (code, _, err) = caravan(&["matrix", "--from", p, "--to", p, "--out", p]);
    assert_eq!(code, 2, "{err}");
    assert!(std::fs::read_to_string(&places).unwrap().contains("Almaty"));
}

#[test]
fn the_environment_is_used_as_given_or_refused() {
    engine();
    let file = scratch("env").join("a-file");
    std::fs::write(&file, "x").unwrap();
    let f = file.to_str().unwrap();
    for (value, want) in [
        ("/nonexistent/caravan-data", "does not exist"),
        ("", "is empty"),
        (f, "not a directory"),
    ] {
        let (code, _, err) = run_env(
            &["route", "Kashgar", "Tashkent"],
            &[("CARAVAN_DATA", value)],
        );
        assert_eq!(code, 2, "CARAVAN_DATA={value}: {err}");
        assert!(err.contains("CARAVAN_DATA") && err.contains(want), "{err}");
    }
    // CARAVAN_CACHE empty means unset: the platform cache dir, never the current directory.
    let home = scratch("cache-home");
    std::os::unix::fs::symlink(cache_dir(), home.join("caravan")).unwrap();
    let mut c = bin();
    c.args(["route", "Kashgar", "Tashkent"])
        .env("CARAVAN_CACHE", "")
        .env("XDG_CACHE_HOME", &home)
        .current_dir(&home);
    let out = c.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written: Vec<_> = std::fs::read_dir(&home)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(written.len(), 1, "{written:?}");
}

#[test]
fn an_unwritable_cache_still_answers_with_one_warning_and_stale_temporaries_are_swept() {
    let dir = scratch("cache-file");
    let file = dir.join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let (code, out, err) = run_env(
        &["route", "Kashgar", "Tashkent", "--modes", "rail"],
        &[("CARAVAN_CACHE", file.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Tashkent"), "{out}");
    assert_eq!(err.matches("not cached").count(), 1, "{err}");
    assert!(
        !err.contains("os error 17): "),
        "an error printed twice: {err}"
    );
    // A temporary of a process that is gone (pid 0 is never one) is removed at start.
    engine();
    let stale = cache_dir().join("network-v0-dead.tmp0");
    std::fs::write(&stale, "half a cache").unwrap();
    let (code, _, err) = caravan(&["route", "Kashgar", "Tashkent"]);
    assert_eq!(code, 0, "{err}");
    assert!(!stale.exists());
}

#[test]
fn bad_data_files_exit_2_naming_file_key_and_line_once() {
    let data = data_copy("bad-overlay");
    let ferries = data.join("overlay/ferries.toml");
    let text = std::fs::read_to_string(&ferries).unwrap();
    let (head, tail) = text.split_at(text.find("\nsailing_hours =").unwrap() + 1);
    let line = head.matches('\n').count() + 1;
    let end = tail.find('\n').unwrap();
    std::fs::write(
        &ferries,
        format!("{head}sailing_hours = -21{}", &tail[end..]),
    )
    .unwrap();
    let cache = data.parent().unwrap().join("cache");
    let d = data.to_str().unwrap();
    let c = cache.to_str().unwrap();
    let (code, _, err) = run_env(
        &["route", "Aktau", "Baku"],
        &[("CARAVAN_DATA", d), ("CARAVAN_CACHE", c)],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("ferries.toml")
            && err.contains(&format!("line {line}"))
            && err.contains("sailing_hours = -21"),
        "{err}"
    );
    std::fs::write(&ferries, &text).unwrap();
    let aliases = data.join("places/aliases.toml");
    let a = std::fs::read_to_string(&aliases).unwrap();
    // Cut inside a string of the second entry: the file ends in an unterminated string.
    let second = a.match_indices("[[alias]]").nth(1).unwrap().0;
    let cut = second + a[second..].find("= \"").unwrap() + 4;
    std::fs::write(&aliases, &a[..cut]).unwrap();
    let (code, _, err) = run_env(
        &["route", "Aktau", "Baku"],
        &[("CARAVAN_DATA", d), ("CARAVAN_CACHE", c)],
    );
    assert_eq!(code, 2, "{err}");
    let want = a[..cut].matches('\n').count() + 1;
    assert!(err.contains("aliases.toml"), "{err}");
    assert!(
        err.contains(&format!("line {want}")) || err.contains(&format!("line {}", want - 1)),
        "the real line ({want}): {err}"
    );
    assert_eq!(
        err.matches("aliases.toml").count(),
        1,
        "printed once: {err}"
    );
    // A cases file naming an unknown place is a bad file, not an unroutable case.
    let cases = data.parent().unwrap().join("cases.toml");
    std::fs::write(
        &cases,
        "[[case]]\nname = \"x\"\nset = \"holdout\"\norigin = \"Atlantisgrad\"\ndestination = \"Baku\"\nmodes = [\"rail\"]\noptimize = \"time\"\nmetric = \"distance_km\"\npublished = 100\ntolerance_pct = 10\nwhy_band = \"w\"\nsource = \"s\"\n",
    )
    .unwrap();
    let (code, _, err) = caravan(&["validate", "--cases", cases.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("Atlantisgrad") && err.contains("case #1"),
        "{err}"
    );
}

/// Random real routes under random profiles: the totals are the sum of the legs and
/// events shown, in every figure; the countries are the legs' countries in order; every
/// border the route crosses has a border event.
#[test]
fn totals_add_up_and_every_border_crossed_has_its_event() {
    use rand::{Rng, SeedableRng};
    let e = engine();
    let cities = [
        "Kashgar",
        "Tashkent",
        "Almaty",
        "Aktau",
        "Baku",
        "Tbilisi",
        "Istanbul",
        "Warsaw",
        "Duisburg",
        "Xi'an",
        "Chongqing",
        "Moscow",
        "Tehran",
        "Karachi",
        "Shanghai",
        "Rotterdam",
        "Ulaanbaatar",
        "Minsk",
        "Bishkek",
        "Urumqi",
        "Mumbai",
        "Dubai",
        "Singapore",
        "Hamburg",
    ];
    let modes: &[&[&str]] = &[
        &[],
        &["rail"],
        &["road"],
        &["rail", "road"],
        &["sea", "road"],
        &["ferry", "road", "rail"],
    ];
    let objectives = ["balanced", "time", "cost", "co2"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(14);
    let mut checked = 0;
    for _ in 0..60 {
        let (a, b) = (
            cities[rng.gen_range(0..cities.len())],
            cities[rng.gen_range(0..cities.len())],
        );
        let spec = caravan_metric::ProfileSpec {
            modes: modes[rng.gen_range(0..modes.len())]
                .iter()
                .map(|m| m.to_string())
                .collect(),
            objective: Some(objectives[rng.gen_range(0..objectives.len())].into()),
            ..Default::default()
        };
        let Ok(plan) = e.plan(&caravan_app::Request {
            origin: a.into(),
            destination: b.into(),
            profile: spec.clone(),
            alternatives: 2,
            geometry: false,
        }) else {
            continue;
        };
        for r in &plan.routes {
            let r = &r.route;
            let what = format!(
                "{a} → {b} {:?} {:?}: {}",
                spec.modes, spec.objective, r.summary
            );
            let legs = |f: fn(&caravan_metric::Leg) -> f64| r.legs.iter().map(f).sum::<f64>();
            let ev_h: f64 = r.events.iter().map(|e| e.duration_h).sum();
            let ev_usd: f64 = r.events.iter().map(|e| e.cost_usd).sum();
            let close = |x: f64, y: f64| (x - y).abs() < 1e-6;
            assert!(
                close(
                    r.totals.distance_km,
                    (legs(|l| l.distance_km) * 10.0).round() / 10.0
                ),
                "distance {what}"
            );
            assert!(
                close(
                    r.totals.duration_h,
                    ((legs(|l| l.duration_h) + ev_h) * 10.0).round() / 10.0
                ),
                "hours {what}"
            );
            assert!(
                close(r.totals.cost_usd, (legs(|l| l.cost_usd) + ev_usd).round()),
                "USD {what}"
            );
            assert!(
                close(r.totals.co2_kg, (legs(|l| l.co2_kg) * 10.0).round() / 10.0),
                "CO2 {what}"
            );
            let mut chain: Vec<&str> = Vec::new();
            for l in &r.legs {
                for c in &l.countries {
                    if chain.last() != Some(&c.as_str()) {
                        chain.push(c);
                    }
                }
            }
            let countries: Vec<&str> = r.countries.iter().map(String::as_str).collect();
            if !r.legs.is_empty() {
                assert_eq!(chain, countries, "countries {what}");
            }
            // Land and ferry legs cross borders at crossings (air and sea freight clears
            // customs in port): a change of country inside such a leg, or between two
            // such legs, has its border event.
            let land = |l: &caravan_metric::Leg| {
                !matches!(
                    l.mode,
                    caravan_network::Mode::Air | caravan_network::Mode::Sea
                )
            };
            let mut crossed: Vec<String> = Vec::new();
            for (k, l) in r.legs.iter().enumerate() {
                if land(l) {
                    for w in l.countries.windows(2) {
                        crossed.push(format!("{}→{}", w[0], w[1]));
                    }
                }
                if let Some(n) = r.legs.get(k + 1) {
                    if let (true, true, Some(x), Some(y)) =
                        (land(l), land(n), l.countries.last(), n.countries.first())
                    {
                        if x != y {
                            crossed.push(format!("{x}→{y}"));
                        }
                    }
                }
            }
            for crossing in crossed {
                assert!(
                    r.events.iter().any(|e| e.detail == crossing),
                    "no border event for {crossing}: {what}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} routes checked");
}

/// An interrupt removes the run's own temporaries (named `….tmp<pid>`) and exits 130.
#[test]
fn an_interrupt_removes_the_runs_temporaries() {
    engine();
    let od = caravan_network::data_dir()
        .unwrap()
        .join("od/china-europe.csv");
    let mut child = bin()
        .args(["criticality", "--od", od.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // What the run would leave if killed mid-write: a temporary with its pid.
    let tmp = cache_dir().join(format!("network-v0-half.tmp{}", child.id()));
    std::fs::write(&tmp, "half a cache").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(
        child.try_wait().unwrap().is_none(),
        "the run ended before it could be interrupted"
    );
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        !tmp.exists(),
        "the interrupted run's temporary is left behind"
    );
}
