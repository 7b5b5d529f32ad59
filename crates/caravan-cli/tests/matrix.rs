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

#[test]
fn matrix_cells_equal_single_routes() {
    let e = common::engine();
    let names = ["Kashgar", "Almaty", "Tashkent", "Baku"];
    let places: Vec<_> = names
        .iter()
        .map(|n| e.net.resolve_place(n).unwrap())
        .collect();
    for spec in [
        ProfileSpec::default(),
        ProfileSpec {
            modes: vec!["rail".into()],
            objective: Some("time".into()),
            ..Default::default()
        },
    ] {
        let cells = e.matrix(&places, &places, &spec, &|_| {}).unwrap();
        assert_eq!(cells.len(), 16);
        for (i, o) in names.iter().enumerate() {
            for (j, d) in names.iter().enumerate() {
                let cell = &cells[i * names.len() + j];
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
                        assert_eq!(cell.distance_km, Some(t.distance_km), "{o} → {d}");
                        assert_eq!(cell.duration_h, Some(t.duration_h), "{o} → {d}");
                        assert_eq!(cell.cost_usd, Some(t.cost_usd), "{o} → {d}");
                        assert_eq!(cell.co2_kg, Some(t.co2_kg), "{o} → {d}");
                    }
                    Err(_) => assert!(cell.reason.is_some() && cell.distance_km.is_none()),
                }
            }
        }
    }
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
