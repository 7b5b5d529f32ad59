//! Request options as users type them (a command line, a query string): the checks every
//! front applies the same way, so `--modes ''` and `?modes=` fail alike.

/// One entry of a list option: an empty one (`--modes ''`, `modes=rail,`) is a mistake,
/// not "no constraint".
pub fn entry(s: &str) -> Result<String, String> {
    let t = s.trim();
    if t.is_empty() {
        return Err(
            "empty entry; give names separated by commas (omit the option for no constraint)"
                .into(),
        );
    }
    Ok(t.to_string())
}

/// A comma-separated list, every entry checked by [`entry`].
pub fn list(s: &str) -> Result<Vec<String>, String> {
    s.split(',').map(entry).collect()
}

/// A number that must be finite and above zero (tonnes, a cargo value).
pub fn positive(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) => positive_value(x),
        Err(e) => Err(format!(
            "'{}' is not a number: {e}",
            caravan_network::shown(s)
        )),
    }
}

pub fn positive_value(x: f64) -> Result<f64, String> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(format!("{x} is not a positive number"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_entries_and_non_positive_numbers_are_refused() {
        assert_eq!(list("rail, road").unwrap(), ["rail", "road"]);
        assert!(list("").is_err());
        assert!(list("rail,").is_err());
        assert!(positive("0").is_err());
        assert!(positive("nan").is_err());
        assert!(positive("1e400").is_err());
        assert_eq!(positive(" 2.5 ").unwrap(), 2.5);
    }
}
