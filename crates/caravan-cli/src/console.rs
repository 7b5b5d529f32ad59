//! The terminal side of every command: one writer for standard output (closed pipes and
//! full disks handled where they happen), the failure type that carries an exit code, and
//! progress bars that only draw on a terminal.

use anyhow::Result;
use std::io::IsTerminal;

/// Writes to standard output. A reader that went away (`| head`) ends the program quietly,
/// as `cat` does; any other failure (a full disk) is an error naming it, exit 1.
pub fn emit(s: &str) -> Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    o.write_all(s.as_bytes())
        .and_then(|_| o.flush())
        .map_err(output_error)
}

/// The failure for an error writing the output.
pub fn output_error(e: std::io::Error) -> anyhow::Error {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Fail {
            code: 0,
            message: String::new(),
        }
        .into()
    } else {
        Fail {
            code: 1,
            message: format!("cannot write the output: {e}"),
        }
        .into()
    }
}

/// A failure the user caused or can act on: printed as is, exit `code` (not 1, which is
/// for internal errors).
#[derive(Debug)]
pub struct Fail {
    pub code: u8,
    pub message: String,
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fail {}

/// Do two paths name one file (the second need not exist yet)?
pub fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || matches!(
            (std::fs::canonicalize(a), std::fs::canonicalize(b)),
            (Ok(x), Ok(y)) if x == y
        )
}

pub fn print_json(v: &serde_json::Value) -> Result<()> {
    outln!("{}", serde_json::to_string_pretty(v)?)
}

/// Prints `caravan: {e}` and answers exit `code`.
pub fn fail(e: impl std::fmt::Display, code: i32) -> Result<std::process::ExitCode> {
    eprintln!("caravan: {e}");
    Ok(std::process::ExitCode::from(code as u8))
}

/// A bar over `total` items, drawn only on a terminal and only when there are enough
/// items to be worth it.
pub fn bar(total: u64, min: u64, template: &str) -> indicatif::ProgressBar {
    let b = if std::io::stderr().is_terminal() && total >= min {
        indicatif::ProgressBar::new(total)
    } else {
        indicatif::ProgressBar::hidden()
    };
    b.set_style(
        indicatif::ProgressStyle::with_template(template)
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    b
}
