//! The OpenAPI 3.1 contract, generated from the handlers' annotations and their parameter
//! and body structs (the same structs that parse requests), so it cannot drift from them.

use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "caravan",
        description = "Multimodal freight routing and corridor analysis across Eurasia: the native API (/v1/), OSRM v5 route and table, the web map at /.",
        license(name = "MIT OR Apache-2.0"),
    ),
    paths(
        crate::native::route_get,
        crate::native::route_post,
        crate::native::compare,
        crate::native::matrix,
        crate::native::criticality,
        crate::native::places,
        crate::native::scenarios,
        crate::native::groups,
        crate::native::health,
        crate::native::metrics,
        crate::osrm_route,
        crate::osrm_table,
    ),
    components(schemas(crate::error::ApiError, crate::error::OsrmError, crate::error::OsrmCode)),
    tags(
        (name = "native", description = "caravan's own API: the CLI's JSON"),
        (name = "osrm", description = "OSRM v5 compatible services"),
        (name = "service", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
