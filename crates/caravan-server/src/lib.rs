//! caravan's HTTP front. One loaded engine answers every request; routing work runs on
//! the blocking pool so that a long matrix never stalls the runtime's other requests.
//!
//! - the native API under `/v1/` (the CLI's JSON),
//! - OSRM v5 `route` and `table` ([`osrm`]),
//! - `/openapi.json`, generated from the handlers and their parameter structs,
//! - the web map at `/` (MapLibre, vendored; basemap from data/basemap).

pub mod error;
pub mod metrics;
pub mod native;
pub mod openapi;
mod options;
pub mod osrm;
pub mod state;
pub mod web;

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use error::{ApiError, OsrmCode, OsrmError};
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::cors::CorsLayer;

pub use state::{AppState, Limits};

pub type Shared = Arc<AppState>;

/// Runs `f` on the blocking pool; a panic in it is a logged 500, and the server goes on.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!(target: "caravan::http", "handler panicked: {e}");
            Err(ApiError::internal(
                "internal error (logged); the server goes on",
            ))
        }
    }
}

/// As [`blocking`], for OSRM handlers (their errors are OSRM's).
async fn blocking_osrm(
    f: impl FnOnce() -> Result<serde_json::Value, OsrmError> + Send + 'static,
) -> Response {
    match tokio::task::spawn_blocking(f).await {
        Ok(Ok(v)) => Json(v).into_response(),
        Ok(Err(e)) => e.into_response(),
        Err(e) => {
            tracing::error!(target: "caravan::http", "handler panicked: {e}");
            ApiError::internal("internal error (logged); the server goes on").into_response()
        }
    }
}

/// The best route (and alternatives) through the coordinates, as OSRM answers it.
#[utoipa::path(get, path = "/route/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "fastest, cheapest, greenest, balanced, road, rail or sea (driving and car mean road)"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat[;...], or polyline(...) / polyline6(...)"),
        osrm::RouteParams,
    ),
    responses(
        (status = 200, description = "OSRM route response: code Ok, routes (distance m, duration s, weight, weight_name, geometry, legs with steps, and a caravan object with modes, events, cost and CO2), waypoints", body = Object),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "OSRM error: InvalidUrl, InvalidOptions, InvalidValue, InvalidQuery, NoSegment, NoRoute, TooBig", body = OsrmError),
    ))]
pub async fn osrm_route(
    State(state): State<Shared>,
    Path((profile, coords)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    blocking_osrm(move || {
        let options = osrm::Options::parse::<osrm::RouteParams>(q.as_deref())?;
        let coords = osrm::coordinates::parse(&coords)?;
        osrm::route::answer(&state, &profile, &coords, options)
    })
    .await
}

/// Durations and distances between sources and destinations, as OSRM answers them.
#[utoipa::path(get, path = "/table/v1/{profile}/{coordinates}", tag = "osrm",
    params(
        ("profile" = String, Path, description = "as for route"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat[;...]"),
        osrm::TableParams,
    ),
    responses(
        (status = 200, description = "OSRM table response: code Ok, durations (s) and/or distances (m), null where no route, sources, destinations", body = Object),
        (status = 408, description = "The request took longer than the server allows (caravan serve --timeout)", body = ApiError),
        (status = 400, description = "OSRM error, TooBig beyond --max-table-size", body = OsrmError),
    ))]
pub async fn osrm_table(
    State(state): State<Shared>,
    Path((profile, coords)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Response {
    blocking_osrm(move || {
        let options = osrm::Options::parse::<osrm::TableParams>(q.as_deref())?;
        let coords = osrm::coordinates::parse(&coords)?;
        osrm::table::answer(&state, &profile, &coords, options)
    })
    .await
}

/// Any other OSRM-shaped URL: the service or version caravan does not offer.
async fn osrm_other(
    Path((service, version, _, _)): Path<(String, String, String, String)>,
) -> Response {
    let known = ["route", "table"];
    if !known.contains(&service.as_str()) {
        let e = if ["nearest", "match", "trip", "tile"].contains(&service.as_str()) {
            format!("service '{service}' is not offered by caravan (route and table are)")
        } else {
            format!("unknown service '{}'", caravan_network::shown(&service))
        };
        return OsrmError::new(OsrmCode::InvalidService, e).into_response();
    }
    OsrmError::new(
        OsrmCode::InvalidVersion,
        format!(
            "version '{}' is not supported; use v1",
            caravan_network::shown(&version)
        ),
    )
    .into_response()
}

async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint (see /openapi.json)",
    )
}

/// Every route of the server, with its layers (CORS, body limit, timeout, metrics).
pub fn router(state: Shared) -> Router {
    router_with(state, Router::new())
}

/// As [`router`], with `extra` routes merged in before the layers (tests use it to add a
/// handler that panics).
pub fn router_with(state: Shared, extra: Router<Shared>) -> Router {
    let limits = state.limits.clone();
    let api = Router::new()
        .route("/v1/route", get(native::route_get).post(native::route_post))
        .route("/v1/compare", get(native::compare))
        .route("/v1/matrix", axum::routing::post(native::matrix))
        .route("/v1/criticality", axum::routing::post(native::criticality))
        .route("/v1/places", get(native::places))
        .route("/v1/scenarios", get(native::scenarios))
        .route("/v1/groups", get(native::groups))
        .route("/health", get(native::health))
        .route("/metrics", get(native::metrics))
        .route("/openapi.json", get(openapi::document))
        .route("/route/v1/{profile}/{coordinates}", get(osrm_route))
        .route("/table/v1/{profile}/{coordinates}", get(osrm_table))
        .route(
            "/{service}/{version}/{profile}/{coordinates}",
            get(osrm_other),
        )
        .merge(web::routes())
        .merge(extra)
        .fallback(not_found);
    api.layer(axum::middleware::from_fn_with_state(
        state.clone(),
        metrics::track,
    ))
    .layer(
        tower::ServiceBuilder::new()
            .layer(axum::error_handling::HandleErrorLayer::new(
                move |_: tower::BoxError| async move {
                    ApiError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        "timeout",
                        format!(
                            "the request took longer than {} s (see caravan serve --timeout)",
                            limits.timeout.as_secs()
                        ),
                    )
                },
            ))
            .timeout(limits.timeout),
    )
    .layer(axum::extract::DefaultBodyLimit::max(limits.max_body_bytes))
    .layer(tower_http::catch_panic::CatchPanicLayer::custom(|_| {
        tracing::error!(target: "caravan::http", "handler panicked");
        ApiError::internal("internal error (logged); the server goes on").into_response()
    }))
    .layer(
        CorsLayer::new()
            .allow_origin(tower_http::cors::Any)
            .allow_methods([Method::GET, Method::POST, Method::OPTIONS])
            .allow_headers(tower_http::cors::Any)
            .max_age(std::time::Duration::from_secs(86_400)),
    )
    .layer(
        tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
    )
    .with_state(state)
}

/// Serves until `shutdown` resolves; requests in flight finish first.
pub async fn serve(
    state: Shared,
    addr: SocketAddr,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    ready(listener.local_addr()?);
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
