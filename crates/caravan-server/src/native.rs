//! The native API under `/v1/`: everything the CLI answers, as the CLI's own JSON.

use crate::error::{ApiError, ApiJson, ApiQuery};
use crate::options::with_profile;
use crate::state::AppState;
use crate::{blocking, Shared};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use caravan_app::{output, Request};
use serde::Deserialize;
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum RouteFormat {
    /// The route JSON of `caravan route --format json`
    #[default]
    Json,
    /// A FeatureCollection: one LineString per leg, one Point per event
    Geojson,
}

with_profile! {
    /// A route request: `caravan route`'s arguments and options.
    #[derive(Debug, Clone, Deserialize, IntoParams, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct RouteQuery {
        /// Origin: a city ("Kashgar", "Brest, BY"), 'lat,lon', a UN/LOCODE or an IATA code
        #[param(max_length = 200)]
        #[schema(max_length = 200)]
        pub from: String,
        /// Destination, in the same forms
        #[param(max_length = 200)]
        #[schema(max_length = 200)]
        pub to: String,
        /// Up to N meaningfully different options, best first (1–10)
        #[serde(default)]
        #[param(minimum = 1, maximum = 10)]
        #[schema(minimum = 1, maximum = 10)]
        pub alternatives: Option<u16>,
        #[serde(default)]
        #[param(inline)]
        pub format: Option<RouteFormat>,
    }
}

impl RouteQuery {
    fn request(&self) -> Result<Request, ApiError> {
        let alternatives = self.alternatives.unwrap_or(1);
        if !(1..=10).contains(&alternatives) {
            return Err(ApiError::bad(format!(
                "alternatives: {alternatives} is not between 1 and 10"
            )));
        }
        Ok(Request {
            origin: self.from.clone(),
            destination: self.to.clone(),
            profile: self.spec()?,
            alternatives: alternatives as usize,
            geometry: self.format == Some(RouteFormat::Geojson),
        })
    }
}

fn route_answer(state: &AppState, q: RouteQuery) -> Result<Value, ApiError> {
    let req = q.request()?;
    let engine = state.engine_for(&req.profile.scenarios)?;
    let plan = engine.plan(&req)?;
    Ok(if req.geometry {
        output::plan_geojson(&plan)
    } else {
        output::plan_json(&plan)
    })
}

/// Freight options between two places.
#[utoipa::path(get, path = "/v1/route", tag = "native", params(RouteQuery),
    responses(
        (status = 200, description = "The route JSON of `caravan route --format json` (or GeoJSON with format=geojson): origin, destination, routes with totals, legs, events, countries", body = Object),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "Bad input: unknown place, bad option", body = ApiError),
        (status = 422, description = "No route under the constraints", body = ApiError),
    ))]
pub async fn route_get(
    State(state): State<Shared>,
    ApiQuery(q): ApiQuery<RouteQuery>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || route_answer(&state, q)).await.map(Json)
}

/// Freight options between two places, the request as a JSON body.
#[utoipa::path(post, path = "/v1/route", tag = "native", request_body = RouteQuery,
    responses(
        (status = 200, description = "The route JSON (see GET)", body = Object),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "Bad input", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "The body is not JSON", body = ApiError),
        (status = 422, description = "No route under the constraints", body = ApiError),
    ))]
pub async fn route_post(
    State(state): State<Shared>,
    ApiJson(q): ApiJson<RouteQuery>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || route_answer(&state, q)).await.map(Json)
}

with_profile! {
    /// Baseline against scenario for one lane: the profile must name a scenario.
    #[derive(Debug, Clone, Deserialize, IntoParams, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[into_params(parameter_in = Query)]
    pub struct CompareQuery {
        /// Origin
        #[param(max_length = 200)]
        #[schema(max_length = 200)]
        pub from: String,
        /// Destination
        #[param(max_length = 200)]
        #[schema(max_length = 200)]
        pub to: String,
    }
}

