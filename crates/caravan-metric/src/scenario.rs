//! Scenarios: named "what if" changes to the network and the freight model, read from
//! `data/scenarios/*.toml` or a user's file (format: data/README.md, Scenarios).
//!
//! A scenario never rebuilds the network: it opens planned lines, closes places, and
//! changes parameters, all of which end as arc weights. The routing hierarchy only needs a
//! new customization, so comparing a scenario with its baseline costs one customization,
//! not a rebuild.
//!
//! Parsing (this module's [`Scenario::parse`]) needs no network, so a malformed file fails
//! before anything loads; names are resolved against the network in [`Adjust::new`], with
//! the file and line of an entry that names nothing.

use crate::MetricError;
use caravan_network::NewLink;
use serde::Deserialize;
use std::ops::Range;
use toml::{Spanned, Value};

mod adjust;
pub use adjust::Adjust;

/// A scenario file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    description: String,
    #[serde(default)]
    sources: Vec<String>,
    /// Short names that keep working (`cku` for `cku-railway`).
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    open: Open,
    #[serde(default)]
    close: Close,
    #[serde(default)]
    set: Vec<Set>,
    /// New lines drawn by waypoints (caravan-network `addition`).
    #[serde(default)]
    add: Vec<Spanned<NewLink>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Open {
    /// Planned lines (data/overlay/links.toml `scenario` tags or link ids).
    #[serde(default)]
    links: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Close {
    #[serde(default)]
    links: Vec<Spanned<String>>,
    #[serde(default)]
    crossings: Vec<Spanned<String>>,
    /// Whole land borders, "PL-BY": every crossing between the two, every mode.
    #[serde(default)]
    borders: Vec<Spanned<String>>,
    #[serde(default)]
    gauge_changes: Vec<Spanned<String>>,
    #[serde(default)]
    terminals: Vec<Spanned<String>>,
    #[serde(default)]
    ports: Vec<Spanned<String>>,
    #[serde(default)]
    ferries: Vec<Spanned<String>>,
    #[serde(default)]
    passages: Vec<Spanned<String>>,
    #[serde(default)]
    pipelines: Vec<Spanned<String>>,
    /// Closed entirely: no route may touch them.
    #[serde(default)]
    countries: Vec<Spanned<String>>,
    /// Closed to transit: a route may start or end there, not pass through.
    #[serde(default)]
    transit: Vec<Spanned<String>>,
}

/// One change of a number: a parameter of data/params.toml (`param`), or a figure of a
/// named place (`crossing`, `gauge_change`, `terminal`, `port`, `ferry` with `field`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Set {
    param: Option<Spanned<String>>,
    crossing: Option<Spanned<String>>,
    gauge_change: Option<Spanned<String>>,
    terminal: Option<Spanned<String>>,
    port: Option<Spanned<String>>,
    ferry: Option<Spanned<String>>,
    field: Option<Spanned<String>>,
    value: Option<f64>,
    factor: Option<f64>,
    add: Option<f64>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

/// How a number changes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Value(f64),
    Factor(f64),
    Add(f64),
}

impl Op {
    pub fn apply(self, x: f64) -> f64 {
        match self {
            Op::Value(v) => v,
            Op::Factor(f) => x * f,
            Op::Add(a) => x + a,
        }
    }
    fn describe(self) -> String {
        match self {
            Op::Value(v) => format!("= {v}"),
            Op::Factor(f) => format!("× {f}"),
            Op::Add(a) if a >= 0.0 => format!("+ {a}"),
            Op::Add(a) => format!("− {}", -a),
        }
    }
}

/// What a place-level change targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceKind {
    Crossing,
    GaugeChange,
    Terminal,
    Port,
    Ferry,
}

impl PlaceKind {
    fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Crossing => "crossing",
            PlaceKind::GaugeChange => "gauge_change",
            PlaceKind::Terminal => "terminal",
            PlaceKind::Port => "port",
            PlaceKind::Ferry => "ferry",
        }
    }
    fn fields(self) -> &'static [&'static str] {
        match self {
            PlaceKind::Ferry => &["sailing_hours", "sailings_per_week"],
            _ => &["hours", "usd_per_feu"],
        }
    }
}

