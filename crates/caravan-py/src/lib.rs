//! caravan for Python: a thin front over caravan-app, the library the CLI uses, so that a
//! notebook gets the CLI's answers (the same JSON, the same matrix files) and its messages.
//!
//! Answers cross into Python as JSON (parsed by Python's `json`) or, for matrices, as a
//! Parquet file that pyarrow reads: a matrix of millions of cells then never passes through
//! Python objects one by one. Routing runs with the GIL released.

use caravan_app::matrix::{CellWriter, Method};
use caravan_app::{output, Engine as AppEngine, Request};
use caravan_metric::ProfileSpec;
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

create_exception!(
    _caravan,
    Error,
    PyException,
    "A caravan error; the message is the CLI's."
);
create_exception!(
    _caravan,
    InputError,
    Error,
    "Bad input: an unknown place, option or value."
);
create_exception!(
    _caravan,
    NoRouteError,
    Error,
    "No route under the constraints."
);
create_exception!(
    _caravan,
    DataError,
    Error,
    "The network data or cache cannot be used."
);

/// A plan error as the exception the CLI's exit code stands for (2 input, 3 no route).
fn plan_error(e: caravan_app::plan::PlanError) -> PyErr {
    match e.exit_code() {
        2 => InputError::new_err(e.to_string()),
        3 => NoRouteError::new_err(e.to_string()),
        _ => DataError::new_err(e.to_string()),
    }
}

fn input(message: impl Into<String>) -> PyErr {
    InputError::new_err(message.into())
}

/// Python's value of a JSON document.
fn to_python(py: Python<'_>, v: &serde_json::Value) -> PyResult<Py<PyAny>> {
    let text = serde_json::to_string(v).map_err(|e| DataError::new_err(e.to_string()))?;
    Ok(py.import("json")?.call_method1("loads", (text,))?.unbind())
}

/// A list option given as a list of strings or one comma-separated string.
fn strings(v: &Bound<'_, PyAny>, name: &str) -> PyResult<Vec<String>> {
    if let Ok(s) = v.extract::<String>() {
        return Ok(s
            .split(',')
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
            .collect());
    }
    v.extract::<Vec<String>>().map_err(|_| {
        input(format!(
            "{name}: give a list of strings or one comma-separated string"
        ))
    })
}

/// Options a call takes besides the profile's, by name, as given.
type Extra = Vec<(String, Py<PyAny>)>;

/// Keyword options under the CLI's names (`modes`, `avoid_countries`, `scenario`, ...), and
/// the ones a call takes besides the profile (`extra`), as the CLI's defaults fill them.
fn profile_of(
    options: Option<&Bound<'_, PyDict>>,
    extra: &[&str],
) -> PyResult<(ProfileSpec, Extra)> {
    let mut spec = ProfileSpec {
        cargo: Some("container".into()),
        objective: Some("balanced".into()),
        drivers: Some(1),
        ..ProfileSpec::default()
    };
    let mut rest = Vec::new();
    let Some(options) = options else {
        return Ok((spec, rest));
    };
    for (k, v) in options.iter() {
        let key: String = k.extract()?;
        let num = |v: &Bound<'_, PyAny>| -> PyResult<f64> {
            let x: f64 = v
                .extract()
                .map_err(|_| input(format!("{key}: give a number")))?;
            caravan_app::options::positive_value(x).map_err(|m| input(format!("{key}: {m}")))
        };
        match key.as_str() {
            "cargo" => spec.cargo = Some(v.extract()?),
            "tonnes" => spec.tonnes = Some(num(&v)?),
            "optimize" => spec.objective = Some(v.extract()?),
            "modes" => spec.modes = strings(&v, &key)?,
            "avoid_countries" => spec.avoid_countries = strings(&v, &key)?,
            "only_countries" => spec.only_countries = strings(&v, &key)?,
            "avoid_passages" => spec.avoid_passages = strings(&v, &key)?,
            "scenario" | "scenarios" => spec.scenarios = strings(&v, &key)?,
            "drivers" => {
                let d: u8 = v.extract().map_err(|_| input("drivers: give 1 or 2"))?;
                if !(1..=2).contains(&d) {
                    return Err(input("drivers: give 1 or 2"));
                }
                spec.drivers = Some(d);
            }
            "cargo_value" => spec.cargo_value_usd = Some(num(&v)?),
            k if extra.contains(&k) => rest.push((key.clone(), v.unbind())),
            _ => {
                let mut known = vec![
                    "cargo",
                    "tonnes",
                    "optimize",
                    "modes",
                    "avoid_countries",
                    "only_countries",
                    "avoid_passages",
                    "scenario",
                    "drivers",
                    "cargo_value",
                ];
                known.extend_from_slice(extra);
                return Err(input(format!(
                    "unknown option {key:?}; options: {}",
                    known.join(", ")
                )));
            }
        }
    }
    Ok((spec, rest))
}