/// Routes a lane without and with the scenario(s): both routes, the deltas and what
/// changed.
#[utoipa::path(get, path = "/v1/compare", tag = "native", params(CompareQuery),
    responses(
        (status = 200, description = "baseline, scenario (null when there is no route, with the reason), delta, changes, summary", body = Object),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "Bad input (no scenario, unknown scenario or place)", body = ApiError),
        (status = 422, description = "No route with or without the scenario", body = ApiError),
    ))]
pub async fn compare(
    State(state): State<Shared>,
    ApiQuery(q): ApiQuery<CompareQuery>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let profile = q.spec()?;
        if profile.scenarios.is_empty() {
            return Err(ApiError::bad(
                "compare needs scenario=NAME (see /v1/scenarios)",
            ));
        }
        let engine = state.engine_for(&profile.scenarios)?;
        for s in &profile.scenarios {
            engine
                .find_scenario(s)
                .map_err(|e| ApiError::bad(e.to_string()))?;
        }
        let req = Request {
            origin: q.from,
            destination: q.to,
            profile,
            alternatives: 1,
            geometry: true,
        };
        let c = engine.compare(&req)?;
        if c.baseline.is_none() && c.scenario.is_none() {
            return Err(ApiError::new(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                "no_route",
                format!("no route with or without the scenario: {}", c.summary),
            ));
        }
        let mut v = output::comparison_json(&c).map_err(|e| ApiError::internal(e.to_string()))?;
        // The map draws both routes: their legs' lines, which the CLI's JSON leaves out.
        for (key, r) in [("baseline", &c.baseline), ("scenario", &c.scenario)] {
            if let (Some(r), Some(obj)) = (r, v.get_mut(key)) {
                obj["geometry"] = crate::native::legs_geometry(r);
            }
        }
        Ok(v)
    })
    .await
    .map(Json)
}

/// Each leg's line as MultiLineString coordinates ([lon, lat], split at ±180°), in leg
/// order.
pub fn legs_geometry(r: &caravan_app::plan::PlannedRoute) -> Value {
    Value::Array(
        r.route
            .legs
            .iter()
            .map(|l| {
                serde_json::json!({
                    "mode": l.mode,
                    // MultiLineString coordinates: parts split at the antimeridian.
                    "coordinates": output::split_at_antimeridian(&l.geometry),
                })
            })
            .collect(),
    )
}

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum MatrixFormat {
    #[default]
    Json,
    Parquet,
}

with_profile! {
    /// A matrix: every origin to every destination under one profile.
    #[derive(Debug, Clone, Deserialize, IntoParams, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct MatrixBody {
        /// Places in any form `route` accepts
        #[schema(max_items = 10000)]
        pub origins: Vec<String>,
        #[schema(max_items = 10000)]
        pub destinations: Vec<String>,
        /// json (default) or parquet
        #[serde(default)]
        #[param(inline)]
        pub format: Option<MatrixFormat>,
    }
}

/// Every origin to every destination: distance, duration, cost and CO2e per cell; a pair
/// without a route has null figures and a reason.
#[utoipa::path(post, path = "/v1/matrix", tag = "native", request_body = MatrixBody,
    responses(
        (status = 200, description = "JSON {origins, destinations, cells}; or a Parquet file (format=parquet)",
            content((Object = "application/json"), (Vec<u8> = "application/vnd.apache.parquet"))),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "Bad input, or more cells than the server allows", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "The body is not JSON", body = ApiError),
        (status = 422, description = "No route for any cell's profile", body = ApiError),
    ))]