/// A parsed, checked scenario (names not yet resolved against a network).
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub sources: Vec<String>,
    pub aliases: Vec<String>,
    /// Where it was read from, for messages.
    pub origin: String,
    text: String,
    file: File,
    params: Vec<(String, Op)>,
    places: Vec<(PlaceKind, Spanned<String>, String, Op)>,
    added: Vec<NewLink>,
}

impl Scenario {
    /// Parses a scenario file's text; `origin` names it in errors (a path).
    pub fn parse(text: &str, origin: &str) -> Result<Scenario, MetricError> {
        let err = |m: String| MetricError::Scenario {
            origin: origin.to_string(),
            message: m,
        };
        let file: File = toml::from_str(text).map_err(|e| err(one_line(&e.to_string())))?;
        let at = |span: Range<usize>| format!("line {}", line_of(text, span.start));
        if file.name.trim().is_empty() {
            return Err(err("name is empty".into()));
        }
        if file.description.trim().is_empty() {
            return Err(err("description is empty".into()));
        }
        let mut params = Vec::new();
        let mut places = Vec::new();
        for s in &file.set {
            let ops: Vec<Op> = [
                s.value.map(Op::Value),
                s.factor.map(Op::Factor),
                s.add.map(Op::Add),
            ]
            .into_iter()
            .flatten()
            .collect();
            let targets: Vec<(Option<PlaceKind>, &Spanned<String>)> = [
                (None, &s.param),
                (Some(PlaceKind::Crossing), &s.crossing),
                (Some(PlaceKind::GaugeChange), &s.gauge_change),
                (Some(PlaceKind::Terminal), &s.terminal),
                (Some(PlaceKind::Port), &s.port),
                (Some(PlaceKind::Ferry), &s.ferry),
            ]
            .into_iter()
            .filter_map(|(k, t)| t.as_ref().map(|t| (k, t)))
            .collect();
            let (kind, target) = match targets.as_slice() {
                [one] => *one,
                _ => {
                    return Err(err(format!(
                        "each [[set]] names one target: param, crossing, gauge_change, terminal, port or ferry (set #{} names {})",
                        params.len() + places.len() + 1,
                        targets.len()
                    )))
                }
            };
            let where_ = at(target.span());
            let [op] = ops.as_slice() else {
                return Err(err(format!(
                    "{where_}: give exactly one of value, factor or add for '{}'",
                    target.get_ref()
                )));
            };
            let (Op::Value(v) | Op::Factor(v) | Op::Add(v)) = *op;
            if !v.is_finite() {
                return Err(err(format!("{where_}: the number is not finite")));
            }
            if matches!(op, Op::Factor(f) if *f < 0.0) {
                return Err(err(format!("{where_}: a factor must not be negative")));
            }
            match kind {
                None => {
                    if s.field.is_some() {
                        return Err(err(format!(
                            "{where_}: 'field' belongs to place changes, not to param"
                        )));
                    }
                    params.push((target.get_ref().trim().to_string(), *op));
                }
                Some(k) => {
                    let Some(field) = &s.field else {
                        return Err(err(format!(
                            "{where_}: name the field to change ({})",
                            k.fields().join(", ")
                        )));
                    };
                    if !k.fields().contains(&field.get_ref().as_str()) {
                        return Err(err(format!(
                            "{}: unknown field '{}' of a {}; valid: {}",
                            at(field.span()),
                            field.get_ref(),
                            k.as_str(),
                            k.fields().join(", ")
                        )));
                    }
                    places.push((k, target.clone(), field.get_ref().clone(), *op));
                }
            }
            let _ = (&s.source, &s.note);
        }
        let mut added = Vec::new();
        for a in &file.add {
            let mut link = a.get_ref().clone();
            link.check()
                .map_err(|m| err(format!("{}: {m}", at(a.span()))))?;
            if added.iter().any(|l: &NewLink| l.id == link.id) {
                return Err(err(format!(
                    "{}: added link '{}' is given twice",
                    at(a.span()),
                    link.id
                )));
            }
            link.scenario = file.name.trim().to_string();
            added.push(link);
        }
        Ok(Scenario {
            name: file.name.trim().to_string(),
            description: file.description.trim().to_string(),
            sources: file.sources.clone(),
            aliases: file.aliases.clone(),
            origin: origin.to_string(),
            text: text.to_string(),
            params,
            places,
            added,
            file,
        })
    }

