//! One range check over the curated files (data/overlay/*.toml, data/params.toml): a
//! latitude of 243 or a negative sailing time parses as a number and would quietly become
//! a wrong route, so every number is checked against its key's range at load, with the
//! file, key and line of the first one out of range.
//!
//! The check reads the text, not the parsed structures: it needs the line, it covers every
//! file with one rule table instead of one check per struct, and a key that a struct
//! ignores is still checked. A number is given either plainly (`lat = 44.6`) or as
//! `key = { value = 30.5, source = "…" }`; a `value = …` on a line of its own belongs to its
//! table's name (`[mode.rail.speed] value = …`).

/// Inclusive bounds for a key: (min, max, whether min itself is allowed).
fn range_of(key: &str) -> Option<(f64, f64, bool)> {
    const ANY: f64 = f64::INFINITY;
    Some(match key {
        "lat" => (-90.0, 90.0, true),
        "lon" => (-180.0, 180.0, true),
        "gauge_mm" => (600.0, 1700.0, true),
        "days_per_week" => (0.0, 7.0, false),
        "inventory_carrying_rate_per_year" => (0.0, 1.0, true),
        "tolerance_pct" => (0.0, 100.0, false),
        "road_detour_factor" => (1.0, 10.0, true),
        "sailing_hours" | "sailings_per_week" | "kn" | "payload_t" | "max_lot_t"
        | "teu_per_unit" | "tonnes_per_1000_m3" | "length_km" | "snap_km" | "max_leg_km"
        | "max_access_km" | "deep_sea_km" => (0.0, ANY, false),
        k if k.starts_with("speed") || k.starts_with("capacity") => (0.0, ANY, false),
        "hours" | "h" => (0.0, 10_000.0, true),
        k if k.ends_with("_h") || k.contains("_h_") => (0.0, 10_000.0, true),
        k if k.starts_with("usd") || k.contains("_usd") || k.starts_with("co2e") => {
            (0.0, ANY, true)
        }
        _ => return None,
    })
}

/// The first number out of its key's range: `line N: key = v …`.
pub fn check(text: &str) -> Result<(), String> {
    let mut table_key = String::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let code = strip(raw);
        let t = code.trim_start();
        if t.starts_with('[') {
            let name = t.trim_matches(|c| c == '[' || c == ']').trim();
            table_key = name.rsplit('.').next().unwrap_or(name).trim().to_string();
            continue;
        }
        let mut outer = String::new();
        for (key, value) in numbers(&code) {
            let effective = if key == "value" {
                if outer.is_empty() {
                    table_key.clone()
                } else {
                    outer.clone()
                }
            } else {
                key.clone()
            };
            outer.clear();
            let Some(v) = value else {
                // `key = { value = …`: the inner `value` belongs to `key`.
                outer = key;
                continue;
            };
            let Some((lo, hi, lo_ok)) = range_of(&effective) else {
                continue;
            };
            let inside = v.is_finite() && v <= hi && (v > lo || (lo_ok && v == lo));
            if !inside {
                let bound = if hi.is_infinite() {
                    format!("{} {lo}", if lo_ok { "at least" } else { "above" })
                } else {
                    format!("in [{lo}, {hi}]")
                };
                return Err(format!(
                    "line {line}: {effective} = {v} is out of range (must be {bound})"
                ));
            }
        }
    }
    Ok(())
}

/// The line without its comment, strings blanked (a source may say "lat = 5").
fn strip(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                    out.push(c);
                    continue;
                }
                out.push(' ');
            }
            None => {
                if c == '#' {
                    break;
                }
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    out
}

/// `key = number` pairs of a stripped line, in order; `None` for `key = {` (an inline
/// table, whose `value` follows).
fn numbers(code: &str) -> Vec<(String, Option<f64>)> {
    let b = code.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() || b[i] == b'_')
            || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b'.'))
        {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let key = &code[start..i];
        let mut j = i;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j >= b.len() || b[j] != b'=' {
            continue;
        }
        j += 1;
        while j < b.len() && b[j] == b' ' {
            j += 1;
        }
        if j < b.len() && b[j] == b'{' {
            out.push((key.to_string(), None));
            i = j + 1;
            continue;
        }
        let v_start = j;
        while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ') {
            j += 1;
        }
        let token = code[v_start..j].replace('_', "");
        if token.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+' || c == '.') {
            if let Ok(v) = token.parse::<f64>() {
                out.push((key.to_string(), Some(v)));
            }
        }
        i = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn numbers_out_of_range_are_named_with_their_line() {
        let ok = "[[ferry]]\nfrom = { name = \"a\", lat = 40.1, lon = 49.9 }\nsailing_hours = { value = 21, source = \"lat = 999\" } # lat = 999\nsailings_per_week = 3\n";
        assert_eq!(check(ok), Ok(()));
        let e = check("[[ferry]]\nsailing_hours = -21\n").unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("sailing_hours = -21"),
            "{e}"
        );
        let e = check("x = 1\nto = { name = \"b\", lat = 243.17, lon = 1 }\n").unwrap_err();
        assert!(
            e.contains("line 2") && e.contains("lat = 243.17") && e.contains("[-90, 90]"),
            "{e}"
        );
        let e = check("sailings_per_week = { value = 0, assumption = true }\n").unwrap_err();
        assert!(
            e.contains("sailings_per_week = 0") && e.contains("above 0"),
            "{e}"
        );
        let e = check("[mode.rail.border_h]\nvalue = -3\n").unwrap_err();
        assert!(e.contains("border_h = -3"), "{e}");
    }
}
