//! Parquet output for matrices and lane tables. Behind the `parquet` feature (on by
//! default) because arrow is most of the crate's compile time, and the fuzz build, which
//! only exercises parsers, cannot afford it under sanitizers.

use crate::matrix::Cell;
use serde_json::{Map, Value};
use std::path::Path;

#[cfg(feature = "parquet")]
pub fn write_cells(cells: &[Cell], path: &Path) -> Result<(), std::io::Error> {
    write_batch(&cells_batch(cells)?, std::fs::File::create(path)?)
}

/// The cells as a Parquet file in memory (an HTTP response).
#[cfg(feature = "parquet")]
pub fn cells_parquet(cells: &[Cell]) -> Result<Vec<u8>, std::io::Error> {
    let mut out = Vec::new();
    write_batch(&cells_batch(cells)?, &mut out)?;
    Ok(out)
}

#[cfg(feature = "parquet")]
fn cells_batch(cells: &[Cell]) -> Result<arrow_array::RecordBatch, std::io::Error> {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let text = |f: &dyn Fn(&Cell) -> Option<&str>| -> ArrayRef {
        Arc::new(cells.iter().map(f).collect::<StringArray>())
    };
    let num = |f: &dyn Fn(&Cell) -> Option<f64>| -> ArrayRef {
        Arc::new(cells.iter().map(f).collect::<Float64Array>())
    };
    RecordBatch::try_from_iter([
        ("origin", text(&|c| Some(c.origin.as_str()))),
        ("destination", text(&|c| Some(c.destination.as_str()))),
        ("distance_km", num(&|c| c.distance_km)),
        ("duration_h", num(&|c| c.duration_h)),
        ("cost_usd", num(&|c| c.cost_usd)),
        ("co2_kg", num(&|c| c.co2_kg)),
        ("reason", text(&|c| c.reason.as_deref())),
    ])
    .map_err(std::io::Error::other)
}

/// Flat records as columns: a column whose first non-null value is a number is Float64,
/// any other is text.
#[cfg(feature = "parquet")]
pub fn write_records(values: &[Map<String, Value>], path: &Path) -> Result<(), std::io::Error> {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let keys: Vec<String> = values
        .first()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut cols: Vec<(String, ArrayRef)> = Vec::new();
    for k in keys {
        let numeric = values
            .iter()
            .filter_map(|m| m.get(&k))
            .find(|v| !v.is_null())
            .is_some_and(Value::is_number);
        let col: ArrayRef = if numeric {
            Arc::new(
                values
                    .iter()
                    .map(|m| m.get(&k).and_then(Value::as_f64))
                    .collect::<Float64Array>(),
            )
        } else {
            Arc::new(
                values
                    .iter()
                    .map(|m| match m.get(&k) {
                        None | Some(Value::Null) => None,
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(v) => Some(v.to_string()),
                    })
                    .collect::<StringArray>(),
            )
        };
        cols.push((k, col));
    }
    let batch = RecordBatch::try_from_iter(cols).map_err(std::io::Error::other)?;
    write_batch(&batch, std::fs::File::create(path)?)
}

/// One record batch to a zstd-compressed Parquet file.
#[cfg(feature = "parquet")]
fn write_batch(
    batch: &arrow_array::RecordBatch,
    file: impl std::io::Write + Send,
) -> Result<(), std::io::Error> {
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .build();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(props))
        .map_err(std::io::Error::other)?;
    w.write(batch).map_err(std::io::Error::other)?;
    w.close().map_err(std::io::Error::other)?;
    Ok(())
}

#[cfg(not(feature = "parquet"))]
fn unsupported() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::Unsupported,
        "this build of caravan has no Parquet output (feature `parquet`); write .csv",
    )
}

#[cfg(not(feature = "parquet"))]
pub fn write_cells(_: &[Cell], _: &Path) -> Result<(), std::io::Error> {
    Err(unsupported())
}

#[cfg(not(feature = "parquet"))]
pub fn cells_parquet(_: &[Cell]) -> Result<Vec<u8>, std::io::Error> {
    Err(unsupported())
}

#[cfg(not(feature = "parquet"))]
pub fn write_records(_: &[Map<String, Value>], _: &Path) -> Result<(), std::io::Error> {
    Err(unsupported())
}