/// The embedded world network, loaded once (the hierarchy memory-mapped from the cache the
/// CLI shares), with the variants that scenarios drawing new lines need, loaded on first
/// use.
#[pyclass(frozen, module = "caravan._caravan")]
struct Engine {
    data: PathBuf,
    cache: PathBuf,
    /// By the scenarios whose new lines they hold (empty: the shipped network).
    loaded: Mutex<Vec<(Vec<String>, Arc<AppEngine>)>>,
}

impl Engine {
    /// The engine `scenarios` need: the shipped one unless some draw new lines.
    fn for_scenarios(&self, py: Python<'_>, scenarios: &[String]) -> PyResult<Arc<AppEngine>> {
        let adds = caravan_app::scenarios::added_links(&self.data, scenarios)
            .map_err(|e| input(e.to_string()))?;
        let key: Vec<String> = if adds.is_empty() {
            Vec::new()
        } else {
            let mut k = scenarios.to_vec();
            k.sort();
            k
        };
        if let Some((_, e)) = self
            .loaded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .find(|(k, _)| *k == key)
        {
            return Ok(e.clone());
        }
        let (data, cache) = (self.data.clone(), self.cache.clone());
        let wanted = key.clone();
        let engine = py
            .detach(move || AppEngine::for_scenarios(&data, &cache, &wanted, &mut |_, _| {}))
            .map_err(|e| DataError::new_err(e.to_string()))?;
        let engine = Arc::new(engine);
        self.loaded
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((key, engine.clone()));
        Ok(engine)
    }

    fn request(
        py: Python<'_>,
        origin: String,
        destination: String,
        options: Option<&Bound<'_, PyDict>>,
        geometry: bool,
    ) -> PyResult<Request> {
        let (profile, rest) = profile_of(options, &["alternatives"])?;
        let mut alternatives = 1usize;
        for (k, v) in rest {
            if k == "alternatives" {
                alternatives = v
                    .extract::<usize>(py)
                    .ok()
                    .filter(|a| (1..=10).contains(a))
                    .ok_or_else(|| input("alternatives: give a whole number from 1 to 10"))?;
            }
        }
        Ok(Request {
            origin,
            destination,
            profile,
            alternatives,
            geometry,
        })
    }

    /// A route request planned on the engine its scenarios need, the GIL released.
    fn plan(
        &self,
        py: Python<'_>,
        origin: String,
        destination: String,
        options: Option<&Bound<'_, PyDict>>,
        geometry: bool,
    ) -> PyResult<caravan_app::plan::Plan> {
        let req = Self::request(py, origin, destination, options, geometry)?;
        let engine = self.for_scenarios(py, &req.profile.scenarios)?;
        py.detach(|| engine.plan(&req)).map_err(plan_error)
    }
}

#[pymethods]
impl Engine {
    /// Loads the embedded network: `data` defaults to $CARAVAN_DATA or the repository's
    /// data/, `cache` to $CARAVAN_CACHE or the platform cache (shared with the CLI).
    #[new]
    #[pyo3(signature = (data=None, cache=None))]
    fn new(py: Python<'_>, data: Option<PathBuf>, cache: Option<PathBuf>) -> PyResult<Engine> {
        let data = match data {
            Some(d) => d,
            None => caravan_network::data_dir().map_err(|e| DataError::new_err(e.to_string()))?,
        };
        let cache = cache.unwrap_or_else(caravan_app::engine::default_cache_dir);
        let engine = Engine {
            data,
            cache,
            loaded: Mutex::new(Vec::new()),
        };
        engine.for_scenarios(py, &[])?;
        Ok(engine)
    }

    /// The same JSON as `caravan route --format json`, as a dict.
    #[pyo3(signature = (origin, destination, **options))]
    fn route(
        &self,
        py: Python<'_>,
        origin: String,
        destination: String,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let plan = self.plan(py, origin, destination, options, false)?;
        to_python(py, &output::plan_json(&plan))
    }

    /// As `caravan route --format geojson`: a FeatureCollection with a line per leg.
    #[pyo3(signature = (origin, destination, **options))]
    fn route_geojson(
        &self,
        py: Python<'_>,
        origin: String,
        destination: String,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let plan = self.plan(py, origin, destination, options, true)?;
        to_python(py, &output::plan_geojson(&plan))
    }

    /// Baseline against scenario for one lane, as `caravan compare --format json`.
    #[pyo3(signature = (origin, destination, **options))]
    fn compare(
        &self,
        py: Python<'_>,
        origin: String,
        destination: String,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let req = Self::request(py, origin, destination, options, false)?;
        let engine = self.for_scenarios(py, &req.profile.scenarios)?;
        let c = py.detach(|| engine.compare(&req)).map_err(plan_error)?;
        let v = output::comparison_json(&c).map_err(|e| DataError::new_err(e.to_string()))?;
        to_python(py, &v)
    }