pub async fn matrix(
    State(state): State<Shared>,
    ApiJson(b): ApiJson<MatrixBody>,
) -> Result<Response, ApiError> {
    blocking(move || {
        let spec = b.spec()?;
        let cells = b.origins.len() * b.destinations.len();
        if cells == 0 {
            return Err(ApiError::bad("origins and destinations must each name at least one place"));
        }
        if cells > state.limits.max_matrix_cells {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "too_big",
                format!(
                    "{} × {} = {cells} cells; this server answers at most {} per request (use caravan matrix for more)",
                    b.origins.len(),
                    b.destinations.len(),
                    state.limits.max_matrix_cells
                ),
            ));
        }
        let engine = state.engine_for(&spec.scenarios)?;
        let resolve = |list: &[String], what: &str| -> Result<Vec<_>, ApiError> {
            list.iter()
                .enumerate()
                .map(|(i, q)| place(&engine, q, format_args!("{what}[{i}]")))
                .collect()
        };
        let origins = resolve(&b.origins, "origins")?;
        let destinations = resolve(&b.destinations, "destinations")?;
        let cells = engine.matrix(&origins, &destinations, &spec, &|_| {})?;
        if b.format == Some(MatrixFormat::Parquet) {
            let bytes = caravan_app::columnar::cells_parquet(&cells)
                .map_err(|e| ApiError::internal(e.to_string()))?;
            return Ok(([(header::CONTENT_TYPE, "application/vnd.apache.parquet")], bytes).into_response());
        }
        Ok(Json(serde_json::json!({
            "origins": origins,
            "destinations": destinations,
            "cells": cells,
        }))
        .into_response())
    })
    .await
}

/// A place named in a request body; the error says where (`origins[3]: unknown place …`).
fn place(
    engine: &caravan_app::Engine,
    q: &str,
    at: std::fmt::Arguments<'_>,
) -> Result<caravan_network::Place, ApiError> {
    engine.net.resolve_place(q).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::BAD_REQUEST,
            "unknown_place",
            format!("{at}: {e}"),
        )
    })
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LaneBody {
    pub from: String,
    pub to: String,
    /// Annual volume (FEU or tonnes); 1 when not given
    #[serde(default)]
    pub weight: Option<f64>,
}

with_profile! {
    /// A lane set whose chokepoints to rank.
    #[derive(Debug, Clone, Deserialize, IntoParams, ToSchema)]
    #[serde(deny_unknown_fields)]
    pub struct CriticalityBody {
        #[schema(max_items = 5000)]
        pub lanes: Vec<LaneBody>,
        /// Chokepoints listed (default 20)
        #[serde(default)]
        pub top: Option<usize>,
    }
}

/// Chokepoints ranked by what closing each alone costs the lanes.
#[utoipa::path(post, path = "/v1/criticality", tag = "native", request_body = CriticalityBody,
    responses(
        (status = 200, description = "The ranking of `caravan criticality --format json`", body = Object),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "Bad input, or more lanes than the server allows", body = ApiError),
        (status = 413, description = "Body too large", body = ApiError),
        (status = 415, description = "The body is not JSON", body = ApiError),
        (status = 422, description = "No route under the constraints", body = ApiError),
    ))]
pub async fn criticality(
    State(state): State<Shared>,
    ApiJson(b): ApiJson<CriticalityBody>,
) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let spec = b.spec()?;
        if b.lanes.is_empty() || b.lanes.len() > state.limits.max_lanes {
            return Err(ApiError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "too_big",
                format!(
                    "{} lanes; give between 1 and {}",
                    b.lanes.len(),
                    state.limits.max_lanes
                ),
            ));
        }
        let engine = state.engine_for(&spec.scenarios)?;
        let mut lanes = Vec::with_capacity(b.lanes.len());
        for (i, l) in b.lanes.iter().enumerate() {
            let weight = match l.weight {
                None => 1.0,
                Some(w) if w.is_finite() && w >= 0.0 => w,
                Some(w) => {
                    return Err(ApiError::bad(format!(
                        "lanes[{i}].weight: {w} is not a number ≥ 0"
                    )))
                }
            };
            lanes.push(caravan_app::lanes::Lane {
                line: i + 1,
                from: place(&engine, &l.from, format_args!("lanes[{i}]"))?,
                to: place(&engine, &l.to, format_args!("lanes[{i}]"))?,
                weight,
            });
        }
        let opts = caravan_app::criticality::Options {
            brute_force: false,
            only: None,
        };
        let mut report = engine.criticality(&lanes, &spec, &opts, &|_, _| {})?;
        report.ranking.truncate(b.top.unwrap_or(20));
        serde_json::to_value(&report).map_err(|e| ApiError::internal(e.to_string()))
    })
    .await
    .map(Json)
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PlacesQuery {
    /// The start of a name, alternate name, UN/LOCODE or IATA code
    #[param(max_length = 200)]
    pub q: String,
    /// Suggestions returned (1–10, default 10)
    #[serde(default)]
    #[param(minimum = 1, maximum = 10)]
    pub limit: Option<usize>,
}