    /// Reads and parses a scenario file.
    pub fn load(path: &std::path::Path) -> Result<Scenario, MetricError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| MetricError::Scenario {
            origin: origin.clone(),
            message: e.to_string(),
        })?;
        Scenario::parse(&text, &origin)
    }

    /// A scenario that only opens a planned line's tag (the short names that predate
    /// scenario files).
    pub fn opening(tag: &str) -> Scenario {
        let text = format!(
            "name = {tag:?}\ndescription = \"opens the planned line(s) tagged '{tag}' in data/overlay/links.toml\"\n[open]\nlinks = [{tag:?}]\n"
        );
        Scenario::parse(&text, "data/overlay/links.toml").expect("generated scenario parses")
    }

    /// Parameter changes (dotted paths into data/params.toml).
    pub fn param_changes(&self) -> &[(String, Op)] {
        &self.params
    }

    /// Countries closed to transit (ISO codes or groups as written).
    pub fn transit_closed(&self) -> Vec<String> {
        self.file
            .close
            .transit
            .iter()
            .map(|s| s.get_ref().clone())
            .collect()
    }

    /// Countries closed entirely.
    pub fn countries_closed(&self) -> Vec<String> {
        self.file
            .close
            .countries
            .iter()
            .map(|s| s.get_ref().clone())
            .collect()
    }

    /// Sea passages closed (searoute names).
    pub fn passages_closed(&self) -> Vec<String> {
        self.file
            .close
            .passages
            .iter()
            .map(|s| s.get_ref().clone())
            .collect()
    }

    /// Is this the scenario's name or one of its aliases (case-insensitive)?
    pub fn answers_to(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
            || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
    }

    /// Lines the scenario draws by waypoints: they need a variant network
    /// (caravan-network `load_or_build_with`), which opens them under this scenario's name.
    pub fn added_links(&self) -> &[NewLink] {
        &self.added
    }

    /// Planned-line tags or link ids opened.
    pub fn opened_links(&self) -> Vec<String> {
        self.file
            .open
            .links
            .iter()
            .map(|s| s.get_ref().clone())
            .collect()
    }

    /// Does the scenario change anything a metric reads per place (closures, dwell)?
    fn has_place_changes(&self) -> bool {
        let c = &self.file.close;
        !(c.links.is_empty()
            && c.crossings.is_empty()
            && c.borders.is_empty()
            && c.gauge_changes.is_empty()
            && c.terminals.is_empty()
            && c.ports.is_empty()
            && c.ferries.is_empty()
            && c.pipelines.is_empty()
            && self.places.is_empty())
    }

    /// What the scenario changes, one line each (for `caravan scenarios`).
    pub fn changes(&self) -> Vec<String> {
        let mut out = Vec::new();
        let list = |v: &[Spanned<String>]| {
            v.iter()
                .map(|s| s.get_ref().as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let o = &self.file.open;
        if !o.links.is_empty() {
            out.push(format!("opens lines: {}", list(&o.links)));
        }
        for a in &self.added {
            let km = a
                .length_km
                .map_or(String::new(), |l| format!(", {l:.0} km"));
            let (first, last) = (&a.waypoints[0], &a.waypoints[a.waypoints.len() - 1]);
            out.push(format!(
                "adds a {} line '{}' ({} – {}, {} waypoints{km})",
                a.mode,
                a.id,
                first.name,
                last.name,
                a.waypoints.len()
            ));
        }
        let c = &self.file.close;
        for (what, v) in [
            ("links", &c.links),
            ("border crossings", &c.crossings),
            ("borders", &c.borders),
            ("gauge-change stations", &c.gauge_changes),
            ("terminals", &c.terminals),
            ("ports", &c.ports),
            ("ferry services", &c.ferries),
            ("passages", &c.passages),
            ("pipelines", &c.pipelines),
            ("countries", &c.countries),
        ] {
            if !v.is_empty() {
                out.push(format!("closes {what}: {}", list(v)));
            }
        }
        if !c.transit.is_empty() {
            out.push(format!("closes transit through: {}", list(&c.transit)));
        }
        for (p, op) in &self.params {
            out.push(format!("sets {p} {}", op.describe()));
        }
        for (k, name, field, op) in &self.places {
            out.push(format!(
                "sets {} '{}' {field} {}",
                k.as_str(),
                name.get_ref(),
                op.describe()
            ));
        }
        out
    }

    fn err_at(&self, span: Range<usize>, message: String) -> MetricError {
        MetricError::Scenario {
            origin: self.origin.clone(),
            message: format!("line {}: {message}", line_of(&self.text, span.start)),
        }
    }
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())].matches('\n').count() + 1
}