    /// Writes the matrix of every origin to every destination to `path` (.parquet or .csv),
    /// as `caravan matrix` does; the number of cells written. (`caravan.Engine.matrix`
    /// reads it back as a pyarrow Table.)
    #[pyo3(signature = (origins, destinations, path, **options))]
    fn matrix_file(
        &self,
        py: Python<'_>,
        origins: Vec<String>,
        destinations: Vec<String>,
        path: PathBuf,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<u64> {
        let (spec, _) = profile_of(options, &[])?;
        let engine = self.for_scenarios(py, &spec.scenarios)?;
        let resolve = |list: &[String], what: &str| -> PyResult<Vec<caravan_network::Place>> {
            if list.is_empty() {
                return Err(input(format!("{what}: no places")));
            }
            list.iter()
                .enumerate()
                .map(|(i, q)| {
                    engine
                        .net
                        .resolve_place(q)
                        .map_err(|e| input(format!("{what}[{i}]: {e}")))
                })
                .collect()
        };
        let (o, d) = (
            resolve(&origins, "origins")?,
            resolve(&destinations, "destinations")?,
        );
        engine.profile(&spec).map_err(plan_error)?;
        py.detach(|| -> PyResult<u64> {
            let mut out = CellWriter::create(&path, false)
                .map_err(|e| input(format!("{}: {e}", path.display())))?;
            engine
                .matrix_stream(&o, &d, &spec, Method::Auto, &|_| {}, |block| {
                    out.write_block("", &o, &d, &block)
                })
                .map_err(|e| match e {
                    caravan_app::matrix::MatrixError::Plan(p) => plan_error(p),
                    other => DataError::new_err(other.to_string()),
                })?;
            out.finish()
                .map_err(|e| DataError::new_err(format!("{}: {e}", path.display())))
        })
    }

    /// Chokepoints ranked by what closing each alone costs these lanes (`(from, to)` or
    /// `(from, to, weight)`), as `caravan criticality --format json`.
    #[pyo3(signature = (lanes, top=None, **options))]
    fn criticality(
        &self,
        py: Python<'_>,
        lanes: Vec<Bound<'_, PyAny>>,
        top: Option<usize>,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let (spec, _) = profile_of(options, &[])?;
        let engine = self.for_scenarios(py, &spec.scenarios)?;
        let mut parsed = Vec::with_capacity(lanes.len());
        for (i, lane) in lanes.iter().enumerate() {
            let (from, to, weight): (String, String, f64) = lane
                .extract::<(String, String, f64)>()
                .or_else(|_| lane.extract::<(String, String)>().map(|(a, b)| (a, b, 1.0)))
                .map_err(|_| input(format!("lanes[{i}]: give (from, to) or (from, to, weight)")))?;
            let place = |q: &str| {
                engine
                    .net
                    .resolve_place(q)
                    .map_err(|e| input(format!("lanes[{i}]: {e}")))
            };
            parsed.push(caravan_app::lanes::Lane {
                line: i + 1,
                from: place(&from)?,
                to: place(&to)?,
                weight,
            });
        }
        let opts = caravan_app::criticality::Options::default();
        let mut report = py
            .detach(|| engine.criticality(&parsed, &spec, &opts, &|_, _| {}))
            .map_err(|e| match e {
                caravan_app::matrix::MatrixError::Plan(p) => plan_error(p),
                other => input(other.to_string()),
            })?;
        if let Some(n) = top {
            report.ranking.truncate(n);
        }
        let v = serde_json::to_value(&report).map_err(|e| DataError::new_err(e.to_string()))?;
        to_python(py, &v)
    }

    /// Places whose names or codes match `query`, best first (the map's autocomplete).
    #[pyo3(signature = (query, n=10))]
    fn places(&self, py: Python<'_>, query: String, n: usize) -> PyResult<Py<PyAny>> {
        let engine = self.for_scenarios(py, &[])?;
        let found = py.detach(|| engine.suggest(&query, n));
        let v = serde_json::to_value(&found).map_err(|e| DataError::new_err(e.to_string()))?;
        to_python(py, &v)
    }

    /// The shipped scenarios, as `caravan scenarios --format json`.
    fn scenarios(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let list = caravan_app::scenarios::catalog(&self.data)
            .map_err(|e| DataError::new_err(e.to_string()))?;
        to_python(py, &output::scenarios_json(&list))
    }

    /// Country groups (SCO, EU, EAEU, ...), or one of them, as `caravan groups --format json`.
    #[pyo3(signature = (name=None))]
    fn groups(&self, py: Python<'_>, name: Option<String>) -> PyResult<Py<PyAny>> {
        let g = caravan_app::groups::groups(&self.data, name.as_deref()).map_err(|e| match e {
            e @ caravan_app::groups::GroupError::Unknown(..) => input(e.to_string()),
            e => DataError::new_err(e.to_string()),
        })?;
        let v = serde_json::to_value(&g).map_err(|e| DataError::new_err(e.to_string()))?;
        to_python(py, &v)
    }

    /// The process id, so that distributed tests can tell workers apart.
    #[staticmethod]
    fn pid() -> u32 {
        std::process::id()
    }

    fn __repr__(&self) -> String {
        format!("caravan.Engine(data={:?})", self.data.display().to_string())
    }
}

#[pymodule]
fn _caravan(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Engine>()?;
    m.add("Error", py.get_type::<Error>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("NoRouteError", py.get_type::<NoRouteError>())?;
    m.add("DataError", py.get_type::<DataError>())?;
    Ok(())
}