/// Place autocomplete.
#[utoipa::path(get, path = "/v1/places", tag = "native", params(PlacesQuery),
    responses(
        (status = 200, description = "Up to 10 suggestions, best first; `query` is what to send as from/to", body = Object),
        (status = 400, description = "Bad input", body = ApiError),
    ))]
pub async fn places(
    State(state): State<Shared>,
    ApiQuery(q): ApiQuery<PlacesQuery>,
) -> Result<Json<Value>, ApiError> {
    if q.q.len() > caravan_network::MAX_QUERY_BYTES {
        return Err(ApiError::bad(format!(
            "q: longer than {} bytes",
            caravan_network::MAX_QUERY_BYTES
        )));
    }
    let n = q.limit.unwrap_or(caravan_app::suggest::MAX_SUGGESTIONS);
    if !(1..=caravan_app::suggest::MAX_SUGGESTIONS).contains(&n) {
        return Err(ApiError::bad(format!("limit: {n} is not between 1 and 10")));
    }
    blocking(move || Ok(serde_json::json!({ "places": state.engine.suggest(&q.q, n) })))
        .await
        .map(Json)
}

/// The shipped scenarios: what each opens, closes and changes, with sources.
#[utoipa::path(get, path = "/v1/scenarios", tag = "native",
    responses(
        (status = 200, description = "{scenarios: [{name, aliases, description, changes, sources, file}]}", body = Object),
        (status = 500, description = "A scenario file is malformed", body = ApiError),
    ))]
pub async fn scenarios(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    blocking(move || {
        let list = state
            .engine
            .scenario_catalog()
            .map_err(|e| ApiError::internal(e.to_string()))?;
        Ok(output::scenarios_json(&list))
    })
    .await
    .map(Json)
}

#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct GroupsQuery {
    /// One group (SCO, EU, EAEU, ...); all when omitted
    #[serde(default)]
    #[param(max_length = 200)]
    pub name: Option<String>,
}

/// Country groups: members and their shares of Eurasia's land and of world population.
#[utoipa::path(get, path = "/v1/groups", tag = "native", params(GroupsQuery),
    responses(
        (status = 200, description = "{groups: [...]}", body = Object),
        (status = 400, description = "Unknown group", body = ApiError),
    ))]
pub async fn groups(
    State(state): State<Shared>,
    ApiQuery(q): ApiQuery<GroupsQuery>,
) -> Result<Json<Value>, ApiError> {
    blocking(
        move || match caravan_app::groups::groups(&state.engine.data_dir, q.name.as_deref()) {
            Ok(g) => Ok(serde_json::json!({ "groups": g })),
            Err(e @ caravan_app::groups::GroupError::Unknown(..)) => {
                Err(ApiError::bad(e.to_string()))
            }
            Err(e) => Err(ApiError::internal(e.to_string())),
        },
    )
    .await
    .map(Json)
}

/// Liveness, and what is loaded.
#[utoipa::path(get, path = "/health", tag = "service",
    responses((status = 200, description = "{status: ok, nodes, arcs, version}", body = Object)))]
pub async fn health(State(state): State<Shared>) -> Json<Value> {
    Json(serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "nodes": state.engine.net.nodes.len(),
        "arcs": state.engine.net.arcs.len(),
    }))
}

/// Prometheus metrics: requests and latencies by route pattern and status.
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, description = "Prometheus text format", body = String, content_type = "text/plain")))]
pub async fn metrics(State(state): State<Shared>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
