//! Readers for the zstd-compressed CSV files written by tools/import.

use crate::NetworkError;
use std::path::Path;

/// Rows of a `.csv.zst` (or plain `.csv`) file as string records, header checked.
pub fn read_csv(
    path: &Path,
    expect_header: &[&str],
) -> Result<Vec<csv::StringRecord>, NetworkError> {
    let bytes = std::fs::read(path).map_err(|e| NetworkError::io(path, e))?;
    let text = if path.extension().is_some_and(|e| e == "zst") {
        zstd::decode_all(&bytes[..])
            .map_err(|e| NetworkError::format(path, format!("zstd: {e}")))?
    } else {
        bytes
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(&text[..]);
    let header = rdr
        .headers()
        .map_err(|e| NetworkError::format(path, e.to_string()))?
        .clone();
    let got: Vec<&str> = header.iter().collect();
    if got != expect_header {
        return Err(NetworkError::format(
            path,
            format!("header {got:?}, expected {expect_header:?}"),
        ));
    }
    rdr.records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| NetworkError::format(path, e.to_string()))
}

pub fn field<T: std::str::FromStr>(
    rec: &csv::StringRecord,
    i: usize,
    path: &Path,
) -> Result<T, NetworkError> {
    rec.get(i).and_then(|s| s.parse().ok()).ok_or_else(|| {
        NetworkError::format(
            path,
            format!(
                "bad field {i} in row {:?}",
                rec.position().map(|p| p.line())
            ),
        )
    })
}
