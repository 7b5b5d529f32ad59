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

/// A Parquet matrix written one record batch per chunk of cells, so that no more than a
/// chunk is ever held.
#[cfg(feature = "parquet")]
pub struct CellStream {
    writer: parquet::arrow::ArrowWriter<std::fs::File>,
    profile_column: bool,
}

#[cfg(feature = "parquet")]
impl CellStream {
    pub fn new(file: std::fs::File, profile_column: bool) -> Result<CellStream, std::io::Error> {
        // The schema of an empty chunk, so that every batch shares it.
        let schema = rows_batch(&[], profile_column)?.schema();
        let writer = parquet::arrow::ArrowWriter::try_new(file, schema, Some(properties()))
            .map_err(std::io::Error::other)?;
        Ok(CellStream {
            writer,
            profile_column,
        })
    }

    pub fn write(&mut self, rows: &[crate::matrix_file::CellRow]) -> Result<(), std::io::Error> {
        let batch = rows_batch(rows, self.profile_column)?;
        self.writer.write(&batch).map_err(std::io::Error::other)
    }

    pub fn close(self) -> Result<(), std::io::Error> {
        let file = self.writer.into_inner().map_err(std::io::Error::other)?;
        file.sync_all()
    }
}

/// Rows as a batch; the nullability of each column is fixed (not taken from the rows), so
/// that every chunk has the same schema.
#[cfg(feature = "parquet")]
fn rows_batch(
    rows: &[crate::matrix_file::CellRow],
    profile_column: bool,
) -> Result<arrow_array::RecordBatch, std::io::Error> {
    use crate::matrix_file::CellRow;
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let text = |f: &dyn for<'r> Fn(&'r CellRow<'_>) -> Option<&'r str>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<StringArray>())
    };
    let num = |f: &dyn Fn(&CellRow) -> Option<f64>| -> ArrayRef {
        Arc::new(rows.iter().map(f).collect::<Float64Array>())
    };
    let mut cols = Vec::new();
    if profile_column {
        cols.push(("profile", text(&|c| c.profile), false));
    }
    cols.extend([
        ("origin", text(&|c| Some(c.origin)), false),
        ("destination", text(&|c| Some(c.destination)), false),
        ("distance_km", num(&|c| c.distance_km), true),
        ("duration_h", num(&|c| c.duration_h), true),
        ("cost_usd", num(&|c| c.cost_usd), true),
        ("co2_kg", num(&|c| c.co2_kg), true),
        ("reason", text(&|c| c.reason.as_deref()), true),
    ]);
    RecordBatch::try_from_iter_with_nullable(cols).map_err(std::io::Error::other)
}

#[cfg(feature = "parquet")]
fn properties() -> parquet::file::properties::WriterProperties {
    parquet::file::properties::WriterProperties::builder()
        .set_compression(parquet::basic::Compression::ZSTD(Default::default()))
        .build()
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
    let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), Some(properties()))
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

#[cfg(not(feature = "parquet"))]
pub struct CellStream;

#[cfg(not(feature = "parquet"))]
impl CellStream {
    pub fn new(_: std::fs::File, _: bool) -> Result<CellStream, std::io::Error> {
        Err(unsupported())
    }
    pub fn write(&mut self, _: &[crate::matrix_file::CellRow]) -> Result<(), std::io::Error> {
        Err(unsupported())
    }
    pub fn close(self) -> Result<(), std::io::Error> {
        Err(unsupported())
    }
}
