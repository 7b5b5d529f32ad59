//! `caravan matrix`: entries equal single `route` answers, unreachable pairs are reported
//! in the file (not as errors), bad input fails before anything is written, and both
//! output formats hold the same cells.

mod common;
use caravan_app::Request;
use caravan_metric::ProfileSpec;
use std::path::{Path, PathBuf};

/// Runs `caravan matrix --from FROM --to TO --out OUT [extra]`: exit code and stderr.
fn matrix(from: &Path, to: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let (from, to, out) = (
        from.to_str().unwrap(),
        to.to_str().unwrap(),
        out.to_str().unwrap(),
    );
    let mut args = vec!["matrix", "--from", from, "--to", to, "--out", out];
    args.extend_from_slice(extra);
    caravan(&args)
}

fn tmp(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("matrix-test");
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// The profiles a matrix must agree with `route` under: each exercises a different part
/// of the figures (drivers' rests, rail terminals, sea lanes and hubs, closures,
/// scenarios, access legs).
fn profiles() -> Vec<ProfileSpec> {
    let spec = |f: &dyn Fn(&mut ProfileSpec)| {
        let mut s = ProfileSpec::default();
        f(&mut s);
        s
    };
    vec![
        ProfileSpec::default(),
        spec(&|s| {
            s.modes = vec!["rail".into()];
            s.objective = Some("time".into());
        }),
        spec(&|s| {
            s.avoid_countries = vec!["RU".into(), "IR".into()];
            s.scenarios = vec!["cku".into()];
            s.objective = Some("cost".into());
        }),
        // Sea only: trade-lane rates and hub transshipments are charged per sea leg.
        spec(&|s| s.modes = vec!["sea".into(), "road".into()]),
        spec(&|s| {
            s.modes = vec!["road".into()];
            s.drivers = Some(2);
        }),
        spec(&|s| {
            s.scenarios = vec!["red-sea-closed".into()];
            s.avoid_passages = vec!["malacca".into()];
            s.objective = Some("time".into());
        }),
    ]
}

/// Within one unit of the figure's rounding: the two methods add the same parts in
/// another order, so a total on a rounding boundary may land either side.
fn close(a: Option<f64>, b: f64, unit: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() <= unit * 1.000_001)
}

#[test]
fn matrix_cells_equal_single_routes() {
    use caravan_app::matrix::Method;
    use rand::{seq::SliceRandom, SeedableRng};
    let e = common::engine();
    let names = [
        "Kashgar",
        "Almaty",
        "Tashkent",
        "Baku",
        "Shanghai",
        "Rotterdam",
        "Mumbai",
        "Istanbul",
        "Warsaw",
        "Tehran",
        "Colombo",
        "Chengdu",
        "Aktau",
        "Lyon",
    ];
    let places: Vec<_> = names
        .iter()
        .map(|n| e.net.resolve_place(n).unwrap())
        .collect();
    let mut rng = rand::rngs::StdRng::seed_from_u64(16);
    let mut checked = 0;
    for spec in profiles() {
        let run = |method| {
            let mut cells = Vec::new();
            e.matrix_stream(&places, &places, &spec, method, &|_| {}, |block| {
                assert_eq!(block.first() * names.len(), cells.len());
                cells.extend(block.into_row_major());
                Ok(())
            })
            .unwrap();
            cells
        };
        let (carried, unpacked) = (run(Method::Payloads), run(Method::Paths));
        assert_eq!(carried.len(), names.len() * names.len());
        // A sample of cells against `route`; all of them against the unpacking method.
        let mut sample: Vec<usize> = (0..carried.len()).collect();
        sample.shuffle(&mut rng);
        for (k, (c, u)) in carried.iter().zip(&unpacked).enumerate() {
            let (o, d) = (names[k / names.len()], names[k % names.len()]);
            match (c.figures(), u.figures()) {
                (Some(c), Some(u)) => {
                    assert!(close(Some(c.distance_km), u.distance_km, 0.1), "{o} → {d}");
                    assert!(close(Some(c.duration_h), u.duration_h, 0.1), "{o} → {d}");
                    assert!(close(Some(c.cost_usd), u.cost_usd, 1.0), "{o} → {d}");
                    assert!(close(Some(c.co2_kg), u.co2_kg, 0.1), "{o} → {d}");
                }
                _ => assert_eq!(c, u, "{o} → {d}"),
            }
        }
        for &k in &sample[..12] {
            let (o, d) = (names[k / names.len()], names[k % names.len()]);
            let cell = carried[k].named(&places[k / names.len()], &places[k % names.len()]);
            let plan = e.plan(&Request {
                origin: o.to_string(),
                destination: d.to_string(),
                profile: spec.clone(),
                alternatives: 1,
                geometry: false,
            });
            match plan {
                Ok(p) => {
                    let t = &p.routes[0].route.totals;
                    let why = format!("{o} → {d} under {spec:?}: {cell:?} against {t:?}");
                    assert!(close(cell.distance_km, t.distance_km, 0.1), "{why}");
                    assert!(close(cell.duration_h, t.duration_h, 0.1), "{why}");
                    assert!(close(cell.cost_usd, t.cost_usd, 1.0), "{why}");
                    assert!(close(cell.co2_kg, t.co2_kg, 0.1), "{why}");
                    checked += 1;
                }
                Err(_) => assert!(cell.reason.is_some() && cell.distance_km.is_none()),
            }
        }
    }
    assert!(checked >= 40, "only {checked} sampled cells had a route");
}