/// toml's messages span several lines with a source excerpt; a CLI error is one line.
fn one_line(m: &str) -> String {
    let mut lines = m.lines().filter(|l| !l.trim().is_empty());
    let head = lines.next().unwrap_or_default().trim().to_string();
    let last = m
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('|') && !l.contains('^'))
        .unwrap_or_default()
        .trim()
        .to_string();
    if last.is_empty() || last == head {
        head
    } else {
        format!("{head}: {last}")
    }
}

/// Applies parameter changes to a params.toml document: a dotted path to a number (or a
/// `{ value = … }` table). `value` may create a missing leaf (a passage's first dwell);
/// factors and additions need an existing number.
pub fn apply_params(doc: &mut Value, changes: &[(String, Op)]) -> Result<(), String> {
    for (path, op) in changes {
        let keys: Vec<&str> = path.split('.').collect();
        let (leaf, parents) = keys.split_last().ok_or("empty parameter path")?;
        let mut v = &mut *doc;
        for k in parents {
            let t = v
                .as_table_mut()
                .ok_or_else(|| format!("parameter {path}: '{k}' is not a table"))?;
            if !t.contains_key(*k) {
                if !matches!(op, Op::Value(_)) {
                    return Err(format!(
                        "parameter {path}: no such parameter in params.toml"
                    ));
                }
                t.insert(k.to_string(), Value::Table(Default::default()));
            }
            v = t.get_mut(*k).expect("inserted");
        }
        let t = v
            .as_table_mut()
            .ok_or_else(|| format!("parameter {path}: the parent is not a table"))?;
        let slot = match t.get_mut(*leaf) {
            Some(Value::Table(inner)) => inner.get_mut("value"),
            Some(other) => Some(other),
            None => None,
        };
        let current = slot.as_ref().and_then(|s| crate::params::num(s));
        let new = match (current, op) {
            (Some(x), op) => op.apply(x),
            (None, Op::Value(v)) => *v,
            (None, _) => {
                return Err(format!(
                    "parameter {path}: no such number in params.toml (a factor or add needs one)"
                ))
            }
        };
        match slot {
            Some(s) => *s = Value::Float(new),
            None => {
                t.insert(leaf.to_string(), Value::Float(new));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_changes_and_rejects_bad_entries_with_their_line() {
        let s = Scenario::parse(
            "name = \"t\"\ndescription = \"d\"\n[close]\npassages = [\"suez\"]\n[[set]]\nparam = \"mode.sea.usd_per_feu_km\"\nfactor = 2.0\n",
            "t.toml",
        )
        .unwrap();
        assert_eq!(s.passages_closed(), vec!["suez"]);
        assert_eq!(s.param_changes()[0].1, Op::Factor(2.0));
        let e = Scenario::parse(
            "name = \"t\"\ndescription = \"d\"\n[[set]]\ncrossing = \"X\"\nfield = \"speed\"\nadd = 1\n",
            "t.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("t.toml") && e.contains("line 5") && e.contains("speed"),
            "{e}"
        );
        let e = Scenario::parse("name = \"t\"\ndescription = \"d\"\nclose = 3\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("line 3"), "{e}");
        let e = Scenario::parse("name = \"t\"\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(e.contains("description"), "{e}");
    }

    #[test]
    fn parameter_paths_change_numbers_and_unknown_ones_fail() {
        let mut doc: Value =
            toml::from_str("[mode.sea]\nusd = { value = 2.0, source = \"s\" }\nh = 3\n").unwrap();
        apply_params(
            &mut doc,
            &[
                ("mode.sea.usd".into(), Op::Factor(1.5)),
                ("mode.sea.h".into(), Op::Add(2.0)),
                ("passage.bosporus.transit_h".into(), Op::Value(48.0)),
            ],
        )
        .unwrap();
        assert_eq!(doc["mode"]["sea"]["usd"]["value"].as_float(), Some(3.0));
        assert_eq!(doc["mode"]["sea"]["h"].as_float(), Some(5.0));
        assert_eq!(
            doc["passage"]["bosporus"]["transit_h"].as_float(),
            Some(48.0)
        );
        assert!(apply_params(&mut doc, &[("mode.sea.nope".into(), Op::Factor(2.0))]).is_err());
    }
}
