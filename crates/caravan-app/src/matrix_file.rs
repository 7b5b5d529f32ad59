//! Matrix files: CSV or Parquet by extension, always written to a temporary file beside
//! the destination and renamed into place when complete, so an interrupted or failed run
//! never leaves a partial file.

use crate::matrix::Cell;
use std::path::Path;

/// Output formats by file extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutFormat {
    Csv,
    Parquet,
}

impl OutFormat {
    pub fn from_path(path: &Path) -> Option<OutFormat> {
        match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
            "csv" => Some(OutFormat::Csv),
            "parquet" => Some(OutFormat::Parquet),
            _ => None,
        }
    }
}

/// Writes the cells to `path` (CSV or Parquet by extension) through a temporary file in
/// the same directory, renamed into place: a failed run never leaves a half-written file.
pub fn write_cells(cells: &[Cell], path: &Path) -> Result<(), std::io::Error> {
    let format = out_format(path)?;
    write_atomically(path, |tmp| match format {
        OutFormat::Csv => write_csv(cells, tmp),
        OutFormat::Parquet => crate::columnar::write_cells(cells, tmp),
    })
}

fn out_format(path: &Path) -> Result<OutFormat, std::io::Error> {
    OutFormat::from_path(path).ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "{}: the output must end in .csv or .parquet",
                path.display()
            ),
        )
    })
}

/// Runs `write` on a temporary file next to `path` and renames it into place, or removes
/// it on failure.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), std::io::Error>,
) -> Result<(), std::io::Error> {
    let tmp = temporary(path);
    match write(&tmp).and_then(|()| std::fs::rename(&tmp, path)) {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

/// Flat records (structs of numbers, strings and options of them) to CSV or Parquet by
/// extension, atomically. Parquet columns take their type from the serialized values:
/// numbers as Float64, everything else as text.
pub fn write_records<T: serde::Serialize>(rows: &[T], path: &Path) -> Result<(), std::io::Error> {
    let format = out_format(path)?;
    write_atomically(path, |tmp| match format {
        OutFormat::Csv => {
            let mut w = csv::Writer::from_path(tmp)?;
            for r in rows {
                w.serialize(r)?;
            }
            w.flush()
        }
        OutFormat::Parquet => {
            use serde_json::Value;
            let values: Vec<serde_json::Map<String, Value>> = rows
                .iter()
                .map(|r| match serde_json::to_value(r) {
                    Ok(Value::Object(m)) => Ok(m),
                    _ => Err(std::io::Error::other(
                        "a record must serialize to an object",
                    )),
                })
                .collect::<Result<_, _>>()?;
            crate::columnar::write_records(&values, tmp)
        }
    })
}

fn write_csv(cells: &[Cell], path: &Path) -> Result<(), std::io::Error> {
    let mut w = csv::Writer::from_path(path)?;
    for c in cells {
        w.serialize(c)?;
    }
    w.flush()
}

/// A matrix cell as written: borrowed names, so that a block of millions of rows does not
/// copy a place name per cell. `profile` is present only in multi-profile runs.
#[derive(serde::Serialize)]
pub struct CellRow<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<&'a str>,
    pub origin: &'a str,
    pub destination: &'a str,
    pub distance_km: Option<f64>,
    pub duration_h: Option<f64>,
    pub cost_usd: Option<f64>,
    pub co2_kg: Option<f64>,
    pub reason: Option<String>,
}

enum Stream {
    Csv(csv::Writer<std::io::BufWriter<std::fs::File>>),
    Parquet(crate::columnar::CellStream),
}

/// A matrix file written block by block into its temporary, renamed into place by
/// [`CellWriter::finish`]; dropped unfinished (an error, an interrupt unwinding), it
/// removes the temporary.
pub struct CellWriter {
    path: std::path::PathBuf,
    tmp: std::path::PathBuf,
    stream: Option<Stream>,
    profile_column: bool,
    rows: u64,
}

impl CellWriter {
    /// `profile_column`: whether rows name their profile (several profiles in one file).
    pub fn create(path: &Path, profile_column: bool) -> Result<CellWriter, std::io::Error> {
        let format = out_format(path)?;
        let tmp = temporary(path);
        let file = std::fs::File::create(&tmp)?;
        let stream = match format {
            OutFormat::Csv => Stream::Csv(csv::Writer::from_writer(std::io::BufWriter::new(file))),
            OutFormat::Parquet => {
                Stream::Parquet(crate::columnar::CellStream::new(file, profile_column)?)
            }
        };
        Ok(CellWriter {
            path: path.to_path_buf(),
            tmp,
            stream: Some(stream),
            profile_column,
            rows: 0,
        })
    }

    /// One block of whole rows, written in chunks so that only a chunk of rows is ever
    /// materialised.
    pub fn write_block(
        &mut self,
        profile: &str,
        origins: &[caravan_network::Place],
        destinations: &[caravan_network::Place],
        block: &caravan_route::Block<crate::matrix::Outcome>,
    ) -> Result<(), std::io::Error> {
        const CHUNK: usize = 1 << 15;
        let (first, width) = (block.first(), block.width());
        let profile = self.profile_column.then_some(profile);
        let row = |k: usize| {
            let (i, j) = (k / width, k % width);
            let (o, d) = (&origins[first + i], &destinations[j]);
            let out = block.get(i, j);
            let f = out.figures();
            CellRow {
                profile,
                origin: &o.query,
                destination: &d.query,
                distance_km: f.map(|f| f.distance_km),
                duration_h: f.map(|f| f.duration_h),
                cost_usd: f.map(|f| f.cost_usd),
                co2_kg: f.map(|f| f.co2_kg),
                reason: out.reason(o, d),
            }
        };
        let mut rows = Vec::with_capacity(CHUNK.min(block.len()));
        for start in (0..block.len()).step_by(CHUNK) {
            let end = (start + CHUNK).min(block.len());
            match self.stream.as_mut().expect("written after finish") {
                Stream::Csv(w) => {
                    for k in start..end {
                        w.serialize(row(k))?;
                    }
                }
                Stream::Parquet(w) => {
                    rows.clear();
                    rows.extend((start..end).map(row));
                    w.write(&rows)?;
                }
            }
        }
        self.rows += block.len() as u64;
        Ok(())
    }

    /// Completes the file and renames it into place; the number of rows written.
    pub fn finish(mut self) -> Result<u64, std::io::Error> {
        match self.stream.take().expect("finished once") {
            Stream::Csv(w) => {
                let file = w.into_inner().map_err(|e| e.into_error())?;
                file.into_inner().map_err(|e| e.into_error())?.sync_all()?;
            }
            Stream::Parquet(w) => w.close()?,
        }
        std::fs::rename(&self.tmp, &self.path)?;
        Ok(self.rows)
    }
}

impl Drop for CellWriter {
    fn drop(&mut self) {
        // Unfinished, or the rename failed: the temporary must not stay.
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// The temporary `path` is written to (`.<name>.tmp<pid>` beside it: `tempfiles` sweeps
/// those of dead processes).
fn temporary(path: &Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    dir.join(format!(
        ".{}.tmp{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ))
}