fn caravan(args: &[&str]) -> (i32, String) {
    let (code, _, err) = common::caravan(args);
    (code, err)
}

#[test]
fn matrix_cli_writes_csv_and_parquet_and_rejects_bad_input() {
    common::engine();
    let from = tmp("from.txt");
    let to = tmp("to.txt");
    std::fs::write(&from, "# origins\nKashgar\n\nXi'an\n").unwrap();
    // Honolulu cannot be reached by rail from Central Asia: an empty cell with a reason.
    std::fs::write(&to, "Tashkent\nDuisburg\nHonolulu\n").unwrap();
    let csv_out = tmp("m.csv");
    let pq_out = tmp("m.parquet");
    let _ = std::fs::remove_file(&csv_out);
    for out in [&csv_out, &pq_out] {
        let (code, err) = matrix(&from, &to, out, &["--modes", "rail"]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("6 pairs"), "{err}");
    }
    let mut r = csv::Reader::from_path(&csv_out).unwrap();
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "origin",
            "destination",
            "distance_km",
            "duration_h",
            "cost_usd",
            "co2_kg",
            "reason"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 6);
    let honolulu: Vec<_> = rows.iter().filter(|r| &r[1] == "Honolulu").collect();
    assert!(honolulu.iter().all(|r| r[2].is_empty() && !r[6].is_empty()));
    let xian_duisburg = rows
        .iter()
        .find(|r| &r[0] == "Xi'an" && &r[1] == "Duisburg")
        .unwrap();
    let km: f64 = xian_duisburg[2].parse().unwrap();
    assert!(
        (8000.0..12000.0).contains(&km),
        "Xi'an–Duisburg by rail: {km} km"
    );
    // Parquet holds the same rows.
    let file = std::fs::File::open(&pq_out).unwrap();
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let n: usize = reader.map(|b| b.unwrap().num_rows()).sum();
    assert_eq!(n, 6);

    // Several profiles in one file: a `profile` column, one block of rows per profile.
    let profiles = tmp("profiles.toml");
    std::fs::write(
        &profiles,
        "[[profile]]\nname = \"rail\"\nmodes = [\"rail\"]\n\n\
         [[profile]]\nname = \"cku-2\"\nscenario = [\"cku\"]\ndrivers = 2\n",
    )
    .unwrap();
    let two = tmp("two.csv");
    let (code, err) = matrix(
        &from,
        &to,
        &two,
        &["--profiles", profiles.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("12 pairs over 2 profiles"), "{err}");
    let mut r = csv::Reader::from_path(&two).unwrap();
    assert_eq!(&r.headers().unwrap()[0], "profile");
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    let rail: Vec<_> = rows.iter().filter(|r| &r[0] == "rail").collect();
    assert_eq!(rail.len(), 6);
    // The rail profile's rows are the single-profile run's.
    let single: Vec<csv::StringRecord> = csv::Reader::from_path(&csv_out)
        .unwrap()
        .records()
        .map(|x| x.unwrap())
        .collect();
    for (a, b) in rail.iter().zip(&single) {
        assert_eq!(
            a.iter().skip(1).collect::<Vec<_>>(),
            b.iter().collect::<Vec<_>>()
        );
    }
    // Profile options beside a profiles file are refused, and so is a bad profile,
    // naming it, before anything is written.
    let (code, _) = matrix(
        &from,
        &to,
        &two,
        &["--profiles", "p.toml", "--modes", "rail"],
    );
    assert_eq!(code, 2);
    std::fs::write(&profiles, "[[profile]]\nname = \"x\"\nmodes = [\"boat\"]\n").unwrap();
    let bad_profile = tmp("bad-profile.csv");
    let (code, err) = matrix(
        &from,
        &to,
        &bad_profile,
        &["--profiles", profiles.to_str().unwrap()],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("profile \"x\"") && err.contains("boat"),
        "{err}"
    );
    assert!(!bad_profile.exists());

    // Bad input: an unknown place names its file and line, exits 2, writes nothing.
    std::fs::write(&to, "Tashkent\nNowhereville Qqq\n").unwrap();
    let bad_out = tmp("bad.csv");
    let _ = std::fs::remove_file(&bad_out);
    let (code, err) = matrix(&from, &to, &bad_out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("line 2"), "{err}");
    assert!(!bad_out.exists());
    // An unsupported output extension is refused up front.
    let (code, err) = matrix(&from, &from, &tmp("m.xlsx"), &[]);
    assert_eq!(code, 2, "{err}");
}
