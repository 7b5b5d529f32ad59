//! The web map: a fixed set of files compiled into the binary (no directory is ever read
//! for them, so no path can escape it), and the basemap read once from data/basemap.

use crate::Shared;
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// (name, content type, bytes). MapLibre GL JS 4.7.1 and topojson-client 3.1.0 from npm,
/// with their licences beside them in web/vendor/.
const FILES: [(&str, &str, &[u8]); 6] = [
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../web/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../web/style.css"),
    ),
    (
        "maplibre-gl.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../web/vendor/maplibre-gl.js"),
    ),
    (
        "maplibre-gl.css",
        "text/css; charset=utf-8",
        include_bytes!("../web/vendor/maplibre-gl.css"),
    ),
    (
        "topojson-client.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../web/vendor/topojson-client.min.js"),
    ),
    (
        "LICENSES.txt",
        "text/plain; charset=utf-8",
        include_bytes!("../web/LICENSES.txt"),
    ),
];

const INDEX: &str = include_str!("../web/index.html");

pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(index))
        .route("/assets/{name}", get(asset))
        .route("/basemap/countries.json", get(basemap))
}

async fn index() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], INDEX).into_response()
}

async fn asset(Path(name): Path<String>) -> Response {
    match FILES.iter().find(|(n, _, _)| *n == name) {
        Some((_, ty, bytes)) => (
            [
                (header::CONTENT_TYPE, *ty),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => crate::error::ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such file")
            .into_response(),
    }
}

/// Natural Earth 1:50m countries (world-atlas 2.0.2, TopoJSON), read on first request.
async fn basemap(State(state): State<Shared>) -> Response {
    let bytes = state.basemap.get_or_init(|| {
        std::fs::read(state.engine.data_dir.join("basemap/countries-50m.json"))
            .ok()
            .map(axum::body::Bytes::from)
    });
    match bytes {
        Some(b) => (
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            b.clone(),
        )
            .into_response(),
        None => crate::error::ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "data/basemap/countries-50m.json is missing from the data directory",
        )
        .into_response(),
    }
}
